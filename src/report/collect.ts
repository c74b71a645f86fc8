import { IConstruct } from 'constructs';
import { Problem } from '../core/errors';
import { ServiceCatalogEntry } from '../catalog/service-catalog-entry';
import { ClusterBase } from '../cluster/cluster-base';
import { FleetCluster } from '../cluster/fleet-cluster';
import { targetableClusters } from '../graph/targetable';
import { ManagementCluster } from '../cluster/management-cluster';
import type { Platform } from '../platform';
import { parse } from 'yaml';
import { APPSET_FILE, expandInput, ExpansionInput, readPlatformData } from '../testing/applications';
import { sharedExpansions } from '../testing/expand';
import { TenantVCluster } from '../tenant/tenant-vcluster';
import { identityOutputNames } from '../cluster/addon-identities';
import { ApplicationSetData, CatalogEntryData, ClusterData, ClusterRole, outputPlaceholder, PLATFORM_JSON, PLATFORM_JSON_SCHEMA_VERSION, PlatformData } from './platform-data';
import { compareCodeUnits } from '../core/order';

function sortedRecord(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => compareCodeUnits(a, b)));
}


/**
 * The expansion's input for the rendered ApplicationSets (as `expansionInput` reads it): the
 * objects the render still holds, parsed back from their text only when it holds none.
 */
function applicationSetInput(files: ReadonlyMap<string, string>, parsed?: ReadonlyMap<string, unknown>): ExpansionInput {
  const data = readPlatformData(files);
  const applicationSets: ExpansionInput['applicationSets'][number][] = [];
  for (const [file, text] of files) {
    const set = APPSET_FILE.exec(file);
    if (!set) continue;
    const object = (parsed?.has(file) ? parsed.get(file) : parse(text)) as { kind?: unknown } | null | undefined;
    if (object?.kind === 'ApplicationSet') applicationSets.push({ file, management: set[1], object });
  }
  return { repository: data.repository, clusters: data.clusters, applicationSets, applications: [] };
}

/**
 * Builds the data of `platform.json` from the model and the rendered files, in one
 * pass over the platform's constructs; the matrix comes from the offline expansion of
 * the rendered ApplicationSets, so it is exactly what Argo CD would generate.
 */
export function collectPlatformData(platform: Platform, files: ReadonlyMap<string, string>, warnings: readonly Problem[], parsed?: ReadonlyMap<string, unknown>,
  kept: readonly ApplicationSetData[] = []): PlatformData {
  const clusters: ClusterData[] = [];
  const entries: ServiceCatalogEntry[] = [];
  const tenants: TenantVCluster[] = [];
  const declared = new Set<string>();
  for (const c of platform._all() as IConstruct[]) {
    if (c instanceof ServiceCatalogEntry) entries.push(c);
    else if (c instanceof TenantVCluster) tenants.push(c);
    else if (c instanceof ClusterBase) {
      declared.add(c.name);
      const fleet = c instanceof FleetCluster ? c : undefined;
      const annotations = fleet
        ? { ...fleet.annotations, ...Object.fromEntries(Object.keys(fleet.outputs).map((o) => [o, outputPlaceholder(o)])) }
        : Object.fromEntries(identityOutputNames(c).map((o) => [o, outputPlaceholder(o)]));
      clusters.push({
        name: c.name,
        role: c instanceof ManagementCluster ? ClusterRole.MANAGEMENT : ClusterRole.FLEET,
        environment: c.environment,
        cloud: c.cloud.provider,
        region: c.cloud.region,
        kubernetesVersion: c.cloud.kubernetesVersion,
        management: fleet ? fleet.management.name : c.name,
        labels: sortedRecord(c.labels),
        annotations: sortedRecord(annotations),
      });
    }
  }
  for (const t of tenants) {
    const management = t.host instanceof FleetCluster ? t.host.management.name : t.host.name;
    declared.add(t.clusterName);
    clusters.push({
      name: t.clusterName, role: ClusterRole.TENANT, environment: t.environment, management, host: t.host.name, namespace: t.namespace,
      labels: sortedRecord(t.labels), annotations: {},
    });
  }
  for (const c of targetableClusters(platform._graph())) {
    if (declared.has(c.name)) continue;
    // what its cluster Secret is declared to carry: its labels, and its outputs as annotations
    const annotations = Object.fromEntries((c.outputs ?? []).map((o) => [o, outputPlaceholder(o)]));
    clusters.push({ name: c.name, role: ClusterRole.IMPORTED, ...(c.environment ? { environment: c.environment } : {}), labels: sortedRecord(c.labels), annotations: sortedRecord(annotations) });
  }
  const envs = platform.environments;
  const catalog: CatalogEntryData[] = entries.map((e) => ({
    name: e.name,
    ...(e.chart ? { chart: { repoURL: e.chart.repoURL, chart: e.chart.chart, version: e.chart.version } } : {}),
    namespace: e.namespace,
    project: e.project,
    versions: Object.fromEntries(envs.map((env) => [env, e.versionFor(env)])),
    syncWave: e.syncWave,
    dependsOn: e.dependencies.map((d) => d.name),
    ...(e.policyExceptions.length ? { policyExceptions: e.policyExceptions } : {}),
  }));
  const base = {
    schemaVersion: PLATFORM_JSON_SCHEMA_VERSION,
    generator: 'cdk8s-gitops-platform',
    repository: { ...platform.repository },
    domain: platform.domain,
    environments: envs,
    secretStore: { kind: platform.secretStore.kind },
    clusters,
    catalog,
  };
  // the expansion reads the rendered ApplicationSets (no Applications needed for the matrix)
  const appSetFiles = new Map<string, string>();
  for (const [f, text] of files) if (f.includes('/applicationset-')) appSetFiles.set(f, text);
  appSetFiles.set(PLATFORM_JSON, JSON.stringify({ ...base, applicationSets: [], matrix: {}, warnings: [] }));
  const input = applicationSetInput(appSetFiles, parsed);
  // a kept unit's ApplicationSets generate no catalog entry's Applications: they are listed, not expanded
  const applicationSets = [...input.applicationSets.map((s) => ({ name: s.object.metadata.name as string, namespace: s.object.metadata.namespace as string, management: s.management, file: s.file })), ...kept]
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const apps = expandInput({ ...input, applications: [] }, files, { values: false, ...(parsed ? { _expansions: sharedExpansions(parsed) } : {}) });
  const matrix: Record<string, Record<string, string>> = {};
  for (const a of apps) {
    if (!a.catalogEntry || !a.chart) continue;
    (matrix[a.cluster] ??= {})[a.catalogEntry] = a.chart.version;
  }
  return {
    ...base,
    applicationSets,
    matrix,
    warnings: warnings.map((w) => ({ path: w.path, message: w.message })),
  };
}
