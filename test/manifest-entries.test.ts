import { ApiObject } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Catalog, ClusterSelector, expand, FleetCluster, HelmChart, ServiceCatalogEntry, Testing } from '../src';
import { awsMgmt, awsPlatform, eksCloud } from './support/fixtures';

const secure = { 'security-basic': 'enabled', 'core-basic': 'enabled' };

function platform() {
  const p = awsPlatform();
  const mgmt = awsMgmt(p, { labels: secure });
  new FleetCluster(mgmt, 'dev-1', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: secure });
  return p;
}

const quota = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'team-defaults', namespace: 'shared' }, spec: { hard: { pods: '50' } } };
const prodQuota = { ...quota, spec: { hard: { pods: '200' } } };

describe('a manifest-only catalog entry (a folder of manifests, no chart)', () => {
  it('renders its manifests and an ApplicationSet whose one source is that folder of this repository', () => {
    const p = platform();
    new ServiceCatalogEntry(p, 'shared-quotas', { namespace: 'shared', targets: ClusterSelector.labels({ 'core-basic': 'enabled' }), manifests: [quota], environmentManifests: { prod: [prodQuota] } });
    const r = Testing.render(p);
    expect(parse(r.files.get('catalog/shared-quotas/manifests/all/resourcequota-team-defaults.yaml')!)).toEqual(quota);
    const set = parse(r.files.get('clusters/mgmt/argocd/applicationset-shared-quotas.yaml')!);
    expect(set.spec.templatePatch).toBeUndefined();
    expect(set.spec.template.spec.source).toEqual({ repoURL: 'https://github.com/acme/platform-gitops.git', targetRevision: 'main', path: '{{ .values.manifestsPath }}', directory: { recurse: true } });
    const apps = expand(p).filter((a) => a.catalogEntry === 'shared-quotas');
    expect(apps.map((a) => [a.name, a.manifest.spec.source.path]).sort()).toEqual([['dev-1-shared-quotas', 'dist/catalog/shared-quotas/manifests/all'], ['mgmt-shared-quotas', 'dist/catalog/shared-quotas/manifests/prod']]);
    expect(apps.every((a) => a.chart === undefined && a.missingPaths.length === 0)).toBe(true);
    expect(r.files.get('PLATFORM.md')).toContain('| shared-quotas | (manifests) | main | main | main |');
    expect(r.data.catalog.find((e) => e.name === 'shared-quotas')!.chart).toBeUndefined();
  });

  it('refuses chart props without a chart, and an empty folder', () => {
    const p = platform();
    const targets = ClusterSelector.labels({ 'core-basic': 'enabled' });
    expect(() => new ServiceCatalogEntry(p, 'a', { namespace: 'shared', targets, manifests: [quota], values: { x: 1 } }))
      .toThrow('[platform/a] values: got {"x":1}. Allowed: nothing for a manifest-only entry (it has no chart). Fix: remove values, or add a chart.');
    expect(() => new ServiceCatalogEntry(p, 'b', { namespace: 'shared', targets }))
      .toThrow('[platform/b] manifests: got nothing. Allowed: one or more objects for an entry without a chart (a manifest-only entry). Fix: add the manifests, or a chart.');
  });
});

describe('argocd.argoproj.io/manifest-generate-paths', () => {
  it('limits the refresh of every generated Application that reads this repository to its own folders', () => {
    const p = platform();
    // an object for dev-1's own folder, synced by the Application cluster-dev-1
    new ApiObject((p.node.findChild('mgmt').node.findChild('dev-1') as FleetCluster).chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    new ServiceCatalogEntry(p, 'demo', {
      chart: HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'demo', version: '1.2.3' }),
      namespace: 'demo', targets: ClusterSelector.labels({ 'core-basic': 'enabled' }), values: { a: 1 },
    });
    new ServiceCatalogEntry(p, 'shared-quotas', { namespace: 'shared', targets: ClusterSelector.labels({ 'core-basic': 'enabled' }), manifests: [quota] });
    const apps = expand(p);
    const annotation = (name: string) => {
      const app = apps.find((a) => a.name === name);
      expect(app, `${name} in ${apps.map((a) => a.name).join(', ')}`).toBeDefined();
      return app!.manifest.metadata.annotations?.['argocd.argoproj.io/manifest-generate-paths'];
    };
    expect(annotation('root')).toBe('.');
    expect(annotation('cluster-dev-1')).toBe('.');
    expect(annotation('dev-1-demo')).toBe('/dist/catalog/demo');
    expect(annotation('dev-1-shared-quotas')).toBe('.');
  });
});

describe('a manifest-only entry\'s implied dependencies', () => {
  const monitor = { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'shared', namespace: 'shared' }, spec: { selector: { matchLabels: { app: 'shared' } }, endpoints: [{ port: 'http' }] } };

  it('needs the chart serving its objects\' API group on every targeted cluster', () => {
    const p = platform();
    new ServiceCatalogEntry(p, 'shared-monitors', { namespace: 'shared', targets: ClusterSelector.labels({ 'core-basic': 'enabled' }), manifests: [monitor] });
    expect(() => p.render()).toThrow('[platform/shared-monitors] catalog entry "shared-monitors" applies ServiceMonitor (monitoring.coreos.com) on cluster "mgmt" (platform/mgmt), which needs kube-prometheus-stack there, but no catalog entry installs it. Fix: add Catalog.kubePrometheusStack(platform), or narrow the targets of "shared-monitors".');
  });

  it('syncs after the entry serving them (a later sync wave), and depends on it', () => {
    const p = platform();
    const shared = new ServiceCatalogEntry(p, 'shared-monitors', { namespace: 'shared', targets: ClusterSelector.labels({ 'core-basic': 'enabled' }), manifests: [monitor] });
    Catalog.externalSecrets(p); // kube-prometheus-stack's Grafana admin
    const stack = Catalog.kubePrometheusStack(p, { targets: ClusterSelector.labels({ 'core-basic': 'enabled' }) });
    expect(shared.dependencies.map((e) => e.name)).toContain(stack.name);
    const wave = (name: string) => Number(parse(Testing.render(p).files.get(`clusters/mgmt/argocd/applicationset-${name}.yaml`)!).metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave('shared-monitors')).toBeGreaterThan(wave(stack.name));
  });
});
