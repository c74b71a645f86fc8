import type { PlatformGraph } from '../graph/platform-graph';

/**
 * The sync wave after every catalog entry's ApplicationSet: objects of a cluster folder whose CRDs
 * catalog entries install go there, so that a failed apply of theirs (before the CRDs exist) never
 * holds back the ApplicationSets in the same sync of the root.
 */
export function afterCatalogWave(graph: PlatformGraph): number {
  return Math.max(0, ...graph.catalogEntries.map((e) => e.syncWave)) + 1;
}
