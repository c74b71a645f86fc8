import { messages, Problem } from '../core/errors';
import { impliedDependencyProblems } from '../catalog/implied-dependencies';
import type { ServiceCatalogEntry } from '../catalog/service-catalog-entry';
import { GraphSlot, PlatformGraph } from '../graph/platform-graph';
import { targetableClusters, TargetableCluster } from '../graph/targetable';
import { CloudProvider } from '../model/cloud';
import { HTTPS_LISTENER, PUBLIC_GATEWAY, PUBLIC_GATEWAY_NAMESPACE } from '../catalog/public-gateway';
import { at } from '../policy/rules/rule';
import { httpsListenerClusters } from './service-rules';

/**
 * A catalog entry: its selector matches a cluster, its name is unique, its deprecation is
 * reported, the dependencies its manifests imply and those it declares are on every cluster it
 * targets and form no cycle, its identity fits each cluster's cloud, each cluster provides the
 * outputs its values use, and its per-cluster values name clusters it targets. An imported
 * cluster is seen as declared on import: the entry's generators reach it only by the labels and
 * outputs its declaration carries (see {@link importedClusterProblems}).
 */
export function catalogEntryRules(graph: PlatformGraph, e: ServiceCatalogEntry): Problem[] {
  const here = e.node.path;
  const problems: Problem[] = [];
  const clusters = targetableClusters(graph);
  const matched = clusters.filter((c) => e.targets.matches(c.labels));
  const imported = importedClusterProblems(here, e, clusters, matched);
  problems.push(...imported.problems);
  if (matched.length === 0 && imported.selectedByUndeclared.size === 0) {
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
    if (imported.unreached.has(c)) continue;
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
        problems.push({ path: here, message: c.imported ? messages.catalog.importedMissingOutput(e.name, o, c.name, c.path) : messages.catalog.missingOutput(e.name, o, c.name, c.path) });
      }
    }
  }
  problems.push(...onePerNodeProblems(graph, e, matched));
  problems.push(...sharedHttpsRouteProblems(graph, e, matched));
  problems.push(...wildcardIssuerProblems(graph, e));
  for (const c of e._clusterValueNames) {
    if (!matched.some((m) => m.name === c) && ![...imported.selectedByUndeclared].some((m) => m.name === c)) {
      problems.push({ path: here, message: messages.catalog.clusterValuesUntargeted(c, e.name) });
    }
  }
  return problems;
}

/**
 * The entry's HTTPRoutes on the shared Gateway's `https` listener: each cluster it targets needs
 * that listener (else the route attaches to nothing), and a host it routes on several clusters
 * gets one DNS record (external-dns publishes it for the first cluster only).
 */
function sharedHttpsRouteProblems(graph: PlatformGraph, e: ServiceCatalogEntry, matched: readonly TargetableCluster[]): Problem[] {
  const routes = e._allManifests.filter((m) => m.kind === 'HTTPRoute' && m.apiVersion.startsWith('gateway.networking.k8s.io/')).filter((m) => {
    const parents = (m.spec as { parentRefs?: { name?: string; namespace?: string; sectionName?: string }[] } | undefined)?.parentRefs ?? [];
    return parents.some((p) => p.name === PUBLIC_GATEWAY && p.namespace === PUBLIC_GATEWAY_NAMESPACE && p.sectionName === HTTPS_LISTENER);
  });
  if (routes.length === 0) return [];
  const https = httpsListenerClusters(graph);
  const hosts = [...new Set(routes.flatMap((r) => (r.spec as { hostnames?: string[] }).hostnames ?? []))];
  const problems: Problem[] = [];
  for (const c of matched) {
    if (!https.has(c.name)) problems.push({ path: e.node.path, message: messages.catalog.routeWithoutHttpsListener(e.name, hosts, c.name, c.path) });
  }
  if (matched.length > 1 && hosts.length) problems.push({ path: e.node.path, message: messages.catalog.routeOnSeveralClusters(e.name, hosts, matched.map((c) => c.name)) });
  return problems;
}

const EKS_START_NODES = new GraphSlot<ReadonlyMap<string, number>>('the nodes each EKS cluster starts with for workloads');

/**
 * Pods the entry's chart keeps one per node, more of them than an EKS cluster it targets has
 * nodes for workloads: nothing scales an EKS node group, so the pods past the nodes stay Pending
 * (and the Application Progressing). AKS pools autoscale. A user's own affinity lifts the check.
 */
function onePerNodeProblems(graph: PlatformGraph, e: ServiceCatalogEntry, matched: readonly TargetableCluster[]): Problem[] {
  const spread = e._onePerNode;
  if (!spread) return [];
  const nodes = graph.derive(EKS_START_NODES, () => new Map(graph.clusters.filter((c) => c._eksStartNodes !== undefined).map((c) => [c.name, c._eksStartNodes!])));
  const problems: Problem[] = [];
  for (const c of matched) {
    const available = nodes.get(c.name);
    if (available === undefined) continue;
    const values = e._valuesFor(c.environment, c.name);
    const replicas = at(values, ...spread.replicas) ?? spread.defaultReplicas;
    if (at(values, ...spread.affinity) !== undefined || typeof replicas !== 'number' || replicas <= available) continue;
    problems.push({ path: e.node.path, message: messages.catalog.onePerNodeOnEks(e.name, replicas, spread.replicas.join('.'), c.name, c.path, available) });
  }
  return problems;
}

/**
 * A wildcard Certificate among the entry's objects (the shared Gateway's `https` listener) issued
 * by an ACME ClusterIssuer of the platform's catalog that solves HTTP-01 only: Let's Encrypt
 * issues a wildcard name through DNS-01 only, so the certificate would never be issued.
 */
function wildcardIssuerProblems(graph: PlatformGraph, e: ServiceCatalogEntry): Problem[] {
  const problems: Problem[] = [];
  for (const cert of e._allManifests) {
    const spec = cert.kind === 'Certificate' ? cert.spec as { dnsNames?: unknown; issuerRef?: { kind?: string; name?: string } } | undefined : undefined;
    const wildcards = Array.isArray(spec?.dnsNames) ? spec!.dnsNames.filter((n): n is string => typeof n === 'string' && n.startsWith('*.')) : [];
    if (wildcards.length === 0 || spec?.issuerRef?.kind !== 'ClusterIssuer') continue;
    const issuerName = spec.issuerRef.name;
    for (const other of graph.catalogEntries) {
      for (const issuer of other._allManifests) {
        if (issuer.kind !== 'ClusterIssuer' || issuer.metadata?.name !== issuerName) continue;
        const solvers = (issuer.spec as { acme?: { solvers?: unknown[] } } | undefined)?.acme?.solvers;
        if (!Array.isArray(solvers)) continue;
        const dns01 = solvers.map((x) => (typeof x === 'object' && x !== null ? (x as { dns01?: Record<string, unknown> }).dns01 : undefined)).filter((x) => x !== undefined);
        if (dns01.length === 0) {
          problems.push({ path: e.node.path, message: messages.catalog.wildcardWithoutDns01(e.name, wildcards[0], String(issuerName), other.name) });
          continue;
        }
        // each cluster's cert-manager answers its own challenge for the same name: Route 53's solver replaces
        // the TXT record set with its one value (UPSERT), where Azure DNS's and Cloudflare's add theirs beside
        const clusters = e.targetedClusters;
        if (clusters.length > 1 && dns01.every((x) => x.route53 !== undefined)) {
          problems.push({ path: e.node.path, severity: 'warning', message: messages.catalog.wildcardRoute53Race(e.name, wildcards[0], String(issuerName), clusters) });
        }
      }
    }
  }
  return problems;
}

/** The labels every declared cluster's registration carries and an imported cluster's may not. */
const REGISTRATION_LABELS = ['cluster_name', 'environment'] as const;

/**
 * The entry against the imported clusters (`FleetCluster.fromName`), whose Argo CD cluster Secret
 * the library does not create: an imported cluster the selector matches must declare the
 * `environment` label the entry's per-environment generators select on (else `unreached`), and
 * the `cluster_name` label when `clusterValues` name it; a selector that would match one only by
 * a registration label it does not declare is a warning, an error when `clusterValues` name it
 * (`selectedByUndeclared`).
 */
function importedClusterProblems(here: string, e: ServiceCatalogEntry, clusters: readonly TargetableCluster[], matched: readonly TargetableCluster[]):
  { problems: Problem[]; unreached: Set<TargetableCluster>; selectedByUndeclared: Set<TargetableCluster> } {
  const problems: Problem[] = [];
  const unreached = new Set<TargetableCluster>();
  const selectedByUndeclared = new Set<TargetableCluster>();
  const platformEnvs = e.platform.environments;
  const envs = e.targets.environments?.filter((x) => platformEnvs.includes(x)) ?? platformEnvs;
  for (const c of clusters.filter((x) => x.imported)) {
    if (!matched.includes(c)) {
      // the labels a declared cluster's registration would carry: does the selector rely on them?
      const assumed: Record<string, string> = { cluster_name: c.name, ...(c.environment ? { environment: c.environment } : {}), ...c.labels };
      if (!e.targets.matches(assumed)) continue;
      const added = REGISTRATION_LABELS.filter((k) => c.labels[k] === undefined && assumed[k] !== undefined);
      const relied = added.filter((k) => !e.targets.matches(Object.fromEntries(Object.entries(assumed).filter(([key]) => key !== k))));
      const withValues = e._clusterValueNames.includes(c.name);
      problems.push({ path: here, ...(withValues ? {} : { severity: 'warning' as const }), message: messages.catalog.importedSelectorLabels(e.name, c.name, c.path, relied.length ? relied : added, Object.fromEntries(added.map((k) => [k, assumed[k]])), withValues) });
      selectedByUndeclared.add(c);
      continue;
    }
    const env = c.labels.environment;
    if (env === undefined || !envs.includes(env)) {
      problems.push({ path: here, message: messages.catalog.importedWithoutEnvironment(e.name, c.name, c.path, env, envs, c.environment && envs.includes(c.environment) ? c.environment : undefined, e._clusterValueNames.includes(c.name)) });
      unreached.add(c);
      continue;
    }
    if (e._clusterValueNames.includes(c.name) && c.labels.cluster_name !== c.name) {
      problems.push({ path: here, message: messages.catalog.importedClusterValuesWithoutName(e.name, c.name, c.path) });
    }
  }
  return { problems, unreached, selectedByUndeclared };
}
