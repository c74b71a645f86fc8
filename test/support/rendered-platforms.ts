// The platforms the chart-rendering tests run through the real helm: both examples (synthesized
// in-process into a temporary folder) and a platform with team services.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Catalog, ClusterSelector, FleetCluster, Group, NamespaceTenant, Platform, ServiceCatalogEntry, TeamService, TenantClusterResource, TenantVCluster } from '../../src';
import { awsMgmt, awsPlatform, eksCloud } from './fixtures';
import { pinsRepo } from './pins';
import { readTree } from './tree';

const SHA = (c: string) => c.repeat(40);

/**
 * Team A with one tenant per environment, a checkout service in each, and the catalog a service
 * needs; plus what issue 19 added: a namespace tenant (its own project and Application), a
 * manifest-only catalog entry, and a tenant that opts into cluster-scoped kinds.
 */
export function teamServicesPlatform(): Platform {
  const secure = { 'security-basic': 'enabled', 'core-basic': 'enabled' };
  const platform = awsPlatform({ environments: ['staging', 'prod'] });
  const mgmt = awsMgmt(platform, { labels: secure });
  const staging = new FleetCluster(mgmt, 'staging-eu', { environment: 'staging', cloud: eksCloud('10.20.0.0/16'), labels: secure });
  Catalog.externalSecrets(platform);
  Catalog.gatewayApi(platform, { https: {} });
  Catalog.certManager(platform); // the HTTPS listener's wildcard Certificate
  const owners = Group.named('team-a');
  new TenantVCluster(staging, 'team-a-staging', { owners, clusterResources: [TenantClusterResource.CUSTOM_RESOURCE_DEFINITIONS] });
  const prod = new TenantVCluster(mgmt, 'team-a-prod', { owners });
  new NamespaceTenant(staging, 'team-c', { owners: Group.named('team-c'), repositories: [{ url: 'https://github.com/acme/team-c-apps.git', credentialsKey: 'repos/team-c' }] });
  new ServiceCatalogEntry(platform, 'shared-quotas', {
    namespace: 'shared', targets: ClusterSelector.labels({ 'core-basic': 'enabled' }),
    manifests: [{ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'shared', namespace: 'shared' }, spec: { hard: { pods: '50' } } }],
  });
  new TeamService(prod, 'checkout', {
    team: 'team-a', image: 'ghcr.io/acme/checkout', port: 8080,
    secrets: [{ name: 'API_KEY', key: 'team-a/checkout/api', property: 'key' }],
    repositoryRoot: pinsRepo({
      'services/team-a/checkout/staging.json': { cluster: 'vc-team-a-staging', imageTag: '1.5.0-bbbbbbb', targetRevision: SHA('b') },
      'services/team-a/checkout/prod.json': { cluster: 'vc-team-a-prod', imageTag: '1.4.2-aaaaaaa', targetRevision: SHA('a') },
    }),
  });
  return platform;
}

const synthesized = new Map<string, Map<string, string>>();

/**
 * The output of an example (`aws` or `azure`), synthesized by importing its main.ts (which calls
 * `platform.synth()`) once per test worker: test files share their worker's modules, and a
 * module runs once, so every test file takes an example's output from here (a copy each time).
 */
export async function exampleOutput(name: 'aws' | 'azure'): Promise<Map<string, string>> {
  let files = synthesized.get(name);
  if (!files) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), `example-${name}-`));
    const before = process.env.CDK8S_OUTDIR;
    process.env.CDK8S_OUTDIR = out;
    const write = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write; // the examples' synth warnings
    // as `cdk8s synth` runs it: in the example's folder (its services/ pin files are read from there)
    const cwd = process.cwd();
    process.chdir(path.join(__dirname, '..', '..', 'examples', name));
    try {
      if (name === 'aws') await import('../../examples/aws/main');
      else await import('../../examples/azure/main');
    } finally {
      process.chdir(cwd);
      process.stderr.write = write;
      if (before === undefined) delete process.env.CDK8S_OUTDIR;
      else process.env.CDK8S_OUTDIR = before;
    }
    const tree = readTree(out);
    fs.rmSync(out, { recursive: true, force: true });
    if (Object.keys(tree).length === 0) throw new Error(`examples/${name}/main.ts wrote nothing: it was imported before in this worker, not through exampleOutput()`);
    files = new Map(Object.entries(tree).filter(([f]) => f !== '.cdk8s-gitops-platform.json'));
    synthesized.set(name, files);
  }
  return new Map(files);
}
