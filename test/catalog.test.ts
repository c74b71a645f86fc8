import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  Catalog, ClusterOutput, ClusterSelector, expandApplicationSet, ExternalDnsProvider, FleetCluster, Group, HelmChart, PlatformValidationError, SelectorOperator, ServiceCatalogEntry,
  targetableClusters, TenantVCluster,
} from '../src';
import { aksCloud, azureMgmt, azurePlatform, eksCloud, manifests } from './support/fixtures';
import { crdErrors, isCustomResource, HAS_SCHEMAS } from './support/schemas';

const secure = { 'security-basic': 'enabled' };
const chart = HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'demo', version: '1.2.3' });

function fleetPlatform() {
  const platform = azurePlatform();
  const mgmt = azureMgmt(platform, { labels: secure });
  const dev = new FleetCluster(mgmt, 'dev-1', { environment: 'dev', cloud: aksCloud('10.20.0.0/16'), labels: { ...secure, 'core-basic': 'enabled' } });
  const dev2 = new FleetCluster(mgmt, 'dev-2', { environment: 'dev', cloud: aksCloud('10.21.0.0/16'), labels: secure });
  const stg = new FleetCluster(mgmt, 'stg-1', { environment: 'staging', cloud: eksCloud('10.30.0.0/16'), labels: { ...secure, 'core-basic': 'enabled' } });
  const prod = new FleetCluster(mgmt, 'prod-1', { environment: 'prod', cloud: eksCloud('10.40.0.0/16', { region: 'us-east-1' }), labels: { ...secure, 'core-basic': 'enabled' } });
  return { platform, mgmt, dev, dev2, stg, prod };
}

/** The clusters as the cluster generator sees them: the registrations' labels and annotations, with sample outputs. */
function generatorClusters(files: Map<string, string>, outputs: Record<string, string> = {}) {
  return manifests(files).filter(({ obj }) => obj.kind === 'ExternalSecret').map(({ obj }) => ({
    name: obj.spec.target.template.data.name,
    labels: obj.spec.target.template.metadata.labels,
    annotations: { ...obj.spec.target.template.metadata.annotations, ...outputs },
  })).concat([{ name: 'mgmt', labels: { 'environment': 'prod', 'cluster_name': 'mgmt', 'platform-role': 'management', ...secure }, annotations: {} }]);
}

function appSet(files: Map<string, string>, name: string): any {
  return parse(files.get(`clusters/mgmt/argocd/applicationset-${name}.yaml`)!);
}

describe('ServiceCatalogEntry renders one ApplicationSet per management cluster', () => {
  it('uses cluster generators per environment, Go templates with missingkey=error, multi-source values and the platform project', () => {
    const { platform } = fleetPlatform();
    new ServiceCatalogEntry(platform, 'demo', { chart, namespace: 'demo', targets: ClusterSelector.labels({ 'core-basic': 'enabled' }), values: { replicas: 2 } });
    const files = platform.render();
    const as = appSet(files, 'demo');
    expect(as.spec.goTemplate).toBe(true);
    expect(as.spec.goTemplateOptions).toEqual(['missingkey=error']);
    expect(as.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
    expect(as.spec.template.spec.project).toBe('platform');
    expect(as.spec.template.spec.syncPolicy).toEqual({ automated: { prune: false, selfHeal: true }, syncOptions: ['CreateNamespace=true'], retry: { limit: 10, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } } });
    expect(as.spec.generators.map((g: any) => g.clusters.selector.matchLabels)).toEqual([
      { 'core-basic': 'enabled', 'environment': 'dev' },
      { 'core-basic': 'enabled', 'environment': 'staging' },
      { 'core-basic': 'enabled', 'environment': 'prod' },
    ]);
    expect(files.get('catalog/demo/values.yaml')).toBe('replicas: 2\n');
    const project = parse(files.get('clusters/mgmt/argocd/appproject-platform.yaml')!);
    expect(project.spec.sourceRepos).toContain('https://charts.example.dev');
  });

  it('expands to one Application per selected cluster with the value-file chain and the environment\'s pin', () => {
    const { platform } = fleetPlatform();
    new ServiceCatalogEntry(platform, 'demo', {
      chart,
      namespace: 'demo',
      targets: ClusterSelector.labels({ 'core-basic': 'enabled' }),
      values: { replicas: 2 },
      environmentValues: { prod: { replicas: 3 }, staging: {} },
      clusterValues: { 'dev-1': { debug: true } },
      versions: { dev: '1.3.0' },
    });
    const files = platform.render();
    expect([...files.keys()].filter((f) => f.startsWith('catalog/'))).toEqual([
      'catalog/demo/clusters/dev-1.yaml', 'catalog/demo/env/prod.yaml', 'catalog/demo/values.yaml',
    ]);
    const apps = expandApplicationSet(appSet(files, 'demo'), generatorClusters(files));
    const byName = Object.fromEntries(apps.map((a) => [a.metadata.name, a]));
    expect(Object.keys(byName).sort()).toEqual(['dev-1-demo', 'prod-1-demo', 'stg-1-demo']);
    const chain = (n: string) => byName[n].spec.sources[0].helm.valueFiles;
    expect(chain('dev-1-demo')).toEqual(['$values/dist/catalog/demo/values.yaml', '$values/dist/catalog/demo/clusters/dev-1.yaml']);
    expect(chain('stg-1-demo')).toEqual(['$values/dist/catalog/demo/values.yaml']);
    expect(chain('prod-1-demo')).toEqual(['$values/dist/catalog/demo/values.yaml', '$values/dist/catalog/demo/env/prod.yaml']);
    expect(byName['dev-1-demo'].spec.sources[0]).toMatchObject({ repoURL: 'https://charts.example.dev', chart: 'demo', targetRevision: '1.3.0' });
    expect(byName['prod-1-demo'].spec.sources[0].targetRevision).toBe('1.2.3');
    expect(byName['prod-1-demo'].spec.sources[1]).toEqual({ repoURL: 'https://github.com/acme/platform-gitops.git', targetRevision: 'main', ref: 'values' });
    expect(byName['prod-1-demo'].spec.destination).toEqual({ name: 'prod-1', namespace: 'demo' });
    expect(byName['prod-1-demo'].metadata.labels.environment).toBe('prod');
    // every value file an Application references is written
    for (const a of apps) for (const f of a.spec.sources[0].helm.valueFiles ?? []) expect(files.has(f.replace('$values/dist/', ''))).toBe(true);
  });

  it('renders cluster outputs as per-cluster templated values and checks every targeted cluster provides them', () => {
    const { platform, dev, dev2 } = fleetPlatform();
    const out = dev.addOutput('demo_role', 'arn:role');
    dev2.addOutput('demo_role', 'arn:role2');
    new ServiceCatalogEntry(platform, 'demo', { chart, namespace: 'demo', targets: ClusterSelector.environments(['dev']), values: { sa: { annotations: { role: out }, name: 'demo' } } });
    const files = platform.render();
    expect(files.get('catalog/demo/values.yaml')).toBe('sa:\n  name: demo\n');
    const apps = expandApplicationSet(appSet(files, 'demo'), generatorClusters(files, { demo_role: 'arn:aws:iam::1:role/demo' }));
    expect(apps.map((a) => a.spec.sources[0].helm.valuesObject)).toEqual([
      { sa: { annotations: { role: 'arn:aws:iam::1:role/demo' } } },
      { sa: { annotations: { role: 'arn:aws:iam::1:role/demo' } } },
    ]);

    const p2 = fleetPlatform();
    new ServiceCatalogEntry(p2.platform, 'demo', { chart, namespace: 'demo', targets: ClusterSelector.environments(['dev']), values: { role: ClusterOutput.named('demo_role') } });
    expect(() => p2.platform.render()).toThrow(new PlatformValidationError([
      { path: 'platform/demo', message: 'catalog entry "demo" uses the cluster output "demo_role", which cluster "dev-1" (platform/mgmt/dev-1) does not provide. Fix: declare it with addOutput("demo_role", ...) on that cluster, or exclude the cluster from the targets.' },
      { path: 'platform/demo', message: 'catalog entry "demo" uses the cluster output "demo_role", which cluster "dev-2" (platform/mgmt/dev-2) does not provide. Fix: declare it with addOutput("demo_role", ...) on that cluster, or exclude the cluster from the targets.' },
    ]).message);
  });

  it('checks dependencies against every targeted cluster, orders them with sync waves, and finds cycles', () => {
    const { platform } = fleetPlatform();
    const ingress = new ServiceCatalogEntry(platform, 'ingress', { chart, namespace: 'ingress', targets: ClusterSelector.labels({ 'core-basic': 'enabled' }) });
    const certs = new ServiceCatalogEntry(platform, 'certs', { chart, namespace: 'certs', targets: ClusterSelector.labels(secure), dependsOn: [ingress] });
    expect(certs.syncWave).toBe(1);
    expect(() => platform.render()).toThrow('[platform/certs] catalog entry "certs" targets cluster "mgmt" (platform/mgmt), but its dependency "ingress" is not installed there. Fix: label the cluster so "ingress" selects it too, or narrow the targets of "certs".');

    const p2 = fleetPlatform().platform;
    const deps: ServiceCatalogEntry[] = [];
    const a = new ServiceCatalogEntry(p2, 'a', { chart, namespace: 'a', targets: ClusterSelector.labels(secure), dependsOn: deps });
    const b = new ServiceCatalogEntry(p2, 'b', { chart, namespace: 'b', targets: ClusterSelector.labels(secure), dependsOn: [a] });
    deps.push(b);
    expect(() => p2.render()).toThrow('catalog entries depend on each other in a cycle: a -> b -> a. Fix: remove one of the dependencies.');
  });

  it('warns when a selector matches no declared cluster, and rejects duplicate names', () => {
    const { platform } = fleetPlatform();
    new ServiceCatalogEntry(platform, 'gpu', { chart, namespace: 'gpu', targets: ClusterSelector.labels({ gpu: 'enabled' }) });
    platform.render();
    expect(platform.warnings.map((w) => w.message)).toEqual(['catalog entry "gpu" matches no declared cluster (it may target clusters registered elsewhere). Fix: check the selector {"matchLabels":{"gpu":"enabled"},"matchExpressions":[{"key":"platform-role","operator":"NotIn","values":["tenant"]}]}.']);
    new ServiceCatalogEntry(platform, 'gpu2', { name: 'gpu', chart, namespace: 'gpu', targets: ClusterSelector.labels(secure) });
    expect(() => platform.render()).toThrow('[platform/gpu2] duplicate catalog entry name "gpu": also declared at platform/gpu. Fix: give each entry a unique name.');
  });

  it('renders a RollingSync through the platform\'s environment order and turns progressive syncs on in Argo CD', () => {
    const { platform, mgmt } = fleetPlatform();
    new ServiceCatalogEntry(platform, 'demo', { chart, namespace: 'demo', targets: ClusterSelector.labels(secure), progressiveSync: true });
    const as = appSet(platform.render(), 'demo');
    expect(as.spec.strategy).toEqual({
      type: 'RollingSync',
      rollingSync: { steps: ['dev', 'staging', 'prod'].map((e) => ({ matchExpressions: [{ key: 'environment', operator: 'In', values: [e] }] })) },
    });
    expect(as.spec.template.spec.syncPolicy.automated).toBeUndefined();
    // the syncs RollingSync starts take the Application's retry (Argo CD's progressive_sync.go); the ApplicationSet
    // controller never retries a failed one, so an entry waiting for another's CRDs needs the same retry as without it
    expect(as.spec.template.spec.syncPolicy.retry).toEqual({ limit: 10, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } });
    expect((mgmt.argoCdValues as any).configs.params['applicationsetcontroller.enable.progressive.syncs']).toBe(true);
  });

  it('supports OCI charts, its own AppProject, extra manifests per environment and server-side apply', () => {
    const { platform } = fleetPlatform();
    new ServiceCatalogEntry(platform, 'oci', {
      chart: HelmChart.oci({ registry: 'ghcr.io/acme/charts', chart: 'thing', version: '0.4.0' }),
      namespace: 'thing',
      targets: ClusterSelector.expression('environment', SelectorOperator.NOT_IN, ['prod']),
      ownProject: true,
      serverSideApply: true,
      manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'base' } }],
      environmentManifests: { dev: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dev-only' } }] },
    });
    const files = platform.render();
    const as = appSet(files, 'oci');
    expect(as.spec.template.spec.sources[0]).toEqual({ repoURL: 'oci://ghcr.io/acme/charts/thing', path: '.', targetRevision: '{{ .values.version }}', helm: { releaseName: 'oci' } });
    expect(as.spec.template.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'ServerSideApply=true']);
    const project = parse(files.get('clusters/mgmt/argocd/appproject-oci.yaml')!);
    expect(project.spec.sourceRepos).toEqual(['oci://ghcr.io/acme/charts/thing', 'https://github.com/acme/platform-gitops.git']);
    expect(project.spec.destinations).toEqual([{ name: 'dev-1', namespace: 'thing' }, { name: 'dev-2', namespace: 'thing' }, { name: 'stg-1', namespace: 'thing' }]);
    const apps = expandApplicationSet(as, generatorClusters(files));
    const paths = Object.fromEntries(apps.map((a) => [a.metadata.name, a.spec.sources[2]?.path]));
    expect(paths).toEqual({ 'dev-1-oci': 'dist/catalog/oci/manifests/dev', 'dev-2-oci': 'dist/catalog/oci/manifests/dev', 'stg-1-oci': 'dist/catalog/oci/manifests/all' });
    expect(files.has('catalog/oci/manifests/dev/configmap-dev-only.yaml')).toBe(true);
    expect(files.has('catalog/oci/manifests/all/configmap-base.yaml')).toBe(true);
  });

  it.skipIf(!HAS_SCHEMAS)('ApplicationSets, AppProjects and the Applications they expand to pass the Argo CD CRDs strictly (needs ../shared/schemas)', () => {
    const { platform, dev } = fleetPlatform();
    const role = dev.addOutput('demo_role', 'x');
    new ServiceCatalogEntry(platform, 'demo', {
      chart, namespace: 'demo', targets: ClusterSelector.clusters(['dev-1']), values: { role, a: 1 }, environmentValues: { dev: { b: 2 } }, clusterValues: { 'dev-1': { c: 3 } }, progressiveSync: true, ownProject: true,
    });
    const files = platform.render();
    for (const { obj } of manifests(files).filter((m) => isCustomResource(m.obj))) expect(crdErrors(obj)).toEqual([]);
    const apps = expandApplicationSet(appSet(files, 'demo'), generatorClusters(files, { demo_role: 'r' }));
    expect(apps).toHaveLength(1);
    for (const a of apps) expect(crdErrors(a)).toEqual([]);
  });
});

describe('ServiceCatalogEntry props are checked at construction', () => {
  it('rejects version ranges, unknown environments and bad names', () => {
    const platform = azurePlatform();
    expect(() => new ServiceCatalogEntry(platform, 'x', { chart: HelmChart.fromRepository({ repository: 'https://c.dev', chart: 'x', version: '^1.2.0' }), namespace: 'x', targets: ClusterSelector.labels({}) })).toThrow(
      '[platform/x] chart.version: got "^1.2.0". Allowed: an exact chart version such as "1.21.1" (no ranges). Fix: pin the chart to one upstream release.');
    expect(() => new ServiceCatalogEntry(platform, 'y', { chart, namespace: 'y', targets: ClusterSelector.labels({}), versions: { qa: '1.0.0' } })).toThrow(
      '[platform/y] versions.qa: got "qa". Allowed: one of the platform\'s environments: dev, staging, prod. Fix: use a declared environment.');
    expect(() => new ServiceCatalogEntry(platform, 'Z', { chart, namespace: 'z', targets: ClusterSelector.labels({}) })).toThrow('[platform/Z] name: got "Z"');
    expect(() => new ServiceCatalogEntry(platform, 'w', { chart, namespace: 'w', targets: ClusterSelector.expression('tier', SelectorOperator.IN) })).toThrow(
      '[platform/w] targets.matchExpressions[0].values: got []. Allowed: one or more values for In. Fix: list the values.');
    expect(() => new ServiceCatalogEntry(platform, 'v', { chart, namespace: 'v', targets: ClusterSelector.labels({}), manifests: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } }] })).toThrow(
      '[platform/v] manifests[]: got "Secret". Allowed: no Secret (credentials come through the secret store). Fix: use an ExternalSecret.');
  });
});

describe('targetableClusters', () => {
  it('lists what selectors can match, in tree order: management, fleet (with its outputs), tenant virtual clusters, imported', () => {
    const { platform, mgmt, dev } = fleetPlatform();
    dev.addOutput('ingress_ip', '${azurerm_public_ip.ingress.ip_address}');
    new TenantVCluster(dev, 'team-a', { owners: Group.named('team-a') });
    FleetCluster.fromName(platform, 'legacy', 'legacy-prod', { labels: { tier: 'old' }, environment: 'prod' });
    const clusters = targetableClusters(mgmt);
    expect(clusters.map((c) => c.name)).toEqual(['mgmt', 'dev-1', 'vc-team-a', 'dev-2', 'stg-1', 'prod-1', 'legacy-prod']);
    const byName = new Map(clusters.map((c) => [c.name, c]));
    expect(byName.get('dev-1')).toMatchObject({ path: 'platform/mgmt/dev-1', outputs: ['oidc_issuer_url', 'ingress_ip'], environment: 'dev' });
    expect(byName.get('vc-team-a')).toMatchObject({ path: 'platform/mgmt/dev-1/team-a', outputs: [], environment: 'dev' });
    expect(byName.get('vc-team-a')!.labels).toMatchObject({ tenant: 'team-a', vcluster: 'true', host: 'dev-1' });
    // an imported cluster is what its declaration says its Argo CD cluster Secret carries: no label added, the outputs declared
    expect(byName.get('legacy-prod')).toEqual({ name: 'legacy-prod', path: 'platform/legacy', environment: 'prod', outputs: [], imported: true,
      labels: { tier: 'old' } });
    expect(byName.get('mgmt')!.labels['platform-role']).toBe('management');
    // a catalog entry targets the targetable clusters its selector matches (virtual clusters only when asked for)
    const e = new ServiceCatalogEntry(platform, 'demo', { chart, namespace: 'demo', targets: ClusterSelector.labels({ environment: 'dev' }) });
    expect(e.targetedClusters).toEqual(['dev-1', 'dev-2']);
    const t = new ServiceCatalogEntry(platform, 'tenants', { chart, namespace: 'demo', targets: ClusterSelector.tenants() });
    expect(t.targetedClusters).toEqual(['vc-team-a']);
  });
});

describe('external-dns on Cloudflare', () => {
  it('needs the store entry of its API token, and refuses one the store cannot name', () => {
    const make = (cloudflare?: { storeKey: string }) => () => Catalog.externalDns(azurePlatform(), { provider: ExternalDnsProvider.CLOUDFLARE, domainFilters: ['acme.dev'], ...(cloudflare ? { cloudflare } : {}) });
    expect(make()).toThrow('[platform/external-dns] cloudflare: got nothing. Allowed: the secret store entry holding the Cloudflare API token. '
      + 'Fix: pass cloudflare: { storeKey } naming the entry, with the token in its property "api-token" (external-dns reads it as CF_API_TOKEN; without it the pod stops at start).');
    expect(make({ storeKey: 'dns/cloudflare' })).toThrow('[platform/external-dns] cloudflare.storeKey: got "dns/cloudflare". Allowed: with Azure Key Vault');
    expect(make({ storeKey: 'cloudflare-dns' })).not.toThrow();
  });
});
