import { Problem, messages } from '../core/errors';
import { labelsMatch } from '../core/selector';

/** What the exposure rule needs of a catalog entry (no import of the construct, so no cycle). */
export interface ExposureProvider {
  readonly name: string;
  readonly namespace: string;
  /** Absent for a manifest-only entry. */
  readonly chart?: { readonly chart: string };
  readonly targetedClusters: string[];
  _manifestsFor(env: string | undefined): { readonly kind: string; readonly metadata: { readonly name: string; readonly namespace?: string }; readonly [k: string]: unknown }[];
  _valuesFor(env: string | undefined, cluster: string): Record<string, unknown>;
}

/** What the rule needs of the tenant. */
export interface ExposedTenant {
  readonly path: string;
  readonly name: string;
  readonly host: { readonly name: string; readonly environment?: string };
  readonly exposure: { readonly kind: 'gateway' | 'ingress'; readonly name: string; readonly namespace: string };
  /** The API's public host name (`<tenant>.<platform domain>`). */
  readonly apiHost: string;
  /** The tenant's host namespace, where vCluster creates its TLSRoute. */
  readonly namespace: string;
}

/** What the dedicated Argo CD's route rule needs of the tenant: its host name, the certificate's issuer, the Gateway its listener joins. */
export interface RoutedArgoCd {
  readonly path: string;
  readonly name: string;
  readonly host: { readonly name: string; readonly environment?: string };
  readonly hostname: string;
  readonly clusterIssuer: string;
  readonly gateway: { readonly name: string; readonly namespace: string };
  /** The namespace of the ListenerSet (the Gateway must accept ListenerSets from it). */
  readonly listenerNamespace: string;
}

interface Listener {
  readonly protocol?: string;
  readonly hostname?: string;
  readonly tls?: { readonly mode?: string };
  readonly allowedRoutes?: {
    readonly namespaces?: { readonly from?: string; readonly selector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } };
    readonly kinds?: readonly { readonly group?: string; readonly kind?: string }[];
  };
}

/**
 * Whether the Gateway has a TLS passthrough listener that takes a TLSRoute from `routeNamespace`
 * for `host`, as Gateway API implementations admit routes: the listener's `allowedRoutes`
 * namespaces (`Same` when not set) and kinds, and its hostname (a `*.` wildcard covers names below it).
 */
function passthroughListener(gateway: Record<string, unknown>, gatewayNamespace: string, routeNamespace: string, host: string): boolean {
  const listeners = ((gateway.spec as { listeners?: unknown[] } | undefined)?.listeners ?? []) as Listener[];
  return listeners.some((l) => {
    if (l.protocol !== 'TLS' || l.tls?.mode !== 'Passthrough') return false;
    const ns = l.allowedRoutes?.namespaces ?? {};
    const from = ns.from ?? 'Same';
    const admitsNamespace = from === 'All' || (from === 'Same' && gatewayNamespace === routeNamespace)
      || (from === 'Selector' && labelsMatch(ns.selector?.matchLabels, ns.selector?.matchExpressions, { 'kubernetes.io/metadata.name': routeNamespace }, () => false));
    const kinds = l.allowedRoutes?.kinds;
    const admitsKind = !kinds?.length || kinds.some((k) => k.kind === 'TLSRoute' && (k.group ?? 'gateway.networking.k8s.io') === 'gateway.networking.k8s.io');
    const h = l.hostname;
    const admitsHost = !h || h === host || (h.startsWith('*.') && host.endsWith(h.slice(1)));
    return admitsNamespace && admitsKind && admitsHost;
  });
}

function sslPassthrough(values: Record<string, unknown>): boolean {
  const v = ((values.controller as { extraArgs?: Record<string, unknown> } | undefined)?.extraArgs ?? {})['enable-ssl-passthrough'];
  return v === true || v === '' || v === 'true';
}

/**
 * A tenant's API is reachable only when its host runs what its exposure needs: for a
 * Gateway, a catalog entry on the host applying that Gateway with a TLS passthrough
 * listener (e.g. `Catalog.gatewayApi`); for an Ingress, ingress-nginx in the controller
 * namespace, on the host, with `controller.extraArgs.enable-ssl-passthrough`.
 */
export function exposureProblems(tenant: ExposedTenant, entries: EntriesByCluster): Problem[] {
  const onHost = entries.get(tenant.host.name) ?? [];
  return [...routeProblems(tenant, onHost), ...dnsProblems(tenant, onHost)];
}

/** The catalog entries targeting each cluster, by cluster name, in the entries' order. */
export type EntriesByCluster = ReadonlyMap<string, readonly ExposureProvider[]>;

/**
 * Indexes the catalog entries by the clusters they target: built once per pass, so the rule
 * costs one lookup per tenant (asking every entry for its clusters per tenant was quadratic).
 */
export function entriesByCluster(entries: readonly ExposureProvider[]): EntriesByCluster {
  const index = new Map<string, ExposureProvider[]>();
  for (const e of entries) {
    for (const name of new Set(e.targetedClusters)) {
      const list = index.get(name);
      if (list) list.push(e);
      else index.set(name, [e]);
    }
  }
  return index;
}

/** The API host `<tenant>.<domain>` gets its DNS record from external-dns on the host, reading TLSRoutes (or Ingresses). */
function dnsProblems(tenant: ExposedTenant, onHost: readonly ExposureProvider[]): Problem[] {
  const source = tenant.exposure.kind === 'gateway' ? 'gateway-tlsroute' : 'ingress';
  const dns = onHost.filter((e) => e.chart?.chart === 'external-dns');
  const reading = dns.map((e) => e._valuesFor(tenant.host.environment, tenant.host.name))
    .filter((v) => ((v.sources as unknown[] | undefined) ?? ['service', 'ingress']).includes(source));
  // external-dns drops every record outside its domainFilters (none: every domain)
  if (reading.some((v) => domainFilters(v).length === 0 || domainFilters(v).some((d) => covered(tenant.apiHost, d)))) return [];
  const domains = reading.length > 0 ? [...new Set(reading.flatMap(domainFilters))] : undefined;
  return [{
    path: tenant.path, severity: 'warning',
    message: messages.tenant.exposureNoDns(tenant.name, tenant.host.name, source, dns.length > 0, tenant.apiHost, domains),
  }];
}

/** An external-dns entry's `domainFilters` values. */
function domainFilters(v: Record<string, unknown>): string[] {
  return ((v.domainFilters as unknown[] | undefined) ?? []).filter((d): d is string => typeof d === 'string');
}

/** Whether external-dns's domain filter `domain` admits `name` (the domain itself or a name below it). */
function covered(name: string, domain: string): boolean {
  return name === domain || name.endsWith(`.${domain}`);
}

function routeProblems(tenant: ExposedTenant, onHost: readonly ExposureProvider[]): Problem[] {
  const x = tenant.exposure;
  if (x.kind === 'gateway') {
    const gateways = onHost.flatMap((e) => e._manifestsFor(tenant.host.environment).filter((o) => o.kind === 'Gateway' && o.metadata.name === x.name && (o.metadata.namespace ?? e.namespace) === x.namespace));
    if (gateways.some((g) => passthroughListener(g, x.namespace, tenant.namespace, tenant.apiHost))) return [];
    return [{
      path: tenant.path, severity: 'warning',
      message: messages.tenant.exposureGateway(tenant.name, x.namespace, x.name, tenant.host.name, gateways.length > 0, tenant.namespace, tenant.apiHost),
    }];
  }
  const ingress = onHost.filter((e) => e.chart?.chart === 'ingress-nginx' && e.namespace === x.namespace);
  if (ingress.some((e) => sslPassthrough(e._valuesFor(tenant.host.environment, tenant.host.name)))) return [];
  return [{
    path: tenant.path, severity: 'warning',
    message: messages.tenant.exposureIngress(tenant.name, x.name, tenant.host.name, x.namespace, ingress.length > 0),
  }];
}

/** Whether a Gateway's `spec.allowedListeners` admits ListenerSets from `namespace` (none by default). */
function acceptsListenerSets(gateway: Record<string, unknown>, namespace: string): boolean {
  const allowed = ((gateway.spec as { allowedListeners?: { namespaces?: { from?: string; selector?: Record<string, unknown> } } } | undefined)?.allowedListeners?.namespaces) ?? {};
  const own = (gateway.metadata as { namespace?: string } | undefined)?.namespace;
  switch (allowed.from) {
    case 'All': return true;
    case 'Same': return own === namespace;
    case 'Selector': {
      const sel = (allowed.selector ?? {}) as { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
      return labelsMatch(sel.matchLabels, sel.matchExpressions, { 'kubernetes.io/metadata.name': namespace }, () => false);
    }
    default: return false;
  }
}

/**
 * A tenant's dedicated Argo CD is reachable at its host name only when its host runs what the
 * route needs: a catalog entry applying the Gateway its ListenerSet joins and accepting ListenerSets
 * from the listener's namespace (`Catalog.gatewayApi`), one applying the ClusterIssuer of its
 * certificate (`Catalog.certManager` with `acme`), and external-dns reading HTTPRoutes, following
 * ListenerSet parents and managing the name's domain. Warnings: a Gateway, issuer or DNS record
 * provided outside the platform is invisible to the check.
 */
export function argoCdRouteProblems(t: RoutedArgoCd, entries: EntriesByCluster): Problem[] {
  const onHost = entries.get(t.host.name) ?? [];
  const env = t.host.environment;
  const problems: Problem[] = [];
  const warn = (message: string) => problems.push({ path: t.path, severity: 'warning', message });
  const g = t.gateway;
  const gateways = onHost.flatMap((e) => e._manifestsFor(env).filter((o) => o.kind === 'Gateway' && o.metadata.name === g.name && (o.metadata.namespace ?? e.namespace) === g.namespace)
    .map((o) => ({ ...o, metadata: { ...o.metadata, namespace: o.metadata.namespace ?? e.namespace } })));
  if (!gateways.some((gw) => acceptsListenerSets(gw, t.listenerNamespace))) {
    warn(messages.tenant.argocdRouteGateway(t.name, t.hostname, g.namespace, g.name, t.host.name, gateways.length > 0));
  }
  const issuers = onHost.flatMap((e) => e._manifestsFor(env).filter((o) => o.kind === 'ClusterIssuer' && o.metadata.name === t.clusterIssuer));
  if (issuers.length === 0) {
    warn(messages.tenant.argocdRouteIssuer(t.name, t.hostname, t.clusterIssuer, t.host.name, onHost.some((e) => e.chart?.chart === 'cert-manager')));
  }
  const dns = onHost.filter((e) => e.chart?.chart === 'external-dns').map((e) => e._valuesFor(env, t.host.name));
  const reading = dns.filter((v) => ((v.sources as unknown[] | undefined) ?? ['service', 'ingress']).includes('gateway-httproute'));
  const following = reading.filter((v) => v.enableGatewayListenerSets === true);
  const covers = (v: Record<string, unknown>) => domainFilters(v).length === 0 || domainFilters(v).some((d) => covered(t.hostname, d));
  if (!following.some(covers)) {
    const lack = dns.length === 0 ? 'none' : reading.length === 0 ? 'source' : following.length === 0 ? 'listenerSets' : 'domain';
    warn(messages.tenant.argocdRouteDns(t.name, t.hostname, t.host.name, lack, [...new Set(following.flatMap(domainFilters))]));
  }
  return problems;
}
