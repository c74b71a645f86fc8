import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { DataAzurermKeyVault } from '@cdktf/provider-azurerm/lib/data-azurerm-key-vault';
import { KeyVaultSecret } from '@cdktf/provider-azurerm/lib/key-vault-secret';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { KvSecretV2 } from '@cdktf/provider-vault/lib/kv-secret-v2';
import { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import { Fn, TerraformProvider, TerraformStack } from 'cdktf';
import { SecretStore, SecretStoreKind } from '../model/secret-store';

/** The state's Vault provider, declared once (the platform's store has one server). */
export function vaultProvider(stack: TerraformStack, server: string): void {
  if (!stack.node.tryFindChild('vault')) new VaultProvider(stack, 'vault', { address: server });
}

/** The azurerm provider of a stack, created (default configuration) when missing. */
export function azurermProvider(stack: TerraformStack): AzurermProvider {
  return (stack.node.tryFindChild('azurerm') as AzurermProvider | undefined)
    ?? new AzurermProvider(stack, 'azurerm', { features: [{}], storageUseAzuread: true });
}

/** The Key Vault of the platform's store, looked up once per stack. */
export function platformKeyVault(stack: TerraformStack, store: SecretStore): DataAzurermKeyVault {
  azurermProvider(stack);
  const o = store.options;
  return (stack.node.tryFindChild('platform-key-vault') as DataAzurermKeyVault | undefined)
    ?? new DataAzurermKeyVault(stack, 'platform-key-vault', { name: o.vaultName, resourceGroupName: o.resourceGroupName });
}

/** An AWS provider for the store's region: the stack's default one when the region matches, else an aliased one. */
export function awsProviderFor(stack: TerraformStack, region: string): TerraformProvider | undefined {
  const existing = stack.node.tryFindChild('aws') as AwsProvider | undefined;
  if (existing && existing.region === region) return undefined;
  if (!existing) {
    new AwsProvider(stack, 'aws', { region });
    return undefined;
  }
  return (stack.node.tryFindChild('secret-store-aws') as AwsProvider | undefined)
    ?? new AwsProvider(stack, 'secret-store-aws', { region, alias: 'secret-store' });
}

/**
 * Writes a JSON document (values may be Terraform expressions) into the platform's
 * secret store under `store._remoteKey(name)`. Only the stack that owns the entry writes it.
 */
export function writeSecretStoreEntry(stack: TerraformStack, store: SecretStore, id: string, name: string, document: Record<string, string>): void {
  // rendering runs again on every synth: replace what the last one created
  for (const child of [id, `${id}-value`]) stack.node.tryRemoveChild(child);
  const key = store._remoteKey(name);
  const json = Fn.jsonencode(document);
  const o = store.options;
  switch (store.kind) {
    case SecretStoreKind.AZURE_KEY_VAULT: {
      const vault = platformKeyVault(stack, store);
      new KeyVaultSecret(stack, id, { name: key, keyVaultId: vault.id, value: json, contentType: 'application/json' });
      return;
    }
    case SecretStoreKind.AWS_SECRETS_MANAGER: {
      const provider = awsProviderFor(stack, o.region);
      const secret = new SecretsmanagerSecret(stack, id, { name: key, provider, recoveryWindowInDays: 0 });
      new SecretsmanagerSecretVersion(stack, `${id}-value`, { secretId: secret.id, secretString: json, provider });
      return;
    }
    default: {
      vaultProvider(stack, o.server);
      new KvSecretV2(stack, id, { mount: o.path, name: key, dataJson: json });
    }
  }
}
