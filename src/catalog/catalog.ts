import { Construct } from 'constructs';
import { BUILT_IN_EXCEPTIONS } from '../policy/built-in-exceptions';
import { PolicyException } from '../policy/policy-exception';
import { ClusterOutput } from '../cluster/fleet-cluster';
import { badValue, fail } from '../core/errors';
import { mergeReplacing } from '../core/merge';
import { checkDnsLabel } from '../core/validate';
import { Platform } from '../platform';
import { SecretStoreKind } from '../model/secret-store';
import { EXTERNAL_SECRETS_CHART } from '../argocd/charts';
import { AddonIdentity, StoreAccess } from './addon-identity';
import { CloudProvider } from '../model/cloud';
import { ClusterSelector, SelectorOperator } from './cluster-selector';
import { HelmChart } from './helm-chart';
import { baselinePolicies, PolicyAction } from './kyverno-policies';
import { ManifestObject, ServiceCatalogEntry, ServiceCatalogEntryProps } from './service-catalog-entry';
import { HTTPS_LISTENER, markHttpsListener, PUBLIC_GATEWAY, PUBLIC_GATEWAY_NAMESPACE, servicesDomain } from './public-gateway';
import { CHARTS } from './versions';
import { catalogOptions } from './catalog-options';
import { checkInstance, checkRecord } from '../core/data';

/** Options every built-in entry takes. */
export interface CatalogEntryOptions {
  /**
   * Which clusters get the entry.
   * @default - the entry's stack label (e.g. `security-basic: enabled`), or `platform-role: management` for management pillars
   */
  readonly targets?: ClusterSelector;
  /**
   * Values merged over the built-in secure defaults.
   * @default - the defaults only
   */
  readonly values?: Record<string, unknown>;
  /** @default - none */
  readonly environmentValues?: Record<string, Record<string, unknown>>;
  /** @default - none */
  readonly clusterValues?: Record<string, Record<string, unknown>>;
  /**
   * Per-environment chart versions (promotion).
   * @default - the built-in pin everywhere
   */
  readonly versions?: Record<string, string>;
  /** @default false */
  readonly progressiveSync?: boolean;
  /**
   * Entries that must be installed first on the same clusters.
   * @default - none
   */
  readonly dependsOn?: ServiceCatalogEntry[];
  /**
   * More policy exceptions for the entry's chart output, added to the built-in ones.
   * @default - the built-in exceptions only
   * @see ServiceCatalogEntryProps.policyExceptions
   */
  readonly policyExceptions?: PolicyException[];
}

/** How cert-manager proves domain ownership to Let's Encrypt. */
export class AcmeSolver {
  /** HTTP-01 through a Gateway API Gateway. */
  public static http01Gateway(options: { gatewayName: string; gatewayNamespace: string }): AcmeSolver {
    return new AcmeSolver({ http01: { gatewayHTTPRoute: { parentRefs: [{ name: options?.gatewayName, namespace: options?.gatewayNamespace, kind: 'Gateway' }] } } }, {}, undefined, undefined, { gatewayName: options?.gatewayName, gatewayNamespace: options?.gatewayNamespace });
  }

  /** HTTP-01 through an Ingress class. */
  public static http01Ingress(options: { ingressClassName: string }): AcmeSolver {
    return new AcmeSolver({ http01: { ingress: { ingressClassName: options?.ingressClassName } } }, {}, undefined, undefined, { ingressClassName: options?.ingressClassName });
  }

  /**
   * DNS-01 with Azure DNS. The library gives cert-manager a workload identity on each AKS
   * cluster it targets, with `DNS Zone Contributor` on this zone only.
   */
  public static dns01AzureDns(options: { subscriptionId: string; resourceGroupName: string; hostedZoneName: string }): AcmeSolver {
    const identity = AddonIdentity.azure({
      name: 'cert-manager',
      serviceAccount: 'cert-manager',
      roles: [{ roleDefinitionName: 'DNS Zone Contributor', scope: `/subscriptions/${options?.subscriptionId}/resourceGroups/${options?.resourceGroupName}/providers/Microsoft.Network/dnsZones/${options?.hostedZoneName}` }],
    });
    return new AcmeSolver(
      { dns01: { azureDNS: { subscriptionID: options?.subscriptionId, resourceGroupName: options?.resourceGroupName, hostedZoneName: options?.hostedZoneName, environment: 'AzurePublicCloud', managedIdentity: {} } } },
      { podLabels: { 'azure.workload.identity/use': 'true' }, serviceAccount: { labels: { 'azure.workload.identity/use': 'true' }, annotations: { 'azure.workload.identity/client-id': identity.clientId } } },
      undefined,
      identity,
      { subscriptionId: options?.subscriptionId, resourceGroupName: options?.resourceGroupName, hostedZoneName: options?.hostedZoneName },
    );
  }

  /**
   * DNS-01 with Route 53. The library gives cert-manager an IAM role on each EKS cluster it
   * targets (EKS Pod Identity), allowed to change records of this hosted zone only.
   */
  public static dns01Route53(options: { region: string; hostedZoneId: string }): AcmeSolver {
    const identity = AddonIdentity.aws({
      name: 'cert-manager',
      serviceAccount: 'cert-manager',
      statements: [
        { actions: ['route53:GetChange'], resources: ['arn:<partition>:route53:::change/*'] },
        { actions: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets'], resources: [`arn:<partition>:route53:::hostedzone/${options?.hostedZoneId}`] },
        { actions: ['route53:ListHostedZonesByName'], resources: ['*'] },
      ],
    });
    return new AcmeSolver({ dns01: { route53: { region: options?.region, hostedZoneID: options?.hostedZoneId } } }, {}, undefined, identity, { region: options?.region, hostedZoneId: options?.hostedZoneId });
  }

  /** DNS-01 with Cloudflare; the API token comes from the platform secret store entry `storeKey` (never from Git). */
  public static dns01Cloudflare(options: { storeKey: string }): AcmeSolver {
    return new AcmeSolver(
      { dns01: { cloudflare: { apiTokenSecretRef: { name: 'cloudflare-api-token', key: 'api-token' } } } },
      {},
      options?.storeKey,
      undefined,
      { storeKey: options?.storeKey },
    );
  }

  private constructor(
    /** @internal */ public readonly _solver: Record<string, unknown>,
    /** @internal */ public readonly _values: Record<string, unknown> = {},
    /** @internal */ public readonly _cloudflareStoreKey?: string,
    /** @internal The identity cert-manager needs for the DNS API. */
    public readonly _identity?: AddonIdentity,
    /** @internal What the caller passed, checked where the solver is used. */
    public readonly _fields: Record<string, unknown> = {},
  ) {}

  /** @internal */
  public _validate(path: string): void {
    for (const [k, v] of Object.entries(this._fields)) {
      if (typeof v !== 'string' || !/^[A-Za-z0-9][-A-Za-z0-9._/]{0,252}$/.test(v)) {
        fail(path, badValue(`acme.solver.${k}`, v, 'a name of letters, digits, ".", "_", "/" and "-"', `set ${k} in the AcmeSolver factory`));
      }
    }
  }
}

/** Let's Encrypt issuers for cert-manager. */
export interface AcmeOptions {
  /** Registration e-mail. */
  readonly email: string;
  /** The challenge. */
  readonly solver: AcmeSolver;
}

/** Options of {@link Catalog.certManager}. */
export interface CertManagerOptions extends CatalogEntryOptions {
  /**
   * Create the ClusterIssuers `letsencrypt-staging` and `letsencrypt-production`.
   * @default - no issuer
   */
  readonly acme?: AcmeOptions;
}

/** DNS providers of external-dns. */
export enum ExternalDnsProvider {
  /** Azure DNS (workload identity). */
  AZURE = 'azure',
  /** Amazon Route 53 (IRSA or Pod Identity). */
  AWS = 'aws',
  /** Cloudflare (API token from the secret store). */
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
}

/** The Azure DNS zones of external-dns. */
export interface ExternalDnsAzureOptions {
  /** The subscription of the zones. */
  readonly subscriptionId: string;
  /** The resource group of the zones. */
  readonly resourceGroupName: string;
}

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

/** Options of {@link Catalog.nfsProvisioner} and the storage-basic stack. */
export interface NfsOptions extends CatalogEntryOptions {
  /** NFS server address. */
  readonly server: string;
  /** Exported path. */
  readonly path: string;
}

const resources = (cpu: string, memory: string, limit = memory) => ({ requests: { cpu, memory }, limits: { memory: limit } });
const nonRoot = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
const hardened = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };

const merge = (base: Record<string, unknown>, over?: Record<string, unknown>) => mergeReplacing(base, over, (v) => v instanceof ClusterOutput);

/** The management cluster's External Secrets pin, shared by the fleet entry (one place: src/argocd/charts.ts). */
const EXTERNAL_SECRETS = HelmChart.fromRepository({ repository: EXTERNAL_SECRETS_CHART.repoURL, chart: EXTERNAL_SECRETS_CHART.chart, version: EXTERNAL_SECRETS_CHART.version });

export { PUBLIC_GATEWAY } from './public-gateway';

const label = (stack: string) => ClusterSelector.labels({ [stack]: 'enabled' });
const management = () => ClusterSelector.labels({ 'platform-role': 'management' });
const fleetOnly = (stack: string) => ClusterSelector.allOf(label(stack), ClusterSelector.expression('platform-role', SelectorOperator.NOT_IN, ['management']));

function externalSecret(name: string, namespace: string, storeKey: string, keys: Record<string, string>): ManifestObject {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name, namespace },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'platform' },
      target: { name, creationPolicy: 'Owner' },
      data: Object.entries(keys).map(([secretKey, property]) => ({ secretKey, remoteRef: { key: storeKey, property } })),
    },
  };
}

function entry(scope: Construct, id: string, o: CatalogEntryOptions, p: Omit<ServiceCatalogEntryProps, 'targets'> & { targets: ClusterSelector }): ServiceCatalogEntry {
  return new ServiceCatalogEntry(scope, id, {
    ...p,
    targets: o.targets ?? p.targets,
    values: merge(p.values ?? {}, o.values),
    environmentValues: o.environmentValues ?? p.environmentValues,
    clusterValues: o.clusterValues,
    versions: o.versions,
    progressiveSync: o.progressiveSync,
    dependsOn: [...(p.dependsOn ?? []), ...(o.dependsOn ?? [])],
    policyExceptions: [...(p.policyExceptions ?? []), ...(o.policyExceptions ?? [])],
  });
}

/** The identity, values and manifests external-dns needs for its provider's API. */
function externalDnsWiring(path: string, options: ExternalDnsOptions): { identity?: AddonIdentity; values: Record<string, unknown>; manifests: ManifestObject[] } {
  if (options.provider === ExternalDnsProvider.AZURE) {
    const az = options.azure;
    if (!az?.subscriptionId || !az.resourceGroupName) {
      fail(path, badValue('azure', az, 'the subscription and resource group of the Azure DNS zones', 'pass azure: { subscriptionId, resourceGroupName } (the identity is granted DNS Zone Contributor on those zones only)'));
    }
    const identity = AddonIdentity.azure({
      name: 'external-dns',
      serviceAccount: 'external-dns',
      roles: options.domainFilters.map((zone) => ({ roleDefinitionName: 'DNS Zone Contributor', scope: `/subscriptions/${az.subscriptionId}/resourceGroups/${az.resourceGroupName}/providers/Microsoft.Network/dnsZones/${zone}` })),
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
      values: {},
      manifests: [],
    };
  }
  return { values: {}, manifests: [] };
}

/**
 * The built-in catalog: entries with pinned versions (see `CHARTS`) and secure
 * default values. Management pillars target `platform-role: management`; fleet
 * stacks target their stack label (`security-basic: enabled`, ...).
 */
export class Catalog {
  // ---- fleet stacks -------------------------------------------------------

  /** cert-manager with its CRDs, and optional Let's Encrypt ClusterIssuers (staging and production). */
  public static certManager(scope: Construct, options: CertManagerOptions = {}): ServiceCatalogEntry {
    options = catalogOptions(scope, 'certManager', options);
    const acme = options.acme;
    if (acme !== undefined) {
      checkRecord(`${scope.node.path}/cert-manager`, 'acme', acme, '{ email, solver: AcmeSolver.http01Gateway({...}) }');
      checkInstance(`${scope.node.path}/cert-manager`, 'acme.solver', acme.solver, AcmeSolver, 'AcmeSolver.http01Gateway({...}) and the other AcmeSolver factories')._validate(`${scope.node.path}/cert-manager`);
    }
    if (acme && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(acme.email)) {
      fail(`${scope.node.path}/cert-manager`, badValue('acme.email', acme.email, 'an e-mail address', 'set the address Let\'s Encrypt writes to about expiring certificates'));
    }
    const issuers: ManifestObject[] = acme ? [['letsencrypt-staging', 'https://acme-staging-v02.api.letsencrypt.org/directory'], ['letsencrypt-production', 'https://acme-v02.api.letsencrypt.org/directory']]
      .map(([name, server]) => ({
        apiVersion: 'cert-manager.io/v1',
        kind: 'ClusterIssuer',
        metadata: { name },
        spec: { acme: { email: acme.email, server, privateKeySecretRef: { name: `${name}-account-key` }, solvers: [acme.solver._solver] } },
      })) : [];
    if (acme?.solver._cloudflareStoreKey) issuers.push(externalSecret('cloudflare-api-token', 'cert-manager', acme.solver._cloudflareStoreKey, { 'api-token': 'api-token' }));
    return entry(scope, 'cert-manager', options, {
      chart: CHARTS.certManager, policyExceptions: [...BUILT_IN_EXCEPTIONS.certManager],
      namespace: 'cert-manager',
      identity: acme?.solver._identity,
      targets: label('security-basic'),
      serverSideApply: true,
      values: merge({
        crds: { enabled: true, keep: true },
        replicaCount: 2,
        podDisruptionBudget: { enabled: true },
        resources: resources('50m', '128Mi', '256Mi'),
        webhook: { replicaCount: 2, resources: resources('25m', '64Mi', '128Mi') },
        cainjector: { resources: resources('25m', '128Mi', '256Mi') },
        prometheus: { enabled: true },
      }, acme?.solver._values),
      manifests: issuers,
    });
  }

  /** external-dns: one owner id per cluster (its name), upsert-only, limited to your domains. */
  public static externalDns(scope: Construct, options: ExternalDnsOptions): ServiceCatalogEntry {
    options = catalogOptions(scope, 'externalDns', options, ['domainFilters']);
    if (!Object.values(ExternalDnsProvider).includes(options.provider)) {
      fail(`${scope.node.path}/external-dns`, badValue('provider', options.provider, Object.values(ExternalDnsProvider).join(', '), 'use ExternalDnsProvider'));
    }
    if (!options.domainFilters?.length) {
      fail(`${scope.node.path}/external-dns`, badValue('domainFilters', options.domainFilters ?? [], 'one or more DNS domains', 'list the zones external-dns may write to'));
    }
    const here = `${scope.node.path}/external-dns`;
    const wiring = externalDnsWiring(here, options);
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
        sources: ['service', 'ingress', 'gateway-httproute', 'gateway-tlsroute'],
        resources: resources('25m', '64Mi', '128Mi'),
      },
    });
  }

  /**
   * External Secrets on fleet clusters, with a ClusterSecretStore `platform` for the
   * platform's store. The library creates its identity on every targeted cluster, AKS or EKS:
   * Key Vault (`Key Vault Secrets User` on the vault), Secrets Manager (read on the platform's
   * secrets), Vault (a policy and a JWT auth role for the cluster's service-account issuer, the
   * store then in the cluster's folder); and the tenants' PushSecret grants on hosts of tenants.
   */
  public static externalSecrets(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
    options = catalogOptions(scope, 'externalSecrets', options);
    const store = Platform.of(scope).secretStore;
    const sa = { name: 'external-secrets', namespace: 'external-secrets' };
    const azure = store.kind === SecretStoreKind.AZURE_KEY_VAULT;
    const aws = store.kind === SecretStoreKind.AWS_SECRETS_MANAGER;
    // Key Vault and Secrets Manager: an identity the library manages on every targeted cluster,
    // of either cloud (External Secrets exchanges its service account token itself)
    const identity = AddonIdentity._store(azure ? CloudProvider.AZURE : aws ? CloudProvider.AWS : undefined, StoreAccess.READ);
    const annotations = azure
      ? { 'azure.workload.identity/client-id': identity!.clientId, 'azure.workload.identity/tenant-id': identity!.tenantId }
      : aws ? { 'eks.amazonaws.com/role-arn': identity!.roleArn } : undefined;
    return entry(scope, 'external-secrets', options, {
      chart: EXTERNAL_SECRETS, policyExceptions: [...BUILT_IN_EXCEPTIONS.externalSecrets],
      namespace: 'external-secrets',
      targets: fleetOnly('security-basic'),
      serverSideApply: true,
      identity,
      values: {
        installCRDs: true,
        serviceAccount: { name: 'external-secrets', ...(annotations ? { annotations } : {}) },
        ...(azure ? { podLabels: { 'azure.workload.identity/use': 'true' } } : {}),
        resources: resources('50m', '128Mi', '256Mi'),
      },
      // with Vault each cluster authenticates at its own JWT mount: its store is in its folder
      manifests: azure || aws ? [{
        apiVersion: 'external-secrets.io/v1',
        kind: 'ClusterSecretStore',
        metadata: { name: 'platform', annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' } },
        spec: { provider: store._provider(sa, aws) },
      }] : [],
    });
  }

  /** Kyverno (HA controllers) with the baseline policies: Audit before the last environment, Enforce in it. */
  public static kyverno(scope: Construct, options: CatalogEntryOptions & { readonly enforceIn?: string[] } = {}): ServiceCatalogEntry {
    options = catalogOptions(scope, 'kyverno', options, ['enforceIn']);
    const envs = Platform.of(scope).environments;
    const enforce = options.enforceIn ?? [envs[envs.length - 1]];
    return entry(scope, 'kyverno', options, {
      chart: CHARTS.kyverno,
      namespace: 'kyverno',
      targets: label('security-basic'),
      serverSideApply: true,
      values: {
        admissionController: { replicas: 3, container: { resources: resources('100m', '256Mi', '512Mi') } },
        backgroundController: { replicas: 2, resources: resources('100m', '128Mi', '256Mi') },
        cleanupController: { replicas: 2, resources: resources('50m', '64Mi', '128Mi') },
        reportsController: { replicas: 2, resources: resources('100m', '128Mi', '256Mi') },
      },
      environmentManifests: Object.fromEntries(envs.map((e) => [e, baselinePolicies(enforce.includes(e) ? PolicyAction.ENFORCE : PolicyAction.AUDIT)])),
    });
  }

  /** kube-prometheus-stack: Prometheus, Alertmanager, Grafana (admin credentials from the secret store), node-exporter. */
  public static kubePrometheusStack(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
    options = catalogOptions(scope, 'kubePrometheusStack', options);
    return entry(scope, 'kube-prometheus-stack', options, {
      chart: CHARTS.kubePrometheusStack, policyExceptions: [...BUILT_IN_EXCEPTIONS.kubePrometheusStack],
      namespace: 'monitoring',
      targets: label('monitoring-basic'),
      serverSideApply: true,
      values: {
        prometheus: { prometheusSpec: { retention: '15d', resources: resources('200m', '1Gi', '2Gi'), securityContext: { ...nonRoot, runAsUser: 1000, fsGroup: 2000 } } },
        alertmanager: { alertmanagerSpec: { resources: resources('25m', '64Mi', '128Mi') } },
        grafana: { admin: { existingSecret: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' } },
      },
      manifests: [externalSecret('grafana-admin', 'monitoring', 'grafana-admin', { 'admin-user': 'user', 'admin-password': 'password' })],
    });
  }

  /** OpenCost, reading the kube-prometheus-stack Prometheus. */
  public static openCost(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
    options = catalogOptions(scope, 'openCost', options);
    return entry(scope, 'opencost', options, {
      chart: CHARTS.openCost, policyExceptions: [...BUILT_IN_EXCEPTIONS.openCost],
      namespace: 'opencost',
      targets: label('monitoring-basic'),
      values: { opencost: { exporter: { resources: resources('10m', '55Mi', '1Gi') }, ui: { enabled: true } } },
    });
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
   */
  public static gatewayApi(scope: Construct, options: GatewayApiOptions = {}): ServiceCatalogEntry {
    options = catalogOptions(scope, 'gatewayApi', options);
    const namespace = PUBLIC_GATEWAY_NAMESPACE;
    const https = options.https;
    if (https !== undefined) checkRecord(`${scope.node.path}/envoy-gateway`, 'https', https, '{}');
    if (https?.clusterIssuer !== undefined) checkDnsLabel(`${scope.node.path}/envoy-gateway`, 'https.clusterIssuer', https.clusterIssuer);
    const apps = servicesDomain(Platform.of(scope).domain);
    const wildcard = `*.${apps}`;
    const tlsSecret = `${PUBLIC_GATEWAY}-apps-tls`;
    const listeners: Record<string, unknown>[] = [
      { name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' }, kinds: [{ kind: 'HTTPRoute' }] } },
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
            parentRefs: [{ name: PUBLIC_GATEWAY, sectionName: 'http' }],
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
          // the Argo CD UI adds its HTTPS listener from its own namespace (ArgoCdUi.gateway)
          spec: { gatewayClassName: 'envoy', listeners, allowedListeners: { namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': 'argocd' } } } } },
        },
        ...httpsObjects,
      ],
    });
    if (https) markHttpsListener(gw);
    return gw;
  }

  /** ingress-nginx, for existing users only: retired upstream (no releases after March 2026); synth warns. */
  public static ingressNginx(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
    options = catalogOptions(scope, 'ingressNginx', options);
    return entry(scope, 'ingress-nginx', options, {
      chart: CHARTS.ingressNginx,
      namespace: 'ingress-nginx',
      targets: label('core-basic'),
      deprecation: 'ingress-nginx is retired upstream (no releases after March 2026). Fix: move to Catalog.gatewayApi() (Envoy Gateway).',
      values: { controller: { replicaCount: 2, resources: resources('100m', '128Mi', '512Mi'), allowSnippetAnnotations: false, admissionWebhooks: { enabled: true } } },
    });
  }

  /** Loki (single binary) for logs; needs storage-basic. */
  public static loki(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
    options = catalogOptions(scope, 'loki', options);
    return entry(scope, 'loki', options, {
      chart: CHARTS.loki, policyExceptions: [...BUILT_IN_EXCEPTIONS.loki],
      namespace: 'loki',
      targets: label('monitoring-medium'),
      values: {
        deploymentMode: 'SingleBinary',
        loki: { auth_enabled: false, commonConfig: { replication_factor: 1 }, storage: { type: 'filesystem' }, schemaConfig: { configs: [{ from: '2024-04-01', store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'index_', period: '24h' } }] } },
        singleBinary: { replicas: 1, resources: resources('100m', '256Mi', '1Gi') },
        read: { replicas: 0 }, write: { replicas: 0 }, backend: { replicas: 0 },
      },
    });
  }

  /** The NFS subdir provisioner (StorageClass `nfs-client`). */
  public static nfsProvisioner(scope: Construct, options: NfsOptions): ServiceCatalogEntry {
    options = catalogOptions(scope, 'nfsProvisioner', options);
    return entry(scope, 'nfs-provisioner', options, {
      chart: CHARTS.nfsProvisioner, policyExceptions: [...BUILT_IN_EXCEPTIONS.nfsProvisioner],
      namespace: 'nfs-provisioner',
      targets: label('storage-basic'),
      values: { nfs: { server: options.server, path: options.path }, storageClass: { name: 'nfs-client', reclaimPolicy: 'Retain' }, resources: resources('10m', '32Mi', '64Mi') },
    });
  }

  // ---- management pillars -------------------------------------------------

  /** Reloader: restarts workloads when their ConfigMaps or Secrets change. */
  public static reloader(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
    options = catalogOptions(scope, 'reloader', options);
    return entry(scope, 'reloader', options, {
      chart: CHARTS.reloader, namespace: 'reloader', targets: management(),
      values: { reloader: { readOnlyRootFileSystem: true, reloadOnCreate: false, deployment: { resources: resources('10m', '64Mi', '128Mi'), securityContext: nonRoot, containerSecurityContext: hardened } } },
    });
  }

  /** HashiCorp Vault, HA with integrated storage (Raft); the injector is off. */
  public static vault(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
    options = catalogOptions(scope, 'vault', options);
    return entry(scope, 'vault', options, {
      chart: CHARTS.vault, namespace: 'vault', targets: management(),
      values: { injector: { enabled: false }, server: { ha: { enabled: true, replicas: 3, raft: { enabled: true } }, resources: resources('250m', '256Mi', '512Mi'), dataStorage: { enabled: true, size: '10Gi' } } },
    });
  }

  /** OpenBao (the open-source Vault fork), HA with Raft; the injector is off. */
  public static openBao(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
    options = catalogOptions(scope, 'openBao', options);
    return entry(scope, 'openbao', options, {
      chart: CHARTS.openBao, namespace: 'openbao', targets: management(),
      values: { injector: { enabled: false }, server: { ha: { enabled: true, replicas: 3, raft: { enabled: true } }, resources: resources('250m', '256Mi', '512Mi'), dataStorage: { enabled: true, size: '10Gi' } } },
    });
  }

  /** Crossplane: infrastructure through Kubernetes APIs. */
  public static crossplane(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
    options = catalogOptions(scope, 'crossplane', options);
    return entry(scope, 'crossplane', options, {
      chart: CHARTS.crossplane, namespace: 'crossplane-system', targets: management(), serverSideApply: true,
      values: { replicas: 2, resourcesCrossplane: resources('100m', '256Mi', '512Mi'), resourcesRBACManager: resources('50m', '128Mi', '256Mi') },
    });
  }

  /** Atlantis: Terraform in pull requests. VCS credentials come from the secret store entry `atlantis-vcs`. */
  public static atlantis(scope: Construct, options: CatalogEntryOptions & { readonly orgAllowlist: string }): ServiceCatalogEntry {
    options = catalogOptions(scope, 'atlantis', options);
    if (!options?.orgAllowlist) fail(`${scope.node.path}/atlantis`, badValue('orgAllowlist', options?.orgAllowlist, 'the repositories Atlantis may serve, e.g. "github.com/acme/*"', 'set orgAllowlist'));
    return entry(scope, 'atlantis', options, {
      chart: CHARTS.atlantis, namespace: 'atlantis', targets: management(),
      values: { orgAllowlist: options.orgAllowlist, vcsSecretName: 'atlantis-vcs', resources: resources('100m', '256Mi', '1Gi') },
      manifests: [externalSecret('atlantis-vcs', 'atlantis', 'atlantis-vcs', { 'github_token': 'github_token', 'github_secret': 'github_secret' })],
    });
  }

  /** Argo Workflows with SSO login and the non-root executor. */
  public static argoWorkflows(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
    options = catalogOptions(scope, 'argoWorkflows', options);
    return entry(scope, 'argo-workflows', options, {
      chart: CHARTS.argoWorkflows, policyExceptions: [...BUILT_IN_EXCEPTIONS.argoWorkflows], namespace: 'argo-workflows', targets: management(),
      values: { server: { authModes: ['sso'], resources: resources('50m', '128Mi', '256Mi') }, controller: { resources: resources('100m', '128Mi', '512Mi') }, executor: { image: { nonroot: true } } },
    });
  }

  /** GitHub Actions Runner Controller (scale-set controller). */
  public static actionsRunnerController(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
    options = catalogOptions(scope, 'actionsRunnerController', options);
    return entry(scope, 'arc-controller', options, {
      chart: CHARTS.actionsRunnerController, namespace: 'arc-systems', targets: management(), serverSideApply: true,
      values: { replicaCount: 1, resources: resources('50m', '128Mi', '256Mi'), podSecurityContext: nonRoot, securityContext: hardened },
    });
  }

  /** GitLab Runner; the runner token comes from the secret store entry `gitlab-runner`. */
  public static gitlabRunner(scope: Construct, options: CatalogEntryOptions & { readonly gitlabUrl: string }): ServiceCatalogEntry {
    options = catalogOptions(scope, 'gitlabRunner', options);
    if (!/^https:\/\//.test(options?.gitlabUrl ?? '')) fail(`${scope.node.path}/gitlab-runner`, badValue('gitlabUrl', options?.gitlabUrl, 'an https:// GitLab URL', 'set gitlabUrl, e.g. "https://gitlab.com/"'));
    return entry(scope, 'gitlab-runner', options, {
      chart: CHARTS.gitlabRunner, namespace: 'gitlab-runner', targets: management(),
      values: { gitlabUrl: options.gitlabUrl, runners: { secret: 'gitlab-runner' }, rbac: { create: true }, resources: resources('50m', '128Mi', '256Mi'), securityContext: { ...hardened, runAsNonRoot: true } },
      manifests: [externalSecret('gitlab-runner', 'gitlab-runner', 'gitlab-runner', { 'runner-token': 'runner-token', 'runner-registration-token': 'runner-registration-token' })],
    });
  }

  /** ChartMuseum, the platform's chart repository (API write access disabled by default). */
  public static chartMuseum(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
    options = catalogOptions(scope, 'chartMuseum', options);
    return entry(scope, 'chartmuseum', options, {
      chart: CHARTS.chartMuseum, namespace: 'chartmuseum', targets: management(),
      values: { env: { open: { DISABLE_API: true, STORAGE: 'local' } }, persistence: { enabled: true, size: '10Gi' }, resources: resources('50m', '64Mi', '256Mi'), securityContext: { enabled: true, ...nonRoot } },
    });
  }

  // ---- stacks (labels turn a whole stack on) --------------------------------

  /**
   * `core-basic`: the Gateway API controller, and external-dns when a DNS provider is given
   * (`dns.targets` narrows external-dns, e.g. to the clusters of the DNS provider's cloud).
   */
  public static coreBasic(scope: Construct, options: { readonly dns?: ExternalDnsOptions; readonly https?: GatewayHttpsOptions } = {}): ServiceCatalogEntry[] {
    options = catalogOptions(scope, 'coreBasic', options);
    const gw = Catalog.gatewayApi(scope, { https: options.https });
    return options.dns ? [gw, Catalog.externalDns(scope, { ...options.dns, dependsOn: [gw] })] : [gw];
  }

  /** `security-basic`: cert-manager (with issuers when `acme` is given), Kyverno and its baseline policies, External Secrets. */
  public static securityBasic(scope: Construct, options: { readonly acme?: AcmeOptions; readonly certManagerDependsOn?: ServiceCatalogEntry[] } = {}): ServiceCatalogEntry[] {
    options = catalogOptions(scope, 'securityBasic', options);
    return [
      Catalog.certManager(scope, { acme: options.acme, dependsOn: options.certManagerDependsOn }),
      Catalog.kyverno(scope),
      Catalog.externalSecrets(scope),
    ];
  }

  /** `monitoring-basic`: kube-prometheus-stack and OpenCost. */
  public static monitoringBasic(scope: Construct): ServiceCatalogEntry[] {
    const kps = Catalog.kubePrometheusStack(scope);
    return [kps, Catalog.openCost(scope, { dependsOn: [kps] })];
  }

  /** `monitoring-medium`: Loki (the platform's stack rules require `storage-basic` too). */
  public static monitoringMedium(scope: Construct): ServiceCatalogEntry[] {
    return [Catalog.loki(scope)];
  }

  /** `storage-basic`: the NFS provisioner. */
  public static storageBasic(scope: Construct, options: NfsOptions): ServiceCatalogEntry[] {
    options = catalogOptions(scope, 'storageBasic', options);
    return [Catalog.nfsProvisioner(scope, options)];
  }

  private constructor() {}
}
