import { messages, Problem } from '../core/errors';
import { cidrsOverlap } from '../core/cidr';
import { identityOutputNames, storeGrants } from '../cluster/addon-identities';
import { SecretStoreKind } from '../model/secret-store';
import { IAM_QUOTAS, LONGEST_PARTITION, managedPoliciesNeeded } from '../terraform/iam-policy-size';
import { measuredStatements } from '../terraform/addon-identities';
import { tenantPushStatements } from '../terraform/management-identity';
import { HubRegistrations, registrationProblems, shardProblem } from '../cluster/hub';
import type { ClusterBase } from '../cluster/cluster-base';
import type { FleetCluster } from '../cluster/fleet-cluster';
import type { ManagementCluster } from '../cluster/management-cluster';
import { GraphSlot, PlatformGraph } from '../graph/platform-graph';
import { ENTRA_OBJECT_ID } from '../model/cloud';
import { aksSupportState, eksSupportState, KUBERNETES_CALENDAR_AS_OF, SUPPORTED_KUBERNETES_VERSIONS } from '../model/kubernetes-version';

const HUBS = new GraphSlot<HubRegistrations[]>('hub registrations');

/**
 * Every cluster: its range overlaps no cluster it may route to, an AKS cluster's resource group is
 * its own, its stack opt-ins have their dependencies, and its tenants' owners can sign in.
 */
export function clusterRules(graph: PlatformGraph, cluster: ClusterBase): Problem[] {
  return [...overlaps(graph, cluster), ...resourceGroupTaken(graph, cluster), ...stackRules(cluster), ...ownersUnmapped(graph, cluster), ...pushGrantTooLarge(graph, cluster), ...versionSupport(cluster)];
}

/**
 * A cluster whose Kubernetes minor leaves (or has left) its cloud's support, by the calendar the
 * library ships (`AKS_SUPPORT`, `EKS_SUPPORT`): on AKS past community support a new cluster cannot
 * be created at all; on EKS extended support costs more.
 */
function versionSupport(c: ClusterBase): Problem[] {
  const minor = Number(c.cloud.kubernetesVersion.split('.')[1]);
  const newest = `1.${SUPPORTED_KUBERNETES_VERSIONS.max}`;
  const version = c.cloud.kubernetesVersion;
  const asOf = KUBERNETES_CALENDAR_AS_OF;
  const warn = (message: string): Problem[] => [{ path: c.node.path, severity: 'warning', message }];
  if (c.cloud._aks) {
    const lts = c.cloud._aks.longTermSupport === true;
    const s = aksSupportState(minor, lts);
    if (!s) return [];
    return warn(s.state === 'ended'
      ? messages.aksVersionEnded(c.name, version, s.end, lts, s.ltsEnd, asOf, newest)
      : messages.aksVersionEnding(c.name, version, s.end, lts, asOf, newest));
  }
  const s = eksSupportState(minor);
  if (!s) return [];
  return warn(s.state === 'extended'
    ? messages.eksVersionExtended(c.name, version, s.standardEnd, s.extendedEnd, asOf, newest)
    : messages.eksVersionEnding(c.name, version, s.standardEnd, asOf, newest));
}

/**
 * On AWS Secrets Manager, the grant of a host's External Secrets names each hosted tenant's
 * entry: past a role's inline policies it becomes managed policies, of which IAM attaches at most
 * 10 to a role (the default quota). A host needing more would fail the apply (LimitExceeded).
 */
function pushGrantTooLarge(graph: PlatformGraph, c: ClusterBase): Problem[] {
  const store = c.platform.secretStore;
  if (store.kind !== SecretStoreKind.AWS_SECRETS_MANAGER) return [];
  const keys = graph.tenantsOn(c).map((t) => t.remoteKey);
  if (keys.length === 0) return [];
  const needed = Math.max(managedPoliciesNeeded(measuredStatements(storeGrants(c, store, keys).statements)), graph.managementClusters.includes(c as ManagementCluster) ? managedPoliciesNeeded(tenantPushStatements(store, keys, LONGEST_PARTITION)) : 0);
  return needed <= IAM_QUOTAS.managedPerRole ? [] : [{ path: c.node.path, message: messages.pushGrantTooLarge(c.name, keys.length, needed, IAM_QUOTAS.managedPerRole) }];
}

/**
 * A cluster whose tenants' owners' RoleBindings name groups no one signs in with: on EKS, with
 * no identity provider (EKS maps people only from access entries and an OIDC provider); on AKS,
 * owner groups none of which is an Entra ID object id (how AKS names a group in RBAC).
 */
function ownersUnmapped(graph: PlatformGraph, c: ClusterBase): Problem[] {
  const hosted = [...graph.tenantsOn(c), ...graph.namespaceTenants.filter((t) => t.host === c)];
  if (c.cloud._eks) {
    if (c.cloud._eks.identityProvider !== undefined || hosted.length === 0) return [];
    return [{ path: c.node.path, severity: 'warning', message: messages.ownersUnmapped(c.name, hosted.map((t) => `${t.name} (${t.owners.join(', ')})`)) }];
  }
  const unbound = hosted.filter((t) => !t.owners.some((g) => ENTRA_OBJECT_ID.test(g)));
  return unbound.length === 0 ? [] : [{ path: c.node.path, severity: 'warning', message: messages.ownersNotEntraGroups(c.name, unbound.map((t) => `${t.name} (${t.owners.join(', ')})`)) }];
}

/** A management cluster: the UI's Gateway and certificate, unique hub registrations and shards, the bootstrap runner. */
export function managementClusterRules(graph: PlatformGraph, m: ManagementCluster): Problem[] {
  const problems = clusterRules(graph, m);
  if (m._argocdUi) problems.push(...uiRules(graph, m));
  problems.push(...hubRules(graph, m));
  if (!m.cloud.apiAccess) problems.push({ path: m.node.path, message: messages.bootstrapRunner(m.name), severity: 'warning' });
  return problems;
}

/** A fleet cluster: declared outputs may not take the name of an output the library provides for an add-on identity. */
export function fleetClusterRules(graph: PlatformGraph, f: FleetCluster): Problem[] {
  const provided = new Set(identityOutputNames(f));
  return [...clusterRules(graph, f), ...f._declaredOutputs.filter((n) => provided.has(n)).map((n) => ({
    path: f.node.path,
    message: messages.fleetOutputName(n, f.name),
  }))];
}

function stackRules(c: ClusterBase): Problem[] {
  const labels = c.labels;
  const on = (stack: string) => labels[stack] === 'enabled';
  const problems: Problem[] = [];
  for (const [stack, deps] of Object.entries(c.platform.stackDependencies)) {
    if (!on(stack)) continue;
    for (const dep of deps.filter((d) => !on(d))) problems.push({ path: c.node.path, message: messages.stackDependency(c.name, stack, dep) });
  }
  if (!on('security-basic')) {
    problems.push({ path: c.node.path, message: messages.securityBasic(c.name), severity: c.platform._requireSecurityBasic ? 'error' : 'warning' });
  }
  return problems;
}

function overlaps(graph: PlatformGraph, c: ClusterBase): Problem[] {
  const problems: Problem[] = [];
  // report each pair once, on the later cluster
  for (const other of graph.clusters) {
    if (other === c) break;
    const mayRoute = c._routesToAllClusters || other._routesToAllClusters
      || (c.cloud.provider === other.cloud.provider && c.cloud.region === other.cloud.region);
    if (mayRoute && cidrsOverlap(c._cidr, other._cidr)) {
      problems.push({ path: c.node.path, message: messages.cidrOverlap(c.name, c._cidr.text, other.name, other._cidr.text, other.node.path) });
    }
  }
  return problems;
}

/**
 * Each AKS state creates its resource group: two with one name (Azure compares them
 * case-insensitively) cannot both apply. Reported on the later cluster; two clusters of one name
 * are reported as such.
 */
function resourceGroupTaken(graph: PlatformGraph, c: ClusterBase): Problem[] {
  const group = c.cloud._aksResourceGroup(c.name);
  if (group === undefined) return [];
  const problems: Problem[] = [];
  for (const other of graph.clusters) {
    if (other === c) break;
    if (other.name !== c.name && other.cloud._aksResourceGroup(other.name)?.toLowerCase() === group.toLowerCase()) {
      problems.push({ path: c.node.path, message: messages.resourceGroupTaken(group, other.name, other.node.path) });
    }
  }
  return problems;
}

/** The UI on the shared Gateway needs the Gateway and cert-manager on this cluster. */
function uiRules(graph: PlatformGraph, m: ManagementCluster): Problem[] {
  const labels = m.labels;
  const runs = (chart: string) => graph.catalogEntries.some((e) => e.chart?.chart === chart && e.targets.matches(labels));
  return [['gateway-helm', 'Catalog.gatewayApi(platform) (the shared Gateway)'], ['cert-manager', 'Catalog.certManager(platform, {...}) (the UI\'s certificate)']]
    .filter(([chart]) => !runs(chart))
    .map(([chart, what]) => ({ path: m.node.path, message: messages.argoCdUiNeeds(m.name, chart, what) }));
}

function hubRules(graph: PlatformGraph, m: ManagementCluster): Problem[] {
  const hubs = graph.derive(HUBS, () => graph.managementClusters.map((h) => h._registrations()));
  const mine = hubs.find((h) => h.path === m.node.path)!;
  const problems = registrationProblems(hubs, mine);
  const replicas = m.argoCdSizing.controllerReplicas;
  for (const f of graph.fleetOf(m)) {
    if (f.argocdShard !== undefined && f.argocdShard >= replicas) problems.push(shardProblem(f.node.path, f.argocdShard, replicas, m.name));
    // its registration's ExternalSecret, cluster-<name>, would be the hub's own outputs' (selfRegistrationOutputs)
    if (f.name === `${m.name}-outputs`) problems.push({ path: f.node.path, message: messages.cluster.nameOfHubOutputs(f.name, m.name) });
  }
  return problems;
}
