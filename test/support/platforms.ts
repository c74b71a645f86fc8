// The platforms whose Terraform states the real-tool tests check: both examples, the starters
// of `init --cloud azure|aws`, and platforms mixing both cockpits with both fleet clouds.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ApiAccess, Catalog, Cloud, ClusterSelector, ExternalDnsProvider, FleetCluster, Group, ManagementCluster, Platform, SecretStore, TenantVCluster, TerraformBackend,
} from '../../src';
import { TerraformOutput, TerraformResource } from 'cdktf';
import { StarterCloud, starterFiles } from '../../src/starter/starter';
import { exampleOutput } from './rendered-platforms';

const repoRoot = path.join(__dirname, '..', '..');

/** Terraform states of a rendered tree: cluster name -> parsed cdk.tf.json. */
export function statesOf(files: Map<string, string> | Record<string, string>): Map<string, any> {
  const entries = files instanceof Map ? [...files] : Object.entries(files);
  return new Map(entries.filter(([f]) => /^terraform\/[^/]+\/cdk\.tf\.json$/.test(f)).map(([f, text]) => [f.split('/')[1], JSON.parse(text)]));
}

/** What an example's main.ts (which calls `platform.synth()`) writes, without the output manifest. */
export async function renderExample(name: 'azure' | 'aws'): Promise<Record<string, string>> {
  return Object.fromEntries(await exampleOutput(name));
}

/** The starter's platform.ts for a cloud, built against this checkout's sources. */
export async function renderStarter(cloud: StarterCloud): Promise<Map<string, string>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `starter-${cloud}-`));
  try {
    const source = starterFiles({ cloud }).get('platform.ts')!
      .replace(/from 'cdk8s-gitops-platform'/, `from ${JSON.stringify(path.join(repoRoot, 'src', 'index.ts'))}`);
    fs.writeFileSync(path.join(dir, 'platform.ts'), source);
    const mod = await import(path.join(dir, 'platform.ts')) as { buildPlatform: () => Platform };
    return mod.buildPlatform().render();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Both cockpits, both fleet clouds, one platform (Vault as the secret store, the one both
 * clouds reach): an AKS management cluster with an EKS and an AKS fleet cluster, and an EKS
 * management cluster with an AKS and an EKS fleet cluster.
 */
export function mixedPlatform(outdir?: string): Platform {
  const platform = new Platform({
    outdir,
    repository: { url: 'https://github.com/acme/platform-gitops.git', revision: 'main' },
    domain: 'platform.acme.dev',
    secretStore: SecretStore.vault({ server: 'https://vault.acme.dev:8200' }),
    terraformBackend: TerraformBackend.s3({ bucket: 'acme-tfstate', region: 'eu-west-1' }),
  });
  const stacks = { 'security-basic': 'enabled', 'core-basic': 'enabled' };
  const aksMgmt = new ManagementCluster(platform, 'cockpit-aks', {
    labels: stacks,
    cloud: Cloud.aks({ location: 'westeurope', kubernetesVersion: '1.35', network: { cidr: '10.0.0.0/16' }, apiAccess: ApiAccess.authorizedRanges(['203.0.113.0/24']) }),
  });
  new FleetCluster(aksMgmt, 'eks-of-aks', { environment: 'prod', labels: stacks, cloud: Cloud.eks({ region: 'us-east-1', kubernetesVersion: '1.35', network: { cidr: '10.1.0.0/16' } }) });
  new FleetCluster(aksMgmt, 'aks-of-aks', { environment: 'prod', labels: stacks, cloud: Cloud.aks({ location: 'westeurope', kubernetesVersion: '1.35', network: { cidr: '10.2.0.0/16' } }) });
  const eksMgmt = new ManagementCluster(platform, 'cockpit-eks', {
    labels: stacks,
    // each hub's Argo CD has its own host (the default, argocd.<domain>, is the other hub's)
    argocd: { hostname: 'argocd-cockpit-eks.platform.acme.dev' },
    cloud: Cloud.eks({ region: 'eu-west-1', kubernetesVersion: '1.35', network: { cidr: '10.3.0.0/16' }, apiAccess: ApiAccess.authorizedRanges(['203.0.113.0/24']) }),
  });
  new FleetCluster(eksMgmt, 'aks-of-eks', { environment: 'prod', labels: stacks, cloud: Cloud.aks({ location: 'northeurope', kubernetesVersion: '1.35', network: { cidr: '10.4.0.0/16' } }) });
  new FleetCluster(eksMgmt, 'eks-of-eks', { environment: 'prod', labels: stacks, cloud: Cloud.eks({ region: 'eu-west-1', kubernetesVersion: '1.35', network: { cidr: '10.5.0.0/16' } }) });
  Catalog.coreBasic(platform, { dns: { provider: ExternalDnsProvider.AWS, domainFilters: ['platform.acme.dev'], targets: ClusterSelector.labels({ 'core-basic': 'enabled', 'cloud': 'aws' }) } });
  Catalog.externalSecrets(platform);
  Catalog.kyverno(platform);
  return platform;
}

/**
 * An AKS management cluster steering two EKS fleet clusters in two regions (Azure Key Vault as the
 * store): both fleets trust the one AKS issuer, for which IAM allows one OIDC provider per account.
 */
export function aksHubWithEksFleets(): Platform {
  const platform = new Platform({
    repository: { url: 'https://github.com/acme/platform-gitops.git', revision: 'main' },
    domain: 'platform.acme.dev',
    secretStore: SecretStore.azureKeyVault({ vaultName: 'acme-platform', resourceGroupName: 'rg-platform' }),
    terraformBackend: TerraformBackend.azurerm({ resourceGroupName: 'rg-tfstate', storageAccountName: 'acmetfstate' }),
  });
  const hub = new ManagementCluster(platform, 'hub', {
    cloud: Cloud.aks({ location: 'westeurope', kubernetesVersion: '1.35', network: { cidr: '10.0.0.0/16' }, apiAccess: ApiAccess.authorizedRanges(['203.0.113.0/24']) }),
  });
  new FleetCluster(hub, 'eks-eu', { environment: 'prod', cloud: Cloud.eks({ region: 'eu-west-1', kubernetesVersion: '1.35', network: { cidr: '10.1.0.0/16' } }) });
  new FleetCluster(hub, 'eks-us', { environment: 'prod', cloud: Cloud.eks({ region: 'us-east-1', kubernetesVersion: '1.35', network: { cidr: '10.2.0.0/16' } }) });
  return platform;
}

/**
 * Hosts with many tenants on AWS Secrets Manager: the management cluster's and a fleet cluster's
 * grants of their tenants' kubeconfig pushes outgrow a role's inline policies, so their states
 * attach managed policies instead.
 */
export function manyTenantsPlatform(): Platform {
  const platform = new Platform({
    repository: { url: 'https://github.com/acme/platform-gitops.git', revision: 'main' },
    domain: 'platform.acme.dev',
    secretStore: SecretStore.awsSecretsManager({ region: 'eu-west-1' }),
    terraformBackend: TerraformBackend.s3({ bucket: 'acme-tfstate', region: 'eu-west-1' }),
  });
  const stacks = { 'security-basic': 'enabled' };
  const mgmt = new ManagementCluster(platform, 'mgmt', {
    labels: stacks,
    cloud: Cloud.eks({ region: 'eu-west-1', kubernetesVersion: '1.35', network: { cidr: '10.0.0.0/16' }, apiAccess: ApiAccess.authorizedRanges(['203.0.113.0/24']) }),
  });
  // node groups of every AMI type the library picks (the provider validates the type): Graviton, NVIDIA GPUs, Inferentia
  const nodePools = [{ name: 'arm', machineType: 'm7g.large' }, { name: 'gpu', machineType: 'g5.xlarge' }, { name: 'armgpu', machineType: 'g5g.xlarge' }, { name: 'neuron', machineType: 'inf2.xlarge' }];
  const fleet = new FleetCluster(mgmt, 'dev', { environment: 'dev', labels: stacks, cloud: Cloud.eks({ region: 'eu-west-1', kubernetesVersion: '1.35', network: { cidr: '10.1.0.0/16' }, nodePools }) });
  Catalog.externalSecrets(platform);
  for (let i = 0; i < 70; i++) new TenantVCluster(mgmt, `mgmt-team-${i}`, { owners: Group.named(`team-${i}`) });
  for (let i = 0; i < 130; i++) new TenantVCluster(fleet, `dev-team-${i}`, { owners: Group.named(`team-${i}`) });
  return platform;
}

/**
 * The mixed platform where `to`'s Terraform state reads a resource id of `from`'s state through
 * the `stack` escape hatch (output `read-across`): cdktf adds an output to `from` and a remote
 * state to `to` while the states are prepared. Returns the platform and the resource read.
 */
export function crossStatePlatform(from: string, to: string): { platform: Platform; resource: TerraformResource } {
  const platform = mixedPlatform();
  const cluster = (name: string) => platform.node.findAll().find((c): c is ManagementCluster | FleetCluster =>
    (c instanceof ManagementCluster || c instanceof FleetCluster) && c.name === name)!;
  const resource = cluster(from).stack.node.findAll().find((c): c is TerraformResource => c instanceof TerraformResource)!;
  new TerraformOutput(cluster(to).stack, 'read-across', { value: resource.getStringAttribute('id') });
  return { platform, resource };
}
