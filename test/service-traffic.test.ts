// A team service's traffic as the cluster would treat it: the pods start (startup probe window),
// Prometheus selects and reaches the metrics endpoint, the Gateway's proxies reach the pods
// through the tenant's default-deny NetworkPolicies on the host.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Catalog, Group, TeamService, TeamServiceProps, TenantVCluster } from '../src';
import { awsMgmt, awsPlatform } from './support/fixtures';
import { pinsRepo } from './support/pins';

const SHA = (c: string) => c.repeat(40);
const secure = { 'security-basic': 'enabled', 'core-basic': 'enabled', 'monitoring-basic': 'enabled' };

/** One tenant `team-a` on the management cluster running `checkout` (prod), with the given props. */
function platformWith(extra: Partial<TeamServiceProps> = {}) {
  const platform = awsPlatform({ environments: ['prod'] });
  const mgmt = awsMgmt(platform, { labels: secure });
  Catalog.externalSecrets(platform);
  Catalog.gatewayApi(platform, { https: {} });
  Catalog.certManager(platform);
  const tenant = new TenantVCluster(mgmt, 'team-a', { owners: Group.named('team-a') });
  const root = pinsRepo({ 'services/team-a/checkout/prod.json': { cluster: 'vc-team-a', imageTag: '1.4.2-aaaaaaa', targetRevision: SHA('a') } });
  new TeamService(tenant, 'checkout', { image: 'ghcr.io/acme/checkout', port: 8080, repositoryRoot: root, ...extra });
  return { platform, mgmt, tenant, root };
}

const SERVICE = 'tenants/team-a/services/checkout';
const obj = (files: Map<string, string>, f: string) => {
  const text = files.get(f);
  if (text === undefined) throw new Error(`${f} not rendered`);
  return parse(text);
};

describe('a slow-starting service is not restarted in a loop', () => {
  it('the startup probe gives 5 minutes on the health path; readiness and liveness run after it', () => {
    const files = platformWith({ healthPath: '/ready' }).platform.render();
    const c = obj(files, `${SERVICE}/deployment-checkout.yaml`).spec.template.spec.containers[0];
    expect(c.startupProbe).toEqual({ httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, periodSeconds: 10, failureThreshold: 30 });
    // the window before the kubelet restarts a container that has not started (initialDelay 0)
    expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBe(300);
    expect(c.readinessProbe.httpGet.path).toBe('/ready');
    expect(c.livenessProbe.httpGet.path).toBe('/ready');
  });
});
