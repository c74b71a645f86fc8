import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksIdentityProviderConfig } from '@cdktf/provider-aws/lib/eks-identity-provider-config';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Fn, TerraformOutput, TerraformStack } from 'cdktf';
import { parseCidr, subnet } from '../core/cidr';
import { messages } from '../core/errors';
import { NodePoolProps, SystemNodePoolProps } from '../model/cloud';
import { eksAmiType, eksSystemMinCount } from '../model/node-pools';
import { ClusterInfraSpec, KubernetesAccess, SERVICE_CIDR } from './cluster-infra';
import { renderEksAddons, renderEksCni } from './eks-addons';
import { eksClusterRoleNames } from './iam-role-names';

/**
 * The availability zones where EKS refuses a cluster's subnets (`UnsupportedAvailabilityZoneException`).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html
 */
export const EKS_UNSUPPORTED_ZONE_IDS = ['use1-az3', 'usw1-az2', 'cac1-az3'] as const;

/** The EKS cluster resources, for users who extend the stack. */
export interface EksInfra {
  readonly vpc: Vpc;
  readonly privateSubnets: Subnet[];
  readonly publicSubnets: Subnet[];
  readonly cluster: EksCluster;
  readonly nodeRole: IamRole;
  readonly oidcProvider: IamOpenidConnectProvider;
  /** The managed add-ons (VPC CNI, kube-proxy, CoreDNS, Pod Identity agent, EBS CSI driver). */
  readonly addons: EksAddon[];
  /** The NAT gateways (one, or one per zone). */
  readonly natGateways: NatGateway[];
  readonly access: KubernetesAccess;
  /** The OIDC identity provider people sign in with (`cloud.identityProvider`), if declared. */
  readonly identityProvider?: EksIdentityProviderConfig;
  /** Adds a managed node group in the private subnets (used for dedicated tenant pools). */
  readonly addNodePool: (pool: NodePoolProps) => EksNodeGroup;
}

function assumeRolePolicy(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
  });
}

/** Renders an EKS cluster with its VPC into the stack. */
export function renderEks(stack: TerraformStack, spec: ClusterInfraSpec): EksInfra {
  const p = spec.cloud._eks!;
  const name = spec.name;
  new AwsProvider(stack, 'aws', { region: p.region, defaultTags: [{ tags: spec.tags }] });
  const partition = new DataAwsPartition(stack, 'partition');
  const managedPolicy = (policy: string) => `arn:${partition.partition}:iam::aws:policy/${policy}`;
  const azs = new DataAwsAvailabilityZones(stack, 'zones', {
    state: 'available',
    filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
    // zones EKS refuses for a cluster's subnets (by id: a zone's name maps to another id in each account)
    excludeZoneIds: [...EKS_UNSUPPORTED_ZONE_IDS],
  });
  const cidr = parseCidr(p.network.cidr)!;
  const vpc = new Vpc(stack, 'vpc', {
    cidrBlock: p.network.cidr,
    enableDnsHostnames: true,
    enableDnsSupport: true,
    tags: { Name: `vpc-${name}` },
  });
  const zoneCount = p.availabilityZoneCount ?? 3;
  const igw = new InternetGateway(stack, 'internet-gateway', { vpcId: vpc.id, tags: { Name: `igw-${name}` } });
  const publicRt = new RouteTable(stack, 'public-routes', { vpcId: vpc.id, tags: { Name: `rt-public-${name}` } });
  new Route(stack, 'public-default-route', { routeTableId: publicRt.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });
  const privateSubnets: Subnet[] = [];
  const publicSubnets: Subnet[] = [];
  for (let i = 0; i < zoneCount; i++) {
    const az = Fn.element(azs.names, i);
    // private: the first three quarters, one /(p+2) each; public: small /(p+5) blocks in the last quarter
    const priv = new Subnet(stack, `private-subnet-${i}`, {
      vpcId: vpc.id,
      cidrBlock: subnet(cidr, cidr.prefix + 2, i),
      availabilityZone: az,
      tags: { 'Name': `private-${name}-${i}`, 'kubernetes.io/role/internal-elb': '1' },
      // element() wraps: in a Region where the account has fewer zones (us-west-1 gives most accounts two),
      // two subnets would share one zone; the plan stops instead, naming the fix
      ...(i === 0 ? {
        lifecycle: {
          precondition: [{
            condition: `\${length(${azs.fqn}.names) >= ${zoneCount}}`,
            errorMessage: messages.cluster.tooFewZones(name, zoneCount, p.region),
          }],
        },
      } : {}),
    });
    const pub = new Subnet(stack, `public-subnet-${i}`, {
      vpcId: vpc.id,
      cidrBlock: subnet(cidr, cidr.prefix + 5, 24 + i),
      availabilityZone: az,
      mapPublicIpOnLaunch: false,
      tags: { 'Name': `public-${name}-${i}`, 'kubernetes.io/role/elb': '1' },
    });
    new RouteTableAssociation(stack, `public-subnet-${i}-routes`, { subnetId: pub.id, routeTableId: publicRt.id });
    privateSubnets.push(priv);
    publicSubnets.push(pub);
  }
  // NAT: one per zone (each zone's private subnet through its own) or one for all
  const perZone = spec.cloud._eksNatPerZone(spec.lastEnvironment);
  const nats = Array.from({ length: perZone ? zoneCount : 1 }, (_, i) => {
    // the first keeps the ids of a single-NAT network, so switching modes adds, never replaces
    const suffix = i === 0 ? '' : `-${i}`;
    const eip = new Eip(stack, `nat-ip${suffix}`, { domain: 'vpc', tags: { Name: `nat-${name}${suffix}` } });
    return new NatGateway(stack, `nat-gateway${suffix}`, { allocationId: eip.id, subnetId: publicSubnets[i].id, tags: { Name: `nat-${name}${suffix}` }, dependsOn: [igw] });
  });
  const privateRts = nats.map((nat, i) => {
    const suffix = i === 0 ? '' : `-${i}`;
    const rt = new RouteTable(stack, `private-routes${suffix}`, { vpcId: vpc.id, tags: { Name: `rt-private-${name}${suffix}` } });
    new Route(stack, `private-default-route${suffix}`, { routeTableId: rt.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat.id });
    return rt;
  });
  privateSubnets.forEach((s, i) => new RouteTableAssociation(stack, `private-subnet-${i}-routes`, { subnetId: s.id, routeTableId: privateRts[perZone ? i : 0].id }));

  const clusterRole = new IamRole(stack, 'cluster-role', { name: eksClusterRoleNames(name).cluster.name, assumeRolePolicy: assumeRolePolicy('eks.amazonaws.com') });
  const clusterPolicy = new IamRolePolicyAttachment(stack, 'cluster-role-policy', { role: clusterRole.name, policyArn: managedPolicy('AmazonEKSClusterPolicy') });
  const kms = new KmsKey(stack, 'secrets-key', { description: `EKS secrets encryption for ${name}`, enableKeyRotation: true, deletionWindowInDays: 30 });
  const api = spec.apiEndpoint;
  const cluster = new EksCluster(stack, 'cluster', {
    name,
    // a plan that would destroy the cluster (removed, or replaced by a change) fails instead, unless deletionProtection is off
    ...(spec.deletionProtection ? { lifecycle: { preventDestroy: true } } : {}),
    roleArn: clusterRole.arn,
    version: p.kubernetesVersion,
    vpcConfig: {
      subnetIds: privateSubnets.map((s) => s.id),
      endpointPrivateAccess: true,
      endpointPublicAccess: !api.isPrivate,
      publicAccessCidrs: api.isPrivate ? undefined : api.authorizedRanges,
    },
    accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
    kubernetesNetworkConfig: { serviceIpv4Cidr: SERVICE_CIDR },
    encryptionConfig: { resources: ['secrets'], provider: { keyArn: kms.arn } },
    enabledClusterLogTypes: ['api', 'audit', 'authenticator'],
    dependsOn: [clusterPolicy],
  });
  // a private endpoint answers only what its security group admits, and EKS's own group admits itself
  // alone: the runner of the first apply (inside the VPC, docs/bootstrap.md) and Argo CD coming from a
  // connected network would time out on port 443
  const apiIngress = api.isPrivate ? [p.network.cidr, ...(api.connectedFrom ?? [])].map((from, i) => new VpcSecurityGroupIngressRule(stack, `api-ingress-${i}`, {
    securityGroupId: cluster.vpcConfig.clusterSecurityGroupId,
    ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: from,
    description: i === 0 ? 'Kubernetes API from the cluster\'s VPC' : 'Kubernetes API from a connected network',
  })) : [];
  const nodeRole = new IamRole(stack, 'node-role', { name: eksClusterRoleNames(name).nodes.name, assumeRolePolicy: assumeRolePolicy('ec2.amazonaws.com') });
  const nodePolicies = ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly'].map((pol) =>
    new IamRolePolicyAttachment(stack, `node-role-${pol}`, { role: nodeRole.name, policyArn: managedPolicy(pol) }));
  const cni = renderEksCni(stack, cluster, p.kubernetesVersion, p.addonVersions);
  const nodeGroup = (id: string, poolName: string, pool: SystemNodePoolProps & Partial<NodePoolProps>) => {
    const min = pool.minCount ?? 2;
    return new EksNodeGroup(stack, id, {
      clusterName: cluster.name,
      // a name prefix and the new group before the old one: a change EKS makes by replacing the
      // group (instance types, spot, subnets) brings the new nodes up before the old group is
      // deleted (EKS drains its nodes then), instead of deleting the nodes CoreDNS and Argo CD run on first
      nodeGroupNamePrefix: `${poolName}-`,
      nodeRoleArn: nodeRole.arn,
      subnetIds: privateSubnets.map((s) => s.id),
      version: p.kubernetesVersion,
      // the AMI of the instances' architecture and accelerator (Graviton: Arm; GPU: NVIDIA), or EKS refuses the group
      amiType: amiTypeOf(pool.machineType ?? 'm7i.large'),
      instanceTypes: [pool.machineType ?? 'm7i.large'],
      capacityType: pool.spot ? 'SPOT' : 'ON_DEMAND',
      scalingConfig: { minSize: min, desiredSize: min, maxSize: pool.maxCount ?? Math.max(5, min) },
      updateConfig: { maxUnavailablePercentage: 33 },
      labels: pool.labels ? { ...pool.labels } : undefined,
      taint: pool.taints?.map((t) => ({ key: t.key, value: t.value, effect: t.effect === 'NoSchedule' ? 'NO_SCHEDULE' : t.effect === 'NoExecute' ? 'NO_EXECUTE' : 'PREFER_NO_SCHEDULE' })),
      lifecycle: { createBeforeDestroy: true, ignoreChanges: ['scaling_config[0].desired_size'] },
      dependsOn: [...nodePolicies, cni],
    });
  };
  // no autoscaler runs on EKS: the system group starts with every node the workloads need
  const system = p.systemNodePool ?? {};
  const systemNodes = nodeGroup('system-node-group', 'system', { ...system, minCount: eksSystemMinCount(system, spec.minimumWorkloadNodes) });
  for (const pool of p.nodePools ?? []) nodeGroup(`node-group-${pool.name}`, pool.name, pool);
  (p.adminRoleArns ?? []).forEach((arn, i) => {
    const entry = new EksAccessEntry(stack, `admin-access-${i}`, { clusterName: cluster.name, principalArn: arn, type: 'STANDARD' });
    new EksAccessPolicyAssociation(stack, `admin-access-${i}-policy`, {
      clusterName: cluster.name,
      principalArn: entry.principalArn,
      policyArn: `arn:${partition.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
      accessScope: { type: 'cluster' },
    });
  });
  const oidc = new IamOpenidConnectProvider(stack, 'irsa', { url: cluster.identity.get(0).oidc.get(0).issuer, clientIdList: ['sts.amazonaws.com'] });
  const addons = renderEksAddons(stack, name, cluster, cni, systemNodes, p.kubernetesVersion, p.addonVersions);
  // people: the groups of their ID tokens are the Kubernetes groups the tenants' RoleBindings name.
  // EKS refuses the association (409) while another update of the cluster runs, and the provider
  // does not retry it, so it starts once the managed add-ons are in place (it takes EKS about 15 to 25 minutes)
  const idp = p.identityProvider;
  const identityProvider = idp && new EksIdentityProviderConfig(stack, 'identity-provider', {
    dependsOn: addons,
    clusterName: cluster.name,
    oidc: {
      identityProviderConfigName: 'sso',
      issuerUrl: idp.issuerUrl,
      clientId: idp.clientId,
      groupsClaim: idp.groupsClaim ?? 'groups',
      usernameClaim: idp.usernameClaim ?? 'email',
      usernamePrefix: 'oidc:',
    },
  });
  new TerraformOutput(stack, 'cluster_arn', { value: cluster.arn });
  new TerraformOutput(stack, 'oidc_provider_arn', { value: oidc.arn });
  return {
    vpc,
    privateSubnets,
    publicSubnets,
    cluster,
    nodeRole,
    oidcProvider: oidc,
    ...(identityProvider ? { identityProvider } : {}),
    addons,
    natGateways: nats,
    addNodePool: (pool: NodePoolProps) => nodeGroup(`node-group-${pool.name}`, pool.name, pool),
    access: {
      host: cluster.endpoint,
      clusterCaCertificate: Fn.base64decode(cluster.certificateAuthority.get(0).data),
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: 'aws',
        args: ['eks', 'get-token', '--cluster-name', name, '--region', p.region],
      },
      // nodes, CNI with network policy, CoreDNS and the CSI driver before Argo CD's release waits on its pods
      ready: [systemNodes, ...addons, ...apiIngress],
    },
  };
}

/** The AMI type of a node group's instances (their support was checked with the pool's props). */
function amiTypeOf(instanceType: string): string {
  const t = eksAmiType(instanceType);
  return 'amiType' in t ? t.amiType : 'AL2023_x86_64_STANDARD';
}
