// Property-based tests over the public API, with fixed seeds so CI runs are reproducible.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Cloud, FleetCluster, Group, ManagementCluster, Platform, PlatformValidationError, SecretStore, TenantVCluster, TerraformBackend,
} from '../src';
import { aksCloud, awsPlatform, azureMgmt, azurePlatform, eksCloud, manifests } from './support/fixtures';
import { crdErrors, HAS_SCHEMAS } from './support/schemas';

let runs = 0;
afterAll(() => console.log(`property-based runs: ${runs}`));

const SEED = 20260801;
const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', ' ', '../x', '..', '.', 'a/b', 'a\\b', '/etc/passwd', 'x\0y', 'C:\\x', 'a'.repeat(64), 'a'.repeat(10_000), 'ÄÖÜ', 'team-a ', '-a', 'a-', 'A', 'null', '__proto__', 'constructor', 'toString'),
  fc.stringMatching(/^[a-z0-9][-a-z0-9]{0,61}[a-z0-9]$/),
);

/** Runs `fn`: it either succeeds, or fails with the library's own error naming a construct path, never anything else. */
function ownErrorOrSuccess(fn: () => unknown): boolean {
  runs++;
  try {
    fn();
    return true;
  } catch (e) {
    if (!(e instanceof PlatformValidationError)) throw new Error(`not the library's error: ${String(e)}`);
    expect(e.message).toMatch(/^(\[[^\]\n]+\] |\d+ problems in the platform declaration:\n {2}\[)/);
    expect(e.message).toContain('Fix: ');
    // thrown by the library's own code, not from inside a dependency
    expect((e.stack ?? '').split('\n').find((l) => l.startsWith('    at '))).toMatch(/[/\\]src[/\\]/);
    return false;
  }
}

const dnsLabel = (s: string) => /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(s);

describe('hostile input ends in the library\'s own validation error, never a TypeError', () => {
  it('cluster names', () => {
    fc.assert(fc.property(hostileString, (name) => {
      const platform = azurePlatform();
      const ok = ownErrorOrSuccess(() => new ManagementCluster(platform, 'mgmt', { name, cloud: aksCloud() }));
      expect(ok).toBe(dnsLabel(name));
    }), { seed: SEED, numRuns: 150 });
  });

  it('tenant names, owners and repositories', () => {
    const mgmt = azureMgmt();
    let i = 0;
    fc.assert(fc.property(hostileString, hostileString, hostileString, (name, owner, repo) => {
      ownErrorOrSuccess(() => new TenantVCluster(mgmt, `t${i++}`, { name, owners: Group.named(owner), repositories: [repo] }));
    }), { seed: SEED, numRuns: 150 });
  });

  it('CIDRs and Kubernetes versions', () => {
    fc.assert(fc.property(fc.oneof(hostileString, fc.ipV4().map((ip) => `${ip}/16`), fc.ipV6()), hostileString, (cidr, version) => {
      ownErrorOrSuccess(() => new ManagementCluster(azurePlatform(), 'mgmt', { cloud: Cloud.eks({ region: 'eu-west-1', kubernetesVersion: version, network: { cidr } }) }));
    }), { seed: SEED, numRuns: 150 });
  });

  it('platform settings: domain, repository URL and path, environments, labels', () => {
    fc.assert(fc.property(hostileString, hostileString, hostileString, fc.array(hostileString, { maxLength: 3 }), hostileString, (domain, url, repoPath, envs, label) => {
      ownErrorOrSuccess(() => new Platform({
        repository: { url, path: repoPath },
        domain,
        environments: envs,
        labels: { [label]: label },
        secretStore: SecretStore.azureKeyVault({ vaultName: 'acme', resourceGroupName: 'rg' }),
        terraformBackend: TerraformBackend.azurerm({ resourceGroupName: 'rg', storageAccountName: 'acmetfstate' }),
      }));
    }), { seed: SEED, numRuns: 150 });
  });

  it('duplicate names and overlapping CIDRs are reported together at render, with nothing written', () => {
    fc.assert(fc.property(fc.constantFrom('a', 'b'), fc.constantFrom('10.0.0.0/16', '10.0.0.0/8', '10.1.0.0/16'), (name, cidr) => {
      const outdir = path.join(os.tmpdir(), `property-never-written-${process.pid}`);
      const platform = azurePlatform({ outdir });
      new ManagementCluster(platform, 'one', { name: 'a', cloud: aksCloud('10.0.0.0/16') });
      new ManagementCluster(platform, 'two', { name, cloud: aksCloud(cidr) });
      const ok = ownErrorOrSuccess(() => platform.synth());
      expect(ok).toBe(name === 'b' && cidr === '10.1.0.0/16');
      expect(fs.existsSync(outdir)).toBe(ok);
      fs.rmSync(outdir, { recursive: true, force: true });
    }), { seed: SEED, numRuns: 8 });
  });
});

describe('random valid platforms', () => {
  const platformArb = fc.record({
    aws: fc.boolean(),
    fleet: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), { maxLength: 1 }).map((names) => names.filter((n) => n !== 'mgmt')),
    tenants: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/), { maxLength: 2 }),
  });

  it('always synthesize, pass the policy pass and the upstream CRDs, and render the same bytes twice', () => {
    fc.assert(fc.property(platformArb, ({ aws, fleet, tenants }) => {
      runs++;
      const platform = aws ? awsPlatform() : azurePlatform();
      const mgmt = new ManagementCluster(platform, 'mgmt', { cloud: aws ? eksCloud('10.0.0.0/16') : aksCloud('10.0.0.0/16'), labels: { 'security-basic': 'enabled' } });
      const hosts = [mgmt, ...fleet.map((n, i) => new FleetCluster(mgmt, n, {
        environment: 'dev', cloud: i % 2 ? eksCloud(`10.${10 + i}.0.0/16`) : aksCloud(`10.${10 + i}.0.0/16`), labels: { 'security-basic': 'enabled' },
      }))];
      tenants.forEach((t, i) => new TenantVCluster(hosts[i % hosts.length], t, { owners: Group.named(t) }));
      const first = platform.render();
      expect(platform.render()).toEqual(first);
      if (HAS_SCHEMAS) {
        for (const { file, obj } of manifests(first)) {
          if (obj.apiVersion?.startsWith('argoproj.io/')) expect({ file, errors: crdErrors(obj) }).toEqual({ file, errors: [] });
        }
      }
    }), { seed: SEED, numRuns: 2 });
  });
});
