/**
 * How the management Argo CD is sized from what the platform declares.
 *
 * Sources:
 * - Argo CD operator manual, High Availability
 *   (https://argo-cd.readthedocs.io/en/stable/operator-manual/high_availability/): the application
 *   controller shards by cluster; more replicas split the clusters between them; a cluster can be
 *   pinned to a shard with the `shard` field of its cluster Secret; the algorithm is set with
 *   `controller.sharding.algorithm` in `argocd-cmd-params-cm` (`legacy`, `round-robin`,
 *   `consistent-hashing`: consistent hashing with bounded loads, which spreads evenly and moves
 *   the fewest clusters when shards or clusters come and go); "for 1000 applications, we use 50
 *   for `--status-processors` and 25 for `--operation-processors`" (defaults 20 and 10).
 * - CNOE, "Argo CD Benchmarking - Pushing the Limits and Sharding Deep Dive"
 *   (https://cnoe.io/blog/argo-cd-application-scalability): 10,000 Applications over about 100
 *   clusters and 50,000 over 500, sharded; the sharding experiments distribute 100 workload clusters.
 * - The ApplicationSet controller does not shard: several replicas need leader election
 *   (`applicationsetcontroller.enable.leader.election` in `argocd-cmd-params-cm`, off by default),
 *   and then one replica works while the others stand by, so more replicas add availability, not
 *   throughput (argo-helm's argo-cd chart, `applicationSet.replicas`).
 *
 * Argo CD documents no fixed number of clusters or Applications per shard. The defaults here
 * are this library's: 100 clusters per shard (the size of the CNOE sharding experiments' fleet)
 * and 1,000 Applications per shard (the load the HA guide tunes one controller's processors for).
 */

/** How the application controller assigns clusters to shards (`controller.sharding.algorithm`). */
export enum ShardingAlgorithm {
  /**
   * Consistent hashing with bounded loads: even, and moves the fewest clusters when shards or
   * clusters change. Argo CD's High Availability guide still lists it as an alpha feature.
   */
  CONSISTENT_HASHING = 'consistent-hashing',
  /** Equal distribution by cluster order (all clusters move when the first one is removed). */
  ROUND_ROBIN = 'round-robin',
  /** Argo CD's default: by cluster UID, not uniform. */
  LEGACY = 'legacy',
}

/** Default number of registered clusters one controller shard takes. */
export const CLUSTERS_PER_SHARD = 100;
/** Default number of Applications one controller shard (and one repo server) takes. */
export const APPLICATIONS_PER_SHARD = 1000;

/** What the sizing is computed from. */
export interface ArgoCdSizingInput {
  /** Clusters registered in this Argo CD (itself, its fleet, its tenants' virtual clusters). */
  readonly clusters: number;
  /** Applications it reconciles (rendered ones plus what its ApplicationSets generate). */
  readonly applications: number;
  readonly highAvailability: boolean;
  readonly clustersPerShard: number;
  readonly applicationsPerShard: number;
  /** A fixed number of controller replicas (else computed). */
  readonly controllerReplicas?: number;
  readonly shardingAlgorithm: ShardingAlgorithm;
}

/** The management Argo CD's size, as rendered into its chart values. */
export interface ArgoCdSizing {
  /** Clusters registered in this Argo CD. */
  readonly clusters: number;
  /** Applications it reconciles (an estimate made from the declaration). */
  readonly applications: number;
  /** Application controller replicas (= shards). */
  readonly controllerReplicas: number;
  /** The sharding algorithm (set when there are two or more shards). */
  readonly shardingAlgorithm: ShardingAlgorithm;
  /** Repo server replicas (the minimum of its autoscaler when highly available). */
  readonly repoServerReplicas: number;
  /** ApplicationSet controller replicas (leader election: one active). */
  readonly applicationSetReplicas: number;
  /** Status and operation processors per controller replica. */
  readonly processors: { readonly status: number; readonly operation: number };
}

/** Sizes the management Argo CD. */
export function sizeArgoCd(input: ArgoCdSizingInput): ArgoCdSizing {
  const shards = input.controllerReplicas ?? Math.max(1,
    Math.ceil(input.clusters / input.clustersPerShard),
    Math.ceil(input.applications / input.applicationsPerShard));
  const perShard = input.applications / shards;
  return {
    clusters: input.clusters,
    applications: input.applications,
    controllerReplicas: shards,
    shardingAlgorithm: input.shardingAlgorithm,
    repoServerReplicas: Math.max(input.highAvailability ? 2 : 1, Math.ceil(input.applications / input.applicationsPerShard)),
    applicationSetReplicas: input.highAvailability ? 2 : 1,
    // the HA guide's figures for a controller with 1,000 Applications; Argo CD's defaults below that
    processors: perShard >= input.applicationsPerShard / 2 ? { status: 50, operation: 25 } : { status: 20, operation: 10 },
  };
}

/** The chart values the sizing sets (merged into the argo-cd chart values). */
export function sizingValues(s: ArgoCdSizing, highAvailability: boolean): { controller: Record<string, unknown>; repoServer: Record<string, unknown>; applicationSet: Record<string, unknown>; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {};
  if (s.controllerReplicas > 1) params['controller.sharding.algorithm'] = s.shardingAlgorithm;
  // two ApplicationSet controllers without leader election would both reconcile every ApplicationSet
  if (s.applicationSetReplicas > 1) params['applicationsetcontroller.enable.leader.election'] = true;
  if (s.processors.status !== 20) {
    params['controller.status.processors'] = s.processors.status;
    params['controller.operation.processors'] = s.processors.operation;
  }
  return {
    controller: { replicas: s.controllerReplicas },
    // fixed, as the server's (argocd-values.ts: an autoscaler without utilization metrics is Degraded)
    repoServer: { replicas: highAvailability ? Math.max(2, s.repoServerReplicas) : s.repoServerReplicas },
    applicationSet: { replicas: s.applicationSetReplicas },
    params,
  };
}
