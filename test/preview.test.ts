import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog, FleetCluster, Group, Platform, TeamService, TenantVCluster } from '../src';
import { diffObjects, fieldChanges, formatObjectDiffText, immutableChanges } from '../src/cli/object-diff';
import { runCli } from './support/cli';
import { docBlocks, textPattern } from './support/doc-blocks';
import { awsMgmt, awsPlatform, eksCloud } from './support/fixtures';
import { chartToolsMissing, helmBinary, preparedCharts, CACHE_DIR } from './support/helm';
import { pinsRepo } from './support/pins';

const missing = chartToolsMissing();
if (missing) console.log(`skipping the preview tests that render charts: ${missing}`);

const SHA = (c: string) => c.repeat(40);
const ROOT = path.resolve(__dirname, '..');

/** The documents' blocks of this scenario's output (docs/cli.md's and the README's), by their first line. */
function documented(start: string): { at: string; code: string }[] {
  return ['docs/cli.md', 'README.md'].flatMap((f) => docBlocks(path.join(ROOT, f))
    .filter((b) => b.code.startsWith(start))
    .map((b) => ({ at: `${f}:${b.line}`, code: b.code })));
}

/** The platform of the README's example: a checkout service in prod; `after` bumps its pin and adds a tenant. */
function platform(outdir: string, after: boolean, storageSize?: string): Platform {
  const secure = { 'security-basic': 'enabled', 'core-basic': 'enabled' };
  const p = awsPlatform({ environments: ['staging', 'prod'], outdir });
  const mgmt = awsMgmt(p, { labels: secure });
  new FleetCluster(mgmt, 'staging-eu', { environment: 'staging', cloud: eksCloud('10.20.0.0/16'), labels: secure });
  Catalog.externalSecrets(p);
  Catalog.gatewayApi(p, { https: {} });
  Catalog.certManager(p); // the HTTPS listener's wildcard Certificate
  const prod = new TenantVCluster(mgmt, 'team-a-prod', { owners: Group.named('team-a'), ...(storageSize ? { vcluster: { storageSize } } : {}) });
  if (after) new TenantVCluster(mgmt, 'team-b-prod', { owners: Group.named('team-b') });
  new TeamService(prod, 'checkout', {
    team: 'team-a', image: 'ghcr.io/acme/checkout', port: 8080, environments: ['prod'],
    repositoryRoot: pinsRepo({ 'services/team-a/checkout/prod.json': { cluster: 'vc-team-a-prod', imageTag: after ? '1.5.0-bbbbbbb' : '1.4.2-aaaaaaa', targetRevision: SHA(after ? 'b' : 'a') } }),
  });
  return p;
}


describe('object diff', () => {
  it('lists the leaf fields that differ, lists by index', () => {
    expect(fieldChanges({ a: { b: 1, c: [1, 2] }, d: 'x' }, { a: { b: 2, c: [1] }, e: true })).toEqual([
      { path: 'a.b', before: '1', after: '2' },
      { path: 'a.c[1]', before: '2' },
      { path: 'd', before: '"x"' },
      { path: 'e', after: 'true' },
    ]);
  });

  it('says why Argo CD keeps a removed object: Prune=false, an Application that goes without cascading (or Delete=false), or one that does not prune on its own', () => {
    const obj = (application: string, annotations?: Record<string, string>) => ({ key: `${application}/ConfigMap/x`, application, origin: 'f.yaml', object: { kind: 'ConfigMap', metadata: { name: 'x', namespace: 'n', ...(annotations ? { annotations } : {}) } } });
    const app = (finalizers?: string[], prune?: boolean) => ({ metadata: { finalizers }, spec: { syncPolicy: prune === undefined ? {} : { automated: { prune } } } });
    const cases: [string, ReturnType<typeof obj>, Map<string, unknown>, Map<string, unknown>, string | undefined][] = [
      ['Prune=false', obj('a', { 'argocd.argoproj.io/sync-options': 'ServerSideApply=true, Prune=false' }), new Map([['a', app([], true)]]), new Map([['a', app([], true)]]), 'Argo CD does not prune it (Prune=false)'],
      ['pruned by a kept Application', obj('a'), new Map([['a', app([], true)]]), new Map([['a', app([], true)]]), undefined],
      ['a kept Application that does not prune', obj('a'), new Map([['a', app([], false)]]), new Map([['a', app([], false)]]), 'its Application a does not prune on its own: it stays until a sync with pruning'],
      ['a removed Application with the finalizer', obj('a'), new Map([['a', app(['resources-finalizer.argocd.argoproj.io/foreground'])]]), new Map(), undefined],
      ['... and Delete=false', obj('a', { 'argocd.argoproj.io/sync-options': 'Delete=false' }), new Map([['a', app(['resources-finalizer.argocd.argoproj.io'])]]), new Map(), 'Argo CD does not delete it with its Application (Delete=false)'],
      ['a removed Application without it', obj('a'), new Map([['a', app([])]]), new Map(), 'its Application a goes without deleting what it deployed (no resources finalizer)'],
    ];
    for (const [name, o, before, after, reason] of cases) {
      const d = diffObjects(new Map([['c', [o]]]), new Map(), [], { before, after });
      expect([name, d.clusters.get('c')![0].kept]).toEqual([name, reason]);
    }
  });

  it('finds the changes Kubernetes refuses on a live object, unless Argo CD replaces it', () => {
    const o = (kind: string, spec: Record<string, unknown>, annotations?: Record<string, string>) => ({ key: `a/${kind}/x`, application: 'a', origin: 'f.yaml', object: { kind, metadata: { name: 'x', namespace: 'n', ...(annotations ? { annotations } : {}) }, spec } });
    const refused = (kind: string, before: Record<string, unknown>, after: Record<string, unknown>, annotations?: Record<string, string>, appOptions?: string[]) => immutableChanges(diffObjects(
      new Map([['c', [o(kind, before)]]]), new Map([['c', [o(kind, after, annotations)]]]), [], { before: new Map(), after: new Map([['a', { spec: { syncPolicy: { syncOptions: appOptions } } }]]) },
    )).map((x) => x.paths);
    expect(refused('StatefulSet', { replicas: 1, serviceName: 'a' }, { replicas: 2, serviceName: 'b' })).toEqual([['spec.serviceName']]);
    expect(refused('StatefulSet', { template: { a: 1 }, updateStrategy: { type: 'A' } }, { template: { a: 2 }, updateStrategy: { type: 'B' } })).toEqual([]);
    expect(refused('Deployment', { selector: { matchLabels: { a: '1' } }, replicas: 1 }, { selector: { matchLabels: { a: '2' } }, replicas: 2 })).toEqual([['spec.selector.matchLabels.a']]);
    expect(refused('Service', { clusterIP: '10.0.0.1', ports: [] }, { clusterIP: '10.0.0.2', ports: [] })).toEqual([['spec.clusterIP']]);
    expect(refused('Job', { template: { a: 1 } }, { template: { a: 2 } })).toEqual([['spec.template.a']]);
    expect(refused('ConfigMap', { a: 1 }, { a: 2 })).toEqual([]);
    // applied with Replace (the object's or its Application's sync option): no refusal
    expect(refused('StatefulSet', { serviceName: 'a' }, { serviceName: 'b' }, { 'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Replace=true' })).toEqual([]);
    expect(refused('StatefulSet', { serviceName: 'a' }, { serviceName: 'b' }, undefined, ['Replace=true'])).toEqual([]);
  });

  it('says when nothing changes', () => {
    expect(formatObjectDiffText(diffObjects(new Map(), new Map()))).toBe('No change on any cluster.\n');
  });
});

describe.skipIf(missing)('preview: a pin bump and a new tenant, rendered with helm', () => {
  let work: string;
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-'));
    platform(path.join(work, 'base'), false).synth();
    platform(path.join(work, 'head'), true).synth();
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  const args = () => {
    const c = preparedCharts();
    return ['--base', 'base', '--head', 'head', '--charts', c.chartsDir, '--cache', CACHE_DIR, '--helm', helmBinary()];
  };

  it('shows, per cluster, the objects added and the fields changed, as text', async () => {
    const r = await runCli(['preview', ...args()], work);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    // the pin bump: one field of the Deployment
    expect(r.out).toContain('cluster vc-team-a-prod: 0 added, 0 removed, ');
    expect(r.out).toContain([
      'cluster vc-team-a-prod: 0 added, 0 removed, 1 changed',
      '  Application team-a-prod-checkout',
      '    ~ Deployment checkout/checkout  (tenants/team-a-prod/services/checkout/deployment-checkout.yaml)',
      `        metadata.annotations.cdk8s-gitops-platform/source-revision: "${SHA('a')}" -> "${SHA('b')}"`,
      `        spec.template.metadata.annotations.cdk8s-gitops-platform/source-revision: "${SHA('a')}" -> "${SHA('b')}"`,
      '        spec.template.spec.containers[0].image: "ghcr.io/acme/checkout:1.4.2-aaaaaaa" -> "ghcr.io/acme/checkout:1.5.0-bbbbbbb"',
    ].join('\n'));
    // the new tenant: its vCluster chart's objects on the host, its project and registration on the management cluster
    expect(r.out).toMatch(/cluster mgmt: \d+ added, 0 removed, \d+ changed/);
    expect(r.out).toContain('  Application vcluster-team-b-prod\n');
    expect(r.out).toContain('+ StatefulSet vcluster-team-b-prod/vcluster-team-b-prod  (vcluster 0.35.3: vcluster/templates/statefulset.yaml)');
    expect(r.out).toContain('+ Namespace vcluster-team-b-prod  (clusters/mgmt/_cluster/namespace-vcluster-team-b-prod.yaml)');
    expect(r.out).toContain('+ AppProject argocd/tenant-team-b-prod');
    expect(r.out).not.toMatch(/^note:/m);
    expect(r.out).toMatch(/\nchecks: every object is permitted by its Application's AppProject, no change touches a field Kubernetes keeps immutable, and the policy pass finds nothing undeclared\n$/);
    // what the documents show is this output (shortened where `...` stands)
    const blocks = documented('cluster mgmt: ');
    expect(blocks.map((b) => b.at.split(':')[0])).toEqual(['docs/cli.md', 'README.md']);
    for (const b of blocks) expect(r.out, b.at).toMatch(textPattern(b.code));
  });

  it('writes Markdown for a pull request comment, with Secret values redacted', async () => {
    const r = await runCli(['preview', ...args(), '--format', 'markdown'], work);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^### What this change does on each cluster\n\n<details><summary><b>mgmt<\/b>: \d+ added, 0 removed, \d+ changed<\/summary>/);
    expect(r.out).toContain('<br>`spec.template.spec.containers[0].image: "ghcr.io/acme/checkout:1.4.2-aaaaaaa" -> "ghcr.io/acme/checkout:1.5.0-bbbbbbb"` |');
    expect(r.out).toContain('| ~ | team-a-prod-checkout | Deployment checkout/checkout | `metadata.annotations.cdk8s-gitops-platform/source-revision: ');
    // the vCluster config Secret of the new tenant is listed, its values are not
    expect(r.out).toContain('| + | vcluster-team-b-prod | Secret vcluster-team-b-prod/vc-config-vcluster-team-b-prod | added |');
    const blocks = documented('### What this change does on each cluster');
    expect(blocks.length).toBe(1);
    expect(r.out, blocks[0].at).toMatch(textPattern(blocks[0].code));
  });

  it('the change taken back (the tenant removed): marks what Argo CD leaves on the cluster, and why', async () => {
    const c = preparedCharts();
    const r = await runCli(['preview', '--base', 'head', '--head', 'base', '--charts', c.chartsDir, '--cache', CACHE_DIR, '--helm', helmBinary()], work);
    expect(r.code).toBe(0);
    // the namespace says Prune=false; the vCluster's Application has no resources finalizer, so what it deployed stays
    expect(r.out).toContain('- Namespace vcluster-team-b-prod  (clusters/mgmt/_cluster/namespace-vcluster-team-b-prod.yaml)  kept on the cluster: Argo CD does not prune it (Prune=false)');
    expect(r.out).toContain('- StatefulSet vcluster-team-b-prod/vcluster-team-b-prod  (vcluster 0.35.3: vcluster/templates/statefulset.yaml)  kept on the cluster: its Application vcluster-team-b-prod goes without deleting what it deployed (no resources finalizer)');
    // the tenant's project and Application go (the root Application prunes them)
    expect(r.out).toMatch(/\n {4}- AppProject argocd\/tenant-team-b-prod {2}\([^)]*\)\n/);
    expect(r.out).toMatch(/cluster mgmt: 0 added, \d+ removed \(\d+ kept on the cluster\), \d+ changed/);
  });

  it('fails a change Kubernetes refuses to apply: a larger volume for a vCluster is a StatefulSet volumeClaimTemplates change', async () => {
    platform(path.join(work, 'bigger'), false, '10Gi').synth();
    const c = preparedCharts();
    const r = await runCli(['preview', '--base', 'base', '--head', 'bigger', '--charts', c.chartsDir, '--cache', CACHE_DIR, '--helm', helmBinary()], work);
    expect(r.code).toBe(1);
    expect(r.out).toContain('spec.volumeClaimTemplates[0].spec.resources.requests.storage: "5Gi" -> "10Gi"');
    expect(r.out).toContain('Kubernetes refuses this update of StatefulSet vcluster-team-a-prod/vcluster-team-a-prod (Application vcluster-team-a-prod): spec.volumeClaimTemplates[0].spec.resources.requests.storage '
      + '(updates to a StatefulSet\'s spec for fields other than replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy and minReadySeconds are forbidden)');
  });

  it('compares without a chart that is not available, and says so (or fails with --require-charts)', async () => {
    const base = ['preview', '--base', 'base', '--head', 'head', '--charts', path.join(work, 'no-charts'), '--cache', path.join(work, 'cache'), '--helm', helmBinary()];
    const r = await runCli(base, work);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\nnote: not rendered, compared without it: chart vcluster 0\.35\.3 \(https:\/\/charts\.loft\.sh\) not found: looked in /);
    expect(r.out).toMatch(/ {4}~ Deployment checkout\/checkout/);
    const strict = await runCli([...base, '--require-charts'], work);
    expect(strict.code).toBe(1);
    expect(strict.err).toMatch(/^error: Application \S+ \(clusters\/mgmt\/argocd\/application-\S+\.yaml\): chart \S+ \S+ \(\S+\) not found: /);
  });
});
