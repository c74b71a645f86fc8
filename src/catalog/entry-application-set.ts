import { ApiObjectProps } from 'cdk8s';
import { ARGOCD_API_VERSION, ARGOCD_NAMESPACE, DEFAULT_SYNC_RETRY, SKIP_DRY_RUN, withSyncOption } from '../argocd/types';
import { fail, messages } from '../core/errors';
import { targetableClusters } from '../graph/targetable';
import { toYaml } from '../synth/yaml';
import { SelectorOperator } from './cluster-selector';
import { SplitValues } from './entry-values';
import { servedByAnotherChart } from './implied-dependencies';
import type { ManifestObject, ServiceCatalogEntryProps } from './service-catalog-entry-props';
import type { ServiceCatalogEntry } from './service-catalog-entry';
import { TemplateActionError, templatePatch } from './template-patch';

/**
 * What a catalog entry renders: its files (`catalog/<name>/`), the ApplicationSet of its
 * management cluster's folder (generators, sources, `templatePatch`) and its own AppProject.
 * Pure functions of the entry and its checked props; the entry's `_files()`,
 * `_applicationSet()`, `_generators()` and `_appProject()` call them.
 */

const PART_OF = 'platform-catalog';

/** The entry with the parts of it the rendering reads (its props, as checked, and its split values). */
export interface EntryParts {
  readonly entry: ServiceCatalogEntry;
  readonly props: ServiceCatalogEntryProps;
  readonly split: SplitValues;
}

function folder(e: EntryParts): string {
  return `catalog/${e.entry.name}`;
}

function repoPath(e: EntryParts, rel: string): string {
  return [e.entry.platform.repository.path, rel].filter((s) => s !== '').join('/');
}

/** The objects of one environment: its own list, else the common one. */
export function manifestsFor(props: ServiceCatalogEntryProps, env: string): ManifestObject[] | undefined {
  return props.environmentManifests?.[env] ?? props.manifests;
}

/** The files the entry writes, relative to the output root. */
export function entryFiles(e: EntryParts): Map<string, string> {
  const { props, split } = e;
  const files = new Map<string, string>();
  const yaml = (v: unknown) => toYaml(v);
  if (Object.keys(split.static).length) files.set(`${folder(e)}/values.yaml`, yaml(split.static));
  for (const [env, v] of Object.entries(props.environmentValues ?? {})) if (Object.keys(v).length) files.set(`${folder(e)}/env/${env}.yaml`, yaml(v));
  for (const [c, v] of Object.entries(props.clusterValues ?? {})) if (Object.keys(v).length) files.set(`${folder(e)}/clusters/${c}.yaml`, yaml(v));
  const put = (dir: string, objs: ManifestObject[]) => {
    // kind and name name the file; the namespace too when another object has the same kind and name
    const count = new Map<string, number>();
    for (const o of objs) count.set(`${o.kind.toLowerCase()}-${o.metadata.name}`, (count.get(`${o.kind.toLowerCase()}-${o.metadata.name}`) ?? 0) + 1);
    for (const o of objs) {
      const base = `${o.kind.toLowerCase()}-${o.metadata.name}`;
      const file = `${dir}/${count.get(base)! > 1 && o.metadata.namespace ? `${base}.${o.metadata.namespace}` : base}.yaml`;
      if (files.has(file)) fail(e.entry.node.path, messages.duplicateOutputPath(file, [`${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name} and another ${o.kind} of that name`]));
      files.set(file, yaml(withDryRunSkipped(e, o)));
    }
  };
  if (props.manifests?.length) put(`${folder(e)}/manifests/all`, props.manifests);
  for (const [env, objs] of Object.entries(props.environmentManifests ?? {})) put(`${folder(e)}/manifests/${env}`, objs);
  return files;
}

/**
 * The object as written: one whose API group another chart serves (its CRD comes with another
 * entry's Application) skips the dry run, which would otherwise fail the entry's whole sync, the
 * chart included, until that CRD is there (the sync is retried: see `DEFAULT_SYNC_RETRY`).
 */
function withDryRunSkipped(e: EntryParts, o: ManifestObject): ManifestObject {
  if (!servedByAnotherChart(e.entry, o.apiVersion)) return o;
  return { ...o, metadata: { ...o.metadata, annotations: withSyncOption(o.metadata.annotations, SKIP_DRY_RUN) } };
}

function valueFiles(e: EntryParts, env: string, cluster?: string): string[] {
  const files = entryFiles(e);
  const candidates = [`${folder(e)}/values.yaml`, `${folder(e)}/env/${env}.yaml`, ...(cluster ? [`${folder(e)}/clusters/${cluster}.yaml`] : [])];
  return candidates.filter((f) => files.has(f)).map((f) => `$values/${repoPath(e, f)}`);
}

function manifestsPath(e: EntryParts, env: string): string {
  if (e.props.environmentManifests?.[env]?.length) return repoPath(e, `${folder(e)}/manifests/${env}`);
  return manifestsFor(e.props, env)?.length ? repoPath(e, `${folder(e)}/manifests/all`) : '';
}

/** The generators: one per environment, plus one per cluster with its own values. */
export function entryGenerators(e: EntryParts): Record<string, unknown>[] {
  const { entry, props } = e;
  const envs = entry.targets.environments?.filter((x) => entry.platform.environments.includes(x)) ?? entry.platform.environments;
  const clustersWithValues = Object.keys(props.clusterValues ?? {}).filter((c) => Object.keys(props.clusterValues![c]).length);
  const envOf = new Map(targetableClusters(entry.platform._graph()).map((c) => [c.name, c.environment]));
  const gens: Record<string, unknown>[] = [];
  for (const env of envs) {
    const own = clustersWithValues.filter((c) => envOf.get(c) === env);
    gens.push({
      clusters: {
        selector: entry.targets.toSpec({ environment: env }, own.length ? [{ key: 'cluster_name', operator: SelectorOperator.NOT_IN, values: own }] : []),
        values: { version: entry.versionFor(env), valueFiles: valueFiles(e, env).join(','), manifestsPath: manifestsPath(e, env) },
      },
    });
    for (const c of own) {
      gens.push({
        clusters: {
          selector: entry.targets.toSpec({ environment: env, cluster_name: c }),
          values: { version: entry.versionFor(env), valueFiles: valueFiles(e, env, c).join(','), manifestsPath: manifestsPath(e, env) },
        },
      });
    }
  }
  return gens;
}

/** The `templatePatch`, built as data; a value that would become a template action is the library's error. */
function entryTemplatePatch(e: EntryParts, chartSource: Record<string, unknown>, releaseName: string, valuesObject: Record<string, unknown> | undefined): string {
  const expressions = ['{{ .values.version }}', ...new Set(e.split.templates)];
  try {
    return templatePatch({ chartSource, releaseName, valuesObject, repository: e.entry.platform.repository, expressions });
  } catch (err) {
    if (!(err instanceof TemplateActionError)) throw err;
    return fail(e.entry.node.path, messages.templateDelimiters('values, releaseName, chart or repository', err.action));
  }
}

/** The ApplicationSet (plain object) for a management cluster's folder. */
export function entryApplicationSet(e: EntryParts): ApiObjectProps {
  const { entry, props, split } = e;
  const repo = entry.platform.repository;
  if (!entry.chart) {
    // a manifest-only entry: one directory source, this repository's manifests folder
    return applicationSetOf(e, '.', { source: { repoURL: repo.url, targetRevision: repo.revision, path: '{{ .values.manifestsPath }}', directory: { recurse: true } } });
  }
  const chartSource = { ...entry.chart._source(), targetRevision: '{{ .values.version }}' };
  const release = props.releaseName ?? entry.name;
  const templated = Object.keys(split.templated).length ? split.templated : undefined;
  // the entry's value files and manifests, from the repository root: a commit elsewhere does not refresh it
  return applicationSetOf(e, `/${repoPath(e, folder(e))}`,
    { sources: [{ ...chartSource, helm: { releaseName: release } }, { repoURL: repo.url, targetRevision: repo.revision, ref: 'values' }] },
    entryTemplatePatch(e, chartSource, release, templated));
}

/** The ApplicationSet around the Applications' sources, the same for chart and manifest-only entries. */
function applicationSetOf(e: EntryParts, generatePaths: string, sources: Record<string, unknown>, patch?: string): ApiObjectProps {
  const { entry, props } = e;
  const spec: Record<string, unknown> = {
    goTemplate: true,
    goTemplateOptions: ['missingkey=error'],
    generators: entryGenerators(e),
    syncPolicy: { preserveResourcesOnDeletion: true },
    template: {
      metadata: {
        name: `{{ .name }}-${entry.name}`,
        labels: { 'app.kubernetes.io/part-of': PART_OF, 'platform.catalog/entry': entry.name, 'environment': '{{ index .metadata.labels "environment" }}' },
        annotations: { 'argocd.argoproj.io/manifest-generate-paths': generatePaths },
      },
      spec: {
        project: entry.project,
        ...sources,
        destination: { name: '{{ .name }}', namespace: entry.namespace },
        syncPolicy: {
          ...(entry.progressiveSync ? {} : { automated: { prune: props.prune ?? false, selfHeal: true } }),
          syncOptions: syncOptions(props),
          // retried: an object whose CRD another entry installs fails until that entry has synced. RollingSync
          // starts each sync with the Application's retry (the ApplicationSet controller never retries a failed
          // one itself), 5 quick attempts without it
          retry: DEFAULT_SYNC_RETRY,
        },
      },
    },
    ...(patch === undefined ? {} : { templatePatch: patch }),
  };
  if (entry.progressiveSync) {
    const envs = entry.targets.environments?.filter((x) => entry.platform.environments.includes(x)) ?? entry.platform.environments;
    spec.strategy = { type: 'RollingSync', rollingSync: { steps: envs.map((x) => ({ matchExpressions: [{ key: 'environment', operator: 'In', values: [x] }] })) } };
  }
  return {
    apiVersion: ARGOCD_API_VERSION,
    kind: 'ApplicationSet',
    metadata: { name: entry.name, namespace: ARGOCD_NAMESPACE, annotations: { 'argocd.argoproj.io/sync-wave': String(entry.syncWave) } },
    spec,
  };
}

/** Argo CD sync options of the entry's Applications. */
function syncOptions(props: ServiceCatalogEntryProps): string[] {
  return [
    ...(props.createNamespace ?? true ? ['CreateNamespace=true'] : []),
    ...(props.serverSideApply ? ['ServerSideApply=true'] : []),
    ...(props.syncOptions ?? []),
  ];
}

/** The entry's own AppProject, when it asked for one. */
export function entryAppProject(e: EntryParts): ApiObjectProps | undefined {
  const { entry, props } = e;
  if (!props.ownProject) return undefined;
  return {
    apiVersion: ARGOCD_API_VERSION,
    kind: 'AppProject',
    metadata: { name: entry.name, namespace: ARGOCD_NAMESPACE },
    spec: {
      description: `Catalog entry ${entry.name}`,
      sourceRepos: [...(entry.chart ? [entry.chart.repoURL] : []), entry.platform.repository.url],
      destinations: entry.targetedClusters.map((name) => ({ name, namespace: entry.namespace })),
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    },
  };
}
