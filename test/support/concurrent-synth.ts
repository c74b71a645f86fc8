// A child process of test/writer-concurrency.test.ts: declares every variant of a small
// platform and renders each once (so that the writes overlap), prints "ready", then for each
// line "<k>" on stdin (the common start of a trial) synthesizes into <outdir> <rounds> times
// (variant k, k+1, ... in turn) and prints "done". It ends when stdin does.
// `tsx test/support/concurrent-synth.ts <outdir> <rounds>`
import * as readline from 'node:readline';
import { ApiAccess, Cloud, FleetCluster, ManagementCluster, Platform, SecretStore, TerraformBackend } from '../../src';

const aks = (cidr: string) => Cloud.aks({ location: 'westeurope', kubernetesVersion: '1.35', network: { cidr } });

export const VARIANTS = 3;

/** Variant k: the platform labels differ, and variant 2 has two more fleet clusters (files added and removed). */
export function variant(k: number, outdir?: string): Platform {
  const platform = new Platform({
    repository: { url: 'https://github.com/acme/platform-gitops.git' },
    domain: 'platform.acme.dev',
    secretStore: SecretStore.azureKeyVault({ vaultName: 'acme-platform', resourceGroupName: 'rg-platform' }),
    terraformBackend: TerraformBackend.azurerm({ resourceGroupName: 'rg-tfstate', storageAccountName: 'acmetfstate' }),
    labels: { variant: String(k) },
    outdir,
  });
  const mgmt = new ManagementCluster(platform, 'mgmt', { cloud: Cloud.aks({ location: 'westeurope', kubernetesVersion: '1.35', network: { cidr: '10.0.0.0/16' }, apiAccess: ApiAccess.private() }), labels: { 'security-basic': 'enabled' } });
  const fleet = k === 2 ? 3 : 1;
  for (let i = 0; i < fleet; i++) {
    new FleetCluster(mgmt, `fleet-${i}`, { environment: 'dev', cloud: aks(`10.${20 + i}.0.0/16`), labels: { 'security-basic': 'enabled' } });
  }
  return platform;
}

if (require.main === module) {
  const [outdir, rounds] = process.argv.slice(2);
  const platforms = Array.from({ length: VARIANTS }, (_, k) => variant(k, outdir));
  for (const p of platforms) p.render(); // warm up, so that the writes overlap
  process.stdout.write('ready\n');
  readline.createInterface({ input: process.stdin }).on('line', (k) => {
    for (let i = 0; i < Number(rounds); i++) platforms[(Number(k) + i) % VARIANTS].synth();
    process.stdout.write('done\n');
  });
}
