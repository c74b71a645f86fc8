// Checks across hubs and on tenants' pools and Argo CDs: each management cluster's Argo CD host
// name is its own; a tenant's spot pool on AKS is tolerated; EKS networks are /16 or smaller; a
// tenant's dedicated Argo CD refuses Sso.entraId.
import { describe, expect, it } from 'vitest';
import {
  ApiAccess, ArgoCdUi, FleetCluster, Group, ManagementCluster, Platform, TenantVCluster,
} from '../src';
import { awsMgmt, awsPlatform, eksCloud } from './support/fixtures';

const owners = Group.named('team-a');
const secure = { 'security-basic': 'enabled' };

/** The messages of what validate() finds, errors only. */
const errors = (p: Platform) => p.validate().filter((x) => x.severity !== 'warning').map((x) => `[${x.path}] ${x.message}`);

/** A second EKS hub of the platform (awsMgmt's is "mgmt"). */
const hub = (platform: Platform, id: string, cidr: string, hostname?: string, ui = false) => new ManagementCluster(platform, id, {
  cloud: eksCloud(cidr, { apiAccess: ApiAccess.private() }),
  labels: secure,
  argocd: { adminGroups: ['platform-admins'], ...(hostname ? { hostname } : {}), ...(ui ? { ui: ArgoCdUi.gateway() } : {}) },
});

/** The `url` of a hub's Argo CD (argocd-cm, as the chart values set it). */
const argocdUrl = (m: ManagementCluster) => ((m.argoCdValues.configs as any).cm.url as string);

describe('each management cluster\'s Argo CD has a host name of its own', () => {
  it('refuses two hubs on the default host, naming both hubs, the host and the fix', () => {
    const platform = awsPlatform();
    awsMgmt(platform, { labels: secure });
    hub(platform, 'hub-b', '10.11.0.0/16');
    expect(errors(platform)).toEqual([
      '[platform/hub-b] argocd.hostname: got "argocd.platform.acme.dev". Allowed: a host name no other management cluster\'s Argo CD has: '
      + 'management cluster "mgmt" (platform/mgmt) has it too (the default, argocd.<platform domain>), so both hubs\' Argo CD would send SSO logins back to the same URL, '
      + 'and with ArgoCdUi.gateway() both would claim the host with a ListenerSet, HTTPRoute and certificate while external-dns (its own record owner on each cluster) '
      + 'publishes the record for only one of them. Fix: set argocd.hostname of management cluster "hub-b" (platform/hub-b) to a host of its own, e.g. "argocd-hub-b.platform.acme.dev".',
    ]);
  });

  it('refuses an explicit host name another hub has, reporting each clash once on the later hub', () => {
    const platform = awsPlatform();
    awsMgmt(platform, { labels: secure, argocd: { adminGroups: ['platform-admins'], hostname: 'cd.acme.dev' } });
    hub(platform, 'hub-b', '10.11.0.0/16', 'cd.acme.dev', true);
    hub(platform, 'hub-c', '10.12.0.0/16', 'cd.acme.dev');
    expect(errors(platform).filter((m) => m.includes('argocd.hostname'))).toEqual([
      expect.stringMatching(/^\[platform\/hub-b\] argocd\.hostname: got "cd\.acme\.dev"\. .*management cluster "mgmt" \(platform\/mgmt\) has it too, so .*Fix: set argocd\.hostname of management cluster "hub-b" \(platform\/hub-b\) to a host of its own, e\.g\. "argocd-hub-b\.platform\.acme\.dev"\.$/),
      expect.stringMatching(/^\[platform\/hub-c\] argocd\.hostname: got "cd\.acme\.dev"\. .*management cluster "mgmt" \(platform\/mgmt\) has it too, so /),
    ]);
    expect(() => platform.render()).toThrow('[platform/hub-b] argocd.hostname: got "cd.acme.dev"');
  });

  it('accepts hubs with their own host names: each Argo CD\'s url and UI route name its own host', () => {
    const platform = awsPlatform();
    const a = hub(platform, 'hub-a', '10.10.0.0/16', undefined, true);
    const b = hub(platform, 'hub-b', '10.11.0.0/16', 'argocd-hub-b.platform.acme.dev', true);
    expect(errors(platform).filter((m) => m.includes('argocd.hostname'))).toEqual([]);
    expect(argocdUrl(a)).toBe('https://argocd.platform.acme.dev');
    expect(argocdUrl(b)).toBe('https://argocd-hub-b.platform.acme.dev');
  });

  it('keeps the default host name of a single hub', () => {
    const platform = awsPlatform();
    const m = awsMgmt(platform, { labels: secure });
    expect(m._argocdHostname).toBe('argocd.platform.acme.dev');
    expect(argocdUrl(m)).toBe('https://argocd.platform.acme.dev');
    expect(errors(platform)).toEqual([]);
  });

  it('the tenant API host rule sees every hub\'s Argo CD host', () => {
    const platform = awsPlatform();
    const a = awsMgmt(platform, { labels: secure, argocd: { adminGroups: ['platform-admins'], ui: ArgoCdUi.gateway() } });
    const b = hub(platform, 'hub-b', '10.11.0.0/16', 'argocd-hub-b.platform.acme.dev', true);
    const dev = new FleetCluster(b, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: secure });
    new TenantVCluster(a, 'argocd', { owners });
    new TenantVCluster(dev, 'argocd-hub-b', { owners });
    new TenantVCluster(dev, 'team-a', { owners });
    expect(errors(platform).filter((m) => m.includes('serves its virtual cluster'))).toEqual([
      '[platform/mgmt/argocd] tenant "argocd" serves its virtual cluster\'s API at "argocd.platform.acme.dev", which is the Argo CD host of management cluster "mgmt": DNS and the Gateway would send one name to two services, and Argo CD would dial the wrong one. Fix: rename the tenant, or give the other one another hostname.',
      '[platform/hub-b/dev/argocd-hub-b] tenant "argocd-hub-b" serves its virtual cluster\'s API at "argocd-hub-b.platform.acme.dev", which is the Argo CD host of management cluster "hub-b": DNS and the Gateway would send one name to two services, and Argo CD would dial the wrong one. Fix: rename the tenant, or give the other one another hostname.',
    ]);
  });
});
