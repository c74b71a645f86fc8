import { Construct } from 'constructs';
import { fail, messages } from '../../core/errors';
import { catalogOptions } from '../catalog-options';
import { ManifestObject, ServiceCatalogEntry } from '../service-catalog-entry';
import { HTTPS_LISTENER, PUBLIC_GATEWAY, PUBLIC_GATEWAY_NAMESPACE, servicesDomain } from '../public-gateway';
import { Platform } from '../../platform';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, externalSecret, management, resources } from './common';

/** Options of {@link Catalog.atlantis}. */
export interface AtlantisOptions extends CatalogEntryOptions {
  /** The repositories Atlantis may serve, e.g. `github.com/acme/*`. */
  readonly orgAllowlist: string;
  /** The GitHub user Atlantis comments as. */
  readonly githubUser: string;
  /**
   * The URL where GitHub reaches Atlantis, when you expose it yourself (an Ingress or route of
   * yours to the Service `atlantis`, port 80): the library then renders no route.
   * @default - `https://atlantis.apps.<platform domain>`, an HTTPRoute on the shared Gateway's
   * `https` listener (`Catalog.gatewayApi({ https })`), published by external-dns
   */
  readonly url?: string;
}

/**
 * Atlantis: Terraform in pull requests, on GitHub as `githubUser`. Its token and webhook secret
 * come from the secret store entry `atlantis-vcs` (`github_token`, `github_secret`). GitHub
 * reaches it at `https://atlantis.apps.<platform domain>` through the shared Gateway (the
 * wildcard certificate of its `https` listener covers the name), or at `url`.
 */
export function atlantis(scope: Construct, options: AtlantisOptions): ServiceCatalogEntry {
  options = catalogOptions(scope, 'atlantis', options);
  const here = `${scope.node.path}/atlantis`;
  if (!options?.orgAllowlist) fail(here, messages.catalog.atlantisOrgAllowlist(options?.orgAllowlist));
  if (typeof options.githubUser !== 'string' || !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?(?:\[bot\])?$/.test(options.githubUser)) {
    fail(here, messages.catalog.atlantisGithubUser(options.githubUser));
  }
  if (options.url !== undefined && (typeof options.url !== 'string' || !/^https:\/\/[a-z0-9.-]+(:[0-9]+)?(\/[^\s]*)?$/i.test(options.url))) fail(here, messages.catalog.atlantisUrl(options.url));
  const host = `atlantis.${servicesDomain(Platform.of(scope).domain)}`;
  // the chart's default Ingress has no class and no host (no controller takes it: Progressing for ever), and
  // its Service is a NodePort: a ClusterIP Service behind the shared Gateway's HTTPS listener instead
  const route: ManifestObject = {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute',
    metadata: { name: 'atlantis', namespace: 'atlantis', annotations: { 'external-dns.alpha.kubernetes.io/hostname': host } },
    spec: {
      parentRefs: [{ name: PUBLIC_GATEWAY, namespace: PUBLIC_GATEWAY_NAMESPACE, sectionName: HTTPS_LISTENER }],
      hostnames: [host],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'atlantis', port: ATLANTIS_SERVICE_PORT }] }],
    },
  };
  return entry(scope, 'atlantis', options, {
    chart: CHARTS.atlantis, namespace: 'atlantis', targets: management(),
    // github.user turns on the chart's GitHub settings: the token and webhook secret of vcsSecretName
    values: {
      orgAllowlist: options.orgAllowlist, github: { user: options.githubUser }, vcsSecretName: 'atlantis-vcs', resources: resources('100m', '256Mi', '1Gi'),
      // the links on its pull request comments and commit statuses, and the webhook's address
      atlantisUrl: options.url ?? `https://${host}`,
      ingress: { enabled: false },
      service: { type: 'ClusterIP', port: ATLANTIS_SERVICE_PORT },
    },
    manifests: [
      externalSecret(scope, 'atlantis-vcs', 'atlantis', 'atlantis-vcs', { 'github_token': 'github_token', 'github_secret': 'github_secret' }),
      ...(options.url === undefined ? [route] : []),
    ],
  });
}

/** The port of the chart's Service `atlantis`. */
const ATLANTIS_SERVICE_PORT = 80;
