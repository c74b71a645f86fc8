import { messages, Problem } from '../core/errors';
import { clusterIdentities } from '../cluster/addon-identities';
import { ClusterIamRole, clusterIamRoles, makesIamRole } from '../cluster/iam-roles';
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
  return [...problems, ...iamRoleNameProblems(named), ...identityNameProblems(named)];
}

/**
 * An add-on identity's Terraform resources and outputs are named after the identity (and the
 * cluster): two catalog entries that give one cluster identities of the same name would make one
 * managed identity, Vault policy or output for both. IAM roles are left to the role-name rule.
 */
function identityNameProblems(clusters: readonly ClusterBase[]): Problem[] {
  const problems: Problem[] = [];
  for (const c of clusters) {
    const first = new Map<string, { name: string; path: string }>();
    for (const { entry, identity } of clusterIdentities(c)) {
      if (makesIamRole(c, identity)) continue;
      const other = first.get(identity.name);
      if (other) problems.push({ path: entry.node.path, message: messages.cluster.identityNameTaken(identity.name, c.name, entry.name, other.name, other.path, identity.outputNames) });
      else first.set(identity.name, { name: entry.name, path: entry.node.path });
    }
  }
  return problems;
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
