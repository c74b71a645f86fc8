import { Construct } from 'constructs';
import { fail, messages } from '../../core/errors';
import { checkCloudName } from '../../core/validate';
import { ClusterOutput } from '../../model/cluster-output';
import { AddonIdentity } from '../addon-identity';
import { catalogOptions } from '../catalog-options';
import { ManifestObject, ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, externalSecret, label, resources } from './common';
import { Platform } from '../../platform';

/** DNS providers of external-dns. */
export enum ExternalDnsProvider {
  /** Azure DNS (workload identity). */
  AZURE = 'azure',
  /** Amazon Route 53 (IRSA or Pod Identity). */
  AWS = 'aws',
  /** Cloudflare (API token from the secret store: `cloudflare.storeKey`). */
  CLOUDFLARE = 'cloudflare',
}

/** Options of {@link Catalog.externalDns}. */
export interface ExternalDnsOptions extends CatalogEntryOptions {
  /** The DNS provider. */
  readonly provider: ExternalDnsProvider;
  /**
   * Only manage records in these domains; each one is a DNS zone (Azure DNS) or hosted zone
   * (Route 53) of that name, and the add-on's identity may change records in those zones only.
   */
  readonly domainFilters: string[];
  /**
   * Where the Azure DNS zones are (required with `ExternalDnsProvider.AZURE`).
   * @default - none
   */
  readonly azure?: ExternalDnsAzureOptions;
  /**
   * Where the Cloudflare API token is (required with `ExternalDnsProvider.CLOUDFLARE`).
   * @default - none
   */
  readonly cloudflare?: ExternalDnsCloudflareOptions;
  /**
   * Publish the hosts of Gateway API routes (HTTPRoutes, also those attached through a
   * ListenerSet, and TLSRoutes: team services, the Argo CD UIs, the virtual cluster APIs).
   * external-dns then needs the Gateway API CRDs on every cluster it targets (it does not start
   * without them): synth checks that each runs `Catalog.gatewayApi`. Set `false` on clusters
   * that serve Ingresses only.
   * @default true
   */
  readonly gatewayApi?: boolean;
}

/** The Cloudflare API token of external-dns. */
export interface ExternalDnsCloudflareOptions {
  /**
   * The platform secret store entry holding the API token, in its property `api-token` (a token
   * with Zone:Read and DNS:Edit on the zones): an ExternalSecret in the add-on's namespace makes
   * it the Secret `cloudflare-api-token`, which external-dns reads as `CF_API_TOKEN`.
   */
  readonly storeKey: string;
}

/** The Azure DNS zones of external-dns. */
export interface ExternalDnsAzureOptions {
  /** The subscription of the zones. */
  readonly subscriptionId: string;
  /** The resource group of the zones. */
  readonly resourceGroupName: string;
}

/** The identity, values and manifests external-dns needs for its provider's API. */
function externalDnsWiring(scope: Construct, path: string, options: ExternalDnsOptions): { identity?: AddonIdentity; values: Record<string, unknown>; manifests: ManifestObject[] } {
  if (options.provider === ExternalDnsProvider.AZURE) {
    const az = options.azure;
    if (!az?.subscriptionId || !az.resourceGroupName) {
      fail(path, messages.catalog.externalDnsAzure(az));
    }
    checkCloudName(path, 'azure.resourceGroupName', az.resourceGroupName, 'azureResourceGroup');
    const identity = AddonIdentity.azure({
      name: 'external-dns',
      serviceAccount: 'external-dns',
      roles: [
        ...options.domainFilters.map((zone) => ({ roleDefinitionName: 'DNS Zone Contributor', scope: `/subscriptions/${az.subscriptionId}/resourceGroups/${az.resourceGroupName}/providers/Microsoft.Network/dnsZones/${zone}` })),
        // it finds the zones by listing the resource group's (Microsoft.Network/dnsZones/read there): without
        // it every sync fails with 403 AuthorizationFailed and no record is ever written
        { roleDefinitionName: 'Reader', scope: `/subscriptions/${az.subscriptionId}/resourceGroups/${az.resourceGroupName}` },
      ],
    });
    // the provider reads /etc/kubernetes/azure.json: no credential in it, the token comes from workload identity
    const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'external-dns-azure', namespace: 'external-dns' }, data: { 'azure.json': JSON.stringify({ subscriptionId: az.subscriptionId, resourceGroup: az.resourceGroupName, useWorkloadIdentityExtension: true }) } };
    return {
      identity,
      manifests: [config],
      values: {
        serviceAccount: { labels: { 'azure.workload.identity/use': 'true' }, annotations: { 'azure.workload.identity/client-id': identity.clientId } },
        podLabels: { 'azure.workload.identity/use': 'true' },
        extraVolumes: [{ name: 'azure-config', configMap: { name: 'external-dns-azure' } }],
        extraVolumeMounts: [{ name: 'azure-config', mountPath: '/etc/kubernetes', readOnly: true }],
      },
    };
  }
  if (options.provider === ExternalDnsProvider.AWS) {
    // EKS Pod Identity: nothing in the values; the hosted zones are looked up by name
    const zones = options.domainFilters.map((zone) => `<route53-zone:${zone}>`);
    return {
      identity: AddonIdentity.aws({
        name: 'external-dns',
        serviceAccount: 'external-dns',
        statements: [
          { actions: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'], resources: zones },
          { actions: ['route53:ListHostedZones'], resources: ['*'] },
        ],
      }),
      // the grants are on the public hosted zones of those names: a private zone of the same name
      // (split horizon) would match the domain filter too, and reading it would fail every sync
      values: { extraArgs: { 'aws-zone-type': 'public' } },
      manifests: [],
    };
  }
  // Cloudflare: the API token from the store (external-dns reads CF_API_TOKEN; without it the
  // provider falls back to CF_API_KEY and CF_API_EMAIL and the pod stops at start)
  const storeKey = Platform.of(scope).secretStore._checkCredentialsKey(path, 'cloudflare.storeKey', options.cloudflare?.storeKey);
  if (storeKey === undefined) fail(path, messages.catalog.externalDnsCloudflare(options.cloudflare));
  return {
    values: { env: [{ name: 'CF_API_TOKEN', valueFrom: { secretKeyRef: { name: CLOUDFLARE_SECRET, key: 'api-token' } } }] },
    manifests: [externalSecret(scope, CLOUDFLARE_SECRET, 'external-dns', storeKey, { 'api-token': 'api-token' })],
  };
}

/** The Secret the Cloudflare API token is read into, in the add-on's namespace. */
const CLOUDFLARE_SECRET = 'cloudflare-api-token';

/**
 * external-dns: one owner id per cluster (its name), upsert-only, limited to your domains; it reads
 * Services, Ingresses, HTTPRoutes (also those attached through a ListenerSet) and TLSRoutes.
 */
export function externalDns(scope: Construct, options: ExternalDnsOptions): ServiceCatalogEntry {
  options = catalogOptions(scope, 'externalDns', options, ['domainFilters']);
  if (!Object.values(ExternalDnsProvider).includes(options.provider)) {
    fail(`${scope.node.path}/external-dns`, messages.catalog.externalDnsProvider(options.provider, Object.values(ExternalDnsProvider)));
  }
  if (!options.domainFilters?.length) {
    fail(`${scope.node.path}/external-dns`, messages.catalog.externalDnsDomains(options.domainFilters ?? []));
  }
  const here = `${scope.node.path}/external-dns`;
  if (options.gatewayApi !== undefined && typeof options.gatewayApi !== 'boolean') fail(here, messages.catalog.externalDnsGatewayApi(options.gatewayApi));
  const gatewayApi = options.gatewayApi ?? true;
  const wiring = externalDnsWiring(scope, here, options);
  return entry(scope, 'external-dns', options, {
    chart: CHARTS.externalDns,
    namespace: 'external-dns',
    targets: label('core-basic'),
    identity: wiring.identity,
    manifests: wiring.manifests,
    values: {
      ...wiring.values,
      provider: { name: options.provider },
      domainFilters: [...options.domainFilters],
      txtOwnerId: ClusterOutput.clusterName(),
      policy: 'upsert-only',
      // gateway-tlsroute: the virtual cluster APIs (<tenant>.<domain>) are TLSRoutes on the shared Gateway
      sources: ['service', 'ingress', ...(gatewayApi ? ['gateway-httproute', 'gateway-tlsroute'] : [])],
      // HTTPRoutes attached through a ListenerSet (the Argo CD UI's, tenants' dedicated Argo CDs'): without
      // the flag external-dns skips those parents and the host gets no record
      ...(gatewayApi ? { enableGatewayListenerSets: true } : {}),
      resources: resources('25m', '64Mi', '128Mi'),
    },
  // the Gateway API sources wait for their informers, and external-dns exits when the CRDs are missing
  // (no record at all is written, a Service's or Ingress's neither)
  })._watch(gatewayApi ? ['Gateway', 'HTTPRoute', 'TLSRoute', 'ListenerSet'].map((kind) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind })) : [],
    'set gatewayApi: false on Catalog.externalDns (Services and Ingresses only)');
}
