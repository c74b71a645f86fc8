import { messages, Problem } from '../core/errors';
import { ClusterIamRole, clusterIamRoles } from '../cluster/iam-roles';
import type { ClusterBase } from '../cluster/cluster-base';
import { PlatformGraph } from '../graph/platform-graph';

/** Cluster names are unique across the platform (management and fleet), and so are the IAM role names the library makes. */
export function platformRules(graph: PlatformGraph): Problem[] {
  const seen = new Map<string, string>();
  const problems: Problem[] = [];
  const named: ClusterBase[] = [];
  for (const c of graph.clusters) {
    const first = seen.get(c.name);
    if (first) problems.push({ path: c.node.path, message: messages.duplicateName('cluster', c.name, [first]) });
    else {
      seen.set(c.name, c.node.path);
      named.push(c);
    }
  }
  return [...problems, ...iamRoleNameProblems(named)];
}

/**
 * IAM role names are unique per AWS account, and the platform does not know which account each
 * cluster's state is applied in: two roles the library names alike (a cluster's, a management
 * cluster's, an add-on identity's) are refused wherever they are. Each clash is reported once, on
 * the role made later. Clusters of a duplicate name are left out (that problem is reported above).
 */
function iamRoleNameProblems(clusters: readonly ClusterBase[]): Problem[] {
  const first = new Map<string, ClusterIamRole>();
  const problems: Problem[] = [];
  for (const c of clusters) {
    for (const role of clusterIamRoles(c)) {
      const other = first.get(role.name);
      if (other) problems.push({ path: role.path, message: messages.cluster.iamRoleNameTaken(role, other) });
      else first.set(role.name, role);
    }
  }
  return problems;
}
