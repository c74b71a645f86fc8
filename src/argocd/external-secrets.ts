import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { SecretStore, SecretStoreKind } from '../model/secret-store';
import { EXTERNAL_SECRETS_SA } from '../terraform/management-identity';
import { EXTERNAL_SECRETS_CHART } from './charts';
import { EXTERNAL_SECRETS_API_VERSION, PLATFORM_SECRET_STORE } from './cluster-registration';
import { argoApplication } from './objects';

/** Values of the external-secrets chart on the management cluster: least privilege, requests set. */
export function externalSecretsValues(serviceAccountByTerraform: boolean): Record<string, unknown> {
  const resources = { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } };
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
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'] },
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
