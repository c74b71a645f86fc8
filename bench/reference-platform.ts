// The benchmark's reference platform, built with the public API: 1 management cluster,
// 100 fleet clusters (50 AKS, 50 EKS, across dev/staging/prod), 40 catalog entries and
// N tenant vClusters spread over the fleet.
import {
  AcmeSolver, ApiAccess, Catalog, Cloud, ClusterSelector, ExternalDnsProvider, FleetCluster, Group, HelmChart, ManagementCluster, Platform,
  SecretStore, ServiceCatalogEntry, TenantVCluster, TerraformBackend,
} from '../src';

export function referencePlatform(tenants: number, outdir?: string): Platform {
  const platform = new Platform({
    repository: { url: 'https://github.com/acme/platform-gitops.git' },
    domain: 'platform.acme.dev',
    secretStore: SecretStore.vault({ server: 'https://vault.acme.dev:8200' }),
    terraformBackend: TerraformBackend.s3({ bucket: 'acme-tfstate', region: 'eu-west-1' }),
    outdir,
  });
  const stacks = { 'security-basic': 'enabled', 'core-basic': 'enabled', 'monitoring-basic': 'enabled' };
  const mgmt = new ManagementCluster(platform, 'mgmt', {
    cloud: Cloud.eks({ region: 'eu-west-1', kubernetesVersion: '1.33', network: { cidr: '10.0.0.0/16' }, apiAccess: ApiAccess.private() }),
    labels: stacks,
  });
  const envs = ['dev', 'staging', 'prod'];
  const fleet: FleetCluster[] = [];
  for (let i = 0; i < 100; i++) {
    const cidr = `10.${1 + i}.0.0/16`;
    const cloud = i % 2 === 0
      ? Cloud.aks({ location: 'westeurope', kubernetesVersion: '1.33', network: { cidr } })
      : Cloud.eks({ region: 'eu-west-1', kubernetesVersion: '1.33', network: { cidr } });
    fleet.push(new FleetCluster(mgmt, `fleet-${i}`, { environment: envs[i % 3], cloud, labels: stacks }));
  }
  // Route 53 from EKS clusters only: an AKS cluster has no token AWS trusts for external-dns
  const [gateway] = Catalog.coreBasic(platform, { dns: { provider: ExternalDnsProvider.AWS, domainFilters: ['acme.dev'], targets: ClusterSelector.labels({ 'core-basic': 'enabled', 'cloud': 'aws' }) } });
  Catalog.securityBasic(platform, { acme: { email: 'ops@acme.dev', solver: AcmeSolver.http01Gateway({ gatewayName: 'public', gatewayNamespace: 'envoy-gateway-system' }) }, certManagerDependsOn: [gateway] });
  Catalog.monitoringBasic(platform);
  // 33 more entries: 40 in all
  for (let i = 0; i < 33; i++) {
    new ServiceCatalogEntry(platform, `tool-${i}`, {
      chart: HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: `tool-${i}`, version: '1.0.0' }),
      namespace: `tool-${i}`,
      targets: ClusterSelector.labels({ 'core-basic': 'enabled' }),
      values: { replicas: 2, resources: { requests: { cpu: '50m', memory: '64Mi' } } },
      environmentValues: { prod: { replicas: 3 } },
    });
  }
  for (let t = 0; t < tenants; t++) {
    new TenantVCluster(fleet[t % fleet.length], `team-${t}`, {
      owners: Group.named(`team-${t}`),
      repositories: [`https://github.com/acme/team-${t}.git`],
      quota: { cpu: '1', memory: '2Gi' },
    });
  }
  return platform;
}
