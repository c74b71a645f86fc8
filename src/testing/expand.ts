/* eslint-disable @typescript-eslint/no-explicit-any -- parsed YAML of any shape: the expansion checks what it reads */
import { parse } from 'yaml';
import { GoTemplateError, renderGoTemplate, renderGoTemplateDeep } from './go-template';

/** A cluster as an ApplicationSet cluster generator sees it. */
export interface GeneratorCluster {
  /** Argo CD cluster name. */
  readonly name: string;
  /** API server URL. */
  readonly server?: string;
  /** Labels of the cluster Secret. */
  readonly labels: Record<string, string>;
  /** Annotations of the cluster Secret. */
  readonly annotations?: Record<string, string>;
}

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Which generator of an ApplicationSet produced an Application, and with which selector. */
export interface GeneratorOrigin {
  /** Index of the top-level generator in `spec.generators`. */
  readonly index: number;
  /** The generator kind (`clusters`, `list`, `matrix`, `merge`). */
  readonly kind: string;
  /** The cluster generator's label selector that matched, when a cluster generator was involved. */
  readonly selector?: Selector;
}

/** One Application an ApplicationSet generates, with where it came from. */
export interface GeneratedApplication {
  /** The Application (plain object). */
  readonly application: any;
  /** The generator that produced it. */
  readonly origin: GeneratorOrigin;
}

/** True when a label selector (Kubernetes semantics) selects these labels. */
export function selectorMatches(selector: Selector | undefined, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) if (labels[k] !== v) return false;
  return (selector?.matchExpressions ?? []).every((e) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In': return has && (e.values ?? []).includes(labels[e.key]);
      case 'NotIn': return !has || !(e.values ?? []).includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: throw new GoTemplateError(`unsupported selector operator "${e.operator}"`);
    }
  });
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const base = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete base[k];
    else base[k] = mergePatch(base[k], v);
  }
  return base;
}

/**
 * The platform repository as a git generator sees it: its URL, the revision Argo CD
 * tracks, and the folders it holds. Git generators may only read this repository.
 */
export interface GitRepositoryView {
  /** Clone URL. */
  readonly url: string;
  /** The revision Argo CD tracks. */
  readonly revision: string;
  /** The sub-folders (repository-relative paths, sorted) of a repository folder. */
  subdirectories(folder: string): string[];
}

/** Parameters of one generated element, with the selector that let it through (internal). */
interface Params {
  readonly params: Record<string, unknown>;
  readonly selector?: Selector;
}

/** One parameter set per cluster the generator selects. */
function clusterParams(generator: any, clusters: readonly GeneratorCluster[]): Params[] {
  const g = generator.clusters ?? {};
  return clusters.filter((c) => selectorMatches(g.selector, c.labels)).map((c) => ({
    selector: g.selector ?? {},
    params: {
      name: c.name,
      nameNormalized: c.name,
      server: c.server ?? `https://${c.name}.cluster.invalid`,
      metadata: { labels: { ...c.labels }, annotations: { ...c.annotations } },
      values: { ...(g.values ?? {}) },
    },
  }));
}

function valueAt(params: Record<string, unknown>, key: string): unknown {
  let cur: unknown = params;
  for (const part of key.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/**
 * A git directories generator over the platform repository: one parameter set per
 * folder that matches (a literal path, or `<folder>/*` for its sub-folders), minus the
 * excluded ones. Other repositories, the files generator and other globs are errors.
 */
function gitParams(appSet: string, g: any, repo: GitRepositoryView | undefined): Params[] {
  if (!repo || g.repoURL !== repo.url || (g.revision ?? 'HEAD') !== repo.revision) {
    throw new GoTemplateError(`ApplicationSet ${appSet}: a git generator reading ${g.repoURL}@${g.revision ?? 'HEAD'} can only be expanded for the platform repository at the revision Argo CD tracks`);
  }
  if (g.files || !Array.isArray(g.directories)) throw new GoTemplateError(`ApplicationSet ${appSet}: only the git directories generator is supported`);
  const matching = (pattern: string): string[] => {
    const p = String(pattern).replace(/\/+$/, '');
    if (p.endsWith('/*') && !p.slice(0, -2).includes('*')) return repo.subdirectories(p.slice(0, -2)).map((d) => `${p.slice(0, -2)}/${d}`);
    if (!/[*?[\]{}]/.test(p)) return repo.subdirectories(p.split('/').slice(0, -1).join('/')).includes(p.split('/').pop()!) ? [p] : [];
    throw new GoTemplateError(`ApplicationSet ${appSet}: git directories path "${pattern}" is not supported (a literal folder or "<folder>/*")`);
  };
  const include = new Set<string>();
  const exclude = new Set<string>();
  for (const d of g.directories) for (const m of matching(d.path)) (d.exclude ? exclude : include).add(m);
  return [...include].filter((d) => !exclude.has(d)).sort().map((d) => {
    const segments = d.split('/');
    const basename = segments[segments.length - 1];
    return { params: { path: { path: d, basename, basenameNormalized: basename.toLowerCase().replace(/[^a-z0-9-.]/g, '-'), segments }, values: { ...(g.values ?? {}) } } };
  });
}

function generatorParams(appSet: string, gen: any, clusters: readonly GeneratorCluster[], depth: number, repo?: GitRepositoryView): Params[] {
  if (gen.selector) throw new GoTemplateError(`ApplicationSet ${appSet}: generator post-selectors are not supported`);
  if (gen.clusters) return clusterParams(gen, clusters);
  if (gen.git) return gitParams(appSet, gen.git, repo);
  if (gen.list) {
    if (gen.list.elementsYaml) throw new GoTemplateError(`ApplicationSet ${appSet}: list generator elementsYaml is not supported`);
    return (gen.list.elements ?? []).map((e: Record<string, unknown>) => ({ params: { ...e } }));
  }
  if (gen.matrix) {
    if (depth > 0) throw new GoTemplateError(`ApplicationSet ${appSet}: a matrix or merge generator nested in another is not supported`);
    const children = gen.matrix.generators ?? [];
    if (children.length !== 2) throw new GoTemplateError(`ApplicationSet ${appSet}: a matrix generator needs exactly two child generators, got ${children.length}`);
    const [a, b] = children.map((c: any) => generatorParams(appSet, c, clusters, depth + 1, repo));
    const out: Params[] = [];
    for (const x of a) {
      for (const y of b) {
        const clash = Object.keys(y.params).find((k) => k in x.params && k !== 'values' && JSON.stringify(x.params[k]) !== JSON.stringify(y.params[k]));
        if (clash) throw new GoTemplateError(`ApplicationSet ${appSet}: the matrix children both set the parameter "${clash}" differently`);
        const values = { ...(x.params.values as object), ...(y.params.values as object) };
        out.push({ params: { ...x.params, ...y.params, values }, selector: x.selector ?? y.selector });
      }
    }
    return out;
  }
  if (gen.merge) {
    if (depth > 0) throw new GoTemplateError(`ApplicationSet ${appSet}: a matrix or merge generator nested in another is not supported`);
    const keys: string[] = gen.merge.mergeKeys ?? [];
    if (keys.length === 0) throw new GoTemplateError(`ApplicationSet ${appSet}: a merge generator needs mergeKeys`);
    const [base, ...rest] = (gen.merge.generators ?? []).map((c: any) => generatorParams(appSet, c, clusters, depth + 1, repo)) as Params[][];
    const id = (p: Record<string, unknown>) => JSON.stringify(keys.map((k) => valueAt(p, k)));
    return (base ?? []).map((b) => {
      let params = b.params;
      for (const other of rest) {
        const match = other.find((o) => id(o.params) === id(params));
        if (match) params = mergePatch(params, match.params) as Record<string, unknown>;
      }
      return { params, selector: b.selector };
    });
  }
  throw new GoTemplateError(`ApplicationSet ${appSet}: unsupported generator ${Object.keys(gen).join(', ')}`);
}

/**
 * Expands an ApplicationSet offline and says which generator produced each
 * Application. See {@link expandApplicationSet} for what is supported.
 */
export function expandApplicationSetWithOrigin(appSet: any, clusters: readonly GeneratorCluster[], repo?: GitRepositoryView): GeneratedApplication[] {
  const spec = appSet.spec;
  const name = appSet.metadata?.name;
  if (spec.goTemplate !== true) throw new GoTemplateError(`ApplicationSet ${name}: only goTemplate: true is supported`);
  const generated: { p: Params; origin: GeneratorOrigin }[] = [];
  (spec.generators ?? []).forEach((gen: any, index: number) => {
    const kind = Object.keys(gen).find((k) => k !== 'selector') ?? 'unknown';
    for (const p of generatorParams(name, gen, clusters, 0, repo)) generated.push({ p, origin: { index, kind, ...(p.selector ? { selector: p.selector } : {}) } });
  });
  // many elements render the same patch text (one per environment): parse each text once
  const patches = new Map<string, unknown>();
  const patchFor = (text: string): unknown => {
    if (!patches.has(text)) patches.set(text, parse(text));
    return structuredClone(patches.get(text));
  };
  const apps = generated.map(({ p, origin }) => {
    let app = renderGoTemplateDeep(spec.template, p.params) as any;
    if (spec.templatePatch) app = mergePatch(app, patchFor(renderGoTemplate(spec.templatePatch, p.params)));
    return { application: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { namespace: appSet.metadata.namespace, ...app.metadata }, spec: app.spec }, origin };
  });
  const seen = new Set<string>();
  const dup = apps.map((a) => a.application.metadata.name as string).find((n) => seen.size === seen.add(n).size);
  if (dup) throw new GoTemplateError(`ApplicationSet ${name} generates two Applications named "${dup}" (a cluster matched by two generators)`);
  return apps;
}

/**
 * Expands an ApplicationSet offline, as the ApplicationSet controller would, against
 * the given clusters. Supports what this library emits and a little more: cluster
 * generators (label selectors with matchLabels and matchExpressions, `values`), list
 * generators, matrix (two children) and merge generators (one level), Go templates with
 * `missingkey=error`, and `templatePatch`. Anything else throws a {@link GoTemplateError}.
 */
export function expandApplicationSet(appSet: any, clusters: readonly GeneratorCluster[]): any[] {
  return expandApplicationSetWithOrigin(appSet, clusters).map((a) => a.application);
}
