// An Azure cockpit: AKS management cluster with Argo CD, Entra ID SSO and Key Vault,
// steering an AKS fleet cluster and an EKS one (registered without credentials in Git).
import {
  AcmeSolver, ApiAccess, Catalog, Cloud, ClusterSelector, ExternalDnsProvider, FleetCluster, Group, ManagementCluster, Platform, SecretStore, Sso, TenantVCluster, TerraformBackend,
} from '../../src';

const platform = new Platform({
  repository: { url: 'https://github.com/acme/platform-gitops.git', revision: 'main' },
  domain: 'platform.acme.dev',
  secretStore: SecretStore.azureKeyVault({ vaultName: 'acme-platform', resourceGroupName: 'rg-platform' }),
  terraformBackend: TerraformBackend.azurerm({ resourceGroupName: 'rg-tfstate', storageAccountName: 'acmetfstate' }),
  tags: { 'cost-center': 'platform' },
});

const mgmt = new ManagementCluster(platform, 'mgmt', {
  labels: { 'security-basic': 'enabled', 'core-basic': 'enabled' },
  cloud: Cloud.aks({
    location: 'westeurope',
    kubernetesVersion: '1.35',
    network: { cidr: '10.0.0.0/16' },
    apiAccess: ApiAccess.authorizedRanges(['203.0.113.0/24']),
    adminGroupObjectIds: ['00000000-0000-0000-0000-000000000001'],
    nodePools: [{ name: 'workload', machineType: 'Standard_D8ds_v5', minCount: 2, maxCount: 10 }],
  }),
  argocd: {
    adminGroups: ['00000000-0000-0000-0000-000000000001'],
    sso: Sso.entraId({ tenantId: '00000000-0000-0000-0000-0000000000aa', clientId: '00000000-0000-0000-0000-0000000000bb' }),
  },
});

const devEu = new FleetCluster(mgmt, 'dev-eu', {
  environment: 'dev',
  cloud: Cloud.aks({ location: 'westeurope', kubernetesVersion: '1.35', network: { cidr: '10.20.0.0/16' } }),
  labels: { 'security-basic': 'enabled', 'core-basic': 'enabled', 'monitoring-basic': 'enabled' },
  addons: ['cert_manager', 'external_dns'],
});

const prodUs = new FleetCluster(mgmt, 'prod-us', {
  environment: 'prod',
  cloud: Cloud.eks({ region: 'us-east-1', kubernetesVersion: '1.35', network: { cidr: '10.30.0.0/16' } }),
  labels: { 'security-basic': 'enabled', 'core-basic': 'enabled' },
});

// The service catalog: labels on the clusters turn the stacks on.
// external-dns writes Azure DNS with an identity the library creates on each AKS cluster (DNS Zone
// Contributor on the zone only); the EKS cluster has no token Entra ID trusts for it, so it is left out.
const [gateway] = Catalog.coreBasic(platform, {
  dns: {
    provider: ExternalDnsProvider.AZURE,
    domainFilters: ['platform.acme.dev'],
    azure: { subscriptionId: '00000000-0000-0000-0000-0000000000cc', resourceGroupName: 'rg-dns' },
    targets: ClusterSelector.labels({ 'core-basic': 'enabled', 'cloud': 'azure' }),
  },
});
Catalog.certManager(platform, {
  acme: { email: 'platform@acme.dev', solver: AcmeSolver.http01Gateway({ gatewayName: 'public', gatewayNamespace: 'envoy-gateway-system' }) },
  dependsOn: [gateway],
});
Catalog.kyverno(platform);
// External Secrets on the fleet: the library creates its identity on each cluster, the EKS one included
Catalog.externalSecrets(platform);
Catalog.monitoringBasic(platform);
Catalog.reloader(platform);
Catalog.crossplane(platform);

// A typed output read by an entry's values: each targeted cluster must provide it (checked at synth).
devEu.addOutput('workload_identity_tenant', devEu.aks!.cluster.identity.tenantId);

// A tenant on the management cluster itself.
new TenantVCluster(mgmt, 'platform-lab', {
  owners: Group.named('00000000-0000-0000-0000-000000000001'),
  repositories: ['https://github.com/acme/platform-lab.git'],
});

platform.synth();
