// The benchmark's reference platform, built with the public API: 1 management cluster,
// 120 fleet clusters (60 AKS, 60 EKS, across dev/staging/prod), 40 catalog entries, N tenant
// vClusters (N/2 teams with a staging and a prod vCluster each) and a team service for every
// fourth team (a quarter of the tenants run one), with its pin files in `pinsRoot`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  AcmeSolver, ApiAccess, Catalog, Cloud, ClusterSelector, ExternalDnsProvider, FleetCluster, Group, HelmChart, ManagementCluster, Platform,
  SecretStore, ServiceCatalogEntry, TeamService, TenantVCluster, TerraformBackend,
} from '../src';

export const FLEET_CLUSTERS = 120;
const SHA = (c: string) => c.repeat(40);

/** Writes the pin files of the reference platform's team services (`bump`: team 0's prod pin gets a new image tag). */
export function writePins(pinsRoot: string, tenants: number, bump = false): void {
  for (let team = 0; team < Math.ceil(tenants / 2); team += 4) {
    const dir = path.join(pinsRoot, 'services', `team-${team}`, 'web');
    fs.mkdirSync(dir, { recursive: true });
    for (const env of ['staging', 'prod']) {
      const tag = bump && team === 0 && env === 'prod' ? '1.0.1-bbbbbbb' : '1.0.0-aaaaaaa';
      fs.writeFileSync(path.join(dir, `${env}.json`), JSON.stringify({ cluster: `vc-team-${team}-${env}`, imageTag: tag, targetRevision: SHA('a') }, null, 2) + '\n');
    }
  }
}

export function referencePlatform(tenants: number, outdir: string | undefined, pinsRoot: string): Platform {
  const platform = new Platform({
    repository: { url: 'https://github.com/acme/platform-gitops.git' },
    domain: 'platform.acme.dev',
    secretStore: SecretStore.vault({ server: 'https://vault.acme.dev:8200' }),
    terraformBackend: TerraformBackend.s3({ bucket: 'acme-tfstate', region: 'eu-west-1' }),
    outdir,
  });
  const stacks = { 'security-basic': 'enabled', 'core-basic': 'enabled', 'monitoring-basic': 'enabled' };
  const mgmt = new ManagementCluster(platform, 'mgmt', {
    cloud: Cloud.eks({ region: 'eu-west-1', kubernetesVersion: '1.35', network: { cidr: '10.0.0.0/16' }, apiAccess: ApiAccess.private() }),
    labels: stacks,
  });
  const envs = ['dev', 'staging', 'prod'];
  const byEnv = new Map<string, FleetCluster[]>(envs.map((e) => [e, []]));
  for (let i = 0; i < FLEET_CLUSTERS; i++) {
    const cidr = `10.${1 + i}.0.0/16`;
    const cloud = i % 2 === 0
      ? Cloud.aks({ location: 'westeurope', kubernetesVersion: '1.35', network: { cidr } })
      : Cloud.eks({ region: 'eu-west-1', kubernetesVersion: '1.35', network: { cidr } });
    const env = envs[i % 3];
    byEnv.get(env)!.push(new FleetCluster(mgmt, `fleet-${i}`, { environment: env, cloud, labels: stacks }));
  }
  // Route 53 from EKS clusters only: an AKS cluster has no token AWS trusts for external-dns;
  // the HTTPS wildcard (team services) through Cloudflare DNS-01, whose token comes from the store on every cloud
  const [gateway] = Catalog.coreBasic(platform, { dns: { provider: ExternalDnsProvider.AWS, domainFilters: ['acme.dev'], targets: ClusterSelector.labels({ 'core-basic': 'enabled', 'cloud': 'aws' }) }, https: {} });
  Catalog.securityBasic(platform, { acme: { email: 'ops@acme.dev', solver: AcmeSolver.dns01Cloudflare({ storeKey: 'cloudflare' }) }, certManagerDependsOn: [gateway] });
  Catalog.monitoringBasic(platform);
  const declared = platform.node.findAll().filter((c) => c instanceof ServiceCatalogEntry).length;
  for (let i = 0; i < 40 - declared; i++) {
    new ServiceCatalogEntry(platform, `tool-${i}`, {
      chart: HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: `tool-${i}`, version: '1.0.0' }),
      namespace: `tool-${i}`,
      targets: ClusterSelector.labels({ 'core-basic': 'enabled' }),
      values: { replicas: 2, resources: { requests: { cpu: '50m', memory: '64Mi' } } },
      environmentValues: { prod: { replicas: 3 } },
    });
  }
  for (let t = 0; t < tenants; t++) {
    const team = Math.floor(t / 2);
    const env = t % 2 === 0 ? 'staging' : 'prod';
    const hosts = byEnv.get(env)!;
    const tenant = new TenantVCluster(hosts[team % hosts.length], `team-${team}-${env}`, {
      owners: Group.named(`team-${team}`),
      repositories: [`https://github.com/acme/team-${team}.git`],
      quota: { cpu: '1', memory: '2Gi' },
    });
    if (team % 4 === 0 && env === 'prod') {
      new TeamService(tenant, 'web', { team: `team-${team}`, image: `ghcr.io/acme/team-${team}-web`, port: 8080, environments: ['staging', 'prod'], repositoryRoot: pinsRoot });
    }
  }
  return platform;
}
