// A team service's traffic as the cluster would treat it: the pods start (startup probe window),
// Prometheus selects and reaches the metrics endpoint, the Gateway's proxies reach the pods
// through the tenant's default-deny NetworkPolicies on the host.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ApiExposure, Catalog, FleetCluster, Group, renderApplications, TeamService, TeamServiceProps, TenantVCluster, TenantVClusterProps } from '../src';
import { awsMgmt, awsPlatform, eksCloud } from './support/fixtures';
import { CACHE_DIR, chartToolsMissing, helmBinary, preparedCharts } from './support/helm';
import { admits, egressAdmits, matches, nsLabels, Pod, policiesIn } from './support/network-policy';
import { pinsRepo } from './support/pins';
import { vclusterHostLabels, vclusterHostName, vclusterHostService } from './support/vcluster';

const missing = chartToolsMissing();
if (missing) console.log(`skipping the kube-prometheus-stack rendering test: ${missing}`);

const SHA = (c: string) => c.repeat(40);
const secure = { 'security-basic': 'enabled', 'core-basic': 'enabled', 'monitoring-basic': 'enabled' };

/** One tenant `team-a` on the management cluster running `checkout` (prod), with the given props. */
function platformWith(extra: Partial<TeamServiceProps> = {}, tenantProps: Partial<TenantVClusterProps> = {}) {
  const platform = awsPlatform({ environments: ['prod'] });
  const mgmt = awsMgmt(platform, { labels: secure });
  Catalog.externalSecrets(platform);
  Catalog.gatewayApi(platform, { https: {} });
  Catalog.certManager(platform);
  const tenant = new TenantVCluster(mgmt, 'team-a', { owners: Group.named('team-a'), ...tenantProps });
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

/** The service's pod as it runs on the host: vCluster syncs it into the tenant's host namespace, labels kept. */
function hostPod(files: Map<string, string>, namespace: string, folder = SERVICE): Pod {
  const tpl = obj(files, `${folder}/deployment-checkout.yaml`).spec.template;
  return { namespace, labels: tpl.metadata.labels, ports: tpl.spec.containers[0].ports };
}
const PROMETHEUS: Pod = { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } };

/**
 * The container port a ServiceMonitor endpoint reaches on the host: the ServiceMonitor the library renders into
 * the tenant's host namespace selects the Service vCluster syncs there from the service's namespace (its name,
 * labels, selector and ports by vCluster 0.35.3's rules: support/vcluster.ts), whose selector selects the synced
 * pods; endpoint port name -> host Service port -> its targetPort name -> container port.
 */
function scrapedContainerPort(files: Map<string, string>, folder = SERVICE, hostNamespace = 'vcluster-team-a', host = 'mgmt'): number {
  const sm = obj(files, `clusters/${host}/${hostNamespace}/servicemonitor-checkout.yaml`);
  // the tenant's host namespace is also its vCluster's release name, hence its name
  const svc = vclusterHostService(obj(files, `${folder}/service-checkout.yaml`), hostNamespace, hostNamespace);
  const template = obj(files, `${folder}/deployment-checkout.yaml`).spec.template;
  const container = template.spec.containers[0];
  expect(sm.spec.endpoints).toHaveLength(1);
  const endpoint = sm.spec.endpoints[0];
  expect(endpoint.targetPort).toBeUndefined();
  // the ServiceMonitor (no namespaceSelector: its own namespace) selects the host Service, whose selector selects the host pods
  expect(sm.metadata.namespace).toBe(svc.metadata.namespace);
  expect(sm.spec.namespaceSelector).toBeUndefined();
  expect(matches(sm.spec.selector, svc.metadata.labels)).toBe(true);
  expect(matches({ matchLabels: svc.spec.selector }, vclusterHostLabels(template.metadata.labels, 'checkout', hostNamespace))).toBe(true);
  const svcPort = svc.spec.ports.find((p: any) => p.name === endpoint.port);
  expect(svcPort, `Service port named "${endpoint.port}"`).toBeDefined();
  expect(typeof svcPort.targetPort, 'the Service port targets a container port by name').toBe('string');
  const cPort = container.ports.find((p: any) => p.name === svcPort.targetPort);
  expect(cPort, `container port named "${svcPort.targetPort}"`).toBeDefined();
  return cPort.containerPort;
}

describe('a TeamService with metrics is scraped', () => {
  it('the ServiceMonitor scrapes a port the Service names, whose targetPort names a container port of the Deployment', () => {
    const own = platformWith({ metrics: { port: 9090 } }).platform.render();
    expect(scrapedContainerPort(own)).toBe(9090);
    const c = obj(own, `${SERVICE}/deployment-checkout.yaml`).spec.template.spec.containers[0];
    expect(c.ports).toEqual([{ containerPort: 8080, name: 'http' }, { containerPort: 9090, name: 'metrics' }]);
    expect(obj(own, `${SERVICE}/service-checkout.yaml`).spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9090, targetPort: 'metrics' },
    ]);
    // metrics on the service port: the http port is scraped, no second port
    const shared = platformWith({ metrics: {} }).platform.render();
    expect(scrapedContainerPort(shared)).toBe(8080);
    expect(obj(shared, `${SERVICE}/service-checkout.yaml`).spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http' }]);
  });

  it('the tenant\'s host namespace admits Prometheus\'s namespace on the metrics port, and nothing more', () => {
    for (const [metrics, port] of [[{ port: 9090 }, 9090], [{}, 8080]] as const) {
      const files = platformWith({ metrics }).platform.render();
      const policies = policiesIn(files, 'clusters/mgmt/vcluster-team-a');
      const pod = hostPod(files, 'vcluster-team-a');
      expect(scrapedContainerPort(files)).toBe(port);
      expect(admits(policies, PROMETHEUS, pod, port)).toBe(true);
      // the fence stays: another port, or another namespace, is still denied
      expect(admits(policies, PROMETHEUS, pod, 5432)).toBe(false);
      expect(admits(policies, { namespace: 'default', labels: {} }, pod, port)).toBe(false);
    }
    // without metrics, no scrape is admitted
    const files = platformWith().platform.render();
    expect(admits(policiesIn(files, 'clusters/mgmt/vcluster-team-a'), PROMETHEUS, hostPod(files, 'vcluster-team-a'), 8080)).toBe(false);
  });

  it('the host ServiceMonitor selects the Service vCluster syncs from the service\'s namespace, whatever its host name, and no other', () => {
    const files = platformWith({ metrics: {} }).platform.render();
    const sm = obj(files, 'clusters/mgmt/vcluster-team-a/servicemonitor-checkout.yaml');
    const virtual = obj(files, `${SERVICE}/service-checkout.yaml`);
    const synced = vclusterHostService(virtual, 'vcluster-team-a', 'vcluster-team-a');
    expect(synced.metadata.name).toBe('checkout-x-checkout-x-vcluster-team-a');
    expect(matches(sm.spec.selector, synced.metadata.labels)).toBe(true);
    // the job is named after the service (the Service's label), not after its host name
    expect(synced.metadata.labels[sm.spec.jobLabel]).toBe('checkout');
    const other = (name: string, namespace: string, labels: Labels, vcluster = 'vcluster-team-a') =>
      vclusterHostService({ metadata: { name, namespace, labels }, spec: { ports: [{ name: 'http', port: 80 }] } }, 'vcluster-team-a', vcluster).metadata.labels;
    // a Service with the same label in another namespace of the virtual cluster, or of another vCluster
    expect(matches(sm.spec.selector, other('checkout', 'other', virtual.metadata.labels))).toBe(false);
    expect(matches(sm.spec.selector, other('checkout', 'checkout', virtual.metadata.labels, 'vcluster-team-b'))).toBe(false);
    // a tenant cannot make one of its Services look like the service's: vCluster rewrites its own label keys
    const forged = { ...virtual.metadata.labels, 'vcluster.loft.sh/namespace': 'checkout', 'vcluster.loft.sh/managed-by': 'vcluster-team-a' };
    expect(matches(sm.spec.selector, other('fake', 'other', forged))).toBe(false);

    // past 63 characters vCluster shortens the host name with a hash: the labels, and the selection, stay
    const platform = awsPlatform({ environments: ['prod'] });
    const tenant = new TenantVCluster(awsMgmt(platform, { labels: secure }), 'team-analytics', { owners: Group.named('team-analytics') });
    Catalog.externalSecrets(platform);
    Catalog.gatewayApi(platform, { https: {} });
    Catalog.certManager(platform);
    const root = pinsRepo({ 'services/team-analytics/payments-reconciliation/prod.json': { cluster: 'vc-team-analytics', imageTag: '1.0.0-aaaaaaa', targetRevision: SHA('a') } });
    new TeamService(tenant, 'payments-reconciliation', { image: 'ghcr.io/acme/payments', port: 8080, repositoryRoot: root, metrics: { port: 9090 } });
    const long = platform.render();
    const longSm = obj(long, 'clusters/mgmt/vcluster-team-analytics/servicemonitor-payments-reconciliation.yaml');
    const longVirtual = obj(long, 'tenants/team-analytics/services/payments-reconciliation/service-payments-reconciliation.yaml');
    const longSynced = vclusterHostService(longVirtual, 'vcluster-team-analytics', 'vcluster-team-analytics');
    expect('payments-reconciliation-x-payments-reconciliation-x-vcluster-team-analytics'.length).toBeGreaterThan(63);
    // the first 52 characters end on the "-" after "x": the hash follows a second "-" (still a valid Service name)
    expect(longSynced.metadata.name).toMatch(/^payments-reconciliation-x-payments-reconciliation-x--[0-9a-f]{10}$/);
    expect(longSynced.metadata.name).toMatch(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
    expect(longSynced.metadata.name).toBe(vclusterHostName('payments-reconciliation', 'payments-reconciliation', 'vcluster-team-analytics'));
    expect(matches(longSm.spec.selector, longSynced.metadata.labels)).toBe(true);
    expect(longSynced.spec.ports.map((p: any) => p.name)).toContain(longSm.spec.endpoints[0].port);
  });

  it('refuses a metrics port the non-root container cannot bind', () => {
    expect(() => platformWith({ metrics: { port: 80 } })).toThrow('[platform/mgmt/team-a/checkout] metrics.port: got 80. Allowed: a whole number from 1024 to 65535 (the service runs as non-root and cannot bind lower ports). Fix: serve metrics on an unprivileged port such as 9090, or leave metrics.port unset to scrape the service port.');
  });

  it.skipIf(missing !== undefined)('Prometheus, as the real helm renders kube-prometheus-stack with the library\'s values, selects the ServiceMonitor', async () => {
    const { platform } = platformWith({ metrics: { port: 9090 } });
    Catalog.kubePrometheusStack(platform);
    const files = platform.render();
    const charts = preparedCharts();
    const [app] = await renderApplications(files, {
      helm: helmBinary(), chartsDir: charts.chartsDir, cacheDir: CACHE_DIR, filter: (a) => a.name === 'mgmt-kube-prometheus-stack',
    });
    // the chart at hand may stand in for the pinned release (../shared/charts/README.md): its selector template is the same
    const prometheus = app.objects.map((o) => o.object).find((o) => o.kind === 'Prometheus');
    expect(prometheus.metadata.namespace).toBe('monitoring');
    // the library renders the ServiceMonitor into the tenant's host namespace (no vCluster sync involved)
    const sm = obj(files, 'clusters/mgmt/vcluster-team-a/servicemonitor-checkout.yaml');
    expect(sm.metadata.namespace).toBe('vcluster-team-a');
    expect(prometheus.spec.serviceMonitorSelector).toEqual({});
    expect(matches(prometheus.spec.serviceMonitorSelector, sm.metadata.labels)).toBe(true);
    expect(matches(prometheus.spec.serviceMonitorNamespaceSelector, nsLabels(sm.metadata.namespace))).toBe(true);
    // the other monitors and the rules are selected the same way
    for (const k of ['podMonitorSelector', 'probeSelector', 'ruleSelector']) expect([k, prometheus.spec[k]]).toEqual([k, {}]);
  });
});

/** The container port an HTTPRoute's backend reaches: backendRef port -> Service port -> its targetPort name -> container port. */
function backendContainerPort(files: Map<string, string>, folder = SERVICE): number {
  const ref = obj(files, `${folder}/httproute-checkout.yaml`).spec.rules[0].backendRefs[0];
  const svc = obj(files, `${folder}/service-checkout.yaml`);
  expect(svc.metadata.name).toBe(ref.name);
  const svcPort = svc.spec.ports.find((p: any) => p.port === ref.port);
  const cPort = obj(files, `${folder}/deployment-checkout.yaml`).spec.template.spec.containers[0].ports.find((p: any) => p.name === svcPort.targetPort);
  return cPort.containerPort;
}
/** A proxy of the Gateway the service's HTTPRoute attaches to (Gateway API implementations run them in the Gateway's namespace). */
const gatewayProxy = (files: Map<string, string>, folder = SERVICE): Pod =>
  ({ namespace: obj(files, `${folder}/httproute-checkout.yaml`).spec.parentRefs[0].namespace, labels: { 'app.kubernetes.io/name': 'envoy' } });

describe('the Gateway reaches a team service through the tenant\'s NetworkPolicies', () => {
  const ingress = { apiExposure: ApiExposure.ingress({ ingressClassName: 'nginx' }) };

  it('the tenant\'s API through an Ingress, the service on the shared Gateway: the Gateway\'s namespace is admitted on the service port', () => {
    const files = platformWith({}, ingress).platform.render();
    const policies = policiesIn(files, 'clusters/mgmt/vcluster-team-a');
    const pod = hostPod(files, 'vcluster-team-a');
    const proxy = gatewayProxy(files);
    expect(proxy.namespace).toBe('envoy-gateway-system');
    expect(backendContainerPort(files)).toBe(8080);
    expect(admits(policies, proxy, pod, 8080)).toBe(true);
    // only the service port: not the vCluster's API port, which the ingress controller's namespace reaches
    expect(admits(policies, proxy, pod, 8443)).toBe(false);
    expect(admits(policies, { namespace: 'ingress-nginx', labels: {} }, pod, 8443)).toBe(true);
  });

  it('a service on a Gateway of its own, in another namespace: that namespace, and Envoy Gateway\'s, are admitted on the service port', () => {
    const files = platformWith({ port: 8081, host: 'checkout.internal.acme.dev', gateway: { name: 'internal', namespace: 'edge-gw', sectionName: 'https' } }, ingress).platform.render();
    const policies = policiesIn(files, 'clusters/mgmt/vcluster-team-a');
    const pod = hostPod(files, 'vcluster-team-a');
    const proxy = gatewayProxy(files);
    expect(proxy.namespace).toBe('edge-gw');
    expect(backendContainerPort(files)).toBe(8081);
    expect(admits(policies, proxy, pod, 8081)).toBe(true);
    expect(admits(policies, proxy, pod, 8082)).toBe(false);
    // Envoy Gateway (Catalog.gatewayApi) runs the proxies of every Gateway of class envoy in its own namespace
    const envoy: Pod = { namespace: 'envoy-gateway-system', labels: {} };
    expect(admits(policies, envoy, pod, 8081)).toBe(true);
    expect(admits(policies, envoy, pod, 8082)).toBe(false);
    expect(admits(policies, { namespace: 'other', labels: {} }, pod, 8081)).toBe(false);
  });

  it('a service declared in the team\'s staging tenant and pinned to its prod tenant on another host: the prod tenant\'s namespace admits its Gateway', () => {
    const platform = awsPlatform({ environments: ['staging', 'prod'] });
    const mgmt = awsMgmt(platform, { labels: secure });
    const staging = new FleetCluster(mgmt, 'staging-eu', { environment: 'staging', cloud: eksCloud('10.20.0.0/16'), labels: secure });
    Catalog.externalSecrets(platform);
    Catalog.gatewayApi(platform, { https: {} });
    Catalog.certManager(platform);
    const owners = Group.named('team-a');
    const tStaging = new TenantVCluster(staging, 'team-a-staging', { owners, ...ingress });
    new TenantVCluster(mgmt, 'team-a-prod', { owners, ...ingress });
    const root = pinsRepo({
      'services/team-a/checkout/staging.json': { cluster: 'vc-team-a-staging', imageTag: '1.5.0-bbbbbbb', targetRevision: SHA('b') },
      'services/team-a/checkout/prod.json': { cluster: 'vc-team-a-prod', imageTag: '1.4.2-aaaaaaa', targetRevision: SHA('a') },
    });
    new TeamService(tStaging, 'checkout', { team: 'team-a', image: 'ghcr.io/acme/checkout', port: 8080, repositoryRoot: root, metrics: { port: 9090 } });
    const files = platform.render();
    for (const [host, tenant] of [['staging-eu', 'team-a-staging'], ['mgmt', 'team-a-prod']]) {
      const folder = `tenants/${tenant}/services/checkout`;
      const policies = policiesIn(files, `clusters/${host}/vcluster-${tenant}`);
      const pod = hostPod(files, `vcluster-${tenant}`, folder);
      expect([tenant, admits(policies, gatewayProxy(files, folder), pod, backendContainerPort(files, folder))]).toEqual([tenant, true]);
      expect([tenant, admits(policies, PROMETHEUS, pod, scrapedContainerPort(files, folder, `vcluster-${tenant}`, host))]).toEqual([tenant, true]);
    }
  });

  it('a tenant with no service gets no Gateway allowance', () => {
    const platform = awsPlatform({ environments: ['prod'] });
    new TenantVCluster(awsMgmt(platform, { labels: secure }), 'team-a', { owners: Group.named('team-a'), ...ingress });
    const files = platform.render();
    const policies = policiesIn(files, 'clusters/mgmt/vcluster-team-a');
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(['allow-dns', 'allow-ingress-controller', 'allow-kube-apiserver', 'allow-same-namespace', 'default-deny-all']);
    expect(admits(policies, { namespace: 'envoy-gateway-system', labels: {} }, { namespace: 'vcluster-team-a', labels: {} }, 8080)).toBe(false);
  });
});

describe('the services\' autoscalers read CPU: the vCluster reaches the host\'s metrics server', () => {
  // the vCluster's control plane (it proxies metrics.k8s.io) and metrics-server's pods: the upstream chart's port, and AKS's
  const vcluster = (ns: string): Pod => ({ namespace: ns, labels: { app: 'vcluster', release: ns } });
  const metricsServer: Pod = { namespace: 'kube-system', labels: { 'k8s-app': 'metrics-server' } };

  it('with a service: the vCluster turns the integration on, and its namespace lets it reach metrics-server and nothing else of kube-system', () => {
    const { platform, tenant } = platformWith();
    expect((tenant._values() as any).integrations.metricsServer).toEqual({ enabled: true });
    const policies = policiesIn(platform.render(), 'clusters/mgmt/vcluster-team-a');
    for (const port of [10250, 4443]) expect([port, egressAdmits(policies, vcluster('vcluster-team-a'), metricsServer, port)]).toEqual([port, true]);
    expect(egressAdmits(policies, vcluster('vcluster-team-a'), metricsServer, 8080)).toBe(false);
    expect(egressAdmits(policies, vcluster('vcluster-team-a'), { namespace: 'monitoring', labels: {} }, 10250)).toBe(false);
  });

  it('without services: no integration and no allowance', () => {
    const platform = awsPlatform({ environments: ['prod'] });
    const tenant = new TenantVCluster(awsMgmt(platform, { labels: secure }), 'team-a', { owners: Group.named('team-a') });
    expect((tenant._values() as any).integrations).toBeUndefined();
    expect(egressAdmits(policiesIn(platform.render(), 'clusters/mgmt/vcluster-team-a'), vcluster('vcluster-team-a'), metricsServer, 10250)).toBe(false);
  });
});
