// What every cluster gets on day one so that the first `terraform apply` and Argo CD sync
// come up: a user pool on AKS, and a wait for the runner's role to take effect before the
// bootstrap uses it; on EKS the managed add-ons, a default StorageClass and NAT.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ApiAccess, Catalog, Cloud, FleetCluster, Group, ManagementCluster, NamespaceTenant, NatGatewayMode, Platform, TaintEffect, TenantVCluster } from '../src';
import { StarterCloud } from '../src/starter/starter';
import { AKS_SUPPORT, EKS_SUPPORT, SUPPORTED_KUBERNETES_VERSIONS } from '../src/model/kubernetes-version';
import { AKS_RBAC_PROPAGATION } from '../src/terraform/aks';
import { EKS_ADDON_BUILDS, EKS_ADDONS } from '../src/terraform/eks-addons';
import { aksCloud, awsMgmt, awsPlatform, azureMgmt, azurePlatform, eksCloud, terraform } from './support/fixtures';
import { aksHubWithEksFleets, mixedPlatform, renderExample, renderStarter, statesOf } from './support/platforms';
import { blocksOf, dependencyGraph, durationSeconds, referencedBlocks, waitsFor } from './support/terraform-graph';

describe('AKS: a pool for workloads', () => {
  it('gets an autoscaling user pool by default, beside the system pool that runs critical add-ons only', () => {
    const mgmt = new ManagementCluster(azurePlatform(), 'mgmt', { cloud: aksCloud() });
    const tf = terraform(mgmt.platform.render(), 'mgmt');
    expect(tf.resource.azurerm_kubernetes_cluster.cluster.default_node_pool).toMatchObject({ name: 'system', only_critical_addons_enabled: true });
    expect(tf.resource.azurerm_kubernetes_cluster_node_pool).toEqual({
      'node-pool-user': expect.objectContaining({
        name: 'user', mode: 'User', auto_scaling_enabled: true, min_count: 2, max_count: 10, vm_size: 'Standard_D4ds_v5', zones: ['1', '2', '3'], priority: 'Regular',
      }),
    });
  });

  it('puts every pool on the cluster\'s Kubernetes minor, so a version bump upgrades the pools with the control plane (azurerm upgrades only the control plane otherwise)', () => {
    const mgmt = new ManagementCluster(azurePlatform(), 'mgmt', { cloud: aksCloud('10.0.0.0/16', { nodePools: [{ name: 'user' }, { name: 'batch', spot: true }] }) });
    Catalog.externalSecrets(mgmt.platform);
    new TenantVCluster(new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: aksCloud('10.20.0.0/16'), labels: { 'security-basic': 'enabled' } }), 'team-a', { owners: Group.named('team-a'), nodePool: { minCount: 1 } });
    const files = mgmt.platform.render();
    for (const name of ['mgmt', 'dev']) {
      const tf = terraform(files, name);
      const cluster = tf.resource.azurerm_kubernetes_cluster.cluster;
      expect([name, cluster.default_node_pool.orchestrator_version]).toEqual([name, cluster.kubernetes_version]);
      for (const [id, pool] of Object.entries<any>(tf.resource.azurerm_kubernetes_cluster_node_pool)) expect([id, pool.orchestrator_version]).toEqual([id, '1.35']);
    }
    expect(Object.keys(terraform(files, 'dev').resource.azurerm_kubernetes_cluster_node_pool)).toEqual(['node-pool-user', 'node-pool-tteama']);
  });

  it('declares the surge of every regular pool (AKS sets 10% on one without, which azurerm reads back into a block it does not compute: a change on every plan), none on a Spot pool (AKS refuses it)', () => {
    const mgmt = new ManagementCluster(azurePlatform(), 'mgmt', { cloud: aksCloud('10.0.0.0/16', { nodePools: [{ name: 'user' }, { name: 'batch', spot: true }] }) });
    Catalog.externalSecrets(mgmt.platform);
    new TenantVCluster(new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: aksCloud('10.20.0.0/16'), labels: { 'security-basic': 'enabled' } }), 'team-a', { owners: Group.named('team-a'), nodePool: {} });
    const files = mgmt.platform.render();
    const surges = (name: string) => {
      const tf = terraform(files, name);
      return [tf.resource.azurerm_kubernetes_cluster.cluster.default_node_pool, ...Object.values<any>(tf.resource.azurerm_kubernetes_cluster_node_pool)]
        .map((pool) => [pool.name, pool.priority ?? 'Regular', pool.upgrade_settings?.max_surge]);
    };
    expect(surges('mgmt')).toEqual([['system', 'Regular', '33%'], ['user', 'Regular', '33%'], ['batch', 'Spot', undefined]]);
    expect(surges('dev')).toEqual([['system', 'Regular', '33%'], ['user', 'Regular', '33%'], ['tteama', 'Regular', '33%']]);
  });

  it('gives every pool a temporary name, so that a new VM size or zones cycles it (azurerm refuses the change without one), unique among pools and other temporary names', () => {
    // 'usertmp' is taken by a pool: the 'user' pool's temporary name takes a digit
    const mgmt = new ManagementCluster(azurePlatform(), 'mgmt', { cloud: aksCloud('10.0.0.0/16', { nodePools: [{ name: 'user' }, { name: 'usertmp' }] }) });
    Catalog.externalSecrets(mgmt.platform);
    const dev = new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: aksCloud('10.20.0.0/16', { nodePools: [{ name: 'apps' }] }), labels: { 'security-basic': 'enabled' } });
    // a tenant's pool named like another pool's temporary name, added after it: the other one is renamed
    new TenantVCluster(dev, 'appstmp', { owners: Group.named('team-a'), nodePool: {} });
    new TenantVCluster(dev, 'apps', { owners: Group.named('team-b'), nodePool: {} });
    const files = mgmt.platform.render();
    const rotations = (name: string) => {
      const tf = terraform(files, name);
      return [tf.resource.azurerm_kubernetes_cluster.cluster.default_node_pool, ...Object.values<any>(tf.resource.azurerm_kubernetes_cluster_node_pool)]
        .map((pool) => [pool.name, pool.temporary_name_for_rotation]);
    };
    expect(rotations('mgmt')).toEqual([['system', 'systemtmp'], ['user', 'usertmp0'], ['usertmp', 'usertmptmp']]);
    const dev2 = rotations('dev');
    expect(dev2).toEqual([['system', 'systemtmp'], ['apps', 'appstmp'], ['tappstmp', 'tappstmptmp'], ['tapps', 'tappstmp0']]);
    const names = dev2.flat();
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9]{0,11}$/);
  });

  it('holds AKS\'s own upgrades (Kubernetes patches, node images) to a declared weekly window; without one AKS upgrades at any time', () => {
    const at = (maintenanceWindow?: Parameters<typeof Cloud.aks>[0]['maintenanceWindow']) =>
      terraform(new ManagementCluster(azurePlatform(), 'mgmt', { cloud: aksCloud('10.0.0.0/16', maintenanceWindow ? { maintenanceWindow } : {}) }).platform.render(), 'mgmt').resource.azurerm_kubernetes_cluster.cluster;
    const cluster = at({ dayOfWeek: 'Sunday', startTime: '02:00', utcOffset: '+01:00' });
    expect([cluster.automatic_upgrade_channel, cluster.node_os_upgrade_channel]).toEqual(['patch', 'NodeImage']);
    const window = { frequency: 'Weekly', interval: 1, day_of_week: 'Sunday', start_time: '02:00', duration: 4, utc_offset: '+01:00' };
    expect([cluster.maintenance_window_auto_upgrade, cluster.maintenance_window_node_os]).toEqual([window, window]);
    const none = at();
    expect([none.maintenance_window_auto_upgrade, none.maintenance_window_node_os]).toEqual([undefined, undefined]);
    const refused = (w: unknown) => () => at(w as never);
    expect(refused({ dayOfWeek: 'sunday', startTime: '02:00' })).toThrow('[platform/mgmt] cloud.maintenanceWindow.dayOfWeek: got "sunday". Allowed: Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday. Fix: name the day as AKS does, e.g. "Sunday".');
    expect(refused({ dayOfWeek: 'Sunday', startTime: '2:00' })).toThrow('cloud.maintenanceWindow.startTime: got "2:00".');
    expect(refused({ dayOfWeek: 'Sunday', startTime: '02:00', durationHours: 2 })).toThrow('cloud.maintenanceWindow.durationHours: got 2. Allowed: a whole number of hours from 4 to 24 (AKS\'s bounds).');
    expect(refused({ dayOfWeek: 'Sunday', startTime: '02:00', utcOffset: '1:00' })).toThrow('cloud.maintenanceWindow.utcOffset: got "1:00".');
  });

  it('installs Argo CD only after the runner\'s cluster-admin role and the user pool exist (no race with the pods it waits for)', () => {
    const mgmt = new ManagementCluster(azurePlatform(), 'mgmt', { cloud: aksCloud() });
    const tf = terraform(mgmt.platform.render(), 'mgmt');
    // the role through the wait for it to take effect (next describe)
    expect(tf.resource.helm_release.argocd.depends_on).toEqual(['time_sleep.terraform-cluster-admin-propagation', 'azurerm_kubernetes_cluster_node_pool.node-pool-user']);
    expect(tf.resource.helm_release['argocd-apps'].depends_on).toEqual(['helm_release.argocd']);
    expect(tf.resource.kubernetes_namespace_v1['external-secrets-namespace'].depends_on).toContain('time_sleep.terraform-cluster-admin-propagation');
  });

  it('takes the declared pools instead of the default one', () => {
    const mgmt = new ManagementCluster(azurePlatform(), 'mgmt', { cloud: aksCloud('10.0.0.0/16', { nodePools: [{ name: 'apps', minCount: 3 }] }) });
    expect(Object.keys(terraform(mgmt.platform.render(), 'mgmt').resource.azurerm_kubernetes_cluster_node_pool)).toEqual(['node-pool-apps']);
  });

  const refusal = (names: string) => `[platform/mgmt] cloud.nodePools: got ${names}. Allowed: at least one pool without NoSchedule/NoExecute taints and not spot `
    + '(the system pool runs critical add-ons only, so Argo CD and every add-on would stay Pending). '
    + 'Fix: add an untainted on-demand pool, e.g. { name: \'user\', minCount: 2, maxCount: 10 }, or leave nodePools unset for the default user pool.';

  it('spans zones 1-3 where the location has availability zones, none where it has not (AKS refuses them there), or the declared ones', () => {
    const zonesOf = (location: string, availabilityZones?: string[]) => {
      const mgmt = new ManagementCluster(azurePlatform(), 'mgmt', { cloud: Cloud.aks({ location, kubernetesVersion: '1.33', network: { cidr: '10.0.0.0/16' }, ...(availabilityZones ? { availabilityZones } : {}) }) });
      const tf = terraform(mgmt.platform.render(), 'mgmt');
      return [tf.resource.azurerm_kubernetes_cluster.cluster.default_node_pool.zones, tf.resource.azurerm_kubernetes_cluster_node_pool['node-pool-user'].zones];
    };
    expect(zonesOf('westeurope')).toEqual([['1', '2', '3'], ['1', '2', '3']]);
    // Microsoft's list of regions gives West US and North Central US no availability zones
    expect(zonesOf('westus')).toEqual([undefined, undefined]);
    expect(zonesOf('northcentralus')).toEqual([undefined, undefined]);
    expect(zonesOf('westeurope', [])).toEqual([undefined, undefined]);
    expect(zonesOf('westus', ['1', '2'])).toEqual([['1', '2'], ['1', '2']]);
    expect(() => zonesOf('westeurope', ['1', '1'])).toThrow('[platform/mgmt] cloud.availabilityZones: got ["1","1"]. Allowed: a list of distinct zone numbers such as ["1", "2", "3"], or [] for regional pools.');
    expect(() => zonesOf('westeurope', ['zone-1'])).toThrow('cloud.availabilityZones: got ["zone-1"]');
  });

  it('refuses a resource group another AKS cluster\'s state creates (Azure compares names case-insensitively), on the later cluster', () => {
    const platform = azurePlatform();
    const mgmt = azureMgmt(platform);
    new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: aksCloud('10.20.0.0/16', { resourceGroupName: 'rg-platform' }) });
    new FleetCluster(mgmt, 'staging', { environment: 'staging', cloud: aksCloud('10.21.0.0/16', { resourceGroupName: 'RG-Platform' }) });
    // an explicit name equal to another cluster's default one
    new FleetCluster(mgmt, 'prod', { environment: 'prod', cloud: aksCloud('10.22.0.0/16', { resourceGroupName: 'rg-mgmt' }) });
    // the defaults (rg-<cluster>) never meet
    new FleetCluster(mgmt, 'prod-2', { environment: 'prod', cloud: aksCloud('10.23.0.0/16') });
    expect(platform.validate().filter((p) => p.message.includes('resourceGroupName')).map((p) => `[${p.path}] ${p.message}`)).toEqual([
      '[platform/mgmt/staging] cloud.resourceGroupName: got "RG-Platform", which is also the resource group of cluster "dev" (platform/mgmt/dev). Allowed: a resource group of this cluster\'s own: '
        + 'each AKS cluster\'s Terraform state creates its resource group, so the second apply would fail ("a resource with the ID ... already exists"). '
        + 'Fix: give each AKS cluster its own resourceGroupName, or leave it out for "rg-<cluster>".',
      '[platform/mgmt/prod] cloud.resourceGroupName: got "rg-mgmt", which is also the resource group of cluster "mgmt" (platform/mgmt). Allowed: a resource group of this cluster\'s own: '
        + 'each AKS cluster\'s Terraform state creates its resource group, so the second apply would fail ("a resource with the ID ... already exists"). '
        + 'Fix: give each AKS cluster its own resourceGroupName, or leave it out for "rg-<cluster>".',
    ]);
  });

  it('refuses pool sets that leave ordinary workloads unschedulable: none, spot only, tainted only', () => {
    const make = (nodePools: any[]) => () => new ManagementCluster(azurePlatform(), 'mgmt', { cloud: aksCloud('10.0.0.0/16', { nodePools }) });
    expect(make([])).toThrow(refusal('[]'));
    expect(make([{ name: 'spot', spot: true }])).toThrow(refusal('["spot"]'));
    expect(make([{ name: 'gpu', taints: [{ key: 'gpu', value: 'true', effect: TaintEffect.NO_SCHEDULE }] }, { name: 'evict', taints: [{ key: 'x', value: 'y', effect: TaintEffect.NO_EXECUTE }] }]))
      .toThrow(refusal('["gpu","evict"]'));
    // a PreferNoSchedule taint still takes workloads
    expect(make([{ name: 'soft', taints: [{ key: 'x', value: 'y', effect: TaintEffect.PREFER_NO_SCHEDULE }] }])).not.toThrow();
  });
});

describe('AKS: what a state creates through the cluster\'s API waits until the runner\'s role has taken effect', () => {
  // Microsoft's AKS docs: "New role assignments can take up to five minutes to propagate and be
  // updated by the authorization server" (https://learn.microsoft.com/en-us/azure/aks/manage-azure-rbac)
  const DOCUMENTED_SECONDS = 5 * 60;
  const ADMIN = 'azurerm_role_assignment.terraform-cluster-admin';
  const aks: [string, any][] = [];

  beforeAll(async () => {
    const add = (platform: string, files: Map<string, string> | Record<string, string>) => {
      for (const [cluster, state] of statesOf(files)) if (state.resource?.azurerm_kubernetes_cluster) aks.push([`${platform}/${cluster}`, state]);
    };
    add('examples/azure', await renderExample('azure'));
    add('examples/aws', await renderExample('aws'));
    add('starter-azure', await renderStarter(StarterCloud.AZURE));
    add('mixed', mixedPlatform().render());
    add('aks-hub-two-eks', aksHubWithEksFleets().render());
    // a private platform repository: the management state also creates Argo CD's repository Secret
    add('private-repository', azureMgmt(azurePlatform({ repository: { url: 'https://github.com/acme/platform-gitops.git', credentialsKey: 'git-platform' } })).platform.render());
  }, 120_000);

  /** The time_sleep blocks of a state whose triggers reference the runner's role assignment. */
  const keyedSleeps = (state: any): Set<string> => {
    const blocks = blocksOf(state);
    return new Set([...blocks].filter(([a, body]) => a.startsWith('time_sleep.') && referencedBlocks(body.triggers ?? {}, new Set([ADMIN])).has(ADMIN)).map(([a]) => a));
  };

  it('in every AKS state, each kubernetes_* and helm_release resource reaches the runner\'s role assignment only through a time_sleep keyed to it', () => {
    const checked: string[] = [];
    for (const [label, state] of aks) {
      const graph = dependencyGraph(state);
      const sleeps = keyedSleeps(state);
      for (const a of blocksOf(state).keys()) {
        if (!/^(kubernetes_[a-z0-9_]+|helm_release)\./.test(a)) continue;
        checked.push(`${label}: ${a}`);
        expect(waitsFor(graph, a, ADMIN), `${label}: ${a} waits for ${ADMIN}`).toBe(true);
        expect(waitsFor(graph, a, ADMIN, (b) => sleeps.has(b)), `${label}: ${a} reaches ${ADMIN} past the wait`).toBe(false);
      }
    }
    // both releases, the namespace and service account, the repository Secret; in every AKS management state
    expect(checked).toEqual(expect.arrayContaining([
      'examples/azure/mgmt: helm_release.argocd', 'examples/azure/mgmt: helm_release.argocd-apps',
      'examples/azure/mgmt: kubernetes_namespace_v1.external-secrets-namespace', 'examples/azure/mgmt: kubernetes_service_account_v1.external-secrets-service-account',
      'private-repository/mgmt: kubernetes_secret_v1.platform-repository-secret', 'starter-azure/mgmt: helm_release.argocd',
      'mixed/cockpit-aks: helm_release.argocd', 'aks-hub-two-eks/hub: helm_release.argocd',
    ]));
  });

  it('waits at least the documented propagation time, once per assignment (a replaced assignment waits again)', () => {
    expect(AKS_RBAC_PROPAGATION.toSeconds()).toBeGreaterThanOrEqual(DOCUMENTED_SECONDS);
    const management = aks.filter(([, state]) => state.resource.helm_release);
    expect(management.map(([label]) => label)).toEqual(expect.arrayContaining(['examples/azure/mgmt', 'starter-azure/mgmt', 'mixed/cockpit-aks', 'aks-hub-two-eks/hub', 'private-repository/mgmt']));
    for (const [label, state] of management) {
      expect([...keyedSleeps(state)], label).toEqual(['time_sleep.terraform-cluster-admin-propagation']);
      const sleep = state.resource.time_sleep['terraform-cluster-admin-propagation'];
      expect(durationSeconds(sleep.create_duration), label).toBeGreaterThanOrEqual(DOCUMENTED_SECONDS);
      // the id changes when the assignment is replaced (a new cluster): the sleep is replaced and waits again
      expect(sleep.triggers, label).toEqual({ role_assignment_id: `\${${ADMIN}.id}` });
      expect(sleep.destroy_duration, label).toBeUndefined();
    }
  });

  it('pins hashicorp/time exactly, the release the binding package wraps', () => {
    const binding = JSON.parse(fs.readFileSync(require.resolve('@cdktf/provider-time/package.json'), 'utf8'));
    const [, state] = aks.find(([label]) => label === 'examples/azure/mgmt')!;
    expect(state.terraform.required_providers.time).toEqual({ source: 'hashicorp/time', version: binding.cdktf.provider.version });
    expect(binding.cdktf.provider.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(state.provider.time).toEqual([{}]);
  });

  it('a fleet AKS state creates nothing through its cluster\'s API, so it has no wait (nor the time provider)', () => {
    const fleets = aks.filter(([, state]) => !state.resource.helm_release);
    expect(fleets.map(([label]) => label)).toEqual(expect.arrayContaining(['examples/azure/dev-eu', 'examples/aws/prod-azure', 'mixed/aks-of-aks', 'mixed/aks-of-eks']));
    for (const [label, state] of fleets) {
      expect(Object.keys(state.resource).filter((t) => /^(kubernetes_|helm_|time_)/.test(t)), label).toEqual([]);
      expect(state.terraform.required_providers.time, label).toBeUndefined();
    }
  });
});

describe('EKS: managed add-ons, a default StorageClass, NAT', () => {
  const render = () => {
    const mgmt = awsMgmt();
    // 1.33: a minor the library pins builds for
    const dev = new FleetCluster(mgmt, 'dev-1', { environment: 'dev', cloud: eksCloud('10.20.0.0/16', { kubernetesVersion: '1.33' }) });
    const prod = new FleetCluster(mgmt, 'prod-1', { environment: 'prod', cloud: eksCloud('10.30.0.0/16', { kubernetesVersion: '1.33' }) });
    return { mgmt, dev, prod, files: mgmt.platform.render() };
  };

  it('installs VPC CNI (network policy on), kube-proxy, CoreDNS, the Pod Identity agent and the EBS CSI driver, each at an exact build for the cluster\'s Kubernetes minor', () => {
    const tf = terraform(render().files, 'dev-1');
    const addons = tf.resource.aws_eks_addon;
    expect(Object.values(addons).map((a: any) => a.addon_name)).toEqual(['vpc-cni', 'kube-proxy', 'coredns', 'eks-pod-identity-agent', 'aws-ebs-csi-driver']);
    // 1.33: the builds AWS publishes for it, literal in the state (a plan changes them only with Git)
    expect(Object.fromEntries(Object.values<any>(addons).map((a) => [a.addon_name, a.addon_version]))).toEqual({
      'vpc-cni': 'v1.20.1-eksbuild.3',
      'kube-proxy': 'v1.33.3-eksbuild.6',
      'coredns': 'v1.12.3-eksbuild.1',
      'eks-pod-identity-agent': 'v1.3.8-eksbuild.2',
      'aws-ebs-csi-driver': 'v1.48.0-eksbuild.2',
    });
    expect(tf.data.aws_eks_addon_version).toBeUndefined();
    for (const [id, a] of Object.entries<any>(addons)) {
      expect(a.cluster_name).toBe('${aws_eks_cluster.cluster.name}');
      expect([id, a.resolve_conflicts_on_create]).toEqual([id, 'OVERWRITE']);
    }
    expect(JSON.parse(addons['addon-vpc-cni'].configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
    // the Deployments need nodes, the EBS driver's credentials need the agent
    expect(addons['addon-coredns'].depends_on).toEqual(['aws_eks_node_group.system-node-group']);
    expect(addons['addon-aws-ebs-csi-driver'].depends_on).toEqual(['aws_eks_node_group.system-node-group', 'aws_eks_addon.pod-identity-agent']);
    // every node group waits on the CNI, so `terraform destroy` removes the nodes before it (the other
    // way round, their network interfaces leak and the subnets cannot be deleted)
    const groups = Object.values<any>(tf.resource.aws_eks_node_group);
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) expect(g.depends_on).toContain('aws_eks_addon.addon-vpc-cni');
    expect(addons['addon-vpc-cni'].depends_on).toBeUndefined();
  });

  it('replaces a node group new-before-old: a name prefix and create_before_destroy, so a new instance type or spot brings the new nodes up before the old group drains', () => {
    const mgmt = awsMgmt();
    const dev = new FleetCluster(mgmt, 'dev-1', { environment: 'dev', cloud: eksCloud('10.20.0.0/16', { nodePools: [{ name: 'batch', spot: true }] }), labels: { 'security-basic': 'enabled' } });
    Catalog.externalSecrets(mgmt.platform);
    new TenantVCluster(dev, 'team-a', { owners: Group.named('team-a'), nodePool: {} });
    const groups = terraform(mgmt.platform.render(), 'dev-1').resource.aws_eks_node_group;
    expect(Object.fromEntries(Object.entries<any>(groups).map(([id, g]) => [id, [g.node_group_name, g.node_group_name_prefix, g.lifecycle]]))).toEqual(Object.fromEntries(
      [['system-node-group', 'system'], ['node-group-batch', 'batch'], ['node-group-tteama', 'tteama']]
        .map(([id, pool]) => [id, [undefined, `${pool}-`, { create_before_destroy: true, ignore_changes: ['scaling_config[0].desired_size'] }]]),
    ));
  });

  it('every build of the table is an EKS add-on version of its own minor (kube-proxy follows the Kubernetes minor)', () => {
    for (const [minor, builds] of Object.entries(EKS_ADDON_BUILDS)) {
      expect(Object.keys(builds)).toEqual([...EKS_ADDONS]);
      for (const v of Object.values(builds)) expect(v).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
      expect(builds['kube-proxy'].startsWith(`v${minor}.`)).toBe(true);
    }
    // the day-one page lists the same builds
    const page = fs.readFileSync(path.join(__dirname, '..', 'docs', 'day-one.md'), 'utf8');
    for (const [name, version] of Object.entries(EKS_ADDON_BUILDS['1.33'])) expect(page).toContain(`| \`${name}\` | \`${version}\` |`);
  });

  it('on a minor the library lists no builds for, takes AWS\'s default build for it, looked up at plan time (not the latest)', () => {
    const mgmt = new ManagementCluster(awsPlatform(), 'mgmt', { cloud: eksCloud('10.10.0.0/16', { kubernetesVersion: '1.34' }) });
    const tf = terraform(mgmt.platform.render(), 'mgmt');
    expect(EKS_ADDON_BUILDS['1.34']).toBeUndefined();
    for (const a of Object.values<any>(tf.resource.aws_eks_addon)) {
      expect(a.addon_version).toBe(`\${data.aws_eks_addon_version.addon-version-${a.addon_name}.version}`);
      expect(tf.data.aws_eks_addon_version[`addon-version-${a.addon_name}`]).toEqual(expect.objectContaining({ addon_name: a.addon_name, kubernetes_version: '1.34', most_recent: false }));
    }
  });

  it('installs Argo CD on an EKS management cluster only after its nodes, managed add-ons, (private endpoint) the API\'s opening to the VPC and its own Pod Identity associations', () => {
    const tf = terraform(render().files, 'mgmt');
    // EKS gives a pod its credentials when it is created: a controller started before its association reaches no EKS fleet
    expect(tf.resource.helm_release.argocd.depends_on).toEqual([
      'aws_eks_node_group.system-node-group', 'aws_eks_addon.addon-vpc-cni', 'aws_eks_addon.addon-kube-proxy', 'aws_eks_addon.addon-coredns', 'aws_eks_addon.pod-identity-agent', 'aws_eks_addon.addon-aws-ebs-csi-driver',
      'aws_vpc_security_group_ingress_rule.api-ingress-0',
      'aws_eks_pod_identity_association.argocd-pod-identity-argocd-application-controller', 'aws_eks_pod_identity_association.argocd-pod-identity-argocd-server',
    ]);
    for (const a of ['argocd-application-controller', 'argocd-server']) {
      expect(tf.resource.aws_eks_pod_identity_association[`argocd-pod-identity-${a}`]).toEqual(expect.objectContaining({ namespace: 'argocd', service_account: a }));
    }
  });

  it('gives the EBS CSI driver its own Pod Identity role with the AWS managed driver policy', () => {
    const tf = terraform(render().files, 'dev-1');
    expect(tf.resource.aws_eks_addon['addon-aws-ebs-csi-driver'].pod_identity_association).toEqual([{ role_arn: '${aws_iam_role.ebs-csi-role.arn}', service_account: 'ebs-csi-controller-sa' }]);
    const role = tf.resource.aws_iam_role['ebs-csi-role'];
    expect(role.name).toBe('eks-dev-1-ebs-csi');
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
    expect(tf.resource.aws_iam_role_policy_attachment['ebs-csi-role-policy']).toEqual(expect.objectContaining({
      role: '${aws_iam_role.ebs-csi-role.name}', policy_arn: 'arn:${data.aws_partition.partition.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy',
    }));
  });

  it('pins exact add-on versions when declared, over the library\'s build and AWS\'s default, and refuses one that is not an EKS add-on version', () => {
    const mgmt = new ManagementCluster(awsPlatform(), 'mgmt', { cloud: eksCloud('10.10.0.0/16', { addonVersions: { vpcCni: 'v1.20.2-eksbuild.1' } }) });
    const tf = terraform(mgmt.platform.render(), 'mgmt');
    expect(tf.resource.aws_eks_addon['addon-vpc-cni'].addon_version).toBe('v1.20.2-eksbuild.1');
    const later = new ManagementCluster(awsPlatform(), 'mgmt', { cloud: eksCloud('10.10.0.0/16', { kubernetesVersion: '1.34', addonVersions: { vpcCni: 'v1.20.2-eksbuild.1' } }) });
    const tf34 = terraform(later.platform.render(), 'mgmt');
    expect(tf34.resource.aws_eks_addon['addon-vpc-cni'].addon_version).toBe('v1.20.2-eksbuild.1');
    expect(tf34.data.aws_eks_addon_version['addon-version-vpc-cni']).toBeUndefined();
    expect(tf34.data.aws_eks_addon_version['addon-version-coredns']).toBeDefined();
    expect(() => new ManagementCluster(awsPlatform(), 'mgmt', { cloud: eksCloud('10.10.0.0/16', { addonVersions: { coreDns: 'latest' } }) }))
      .toThrow('[platform/mgmt] cloud.addonVersions.coreDns: got "latest". Allowed: an EKS add-on version such as "v1.20.2-eksbuild.1". Fix: copy the version from `aws eks describe-addon-versions`, or leave it out for the library\'s build.');
  });

  it('writes a default gp3 StorageClass of the EBS CSI driver into every EKS cluster\'s folder, synced by Argo CD', () => {
    const { files } = render();
    for (const name of ['mgmt', 'dev-1', 'prod-1']) {
      const file = [...files.keys()].find((f) => f.startsWith(`clusters/${name}/`) && f.includes('storageclass'))!;
      expect(parse(files.get(file)!)).toEqual({
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: 'gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
        provisioner: 'ebs.csi.aws.com',
        parameters: { type: 'gp3', encrypted: 'true', fsType: 'ext4' },
        reclaimPolicy: 'Delete',
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
      });
    }
    // the fleet folder has its own Application; the management folder is the root Application's
    expect([...files.keys()].filter((f) => /clusters\/mgmt\/.*application-cluster-(dev-1|prod-1)\.yaml$/.test(f))).toHaveLength(2);
  });

  it('puts one NAT gateway per zone in the last environment (prod), one elsewhere, and takes an explicit choice', () => {
    const { files } = render();
    const nat = (cluster: string) => {
      const tf = terraform(files, cluster);
      const assoc = Object.values<any>(tf.resource.aws_route_table_association).filter((a) => a.subnet_id.includes('private-subnet'));
      return { gateways: Object.keys(tf.resource.aws_nat_gateway).length, privateRouteTables: [...new Set(assoc.map((a) => a.route_table_id))].length };
    };
    expect(nat('prod-1')).toEqual({ gateways: 3, privateRouteTables: 3 });
    expect(nat('dev-1')).toEqual({ gateways: 1, privateRouteTables: 1 });
    // the management cluster defaults to the last environment too
    expect(nat('mgmt')).toEqual({ gateways: 3, privateRouteTables: 3 });
    const tf = terraform(files, 'prod-1');
    expect(tf.resource.aws_nat_gateway['nat-gateway-2'].subnet_id).toBe('${aws_subnet.public-subnet-2.id}');
    expect(tf.resource.aws_route['private-default-route-2'].nat_gateway_id).toBe('${aws_nat_gateway.nat-gateway-2.id}');
    const single = new ManagementCluster(awsPlatform(), 'mgmt', { cloud: eksCloud('10.10.0.0/16', { natGateways: NatGatewayMode.SINGLE }) });
    expect(Object.keys(terraform(single.platform.render(), 'mgmt').resource.aws_nat_gateway)).toEqual(['nat-gateway']);
    expect(() => new ManagementCluster(awsPlatform(), 'mgmt', { cloud: eksCloud('10.10.0.0/16', { natGateways: 'two' as any }) }))
      .toThrow('[platform/mgmt] cloud.natGateways: got "two". Allowed: single, per-zone. Fix: use NatGatewayMode.SINGLE or NatGatewayMode.PER_ZONE.');
  });
});

describe('EKS: each node group runs the AMI of its instances', () => {
  it('Graviton on the Arm AMI, GPUs on the NVIDIA one (Arm for Graviton), Inferentia and Trainium on Neuron, the rest on standard x86; families no EKS AMI runs are refused', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { cloud: eksCloud('10.10.0.0/16', { apiAccess: ApiAccess.private(), systemNodePool: { machineType: 'm7g.large', minCount: 3 },
      nodePools: [{ name: 'gpu', machineType: 'g5.xlarge' }, { name: 'train', machineType: 'trn1.2xlarge' }, { name: 'x86', machineType: 'c7i.large' }, { name: 'arm', machineType: 'c6gn.large' }, { name: 'armgpu', machineType: 'g5g.xlarge' }] }) });
    Catalog.externalSecrets(platform);
    new TenantVCluster(mgmt, 'team-a', { owners: Group.named('team-a'), nodePool: { machineType: 'p5.48xlarge', minCount: 1 } });
    const groups = terraform(platform.render(), 'mgmt').resource.aws_eks_node_group;
    expect(Object.values<any>(groups).map((g) => [g.instance_types[0], g.ami_type])).toEqual([
      ['m7g.large', 'AL2023_ARM_64_STANDARD'], ['g5.xlarge', 'AL2023_x86_64_NVIDIA'], ['trn1.2xlarge', 'AL2023_x86_64_NEURON'], ['c7i.large', 'AL2023_x86_64_STANDARD'],
      ['c6gn.large', 'AL2023_ARM_64_STANDARD'], ['g5g.xlarge', 'AL2023_ARM_64_NVIDIA'], ['p5.48xlarge', 'AL2023_x86_64_NVIDIA'],
    ]);
    const refused = (machineType: string) => () => awsMgmt(awsPlatform(), { cloud: eksCloud('10.10.0.0/16', { apiAccess: ApiAccess.private(), nodePools: [{ name: 'x', machineType }] }) });
    expect(refused('mac2.metal')).toThrow('[platform/mgmt] cloud.nodePools[0].machineType: got "mac2.metal". Allowed: an instance type an Amazon Linux 2023 EKS AMI runs on (Mac instances run no EKS AMI). Fix: pick another instance family');
    expect(refused('a1.large')).toThrow('AL2023 supports no A1 instance');
    expect(() => new TenantVCluster(awsMgmt(awsPlatform()), 'team-b', { owners: Group.named('team-b'), nodePool: { machineType: 'mac1.metal' } })).toThrow('[platform/mgmt/team-b] nodePool.machineType: got "mac1.metal"');
  });
});

describe('EKS: tenant owners sign in with the platform\'s identity provider', () => {
  const withTenants = (identityProvider?: Parameters<typeof eksCloud>[1]['identityProvider']) => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform);
    const dev = new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16', identityProvider ? { identityProvider } : {}), labels: { 'security-basic': 'enabled' } });
    Catalog.externalSecrets(platform);
    new TenantVCluster(dev, 'team-a', { owners: Group.anyOf(['team-a', 'team-a-leads']) });
    new NamespaceTenant(dev, 'team-c', { owners: Group.named('team-c') });
    return platform;
  };
  const unmapped = (p: Platform) => p.validate().filter((w) => w.message.includes('no one signs in to it with a group'));

  it('declares the OIDC provider on the cluster: groups from the groups claim, unprefixed as the RoleBindings name them; user names prefixed', () => {
    const platform = withTenants({ issuerUrl: 'https://idp.acme.dev/realms/acme', clientId: 'kubectl' });
    const tf = terraform(platform.render(), 'dev');
    expect(tf.resource.aws_eks_identity_provider_config).toEqual({
      'identity-provider': expect.objectContaining({
        cluster_name: '${aws_eks_cluster.cluster.name}',
        oidc: { identity_provider_config_name: 'sso', issuer_url: 'https://idp.acme.dev/realms/acme', client_id: 'kubectl', groups_claim: 'groups', username_claim: 'email', username_prefix: 'oidc:' },
      }),
    });
    // EKS refuses the association while another update of the cluster runs (409), and the provider does
    // not retry: it starts after every managed add-on
    const addons = Object.keys(tf.resource.aws_eks_addon).map((k) => `aws_eks_addon.${k}`);
    expect(addons).toHaveLength(EKS_ADDONS.length);
    expect(tf.resource.aws_eks_identity_provider_config['identity-provider'].depends_on).toEqual(addons);
    // the RoleBindings bind exactly the names the groups claim carries
    const files = platform.render();
    const bindings = [...files].filter(([f]) => /^clusters\/dev\/.*\/rolebinding-/.test(f)).flatMap(([, t]) => (parse(t) as { subjects: { kind: string; name: string }[] }).subjects);
    expect(bindings.filter((s) => s.kind === 'Group').map((s) => s.name).sort()).toEqual(['team-a', 'team-a-leads', 'team-c']);
    expect(unmapped(platform)).toEqual([]);
  });

  it('takes other claims', () => {
    const platform = withTenants({ issuerUrl: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0', clientId: 'kubectl', groupsClaim: 'roles', usernameClaim: 'preferred_username' });
    expect(terraform(platform.render(), 'dev').resource.aws_eks_identity_provider_config['identity-provider'].oidc).toMatchObject({ groups_claim: 'roles', username_claim: 'preferred_username' });
  });

  it('warns, per EKS host, when tenants\' owners are bound there and no one signs in with a group; not for a cluster without tenants, nor on AKS', () => {
    const platform = withTenants();
    expect(unmapped(platform)).toEqual([{
      path: 'platform/mgmt/dev', severity: 'warning',
      message: 'EKS cluster "dev" binds tenant owners\' groups in RoleBindings of their namespaces there (team-a (team-a, team-a-leads); team-c (team-c)), but no one signs in to it with a group: '
        + 'EKS maps people only from access entries and an OIDC identity provider, so those RoleBindings grant nothing and the teams cannot use kubectl there. '
        + 'Fix: declare cloud.identityProvider ({ issuerUrl, clientId }) on the cluster, with the OIDC provider whose groups claim carries these group names.',
    }]);
    expect(terraform(platform.render(), 'dev').resource.aws_eks_identity_provider_config).toBeUndefined();
    // the management cluster hosts no tenant: nothing to say
    expect(unmapped(platform).map((w) => w.path)).not.toContain('platform/mgmt');
    const azure = azurePlatform();
    const aksDev = new FleetCluster(azureMgmt(azure), 'dev', { environment: 'dev', cloud: aksCloud('10.20.0.0/16'), labels: { 'security-basic': 'enabled' } });
    Catalog.externalSecrets(azure);
    new NamespaceTenant(aksDev, 'team-c', { owners: Group.named('00000000-0000-0000-0000-00000000000c') });
    expect(unmapped(azure)).toEqual([]);
  });

  it('on AKS, where Entra ID names a group by its object id, warns for tenants none of whose owner groups is one', () => {
    const azure = azurePlatform();
    const dev = new FleetCluster(azureMgmt(azure), 'dev', { environment: 'dev', cloud: aksCloud('10.20.0.0/16'), labels: { 'security-basic': 'enabled' } });
    Catalog.externalSecrets(azure);
    new NamespaceTenant(dev, 'team-c', { owners: Group.named('team-c') });
    new TenantVCluster(dev, 'team-a', { owners: Group.anyOf(['team-a', '00000000-0000-0000-0000-00000000000a']) });
    new TenantVCluster(dev, 'team-b', { owners: Group.anyOf(['team-b', 'team-b-leads']) });
    expect(azure.validate().filter((w) => w.message.includes('Entra ID object ids'))).toEqual([{
      path: 'platform/mgmt/dev', severity: 'warning',
      message: 'AKS cluster "dev" binds tenant owners\' groups in RoleBindings of their namespaces there by names that are not Entra ID object ids (team-b (team-b, team-b-leads); team-c (team-c)): '
        + 'AKS signs people in with Entra ID and names a group in RBAC by its object id, so those RoleBindings grant nothing and the teams cannot use kubectl there. '
        + 'Fix: add each team\'s Entra group object id to its owners, e.g. Group.anyOf([\'team-a\', \'<object id>\']) (Argo CD keeps matching the name).',
    }]);
    // the object id is bound beside the name
    const subjects = [...azure.render()].filter(([f]) => f.startsWith('clusters/dev/') && f.includes('/rolebinding-'))
      .flatMap(([, t]) => (parse(t) as { subjects: { name: string }[] }).subjects.map((x) => x.name));
    expect(subjects).toContain('00000000-0000-0000-0000-00000000000a');
  });

  it('refuses an issuer EKS would refuse, and a provider without a client id', () => {
    const make = (identityProvider: unknown) => () => new FleetCluster(awsMgmt(), 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16', { identityProvider: identityProvider as any }) });
    const issuer = (v: string) => `[platform/mgmt/dev] cloud.identityProvider.issuerUrl: got "${v}". Allowed: an https:// URL without query or fragment, such as "https://idp.acme.dev". `
      + 'Fix: use the issuer exactly as the provider\'s discovery document states it (EKS accepts https only).';
    expect(make({ issuerUrl: 'http://idp.acme.dev', clientId: 'kubectl' })).toThrow(issuer('http://idp.acme.dev'));
    expect(make({ issuerUrl: 'https://idp.acme.dev/?tenant=a', clientId: 'kubectl' })).toThrow(issuer('https://idp.acme.dev/?tenant=a'));
    expect(make({ issuerUrl: 'idp.acme.dev', clientId: 'kubectl' })).toThrow(issuer('idp.acme.dev'));
    expect(make({ issuerUrl: 'https://idp.acme.dev', clientId: '' })).toThrow('[platform/mgmt/dev] cloud.identityProvider.clientId');
    expect(make('https://idp.acme.dev')).toThrow('[platform/mgmt/dev] cloud.identityProvider: got "https://idp.acme.dev". Allowed: an object such as { issuerUrl: "https://idp.acme.dev", clientId: "kubectl" }.');
    expect(make({ issuerUrl: 'https://idp.acme.dev', clientId: 'kubectl', groupsClaim: '' })).toThrow('[platform/mgmt/dev] cloud.identityProvider.groupsClaim');
  });
});

describe('The Kubernetes minor: each cloud\'s support calendar, as the library ships it', () => {
  const versionWarnings = (platform: Platform) => platform.validate().filter((w) => / runs Kubernetes 1\.\d+, /.test(w.message));
  const aksOn = (kubernetesVersion: string, extra: Partial<Parameters<typeof Cloud.aks>[0]> = {}) => {
    const mgmt = azureMgmt();
    new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: aksCloud('10.20.0.0/16', { kubernetesVersion, ...extra }) });
    return mgmt.platform;
  };
  const eksOn = (kubernetesVersion: string) => {
    const mgmt = awsMgmt();
    new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16', { kubernetesVersion }) });
    return mgmt.platform;
  };

  it('warns on an AKS cluster whose minor left community support (AKS creates no cluster on it), with both ways out', () => {
    const platform = aksOn('1.34');
    expect(versionWarnings(platform)).toEqual([{
      path: 'platform/mgmt/dev', severity: 'warning',
      message: 'AKS cluster "dev" runs Kubernetes 1.34, whose community support on AKS ended on 2026-11-30 (AKS\'s calendar as of 2026-12-01): '
        + 'AKS no longer creates a cluster on it, so the first apply of a new cluster fails, and an existing one gets no fixes and is upgraded by AKS when the version leaves platform support (its state then differs from Git). '
        + 'Fix: set kubernetesVersion "1.35" (one minor at a time for an existing cluster), or longTermSupport: true (the Premium tier, supported until 2027-11-30).',
    }]);
    const cluster = terraform(platform.render(), 'dev').resource.azurerm_kubernetes_cluster.cluster;
    expect([cluster.kubernetes_version, cluster.sku_tier, cluster.support_plan]).toEqual(['1.34', 'Standard', undefined]);
  });

  it('refuses a deletionProtection that is not a boolean (terraform-validate.test.ts shows what it does)', () => {
    expect(() => new ManagementCluster(awsPlatform(), 'mgmt', { cloud: eksCloud(), deletionProtection: 'no' as never })).toThrow(
      '[platform/mgmt] deletionProtection: got "no". Allowed: true or false. Fix: set deletionProtection to a boolean (or leave it out: true).');
  });

  it('runs an AKS cluster on long-term support (Premium tier) when asked, which keeps the minor creatable for a year more', () => {
    const platform = aksOn('1.34', { longTermSupport: true });
    expect(versionWarnings(platform)).toEqual([]);
    const cluster = terraform(platform.render(), 'dev').resource.azurerm_kubernetes_cluster.cluster;
    expect([cluster.sku_tier, cluster.support_plan]).toEqual(['Premium', 'AKSLongTermSupport']);
    expect(() => aksOn('1.35', { longTermSupport: 'yes' as never })).toThrow(
      '[platform/mgmt/dev] cloud.longTermSupport: got "yes". Allowed: true or false. Fix: set longTermSupport to a boolean (or leave it out).');
  });

  it('warns on an EKS cluster in extended support (billed higher) or leaving standard support within 90 days; not on 1.35, nor on AKS 1.35', () => {
    expect(versionWarnings(eksOn('1.33')).map((w) => [w.path, w.message])).toEqual([['platform/mgmt/dev',
      'EKS cluster "dev" runs Kubernetes 1.33, which left EKS\'s standard support on 2026-07-29 (EKS\'s calendar as of 2026-12-01): '
        + 'the cluster is in extended support, billed at a higher rate per cluster hour, and EKS upgrades it by itself after 2027-07-29. '
        + 'Fix: set kubernetesVersion "1.35", one minor at a time for an existing cluster.']]);
    expect(versionWarnings(eksOn('1.34')).map((w) => w.message)).toEqual([
      'EKS cluster "dev" runs Kubernetes 1.34, whose standard support on EKS ends on 2026-12-02 (EKS\'s calendar as of 2026-12-01); extended support after it is billed at a higher rate per cluster hour. '
        + 'Fix: plan the upgrade to "1.35".']);
    expect(versionWarnings(eksOn('1.35'))).toEqual([]);
    expect(versionWarnings(aksOn('1.35'))).toEqual([]);
  });

  it('covers every minor the library provisions, a year of long-term or extended support after each, and the day-one page lists the same dates', () => {
    const page = fs.readFileSync(path.join(__dirname, '..', 'docs', 'day-one.md'), 'utf8');
    const yearAfter = (d: string) => `${Number(d.slice(0, 4)) + 1}${d.slice(4)}`;
    for (let minor = SUPPORTED_KUBERNETES_VERSIONS.min; minor <= SUPPORTED_KUBERNETES_VERSIONS.max; minor++) {
      const aks = AKS_SUPPORT[minor];
      const eks = EKS_SUPPORT[minor];
      expect([minor, aks.ltsEnd, eks.extendedEnd]).toEqual([minor, yearAfter(aks.end), yearAfter(eks.standardEnd)]);
      expect(page).toContain(`| 1.${minor} | ${aks.end} | ${aks.ltsEnd} | ${eks.standardEnd} | ${eks.extendedEnd} |`);
    }
    expect(page).toContain('`KUBERNETES_CALENDAR_AS_OF`');
  });

  it('the examples and a new project from the starter meet no such warning: they use a minor both clouds support', async () => {
    const reported = (files: Map<string, string> | Record<string, string>) => {
      const json = files instanceof Map ? files.get('platform.json')! : files['platform.json'];
      return (JSON.parse(json) as { warnings: { message: string }[] }).warnings.filter((w) => / runs Kubernetes 1\.\d+, /.test(w.message));
    };
    // the report does list such a warning when there is one
    expect(reported(aksOn('1.34').render())).toHaveLength(1);
    for (const name of ['aws', 'azure'] as const) expect([name, reported(await renderExample(name))]).toEqual([name, []]);
    for (const cloud of [StarterCloud.AZURE, StarterCloud.AWS]) expect([cloud, reported(await renderStarter(cloud))]).toEqual([cloud, []]);
  });
});

describe('EKS: the account\'s default quotas per Region', () => {
  const quota = (p: Platform) => p.validate().filter((w) => w.message.includes('Elastic IPs')).map((w) => `[${w.path}] ${w.message}`);

  it('warns when one Region\'s clusters need more Elastic IPs (one per NAT gateway) or VPCs than an account starts with', () => {
    const platform = awsPlatform({ environments: ['dev', 'staging', 'prod'] });
    const mgmt = awsMgmt(platform, { environment: 'prod' });
    // dev: 1 NAT, prod: one per zone (3), mgmt (prod): 3
    new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16') });
    expect(quota(platform)).toEqual([]);
    new FleetCluster(mgmt, 'prod', { environment: 'prod', cloud: eksCloud('10.22.0.0/16') });
    new FleetCluster(mgmt, 'prod-us', { environment: 'prod', cloud: Cloud.eks({ region: 'us-east-1', kubernetesVersion: '1.33', network: { cidr: '10.23.0.0/16' } }) });
    expect(quota(platform)).toEqual([
      '[platform/mgmt/prod] the EKS clusters in AWS Region "eu-west-1" need 7 Elastic IPs, one per NAT gateway (mgmt (3), dev (1), prod (3)), and 3 VPCs, '
        + 'while an AWS account starts with 5 Elastic IPs and 5 VPCs per Region (the default VPC counts): the apply that crosses a quota fails (AddressLimitExceeded, VpcLimitExceeded). '
        + 'Fix: raise the quotas "EC2-VPC Elastic IPs" and "VPCs per Region" in Service Quotas before the first apply, or give clusters outside the last environment natGateways: NatGatewayMode.SINGLE.',
    ]);
    // the figures are the states' own: one Elastic IP per NAT gateway
    const files = platform.render();
    expect(['mgmt', 'dev', 'prod'].map((c) => Object.keys(terraform(files, c).resource.aws_eip).length)).toEqual([3, 1, 3]);
  });

  it('counts a single NAT gateway as one address, and five VPCs (with the default VPC) as over', () => {
    const platform = awsPlatform({ environments: ['dev', 'staging', 'prod'] });
    const mgmt = awsMgmt(platform, { environment: 'prod', cloud: eksCloud('10.10.0.0/16', { natGateways: NatGatewayMode.SINGLE, apiAccess: ApiAccess.private() }) });
    ['a', 'b', 'c'].forEach((n, i) => new FleetCluster(mgmt, n, { environment: 'dev', cloud: eksCloud(`10.${20 + i}.0.0/16`) }));
    expect(quota(platform)).toEqual([]);
    new FleetCluster(mgmt, 'd', { environment: 'dev', cloud: eksCloud('10.24.0.0/16') });
    expect(quota(platform)).toHaveLength(1);
    expect(quota(platform)[0]).toContain('need 5 Elastic IPs, one per NAT gateway (mgmt (1), a (1), b (1), c (1), d (1)), and 5 VPCs');
  });
});

describe('EKS: the subnets\' zones', () => {
  it('leave out the zones EKS refuses for a cluster (by zone id, since names map to other ids per account)', () => {
    const mgmt = awsMgmt();
    const tf = terraform(mgmt.platform.render(), 'mgmt');
    // the EKS user guide's network requirements: use1-az3, usw1-az2 and cac1-az3
    expect(tf.data.aws_availability_zones.zones).toMatchObject({ state: 'available', exclude_zone_ids: ['use1-az3', 'usw1-az2', 'cac1-az3'] });
  });

  it('stop the plan where the account has fewer such zones than the subnets spread over (element() would wrap two subnets into one zone)', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform);
    new FleetCluster(mgmt, 'west', { environment: 'prod', cloud: Cloud.eks({ region: 'us-west-1', kubernetesVersion: '1.33', network: { cidr: '10.30.0.0/16' }, availabilityZoneCount: 2 }) });
    const files = platform.render();
    const guard = (cluster: string) => terraform(files, cluster).resource.aws_subnet['private-subnet-0'].lifecycle.precondition;
    expect(guard('mgmt')).toEqual([{
      condition: '${length(data.aws_availability_zones.zones.names) >= 3}',
      error_message: 'Cluster "mgmt" spreads its subnets over 3 availability zones, and this account has fewer that EKS accepts in eu-west-1. Fix: set cloud.availabilityZoneCount to 2.',
    }]);
    expect(guard('west')[0].condition).toBe('${length(data.aws_availability_zones.zones.names) >= 2}');
    // one guard per state: the other subnets have none
    expect(terraform(files, 'mgmt').resource.aws_subnet['private-subnet-1'].lifecycle).toBeUndefined();
  });
});
