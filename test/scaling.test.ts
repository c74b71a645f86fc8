import { Node } from 'constructs';
import { describe, expect, it } from 'vitest';
import { Catalog, FleetCluster, Group, TenantVCluster } from '../src';
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
