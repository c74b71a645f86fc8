import { ApiObject, ApiObjectProps } from 'cdk8s';
import { Construct } from 'constructs';
import { SecretStore, SecretStoreKind } from '../model/secret-store';
import { EXTERNAL_SECRETS_SA } from '../terraform/management-identity';
import { EXTERNAL_SECRETS_CHART } from './charts';
import { EXTERNAL_SECRETS_API_VERSION, PLATFORM_SECRET_STORE } from './cluster-registration';
import { argoApplication } from './objects';
import { PLATFORM_REPOSITORY_SECRET, REPOSITORY_SECRET_LABELS, repositoryCredentialProperties, repositoryFixedData } from './repository-secret';
import { ARGOCD_NAMESPACE, DEFAULT_SYNC_RETRY, SKIP_DRY_RUN, SYNC_OPTIONS_ANNOTATION } from './types';

/**
 * The requests and memory limit of each External Secrets component (controller, webhook,
 * certificate controller), on management clusters and in the fleet's catalog entry alike.
 */
export const EXTERNAL_SECRETS_RESOURCES = { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } } as const;

/** Values of the external-secrets chart on the management cluster: least privilege, requests set. */
export function externalSecretsValues(serviceAccountByTerraform: boolean): Record<string, unknown> {
  const resources = EXTERNAL_SECRETS_RESOURCES;
  return {
    installCRDs: true,
    serviceAccount: serviceAccountByTerraform
      ? { create: false, name: EXTERNAL_SECRETS_SA.name }
      : { create: true, name: EXTERNAL_SECRETS_SA.name },
    podLabels: serviceAccountByTerraform ? { 'azure.workload.identity/use': 'true' } : {},
    resources,
    webhook: { resources },
    certController: { resources },
  };
}

/**
 * External Secrets on the management cluster, and the platform's ClusterSecretStore:
 * how cluster registrations (and later tenants) get their facts without Git holding them.
 */
export function renderExternalSecrets(scope: Construct, props: { clusterName: string; project: string; store: SecretStore; serviceAccountByTerraform: boolean }): void {
  argoApplication(scope, 'external-secrets', {
    name: 'external-secrets',
    annotations: { 'argocd.argoproj.io/sync-wave': '-10' },
    spec: {
      project: props.project,
      sources: [{
        repoURL: EXTERNAL_SECRETS_CHART.repoURL,
        chart: EXTERNAL_SECRETS_CHART.chart,
        targetRevision: EXTERNAL_SECRETS_CHART.version,
        helm: { releaseName: 'external-secrets', valuesObject: externalSecretsValues(props.serviceAccountByTerraform) },
      }],
      destination: { name: props.clusterName, namespace: EXTERNAL_SECRETS_SA.namespace },
      // no prune, as the catalog's entries: a chart or values change that stopped rendering a CRD
      // would delete it, every object of its kind with it, and (ExternalSecrets owning the fleet's
      // cluster Secrets) every cluster registration of this Argo CD
      syncPolicy: { automated: { prune: false, selfHeal: true }, syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'], retry: DEFAULT_SYNC_RETRY },
    },
  });
  new ApiObject(scope, 'platform-secret-store', {
    apiVersion: EXTERNAL_SECRETS_API_VERSION,
    kind: 'ClusterSecretStore',
    metadata: {
      name: PLATFORM_SECRET_STORE,
      annotations: {
        'argocd.argoproj.io/sync-wave': '-5',
        'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
      },
    },
    // Vault: JWT auth at this cluster's own mount, created by its state (Vault never calls the cluster)
    spec: { provider: props.store.kind === SecretStoreKind.VAULT ? props.store._vaultJwtProvider(EXTERNAL_SECRETS_SA, props.clusterName) : props.store._provider(EXTERNAL_SECRETS_SA) },
  });
}

/**
 * The ExternalSecret that keeps the platform repository's Argo CD repository Secret in step
 * with the store after the bootstrap: the same Secret (name, labels, keys) the management
 * state creates (src/terraform/repository-credentials.ts), from the same store entry.
 *
 * `creationPolicy: Orphan`: External Secrets takes the Secret Terraform created over in place
 * (it updates an existing Secret and recreates a deleted one) but sets no ownerReference. With
 * `Owner`, deleting this ExternalSecret, or the External Secrets CRDs during a reinstall, would
 * garbage-collect the credential Argo CD needs to clone the repository that reinstalls them (a
 * lockout only a new `terraform apply` ends); with `Merge`, a deleted Secret would never come
 * back from Git. Terraform ignores every change after creating it, so the two never fight.
 */
export function renderPlatformRepositoryExternalSecret(scope: Construct, props: { url: string; store: SecretStore; key: string }): void {
  new ApiObject(scope, 'platform-repository-credentials', repositoryExternalSecret({
    name: PLATFORM_REPOSITORY_SECRET, url: props.url, remoteKey: props.store._remoteKey(props.key), creationPolicy: 'Orphan',
    // after the ClusterSecretStore (wave -5); the CRD exists once External Secrets synced
    annotations: { 'argocd.argoproj.io/sync-wave': '-4' },
  }));
}

/**
 * An ExternalSecret templating an Argo CD repository Secret (in the argocd namespace) from a
 * store entry through the platform's ClusterSecretStore: the repository's type and URL (and
 * `project`, when scoped to one), the credential properties its URL needs, the repository label
 * (and `labels`). Its kind comes from another Application: it skips the dry run.
 */
export function repositoryExternalSecret(props: {
  name: string; url: string; remoteKey: string; creationPolicy: 'Orphan' | 'Owner';
  project?: string; labels?: Record<string, string>; annotations?: Record<string, string>;
}): ApiObjectProps {
  const properties = repositoryCredentialProperties(props.url);
  return {
    apiVersion: EXTERNAL_SECRETS_API_VERSION,
    kind: 'ExternalSecret',
    metadata: { name: props.name, namespace: ARGOCD_NAMESPACE, annotations: { ...props.annotations, [SYNC_OPTIONS_ANNOTATION]: SKIP_DRY_RUN } },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: PLATFORM_SECRET_STORE },
      target: {
        name: props.name,
        creationPolicy: props.creationPolicy,
        template: {
          engineVersion: 'v2',
          metadata: { labels: { ...REPOSITORY_SECRET_LABELS, ...props.labels } },
          data: { ...repositoryFixedData(props.url, props.project), ...Object.fromEntries(properties.map((p) => [p, `{{ .${p} }}`])) },
        },
      },
      data: properties.map((p) => ({ secretKey: p, remoteRef: { key: props.remoteKey, property: p } })),
    },
  };
}
