import { fail, messages } from '../core/errors';
import { checkCloudName, checkString, CLOUD_NAMES } from '../core/validate';

/** The settings the clouds check by name, and how. */
const BACKEND_NAMES: Readonly<Record<string, keyof typeof CLOUD_NAMES>> = {
  resourceGroupName: 'azureResourceGroup', storageAccountName: 'azureStorageAccount', containerName: 'azureContainer', bucket: 's3Bucket',
};

/** The kind of Terraform remote state backend. */
export enum TerraformBackendKind {
  /** Azure Storage (`azurerm` backend). */
  AZURERM = 'azurerm',
  /** Amazon S3 (`s3` backend, with S3 native locking). */
  S3 = 's3',
}

/** Options for {@link TerraformBackend.azurerm}. */
export interface AzurermBackendOptions {
  /** Resource group of the storage account. */
  readonly resourceGroupName: string;
  /** The storage account holding the states. */
  readonly storageAccountName: string;
  /**
   * The blob container.
   * @default 'tfstate'
   */
  readonly containerName?: string;
  /**
   * Authenticate to storage with Entra ID instead of access keys.
   * @default true
   */
  readonly useAzureadAuth?: boolean;
}

/** Options for {@link TerraformBackend.s3}. */
export interface S3BackendOptions {
  /** The bucket holding the states. */
  readonly bucket: string;
  /** The bucket's region. */
  readonly region: string;
  /**
   * Prefix of every state key.
   * @default 'platform'
   */
  readonly keyPrefix?: string;
}

/**
 * Where the Terraform states live: one small state per cluster, keyed by the
 * cluster name. A remote backend is required, so no state (and no absolute
 * local path) ends up in the synthesized repository.
 *
 * @see https://developer.hashicorp.com/terraform/language/backend
 */
export class TerraformBackend {
  /** Azure Storage backend (`azurerm`). */
  public static azurerm(options: AzurermBackendOptions): TerraformBackend {
    return new TerraformBackend(TerraformBackendKind.AZURERM, {
      resourceGroupName: options?.resourceGroupName,
      storageAccountName: options?.storageAccountName,
      containerName: options?.containerName ?? 'tfstate',
      useAzureadAuth: options?.useAzureadAuth ?? true,
    });
  }

  /** S3 backend with encryption and S3 native state locking. */
  public static s3(options: S3BackendOptions): TerraformBackend {
    return new TerraformBackend(TerraformBackendKind.S3, {
      bucket: options?.bucket,
      region: options?.region,
      keyPrefix: options?.keyPrefix ?? 'platform',
    });
  }

  private constructor(
    /** The backend kind. */
    public readonly kind: TerraformBackendKind,
    private readonly settings: Readonly<Record<string, string | boolean>>,
  ) {}

  /** The backend settings (a copy). */
  public get options(): Record<string, string | boolean> {
    return { ...this.settings };
  }

  /** @internal */
  public _validate(path: string): void {
    for (const [k, v] of Object.entries(this.settings)) {
      if (k === 'useAzureadAuth') {
        if (typeof v !== 'boolean') fail(path, messages.model.useAzureadAuth(v));
      } else if (BACKEND_NAMES[k]) {
        checkCloudName(path, `terraformBackend.${k}`, v, BACKEND_NAMES[k]);
      } else {
        checkString(path, `terraformBackend.${k}`, v);
        // the key is `<keyPrefix>/<cluster>.tfstate`: Terraform's S3 backend refuses a key that starts
        // or ends with "/" or holds "//" (at `terraform init`, after synth)
        if (k === 'keyPrefix' && (/^\/|\/$|\/\//.test(v as string))) fail(path, messages.model.s3KeyPrefix(v as string));
      }
    }
  }
}
