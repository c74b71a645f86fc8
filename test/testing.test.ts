import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  Catalog, ClusterSelector, expand, expandApplicationSet, expectCluster, expectPlatform, FleetCluster, GoTemplateError, Group, HelmChart, MANIFEST_FILE,
  PlatformAssertionError, RenderedPlatform, SelectorOperator, ServiceCatalogEntry, TenantVCluster, Testing,
} from '../src';
import { awsMgmt, awsPlatform, eksCloud } from './support/fixtures';

const secure = { 'security-basic': 'enabled' };
const chart = HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'demo', version: '1.2.3' });

/** mgmt (prod) steering dev-1, dev-2, stg-1 and prod-1, with one tenant on dev-2. */
function fleet() {
  const platform = awsPlatform();
  const mgmt = awsMgmt(platform, { labels: secure });
  const dev1 = new FleetCluster(mgmt, 'dev-1', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: { ...secure, 'core-basic': 'enabled', 'tier': 'gold' } });
  const dev2 = new FleetCluster(mgmt, 'dev-2', { environment: 'dev', cloud: eksCloud('10.21.0.0/16'), labels: { ...secure, gpu: 'a100' } });
  new FleetCluster(mgmt, 'stg-1', { environment: 'staging', cloud: eksCloud('10.30.0.0/16'), labels: { ...secure, 'core-basic': 'enabled', 'tier': 'silver' } });
  new FleetCluster(mgmt, 'prod-1', { environment: 'prod', cloud: eksCloud('10.40.0.0/16', { region: 'us-east-1' }), labels: { ...secure, 'core-basic': 'enabled', 'tier': 'bronze' } });
  Catalog.externalSecrets(platform);
  const tenant = new TenantVCluster(dev2, 'team-a', { owners: Group.named('team-a'), repositories: ['https://github.com/acme/team-a-apps.git'] });
  return { platform, mgmt, dev1, dev2, tenant };
}

function entry(platform: ReturnType<typeof fleet>['platform'], name: string, targets: ClusterSelector, extra: Partial<ConstructorParameters<typeof ServiceCatalogEntry>[2]> = {}) {
  return new ServiceCatalogEntry(platform, name, { chart, namespace: name, targets, ...extra });
}

/** Which clusters run an entry, per the offline expansion. */
function runs(apps: ReturnType<typeof expand>, name: string): string[] {
  return apps.filter((a) => a.catalogEntry === name).map((a) => a.cluster).sort();
}

describe('expand(platform): ApplicationSets expanded offline against the declared clusters', () => {
  it('selects clusters with matchLabels and each matchExpressions operator exactly as computed by hand', () => {
    const { platform } = fleet();
    entry(platform, 'labels', ClusterSelector.labels({ 'core-basic': 'enabled' }));
    entry(platform, 'in', ClusterSelector.expression('tier', SelectorOperator.IN, ['gold', 'silver']));
    entry(platform, 'notin', ClusterSelector.expression('environment', SelectorOperator.NOT_IN, ['prod']));
    entry(platform, 'exists', ClusterSelector.expression('gpu', SelectorOperator.EXISTS));
    entry(platform, 'absent', ClusterSelector.allOf(ClusterSelector.environments(['dev']), ClusterSelector.expression('vcluster', SelectorOperator.DOES_NOT_EXIST)));
    const apps = expand(platform);
    expect(runs(apps, 'labels')).toEqual(['dev-1', 'prod-1', 'stg-1']);
    expect(runs(apps, 'in')).toEqual(['dev-1', 'stg-1']);
    // the tenant's virtual cluster is registered as a dev cluster too, but selectors leave tenants out unless they ask
    expect(runs(apps, 'notin')).toEqual(['dev-1', 'dev-2', 'stg-1']);
    expect(runs(apps, 'exists')).toEqual(['dev-2']);
    expect(runs(apps, 'absent')).toEqual(['dev-1', 'dev-2']);
  });

  it('matches tenants only when the selector asks for them (includingTenants, tenants(), or a tenant label)', () => {
    const { platform } = fleet();
    entry(platform, 'dev-only', ClusterSelector.environments(['dev']));
    entry(platform, 'dev-and-tenants', ClusterSelector.includingTenants(ClusterSelector.environments(['dev'])));
    entry(platform, 'tenants', ClusterSelector.tenants());
    const apps = expand(platform);
    expect(runs(apps, 'dev-only')).toEqual(['dev-1', 'dev-2']);
    expect(runs(apps, 'dev-and-tenants')).toEqual(['dev-1', 'dev-2', 'vc-team-a']);
    expect(runs(apps, 'tenants')).toEqual(['vc-team-a']);
    expect(ClusterSelector.environments(['dev']).toSpec()).toEqual({ matchExpressions: [{ key: 'environment', operator: 'In', values: ['dev'] }, { key: 'platform-role', operator: 'NotIn', values: ['tenant'] }] });
    expect(ClusterSelector.includingTenants(ClusterSelector.environments(['dev'])).toSpec()).toEqual({ matchExpressions: [{ key: 'environment', operator: 'In', values: ['dev'] }] });
  });

  it('gives each environment its pin and each cluster its value-file chain and merged values, with the generator that matched', () => {
    const { platform } = fleet();
    entry(platform, 'demo', ClusterSelector.labels({ 'core-basic': 'enabled' }), {
      values: { replicas: 1, image: { tag: 'a', pullPolicy: 'IfNotPresent' } },
      environmentValues: { prod: { replicas: 3 } },
      clusterValues: { 'dev-1': { image: { tag: 'b' } } },
      versions: { dev: '1.3.0' },
    });
    const apps = expand(platform).filter((a) => a.catalogEntry === 'demo');
    const by = Object.fromEntries(apps.map((a) => [a.cluster, a]));
    expect(by['dev-1']).toMatchObject({
      name: 'dev-1-demo', project: 'platform', namespace: 'demo', managedBy: 'mgmt', applicationSet: 'demo',
      chart: { repoURL: 'https://charts.example.dev', chart: 'demo', version: '1.3.0' },
      valueFiles: ['catalog/demo/values.yaml', 'catalog/demo/clusters/dev-1.yaml'],
      values: { replicas: 1, image: { tag: 'b', pullPolicy: 'IfNotPresent' } },
      missingPaths: [],
    });
    // generators: dev (without dev-1), dev-1 alone, staging, prod
    expect(by['dev-1'].generator).toEqual({ index: 1, kind: 'clusters', selector: { matchLabels: { 'core-basic': 'enabled', 'environment': 'dev', 'cluster_name': 'dev-1' }, matchExpressions: [{ key: 'platform-role', operator: 'NotIn', values: ['tenant'] }] } });
    expect(by['stg-1']).toMatchObject({ chart: { version: '1.2.3' }, valueFiles: ['catalog/demo/values.yaml'], values: { replicas: 1 }, generator: { index: 2 } });
    expect(by['prod-1']).toMatchObject({ valueFiles: ['catalog/demo/values.yaml', 'catalog/demo/env/prod.yaml'], values: { replicas: 3, image: { tag: 'a' } } });
  });

  it('lists plain Applications too: the root, Argo CD itself, cluster folders and the tenant\'s vCluster and apps', () => {
    const { platform } = fleet();
    const apps = expand(platform).filter((a) => !a.applicationSet);
    expect(apps.map((a) => `${a.cluster}/${a.name}`)).toEqual([
      // every EKS fleet cluster has a folder (its default gp3 StorageClass; dev-2 also the tenant's namespace), synced by its own Application
      'dev-1/cluster-dev-1', 'dev-2/cluster-dev-2', 'dev-2/vcluster-team-a', 'mgmt/argo-cd', 'mgmt/external-secrets', 'mgmt/root', 'prod-1/cluster-prod-1', 'stg-1/cluster-stg-1', expect.stringMatching(/^vc-team-a\/tenant-team-a-[0-9a-f]{8}$/),
    ]);
    expect(apps.find((a) => a.name === 'root')).toMatchObject({ paths: ['clusters/mgmt'], missingPaths: [], project: 'platform' });
  });

  it('expands list, matrix and merge generators', () => {
    const clusters = [
      { name: 'a', labels: { environment: 'dev' } },
      { name: 'b', labels: { environment: 'prod' } },
    ];
    const appSet = (generators: unknown[]) => ({
      metadata: { name: 'x', namespace: 'argocd' },
      spec: { goTemplate: true, generators, template: { metadata: { name: '{{ .name }}-{{ .app }}' }, spec: { project: 'p', destination: { name: '{{ .name }}' } } } },
    });
    const matrix = expandApplicationSet(appSet([{ matrix: { generators: [{ clusters: { selector: {} } }, { list: { elements: [{ app: 'one' }, { app: 'two' }] } }] } }]), clusters);
    // an empty selector also selects Argo CD's local cluster, which no Secret registers here
    expect(matrix.map((a) => a.metadata.name)).toEqual(['a-one', 'a-two', 'b-one', 'b-two', 'in-cluster-one', 'in-cluster-two']);
    const mergeSet = (elements: unknown[]) => ({
      metadata: { name: 'x', namespace: 'argocd' },
      spec: {
        goTemplate: true,
        generators: [{ merge: { mergeKeys: ['name'], generators: [{ clusters: { selector: {}, values: { v: '1' } } }, { list: { elements } }] } }],
        template: { metadata: { name: '{{ .name }}-{{ .values.v }}{{ with .tier }}-{{ . }}{{ end }}' }, spec: { project: 'p', destination: { name: '{{ .name }}' } } },
      },
    });
    expect(expandApplicationSet(mergeSet([{ name: 'b', tier: 'gold' }]), clusters).map((a) => a.metadata.name)).toEqual(['a-1', 'b-1-gold', 'in-cluster-1']);
    // list values are map[string]interface{}, cluster values map[string]string: Argo CD's merge panics on the pair
    expect(() => expandApplicationSet(mergeSet([{ name: 'b', values: { v: '2' } }]), clusters))
      .toThrow('ApplicationSet x: merging the map[string]interface{} parameter value "v" into a map[string]string parameter (cluster or generator values) is not modelled: Argo CD\'s merge panics on it');
  });

  it('fails clearly on what it cannot evaluate, never with a silent wrong answer', () => {
    const base = { metadata: { name: 'x', namespace: 'argocd' }, spec: { goTemplate: true, template: { metadata: { name: '{{ .name | title }}' }, spec: {} } } };
    expect(() => expandApplicationSet({ ...base, spec: { ...base.spec, generators: [{ clusters: {} }] } }, [{ name: 'a', labels: {} }]))
      .toThrow(new GoTemplateError('the template function "title" is not modelled by the offline expansion'));
    expect(() => expandApplicationSet({ ...base, spec: { ...base.spec, generators: [{ scmProvider: {} }] } }, []))
      .toThrow('ApplicationSet x: unsupported generator scmProvider');
    expect(() => expandApplicationSet({ ...base, spec: { ...base.spec, generators: [{ git: { repoURL: 'https://github.com/acme/elsewhere.git', revision: 'main', directories: [{ path: 'apps/*' }] } }] } }, []))
      .toThrow('ApplicationSet x: a git generator reading https://github.com/acme/elsewhere.git@main can only be expanded for the platform repository at the revision Argo CD tracks');
    expect(() => expandApplicationSet({ ...base, spec: { ...base.spec, generators: [{ matrix: { generators: [{ list: { elements: [] } }] } }] } }, []))
      .toThrow('ApplicationSet x: found less than two generators, Matrix support only two');
    expect(() => expandApplicationSet({ ...base, spec: { ...base.spec, goTemplate: false, generators: [] } }, []))
      .toThrow('ApplicationSet x: only goTemplate: true is supported');
  });
});

describe('Testing.render', () => {
  it('renders in memory: per cluster its manifests and Terraform, and exactly the tree synth() writes', () => {
    const { platform, dev1 } = fleet();
    entry(platform, 'demo', ClusterSelector.labels({ 'core-basic': 'enabled' }), { values: { replicas: 1 } });
    const r = Testing.render(platform);
    expect(r.clusterNames).toEqual(['mgmt', 'dev-1', 'dev-2', 'stg-1', 'prod-1', 'vc-team-a']);
    const mgmt = r.cluster('mgmt');
    expect(mgmt.manifests.filter((o) => o.kind === 'ApplicationSet').map((o) => o.metadata.name)).toEqual(['demo', 'external-secrets']);
    expect(Object.keys(mgmt.terraform.resource)).toContain('aws_eks_cluster');
    expect(r.cluster('dev-2').manifests.map((o) => o.kind)).toContain('ResourceQuota');
    expect(r.cluster('vc-team-a').terraform).toBeUndefined();
    expect(r.tree).toContain('PLATFORM.md');
    expect(() => r.cluster('nope')).toThrow('no cluster named "nope" in the platform. Allowed: mgmt, dev-1, dev-2, stg-1, prod-1, vc-team-a. Fix: use a declared cluster\'s name.');
    expect(Testing.applicationsFor(dev1).map((a) => a.name)).toEqual(['cluster-dev-1', 'dev-1-demo', 'dev-1-external-secrets']);
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'testing-render-'));
    try {
      // same declaration, written to disk
      const again = fleet();
      entry(again.platform, 'demo', ClusterSelector.labels({ 'core-basic': 'enabled' }), { values: { replicas: 1 } });
      (again.platform as unknown as { _outdir: string })._outdir = outdir;
      again.platform.synth();
      const onDisk = fs.readdirSync(outdir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
        .map((e) => path.relative(outdir, path.join(e.parentPath, e.name)).split(path.sep).join('/')).filter((f) => f !== MANIFEST_FILE).sort();
      expect(onDisk).toEqual(r.tree);
      for (const f of r.tree) expect(fs.readFileSync(path.join(outdir, f), 'utf8')).toBe(r.files.get(f));
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('assertions for any test runner', () => {
  it('expectCluster(...).toRun checks the version, values and value files, and says what differs', () => {
    const { platform } = fleet();
    entry(platform, 'demo', ClusterSelector.labels({ 'core-basic': 'enabled' }), { values: { replicas: 1 }, versions: { dev: '1.3.0' } });
    const r = Testing.render(platform);
    expect(expectCluster(r, 'dev-1').toRun('demo', { version: '1.3.0', namespace: 'demo', values: { replicas: 1 }, valueFiles: ['catalog/demo/values.yaml'] }).name).toBe('dev-1-demo');
    expect(() => expectCluster(r, 'prod-1').toRun('demo', { version: '1.3.0', values: { replicas: 2 } }))
      .toThrow(new PlatformAssertionError('cluster "prod-1" runs "prod-1-demo", but version: expected "1.3.0", got "1.2.3"; values.replicas: expected 2, got 1'));
    expect(() => expectCluster(r, 'dev-2').toRun('demo')).toThrow('expected cluster "dev-2" to run "demo", but it runs: cluster-dev-2, external-secrets, vcluster-team-a');
    expectCluster(r, 'dev-2').notToRun('demo');
    expect(() => expectCluster(r, 'dev-1').notToRun('demo'))
      .toThrow('expected cluster "dev-1" not to run "demo", but it runs "dev-1-demo" (ApplicationSet demo, generator 0: {"matchExpressions":[{"key":"platform-role","operator":"NotIn","values":["tenant"]}],"matchLabels":{"core-basic":"enabled","environment":"dev"}})');
  });

  it('expectPlatform checks tenant isolation, Secret data and referenced paths, and names every problem', () => {
    const { platform, dev1 } = fleet();
    entry(platform, 'demo', ClusterSelector.labels({ 'core-basic': 'enabled' }), { values: { replicas: 1 } });
    const r = Testing.render(platform);
    expectPlatform(r).toHaveIsolatedTenants();
    expectPlatform(r).toHaveNoSecretData();
    expectPlatform(r).toReferenceOnlyExistingPaths();

    const broken = new Map(r.files);
    broken.delete('clusters/dev-2/vcluster-team-a/limitrange-tenant-limits.yaml');
    broken.delete('catalog/demo/values.yaml');
    expect(() => expectPlatform(new RenderedPlatform(broken)).toHaveIsolatedTenants()).toThrow('tenants are not isolated:\n  vc-team-a: no LimitRange in clusters/dev-2/vcluster-team-a/');
    expect(() => expectPlatform(new RenderedPlatform(broken)).toReferenceOnlyExistingPaths()).toThrow([
      'Applications reference paths missing from the output:',
      '  dev-1-demo (clusters/mgmt/argocd/applicationset-demo.yaml) -> catalog/demo/values.yaml',
      '  prod-1-demo (clusters/mgmt/argocd/applicationset-demo.yaml) -> catalog/demo/values.yaml',
      '  stg-1-demo (clusters/mgmt/argocd/applicationset-demo.yaml) -> catalog/demo/values.yaml',
    ].join('\n'));

    // an escape-hatch object with data stops the render (the policy pass) ...
    new ApiObject(dev1.chart, 'leak', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'leak', namespace: 'default' }, data: { token: 'c2VjcmV0' } });
    expect(() => platform.render()).toThrow('no-secret-data');
    // ... and the assertion finds it in any tree, e.g. one committed by hand
    const leaked = new Map(r.files);
    leaked.set('clusters/dev-1/default/secret-leak.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: leak\n  namespace: default\ndata:\n  token: c2VjcmV0\n');
    expect(() => expectPlatform(new RenderedPlatform(leaked)).toHaveNoSecretData()).toThrow('the output holds Secret data:\n  clusters/dev-1/default/secret-leak.yaml: a Secret with data');
  });
});
