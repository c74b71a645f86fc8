import { Node } from 'constructs';
import { describe, expect, it } from 'vitest';
import { Catalog, ClusterSelector, FleetCluster, Group, HelmChart, ServiceCatalogEntry, TenantVCluster } from '../src';
import { parse } from 'yaml';
import { aksCloud, azureMgmt, azurePlatform, eksCloud } from './support/fixtures';

// A cheap guard against quadratic regressions (a rule or a renderer that walks every
// tenant for each tenant). It counts work instead of timing it, so it does not depend on
// the machine; the benchmark (`npm run bench`) gives the times.

const secure = { 'security-basic': 'enabled' };

function platformWith(tenants: number) {
  const platform = azurePlatform();
  const mgmt = azureMgmt(platform, { labels: secure });
  const fleet = [0, 1, 2, 3].map((i) => new FleetCluster(mgmt, `fleet-${i}`, {
    environment: ['dev', 'staging', 'prod'][i % 3],
    cloud: i % 2 ? eksCloud(`10.${20 + i}.0.0/16`) : aksCloud(`10.${20 + i}.0.0/16`),
    labels: secure,
  }));
  // the tenants' PushSecrets need External Secrets on their hosts (its identity is created per cluster)
  Catalog.externalSecrets(platform);
  for (let t = 0; t < tenants; t++) {
    new TenantVCluster(fleet[t % fleet.length], `team-${t}`, { owners: Group.named(`team-${t}`), quota: { cpu: '1', memory: '1Gi' } });
  }
  return platform;
}

/**
 * Construct-tree visits during one render, per tenant: every construct that a `findAll`
 * returns counts. A rule that walks the platform for each tenant makes this grow with the
 * number of tenants; linear code keeps it flat. Unlike a timing, it is the same on any
 * machine, however loaded.
 */
function visitsPerTenant(tenants: number): number {
  const platform = platformWith(tenants);
  const original = Node.prototype.findAll;
  let visits = 0;
  Node.prototype.findAll = function (this: Node, ...args: Parameters<Node['findAll']>) {
    const found = original.apply(this, args);
    visits += found.length;
    return found;
  };
  try {
    platform.render();
  } finally {
    Node.prototype.findAll = original;
  }
  return visits / tenants;
}

describe('scaling', () => {
  it('keeps the work per tenant flat: at 200 tenants a render visits at most 3x as many constructs per tenant as at 20', () => {
    const small = visitsPerTenant(20);
    const large = visitsPerTenant(200);
    console.log(`scaling: construct visits per tenant ${small.toFixed(0)} at 20 tenants, ${large.toFixed(0)} at 200 (x${(large / small).toFixed(2)})`);
    expect(large / small).toBeLessThanOrEqual(3);
  });
});

describe('catalog dependency rules', () => {
  const chart = HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'demo', version: '1.2.3' });

  /**
   * A two-wide diamond `levels` deep: both entries of each level depend on both of the level
   * below (2^levels paths from the top to the bottom). Returns the reads of the entries'
   * dependency lists during one render (rules, then sync waves) per entry, and the waves
   * rendered; each list is a Proxy that counts its `length` reads.
   */
  function readsPerEntry(levels: number): { reads: number; waves: number[] } {
    const platform = azurePlatform();
    azureMgmt(platform, { labels: secure });
    let reads = 0;
    const counted = (deps: ServiceCatalogEntry[]) => new Proxy(deps, {
      get(target, key, receiver) {
        if (key === 'length') reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const entries: ServiceCatalogEntry[] = [];
    for (let level = 0; level < levels; level++) {
      const below = entries.slice(-2);
      for (const side of ['a', 'b']) {
        entries.push(new ServiceCatalogEntry(platform, `l${level}${side}`, { chart, namespace: 'demo', targets: ClusterSelector.labels(secure), dependsOn: counted(below) }));
      }
    }
    reads = 0;
    const files = platform.render();
    const perEntry = reads / entries.length;
    const waves = entries.map((e) => Number(parse(files.get(`clusters/mgmt/argocd/applicationset-${e.name}.yaml`)!).metadata.annotations['argocd.argoproj.io/sync-wave']));
    return { reads: perEntry, waves };
  }

  it('sync waves and the cycle search are linear: a 60-level diamond reads each dependency list a bounded number of times', () => {
    const figures = [8, 16, 60].map((levels) => {
      const { reads, waves } = readsPerEntry(levels);
      expect(waves).toEqual(Array.from({ length: 2 * levels }, (_, i) => Math.floor(i / 2)));
      if (reads > 12) expect.fail(`${levels} levels: ${reads.toFixed(1)} dependency-list reads per entry (at most 12 when linear)`);
      return reads;
    });
    console.log(`scaling: dependency-list reads per catalog entry ${figures.map((r) => r.toFixed(1)).join(', ')} at 8, 16 and 60 diamond levels`);
  });
});
