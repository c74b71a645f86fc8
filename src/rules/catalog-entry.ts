import { messages, Problem } from '../core/errors';
import { impliedDependencyProblems } from '../catalog/implied-dependencies';
import type { ServiceCatalogEntry } from '../catalog/service-catalog-entry';
import { PlatformGraph } from '../graph/platform-graph';
import { targetableClusters } from '../graph/targetable';
import { CloudProvider } from '../model/cloud';

/**
 * A catalog entry: its selector matches a cluster, its name is unique, its deprecation is
 * reported, the dependencies its manifests imply and those it declares are on every cluster it
 * targets and form no cycle, its identity fits each cluster's cloud, each cluster provides the
 * outputs its values use, and its per-cluster values name clusters it targets.
 */
export function catalogEntryRules(graph: PlatformGraph, e: ServiceCatalogEntry): Problem[] {
  const here = e.node.path;
  const problems: Problem[] = [];
  const clusters = targetableClusters(graph);
  const matched = clusters.filter((c) => e.targets.matches(c.labels));
  if (matched.length === 0) {
    problems.push({ path: here, severity: 'warning', message: messages.catalog.matchesNoCluster(e.name, e.targets.toSpec()) });
  }
  const first = graph.catalogByName.get(e.name);
  if (first && first !== e) {
    problems.push({ path: here, message: messages.catalog.duplicateEntry(e.name, first.node.path) });
  }
  if (e._deprecation) problems.push({ path: here, severity: 'warning', message: messages.catalog.deprecated(e.name, e._deprecation) });
  problems.push(...impliedDependencyProblems(here, e, graph.catalogEntries, clusters));
  for (const cycle of e._dependencyCycles) {
    problems.push({ path: here, message: messages.catalog.dependencyCycle(cycle.map((x) => x.name)) });
  }
  for (const c of matched) {
    for (const dep of e._declaredDependencies) {
      if (!dep.targets.matches(c.labels)) {
        problems.push({ path: here, message: messages.catalog.dependencyNotThere(e.name, c.name, c.path, dep.name) });
      }
    }
    const identity = e.identity;
    const clusterCloud = c.labels['platform-role'] === 'management' || c.labels['platform-role'] === 'fleet' ? c.labels.cloud : undefined;
    if (identity && identity.cloud && clusterCloud && clusterCloud !== identity.cloud && !identity._crossCloudCapable) {
      problems.push({ path: here, message: messages.crossCloudIdentity(e.name, identity.cloud === CloudProvider.AZURE ? 'Azure' : 'AWS', c.name, clusterCloud === CloudProvider.AZURE ? 'AKS' : 'EKS', identity.cloud) });
      continue;
    }
    if (c.outputs) {
      for (const o of e.outputsUsed.filter((x) => !c.outputs!.includes(x))) {
        problems.push({ path: here, message: messages.catalog.missingOutput(e.name, o, c.name, c.path) });
      }
    }
  }
  for (const c of e._clusterValueNames) {
    if (!matched.some((m) => m.name === c)) {
      problems.push({ path: here, message: messages.catalog.clusterValuesUntargeted(c, e.name) });
    }
  }
  return problems;
}
