import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { fail, messages } from '../core/errors';
import { checkDnsLabel } from '../core/validate';
import { PUBLIC_GATEWAY, PUBLIC_GATEWAY_NAMESPACE } from '../catalog/public-gateway';
import { ARGOCD_NAMESPACE, SKIP_DRY_RUN, SYNC_OPTIONS_ANNOTATION } from './types';

/** The listener the Argo CD UI adds to the shared Gateway, through a ListenerSet in Argo CD's namespace. */
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
  const tlsSecret = 'argocd-ui-tls';
  const meta = (kind: string, name: string) => ({
    name, namespace: ARGOCD_NAMESPACE, labels: { 'app.kubernetes.io/part-of': 'argocd' },
    annotations: {
      'argocd.argoproj.io/sync-wave': String(wave),
      [SYNC_OPTIONS_ANNOTATION]: SKIP_DRY_RUN,
      ...(kind === 'HTTPRoute' ? { 'external-dns.alpha.kubernetes.io/hostname': hostname } : {}),
    },
  });
  new ApiObject(scope, 'ui-listeners', {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'ListenerSet',
    metadata: meta('ListenerSet', 'argocd'),
    spec: {
      parentRef: { name: PUBLIC_GATEWAY, namespace: PUBLIC_GATEWAY_NAMESPACE },
      listeners: [{
        name: ARGOCD_UI_LISTENER, protocol: 'HTTPS', port: 443, hostname,
        tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: tlsSecret }] },
        allowedRoutes: { namespaces: { from: 'Same' }, kinds: [{ kind: 'HTTPRoute' }] },
      }],
    },
  });
  new ApiObject(scope, 'ui-certificate', {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: meta('Certificate', tlsSecret),
    spec: { secretName: tlsSecret, dnsNames: [hostname], issuerRef: { kind: 'ClusterIssuer', name: ui._clusterIssuer } },
  });
  new ApiObject(scope, 'ui-route', {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: meta('HTTPRoute', 'argocd-server'),
    spec: {
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'ListenerSet', name: 'argocd', sectionName: ARGOCD_UI_LISTENER }],
      hostnames: [hostname],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'argocd-server', port: 80 }] }],
    },
  });
}
