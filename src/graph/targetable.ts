import { identityOutputNames } from '../cluster/addon-identities';
import type { FleetCluster } from '../cluster/fleet-cluster';
import type { ManagementCluster } from '../cluster/management-cluster';
import type { IFleetCluster } from '../model/references';
import type { TenantVCluster } from '../tenant/tenant-vcluster';
import { kindOf, NodeKind } from './kinds';
import { GraphSlot, PlatformGraph } from './platform-graph';

/** A cluster catalog entries can target: declared (management or fleet) or imported. */
export interface TargetableCluster {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly path: string;
  /** The outputs it provides; undefined when unknown (imported clusters). */
  readonly outputs?: string[];
  readonly environment?: string;
}

const TARGETABLE = new GraphSlot<TargetableCluster[]>('targetable clusters');

/**
 * @internal Every cluster of the platform that selectors can match (tenant virtual clusters
 * included), in tree order (a cluster, then what is declared inside it); computed once per pass. The constructs are told apart by
 * their kind mark, so the graph stage imports none of them at runtime.
 */
export function targetableClusters(graph: PlatformGraph): TargetableCluster[] {
  return graph.derive(TARGETABLE, () => graph.all.flatMap((c): TargetableCluster[] => {
    switch (kindOf(c)) {
      case NodeKind.FLEET_CLUSTER: {
        const f = c as FleetCluster;
        return [{ name: f.name, labels: f.labels, path: f.node.path, outputs: Object.keys(f.outputs), environment: f.environment }];
      }
      case NodeKind.MANAGEMENT_CLUSTER: {
        const m = c as ManagementCluster;
        return [{ name: m.name, labels: m.labels, path: m.node.path, outputs: identityOutputNames(m), environment: m.environment }];
      }
      case NodeKind.IMPORTED_CLUSTER: {
        const i = c as IFleetCluster;
        return [{ name: i.name, labels: { ...i.labels, cluster_name: i.name, ...(i.environment ? { environment: i.environment } : {}) }, path: i.node.path, environment: i.environment }];
      }
      case NodeKind.TENANT_VCLUSTER: return [(c as TenantVCluster)._target()];
      default: return [];
    }
  }));
}
