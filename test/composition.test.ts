import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { Catalog, Group, IHostCluster, ITenantVCluster, NamespaceTenant, PlatformValidationError, TeamService, TenantVCluster } from '../src';
import { awsMgmt, awsPlatform } from './support/fixtures';
import { pinsRepo } from './support/pins';

const secure = { 'security-basic': 'enabled', 'core-basic': 'enabled' };
const PIN = { cluster: 'vc-team-a', imageTag: '1.4.2-aaaaaaa', targetRevision: 'a'.repeat(40) };

/** A construct of a user's own: a team's tenant and its service, given the host (relationships as props). */
class TeamEnvironment extends Construct {
  public readonly tenant: ITenantVCluster;
  constructor(scope: Construct, id: string, props: { host: IHostCluster; team: string; repositoryRoot: string }) {
    super(scope, id);
    const tenant = new TenantVCluster(this, 'tenant', { host: props.host, name: props.team, owners: Group.named(props.team) });
    new TeamService(this, 'checkout', { tenant, team: props.team, image: 'ghcr.io/acme/checkout', port: 8080, repositoryRoot: props.repositoryRoot });
    this.tenant = tenant;
  }
}

function declared(compose: boolean) {
  const platform = awsPlatform({ environments: ['prod'] });
  const mgmt = awsMgmt(platform, { labels: secure });
  Catalog.externalSecrets(platform);
  Catalog.gatewayApi(platform, { https: {} });
  Catalog.certManager(platform);
  const repositoryRoot = pinsRepo({ 'services/team-a/checkout/prod.json': PIN });
  if (compose) {
    const env = new TeamEnvironment(platform, 'team-a', { host: mgmt, team: 'team-a', repositoryRoot });
    return { platform, mgmt, tenant: env.tenant };
  }
  const tenant = new TenantVCluster(mgmt, 'team-a', { owners: Group.named('team-a') });
  new TeamService(tenant, 'checkout', { team: 'team-a', image: 'ghcr.io/acme/checkout', port: 8080, repositoryRoot });
  return { platform, mgmt, tenant };
}

describe('composing the platform through its interfaces', () => {
  it('a tenant given its host and a service given its tenant render the same repository as when declared inside them', () => {
    const inside = declared(false).platform.render();
    const composed = declared(true);
    const files = composed.platform.render();
    expect(composed.tenant.host).toBe(composed.mgmt);
    expect(composed.tenant.management).toBe(composed.mgmt);
    expect(composed.mgmt.tenants).toEqual([composed.tenant]);
    expect([...files.keys()]).toEqual([...inside.keys()]);
    // everything but the report, which names each construct by its path, is byte for byte the same
    const differing = [...files].filter(([f, text]) => inside.get(f) !== text).map(([f]) => f);
    expect(differing).toEqual(['PLATFORM.md', 'platform.json']);
    expect(files.get('tenants/team-a/services/checkout/deployment-checkout.yaml')).toContain('image: ghcr.io/acme/checkout:1.4.2-aaaaaaa');
    // rendering twice gives the same bytes
    expect(composed.platform.render()).toEqual(files);
  });

  it('a host or tenant that is not one of the platform is the library\'s error', () => {
    const { platform, mgmt, tenant } = declared(false);
    const other = declared(false);
    const msg = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(PlatformValidationError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(msg(() => new TenantVCluster(platform, 'x', { owners: Group.named('x') })))
      .toBe('[platform/x] scope: got "a Platform". Allowed: a ManagementCluster or FleetCluster. Fix: declare the tenant inside its host cluster, or pass the host as the host prop.');
    expect(msg(() => new TenantVCluster(platform, 'y', { owners: Group.named('y'), host: tenant as unknown as IHostCluster })))
      .toBe('[platform/y] host: got "a TenantVCluster". Allowed: a ManagementCluster or FleetCluster of this platform. Fix: pass the cluster the tenant runs on.');
    expect(msg(() => new TenantVCluster(platform, 'z', { owners: Group.named('z'), host: other.mgmt })))
      .toBe('[platform/z] host: got "platform/mgmt". Allowed: a cluster of the platform the tenant is declared in. Fix: declare the tenant in the host\'s platform.');
    expect(msg(() => new NamespaceTenant(platform, 'w', { owners: Group.named('w'), host: other.mgmt })))
      .toBe('[platform/w] host: got "platform/mgmt". Allowed: a cluster of the platform the tenant is declared in. Fix: declare the tenant in the host\'s platform.');
    expect(msg(() => new TeamService(platform, 's', { tenant: other.tenant, image: 'ghcr.io/acme/s', port: 8080 })))
      .toBe('[platform/s] tenant: got "platform/mgmt/team-a". Allowed: a tenant of the platform the service is declared in. Fix: declare the service in the tenant\'s platform.');
    // a second tenant of one name on one host, wherever it is declared
    expect(msg(() => new TenantVCluster(platform, 'again', { owners: Group.named('a'), name: 'team-a', host: mgmt })))
      .toBe('[platform/again] duplicate tenant name "team-a": also declared at platform/mgmt/team-a. Fix: give each tenant a unique name.');
  });
});
