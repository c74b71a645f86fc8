import { fail, messages } from '../core/errors';
import { checkCloudName, checkString, CLOUD_NAMES } from '../core/validate';

/** The settings the clouds check by name, and how. */
const SECRET_STORE_NAMES: Readonly<Record<string, keyof typeof CLOUD_NAMES>> = {
  vaultName: 'azureKeyVault', resourceGroupName: 'azureResourceGroup', prefix: 'secretsManagerPrefix',
};

/** Which secret store backs the platform. */
export enum SecretStoreKind {
  /** Azure Key Vault. */
  AZURE_KEY_VAULT = 'azure-key-vault',
  /** AWS Secrets Manager. */
  AWS_SECRETS_MANAGER = 'aws-secrets-manager',
  /** HashiCorp Vault or OpenBao (KV v2). */
  VAULT = 'vault',
}

/** Options for {@link SecretStore.azureKeyVault}. */
export interface AzureKeyVaultOptions {
  /** The Key Vault name (the `<name>` in `https://<name>.vault.azure.net`). */
  readonly vaultName: string;
  /** The Key Vault's resource group (cluster stacks write connection facts into the vault). */
  readonly resourceGroupName: string;
}

/** Options for {@link SecretStore.awsSecretsManager}. */
export interface AwsSecretsManagerOptions {
  /** The AWS region of the secrets. */
  readonly region: string;
  /**
   * Prefix of every secret name the platform writes.
   * @default 'platform/'
   */
  readonly prefix?: string;
}

/** Options for {@link SecretStore.vault}. */
export interface VaultOptions {
  /** The Vault or OpenBao address, e.g. `https://vault.acme.dev:8200`. */
  readonly server: string;
  /**
   * The KV v2 mount.
   * @default 'secret'
   */
  readonly path?: string;
}

/**
 * The platform's secret store: where credentials and connection facts live, so
 * that none of them is ever written to Git. External Secrets reads it through a
 * ClusterSecretStore named after the platform.
 *
 * @see https://external-secrets.io/latest/provider/azure-key-vault/
 */
export class SecretStore {
  /** Azure Key Vault. */
  public static azureKeyVault(options: AzureKeyVaultOptions): SecretStore {
    return new SecretStore(SecretStoreKind.AZURE_KEY_VAULT, { vaultName: options?.vaultName, resourceGroupName: options?.resourceGroupName });
  }

  /** AWS Secrets Manager. */
  public static awsSecretsManager(options: AwsSecretsManagerOptions): SecretStore {
    return new SecretStore(SecretStoreKind.AWS_SECRETS_MANAGER, { region: options?.region, prefix: options?.prefix ?? 'platform/' });
  }

  /** HashiCorp Vault or OpenBao, KV version 2. */
  public static vault(options: VaultOptions): SecretStore {
    return new SecretStore(SecretStoreKind.VAULT, { server: options?.server, path: options?.path ?? 'secret' });
  }

  private constructor(
    /** The kind of store. */
    public readonly kind: SecretStoreKind,
    private readonly settings: Readonly<Record<string, string>>,
  ) {}

  /** The store's settings (a copy). */
  public get options(): Record<string, string> {
    return { ...this.settings };
  }

  /** @internal */
  public _validate(path: string): void {
    for (const [k, v] of Object.entries(this.settings)) {
      const kind = SECRET_STORE_NAMES[k];
      if (kind) checkCloudName(path, `secretStore.${k}`, v, kind);
      else checkString(path, `secretStore.${k}`, v);
    }
  }

  /**
   * @internal Checks the name of a store entry holding Git credentials (`prop` as the message
   * names it): letters, digits, "/", "_", "." and "-"; with Azure Key Vault letters, digits and
   * "-" only, at most 118 (a Key Vault secret name is at most 127 characters with the
   * "platform-" prefix, and External Secrets reads a "/" as an object type).
   */
  public _checkCredentialsKey(path: string, prop: string, value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9/_.-]{0,126}$/.test(value)) fail(path, messages.model.credentialsKey(prop, value));
    if (this.kind === SecretStoreKind.AZURE_KEY_VAULT && !/^[A-Za-z0-9-]{1,118}$/.test(value)) fail(path, messages.model.credentialsKeyAzure(prop, value));
    return value;
  }

  /**
   * @internal The name of an entry of the store, as Terraform writes it and
   * External Secrets reads it (`remoteRef.key`).
   */
  public _remoteKey(name: string): string {
    switch (this.kind) {
      case SecretStoreKind.AZURE_KEY_VAULT: return `platform-${name}`;
      case SecretStoreKind.AWS_SECRETS_MANAGER: return `${this.settings.prefix}${name}`;
      default: return `platform/${name}`;
    }
  }

  /**
   * @internal Whether External Secrets' push to this store writes the value as the whole entry,
   * ignoring a `property` (Azure Key Vault), where AWS Secrets Manager and Vault merge
   * properties into the entry's JSON document.
   */
  public get _pushIgnoresProperty(): boolean {
    return this.kind === SecretStoreKind.AZURE_KEY_VAULT;
  }

  /** @internal The Vault JWT auth mount of a cluster (its service-account issuer). */
  public _vaultJwtMount(cluster: string): string {
    return `jwt-${cluster}`;
  }

  /** @internal A fleet cluster's `spec.provider` for Vault: JWT auth at the cluster's own mount. */
  public _vaultJwtProvider(serviceAccount: { name: string; namespace: string }, cluster: string): Record<string, unknown> {
    return {
      vault: {
        server: this.settings.server,
        path: this.settings.path,
        version: 'v2',
        auth: { jwt: { path: this._vaultJwtMount(cluster), role: 'external-secrets', kubernetesServiceAccountToken: { serviceAccountRef: { ...serviceAccount, audiences: ['vault'] } } } },
      },
    };
  }

  /** @internal The `spec.provider` of the platform's ClusterSecretStore. */
  public _provider(serviceAccount: { name: string; namespace: string }, webIdentity = false): Record<string, unknown> {
    switch (this.kind) {
      case SecretStoreKind.AZURE_KEY_VAULT:
        return { azurekv: { authType: 'WorkloadIdentity', vaultUrl: `https://${this.settings.vaultName}.vault.azure.net`, serviceAccountRef: { ...serviceAccount } } };
      case SecretStoreKind.AWS_SECRETS_MANAGER:
        // no auth block: External Secrets uses its pod's EKS Pod Identity; with `webIdentity`
        // (fleet clusters, AKS included) it exchanges its service account's token for the
        // role of the account's `eks.amazonaws.com/role-arn` annotation
        return webIdentity
          ? { aws: { service: 'SecretsManager', region: this.settings.region, auth: { jwt: { serviceAccountRef: { ...serviceAccount, audiences: ['sts.amazonaws.com'] } } } } }
          : { aws: { service: 'SecretsManager', region: this.settings.region } };
      default:
        return {
          vault: {
            server: this.settings.server,
            path: this.settings.path,
            version: 'v2',
            auth: { kubernetes: { mountPath: 'kubernetes', role: 'external-secrets', serviceAccountRef: { name: serviceAccount.name } } },
          },
        };
    }
  }
}
