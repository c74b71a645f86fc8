// The first sync of a fresh platform, in the order Argo CD really runs it: Argo CD has no health
// check of its own for Applications (so a parent's sync waves do not wait for its child
// Applications to be synced), SkipDryRunOnMissingResource only skips the dry run, and an
// automated sync that failed is retried on the same commit only with `syncPolicy.retry`. So an
// object whose kind another Application installs skips the dry run, and every automated sync
// retries until that kind exists.
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import {
  AcmeSolver, ArgoCdUi, Catalog, ClusterSelector, FleetCluster, Group, Platform, renderApplications, RenderedApplication, ServiceCatalogEntry, TeamService, TenantVCluster,
} from '../src';
import * as argoCdTypes from '../src/argocd/types';
import { API_PROVIDERS } from '../src/catalog/implied-dependencies';
import { expandTree, ExpandedApplication } from '../src/testing/applications';
import { awsMgmt, awsPlatform, eksCloud } from './support/fixtures';
import { CACHE_DIR, chartToolsMissing, helmBinary, preparedCharts } from './support/helm';
import { pinsRepo } from './support/pins';
import { exampleOutput, teamServicesPlatform } from './support/rendered-platforms';

const SKIP_DRY_RUN = 'SkipDryRunOnMissingResource=true';
/** What the tests expect, written out (not imported: an import of a missing export would be undefined, and match undefined). */
const DEFAULT_SYNC_RETRY = { limit: 10, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } };

/** The management cluster with the UI on the shared Gateway, a fleet cluster, the catalog's stacks and a team service. */
function uiPlatform(): Platform {
  const stacks = { 'security-basic': 'enabled', 'core-basic': 'enabled', 'monitoring-basic': 'enabled' };
  const platform = awsPlatform();
  const mgmt = awsMgmt(platform, { labels: stacks, argocd: { adminGroups: ['platform-admins'], ui: ArgoCdUi.gateway() } });
  const dev = new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: stacks });
  const [gateway] = Catalog.coreBasic(platform, { https: {} });
  // DNS-01: the HTTPS listener's certificate is a wildcard
  Catalog.certManager(platform, { acme: { email: 'platform@acme.dev', solver: AcmeSolver.dns01Route53({ region: 'eu-west-1', hostedZoneId: 'Z0123456789ABC' }) }, dependsOn: [gateway] });
  Catalog.externalSecrets(platform);
  Catalog.monitoringBasic(platform);
  // with a dedicated Argo CD: its listener, certificate and route in the fleet cluster's folder
  const tenant = new TenantVCluster(dev, 'team-a', { owners: Group.named('team-a'), repositories: ['https://github.com/acme/team-a-apps.git'], argocd: {} });
  new TeamService(tenant, 'checkout', {
    team: 'team-a', environments: ['dev'], image: 'ghcr.io/acme/checkout', port: 8080,
    secrets: [{ name: 'DB_PASSWORD', key: 'team-a/db', property: 'password' }],
    // their ServiceMonitor and claim are the host's: in dev's folder, whose Application is not kube-prometheus-stack's
    metrics: {},
    database: { apiVersion: 'platform.acme.dev/v1alpha1', kind: 'PostgreSQLInstance', plural: 'postgresqlinstances' },
    repositoryRoot: pinsRepo({ 'services/team-a/checkout/dev.json': { cluster: 'vc-team-a', imageTag: '1.0.0-aaaaaaa', targetRevision: 'a'.repeat(40) } }),
  });
  return platform;
}

const platforms: Record<string, () => Promise<Map<string, string>>> = {
  'examples/azure': () => exampleOutput('azure'),
  'examples/aws': () => exampleOutput('aws'),
  'a platform with team services': async () => teamServicesPlatform().render(),
  'a platform with the Argo CD UI and team services': async () => uiPlatform().render(),
};
const outputs = new Map<string, Map<string, string>>();

beforeAll(async () => {
  for (const [name, make] of Object.entries(platforms)) outputs.set(name, await make());
});

/** Every YAML object of the output, with its file. */
function objectsOf(files: Map<string, string>): { file: string; obj: any }[] {
  return [...files].filter(([f]) => f.endsWith('.yaml') && !f.endsWith('values.yaml') && !/\/(env|clusters)\/[^/]+\.yaml$/.test(f.replace(/^catalog\/[^/]+/, '')))
    .flatMap(([file, text]) => parseAllDocuments(text).map((d) => ({ file, obj: d.toJSON() })))
    .filter((o) => typeof o.obj?.kind === 'string');
}

/** The Applications the Terraform bootstraps install (argocd-apps chart values). */
function bootstrapApplications(files: Map<string, string>): { file: string; name: string; spec: any }[] {
  return [...files].filter(([f]) => /^terraform\/[^/]+\/cdk\.tf\.json$/.test(f)).flatMap(([file, text]) => {
    const releases = Object.values<any>(JSON.parse(text).resource?.helm_release ?? {});
    return releases.filter((r) => r.chart === 'argocd-apps').flatMap((r) => Object.entries<any>(parse(r.values[0]).applications ?? {}).map(([name, spec]) => ({ file, name, spec })));
  });
}

/** The argo-cd chart values of the Terraform bootstraps. */
function bootstrapArgoCdValues(files: Map<string, string>): any[] {
  return [...files].filter(([f]) => /^terraform\/[^/]+\/cdk\.tf\.json$/.test(f)).flatMap(([, text]) => Object.values<any>(JSON.parse(text).resource?.helm_release ?? {})
    .filter((r) => r.chart === 'argo-cd').map((r) => parse(r.values[0])));
}

function syncOptionsOf(obj: any): string[] {
  return String(obj?.metadata?.annotations?.['argocd.argoproj.io/sync-options'] ?? '').split(',').map((s) => s.trim());
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

describe('every automated sync the platform defines is retried (a failed first apply is not final)', () => {
  it.each(Object.keys(platforms))('%s: every Application and ApplicationSet template with automated sync has a retry', (name) => {
    const files = outputs.get(name)!;
    const automated: string[] = [];
    const missing: string[] = [];
    for (const { file, obj } of objectsOf(files)) {
      const spec = obj.kind === 'Application' ? obj.spec : obj.kind === 'ApplicationSet' ? obj.spec?.template?.spec : undefined;
      if (!spec?.syncPolicy?.automated) continue;
      automated.push(`${obj.kind} ${obj.metadata.name}`);
      if (!spec.syncPolicy.retry) missing.push(`${file}: ${obj.kind} ${obj.metadata.name}`);
      else expect(spec.syncPolicy.retry, `${file}`).toEqual(DEFAULT_SYNC_RETRY);
    }
    // the walk saw the root, Argo CD itself, External Secrets and the catalog's ApplicationSets
    expect(automated).toEqual(expect.arrayContaining(['Application root', 'Application argo-cd', 'Application external-secrets', expect.stringMatching(/^ApplicationSet /)]));
    expect(missing).toEqual([]);
  });

  it.each(Object.keys(platforms))('%s: every Application Argo CD would run (ApplicationSets expanded) with automated sync retries', (name) => {
    const apps = expandTree(outputs.get(name)!, { values: false });
    const automated = apps.filter((a) => a.manifest?.spec?.syncPolicy?.automated);
    expect(automated.length).toBeGreaterThan(3);
    expect(automated.filter((a) => !a.manifest.spec.syncPolicy.retry).map((a) => `${a.name} (${a.file})`)).toEqual([]);
  });

  it.each(Object.keys(platforms))('%s: the root Application of the Terraform bootstrap retries too', (name) => {
    const apps = bootstrapApplications(outputs.get(name)!);
    expect(apps.map((a) => a.name)).toContain('root');
    for (const a of apps) {
      expect(a.spec.syncPolicy.automated, a.file).toBeTruthy();
      expect(a.spec.syncPolicy.retry, `${a.file}: ${a.name}`).toEqual(DEFAULT_SYNC_RETRY);
    }
  });

  it('the fleet cluster folders and the tenants\' Applications retry (what the root creates in wave 0)', () => {
    const files = outputs.get('a platform with the Argo CD UI and team services')!;
    const app = (f: string) => parse(files.get(`clusters/mgmt/argocd/${f}`)!);
    const tenantApp = [...files.keys()].map((f) => f.split('/').pop()!).find((f) => /^application-tenant-team-a-[0-9a-f]{8}\.yaml$/.test(f))!;
    for (const f of ['application-cluster-dev.yaml', 'application-vcluster-team-a.yaml', tenantApp]) {
      expect(app(f).spec.syncPolicy.retry, f).toEqual(DEFAULT_SYNC_RETRY);
    }
    expect(app('applicationset-tenant-team-a-services.yaml').spec.template.spec.syncPolicy.retry).toEqual(DEFAULT_SYNC_RETRY);
  });
});

/**
 * Which Application installs each API group on each cluster, by the library's own knowledge:
 * the chart serving the group (API_PROVIDERS) in an Application to that cluster, and the
 * management cluster's own External Secrets. Argo CD's own group is there before any
 * Application (the Terraform bootstrap installs Argo CD).
 */
function providersByLibrary(apps: readonly ExpandedApplication[]): (cluster: string, group: string) => string[] {
  return (cluster, group) => {
    const p = API_PROVIDERS[group];
    if (!p) return [];
    return apps.filter((a) => a.cluster === cluster && a.chart?.chart === p.chart).map((a) => a.name);
  };
}

/** The objects of the platform repository an Application syncs (its directory sources), with their files. */
function folderObjects(files: Map<string, string>, app: ExpandedApplication): { file: string; obj: any }[] {
  const all = objectsOf(files);
  return all.filter(({ file }) => app.paths.some((p) => file.startsWith(`${p.replace(/\/$/, '')}/`)));
}

describe('an object whose CRD another Application installs skips the dry run (else the whole sync fails before that Application ran)', () => {
  it.each(Object.keys(platforms))('%s: by the library\'s knowledge of which chart serves which API group', (name) => {
    const files = outputs.get(name)!;
    const apps = expandTree(files, { values: false });
    const providers = providersByLibrary(apps);
    const checked: string[] = [];
    const missing: string[] = [];
    for (const app of apps) {
      for (const { file, obj } of folderObjects(files, app)) {
        const others = providers(app.cluster, groupOf(obj.apiVersion));
        if (others.length === 0 || others.includes(app.name)) continue;
        checked.push(`${app.name}: ${obj.kind} ${obj.metadata.name}`);
        if (!syncOptionsOf(obj).includes(SKIP_DRY_RUN)) missing.push(`${app.name}: ${file} (${obj.apiVersion} ${obj.kind}, CRD from ${others.join(', ')})`);
      }
    }
    expect(checked.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
    if (name === 'a platform with the Argo CD UI and team services') expect(checked).toContain('cluster-dev: ServiceMonitor checkout');
  });

  it('the Argo CD UI\'s ListenerSet, HTTPRoute and Certificate skip the dry run, after the catalog\'s waves (their CRDs come with entries the root creates)', () => {
    const files = outputs.get('a platform with the Argo CD UI and team services')!;
    const objs = objectsOf(files).filter(({ file }) => file.startsWith('clusters/mgmt/'));
    // the catalog's ApplicationSets (a tenant's services ApplicationSet is labelled with its tenant)
    const lastCatalogWave = Math.max(...objs.filter(({ obj }) => obj.kind === 'ApplicationSet' && !obj.metadata.labels?.tenant).map(({ obj }) => Number(obj.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0)));
    const ui = objs.filter(({ obj }) => obj.metadata?.labels?.['app.kubernetes.io/part-of'] === 'argocd' && ['ListenerSet', 'HTTPRoute', 'Certificate'].includes(obj.kind));
    // the route to the server, and the http:// redirect on the Gateway's HTTP listener
    expect(ui.map(({ obj }) => obj.kind).sort()).toEqual(['Certificate', 'HTTPRoute', 'HTTPRoute', 'ListenerSet']);
    for (const { file, obj } of ui) {
      expect(syncOptionsOf(obj), file).toContain(SKIP_DRY_RUN);
      expect(Number(obj.metadata.annotations['argocd.argoproj.io/sync-wave']), file).toBeGreaterThan(lastCatalogWave);
    }
    // the HTTPRoute keeps its external-dns annotation
    expect(ui.find(({ obj }) => obj.kind === 'HTTPRoute' && obj.metadata.name === 'argocd-server')!.obj.metadata.annotations['external-dns.alpha.kubernetes.io/hostname']).toBe('argocd.platform.acme.dev');
  });

  // Argo CD waits for each wave's objects to be healthy, and an object it counts Degraded (its built-in
  // checks for ExternalSecret, PushSecret and ApplicationSet) fails the sync at that wave: whatever waits
  // on another state or cluster goes after the catalog, so it never holds back cert-manager, the UI, ...
  it.each(['a platform with the Argo CD UI and team services', 'examples/aws', 'examples/azure'])('%s: what waits on another state or cluster is in the wave after the catalog\'s; the management outputs, which catalog templates read, before', (name) => {
    const files = outputs.get(name)!;
    const wave = (obj: any) => Number(obj.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
    const objs = objectsOf(files).filter(({ file }) => file.startsWith('clusters/'));
    const catalogSets = objs.filter(({ file, obj }) => file.startsWith('clusters/') && obj.kind === 'ApplicationSet' && !obj.metadata.labels?.tenant);
    expect(catalogSets.length).toBeGreaterThan(0);
    const lastCatalogWave = Math.max(...catalogSets.map(({ obj }) => wave(obj)));
    const firstCatalogWave = Math.min(...catalogSets.map(({ obj }) => wave(obj)));
    const waiting = objs.filter(({ obj }) => (obj.kind === 'ExternalSecret' && obj.metadata.name.startsWith('cluster-') && !obj.metadata.name.endsWith('-outputs'))
      || obj.kind === 'PushSecret' || (obj.kind === 'ApplicationSet' && obj.metadata.labels?.tenant));
    expect(waiting.map(({ obj }) => obj.kind)).toEqual(expect.arrayContaining(['ExternalSecret', 'PushSecret']));
    for (const { file, obj } of waiting) expect(wave(obj), file).toBeGreaterThan(lastCatalogWave);
    for (const { file, obj } of objs.filter(({ obj }) => obj.kind === 'ExternalSecret' && obj.metadata.name.endsWith('-outputs'))) expect(wave(obj), file).toBeLessThanOrEqual(firstCatalogWave);
  });

  it('catalog manifests of another chart\'s API group skip the dry run; those of the entry\'s own chart and of core groups are left alone', () => {
    const files = outputs.get('a platform with the Argo CD UI and team services')!;
    const get = (f: string) => parse(files.get(f)!);
    expect(syncOptionsOf(get('catalog/envoy-gateway/manifests/all/certificate-public-apps-tls.yaml'))).toContain(SKIP_DRY_RUN);
    expect(syncOptionsOf(get('catalog/kube-prometheus-stack/manifests/all/externalsecret-grafana-admin.yaml'))).toContain(SKIP_DRY_RUN);
    // the Gateway comes with the same chart as its CRDs (Argo CD orders a CRD before its objects in one sync)
    expect(get('catalog/envoy-gateway/manifests/all/gateway-public.yaml').metadata.annotations?.['argocd.argoproj.io/sync-options']).toBeUndefined();
    expect(get('catalog/cert-manager/manifests/all/clusterissuer-letsencrypt-production.yaml').metadata.annotations?.['argocd.argoproj.io/sync-options']).toBeUndefined();
  });

  it('an entry manifest\'s own sync options are kept: the skip is added to them', () => {
    const platform = awsPlatform();
    awsMgmt(platform);
    new ServiceCatalogEntry(platform, 'certs', {
      namespace: 'certs', targets: ClusterSelector.clusters(['mgmt']),
      manifests: [
        { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'a', namespace: 'certs', annotations: { 'argocd.argoproj.io/sync-options': 'Replace=true' } }, spec: { secretName: 'a', dnsNames: ['a.acme.dev'], issuerRef: { kind: 'ClusterIssuer', name: 'x' } } },
        { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'b', namespace: 'certs', annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=false' } }, spec: { secretName: 'b', dnsNames: ['b.acme.dev'], issuerRef: { kind: 'ClusterIssuer', name: 'x' } } },
      ],
    });
    Catalog.certManager(platform, { targets: ClusterSelector.clusters(['mgmt']) });
    const files = platform.render();
    expect(parse(files.get('catalog/certs/manifests/all/certificate-a.yaml')!).metadata.annotations['argocd.argoproj.io/sync-options']).toBe(`Replace=true,${SKIP_DRY_RUN}`);
    // an explicit choice of the option is the author's
    expect(parse(files.get('catalog/certs/manifests/all/certificate-b.yaml')!).metadata.annotations['argocd.argoproj.io/sync-options']).toBe('SkipDryRunOnMissingResource=false');
  });
});

describe('the platform converges by retries, not by gating waves on Applications\' health', () => {
  it('the retry is one constant; no health check of Applications is added to any Argo CD', () => {
    expect(argoCdTypes.DEFAULT_SYNC_RETRY).toEqual(DEFAULT_SYNC_RETRY);
    // with Argo CD's app-of-apps health check, the root (which manages its own Application and the
    // tenants' ones in wave 0) would wait on its own health and on every tenant's: one Degraded
    // tenant Application, or the root itself, would hold every later wave of the platform
    for (const [name, files] of outputs) {
      const values = [...objectsOf(files).filter(({ obj }) => obj.kind === 'Application')
        .flatMap(({ obj }) => (obj.spec.sources ?? [obj.spec.source]).filter((s: any) => s?.chart === 'argo-cd').map((s: any) => s.helm.valuesObject)), ...bootstrapArgoCdValues(files)];
      expect(values.length, name).toBeGreaterThan(0);
      for (const v of values) expect(Object.keys(v.configs.cm).filter((k) => k.startsWith('resource.customizations.health.argoproj.io')), name).toEqual([]);
    }
  });
});

const missingTools = chartToolsMissing();
if (missingTools) console.log(`skipping the first-sync tests through the real helm: ${missingTools}`);

describe.skipIf(missingTools)('through the real helm and the upstream charts (CRDs as the charts install them)', () => {
  const rendered = new Map<string, RenderedApplication[]>();
  const names = ['examples/aws', 'a platform with the Argo CD UI and team services'];

  beforeAll(async () => {
    const c = preparedCharts();
    for (const name of names) {
      rendered.set(name, await renderApplications(outputs.get(name)!, { helm: helmBinary(), chartsDir: c.chartsDir, standIns: c.standIns, cacheDir: CACHE_DIR }));
    }
  }, 600_000);

  it.each(names)('%s: every object of the repository whose CRD another Application\'s chart installs on its cluster skips the dry run', (name) => {
    const apps = rendered.get(name)!;
    // group/kind -> the Applications installing its CRD, per cluster
    const installers = new Map<string, Set<string>>();
    for (const r of apps) {
      for (const { object } of r.objects) {
        if (object?.kind !== 'CustomResourceDefinition' || !object.spec?.group) continue;
        const key = `${r.application.cluster}\n${object.spec.group}/${object.spec.names?.kind}`;
        (installers.get(key) ?? installers.set(key, new Set()).get(key)!).add(r.application.name);
      }
    }
    expect(installers.size).toBeGreaterThan(10);
    const checked: string[] = [];
    const missing: string[] = [];
    for (const r of apps) {
      // the library's objects (from this repository), not the chart's
      for (const { object, origin } of r.objects.filter((o) => /^(clusters|catalog|tenants)\//.test(o.origin))) {
        const group = groupOf(String(object?.apiVersion ?? ''));
        // Argo CD's own CRDs are installed by the Terraform bootstrap, before any Application
        if (group === 'argoproj.io') continue;
        const by = installers.get(`${r.application.cluster}\n${group}/${object.kind}`);
        if (!by || by.has(r.application.name)) continue;
        checked.push(`${r.application.name}: ${object.kind}`);
        if (!syncOptionsOf(object).includes(SKIP_DRY_RUN)) missing.push(`${r.application.name}: ${origin} (${object.apiVersion} ${object.kind}, CRD from ${[...by].join(', ')})`);
      }
    }
    expect(checked.length).toBeGreaterThan(3);
    expect(missing).toEqual([]);
  });
});
