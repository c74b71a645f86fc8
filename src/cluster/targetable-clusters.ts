import type { IConstruct } from 'constructs';
import { targetableClusters as targetableInGraph } from '../graph/targetable';
import type { TargetableCluster } from '../graph/targetable';
import { Platform } from '../platform';

export type { TargetableCluster } from '../graph/targetable';

/**
 * Every cluster of the platform `scope` belongs to that catalog selectors can match (management,
 * fleet and imported clusters, and tenant virtual clusters), in tree order. The library
 * computes it over the platform graph (`graph/targetable.ts`); this is the entry point for code
 * that holds a construct, e.g. a rule added with `Platform.addRule`.
 */
export function targetableClusters(scope: IConstruct): TargetableCluster[] {
  return targetableInGraph(Platform.of(scope)._graph());
}
