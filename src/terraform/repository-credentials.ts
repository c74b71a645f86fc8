import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version';
import { DataAzurermKeyVaultSecret } from '@cdktf/provider-azurerm/lib/data-azurerm-key-vault-secret';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { DataVaultKvSecretV2 } from '@cdktf/provider-vault/lib/data-vault-kv-secret-v2';
import { Fn, ITerraformDependable, TerraformStack } from 'cdktf';
import { PLATFORM_REPOSITORY_SECRET, REPOSITORY_SECRET_LABELS, repositoryCredentialProperties, repositoryFixedData } from '../argocd/repository-secret';
import { ARGOCD_NAMESPACE } from '../argocd/types';
import { SecretStore, SecretStoreKind } from '../model/secret-store';
import { KubernetesAccess } from './cluster-infra';
import { kubernetesProvider } from './management-identity';
import { awsProviderFor, platformKeyVault, vaultProvider } from './secret-store-writer';

/** The platform repository's credentials, as the bootstrap creates them. */
export interface RepositoryCredentialsProps {
  /** The repository's clone URL (https: `username`/`password`; ssh: `sshPrivateKey`). */
  readonly url: string;
  /** The platform secret store. */
  readonly store: SecretStore;
  /** The store entry (`repository.credentialsKey`), read at `store._remoteKey(key)`. */
  readonly key: string;
  /** How the kubernetes provider reaches the cluster. */
  readonly access: KubernetesAccess;
  /** What must exist first: the argo-cd release (it creates the argocd namespace). */
  readonly dependsOn: ITerraformDependable[];
}

/** Construct ids this module renders (replaced on every render). */
export const REPOSITORY_CREDENTIALS_IDS = ['platform-repository-credentials', 'platform-repository-secret'];

/**
 * The JSON document of the store entry, as Terraform reads it at plan/apply time: the same
 * entry and properties the ExternalSecret reads (`remoteRef.key` = `store._remoteKey(key)`,
 * `remoteRef.property` = a top-level key of the entry's JSON value). Azure Key Vault and AWS
 * Secrets Manager hold one string per entry (a JSON object, the convention of every entry the
 * platform writes); Vault KV v2 holds the properties as the secret's data.
 */
function storeEntryJson(stack: TerraformStack, store: SecretStore, key: string): string {
  const id = REPOSITORY_CREDENTIALS_IDS[0];
  const name = store._remoteKey(key);
  const o = store.options;
  switch (store.kind) {
    case SecretStoreKind.AZURE_KEY_VAULT:
      return new DataAzurermKeyVaultSecret(stack, id, { name, keyVaultId: platformKeyVault(stack, store).id }).value;
    case SecretStoreKind.AWS_SECRETS_MANAGER:
      return new DataAwsSecretsmanagerSecretVersion(stack, id, { secretId: name, provider: awsProviderFor(stack, o.region) }).secretString;
    default:
      vaultProvider(stack, o.server);
      return new DataVaultKvSecretV2(stack, id, { mount: o.path, name }).dataJson;
  }
}

/**
 * The Argo CD repository Secret of the platform repository, created by the management
 * cluster's state so that the very first clone (the root Application, before External Secrets
 * runs) authenticates. Its credentials are read from the platform secret store by a data
 * source at apply time: they are in the Terraform state (the remote, encrypted backend),
 * never in the rendered JSON.
 *
 * The handover to Git: the management cluster's folder holds an ExternalSecret targeting the
 * same Secret with `creationPolicy: Orphan` (see renderPlatformRepositoryExternalSecret).
 * External Secrets takes the existing Secret over in place on its first refresh and keeps it in
 * step with the store (a rotated credential arrives within the refresh interval). Terraform
 * ignores every later change (`ignore_changes = all`), so the two never fight: Terraform only
 * creates the Secret (again, if it is gone at the next apply) and deletes it when the
 * credentials are removed or the cluster destroyed.
 */
export function renderRepositoryCredentials(stack: TerraformStack, props: RepositoryCredentialsProps): SecretV1 {
  for (const id of REPOSITORY_CREDENTIALS_IDS) stack.node.tryRemoveChild(id);
  // declared with the state (AKS: for External Secrets' service account; EKS: for this Secret)
  kubernetesProvider(stack, props.access);
  const entry = Fn.jsondecode(storeEntryJson(stack, props.store, props.key));
  const credentials = Object.fromEntries(repositoryCredentialProperties(props.url).map((p) => [p, Fn.lookup(entry, p)]));
  return new SecretV1(stack, REPOSITORY_CREDENTIALS_IDS[1], {
    metadata: { name: PLATFORM_REPOSITORY_SECRET, namespace: ARGOCD_NAMESPACE, labels: { ...REPOSITORY_SECRET_LABELS } },
    data: { ...repositoryFixedData(props.url), ...credentials },
    dependsOn: [...props.dependsOn],
    lifecycle: { ignoreChanges: 'all' },
  });
}
