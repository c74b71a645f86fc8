import { messages, Problem } from '../core/errors';
import { PlatformGraph } from '../graph/platform-graph';

/** Cluster names are unique across the platform (management and fleet). */
export function platformRules(graph: PlatformGraph): Problem[] {
  const seen = new Map<string, string>();
  const problems: Problem[] = [];
  for (const c of graph.clusters) {
    const first = seen.get(c.name);
    if (first) problems.push({ path: c.node.path, message: messages.duplicateName('cluster', c.name, [first]) });
    else seen.set(c.name, c.node.path);
  }
  return problems;
}
