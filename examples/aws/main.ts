// An AWS cockpit: EKS management cluster with Argo CD, OIDC SSO (PKCE), Secrets Manager.
import {
  ApiAccess, Cloud, ManagementCluster, Platform, SecretStore, Sso, TerraformBackend,
} from '../../src';

const platform = new Platform({
  repository: { url: 'https://github.com/acme/platform-gitops.git', revision: 'main' },
  domain: 'platform.acme.dev',
  secretStore: SecretStore.awsSecretsManager({ region: 'eu-west-1' }),
  terraformBackend: TerraformBackend.s3({ bucket: 'acme-platform-tfstate', region: 'eu-west-1' }),
});

new ManagementCluster(platform, 'mgmt', {
  cloud: Cloud.eks({
    region: 'eu-west-1',
    kubernetesVersion: '1.33',
    network: { cidr: '10.10.0.0/16' },
    apiAccess: ApiAccess.authorizedRanges(['203.0.113.0/24']),
    adminRoleArns: ['arn:aws:iam::123456789012:role/platform-admins'],
  }),
  argocd: {
    adminGroups: ['platform-admins'],
    sso: Sso.oidc({ issuer: 'https://idp.acme.dev', clientId: 'argocd' }),
  },
});

platform.synth();
