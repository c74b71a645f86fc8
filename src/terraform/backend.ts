import { AzurermBackend, S3Backend, TerraformStack } from 'cdktf';
import { TerraformBackend, TerraformBackendKind } from '../model/terraform-backend';

/** Configures the stack's remote backend; one state per cluster, keyed by its name. */
export function configureBackend(stack: TerraformStack, backend: TerraformBackend, clusterName: string): void {
  const o = backend.options;
  if (backend.kind === TerraformBackendKind.AZURERM) {
    new AzurermBackend(stack, {
      resourceGroupName: o.resourceGroupName as string,
      storageAccountName: o.storageAccountName as string,
      containerName: o.containerName as string,
      key: `${clusterName}.tfstate`,
      useAzureadAuth: o.useAzureadAuth as boolean,
    });
  } else {
    new S3Backend(stack, {
      bucket: o.bucket as string,
      region: o.region as string,
      key: `${o.keyPrefix}/${clusterName}.tfstate`,
      encrypt: true,
    });
    // S3 native state locking (Terraform >= 1.10); cdktf 0.21's types predate the option. An older
    // Terraform would stop at "Unsupported argument": the state says which version it needs
    stack.addOverride('terraform.backend.s3.use_lockfile', true);
    stack.addOverride('terraform.required_version', '>= 1.10');
  }
}
