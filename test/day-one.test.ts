// What every cluster gets on day one so that the first `terraform apply` and Argo CD sync
// come up: a user pool on AKS; on EKS the managed add-ons, a default StorageClass and NAT.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FleetCluster, ManagementCluster, NatGatewayMode, TaintEffect } from '../src';
import { EKS_ADDON_BUILDS, EKS_ADDONS } from '../src/terraform/eks-addons';
import { aksCloud, awsMgmt, awsPlatform, azurePlatform, eksCloud, terraform } from './support/fixtures';

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

  it('installs Argo CD only after the runner\'s cluster-admin role and the user pool exist (no race with the pods it waits for)', () => {
    const mgmt = new ManagementCluster(azurePlatform(), 'mgmt', { cloud: aksCloud() });
    const tf = terraform(mgmt.platform.render(), 'mgmt');
    expect(tf.resource.helm_release.argocd.depends_on).toEqual(['azurerm_role_assignment.terraform-cluster-admin', 'azurerm_kubernetes_cluster_node_pool.node-pool-user']);
    expect(tf.resource.helm_release['argocd-apps'].depends_on).toEqual(['helm_release.argocd']);
    expect(tf.resource.kubernetes_namespace_v1['external-secrets-namespace'].depends_on).toContain('azurerm_role_assignment.terraform-cluster-admin');
  });

  it('takes the declared pools instead of the default one', () => {
    const mgmt = new ManagementCluster(azurePlatform(), 'mgmt', { cloud: aksCloud('10.0.0.0/16', { nodePools: [{ name: 'apps', minCount: 3 }] }) });
    expect(Object.keys(terraform(mgmt.platform.render(), 'mgmt').resource.azurerm_kubernetes_cluster_node_pool)).toEqual(['node-pool-apps']);
  });

  const refusal = (names: string) => `[platform/mgmt] cloud.nodePools: got ${names}. Allowed: at least one pool without NoSchedule/NoExecute taints and not spot `
    + '(the system pool runs critical add-ons only, so Argo CD and every add-on would stay Pending). '
    + 'Fix: add an untainted on-demand pool, e.g. { name: \'user\', minCount: 2, maxCount: 10 }, or leave nodePools unset for the default user pool.';

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

describe('EKS: managed add-ons, a default StorageClass, NAT', () => {
  const render = () => {
    const mgmt = awsMgmt();
    const dev = new FleetCluster(mgmt, 'dev-1', { environment: 'dev', cloud: eksCloud('10.20.0.0/16') });
    const prod = new FleetCluster(mgmt, 'prod-1', { environment: 'prod', cloud: eksCloud('10.30.0.0/16') });
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

  it('installs Argo CD on an EKS management cluster only after its nodes and managed add-ons', () => {
    const tf = terraform(render().files, 'mgmt');
    expect(tf.resource.helm_release.argocd.depends_on).toEqual([
      'aws_eks_node_group.system-node-group', 'aws_eks_addon.addon-vpc-cni', 'aws_eks_addon.addon-kube-proxy', 'aws_eks_addon.addon-coredns', 'aws_eks_addon.pod-identity-agent', 'aws_eks_addon.addon-aws-ebs-csi-driver',
    ]);
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
