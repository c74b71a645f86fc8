import { Construct } from 'constructs';
import { ARGOCD_NAMESPACE } from '../../argocd/types';
import { BUILT_IN_EXCEPTIONS } from '../../policy/built-in-exceptions';
import { checkRecord } from '../../core/data';
import { checkDnsLabel } from '../../core/validate';
import { Platform } from '../../platform';
import { catalogOptions } from '../catalog-options';
import { HTTP_LISTENER, HTTPS_LISTENER, markHttpsListener, PUBLIC_GATEWAY, PUBLIC_GATEWAY_NAMESPACE, servicesDomain } from '../public-gateway';
import { ManifestObject, ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, label, resources } from './common';

/** HTTPS for team services on the shared Gateway (see {@link Catalog.gatewayApi}). */
export interface GatewayHttpsOptions {
  /**
   * The cert-manager ClusterIssuer of the wildcard certificate `*.apps.<platform domain>`.
   * Let's Encrypt issues wildcard names only through the DNS-01 challenge, so the
   * issuer must solve DNS-01 (`AcmeSolver.dns01*`).
   * @default 'letsencrypt-production'
   * @see https://cert-manager.io/docs/configuration/acme/dns01/
   */
  readonly clusterIssuer?: string;
}

/** Options of {@link Catalog.gatewayApi}. */
export interface GatewayApiOptions extends CatalogEntryOptions {
  /**
   * Terminate HTTPS for team services: an HTTPS listener `https` on port 443 for
   * `*.apps.<platform domain>` with a wildcard certificate, and a redirect from HTTP.
   * @default - no HTTPS listener (HTTP and the TLS passthrough for virtual cluster APIs only)
   * @see https://gateway-api.sigs.k8s.io/guides/tls/
   */
  readonly https?: GatewayHttpsOptions;
}

/**
 * Envoy Gateway, the default Gateway API implementation, with a GatewayClass `envoy` and the
 * shared Gateway `public` in `envoy-gateway-system` that the defaults refer to
 * (`AcmeSolver.http01Gateway`, tenant API exposure, team services): an HTTP listener on port 80
 * for HTTPRoutes (ACME HTTP-01 challenges) and a TLS passthrough listener on port 443 for TLSRoutes
 * (virtual cluster APIs), both open to routes from every namespace.
 *
 * With `https`, a third listener `https` on port 443 terminates TLS for `*.apps.<platform domain>`
 * (team services) with a wildcard Certificate issued in the Gateway's namespace, and an HTTPRoute
 * redirects plain HTTP for those names to HTTPS. It shares port 443 with the passthrough listener,
 * which the Gateway API allows for HTTPS and TLS listeners with distinct hostnames (the passthrough
 * listener has none, so it serves every other name, e.g. `<tenant>.<platform domain>`).
 *
 * The Gateway accepts ListenerSets from the `argocd` namespace (`ArgoCdUi.gateway`) and from its
 * own (the HTTPS listener of each tenant's dedicated Argo CD, with the certificate for its host).
 */
export function gatewayApi(scope: Construct, options: GatewayApiOptions = {}): ServiceCatalogEntry {
  options = catalogOptions(scope, 'gatewayApi', options);
  const namespace = PUBLIC_GATEWAY_NAMESPACE;
  const https = options.https;
  if (https !== undefined) checkRecord(`${scope.node.path}/envoy-gateway`, 'https', https, '{}');
  if (https?.clusterIssuer !== undefined) checkDnsLabel(`${scope.node.path}/envoy-gateway`, 'https.clusterIssuer', https.clusterIssuer);
  const apps = servicesDomain(Platform.of(scope).domain);
  const wildcard = `*.${apps}`;
  const tlsSecret = `${PUBLIC_GATEWAY}-apps-tls`;
  const listeners: Record<string, unknown>[] = [
    { name: HTTP_LISTENER, protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' }, kinds: [{ kind: 'HTTPRoute' }] } },
    { name: 'tls-passthrough', protocol: 'TLS', port: 443, tls: { mode: 'Passthrough' }, allowedRoutes: { namespaces: { from: 'All' }, kinds: [{ kind: 'TLSRoute' }] } },
  ];
  const httpsObjects: ManifestObject[] = [];
  if (https) {
    listeners.push({
      name: HTTPS_LISTENER, protocol: 'HTTPS', port: 443, hostname: wildcard,
      tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: tlsSecret }] },
      allowedRoutes: { namespaces: { from: 'All' }, kinds: [{ kind: 'HTTPRoute' }] },
    });
    httpsObjects.push(
      {
        apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: tlsSecret, namespace },
        spec: { secretName: tlsSecret, dnsNames: [wildcard], issuerRef: { kind: 'ClusterIssuer', name: https.clusterIssuer ?? 'letsencrypt-production' } },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: `${PUBLIC_GATEWAY}-apps-https-redirect`, namespace },
        spec: {
          parentRefs: [{ name: PUBLIC_GATEWAY, sectionName: HTTP_LISTENER }],
          hostnames: [wildcard],
          rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
        },
      },
    );
  }
  const gw = entry(scope, 'envoy-gateway', options, {
    chart: CHARTS.envoyGateway, policyExceptions: [...BUILT_IN_EXCEPTIONS.envoyGateway],
    namespace,
    targets: label('core-basic'),
    serverSideApply: true,
    values: { deployment: { replicas: 2, envoyGateway: { resources: resources('100m', '256Mi', '1Gi') } } },
    manifests: [
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'envoy' }, spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' } },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: PUBLIC_GATEWAY, namespace },
        // HTTPS listeners of the platform's own, each with its certificate: the Argo CD UI's from Argo CD's
        // namespace (ArgoCdUi.gateway), those of tenants' dedicated Argo CDs from the Gateway's (a tenant's
        // namespace is fenced, and its owners may administer it); no other namespace adds listeners
        spec: { gatewayClassName: 'envoy', listeners, allowedListeners: { namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [ARGOCD_NAMESPACE, namespace] }] } } } },
      },
      ...httpsObjects,
    ],
  });
  if (https) markHttpsListener(gw);
  return gw;
}
