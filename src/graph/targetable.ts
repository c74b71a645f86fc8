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
  /** The outputs it provides (an imported cluster: those declared on import); undefined when unknown. */
  readonly outputs?: string[];
  readonly environment?: string;
  /**
   * True for a cluster registered by other means (`FleetCluster.fromName`): the library does not
   * create its Argo CD cluster Secret, so its labels and outputs are only those declared on import.
   */
  readonly imported?: boolean;
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
        // what its cluster Secret is declared to carry, nothing added: the library does not create that Secret
        const i = c as IFleetCluster & { readonly _outputs: string[] };
        return [{ name: i.name, labels: i.labels, path: i.node.path, outputs: i._outputs, environment: i.environment, imported: true }];
      }
      case NodeKind.TENANT_VCLUSTER: return [(c as TenantVCluster)._target()];
      default: return [];
    }
  }));
}
