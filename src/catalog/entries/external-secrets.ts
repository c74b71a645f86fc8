import { Construct } from 'constructs';
import { EXTERNAL_SECRETS_CHART } from '../../argocd/charts';
import { EXTERNAL_SECRETS_RESOURCES } from '../../argocd/external-secrets';
import { CloudProvider } from '../../model/cloud';
import { SecretStoreKind } from '../../model/secret-store';
import { Platform } from '../../platform';
import { AddonIdentity, StoreAccess } from '../addon-identity';
import { catalogOptions } from '../catalog-options';
import { HelmChart } from '../helm-chart';
import { ServiceCatalogEntry } from '../service-catalog-entry';
import { CatalogEntryOptions, entry, fleetOnly } from './common';

/** The management cluster's External Secrets pin, shared by the fleet entry (one place: src/argocd/charts.ts). */
const EXTERNAL_SECRETS = HelmChart.fromRepository({ repository: EXTERNAL_SECRETS_CHART.repoURL, chart: EXTERNAL_SECRETS_CHART.chart, version: EXTERNAL_SECRETS_CHART.version });

/**
 * External Secrets on fleet clusters, with a ClusterSecretStore `platform` for the
 * platform's store. The library creates its identity on every targeted cluster, AKS or EKS:
 * Key Vault (`Key Vault Secrets User` on the vault), Secrets Manager (read on the platform's
 * secrets), Vault (a policy and a JWT auth role for the cluster's service-account issuer, the
 * store then in the cluster's folder); and the tenants' PushSecret grants on hosts of tenants.
 */
export function externalSecrets(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
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
    chart: EXTERNAL_SECRETS,
    namespace: 'external-secrets',
    targets: fleetOnly('security-basic'),
    serverSideApply: true,
    identity,
    values: {
      installCRDs: true,
      serviceAccount: { name: 'external-secrets', ...(annotations ? { annotations } : {}) },
      ...(azure ? { podLabels: { 'azure.workload.identity/use': 'true' } } : {}),
      // as on management clusters: the webhook and the certificate controller requested nothing
      resources: EXTERNAL_SECRETS_RESOURCES,
      webhook: { resources: EXTERNAL_SECRETS_RESOURCES },
      certController: { resources: EXTERNAL_SECRETS_RESOURCES },
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
