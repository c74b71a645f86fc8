import { messages, Problem } from '../core/errors';
import { clusterIdentities } from '../cluster/addon-identities';
import { ClusterIamRole, clusterIamRoles, makesIamRole } from '../cluster/iam-roles';
import type { ClusterBase } from '../cluster/cluster-base';
import type { ManagementCluster } from '../cluster/management-cluster';
import { PlatformGraph } from '../graph/platform-graph';

/**
 * Cluster names are unique across the platform (management and fleet), and so are the IAM role
 * names the library makes and the management clusters' Argo CD host names.
 */
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
  const hubs = graph.managementClusters.filter((m) => named.includes(m));
  return [...problems, ...iamRoleNameProblems(named), ...identityNameProblems(named), ...argocdHostnameProblems(hubs), ...awsQuotaWarnings(graph)];
}

/** AWS's default quotas per Region an account starts with: Elastic IPs, and VPCs (the default VPC counts). */
const AWS_DEFAULT_QUOTAS = { elasticIps: 5, vpcs: 5 } as const;

/**
 * The EKS clusters of one AWS Region need more Elastic IPs (one per NAT gateway) or VPCs than an
 * account has by default: the apply that crosses the quota fails (`AddressLimitExceeded`,
 * `VpcLimitExceeded`) unless the quotas were raised first. A warning, since many accounts have.
 */
function awsQuotaWarnings(graph: PlatformGraph): Problem[] {
  const envs = graph.clusters[0]?.platform.environments ?? [];
  const byRegion = new Map<string, ClusterBase[]>();
  for (const c of graph.clusters) if (c.cloud._eks) byRegion.set(c.cloud.region, [...(byRegion.get(c.cloud.region) ?? []), c]);
  const problems: Problem[] = [];
  for (const [region, clusters] of byRegion) {
    const ips = clusters.map((c) => c.cloud._eksElasticIps(c.environment === envs[envs.length - 1]));
    const total = ips.reduce((a, b) => a + b, 0);
    if (total <= AWS_DEFAULT_QUOTAS.elasticIps && clusters.length < AWS_DEFAULT_QUOTAS.vpcs) continue;
    const last = clusters[clusters.length - 1];
    problems.push({
      path: last.node.path, severity: 'warning',
      message: messages.awsRegionQuotas(region, clusters.map((c, i) => `${c.name} (${ips[i]})`), total, clusters.length, AWS_DEFAULT_QUOTAS.elasticIps, AWS_DEFAULT_QUOTAS.vpcs),
    });
  }
  return problems;
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

/**
 * Each management cluster's Argo CD is reached at its own host name (`argocd.hostname`, by
 * default `argocd.<platform domain>`): it is the `url` SSO sends logins back to, and with
 * `ArgoCdUi.gateway()` the host of the hub's ListenerSet, HTTPRoute, certificate and DNS record.
 * Each clash is reported once, on the later hub. Clusters of a duplicate name are left out.
 */
function argocdHostnameProblems(hubs: readonly ManagementCluster[]): Problem[] {
  const first = new Map<string, ManagementCluster>();
  const problems: Problem[] = [];
  for (const m of hubs) {
    const host = m._argocdHostname;
    const other = first.get(host);
    if (!other) {
      first.set(host, m);
      continue;
    }
    const domain = m.platform.domain;
    problems.push({ path: m.node.path, message: messages.cluster.argocdHostnameTaken(host, m.name, m.node.path, other.name, other.node.path, domain, host === `argocd.${domain}`) });
  }
  return problems;
}
