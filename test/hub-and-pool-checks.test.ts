// Checks across hubs and on tenants' pools and Argo CDs: each management cluster's Argo CD host
// name is its own; a tenant's spot pool on AKS is tolerated; EKS networks are /16 or smaller; a
// tenant's dedicated Argo CD refuses Sso.entraId.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ApiAccess, ArgoCdUi, Catalog, FleetCluster, Group, ManagementCluster, Platform, renderApplications, Sso, TaintEffect, TenantVCluster,
} from '../src';
import { aksCloud, awsMgmt, awsPlatform, azureMgmt, azurePlatform, eksCloud, terraform } from './support/fixtures';
import { CACHE_DIR, chartToolsMissing, helmBinary, preparedCharts } from './support/helm';

const owners = Group.named('team-a');
const chartMissing = chartToolsMissing();
if (chartMissing) console.log(`skipping the vcluster chart rendering test: ${chartMissing}`);
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

describe('a tenant\'s spot node pool', () => {
  const SPOT_TOLERATION = { key: 'kubernetes.azure.com/scalesetpriority', operator: 'Equal', value: 'spot', effect: 'NoSchedule' };
  const TENANT_TOLERATION = { key: 'tenant', operator: 'Equal', value: 'team-a', effect: 'NoSchedule' };
  const tenantOn = (aws: boolean, spot: boolean) => {
    const platform = aws ? awsPlatform() : azurePlatform();
    const mgmt = aws ? awsMgmt(platform, { labels: secure }) : azureMgmt(platform, { labels: secure });
    const dev = new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: aws ? eksCloud('10.20.0.0/16') : aksCloud('10.20.0.0/16'), labels: secure });
    Catalog.externalSecrets(platform);
    const tenant = new TenantVCluster(dev, 'team-a', { owners, nodePool: { spot, minCount: 1, maxCount: 3 } });
    return { platform, tenant };
  };
  /** The vcluster values of the tenant's Application, as rendered. */
  const renderedValues = (files: Map<string, string>) => {
    const app = parse(files.get('clusters/mgmt/argocd/application-vcluster-team-a.yaml')!);
    return (app.spec.sources ?? [app.spec.source]).find((s: any) => s.helm)!.helm.valuesObject;
  };

  it('on AKS: the control plane and every synced pod tolerate the Spot taint, beside the tenant\'s', () => {
    const { platform } = tenantOn(false, true);
    const values = renderedValues(platform.render());
    expect(values.controlPlane.statefulSet.scheduling).toEqual({ nodeSelector: { tenant: 'team-a' }, tolerations: [TENANT_TOLERATION, SPOT_TOLERATION] });
    expect(values.sync.toHost.pods.enforceTolerations).toEqual(['tenant=team-a:NoSchedule', 'kubernetes.azure.com/scalesetpriority=spot:NoSchedule']);
  });

  it('on AKS: the Spot pool declares the label and taint AKS puts on its nodes (no perpetual diff)', () => {
    const { platform } = tenantOn(false, true);
    const pool = terraform(platform.render(), 'dev').resource.azurerm_kubernetes_cluster_node_pool['node-pool-tteama'];
    expect(pool).toMatchObject({
      priority: 'Spot', eviction_policy: 'Delete', spot_max_price: -1,
      node_labels: { 'tenant': 'team-a', 'kubernetes.azure.com/scalesetpriority': 'spot' },
      node_taints: ['tenant=team-a:NoSchedule', 'kubernetes.azure.com/scalesetpriority=spot:NoSchedule'],
    });
  });

  it('on AKS, a regular pool and a cluster\'s own pools: the Spot label and taint only on Spot pools, never twice', () => {
    const regular = tenantOn(false, false);
    const files = regular.platform.render();
    const values = renderedValues(files);
    expect(values.controlPlane.statefulSet.scheduling.tolerations).toEqual([TENANT_TOLERATION]);
    expect(values.sync.toHost.pods.enforceTolerations).toEqual(['tenant=team-a:NoSchedule']);
    const pool = terraform(files, 'dev').resource.azurerm_kubernetes_cluster_node_pool['node-pool-tteama'];
    expect(pool).toMatchObject({ priority: 'Regular', node_labels: { tenant: 'team-a' }, node_taints: ['tenant=team-a:NoSchedule'] });

    const platform = azurePlatform();
    azureMgmt(platform, {
      labels: secure,
      cloud: aksCloud('10.0.0.0/16', {
        apiAccess: ApiAccess.authorizedRanges(['203.0.113.0/24']),
        nodePools: [
          { name: 'general' },
          { name: 'spot', spot: true },
          { name: 'spotdeclared', spot: true, labels: { 'kubernetes.azure.com/scalesetpriority': 'spot' }, taints: [{ key: 'kubernetes.azure.com/scalesetpriority', value: 'spot', effect: TaintEffect.NO_SCHEDULE }] },
        ],
      }),
    });
    const pools = terraform(platform.render(), 'mgmt').resource.azurerm_kubernetes_cluster_node_pool;
    expect(pools['node-pool-general'].node_labels).toBeUndefined();
    expect(pools['node-pool-general'].node_taints).toBeUndefined();
    for (const name of ['spot', 'spotdeclared']) {
      expect(pools[`node-pool-${name}`].node_labels).toEqual({ 'kubernetes.azure.com/scalesetpriority': 'spot' });
      expect(pools[`node-pool-${name}`].node_taints).toEqual(['kubernetes.azure.com/scalesetpriority=spot:NoSchedule']);
    }
  });

  it('on EKS: spot nodes carry no taint, so nothing changes', () => {
    const { platform } = tenantOn(true, true);
    const files = platform.render();
    const values = renderedValues(files);
    expect(values.controlPlane.statefulSet.scheduling.tolerations).toEqual([TENANT_TOLERATION]);
    expect(values.sync.toHost.pods.enforceTolerations).toEqual(['tenant=team-a:NoSchedule']);
    const group = Object.values<any>(terraform(files, 'dev').resource.aws_eks_node_group).find((g) => g.labels?.tenant === 'team-a');
    expect(group).toMatchObject({ capacity_type: 'SPOT', taint: [{ key: 'tenant', value: 'team-a', effect: 'NO_SCHEDULE' }] });
  });

  describe.skipIf(chartMissing)('through the real helm and the vcluster chart', () => {
    it('the control plane StatefulSet tolerates the Spot taint on AKS', async () => {
      const { platform } = tenantOn(false, true);
      const c = preparedCharts();
      const [r] = await renderApplications(platform.render(), { helm: helmBinary(), chartsDir: c.chartsDir, standIns: c.standIns, cacheDir: CACHE_DIR, filter: (a) => a.name === 'vcluster-team-a' });
      const sts = r.objects.map((o) => o.object).find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'vcluster-team-a');
      expect(sts, 'the chart renders the StatefulSet').toBeDefined();
      expect(sts.spec.template.spec.tolerations).toEqual(expect.arrayContaining([SPOT_TOLERATION, TENANT_TOLERATION]));
      expect(sts.spec.template.spec.nodeSelector).toEqual({ tenant: 'team-a' });
    });
  });
});

describe('an EKS network range: a VPC of /16 or smaller', () => {
  it('refuses a range larger than /16 on EKS, naming the value and a /16 to use', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: secure });
    expect(() => new FleetCluster(mgmt, 'big', { environment: 'dev', cloud: eksCloud('10.64.0.0/12') })).toThrow(
      '[platform/mgmt/big] cloud.network.cidr: got "10.64.0.0/12". Allowed: on EKS a range of /16 to /20: the VPC takes the range, '
      + 'and AWS allows a VPC CIDR block of /16 (65,536 addresses) at most, so creating it would fail. Fix: use a /16 or a smaller range, e.g. "10.64.0.0/16".');
    expect(() => new ManagementCluster(awsPlatform(), 'mgmt', { cloud: eksCloud('10.0.0.0/8') })).toThrow(
      '[platform/mgmt] cloud.network.cidr: got "10.0.0.0/8". Allowed: on EKS a range of /16 to /20');
    expect(() => new FleetCluster(mgmt, 'wide', { environment: 'dev', cloud: eksCloud('10.32.0.0/15') })).toThrow('Fix: use a /16 or a smaller range, e.g. "10.32.0.0/16".');
  });

  it('accepts /16 to /20 on EKS, and a larger VNet on AKS', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: secure });
    new FleetCluster(mgmt, 'sixteen', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: secure });
    new FleetCluster(mgmt, 'twenty', { environment: 'dev', cloud: eksCloud('10.21.0.0/20'), labels: secure });
    new FleetCluster(mgmt, 'az', { environment: 'dev', cloud: aksCloud('10.32.0.0/12'), labels: secure });
    expect(errors(platform)).toEqual([]);
    const files = platform.render();
    expect(terraform(files, 'sixteen').resource.aws_vpc.vpc.cidr_block).toBe('10.20.0.0/16');
    expect(terraform(files, 'az').resource.azurerm_virtual_network.vnet.address_space).toEqual(['10.32.0.0/12']);
  });
});

describe('a tenant\'s dedicated Argo CD and Sso.entraId', () => {
  const entra = Sso.entraId({ tenantId: '00000000-0000-0000-0000-0000000000aa', clientId: '00000000-0000-0000-0000-0000000000cc' });
  const FIX = 'Fix: use Entra ID as a plain OIDC provider with PKCE, Sso.oidc({ name: "Entra ID", issuer: "https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000aa/v2.0", '
    + 'clientId: "00000000-0000-0000-0000-0000000000cc" }) (its app registration a public client).';

  it('refuses it on an AKS host: the virtual cluster\'s API server issues a token no federated credential names', () => {
    const platform = azurePlatform();
    const dev = new FleetCluster(azureMgmt(platform, { labels: secure }), 'dev', { environment: 'dev', cloud: aksCloud('10.20.0.0/16'), labels: secure });
    expect(() => new TenantVCluster(dev, 'team-a', { owners, argocd: { sso: entra } })).toThrow(
      '[platform/mgmt/dev/team-a] argocd.sso: got Sso.entraId (tenant "00000000-0000-0000-0000-0000000000aa", client "00000000-0000-0000-0000-0000000000cc") for the tenant\'s dedicated Argo CD. '
      + 'Allowed: Sso.oidc({...}): Sso.entraId signs Argo CD in to Entra ID with its server\'s service account token, which Entra ID trusts only through a federated credential for the issuer of that token; '
      + 'the dedicated Argo CD runs in the virtual cluster, whose own API server issues the token, and no federated credential exists for it, so nobody could log in. ' + FIX);
    // a tenant on the AKS management cluster too
    expect(() => new TenantVCluster(azureMgmt(azurePlatform()), 'team-b', { owners, argocd: { sso: entra } })).toThrow(/^\[platform\/mgmt\/team-b\] argocd\.sso: got Sso\.entraId .*no federated credential exists for it, so nobody could log in\. Fix: /);
  });

  it('refuses it on an EKS host, saying there is no workload identity webhook there', () => {
    const platform = awsPlatform();
    const dev = new FleetCluster(awsMgmt(platform, { labels: secure }), 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: secure });
    expect(() => new TenantVCluster(dev, 'team-a', { owners, argocd: { sso: entra } })).toThrow(
      'no federated credential exists for it (and the host "dev" is an EKS cluster, which runs no Azure workload identity webhook at all), so nobody could log in. ' + FIX);
  });

  it('the fix it names works: Entra ID through Sso.oidc, a public client with PKCE', () => {
    const platform = azurePlatform();
    const dev = new FleetCluster(azureMgmt(platform, { labels: secure }), 'dev', { environment: 'dev', cloud: aksCloud('10.20.0.0/16'), labels: secure });
    Catalog.externalSecrets(platform);
    new TenantVCluster(dev, 'team-a', {
      owners,
      argocd: { sso: Sso.oidc({ name: 'Entra ID', issuer: 'https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000aa/v2.0', clientId: '00000000-0000-0000-0000-0000000000cc' }) },
    });
    const app = parse(platform.render().get('clusters/mgmt/argocd/application-vcluster-team-a-argocd.yaml')!);
    const text = JSON.stringify(app);
    expect(text).toContain('enablePKCEAuthentication');
    expect(text).not.toContain('useWorkloadIdentity');
    expect(text).not.toContain('azure.workload.identity');
  });

  it('a management cluster on AKS still takes Sso.entraId', () => {
    const platform = azurePlatform();
    azureMgmt(platform, { labels: secure, argocd: { adminGroups: ['platform-admins'], sso: entra } });
    expect(errors(platform)).toEqual([]);
  });
});

describe('a tenant\'s dedicated Argo CD has a host of its own', () => {
  it('refuses the host of a management cluster\'s Argo CD or of another tenant\'s, naming whose it is', () => {
    const platform = awsPlatform();
    const hubA = awsMgmt(platform);
    new ManagementCluster(platform, 'hub-b', { cloud: eksCloud('10.30.0.0/16', { region: 'us-east-1' }), argocd: { hostname: 'argocd-hub-b.platform.acme.dev' } });
    // the default of tenant "hub-b" is the host the hub's message suggests for hub "hub-b"
    new TenantVCluster(hubA, 'hub-b', { owners: Group.named('team-b'), argocd: {} });
    new TenantVCluster(hubA, 'team-c', { owners: Group.named('team-c'), argocd: { hostname: 'argocd-shared.platform.acme.dev' } });
    new TenantVCluster(hubA, 'team-d', { owners: Group.named('team-d'), argocd: { hostname: 'argocd-shared.platform.acme.dev' } });
    expect(errors(platform).filter((m) => m.includes('dedicated Argo CD has the host'))).toEqual([
      '[platform/mgmt/hub-b] tenant "hub-b"\'s dedicated Argo CD has the host "argocd-hub-b.platform.acme.dev", which is the Argo CD host of management cluster "hub-b": '
      + 'both Argo CDs would name it as their url, so SSO would send one\'s logins back to the other. Fix: set argocd.hostname of the tenant to a host of its own.',
      '[platform/mgmt/team-d] tenant "team-d"\'s dedicated Argo CD has the host "argocd-shared.platform.acme.dev", which is the host of tenant "team-c"\'s dedicated Argo CD: '
      + 'both Argo CDs would name it as their url, so SSO would send one\'s logins back to the other. Fix: set argocd.hostname of the tenant to a host of its own.',
    ]);
  });
});
