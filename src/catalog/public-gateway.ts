import { IConstruct } from 'constructs';

/** The shared Gateway `Catalog.gatewayApi` creates. */
export const PUBLIC_GATEWAY = 'public';
/** The namespace of the shared Gateway (Envoy Gateway's namespace). */
export const PUBLIC_GATEWAY_NAMESPACE = 'envoy-gateway-system';
/** The shared Gateway's plain-HTTP listener on port 80 (routes from every namespace). */
export const HTTP_LISTENER = 'http';
/** The shared Gateway's listener that terminates HTTPS for team services (`Catalog.gatewayApi({ https })`). */
export const HTTPS_LISTENER = 'https';
/** The construct metadata type that marks a gateway entry with the HTTPS listener. */
const HTTPS_MARK = 'cdk8s-gitops-platform:https-listener';

/**
 * The domain whose names the shared Gateway's HTTPS listener terminates
 * (`*.apps.<platform domain>`). It is a subdomain of the platform domain, never the
 * platform domain itself: the TLS passthrough listener on the same port serves the
 * virtual cluster APIs at `<tenant>.<platform domain>`, and a listener hostname
 * `*.<platform domain>` would also match those names (a Gateway API wildcard is a
 * suffix match) and terminate their TLS.
 */
export function servicesDomain(platformDomain: string): string {
  return `apps.${platformDomain}`;
}

/** @internal Marks a catalog entry as serving the HTTPS listener for team services. */
export function markHttpsListener(entry: IConstruct): void {
  entry.node.addMetadata(HTTPS_MARK, true);
}

/** @internal True when the construct is a catalog entry marked by {@link markHttpsListener}. */
export function hasHttpsListener(c: IConstruct): boolean {
  return c.node.metadata.some((m) => m.type === HTTPS_MARK);
}
