import { messages, Problem } from '../core/errors';
import { managesStoreIdentity } from '../cluster/addon-identities';
import { kindOf, NodeKind } from '../graph/kinds';
import { GraphSlot, PlatformGraph } from '../graph/platform-graph';
import { Quantity } from '../model/quantity';
import { servicesByCluster } from '../service/service-index';
import { ServiceSize, SizeSpec, SIZES } from '../service/service-size';
import { SecretStoreKind } from '../model/secret-store';
import { ARGOCD_NAMESPACE } from '../argocd/types';
import { argoCdRouteProblems, EntriesByCluster, entriesByCluster, exposureProblems } from '../tenant/exposure-rule';
import { PUBLIC_GATEWAY, PUBLIC_GATEWAY_NAMESPACE } from '../catalog/public-gateway';
import type { FleetCluster } from '../cluster/fleet-cluster';
import type { ClusterBase } from '../cluster/cluster-base';
import type { TenantQuota, TenantVCluster } from '../tenant/tenant-vcluster';
import type { NamespaceTenant } from '../tenant/namespace-tenant';
import type { ServiceCatalogEntry } from '../catalog/service-catalog-entry';

type AnyTenant = TenantVCluster | NamespaceTenant;

const FIRST_VCLUSTER_IN_NAMESPACE = new GraphSlot<Map<string, TenantVCluster>>('first vCluster tenant per host namespace');
const EXTERNAL_SECRETS = new GraphSlot<ServiceCatalogEntry[]>('External Secrets entries');
const ENTRIES_BY_CLUSTER = new GraphSlot<EntriesByCluster>('catalog entries by targeted cluster');
const ALL_TENANTS = new GraphSlot<{ byName: Map<string, AnyTenant[]>; byNamespace: Map<string, AnyTenant[]> }>('tenants of both kinds by name and namespace');

/** Namespaces that belong to Kubernetes on every cluster. */
const KUBERNETES_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
const ARGOCD_HOSTS = new GraphSlot<Map<string, { owner: string; exposed: boolean; tenant?: TenantVCluster }>>('Argo CD host names, the first Argo CD of each and whether the platform exposes it');

/**
 * A tenant's namespace must be its own: not one Kubernetes keeps, not Argo CD's on a management
 * cluster, not a catalog entry's on the host (the tenant's fence would cut that add-on off).
 */
function reservedNamespaceProblems(graph: PlatformGraph, t: AnyTenant): Problem[] {
  const ns = t.namespace;
  let owner: string | undefined;
  if (KUBERNETES_NAMESPACES.has(ns)) owner = 'Kubernetes keeps for itself';
  else if (ns === ARGOCD_NAMESPACE && kindOf(t.host) === NodeKind.MANAGEMENT_CLUSTER) owner = 'runs the cluster\'s Argo CD';
  else if (ns === 'external-secrets' && kindOf(t.host) === NodeKind.MANAGEMENT_CLUSTER) owner = 'runs the External Secrets the management cluster\'s bootstrap installs';
  else {
    const entry = (graph.derive(ENTRIES_BY_CLUSTER, () => entriesByCluster(graph.catalogEntries)).get(t.host.name) ?? []).find((e) => e.namespace === ns);
    if (entry) owner = `catalog entry "${entry.name}" installs into`;
  }
  return owner ? [{ path: t.node.path, message: messages.tenantReservedNamespace(t.name, ns, t.host.name, owner) }] : [];
}

/** Each Argo CD host name with its first Argo CD (a duplicate host is itself an error: the platform rule for hubs, apiHostProblems for tenants). */
function argocdHosts(graph: PlatformGraph): Map<string, { owner: string; exposed: boolean; tenant?: TenantVCluster }> {
  return graph.derive(ARGOCD_HOSTS, () => {
    const m = new Map<string, { owner: string; exposed: boolean; tenant?: TenantVCluster }>();
    for (const c of graph.managementClusters) if (!m.has(c._argocdHostname)) m.set(c._argocdHostname, { owner: `the Argo CD host of management cluster "${c.name}"`, exposed: c._argocdUi !== undefined });
    // a tenant's dedicated Argo CD is routed at its host on the host's Gateway (src/render/tenant-host.ts)
    for (const x of graph.tenants) if (x._argocd && !m.has(x._argocd.hostname)) m.set(x._argocd.hostname, { owner: `the host of tenant "${x.name}"'s dedicated Argo CD`, exposed: true, tenant: x });
    return m;
  });
}

/** A vCluster tenant's API host must not be an Argo CD's (a management cluster's, or another tenant's dedicated one). */
function apiHostProblems(graph: PlatformGraph, t: TenantVCluster): Problem[] {
  const hosts = argocdHosts(graph);
  const problems: Problem[] = [];
  const clash = hosts.get(t.apiHost);
  // an error where the platform routes that host to Argo CD; else a warning: the host is Argo CD's by name only
  if (clash) problems.push({ path: t.node.path, message: messages.tenantHostClash(t.name, t.apiHost, clash.owner, clash.exposed), ...(clash.exposed ? {} : { severity: 'warning' as const }) });
  // the tenant's own Argo CD: a host no management cluster's Argo CD and no earlier tenant's has
  const first = t._argocd ? hosts.get(t._argocd.hostname) : undefined;
  if (first && first.tenant !== t) problems.push({ path: t.node.path, message: messages.tenantArgocdHostClash(t.name, t._argocd!.hostname, first.owner) });
  return problems;
}

const isFleet = (c: ClusterBase): c is FleetCluster => kindOf(c) === NodeKind.FLEET_CLUSTER;
const nsKey = (t: AnyTenant) => `${t.host.node.path}\n${t.namespace}`;

/** A vCluster tenant: exposure, unique name and namespace, the host's capacity and store grants, External Secrets on a fleet host. */
export function tenantVClusterRules(graph: PlatformGraph, t: TenantVCluster): Problem[] {
  const here = t.node.path;
  const problems: Problem[] = [];
  const exposure = t._apiExposure;
  const byCluster = graph.derive(ENTRIES_BY_CLUSTER, () => entriesByCluster(graph.catalogEntries));
  problems.push(...exposureProblems({ path: here, name: t.name, host: t.host, exposure: { kind: exposure._kind, name: exposure._name, namespace: exposure._namespace }, apiHost: t.apiHost, namespace: t.namespace }, byCluster));
  const dedicated = t._argocd;
  if (dedicated) {
    problems.push(...argoCdRouteProblems({
      path: here, name: t.name, host: t.host, hostname: dedicated.hostname, clusterIssuer: dedicated.clusterIssuer,
      gateway: { name: PUBLIC_GATEWAY, namespace: PUBLIC_GATEWAY_NAMESPACE }, listenerNamespace: PUBLIC_GATEWAY_NAMESPACE,
    }, byCluster));
  }
  const sameName = graph.derive(FIRST_TENANT_BY_NAME, () => firstBy(graph.tenants, (x) => x.name)).get(t.name);
  if (sameName && sameName !== t) problems.push({ path: here, message: messages.duplicateTenantName(t.name, sameName.node.path) });
  problems.push(...reservedNamespaceProblems(graph, t), ...apiHostProblems(graph, t));
  const sameNs = graph.derive(FIRST_VCLUSTER_IN_NAMESPACE, () => firstBy(graph.tenants, nsKey)).get(nsKey(t));
  if (sameNs && sameNs !== t) problems.push({ path: here, message: messages.tenantNamespaceClash(t.name, t.namespace, t.host.name, sameNs.node.path) });
  const capacity = t.host.tenantCapacity;
  const onHost = graph.tenantsOn(t.host);
  const last = onHost[onHost.length - 1] === t;
  if (capacity && last) {
    for (const [key, label] of [['cpu', 'CPU'], ['memory', 'memory']] as const) {
      const limit = capacity[key];
      if (limit === undefined) continue;
      if (Quantity.sum(onHost.map((x) => Quantity.of(x.quota[key]))).compare(Quantity.of(limit)) > 0) {
        problems.push({ path: t.host.node.path, message: messages.tenantCapacity(t.host.name, label, key, limit, onHost.map((x) => `${x.name}: ${x.quota[key]}`).join(', ')) });
      }
    }
  }
  problems.push(...servicesOverQuota(t));
  const grant = last ? pushGrant(t, onHost) : undefined;
  if (grant) {
    problems.push({ path: t.host.node.path, severity: 'warning', message: messages.tenantPushGrant(t.host.name, onHost.map((x) => x.name).join(', '), grant) });
  }
  if (isFleet(t.host)) {
    const labels = t.host.labels;
    const eso = graph.derive(EXTERNAL_SECRETS, () => graph.catalogEntries.filter((e) => e.chart?.chart === 'external-secrets'));
    if (!eso.some((e) => e.targets.matches(labels))) problems.push({ path: here, message: messages.tenantHostWithoutExternalSecrets(t.name, t.host.name) });
  }
  return problems;
}

/**
 * The team services pinned to a tenant's virtual cluster, each at its autoscaler's maximum, against
 * the tenant's ResourceQuota (a warning: they reach it only under load, and then stop scaling).
 */
function servicesOverQuota(t: TenantVCluster): Problem[] {
  const pinned = servicesByCluster(t.platform).get(t.clusterName) ?? [];
  if (pinned.length === 0) return [];
  const sizes = pinned.map((e) => SIZES[e.service._props.size ?? ServiceSize.SMALL]);
  const need = (each: (s: SizeSpec) => string) => Quantity.sum(sizes.map((s) => Quantity.of(each(s))));
  const dims: [keyof TenantQuota, string, Quantity][] = [
    ['limitsCpu', 'limits.cpu', need((s) => `${s.maxReplicas * s.cpuLimitMillis}m`)],
    ['limitsMemory', 'limits.memory', need((s) => `${s.maxReplicas * s.memoryLimitMi}Mi`)],
    ['cpu', 'requests.cpu', need((s) => `${s.maxReplicas * s.cpuRequestMillis}m`)],
    ['memory', 'requests.memory', need((s) => `${s.maxReplicas * s.memoryRequestMi}Mi`)],
    ['pods', 'pods', need((s) => String(s.maxReplicas))],
  ];
  const over = dims.filter(([key, , needed]) => needed.compare(Quantity.of(t.quota[key])) > 0).map(([key, what, needed]) => `${what} ${needed.text} against ${t.quota[key]}`);
  if (over.length === 0) return [];
  const services = pinned.map((e, i) => `${e.service.name} (${e.env}): up to ${sizes[i].maxReplicas} replicas`);
  return [{ path: t.node.path, severity: 'warning', message: messages.tenant.servicesOverQuota(t.name, services, over) }];
}

/** A namespace tenant: unique name and namespace among tenants of both kinds (vCluster tenants check each other). */
export function namespaceTenantRules(graph: PlatformGraph, t: NamespaceTenant): Problem[] {
  const index = graph.derive(ALL_TENANTS, () => {
    const byName = new Map<string, AnyTenant[]>();
    const byNamespace = new Map<string, AnyTenant[]>();
    const add = (m: Map<string, AnyTenant[]>, k: string, c: AnyTenant) => m.set(k, [...(m.get(k) ?? []), c]);
    for (const c of graph.all) {
      const kind = kindOf(c);
      if (kind !== NodeKind.NAMESPACE_TENANT && kind !== NodeKind.TENANT_VCLUSTER) continue;
      const x = c as AnyTenant;
      add(byName, x.name, x);
      add(byNamespace, nsKey(x), x);
    }
    return { byName, byNamespace };
  });
  // this reports any clash that involves a namespace tenant
  const clash = (list: AnyTenant[]) => {
    const others = list.filter((x) => x !== t);
    return others.length && (list[0] !== t || others.some((o) => kindOf(o) === NodeKind.TENANT_VCLUSTER)) ? others[0] : undefined;
  };
  const problems: Problem[] = [];
  const sameName = clash(index.byName.get(t.name) ?? []);
  if (sameName) problems.push({ path: t.node.path, message: messages.duplicateTenantName(t.name, sameName.node.path) });
  const sameNs = clash(index.byNamespace.get(nsKey(t)) ?? []);
  if (sameNs) problems.push({ path: t.node.path, message: messages.tenantNamespaceClash(t.name, t.namespace, t.host.name, sameNs.node.path) });
  problems.push(...reservedNamespaceProblems(graph, t));
  problems.push(...hostnameProblems(graph, t));
  return problems;
}

const CLAIMED_HOSTS = new GraphSlot<Map<string, { owner: string; tenant?: NamespaceTenant }>>('host names the platform routes, and who each is');

/**
 * A namespace tenant's host names must be its own: no Argo CD's, no virtual cluster API's, no
 * team service's, no catalog entry's route's, no earlier namespace tenant's. The shared Gateway
 * merges the routes of every namespace for a name, so two owners would split its traffic.
 */
function hostnameProblems(graph: PlatformGraph, t: NamespaceTenant): Problem[] {
  if (t.hostnames.length === 0) return [];
  const claimed = graph.derive(CLAIMED_HOSTS, () => {
    const m = new Map<string, { owner: string; tenant?: NamespaceTenant }>();
    const claim = (host: string, owner: string, tenant?: NamespaceTenant) => { if (!m.has(host)) m.set(host, { owner, tenant }); };
    for (const [host, { owner }] of argocdHosts(graph)) claim(host, owner);
    for (const x of graph.tenants) claim(x.apiHost, `the API host of tenant "${x.name}"'s virtual cluster`);
    for (const s of graph.teamServices) for (const env of s._pins.keys()) claim(s.hostFor(env), `the host of team service "${s.name}" in ${env}`);
    for (const e of graph.catalogEntries) {
      for (const o of e._allManifests) {
        if (!/Route$/.test(o.kind) || !o.apiVersion.startsWith('gateway.networking.k8s.io/')) continue;
        for (const h of (o.spec as { hostnames?: unknown } | undefined)?.hostnames as string[] ?? []) claim(h, `routed by catalog entry "${e.name}"`);
      }
    }
    for (const x of graph.namespaceTenants) for (const h of x.hostnames) claim(h, `namespace tenant "${x.name}"'s`, x);
    return m;
  });
  return t.hostnames.flatMap((h) => {
    const c = claimed.get(h);
    return c && c.tenant !== t ? [{ path: t.node.path, message: messages.tenant.hostnameClaimed(h, t.name, c.owner) }] : [];
  });
}

const FIRST_TENANT_BY_NAME = new GraphSlot<Map<string, TenantVCluster>>('first vCluster tenant per name');

/**
 * What the user must grant the host's External Secrets identity for the PushSecrets of
 * `tenants`, when the library does not (fleet hosts, and any host with a Vault store).
 */
function pushGrant(t: TenantVCluster, tenants: readonly TenantVCluster[]): string | undefined {
  if (!isFleet(t.host) || managesStoreIdentity(t.host)) return undefined;
  const store = t.platform.secretStore;
  const o = store.options;
  const keys = tenants.map((x) => x.remoteKey);
  switch (store.kind) {
    case SecretStoreKind.VAULT:
      return `a Vault policy on its role "external-secrets" with create, read and update on ${keys.map((k) => `"${o.path}/data/${k}"`).join(', ')} and read, update and delete on ${keys.map((k) => `"${o.path}/metadata/${k}"`).join(', ')}`;
    case SecretStoreKind.AZURE_KEY_VAULT:
      return `the role "Key Vault Secrets Officer" on Key Vault "${o.vaultName}" (the identity of the output external_secrets_client_id)`;
    default:
      return `secretsmanager:CreateSecret, PutSecretValue, TagResource, DescribeSecret and DeleteResourcePolicy, and DeleteSecret on secrets tagged managed-by=external-secrets, on ${keys.map((k) => `"arn:<partition>:secretsmanager:${o.region}:<account>:secret:${k}-??????"`).join(', ')}`;
  }
}

function firstBy<T>(list: readonly T[], key: (x: T) => string): Map<string, T> {
  const m = new Map<string, T>();
  for (const x of list) if (!m.has(key(x))) m.set(key(x), x);
  return m;
}
