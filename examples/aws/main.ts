// An AWS cockpit: EKS management cluster with Argo CD, OIDC SSO (PKCE) and Secrets Manager,
// steering three EKS fleet clusters and an AKS one.
import {
  AcmeSolver, ApiAccess, Catalog, Cloud, ClusterSelector, ExternalDnsProvider, FleetCluster, Group, ManagementCluster, Platform, SecretStore, ServiceSize, Sso, TeamService, TenantVCluster, TerraformBackend,
} from '../../src';

const platform = new Platform({
  repository: { url: 'https://github.com/acme/platform-gitops.git', revision: 'main' },
  domain: 'platform.acme.dev',
  secretStore: SecretStore.awsSecretsManager({ region: 'eu-west-1' }),
  terraformBackend: TerraformBackend.s3({ bucket: 'acme-platform-tfstate', region: 'eu-west-1' }),
});

const mgmt = new ManagementCluster(platform, 'mgmt', {
  labels: { 'security-basic': 'enabled', 'core-basic': 'enabled' },
  cloud: Cloud.eks({
    region: 'eu-west-1',
    kubernetesVersion: '1.35',
    network: { cidr: '10.10.0.0/16' },
    apiAccess: ApiAccess.authorizedRanges(['203.0.113.0/24']),
    adminRoleArns: ['arn:aws:iam::123456789012:role/platform-admins'],
  }),
  argocd: {
    adminGroups: ['platform-admins'],
    sso: Sso.oidc({ issuer: 'https://idp.acme.dev', clientId: 'argocd' }),
  },
});

const secure = { 'security-basic': 'enabled' };
const fleet: FleetCluster[] = [];
for (const [name, environment, cidr] of [['dev', 'dev', '10.20.0.0/16'], ['staging', 'staging', '10.21.0.0/16'], ['prod', 'prod', '10.22.0.0/16']]) {
  fleet.push(new FleetCluster(mgmt, name, {
    environment,
    // people sign in with the same identity provider (through kubelogin): the groups of their
    // tokens are the groups the tenants' RoleBindings name
    cloud: Cloud.eks({ region: 'eu-west-1', kubernetesVersion: '1.35', network: { cidr }, identityProvider: { issuerUrl: 'https://idp.acme.dev', clientId: 'kubectl' } }),
    labels: { ...secure, 'core-basic': 'enabled', 'monitoring-basic': 'enabled' },
    tenantCapacity: { cpu: '40', memory: '160Gi' },
  }));
}
const prod = new FleetCluster(mgmt, 'prod-azure', {
  environment: 'prod',
  cloud: Cloud.aks({ location: 'westeurope', kubernetesVersion: '1.35', network: { cidr: '10.30.0.0/16' } }),
  // no core-basic: the shared Gateway's HTTPS certificate comes from cert-manager, which runs on the EKS clusters only
  labels: { ...secure, 'monitoring-basic': 'enabled', 'monitoring-medium': 'enabled', 'storage-basic': 'enabled' },
});
// a typed output: produced by the fleet's Terraform, read by add-ons as a cluster annotation
prod.addOutput('node_resource_group', prod.aks!.cluster.nodeResourceGroup);

// The service catalog: labels on the clusters turn the stacks on.
// external-dns writes Route 53 with an IAM role the library creates on each EKS cluster (EKS Pod
// Identity, records of the platform.acme.dev hosted zone only); the AKS cluster is left out.
// HTTPS for team services: a wildcard listener *.apps.platform.acme.dev on the shared Gateway,
// its certificate through Let's Encrypt's DNS-01 challenge (wildcards need DNS-01) with Route 53
const [gateway] = Catalog.coreBasic(platform, {
  dns: { provider: ExternalDnsProvider.AWS, domainFilters: ['platform.acme.dev'], targets: ClusterSelector.labels({ 'core-basic': 'enabled', 'cloud': 'aws' }) },
  https: { clusterIssuer: 'letsencrypt-production' },
});
// cert-manager solves DNS-01 on Route 53 with a Pod Identity role the library creates on each
// EKS cluster; an AKS cluster would need Azure DNS (AcmeSolver.dns01AzureDns), so it is left out.
Catalog.certManager(platform, {
  targets: ClusterSelector.labels({ ...secure, cloud: 'aws' }),
  acme: { email: 'platform@acme.dev', solver: AcmeSolver.dns01Route53({ region: 'eu-west-1', hostedZoneId: 'Z0123456789ABC' }) },
  dependsOn: [gateway],
  // promotion: dev runs the pin under test, the other environments the released one
  versions: { dev: 'v1.21.1' },
  progressiveSync: true,
});
Catalog.kyverno(platform);
Catalog.externalSecrets(platform);
Catalog.monitoringBasic(platform);
Catalog.monitoringMedium(platform);
Catalog.storageBasic(platform, { server: 'nfs.platform.acme.internal', path: '/exports/k8s' });
Catalog.argoWorkflows(platform);
Catalog.atlantis(platform, { orgAllowlist: 'github.com/acme/*', githubUser: 'acme-atlantis' });

// Tenants: a team's own Kubernetes API inside a shared cluster.
new TenantVCluster(fleet[0], 'team-a', {
  owners: Group.named('team-a'),
  repositories: ['https://github.com/acme/team-a-apps.git'],
  quota: { cpu: '10', memory: '20Gi' },
});
new TenantVCluster(fleet[0], 'team-b', {
  owners: Group.named('team-b'),
  repositories: ['https://github.com/acme/team-b-apps.git'],
  nodePool: { machineType: 'm7i.xlarge', maxCount: 4 },
});

// A team service, the golden path: staging deploys on merge, prod by a reviewed promotion of
// services/team-a/checkout/prod.json (npx cdk8s-gitops-platform promote team-a/checkout --from staging --to prod)
const teamA = Group.named('team-a');
const teamAStaging = new TenantVCluster(fleet[1], 'team-a-staging', { owners: teamA });
new TenantVCluster(fleet[2], 'team-a-prod', { owners: teamA });
new TeamService(teamAStaging, 'checkout', {
  team: 'team-a',
  environments: ['staging', 'prod'],
  image: 'ghcr.io/acme/checkout',
  port: 8080,
  size: ServiceSize.SMALL,
  env: { LOG_LEVEL: 'info' },
});

platform.synth();
