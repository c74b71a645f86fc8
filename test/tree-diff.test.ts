import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckedOutput } from '../src/cli/output-tree';
import { diffTrees, formatDiffMarkdown, formatDiffText, terraformChanges } from '../src/cli/tree-diff';
import { expandTree, parseOutputFile } from '../src/testing/applications';
import { Catalog, ClusterSelector, FleetCluster, Group, HelmChart, ServiceCatalogEntry, TenantVCluster, Testing } from '../src';
import { awsMgmt, awsPlatform, eksCloud } from './support/fixtures';

const secure = { 'security-basic': 'enabled' };

function tree(opts: { version?: string; replicas?: number; withProd?: boolean } = {}) {
  const platform = awsPlatform();
  const mgmt = awsMgmt(platform, { labels: secure });
  new FleetCluster(mgmt, 'dev-1', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: { ...secure, 'core-basic': 'enabled' } });
  if (opts.withProd) new FleetCluster(mgmt, 'prod-1', { environment: 'prod', cloud: eksCloud('10.40.0.0/16'), labels: { ...secure, 'core-basic': 'enabled' } });
  new ServiceCatalogEntry(platform, 'demo', {
    chart: HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'demo', version: opts.version ?? '1.2.3' }),
    namespace: 'demo',
    targets: ClusterSelector.labels({ 'core-basic': 'enabled' }),
    values: { replicas: opts.replicas ?? 1, image: { tag: 'a' } },
  });
  return Testing.render(platform).files;
}

describe('diff of two output trees', () => {
  it('reports nothing for an unchanged tree', () => {
    const d = diffTrees(tree(), tree());
    expect(formatDiffText(d)).toBe('No changes.\n');
    expect(formatDiffMarkdown(d)).toBe('## Platform diff\n\nNo changes.\n');
  });

  it('shows changed versions and values per cluster', () => {
    const d = diffTrees(tree(), tree({ version: '1.2.4', replicas: 2 }));
    expect(formatDiffText(d)).toBe('cluster dev-1: Applications\n  ~ dev-1-demo: version 1.2.3 -> 1.2.4; values changed at replicas\n');
  });

  it('shows Applications and Terraform states and resources added by a new cluster', () => {
    const d = diffTrees(tree(), tree({ withProd: true }));
    // an EKS cluster's folder (its default StorageClass) comes with its own Application
    expect(d.applications.get('prod-1')).toEqual([{ kind: 'added', name: 'cluster-prod-1', details: [] }, { kind: 'added', name: 'prod-1-demo', details: ['demo 1.2.3'] }]);
    const tf = d.terraform.get('prod-1')!;
    expect(tf.length).toBeGreaterThan(5);
    expect(tf.every((c) => c.kind === 'added')).toBe(true);
    expect(tf.some((c) => c.name.startsWith('aws_eks_cluster.'))).toBe(true);
    const text = formatDiffText(d);
    expect(text).toContain('cluster prod-1: Applications\n  + cluster-prod-1\n  + prod-1-demo: demo 1.2.3\n');
    expect(text).toContain('terraform prod-1: resources\n  + ');
    expect(text).toContain('other files\n  + clusters/mgmt/argocd/externalsecret-cluster-prod-1.yaml');
  });
});

describe('Terraform changes Terraform itself ignores', () => {
  it('are not reported: the Argo CD bootstrap releases ignore every change (Argo CD manages itself from Git)', () => {
    const base = tree();
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: secure, argocd: { adminGroups: ['platform-admins', 'sre'] } });
    new FleetCluster(mgmt, 'dev-1', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: { ...secure, 'core-basic': 'enabled' } });
    new ServiceCatalogEntry(platform, 'demo', {
      chart: HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'demo', version: '1.2.3' }),
      namespace: 'demo',
      targets: ClusterSelector.labels({ 'core-basic': 'enabled' }),
      values: { replicas: 1, image: { tag: 'a' } },
    });
    const head = Testing.render(platform).files;
    // the release's values did change in the state ...
    const release = (files: Map<string, string>) => JSON.parse(files.get('terraform/mgmt/cdk.tf.json')!).resource.helm_release;
    expect(JSON.stringify(release(head))).not.toBe(JSON.stringify(release(base)));
    // ... but `terraform plan` would not act on it, so neither does the diff
    const d = diffTrees(base, head);
    expect((d.terraform.get('mgmt') ?? []).filter((c) => c.name.startsWith('helm_release.'))).toEqual([]);
    expect(d.applications.get('mgmt')?.map((c) => c.name)).toContain('argo-cd');
  });

  it('keeps what ignore_changes does not list, and meta-arguments', () => {
    const ng = (desired: number, max: number, provider = 'aws') => ({
      provider, scaling_config: [{ desired_size: desired, max_size: max }], lifecycle: { ignore_changes: ['scaling_config[0].desired_size'] },
    });
    expect(terraformChanges(ng(2, 5), ng(3, 5))).toEqual([]);
    expect(terraformChanges(ng(2, 5), ng(3, 6))).toEqual(['scaling_config[0].max_size']);
    expect(terraformChanges(ng(2, 5), ng(2, 5, 'aws.other'))).toEqual(['provider']);
    expect(terraformChanges({ a: 1, lifecycle: { ignore_changes: 'all' } }, { a: 2 })).toEqual([]);
    expect(terraformChanges({ a: 1 }, { a: 2, depends_on: ['x'] })).toEqual(['a']);
    // lifting deletion protection (or changing how a resource is replaced) is no attribute change, but a reviewer must see it
    expect(terraformChanges({ a: 1, lifecycle: { prevent_destroy: true } }, { a: 1 })).toEqual(['lifecycle.prevent_destroy']);
    expect(terraformChanges({ a: 1, lifecycle: { prevent_destroy: true } }, { a: 1, lifecycle: { prevent_destroy: true, create_before_destroy: true } })).toEqual(['lifecycle.create_before_destroy']);
    expect(terraformChanges({ a: 1, lifecycle: { ignore_changes: ['a'] } }, { a: 1 })).toEqual([]);
  });
});

describe('an output folder read by the command line', () => {
  it('refuses a file built to expand without end with one line naming it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alias-bomb-'));
    try {
      // twelve levels of nine aliases each: 9^12 leaves for whoever walks it
      const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
      for (let i = 1; i < 12; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
      for (const [f, text] of tree()) {
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.writeFileSync(path.join(dir, f), f === 'clusters/mgmt/argocd/application-root.yaml' ? `${levels.join('\n')}\n` : text);
      }
      expect(() => readCheckedOutput(dir, 'dist')).toThrow(/^dist\/clusters\/mgmt\/argocd\/application-root\.yaml is not valid YAML \(.*alias.*\)\. Fix: synthesize the output again, or correct the file by hand\.$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });


  it('is parsed once: the expansion takes the objects the check parsed, only for the very text they came from', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'read-once-'));
    try {
      for (const [f, text] of tree({ withProd: true })) {
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.writeFileSync(path.join(dir, f), text);
      }
      const { files } = readCheckedOutput(dir, 'dist');
      const appset = 'clusters/mgmt/argocd/applicationset-demo.yaml';
      // the check's object is what the expansion reads; a copy of the tree has none kept, and parses
      expect(parseOutputFile(files, appset, files.get(appset)!)).toBe(parseOutputFile(files, appset, files.get(appset)!));
      const copy = new Map(files);
      expect(parseOutputFile(copy, appset, copy.get(appset)!)).not.toBe(parseOutputFile(copy, appset, copy.get(appset)!));
      // the same Applications either way
      const names = (fs: ReadonlyMap<string, string>) => expandTree(fs).map((a) => `${a.name} ${a.chart?.version}`).sort();
      expect(names(files)).toEqual(names(copy));
      expect(names(files)).toContain('dev-1-demo 1.2.3');
      // a text changed after the check is parsed anew
      files.set(appset, files.get(appset)!.replace(/1\.2\.3/g, '1.2.4'));
      expect(names(files)).toContain('dev-1-demo 1.2.4');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('what a removal leaves on the cluster', () => {
  const withTenant = (tenant: boolean, repos = false) => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: secure });
    const dev = new FleetCluster(mgmt, 'dev-1', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: secure });
    Catalog.externalSecrets(platform);
    if (tenant) new TenantVCluster(dev, 'team-a', { owners: Group.named('team-a'), ...(repos ? { repositories: ['https://github.com/acme/team-a.git'] } : {}) });
    return Testing.render(platform).files;
  };

  it('lists a removed tenant\'s namespace as kept (Argo CD does not prune it), apart from what Argo CD deletes', () => {
    const d = diffTrees(withTenant(true), withTenant(false));
    expect(d.keptOnCluster).toEqual([{ file: 'clusters/dev-1/_cluster/namespace-vcluster-team-a.yaml', object: 'Namespace vcluster-team-a' }]);
    // the quota, the NetworkPolicies and the tenant's Application go, as removed files and a removed Application
    expect(d.otherFiles.removed).toEqual(expect.arrayContaining(['clusters/dev-1/_cluster/namespace-vcluster-team-a.yaml', 'clusters/dev-1/vcluster-team-a/resourcequota-tenant-quota.yaml']));
    const text = formatDiffText(d);
    expect(text).toContain('kept on the cluster (removed from the output, but Argo CD does not delete them (Prune=false): delete each by hand once the data in it can go)\n'
      + '  ! Namespace vcluster-team-a (clusters/dev-1/_cluster/namespace-vcluster-team-a.yaml)\n');
    expect(formatDiffMarkdown(d)).toContain('### Kept on the cluster\n\nRemoved from the output, but Argo CD does not delete them (Prune=false): delete each by hand once the data in it can go:\n\n'
      + '- `Namespace vcluster-team-a` (`clusters/dev-1/_cluster/namespace-vcluster-team-a.yaml`)\n');
    // adding it back keeps nothing
    expect(diffTrees(withTenant(false), withTenant(true)).keptOnCluster).toEqual([]);
  });

  it('lists a catalog entry\'s removed manifest as not pruned: its ApplicationSet syncs without prune, so the object stays until a sync with pruning', () => {
    const withManifests = (names: string[]) => {
      const platform = awsPlatform();
      const mgmt = awsMgmt(platform, { labels: secure });
      new FleetCluster(mgmt, 'dev-1', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: { ...secure, 'core-basic': 'enabled' } });
      new ServiceCatalogEntry(platform, 'team-config', {
        namespace: 'team-config', targets: ClusterSelector.labels({ 'core-basic': 'enabled' }),
        manifests: names.map((name) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } })),
      });
      return Testing.render(platform).files;
    };
    const d = diffTrees(withManifests(['a', 'b']), withManifests(['a']));
    const removed = d.otherFiles.removed.filter((f) => f.includes('configmap-b'));
    expect(removed.length).toBeGreaterThan(0);
    expect(d.notPruned.map((k) => [k.file, k.object, k.applications])).toEqual(removed.map((f) => [f, 'ConfigMap b', [expect.stringMatching(/team-config$/)]]));
    expect(formatDiffText(d)).toContain('not pruned (removed from the output, but the Applications that synced them do not prune on their own');
    expect(formatDiffMarkdown(d)).toContain('### Not pruned');
    // a tenant's folder is synced with prune: nothing there is listed
    expect(diffTrees(withTenant(true), withTenant(false)).notPruned).toEqual([]);
  });

  it('says of each removed Application whether Argo CD deletes what it deployed: a team\'s does (its finalizer); a vCluster\'s and a catalog entry\'s do not (no finalizer; the ApplicationSet preserves it)', () => {
    const tenantGone = diffTrees(withTenant(true), withTenant(false));
    const removed = [...tenantGone.applications.values()].flat().filter((c) => c.kind === 'removed');
    expect(removed).toEqual(expect.arrayContaining([{ kind: 'removed', name: 'vcluster-team-a', details: ['what it deployed stays on the cluster: delete it by hand'] }]));
    // a tenant's team Application (its repositories) carries the finalizer: Argo CD deletes the team's objects with it
    const teamApp = [...diffTrees(withTenant(true, true), withTenant(true, false)).applications.values()].flat();
    expect(teamApp).toEqual([{ kind: 'removed', name: expect.stringMatching(/^tenant-team-a-[0-9a-f]{8}$/), details: ['deletes what it deployed'] }]);
    // the finalizer's background and foreground forms cascade too (Argo CD's CascadedDeletion)
    for (const form of ['background', 'foreground']) {
      const base = withTenant(true, true);
      const [file] = [...base.keys()].filter((f) => /\/application-tenant-team-a-[0-9a-f]{8}\.yaml$/.test(f));
      base.set(file, base.get(file)!.replace('- resources-finalizer.argocd.argoproj.io\n', `- resources-finalizer.argocd.argoproj.io/${form}\n`));
      expect(base.get(file)).toContain(`/${form}`);
      expect([...diffTrees(base, withTenant(true, false)).applications.values()].flat().map((c) => c.details)).toEqual([['deletes what it deployed']]);
    }
    const entryGone = diffTrees(tree(), (() => {
      const platform = awsPlatform();
      const mgmt = awsMgmt(platform, { labels: secure });
      new FleetCluster(mgmt, 'dev-1', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: { ...secure, 'core-basic': 'enabled' } });
      return Testing.render(platform).files;
    })());
    expect(entryGone.applications.get('dev-1')).toEqual([{ kind: 'removed', name: 'dev-1-demo', details: ['what it deployed stays on the cluster: delete it by hand'] }]);
    expect(formatDiffText(entryGone)).toContain('  - dev-1-demo: what it deployed stays on the cluster: delete it by hand\n');
  });
});

describe('a Kubernetes version change', () => {
  const at = (mgmt: string, dev: string) => {
    const platform = awsPlatform();
    const m = awsMgmt(platform, { labels: secure, cloud: eksCloud('10.10.0.0/16', { kubernetesVersion: mgmt }) });
    new FleetCluster(m, 'dev-1', { environment: 'dev', cloud: eksCloud('10.20.0.0/16', { kubernetesVersion: dev }), labels: secure });
    return Testing.render(platform).files;
  };

  it('is listed per cluster, and a step the clouds refuse (more than one minor, a downgrade) is marked with the way through', () => {
    const d = diffTrees(at('1.33', '1.35'), at('1.35', '1.34'));
    expect(d.kubernetesVersions).toEqual([
      { cluster: 'dev-1', from: '1.35', to: '1.34', refused: 'a downgrade, which AKS and EKS refuse' },
      { cluster: 'mgmt', from: '1.33', to: '1.35', refused: '2 minors at once, which AKS and EKS refuse: upgrade through 1.34 first, one apply each' },
    ]);
    const text = formatDiffText(d);
    expect(text).toContain('kubernetes versions\n  ! dev-1: 1.35 -> 1.34: a downgrade, which AKS and EKS refuse\n'
      + '  ! mgmt: 1.33 -> 1.35: 2 minors at once, which AKS and EKS refuse: upgrade through 1.34 first, one apply each\n');
    expect(formatDiffMarkdown(d)).toContain('### Kubernetes versions\n\n- `dev-1`: 1.35 -> 1.34: **a downgrade, which AKS and EKS refuse**\n');
    // one minor up is the step both clouds take; no change, nothing listed
    const ok = diffTrees(at('1.34', '1.34'), at('1.35', '1.34'));
    expect(ok.kubernetesVersions).toEqual([{ cluster: 'mgmt', from: '1.34', to: '1.35' }]);
    expect(formatDiffText(ok)).toContain('kubernetes versions\n  ~ mgmt: 1.34 -> 1.35\n');
    expect(diffTrees(at('1.35', '1.35'), at('1.35', '1.35')).kubernetesVersions).toEqual([]);
  });
});
