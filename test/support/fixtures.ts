import { Testing } from 'cdktf';
import { expect } from 'vitest';
import { parse } from 'yaml';
import {
  ApiAccess, Cloud, ManagementCluster, ManagementClusterProps, Platform, PlatformProps, SecretStore, Sso, TerraformBackend,
} from '../../src';

export function azurePlatform(overrides: Partial<PlatformProps> = {}): Platform {
  return new Platform({
    repository: { url: 'https://github.com/acme/platform-gitops.git' },
    domain: 'platform.acme.dev',
    secretStore: SecretStore.azureKeyVault({ vaultName: 'acme-platform', resourceGroupName: 'rg-platform' }),
    terraformBackend: TerraformBackend.azurerm({ resourceGroupName: 'rg-tfstate', storageAccountName: 'acmetfstate' }),
    ...overrides,
  });
}

export function awsPlatform(overrides: Partial<PlatformProps> = {}): Platform {
  return new Platform({
    repository: { url: 'https://github.com/acme/platform-gitops.git' },
    domain: 'platform.acme.dev',
    secretStore: SecretStore.awsSecretsManager({ region: 'eu-west-1' }),
    terraformBackend: TerraformBackend.s3({ bucket: 'acme-tfstate', region: 'eu-west-1' }),
    ...overrides,
  });
}

export const aksCloud = (cidr = '10.0.0.0/16', extra: Partial<Parameters<typeof Cloud.aks>[0]> = {}) => Cloud.aks({
  location: 'westeurope', kubernetesVersion: '1.35', network: { cidr }, ...extra,
});

export const eksCloud = (cidr = '10.10.0.0/16', extra: Partial<Parameters<typeof Cloud.eks>[0]> = {}) => Cloud.eks({
  region: 'eu-west-1', kubernetesVersion: '1.35', network: { cidr }, ...extra,
});

export function azureMgmt(platform = azurePlatform(), props: Partial<ManagementClusterProps> = {}): ManagementCluster {
  return new ManagementCluster(platform, 'mgmt', {
    cloud: aksCloud('10.0.0.0/16', { apiAccess: ApiAccess.authorizedRanges(['203.0.113.0/24']), adminGroupObjectIds: ['00000000-0000-0000-0000-000000000001'] }),
    argocd: { adminGroups: ['platform-admins'], sso: Sso.oidc({ issuer: 'https://idp.acme.dev', clientId: 'argocd' }) },
    ...props,
  });
}

export function awsMgmt(platform = awsPlatform(), props: Partial<ManagementClusterProps> = {}): ManagementCluster {
  return new ManagementCluster(platform, 'mgmt', {
    // a private API: terraform apply runs inside the VPC (declared, so no warning)
    cloud: eksCloud('10.10.0.0/16', { apiAccess: ApiAccess.private(), adminRoleArns: ['arn:aws:iam::123456789012:role/platform-admins'] }),
    argocd: { adminGroups: ['platform-admins'] },
    ...props,
  });
}

/** Parses every YAML manifest of a rendered platform. */
export function manifests(files: Map<string, string>): { file: string; obj: any }[] {
  return [...files].filter(([f]) => f.endsWith('.yaml') && (f.startsWith('clusters/') || f.includes('/manifests/'))).map(([file, text]) => ({ file, obj: parse(text) }));
}

export function terraform(files: Map<string, string>, cluster: string): any {
  return JSON.parse(files.get(`terraform/${cluster}/cdk.tf.json`)!);
}

/** cdktf's matcher (subset match on a resource's properties), for vitest. */
export function expectResource(synthesized: string, type: { tfResourceType: string }, props: Record<string, unknown>): void {
  const ok = Testing.toHaveResourceWithProperties(synthesized, type.tfResourceType, props);
  if (!ok) {
    const all = JSON.parse(synthesized).resource?.[type.tfResourceType];
    expect({ [type.tfResourceType]: all }).toEqual({ [type.tfResourceType]: props });
  }
}
