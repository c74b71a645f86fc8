import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { fail, messages } from '../core/errors';
import { checkDnsLabel } from '../core/validate';
import { HTTP_LISTENER, PUBLIC_GATEWAY, PUBLIC_GATEWAY_NAMESPACE } from '../catalog/public-gateway';
import { ARGOCD_SERVER_SERVICE } from './charts';
import { ARGOCD_NAMESPACE, SKIP_DRY_RUN, SYNC_OPTIONS_ANNOTATION } from './types';

/** The listener an Argo CD's ListenerSet adds to the shared Gateway (the hub's UI, a tenant's dedicated Argo CD). */
export const ARGOCD_UI_LISTENER = 'argocd';

/**
 * How the Argo CD UI and API are reached from outside the management cluster.
 *
 * `ArgoCdUi.gateway()` exposes them on the shared Gateway (`Catalog.gatewayApi`): a Gateway API
 * ListenerSet in the `argocd` namespace adds an HTTPS listener for the Argo CD host name to the
 * Gateway (TLS terminated there, with a certificate cert-manager issues for that name), and an
 * HTTPRoute sends it to `argocd-server`, which then serves plain HTTP (`server.insecure`). The
 * CLI works through it with `--grpc-web`.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#listenerset
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/ingress/
 */
export class ArgoCdUi {
  /** On the shared Gateway `public` in `envoy-gateway-system`. */
  public static gateway(options: ArgoCdUiGatewayOptions = {}): ArgoCdUi {
    return new ArgoCdUi(options?.clusterIssuer ?? 'letsencrypt-production');
  }

  private constructor(/** @internal */ public readonly _clusterIssuer: string) {}

  /** @internal */
  public _validate(path: string): void {
    if (typeof this._clusterIssuer !== 'string') fail(path, messages.clusterIssuer('argocd.ui clusterIssuer', this._clusterIssuer));
    checkDnsLabel(path, 'argocd.ui clusterIssuer', this._clusterIssuer);
  }
}

/** Options of {@link ArgoCdUi.gateway}. */
export interface ArgoCdUiGatewayOptions {
  /**
   * The cert-manager ClusterIssuer of the UI's certificate (`Catalog.certManager` creates
   * `letsencrypt-production` and `letsencrypt-staging`).
   * @default 'letsencrypt-production'
   */
  readonly clusterIssuer?: string;
}

/**
 * The objects exposing the UI at `hostname` (into the management cluster's folder). Their CRDs
 * (Gateway API, cert-manager) come with catalog entries whose ApplicationSets the same root
 * Application creates: they skip the dry run (which would fail the root's whole sync, for good)
 * and go in `wave`, after the catalog's ApplicationSets; the root's retry applies them once the
 * CRDs are there.
 */
export function renderArgoCdUi(scope: Construct, ui: ArgoCdUi, hostname: string, wave: number): void {
  renderArgoCdRoute(scope, {
    hostname, clusterIssuer: ui._clusterIssuer, wave, labels: { 'app.kubernetes.io/part-of': 'argocd' },
    listenerNamespace: ARGOCD_NAMESPACE, listenerSetName: 'argocd', tlsSecret: 'argocd-ui-tls',
    routeNamespace: ARGOCD_NAMESPACE, backendName: ARGOCD_SERVER_SERVICE.name,
  });
}

/** Where {@link renderArgoCdRoute} puts an Argo CD server's listener, certificate and route. */
export interface ArgoCdRoute {
  /** The host name of the UI and API. */
  readonly hostname: string;
  /** The cert-manager ClusterIssuer of the host's certificate. */
  readonly clusterIssuer: string;
  /** The namespace of the ListenerSet and of the Certificate (whose Secret the listener reads from its own namespace). */
  readonly listenerNamespace: string;
  /** The ListenerSet's name. */
  readonly listenerSetName: string;
  /** The Certificate's name and Secret. */
  readonly tlsSecret: string;
  /** The namespace of the HTTPRoute and of the Service it sends to (the listener admits routes from there only). */
  readonly routeNamespace: string;
  /** The name of the Argo CD server's Service in `routeNamespace`. */
  readonly backendName: string;
  /** The objects' labels. */
  readonly labels: Record<string, string>;
  /** Their sync wave: after the catalog's ApplicationSets, which install their CRDs. */
  readonly wave: number;
}

/**
 * An Argo CD server on the shared Gateway at `r.hostname`: a ListenerSet adding an HTTPS listener
 * for the host to the Gateway (TLS terminated there), the listener's cert-manager Certificate, and
 * an HTTPRoute to the server's plain-HTTP port (the server must run with `server.insecure`). The
 * objects skip the dry run (their CRDs come with catalog entries) and carry the external-dns
 * annotation of the host.
 */
export function renderArgoCdRoute(scope: Construct, r: ArgoCdRoute): void {
  const hostname = r.hostname;
  // the route to the server carries the host's DNS record (external-dns)
  const meta = (name: string, namespace: string, dnsRecord = false) => ({
    name, namespace, labels: r.labels,
    annotations: {
      'argocd.argoproj.io/sync-wave': String(r.wave),
      [SYNC_OPTIONS_ANNOTATION]: SKIP_DRY_RUN,
      ...(dnsRecord ? { 'external-dns.alpha.kubernetes.io/hostname': hostname } : {}),
    },
  });
  const sameNamespace = r.listenerNamespace === r.routeNamespace;
  new ApiObject(scope, 'ui-listeners', {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'ListenerSet',
    metadata: meta(r.listenerSetName, r.listenerNamespace),
    spec: {
      parentRef: { name: PUBLIC_GATEWAY, namespace: PUBLIC_GATEWAY_NAMESPACE },
      listeners: [{
        name: ARGOCD_UI_LISTENER, protocol: 'HTTPS', port: 443, hostname,
        tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: r.tlsSecret }] },
        allowedRoutes: {
          namespaces: sameNamespace ? { from: 'Same' } : { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': r.routeNamespace } } },
          kinds: [{ kind: 'HTTPRoute' }],
        },
      }],
    },
  });
  new ApiObject(scope, 'ui-certificate', {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: meta(r.tlsSecret, r.listenerNamespace),
    spec: { secretName: r.tlsSecret, dnsNames: [hostname], issuerRef: { kind: 'ClusterIssuer', name: r.clusterIssuer } },
  });
  new ApiObject(scope, 'ui-route', {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: meta(ARGOCD_SERVER_SERVICE.name, r.routeNamespace, true),
    spec: {
      parentRefs: [{
        group: 'gateway.networking.k8s.io', kind: 'ListenerSet', name: r.listenerSetName,
        ...(sameNamespace ? {} : { namespace: r.listenerNamespace }), sectionName: ARGOCD_UI_LISTENER,
      }],
      hostnames: [hostname],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: r.backendName, port: ARGOCD_SERVER_SERVICE.httpPort }] }],
    },
  });
  // http://<host> answers with a redirect to https (the Gateway's HTTP listener had no route for the
  // name: a 404). An ACME HTTP-01 challenge for the name still reaches its solver: Gateway API
  // prefers the solver route's exact path to this rule's default prefix match.
  new ApiObject(scope, 'ui-https-redirect', {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: meta(`${ARGOCD_SERVER_SERVICE.name}-https-redirect`, r.routeNamespace),
    spec: {
      parentRefs: [{ name: PUBLIC_GATEWAY, namespace: PUBLIC_GATEWAY_NAMESPACE, sectionName: HTTP_LISTENER }],
      hostnames: [hostname],
      rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
    },
  });
}
