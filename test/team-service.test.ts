import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Catalog, FleetCluster, Group, TeamService, TenantVCluster } from '../src';
import { awsMgmt, awsPlatform, eksCloud } from './support/fixtures';

const secure = { 'security-basic': 'enabled' };
const SHA = (c: string) => c.repeat(40);

function pinsRepo(pins: Record<string, unknown>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'pins-'));
  for (const [file, content] of Object.entries(pins)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n');
  }
  return root;
}

function teamPlatform() {
  const platform = awsPlatform({ environments: ['staging', 'prod'] });
  const mgmt = awsMgmt(platform, { labels: secure });
  const staging = new FleetCluster(mgmt, 'staging-eu', { environment: 'staging', cloud: eksCloud('10.20.0.0/16'), labels: secure });
  Catalog.externalSecrets(platform);
  const owners = Group.named('team-a');
  const tStaging = new TenantVCluster(staging, 'team-a-staging', { owners });
  const tProd = new TenantVCluster(mgmt, 'team-a-prod', { owners });
  return { platform, mgmt, staging, tStaging, tProd };
}

const goodPins = () => pinsRepo({
  'services/team-a/checkout/staging.json': { cluster: 'vc-team-a-staging', imageTag: '1.5.0-bbbbbbb', targetRevision: SHA('b') },
  'services/team-a/checkout/prod.json': { cluster: 'vc-team-a-prod', imageTag: '1.4.2-aaaaaaa', targetRevision: SHA('a') },
});

describe('smoke', () => {
  it('renders', () => {
    const { platform, tStaging } = teamPlatform();
    new TeamService(tStaging, 'checkout', {
      team: 'team-a', image: 'ghcr.io/acme/checkout', port: 8080, repositoryRoot: goodPins(),
      env: { LOG_LEVEL: 'info' }, secrets: [{ name: 'API_KEY', key: 'team-a/checkout/api', property: 'key' }],
      metrics: {}, database: { apiVersion: 'platform.acme.dev/v1alpha1', kind: 'PostgreSQLInstance', parameters: { storageGB: 20 } },
      migration: { command: ['./migrate', 'up'] },
    });
    const files = platform.render();
    for (const [f, c] of files) if (f.includes('tenants/') || f.includes('services')) console.log('---', f, '\n' + c);
    console.log(files.get('clusters/mgmt/argocd/appproject-tenant-team-a-prod.yaml'));
    expect(platform.render()).toEqual(files);
  });
});
