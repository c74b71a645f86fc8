import { fail, messages } from '../core/errors';
import { checkData, checkInstance, checkRecord } from '../core/data';
import { checkHelmReleaseName, checkPositiveInt } from '../core/validate';
import { NetworkAllowance } from './network-allowance';
import { eksAmiType } from '../model/node-pools';
import type { ClusterBase } from '../cluster/cluster-base';
import type { TenantVClusterProps } from './tenant-vcluster';

/**
 * Checks of a tenant against its host, before anything is added to the host's chart and
 * stack: a second tenant of the same name on the host, a node pool whose (truncated) name
 * another pool has, and the node pool's and vCluster's values (JavaScript callers may pass
 * anything). Each is the library's error naming the field.
 */
export function checkTenantOnHost(here: string, host: ClusterBase, name: string, props: TenantVClusterProps, poolName: string): void {
  // (the host's folder would get two tenant-<name> scopes: refused here, before the render stage)
  const other = host._hostedTenants.get(`vcluster/${name}`);
  if (other) fail(here, messages.duplicateName('tenant', name, [other]));
  const release = checkHelmReleaseName(here, 'namespace (the vCluster release name)', props.namespace ?? `vcluster-${name}`);
  if (release.length > 52 || !/^[a-z]/.test(release)) fail(here, messages.tenant.vclusterReleaseName(release));
  if (props.networkAllowances !== undefined) {
    if (!Array.isArray(props.networkAllowances)) fail(here, messages.tenant.networkAllowancesList(props.networkAllowances));
    props.networkAllowances.forEach((a, i) => checkInstance(here, `networkAllowances[${i}]`, a, NetworkAllowance, 'NetworkAllowance.egressToCidr(...) or .ingressFromNamespace(...)')._validate(here, `networkAllowances[${i}]`));
  }
  if (props.nodePool !== undefined) {
    const pool = checkRecord(here, 'nodePool', props.nodePool, '{ machineType: "Standard_D4ds_v5", minCount: 1 }');
    const min = pool.minCount ?? 2;
    checkPositiveInt(here, 'nodePool.minCount', min);
    const max = checkPositiveInt(here, 'nodePool.maxCount', pool.maxCount ?? Math.max(5, min as number));
    if ((min as number) > max) fail(here, messages.tenant.poolMinCount(min, max));
    if (pool.machineType !== undefined && (typeof pool.machineType !== 'string' || !/^[A-Za-z0-9][\w.-]{0,63}$/.test(pool.machineType))) {
      fail(here, messages.tenant.poolMachineType(pool.machineType));
    }
    if (pool.machineType !== undefined && host.eks) {
      const ami = eksAmiType(pool.machineType as string);
      if ('unsupported' in ami) fail(here, messages.model.eksInstanceType('nodePool.machineType', pool.machineType, ami.unsupported));
    }
    if (pool.spot !== undefined && typeof pool.spot !== 'boolean') fail(here, messages.tenant.poolSpot(pool.spot));
    const id = host.aks ? `node-pool-${poolName}` : `node-group-${poolName}`;
    if (host.stack.node.tryFindChild(id)) {
      fail(here, messages.tenant.poolNameTaken(poolName, host.name));
    }
  }
  const v = props.vcluster;
  if (v !== undefined) {
    checkRecord(here, 'vcluster', v, '{ replicas: 1 }');
    if (v.replicas !== undefined) checkPositiveInt(here, 'vcluster.replicas', v.replicas);
    if (v.rawValues !== undefined) checkData(here, 'vcluster.rawValues', checkRecord(here, 'vcluster.rawValues', v.rawValues));
    // vCluster refuses more than one replica on its default backing store, the embedded database (SQLite):
    // the control plane exits at start (pkg/config/validation.go); the chart renders without error
    if ((v.replicas ?? 1) > 1 && !sharedBackingStore(v.rawValues)) fail(here, messages.tenant.vclusterReplicas(v.replicas!));
  }
}

/** Whether raw vcluster values choose a backing store several control plane replicas can share (etcd, or an external database). */
function sharedBackingStore(raw: Record<string, unknown> | undefined): boolean {
  const store = ((raw?.controlPlane as Record<string, unknown> | undefined)?.backingStore ?? {}) as Record<string, Record<string, { enabled?: unknown } | undefined> | undefined>;
  const on = (kind: string, mode: string) => store[kind]?.[mode]?.enabled === true;
  return on('etcd', 'deploy') || on('etcd', 'embedded') || on('etcd', 'external') || on('database', 'external');
}
