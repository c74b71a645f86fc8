import { Problem, messages } from '../core/errors';

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
}

function passthroughListener(gateway: Record<string, unknown>): boolean {
  const listeners = ((gateway.spec as { listeners?: unknown[] } | undefined)?.listeners ?? []) as { protocol?: string; tls?: { mode?: string } }[];
  return listeners.some((l) => l.protocol === 'TLS' && l.tls?.mode === 'Passthrough');
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
  if (dns.some((e) => ((e._valuesFor(tenant.host.environment, tenant.host.name).sources as unknown[] | undefined) ?? ['service', 'ingress']).includes(source))) return [];
  return [{
    path: tenant.path, severity: 'warning',
    message: messages.tenant.exposureNoDns(tenant.name, tenant.host.name, source, dns.length > 0),
  }];
}

function routeProblems(tenant: ExposedTenant, onHost: readonly ExposureProvider[]): Problem[] {
  const x = tenant.exposure;
  if (x.kind === 'gateway') {
    const gateways = onHost.flatMap((e) => e._manifestsFor(tenant.host.environment).filter((o) => o.kind === 'Gateway' && o.metadata.name === x.name && (o.metadata.namespace ?? e.namespace) === x.namespace));
    if (gateways.some((g) => passthroughListener(g))) return [];
    return [{
      path: tenant.path, severity: 'warning',
      message: messages.tenant.exposureGateway(tenant.name, x.namespace, x.name, tenant.host.name, gateways.length > 0),
    }];
  }
  const ingress = onHost.filter((e) => e.chart?.chart === 'ingress-nginx' && e.namespace === x.namespace);
  if (ingress.some((e) => sslPassthrough(e._valuesFor(tenant.host.environment, tenant.host.name)))) return [];
  return [{
    path: tenant.path, severity: 'warning',
    message: messages.tenant.exposureIngress(tenant.name, x.name, tenant.host.name, x.namespace, ingress.length > 0),
  }];
}
