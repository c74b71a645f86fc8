import { describe, expect, it } from 'vitest';
import { Catalog, FleetCluster, Group, TenantVCluster } from '../src';
import { aksCloud, azureMgmt, azurePlatform, eksCloud } from './support/fixtures';

// A cheap guard against quadratic regressions (a rule or a renderer that walks every
// tenant for each tenant). It compares CPU time per tenant at two sizes, so it does not
// depend on how fast the machine is; the benchmark (`npm run bench`) gives the figures.

const secure = { 'security-basic': 'enabled' };

function platformWith(tenants: number) {
  const platform = azurePlatform();
  const mgmt = azureMgmt(platform, { labels: secure });
  const fleet = [0, 1, 2, 3].map((i) => new FleetCluster(mgmt, `fleet-${i}`, {
    environment: ['dev', 'staging', 'prod'][i % 3],
    cloud: i % 2 ? eksCloud(`10.${20 + i}.0.0/16`) : aksCloud(`10.${20 + i}.0.0/16`),
    labels: secure,
  }));
  // the tenants' PushSecrets need External Secrets on their hosts (Key Vault: a workload identity per cluster)
  Catalog.externalSecrets(platform);
  fleet.forEach((f) => f.addOutput('external_secrets_client_id', `client-${f.name}`));
  for (let t = 0; t < tenants; t++) {
    new TenantVCluster(fleet[t % fleet.length], `team-${t}`, { owners: Group.named(`team-${t}`), quota: { cpu: '1', memory: '1Gi' } });
  }
  return platform;
}

/** CPU milliseconds of the best of two renders (the first one also warms the code up). */
function renderCpuMs(tenants: number): number {
  const platform = platformWith(tenants);
  let best = Infinity;
  for (let i = 0; i < 2; i++) {
    const start = process.cpuUsage();
    platform.render();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

describe('scaling', () => {
  it('keeps the cost per tenant flat: at 200 tenants it is at most 3x what it is at 20', () => {
    const fixed = renderCpuMs(0);
    const perTenant = (n: number) => Math.max(renderCpuMs(n) - fixed, 1) / n;
    const small = perTenant(20);
    const large = perTenant(200);
    console.log(`scaling: fixed ${fixed.toFixed(0)} ms CPU; per tenant ${small.toFixed(2)} ms at 20 tenants, ${large.toFixed(2)} ms at 200 (x${(large / small).toFixed(2)})`);
    expect(large / small).toBeLessThanOrEqual(3);
  });
});
