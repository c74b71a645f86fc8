import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { KubernetesCluster } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { Sleep } from '@cdktf/provider-time/lib/sleep';
import { Duration } from 'cdk8s';
import { Fn, ITerraformDependable, TerraformOutput, TerraformStack } from 'cdktf';
import { messages } from '../core/errors';
import { parseCidr, subnet } from '../core/cidr';
import { AKS_SPOT_TAINT, DEFAULT_AKS_USER_POOL, NodePoolProps } from '../model/cloud';
import { taintString } from '../model/node-pools';
import { ClusterInfraSpec, KubernetesAccess, POD_CIDR, SERVICE_CIDR } from './cluster-infra';

/** The AKS cluster resources, for users who extend the stack. */
export interface AksInfra {
  readonly resourceGroup: ResourceGroup;
  readonly virtualNetwork: VirtualNetwork;
  readonly nodeSubnet: Subnet;
  readonly cluster: KubernetesCluster;
  readonly access: KubernetesAccess;
  /** Adds a user node pool on the node subnet (used for dedicated tenant pools). */
  readonly addNodePool: (pool: NodePoolProps) => KubernetesClusterNodePool;
}

/** Well-known application id of the AKS Entra ID server (kubelogin's `--server-id`). */
const AKS_AAD_SERVER_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';

/**
 * How long a new Azure role assignment takes to reach the AKS authorizer: "New role assignments
 * can take up to five minutes to propagate and be updated by the authorization server". What a
 * state creates through the cluster's API waits this long after the runner's role assignment
 * (see docs/decisions/0017-permission-propagation.md).
 * @see https://learn.microsoft.com/en-us/azure/aks/manage-azure-rbac
 */
export const AKS_RBAC_PROPAGATION = Duration.minutes(5);

/** The system pool's temporary name while azurerm cycles it (a user pool may not take it). */
export const SYSTEM_POOL_ROTATION = 'systemtmp';

/**
 * A user pool's temporary name while azurerm cycles it: azurerm refuses to change its VM size or
 * zones without one (`temporary_name_for_rotation must be specified`). A pool name of AKS's rules
 * (a lower-case letter, then letters and digits, at most 12), ending in `tmp` (then a digit where
 * that is taken: Terraform may cycle several pools at once).
 */
function rotationName(pool: string, taken: ReadonlySet<string>): string {
  // 101 candidates per pool, more than the 100 pools AKS allows in a cluster
  for (const suffix of ['tmp', ...Array.from({ length: 100 }, (_, i) => `tmp${i}`)]) {
    const name = `${pool.slice(0, 12 - suffix.length)}${suffix}`;
    if (!taken.has(name)) return name;
  }
  throw new Error(messages.internal.noRotationName(pool));
}

/** Renders an AKS cluster with its network into the stack. */
export function renderAks(stack: TerraformStack, spec: ClusterInfraSpec): AksInfra {
  const p = spec.cloud._aks!;
  const tags = spec.tags;
  // every pool spans the cluster's availability zones (none in a location without them: AKS refuses zones there)
  const zones = spec.cloud._aksZones;
  new AzurermProvider(stack, 'azurerm', { features: [{}], storageUseAzuread: true });
  const client = new DataAzurermClientConfig(stack, 'current');
  const rg = new ResourceGroup(stack, 'resource-group', {
    name: spec.cloud._aksResourceGroup(spec.name)!,
    location: p.location,
    tags,
  });
  const cidr = parseCidr(p.network.cidr)!;
  const vnet = new VirtualNetwork(stack, 'vnet', {
    name: `vnet-${spec.name}`,
    location: rg.location,
    resourceGroupName: rg.name,
    addressSpace: [p.network.cidr],
    tags,
  });
  const nodes = new Subnet(stack, 'node-subnet', {
    name: 'snet-nodes',
    resourceGroupName: rg.name,
    virtualNetworkName: vnet.name,
    addressPrefixes: [subnet(cidr, cidr.prefix + 1, 0)],
  });
  const api = spec.apiEndpoint;
  const sys = p.systemNodePool ?? {};
  const mw = p.maintenanceWindow;
  const window = mw && { frequency: 'Weekly', interval: 1, dayOfWeek: mw.dayOfWeek, startTime: mw.startTime, duration: mw.durationHours ?? 4, utcOffset: mw.utcOffset ?? '+00:00' };
  const sysMin = sys.minCount ?? 2;
  const cluster = new KubernetesCluster(stack, 'cluster', {
    name: `aks-${spec.name}`,
    // a plan that would destroy the cluster (removed, or replaced by a change such as turning the
    // private API on or off) fails instead, unless deletionProtection is off
    ...(spec.deletionProtection ? { lifecycle: { preventDestroy: true } } : {}),
    location: rg.location,
    resourceGroupName: rg.name,
    dnsPrefix: spec.name,
    kubernetesVersion: p.kubernetesVersion,
    // long-term support needs the Premium tier (https://learn.microsoft.com/azure/aks/long-term-support)
    skuTier: p.longTermSupport ? 'Premium' : 'Standard',
    ...(p.longTermSupport ? { supportPlan: 'AKSLongTermSupport' } : {}),
    automaticUpgradeChannel: 'patch',
    nodeOsUpgradeChannel: 'NodeImage',
    // both channels wait for the declared window (AKS's planned maintenance), else AKS upgrades at any time
    ...(window ? { maintenanceWindowAutoUpgrade: window, maintenanceWindowNodeOs: window } : {}),
    defaultNodePool: {
      name: 'system',
      vmSize: sys.machineType ?? 'Standard_D4ds_v5',
      autoScalingEnabled: true,
      minCount: sysMin,
      maxCount: sys.maxCount ?? Math.max(5, sysMin),
      vnetSubnetId: nodes.id,
      onlyCriticalAddonsEnabled: true,
      osSku: 'AzureLinux',
      ...(zones.length ? { zones } : {}),
      // every pool follows kubernetesVersion: azurerm upgrades only the control plane otherwise,
      // and each bump widens the skew AKS allows between it and the pools (one apply upgrades the
      // control plane, then the pools, the `1.N` alias as AKS takes it)
      orchestratorVersion: p.kubernetesVersion,
      temporaryNameForRotation: SYSTEM_POOL_ROTATION,
      upgradeSettings: { maxSurge: '33%' },
    },
    identity: { type: 'SystemAssigned' },
    oidcIssuerEnabled: true,
    workloadIdentityEnabled: true,
    localAccountDisabled: true,
    roleBasedAccessControlEnabled: true,
    azureActiveDirectoryRoleBasedAccessControl: {
      azureRbacEnabled: true,
      tenantId: client.tenantId,
      adminGroupObjectIds: p.adminGroupObjectIds ? [...p.adminGroupObjectIds] : undefined,
    },
    privateClusterEnabled: api.isPrivate,
    apiServerAccessProfile: api.isPrivate ? undefined : { authorizedIpRanges: api.authorizedRanges },
    networkProfile: {
      networkPlugin: 'azure',
      networkPluginMode: 'overlay',
      networkPolicy: 'cilium',
      networkDataPlane: 'cilium',
      podCidr: POD_CIDR,
      serviceCidr: SERVICE_CIDR,
      dnsServiceIp: '172.16.0.10',
      loadBalancerSku: 'standard',
    },
    tags,
  });
  new RoleAssignment(stack, 'cluster-network-contributor', {
    scope: nodes.id,
    roleDefinitionName: 'Network Contributor',
    principalId: cluster.identity.principalId,
  });
  // The identity that runs Terraform administers the cluster, so the bootstrap
  // (Argo CD install) works with local accounts disabled.
  const runnerAdmin = new RoleAssignment(stack, 'terraform-cluster-admin', {
    scope: cluster.id,
    roleDefinitionName: 'Azure Kubernetes Service RBAC Cluster Admin',
    principalId: client.objectId,
  });
  const runnerAccess = spec.installsThroughApi ? awaitPropagation(stack, runnerAdmin) : runnerAdmin;
  if (p.containerRegistryId) {
    new RoleAssignment(stack, 'kubelet-acr-pull', {
      scope: p.containerRegistryId,
      roleDefinitionName: 'AcrPull',
      principalId: cluster.kubeletIdentity.objectId,
    });
  }
  // each pool's temporary name while azurerm cycles it (a new VM size or zones), unique among every
  // pool's name and every other temporary name: named again as pools are added (tenants add theirs)
  const created: { name: string; resource: KubernetesClusterNodePool }[] = [];
  const nameRotations = () => {
    const taken = new Set<string>(['system', SYSTEM_POOL_ROTATION, ...created.map((c) => c.name)]);
    for (const c of created) {
      const rotation = rotationName(c.name, taken);
      taken.add(rotation);
      c.resource.temporaryNameForRotation = rotation;
    }
  };
  const addNodePool = (pool: NodePoolProps): KubernetesClusterNodePool => {
    const min = pool.minCount ?? 2;
    // AKS labels and taints every node of a Spot pool: azurerm wants both declared (a taint AKS adds
    // that the configuration lacks is a change on every plan)
    const taints = (pool.taints ?? []).map(taintString);
    const spotTaint = taintString(AKS_SPOT_TAINT);
    if (pool.spot && !taints.includes(spotTaint)) taints.push(spotTaint);
    const labels = pool.spot ? { ...pool.labels, [AKS_SPOT_TAINT.key]: AKS_SPOT_TAINT.value } : pool.labels ? { ...pool.labels } : undefined;
    const resource = new KubernetesClusterNodePool(stack, `node-pool-${pool.name}`, {
      name: pool.name,
      kubernetesClusterId: cluster.id,
      mode: 'User',
      vmSize: pool.machineType ?? 'Standard_D4ds_v5',
      orchestratorVersion: p.kubernetesVersion,
      autoScalingEnabled: true,
      minCount: min,
      maxCount: pool.maxCount ?? Math.max(5, min),
      vnetSubnetId: nodes.id,
      osSku: 'AzureLinux',
      ...(zones.length ? { zones } : {}),
      nodeLabels: labels,
      nodeTaints: pool.taints || pool.spot ? taints : undefined,
      priority: pool.spot ? 'Spot' : 'Regular',
      evictionPolicy: pool.spot ? 'Delete' : undefined,
      spotMaxPrice: pool.spot ? -1 : undefined,
      // AKS gives a regular pool a surge of 10% when none is set, which azurerm reads back into a block it
      // does not compute: every later plan would show the pool's upgrade_settings removed. The system
      // pool's surge, declared; AKS refuses a surge on a Spot pool
      ...(pool.spot ? {} : { upgradeSettings: { maxSurge: '33%' } }),
      tags,
    });
    created.push({ name: pool.name, resource });
    nameRotations();
    return resource;
  };
  const pools = (p.nodePools ?? [DEFAULT_AKS_USER_POOL]).map((pool) => addNodePool(pool));
  new TerraformOutput(stack, 'cluster_id', { value: cluster.id });
  new TerraformOutput(stack, 'oidc_issuer_url', { value: cluster.oidcIssuerUrl });
  const kube = cluster.kubeConfig.get(0);
  return {
    resourceGroup: rg,
    virtualNetwork: vnet,
    nodeSubnet: nodes,
    cluster,
    addNodePool,
    access: {
      host: kube.host,
      clusterCaCertificate: Fn.base64decode(kube.clusterCaCertificate),
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: 'kubelogin',
        args: ['get-token', '--login', 'azurecli', '--server-id', AKS_AAD_SERVER_ID],
      },
      // the runner's cluster-admin role once it has taken effect, and the pools Argo CD and the
      // add-ons run on (the system pool takes critical add-ons only)
      ready: [runnerAccess, ...pools],
    },
  };
}

/**
 * A `time_sleep` of {@link AKS_RBAC_PROPAGATION} after the runner's role assignment: Azure reports
 * the assignment created before the cluster's authorizer honours it, so anything created through the
 * API right after it is refused (403) on the first apply. The sleep's trigger is the assignment's
 * id, so a replaced assignment (a new cluster) waits again.
 */
function awaitPropagation(stack: TerraformStack, runnerAdmin: RoleAssignment): ITerraformDependable {
  new TimeProvider(stack, 'time');
  return new Sleep(stack, 'terraform-cluster-admin-propagation', {
    createDuration: `${AKS_RBAC_PROPAGATION.toSeconds()}s`,
    triggers: { role_assignment_id: runnerAdmin.id },
  });
}
