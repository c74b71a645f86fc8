// Property-based tests over the public API, with fixed seeds so CI runs are reproducible.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import * as library from '../src';
import {
  AcmeSolver, AddonIdentity, ApiAccess, ApiExposure, ArgoCdUi, Catalog, Cloud, NamespaceTenant, NatGatewayMode, TenantClusterResource, ClusterOutput, ClusterSelector, expandApplicationSet, FleetCluster, Group, HelmChart, ManagementCluster, NetworkAllowance, Platform, PlatformValidationError,
  SecretStore, SelectorOperator, ServiceCatalogEntry, Sso, TeamService, TenantVCluster, TerraformBackend,
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
      new ManagementCluster(platform, 'two', { name, cloud: aksCloud(cidr), argocd: { hostname: 'argocd-two.platform.acme.dev' } });
      const ok = ownErrorOrSuccess(() => platform.synth());
      expect(ok).toBe(name === 'b' && cidr === '10.1.0.0/16');
      expect(fs.existsSync(outdir)).toBe(ok);
      fs.rmSync(outdir, { recursive: true, force: true });
    }), { seed: SEED, numRuns: 8 });
  });
});

describe('values that reach an ApplicationSet template are data, never template code', () => {
  const injected = fc.oneof({ arbitrary: fc.stringMatching(/^[a-z0-9][-a-z0-9]{0,20}[a-z0-9]$/), weight: 6 }, hostileString, hostileString.map((s) => `main{{"\n    - repoURL: https://evil.example/${s}"}}`), fc.constantFrom('{{', '}}', '{{ .name }}', 'a}}b{{c', 'x\n- repoURL: https://evil.example/x'));
  const mgmtCluster = { name: 'mgmt', labels: { 'environment': 'prod', 'cluster_name': 'mgmt', 'security-basic': 'enabled' } };

  it('revision, releaseName, Helm repository URL and keys of templated values: the library\'s error, or an expansion with exactly the declared sources', () => {
    let accepted = 0;
    fc.assert(fc.property(injected, injected, injected, injected, (revision, releaseName, repoSuffix, key) => {
      let files: Map<string, string> | undefined;
      const ok = ownErrorOrSuccess(() => {
        const platform = azurePlatform({ repository: { url: 'https://github.com/acme/platform-gitops.git', revision } });
        azureMgmt(platform, { labels: { 'security-basic': 'enabled' } });
        new ServiceCatalogEntry(platform, 'demo', {
          chart: HelmChart.fromRepository({ repository: `https://charts.example.dev/${repoSuffix}`, chart: 'demo', version: '1.2.3' }),
          namespace: 'demo', targets: ClusterSelector.labels({ 'security-basic': 'enabled' }), releaseName, values: { [key]: ClusterOutput.clusterName() },
        });
        files = platform.render();
      });
      if (!ok) return;
      accepted++;
      const appSet = parse(files!.get('clusters/mgmt/argocd/applicationset-demo.yaml')!);
      const [app] = expandApplicationSet(appSet, [mgmtCluster]);
      expect(app.spec.sources.map((x: any) => x.repoURL)).toEqual([`https://charts.example.dev/${repoSuffix}`, 'https://github.com/acme/platform-gitops.git']);
      expect(app.spec.sources[0].helm).toEqual({ releaseName, valuesObject: { [key]: 'mgmt' } });
      expect(app.spec.sources[1].targetRevision).toBe(revision);
    }), { seed: SEED, numRuns: 80 });
    expect(accepted).toBeGreaterThan(5); // the generator does produce valid declarations
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

describe('every public class and factory: any JavaScript value ends in success or the library\'s error', () => {
  // Values a JavaScript caller (or a YAML file read without checks) can pass: wrong types,
  // null and undefined, NaN and negative numbers, Dates, functions, cycles, deep nesting.
  const cyclic = (() => {
    const o: Record<string, unknown> = { a: 1 };
    o.self = o;
    return o;
  })();
  const deep = (() => {
    const root: Record<string, unknown> = {};
    let d = root;
    for (let i = 0; i < 2000; i++) d = (d.x = {}) as Record<string, unknown>;
    return root;
  })();
  const garbage = fc.oneof(
    hostileString,
    fc.constantFrom<unknown>(null, undefined, NaN, Infinity, -3, 0, 1.5, 2 ** 53, true, false, [], {}, [null], { a: null }, new Date(0), () => 1, Symbol('s'), cyclic, deep, [cyclic], { v: deep }),
    fc.integer({ min: -70000, max: 70000 }),
    fc.anything({ maxDepth: 2, maxKeys: 3 }),
  );
  /** A valid value most of the time, garbage sometimes. */
  const or = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid as fc.Arbitrary<unknown>, weight: 4 }, { arbitrary: garbage, weight: 1 });
  const maybe = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: or(valid), weight: 2 });
  const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/);
  const js = (v: unknown): any => v;
  /** Runs `fn` under ownErrorOrSuccess; on success, renders twice: same bytes, and no YAML NaN/Infinity written. */
  const rendersOrRefuses = (fn: () => Platform) => {
    let platform: Platform | undefined;
    if (!ownErrorOrSuccess(() => (platform = fn()))) return false;
    let files: Map<string, string> | undefined;
    if (!ownErrorOrSuccess(() => (files = platform!.render()))) return false;
    for (const [f, text] of files!) expect({ f, bad: /: \.nan$|: -?\.inf$|"NaN"|: NaN$/m.test(text) }).toEqual({ f, bad: false });
    expect(platform!.render()).toEqual(files);
    return true;
  };
  const opts = { seed: SEED, numRuns: 30 };

  it('Platform, SecretStore and TerraformBackend factories', () => {
    fc.assert(fc.property(or(label), maybe(fc.constantFrom('main', 'release/1.2')), maybe(fc.constant('dist')), maybe(fc.array(label, { minLength: 1, maxLength: 3 })),
      maybe(fc.dictionary(label, label, { maxKeys: 2 })), maybe(fc.dictionary(label, label, { maxKeys: 2 })), or(fc.constant('acme-platform')), maybe(fc.boolean()),
      (domain, revision, repoPath, environments, labels, tags, vaultName, requireSecurityBasic) => {
        rendersOrRefuses(() => {
          const platform = new Platform(js({
            repository: { url: 'https://github.com/acme/platform-gitops.git', revision, path: repoPath },
            domain: typeof domain === 'string' ? `${domain}.acme.dev` : domain,
            environments, labels, tags, requireSecurityBasic,
            secretStore: SecretStore.azureKeyVault(js({ vaultName, resourceGroupName: 'rg' })),
            terraformBackend: TerraformBackend.azurerm(js({ resourceGroupName: 'rg', storageAccountName: vaultName === 'acme-platform' ? 'acmetfstate' : vaultName })),
          }));
          azureMgmt(platform, { labels: { 'security-basic': 'enabled' } });
          return platform;
        });
      }), opts);
  });

  it('ManagementCluster, Cloud.aks, ApiAccess and Sso factories', () => {
    fc.assert(fc.property(maybe(label), or(fc.constant('westeurope')), maybe(fc.array(fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), minCount: or(fc.integer({ min: 1, max: 3 })) }), { maxLength: 2 })),
      maybe(fc.constant(['203.0.113.0/24'])), maybe(fc.dictionary(label, label, { maxKeys: 2 })), maybe(fc.constant('https://idp.acme.dev')), maybe(fc.array(label, { maxLength: 2 })),
      (name, location, nodePools, ranges, tags, issuer, adminGroups) => {
        rendersOrRefuses(() => {
          const platform = azurePlatform();
          new ManagementCluster(platform, 'mgmt', js({
            name, tags, labels: { 'security-basic': 'enabled' },
            cloud: Cloud.aks(js({ location, kubernetesVersion: '1.33', network: { cidr: '10.0.0.0/16' }, nodePools, apiAccess: ranges === undefined ? undefined : ApiAccess.authorizedRanges(js(ranges)) })),
            argocd: { adminGroups, sso: issuer === undefined ? undefined : Sso.oidc(js({ issuer, clientId: 'argocd' })) },
          }));
          return platform;
        });
      }), opts);
  });

  it('FleetCluster, FleetCluster.fromName and Cloud.eks', () => {
    fc.assert(fc.property(or(fc.constantFrom('dev', 'prod')), maybe(fc.array(fc.constantFrom('cert_manager', 'external_dns'), { maxLength: 2 })), maybe(fc.dictionary(label, label, { maxKeys: 2 })),
      or(fc.constant('eu-west-1')), or(label), maybe(fc.dictionary(label, label, { maxKeys: 2 })),
      (environment, addons, annotations, region, importedName, importedLabels) => {
        rendersOrRefuses(() => {
          const platform = azurePlatform();
          const mgmt = azureMgmt(platform, { labels: { 'security-basic': 'enabled' } });
          new FleetCluster(mgmt, 'fleet', js({ environment, addons, annotations, labels: { 'security-basic': 'enabled' }, cloud: Cloud.eks(js({ region, kubernetesVersion: '1.33', network: { cidr: '10.20.0.0/16' } })) }));
          FleetCluster.fromName(platform, 'imported', js(importedName), js({ labels: importedLabels }));
          return platform;
        });
      }), opts);
  });

  it('ServiceCatalogEntry, HelmChart and ClusterSelector factories', () => {
    const chartArb = fc.oneof(
      fc.record({ repository: or(fc.constant('https://charts.example.dev')), chart: or(fc.constant('demo')), version: or(fc.constant('1.2.3')) }).map((p) => HelmChart.fromRepository(js(p))),
      fc.record({ registry: or(fc.constant('ghcr.io/acme/charts')), chart: or(fc.constant('demo')), version: or(fc.constant('1.2.3')) }).map((p) => HelmChart.oci(js(p))),
    );
    const selectorArb = fc.oneof(
      or(fc.constant({ 'security-basic': 'enabled' })).map((l) => ClusterSelector.labels(js(l))),
      fc.tuple(or(fc.constant('environment')), or(fc.constant(SelectorOperator.IN)), or(fc.constant(['dev']))).map(([k, o, v]) => ClusterSelector.expression(js(k), js(o), js(v))),
      or(fc.constant(['prod'])).map((e) => ClusterSelector.environments(js(e))),
      or(fc.constant(['mgmt'])).map((c) => ClusterSelector.clusters(js(c))),
    );
    fc.assert(fc.property(chartArb, selectorArb, maybe(label), maybe(fc.dictionary(label, fc.oneof(label, fc.integer()), { maxKeys: 2 })), maybe(fc.constant({ prod: { replicas: 3 } })),
      maybe(fc.constant({ prod: '1.3.0' })), maybe(fc.integer({ min: -2, max: 5 })), maybe(fc.constant(['PruneLast=true'])), maybe(fc.constant([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }])),
      fc.boolean(),
      (chart, targets, releaseName, values, environmentValues, versions, syncWave, syncOptions, manifests, withDependency) => {
        rendersOrRefuses(() => {
          const platform = azurePlatform();
          azureMgmt(platform, { labels: { 'security-basic': 'enabled' } });
          const base = withDependency ? Catalog.externalSecrets(platform) : undefined;
          new ServiceCatalogEntry(platform, 'demo', js({ chart, targets, namespace: 'demo', releaseName, values, environmentValues, versions, syncWave, syncOptions, manifests, dependsOn: base ? [base] : undefined }));
          return platform;
        });
      }), opts);
  });

  it('TenantVCluster, Group, NetworkAllowance and ApiExposure factories', () => {
    fc.assert(fc.property(or(label), maybe(label), or(fc.constant('team-a')), maybe(fc.tuple(or(fc.constant('10.50.0.0/16')), or(fc.integer({ min: 1, max: 65535 })), maybe(fc.constantFrom('TCP', 'UDP')))),
      maybe(fc.record({ minCount: or(fc.integer({ min: 1, max: 3 })) })), maybe(fc.record({ cpu: or(fc.constant('2')), pods: or(fc.integer({ min: 0, max: 50 })) })),
      maybe(fc.record({ replicas: or(fc.integer({ min: 1, max: 3 })), rawValues: or(fc.constant({ sync: { toHost: { pods: { enabled: true } } } })) })), maybe(fc.constant(['https://github.com/acme/team-a.git'])),
      (name, namespace, owner, allowance, nodePool, quota, vcluster, repositories) => {
        rendersOrRefuses(() => {
          const platform = azurePlatform();
          const mgmt = azureMgmt(platform, { labels: { 'security-basic': 'enabled' } });
          new TenantVCluster(mgmt, 'tenant', js({
            name, namespace, owners: Group.named(js(owner)), nodePool, quota, vcluster, repositories,
            networkAllowances: allowance === undefined ? undefined : Array.isArray(allowance) ? [NetworkAllowance.egressToCidr(js(allowance[0]), js([{ port: allowance[1], protocol: allowance[2] }]))] : allowance,
          }));
          return platform;
        });
      }), opts);
  });

  it('TeamService', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'property-pins-'));
    fs.mkdirSync(path.join(root, 'services', 'team-a', 'checkout'), { recursive: true });
    fs.writeFileSync(path.join(root, 'services', 'team-a', 'checkout', 'prod.json'), JSON.stringify({ cluster: 'vc-team-a', imageTag: '1.4.2-aaaaaaa', targetRevision: 'a'.repeat(40) }));
    fc.assert(fc.property(or(fc.constant('ghcr.io/acme/checkout')), or(fc.integer({ min: 1024, max: 65535 })), maybe(fc.constant('/healthz')), maybe(fc.record({ port: or(fc.integer({ min: 1, max: 65535 })), path: or(fc.constant('/metrics')) })),
      maybe(fc.dictionary(fc.stringMatching(/^[A-Z][A-Z_]{0,8}$/), label, { maxKeys: 2 })), maybe(fc.record({ command: or(fc.constant(['./migrate', 'up'])) })), maybe(label),
      (image, port, healthPath, metrics, env, migration, secretStore) => {
        rendersOrRefuses(() => {
          const platform = azurePlatform({ environments: ['prod'] });
          const mgmt = azureMgmt(platform, { labels: { 'security-basic': 'enabled', 'core-basic': 'enabled' } });
          Catalog.externalSecrets(platform);
          Catalog.gatewayApi(platform, { https: {} });
          const tenant = new TenantVCluster(mgmt, 'team-a', { owners: Group.named('team-a') });
          new TeamService(tenant, 'checkout', js({ team: 'team-a', image, port, healthPath, metrics, env, migration, secretStore, repositoryRoot: root }));
          return platform;
        });
      }), { ...opts, numRuns: 20 });
  });

  it('Catalog helpers', () => {
    fc.assert(fc.property(garbage, garbage, (a, b) => {
      const platform = azurePlatform();
      azureMgmt(platform, { labels: { 'security-basic': 'enabled' } });
      ownErrorOrSuccess(() => Catalog.certManager(platform, js({ values: a, versions: b })));
      ownErrorOrSuccess(() => Catalog.externalDns(platform, js(a)));
      ownErrorOrSuccess(() => Catalog.kyverno(platform, js({ enforceIn: a })));
      ownErrorOrSuccess(() => Catalog.gatewayApi(platform, js(b)));
      ownErrorOrSuccess(() => Catalog.nfsProvisioner(platform, js(a)));
    }), opts);
  });
});

describe('the surfaces added with issues 15, 16 and 19: any JavaScript value ends in success or the library\'s error', () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const garbage = fc.oneof(
    hostileString,
    fc.constantFrom<unknown>(null, undefined, NaN, -3, 0, true, [], {}, [null], { a: null }, new Date(0), () => 1, Symbol('s'), cyclic, '{{ .evil }}', 'main{{"\n - repoURL: https://evil.example/x"}}', 'a b'),
    fc.anything({ maxDepth: 2, maxKeys: 3 }),
  );
  const or = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid as fc.Arbitrary<unknown>, weight: 3 }, { arbitrary: garbage, weight: 1 });
  const maybe = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: or(valid), weight: 2 });
  const js = (v: unknown): any => v;
  const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/);
  const opts = { seed: SEED, numRuns: 30 };
  const chart = HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'demo', version: '1.2.3' });
  /** Declares and renders; on success, no template delimiter of a value reached an ApplicationSet or an Application. */
  const rendersOrRefuses = (fn: (platform: Platform) => void, platform: Platform = azurePlatform()) => {
    let files: Map<string, string> | undefined;
    if (!ownErrorOrSuccess(() => {
      fn(platform);
      files = platform.render();
    })) return false;
    for (const [f, text] of files!) {
      if (!/\/argocd\/|argocd\//.test(f)) continue;
      expect({ f, injected: /evil/.test(text) }).toEqual({ f, injected: false });
    }
    return true;
  };

  it('every static factory of every exported class, called with any JavaScript values, returns or throws the library\'s error', () => {
    const factories = Object.entries(library).flatMap(([name, v]) => (typeof v === 'function' && /^[A-Z]/.test(name)
      ? Object.getOwnPropertyNames(v).filter((m) => !['length', 'name', 'prototype'].includes(m) && !m.startsWith('_') && typeof (v as any)[m] === 'function').map((m) => ({ name: `${name}.${m}`, f: (v as any)[m] as Function, owner: v }))
      : []));
    expect(factories.length).toBeGreaterThan(30);
    for (const { f, owner } of factories) {
      fc.assert(fc.property(garbage, garbage, garbage, (a, b, c) => {
        ownErrorOrSuccess(() => f.call(owner, a, b, c));
      }), { seed: SEED, numRuns: 12 });
    }
  });

  it('AddonIdentity factories (names reaching cluster outputs and templates)', () => {
    fc.assert(fc.property(fc.boolean(), or(fc.constant('x-dns')), or(fc.constant('sa')), or(fc.constant([{ roleDefinitionName: 'DNS Zone Contributor', scope: '/subscriptions/1/resourceGroups/rg' }])), or(fc.constant([{ actions: ['route53:GetChange'], resources: ['*'] }])),
      (azure, name, serviceAccount, roles, statements) => {
        rendersOrRefuses((platform) => {
          azureMgmt(platform, { labels: { 'security-basic': 'enabled' } });
          const identity = azure ? AddonIdentity.azure(js({ name, serviceAccount, roles })) : AddonIdentity.aws(js({ name, serviceAccount, statements }));
          new ServiceCatalogEntry(platform, 'demo', js({ chart, namespace: 'demo', targets: ClusterSelector.labels({ 'security-basic': 'enabled' }), identity, values: { id: azure ? identity.clientId : identity.roleArn } }));
        });
      }), opts);
  });

  it('Cloud.eks natGateways and addonVersions, ApiAccess.privateConnected on a fleet cluster', () => {
    fc.assert(fc.property(maybe(fc.constantFrom(NatGatewayMode.SINGLE, NatGatewayMode.PER_ZONE)), maybe(fc.record({ coreDns: or(fc.constant('v1.11.4-eksbuild.2')) })), fc.boolean(),
      (natGateways, addonVersions, privateFleet) => {
        rendersOrRefuses((platform) => {
          const mgmt = new ManagementCluster(platform, 'mgmt', js({ cloud: Cloud.eks(js({ region: 'eu-west-1', kubernetesVersion: '1.33', network: { cidr: '10.0.0.0/16' }, natGateways, addonVersions })), labels: { 'security-basic': 'enabled' } }));
          if (privateFleet) new FleetCluster(mgmt, 'fleet', { environment: 'dev', cloud: eksCloud('10.20.0.0/16', { apiAccess: ApiAccess.privateConnected() }), labels: { 'security-basic': 'enabled' } });
        }, awsPlatform());
      }), { ...opts, numRuns: 12 });
  });

  it('NamespaceTenant with TeamRepository entries (revisions and paths reach Applications)', () => {
    fc.assert(fc.property(or(fc.constant('team-a')), maybe(label), maybe(fc.constantFrom('admin', 'edit', 'view')),
      maybe(fc.array(fc.record({ url: or(fc.constant('https://github.com/acme/team-a.git')), path: maybe(fc.constant('deploy/prod')), revision: maybe(fc.constantFrom('main', 'v1.2.0')), credentialsKey: maybe(fc.constant('git/team-a')) }), { maxLength: 2 })),
      maybe(fc.record({ pods: or(fc.integer({ min: 0, max: 50 })) })),
      (name, namespace, role, repositories, quota) => {
        rendersOrRefuses((platform) => {
          const mgmt = azureMgmt(platform, { labels: { 'security-basic': 'enabled' } });
          new NamespaceTenant(mgmt, 'nt', js({ owners: Group.named('team-a'), name, namespace, role, repositories, quota }));
        });
      }), opts);
  });

  it('TenantVCluster labels, environment, hostRole, clusterResources and ApiExposure (labels and environment reach ApplicationSet generators)', () => {
    fc.assert(fc.property(maybe(fc.dictionary(label, label, { maxKeys: 2 })), maybe(fc.constantFrom('dev', 'prod')), maybe(fc.constantFrom('view', 'admin')),
      maybe(fc.array(fc.oneof(fc.constant(TenantClusterResource.NAMESPACES), fc.tuple(or(fc.constant('example.com')), or(fc.constant('Widget'))).map(([g, k]) => TenantClusterResource.of(js(g), js(k)))), { maxLength: 2 })),
      maybe(fc.tuple(fc.boolean(), or(fc.constant('public')), or(fc.constant('envoy-gateway-system'))).map(([gw, n, ns]) => (gw ? ApiExposure.gateway(js({ name: n, namespace: ns })) : ApiExposure.ingress(js({ ingressClassName: n, controllerNamespace: ns }))))),
      (labels, environment, hostRole, clusterResources, apiExposure) => {
        rendersOrRefuses((platform) => {
          const mgmt = azureMgmt(platform, { labels: { 'security-basic': 'enabled' } });
          new TenantVCluster(mgmt, 't', js({ owners: Group.named('team-a'), labels, environment, hostRole, clusterResources, apiExposure }));
          new ServiceCatalogEntry(platform, 'demo', { chart, namespace: 'demo', targets: ClusterSelector.includingTenants(ClusterSelector.environments(['prod'])) });
        }, azurePlatform({ environments: ['dev', 'prod'] }));
      }), opts);
  });

  it('ClusterSelector.tenants, includingTenants and allOf; policyExceptions; manifest-only catalog entries', () => {
    const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };
    fc.assert(fc.property(fc.constantFrom('tenants', 'including', 'allOf'), garbage, maybe(fc.constant([{ rule: 'no-privileged-or-root-containers', reason: 'the node agent reads the node\'s logs', objects: ['DaemonSet/agent'] }])), fc.boolean(), maybe(fc.constant([manifest])),
      (kind, junk, policyExceptions, withChart, manifests) => {
        rendersOrRefuses((platform) => {
          azureMgmt(platform, { labels: { 'security-basic': 'enabled' } });
          const targets = kind === 'tenants' ? ClusterSelector.tenants() : kind === 'including' ? ClusterSelector.includingTenants(js(junk)) : ClusterSelector.allOf(ClusterSelector.labels({ 'security-basic': 'enabled' }), js(junk));
          new ServiceCatalogEntry(platform, 'demo', js({ chart: withChart ? chart : undefined, namespace: 'demo', targets, policyExceptions, manifests }));
        });
      }), opts);
  });

  it('ArgoCdUi.gateway and the ACME solvers', () => {
    fc.assert(fc.property(maybe(fc.record({ clusterIssuer: or(fc.constant('letsencrypt-staging')) })), fc.constantFrom('http01Gateway', 'http01Ingress', 'dns01AzureDns', 'dns01Route53', 'dns01Cloudflare'), or(fc.constant('public')),
      (ui, solver, value) => {
        rendersOrRefuses((platform) => {
          azureMgmt(platform, js({ labels: { 'security-basic': 'enabled', 'core-basic': 'enabled' }, argocd: { ui: ArgoCdUi.gateway(js(ui)) } }));
          Catalog.gatewayApi(platform, { https: {} });
          const all = { gatewayName: value, gatewayNamespace: 'envoy-gateway-system', ingressClassName: value, subscriptionId: value, resourceGroupName: 'rg', hostedZoneName: 'acme.dev', region: value, hostedZoneId: 'Z1', storeKey: value };
          Catalog.certManager(platform, js({ acme: { email: 'ops@acme.dev', solver: (AcmeSolver as any)[solver](all) } }));
        });
      }), { ...opts, numRuns: 20 });
  });
});
