// Property-based tests over the public API, with fixed seeds so CI runs are reproducible.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Cloud, ClusterSelector, FleetCluster, Group, HelmChart, ManagementCluster, Platform, PlatformValidationError, SecretStore, ServiceCatalogEntry,
  TenantVCluster, TerraformBackend,
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
    // a declaration error shows the caller's frames only: neither the library's nor a dependency's
    expect((e.stack ?? '').split('\n').filter((l) => l.startsWith('    at ') && /[/\\](src|node_modules)[/\\]/.test(l))).toEqual([]);
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

describe('random dependency graphs between catalog entries', () => {
  const chart = HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'demo', version: '1.2.3' });
  const secure = { 'security-basic': 'enabled' };
  /** n entries and directed edges "i depends on j" (self-dependencies included). */
  const graphArb = fc.integer({ min: 1, max: 6 }).chain((n) => fc.record({
    n: fc.constant(n),
    edges: fc.uniqueArray(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 2 * n, selector: ([a, b]) => `${a}>${b}` }),
  }));
  /** The same, acyclic by construction: an entry only depends on entries declared before it. */
  const dagArb = fc.integer({ min: 2, max: 5 }).chain((n) => fc.record({
    n: fc.constant(n),
    edges: fc.uniqueArray(fc.tuple(fc.integer({ min: 1, max: n - 1 }), fc.nat(n - 2)).filter(([a, b]) => b < a), { maxLength: 2 * n, selector: ([a, b]) => `${a}>${b}` }),
  }));

  /** The reference answer, computed independently of the library: Kahn's algorithm. */
  function hasCycle(n: number, edges: [number, number][]): boolean {
    const indegree = new Array<number>(n).fill(0);
    for (const [, b] of edges) indegree[b]++;
    const ready = indegree.flatMap((d, i) => (d === 0 ? [i] : []));
    let removed = 0;
    while (ready.length > 0) {
      const i = ready.pop()!;
      removed++;
      for (const [a, b] of edges) if (a === i && --indegree[b] === 0) ready.push(b);
    }
    return removed < n;
  }

  /** The sync wave the library must give each entry: one more than its highest dependency's. */
  function waves(n: number, edges: [number, number][]): number[] {
    const memo = new Map<number, number>();
    const wave = (i: number): number => {
      if (!memo.has(i)) {
        const deps = edges.filter(([a]) => a === i).map(([, b]) => wave(b));
        memo.set(i, deps.length === 0 ? 0 : Math.max(...deps) + 1);
      }
      return memo.get(i)!;
    };
    return Array.from({ length: n }, (_, i) => wave(i));
  }

  /**
   * Declares the entries, then adds the edges (a cycle can only be closed once both ends
   * exist); with a cluster they target when it is to be rendered (declaring one costs more).
   */
  function declare(n: number, edges: [number, number][], options: { outdir?: string; cluster?: boolean }) {
    const platform = azurePlatform(options.outdir ? { outdir: options.outdir } : {});
    if (options.cluster) azureMgmt(platform, { labels: secure });
    const deps = Array.from({ length: n }, () => [] as ServiceCatalogEntry[]);
    const entries = deps.map((dependsOn, i) => new ServiceCatalogEntry(platform, `e${i}`, { chart, namespace: `e${i}`, targets: ClusterSelector.labels(secure), dependsOn }));
    for (const [a, b] of edges) deps[a].push(entries[b]);
    return { platform, entries };
  }

  it('a graph with a cycle always ends in the library\'s error naming the cycle and an entry\'s path, with nothing written; an acyclic one always validates', () => {
    const outdir = path.join(os.tmpdir(), `property-cycles-${process.pid}`);
    let cyclic = 0;
    fc.assert(fc.property(graphArb, ({ n, edges }) => {
      const { platform, entries } = declare(n, edges, { outdir });
      if (!hasCycle(n, edges)) {
        runs++;
        expect(platform.validate().filter((p) => p.severity !== 'warning')).toEqual([]);
        expect(entries.map((e) => e.syncWave)).toEqual(waves(n, edges));
        return;
      }
      cyclic++;
      let error: PlatformValidationError | undefined;
      expect(ownErrorOrSuccess(() => {
        try {
          platform.synth();
        } catch (e) {
          error = e as PlatformValidationError;
          throw e;
        }
      })).toBe(false);
      expect(fs.existsSync(outdir)).toBe(false);
      const cycles = error!.problems.filter((p) => p.message.startsWith('catalog entries depend on each other in a cycle: '));
      expect(cycles.length).toBeGreaterThan(0);
      for (const p of cycles) {
        expect(p.path).toMatch(/^platform\/e\d$/);
        // every step of the reported cycle is a declared dependency, and it closes on itself
        const names = /cycle: (.*)\. Fix: remove one of the dependencies\.$/.exec(p.message)![1].split(' -> ').map((x) => Number(x.slice(1)));
        expect(names[0]).toBe(names[names.length - 1]);
        for (let i = 0; i + 1 < names.length; i++) expect(edges).toContainEqual([names[i], names[i + 1]]);
      }
    }), { seed: SEED, numRuns: 120 });
    expect(cyclic).toBeGreaterThan(20); // the generator does produce cycles
  });

  it('an acyclic graph always renders, each ApplicationSet in the sync wave after its dependencies', () => {
    fc.assert(fc.property(dagArb, ({ n, edges }) => {
      runs++;
      const { platform } = declare(n, edges, { cluster: true });
      const files = platform.render();
      const expected = waves(n, edges);
      for (let i = 0; i < n; i++) {
        const appSet = parse(files.get(`clusters/mgmt/argocd/applicationset-e${i}.yaml`)!);
        expect(appSet.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe(String(expected[i]));
      }
    }), { seed: SEED, numRuns: 4 });
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
