import { IConstruct } from 'constructs';
import type { ClusterBase } from '../cluster/cluster-base';
import type { FleetCluster, IFleetCluster } from '../cluster/fleet-cluster';
import type { ManagementCluster } from '../cluster/management-cluster';
import type { ServiceCatalogEntry } from '../catalog/service-catalog-entry';
import type { TeamService } from '../service/team-service';
import type { NamespaceTenant } from '../tenant/namespace-tenant';
import type { TenantVCluster } from '../tenant/tenant-vcluster';
import { declarationOrder, kindOf, NodeKind } from './kinds';

/**
 * @internal A typed key of a value derived from the graph (computed at most once per pass).
 * Modules that derive a value the graph itself cannot compute (it would have to import them)
 * declare one: `const TARGETS = new GraphSlot<TargetableCluster[]>('targetable clusters')`.
 */
export class GraphSlot<T> {
  /** @internal only carries the type */ public readonly _type?: T;
  constructor(public readonly description: string) {}
}

/**
 * @internal The platform as the later stages see it: one walk of the construct tree into a
 * typed index, built once per validate/render pass (and afresh on every call outside one).
 * Lists keep declaration order (the tree's pre-order), as the output always did.
 */
export class PlatformGraph {
  /** Every construct of the tree at the time of the walk (before rendering). */
  public readonly all: readonly IConstruct[];
  /** Management and fleet clusters, in tree order. */
  public readonly clusters: readonly ClusterBase[];
  public readonly managementClusters: readonly ManagementCluster[];
  public readonly fleetClusters: readonly FleetCluster[];
  /** Clusters registered by other means (`FleetCluster.fromName`). */
  public readonly importedClusters: readonly IFleetCluster[];
  /** vCluster tenants. */
  public readonly tenants: readonly TenantVCluster[];
  public readonly namespaceTenants: readonly NamespaceTenant[];
  public readonly catalogEntries: readonly ServiceCatalogEntry[];
  public readonly teamServices: readonly TeamService[];
  /** The indexed constructs in declaration (constructor) order: the order rules report in. */
  public readonly declared: readonly IConstruct[];
  /** The indexed constructs in tree order: the order the render stage renders in. */
  public readonly declaredInTreeOrder: readonly IConstruct[];
  private readonly derived = new Map<GraphSlot<unknown>, unknown>();

  constructor(all: readonly IConstruct[]) {
    this.all = all;
    const by = new Map<NodeKind, IConstruct[]>(Object.values(NodeKind).map((k) => [k, []]));
    const declared: IConstruct[] = [];
    for (const c of all) {
      const kind = kindOf(c);
      if (kind === undefined) continue;
      by.get(kind)!.push(c);
      declared.push(c);
    }
    const of = <T>(kind: NodeKind) => by.get(kind) as unknown as T[];
    this.managementClusters = of<ManagementCluster>(NodeKind.MANAGEMENT_CLUSTER);
    this.fleetClusters = of<FleetCluster>(NodeKind.FLEET_CLUSTER);
    this.clusters = all.filter((c) => kindOf(c) === NodeKind.MANAGEMENT_CLUSTER || kindOf(c) === NodeKind.FLEET_CLUSTER) as ClusterBase[];
    this.importedClusters = of<IFleetCluster>(NodeKind.IMPORTED_CLUSTER);
    this.tenants = of<TenantVCluster>(NodeKind.TENANT_VCLUSTER);
    this.namespaceTenants = of<NamespaceTenant>(NodeKind.NAMESPACE_TENANT);
    this.catalogEntries = of<ServiceCatalogEntry>(NodeKind.CATALOG_ENTRY);
    this.teamServices = of<TeamService>(NodeKind.TEAM_SERVICE);
    this.declaredInTreeOrder = [...declared];
    this.declared = declared.sort((a, b) => declarationOrder(a) - declarationOrder(b));
  }

  /** A value derived from the graph, computed once per pass. */
  public derive<T>(slot: GraphSlot<T>, compute: () => T): T {
    if (!this.derived.has(slot)) this.derived.set(slot, compute());
    return this.derived.get(slot) as T;
  }

  /** The fleet clusters a management cluster steers, in declaration order. */
  public fleetOf(management: ManagementCluster): FleetCluster[] {
    return this.group(FLEET_OF, this.fleetClusters, (f) => f.management).get(management) ?? [];
  }

  /** The vCluster tenants hosted on a management cluster or its fleet, in declaration order. */
  public tenantsOf(management: ManagementCluster): TenantVCluster[] {
    return this.group(TENANTS_OF, this.tenants, (t) => t.management).get(management) ?? [];
  }

  /** The vCluster tenants on one host cluster, in declaration order. */
  public tenantsOn(host: ClusterBase): TenantVCluster[] {
    return this.group(TENANTS_ON, this.tenants, (t) => t.host).get(host) ?? [];
  }

  /** The first vCluster tenant of each virtual cluster name (`vc-<tenant>`). */
  public get tenantsByClusterName(): ReadonlyMap<string, TenantVCluster> {
    return this.derive(TENANTS_BY_CLUSTER, () => firstBy(this.tenants, (t) => t.clusterName));
  }

  /** The first catalog entry of each name. */
  public get catalogByName(): ReadonlyMap<string, ServiceCatalogEntry> {
    return this.derive(CATALOG_BY_NAME, () => firstBy(this.catalogEntries, (e) => e.name));
  }

  private group<T, K>(slot: GraphSlot<Map<K, T[]>>, list: readonly T[], key: (x: T) => K): Map<K, T[]> {
    return this.derive(slot, () => {
      const m = new Map<K, T[]>();
      for (const x of list) {
        const k = key(x);
        const l = m.get(k);
        if (l) l.push(x);
        else m.set(k, [x]);
      }
      return m;
    });
  }
}

const FLEET_OF = new GraphSlot<Map<ManagementCluster, FleetCluster[]>>('fleet by management cluster');
const TENANTS_OF = new GraphSlot<Map<ManagementCluster, TenantVCluster[]>>('tenants by management cluster');
const TENANTS_ON = new GraphSlot<Map<ClusterBase, TenantVCluster[]>>('tenants by host');
const TENANTS_BY_CLUSTER = new GraphSlot<Map<string, TenantVCluster>>('tenants by virtual cluster name');
const CATALOG_BY_NAME = new GraphSlot<Map<string, ServiceCatalogEntry>>('catalog entries by name');

function firstBy<T>(list: readonly T[], key: (x: T) => string): Map<string, T> {
  const m = new Map<string, T>();
  for (const x of list) if (!m.has(key(x))) m.set(key(x), x);
  return m;
}
