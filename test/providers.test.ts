import { describe, expect, it } from 'vitest';
import { Cloud, ManagementCluster, SecretStore } from '../src';
import { clusterProviders, missingProviderMessage, PROVIDER_PACKAGES, requireProviders } from '../src/terraform/providers';
import { CloudProvider } from '../src/model/cloud';
import { SecretStoreKind } from '../src/model/secret-store';
import { awsPlatform } from './support/fixtures';

describe('Terraform provider packages (optional peers)', () => {
  it('a cluster needs its cloud\'s package and the secret store\'s, a management cluster helm and kubernetes too', () => {
    expect(clusterProviders(CloudProvider.AWS, SecretStoreKind.AWS_SECRETS_MANAGER)).toEqual([PROVIDER_PACKAGES.aws]);
    expect(clusterProviders(CloudProvider.AWS, SecretStoreKind.AZURE_KEY_VAULT)).toEqual([PROVIDER_PACKAGES.aws, PROVIDER_PACKAGES.azurerm]);
    expect(clusterProviders(CloudProvider.AZURE, SecretStoreKind.VAULT)).toEqual([PROVIDER_PACKAGES.azurerm, PROVIDER_PACKAGES.vault]);
  });

  it('an AKS state that installs through its cluster\'s API (a management cluster\'s) needs time too, to wait for the runner\'s role; no other state does', () => {
    expect(clusterProviders(CloudProvider.AZURE, SecretStoreKind.AZURE_KEY_VAULT, true)).toEqual([PROVIDER_PACKAGES.azurerm, PROVIDER_PACKAGES.time]);
    expect(clusterProviders(CloudProvider.AZURE, SecretStoreKind.AZURE_KEY_VAULT, false)).toEqual([PROVIDER_PACKAGES.azurerm]);
    expect(clusterProviders(CloudProvider.AWS, SecretStoreKind.AWS_SECRETS_MANAGER, true)).toEqual([PROVIDER_PACKAGES.aws]);
    expect(missingProviderMessage(PROVIDER_PACKAGES.time, 'cluster "mgmt"')).toBe(
      'cluster "mgmt" needs the Terraform provider package @cdktf/provider-time (an AKS management cluster: its bootstrap waits until the runner\'s Azure RBAC role has taken effect), which is not installed. '
      + 'Allowed: the provider packages of the clouds the platform uses are optional peer dependencies, installed by the platform repository. Fix: npm install @cdktf/provider-time@11.0.1.');
  });

  it('a missing one is the library\'s error at the construct, naming the package and the version to install', () => {
    const none = () => false;
    expect(() => requireProviders('platform/dev', 'cluster "dev"', [PROVIDER_PACKAGES.aws], none)).toThrow(
      '[platform/dev] cluster "dev" needs the Terraform provider package @cdktf/provider-aws (EKS clusters, AWS Secrets Manager and AWS identities), which is not installed. '
      + 'Allowed: the provider packages of the clouds the platform uses are optional peer dependencies, installed by the platform repository. Fix: npm install @cdktf/provider-aws@21.22.1.');
    expect(() => requireProviders('platform/dev', 'x', Object.values(PROVIDER_PACKAGES))).not.toThrow();
    expect(missingProviderMessage(PROVIDER_PACKAGES.vault, 'This platform')).toContain('Fix: npm install @cdktf/provider-vault@15.6.1.');
  });

  it('finds the installed packages from the library\'s own folder (all are installed here)', () => {
    const platform = awsPlatform({ secretStore: SecretStore.vault({ server: 'https://vault.acme.dev' }) });
    expect(() => new ManagementCluster(platform, 'mgmt', { cloud: Cloud.eks({ region: 'eu-west-1', kubernetesVersion: '1.33', network: { cidr: '10.10.0.0/16' } }), argocd: { adminGroups: ['a'] } })).not.toThrow();
  });
});
