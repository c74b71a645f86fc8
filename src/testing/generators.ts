/* eslint-disable @typescript-eslint/no-explicit-any -- parsed YAML of any shape: the expansion checks what it reads */
/**
 * ApplicationSet generators evaluated offline, as Argo CD's ApplicationSet controller
 * (v3.x, `goTemplate: true`) evaluates them: cluster, list, git directories, matrix and
 * merge. Semantics and the upstream files they follow are listed in docs/testing.md.
 * @see https://github.com/argoproj/argo-cd/tree/master/applicationset/generators
 */
import { readGoYaml } from './go-yaml';
import { missingKeyOption, MissingKey, renderGoTemplate } from './go-template';
import { asStringMap, cloneGo, goCompare, GoTemplateError, isMap, isStringMap, sanitizeName } from './go-values';
import { LabelSelector, postSelectorMatches, selectorMatches, validateSelector } from './selector';
import { gitParams } from './generator-git';
import { failGenerator, templatedValues } from './generator-common';

export { failGenerator, templatedValues } from './generator-common';

export { pathMatch } from './generator-git';

/** A cluster as an ApplicationSet cluster generator sees it (its Argo CD cluster Secret). */
export interface GeneratorCluster {
  /** Argo CD cluster name. */
  readonly name: string;
  /**
   * API server URL.
   * @default `https://<name>.cluster.invalid` (a placeholder: unknown offline)
   */
  readonly server?: string;
  /**
   * The `project` of the cluster Secret.
   * @default '' (no project)
   */
  readonly project?: string;
  /** Labels of the cluster Secret (`argocd.argoproj.io/secret-type: cluster` is added). */
  readonly labels: Record<string, string>;
  /** Annotations of the cluster Secret. */
  readonly annotations?: Record<string, string>;
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
  /**
   * Every folder (repository-relative path) at or below `folder`, hidden ones included;
   * throws when the folder's contents are not known offline.
   */
  directories(folder: string): string[];
}

/** Parameters of one generated element, with the cluster selector that let it through (internal). */
export interface Params {
  readonly params: Record<string, unknown>;
  readonly selector?: LabelSelector;
}

/** What every generator needs: the ApplicationSet's name and options, the clusters and the repository. */
export interface GeneratorContext {
  readonly appSet: string;
  readonly missingKey: MissingKey;
  readonly options: readonly string[];
  readonly clusters: readonly GeneratorCluster[];
  readonly repo?: GitRepositoryView;
}

const IN_CLUSTER = 'https://kubernetes.default.svc';
const SECRET_TYPE = 'argocd.argoproj.io/secret-type';

/** The generator kinds in Argo CD's order (the fields of ApplicationSetGenerator). */
export const GENERATOR_KINDS = ['list', 'clusters', 'git', 'scmProvider', 'clusterDecisionResource', 'pullRequest', 'matrix', 'merge', 'plugin'];
const MODELLED = new Set(['list', 'clusters', 'git', 'matrix', 'merge']);


/**
 * The clusters whose Secret's labels (the cluster's, plus the secret type) the selector matches.
 * A selector that does not name the secret-type label is matched against the cluster's own
 * labels (same answer, without a copy of every cluster's labels per generator).
 */
function matchingClusters(clusters: readonly GeneratorCluster[], selector: LabelSelector): GeneratorCluster[] {
  const namesSecretType = Object.prototype.hasOwnProperty.call(selector.matchLabels ?? {}, SECRET_TYPE)
    || (selector.matchExpressions ?? []).some((e) => e.key === SECRET_TYPE);
  return clusters.filter((c) => selectorMatches(selector, namesSecretType || !isMap(c.labels) ? { ...c.labels, [SECRET_TYPE]: 'cluster' } : c.labels));
}

function clusterParams(ctx: GeneratorContext, g: any): Params[] {
  if (g.template && Object.keys(g.template).length > 0) failGenerator(ctx, 'a generator-level template is not modelled by the offline expansion; use spec.template and templatePatch');
  const selector: LabelSelector = g.selector ?? {};
  validateSelector(selector, `ApplicationSet ${ctx.appSet}: clusters.selector`);
  const nonEmpty = Object.keys(selector.matchLabels ?? {}).length > 0 || (selector.matchExpressions ?? []).length > 0;
  const out: Record<string, unknown>[] = [];
  const matched = matchingClusters(ctx.clusters, selector).map((c) => ({ ...c, labels: { ...c.labels, [SECRET_TYPE]: 'cluster' } }));
  for (const c of matched) {
    const metadata: Record<string, unknown> = {};
    if (c.annotations && Object.keys(c.annotations).length > 0) metadata.annotations = asStringMap({ ...c.annotations });
    metadata.labels = asStringMap({ ...c.labels });
    const params: Record<string, unknown> = {
      name: c.name, nameNormalized: sanitizeName(c.name), server: c.server ?? `https://${c.name}.cluster.invalid`, project: c.project ?? '', metadata,
    };
    templatedValues(ctx, 'clusters', g.values, params);
    out.push(params);
  }
  // the local cluster, when no Secret holds its credentials and the selector is empty
  if (!nonEmpty && !matched.some((c) => c.server === IN_CLUSTER)) {
    const params: Record<string, unknown> = { name: 'in-cluster', nameNormalized: 'in-cluster', server: IN_CLUSTER, project: '' };
    templatedValues(ctx, 'clusters', g.values, params);
    out.push(params);
  }
  if (g.flatList === true) return [{ params: { clusters: out }, selector }];
  return out.map((params) => ({ params, selector }));
}

function listParams(ctx: GeneratorContext, g: any): Params[] {
  if (g.template && Object.keys(g.template).length > 0) failGenerator(ctx, 'a generator-level template is not modelled by the offline expansion; use spec.template and templatePatch');
  const elements: unknown[] = [...(g.elements ?? [])];
  if (typeof g.elementsYaml === 'string' && g.elementsYaml !== '') {
    const parsed = yamlValue(ctx, g.elementsYaml, 'list.elementsYaml');
    if (parsed !== null && !Array.isArray(parsed)) failGenerator(ctx, 'error unmarshling decoded ElementsYaml: it is not a list');
    elements.push(...(parsed ?? []));
  }
  return elements.map((e) => {
    if (!isMap(e)) failGenerator(ctx, `error unmarshling list element: ${JSON.stringify(e)} is not an object`);
    return { params: cloneGo(e) };
  });
}

/** sigs.k8s.io/yaml reading of a generator's or patch's YAML. */
export function yamlValue(ctx: { appSet: string }, text: string, what: string): any {
  try {
    return readGoYaml(text, what);
  } catch (e) {
    throw new GoTemplateError(`ApplicationSet ${ctx.appSet}: ${(e as Error).message}`);
  }
}

/**
 * mergo.Merge(dst, src, mergo.WithOverride) (mergo v1.0.2) on parameter maps: a `null`
 * source value is set as nil, nested maps merge in place, everything else (lists
 * included) is replaced. Mixing a map[string]interface{} into a map[string]string makes
 * mergo panic in Argo CD; it is refused here.
 */
export function mergeOverride(ctx: { appSet: string }, dst: Record<string, unknown>, src: Record<string, unknown>): void {
  const stringDst = isStringMap(dst);
  const stringSrc = isStringMap(src);
  for (const [k, s] of Object.entries(src)) {
    if (stringDst && !stringSrc) failGenerator(ctx, `merging the map[string]interface{} parameter value "${k}" into a map[string]string parameter (cluster or generator values) is not modelled: Argo CD's merge panics on it`);
    const d = dst[k];
    if (isMap(s) && isMap(d)) {
      mergeOverride(ctx, d, s);
      if (Object.keys(d).length > 0) continue;
    }
    dst[k] = s;
  }
}

function nestedKinds(ctx: GeneratorContext, child: any, parent: string): string {
  const kinds = GENERATOR_KINDS.filter((k) => child?.[k] !== undefined && child?.[k] !== null);
  if (kinds.length === 0) failGenerator(ctx, `child generator generated no parameters (a ${parent} child names no generator)`);
  if (kinds.length > 1) failGenerator(ctx, `found more than one generator in ${parent}.Generators (${kinds.join(', ')})`);
  return kinds[0];
}

function matrixParams(ctx: GeneratorContext, g: any, depth: number): Params[] {
  if (g.template && Object.keys(g.template).length > 0) failGenerator(ctx, 'a generator-level template is not modelled by the offline expansion; use spec.template and templatePatch');
  const children: any[] = g.generators ?? [];
  if (children.length < 2) failGenerator(ctx, 'found less than two generators, Matrix support only two');
  if (children.length > 2) failGenerator(ctx, 'found more than two generators, Matrix support only two');
  const [first, second] = children;
  nestedKinds(ctx, first, 'matrix');
  nestedKinds(ctx, second, 'matrix');
  const out: Params[] = [];
  for (const a of childParams(ctx, first, depth)) {
    const interpolated = Object.keys(a.params).length > 0 ? interpolate(ctx, second, a.params) : second;
    for (const b of childParams(ctx, interpolated, depth)) {
      const tmp: Record<string, unknown> = {};
      mergeOverride(ctx, tmp, cloneGo(b.params));
      mergeOverride(ctx, tmp, cloneGo(a.params));
      out.push({ params: tmp, selector: a.selector ?? b.selector });
    }
  }
  return out;
}

/** The matrix's second child rendered with the first child's parameters (RenderGeneratorParams). */
export function interpolate(ctx: GeneratorContext, gen: any, params: Record<string, unknown>): any {
  const walk = (v: any, inValues: boolean): any => {
    if (typeof v === 'string') {
      if (!inValues) return renderGoTemplate(v, params, ctx.missingKey);
      // generator values are pre-resolved with missingkey=error; what is missing stays for the generator's own parameters
      try {
        return renderGoTemplate(v, params, 'error');
      } catch (e) {
        if (/map has no entry for key|can't evaluate field|nil data; no entry/.test((e as Error).message)) return v;
        throw e;
      }
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, false));
    if (isMap(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        if (x === null) continue;
        out[k.includes('{{') ? renderGoTemplate(k, params, ctx.missingKey) : k] = walk(x, false);
      }
      return out;
    }
    return v;
  };
  const withValues = ['clusters', 'git', 'scmProvider', 'clusterDecisionResource', 'pullRequest', 'plugin'];
  const out: Record<string, unknown> = {};
  for (const [kind, spec] of Object.entries(gen ?? {})) {
    if (!isMap(spec) || !withValues.includes(kind) || !isMap(spec.values)) {
      out[kind] = walk(spec, false);
      continue;
    }
    const { values, ...rest } = spec;
    out[kind] = { ...walk(rest, false), values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, walk(v, true)])) };
  }
  return out;
}

/** json.Marshal's key order (sorted), for merge keys. */
function goJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (isMap(v)) return `{${Object.keys(v).sort(goCompare).map((k) => `${JSON.stringify(k)}:${goJson(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

function mergeParams(ctx: GeneratorContext, g: any, depth: number): Params[] {
  if (g.template && Object.keys(g.template).length > 0) failGenerator(ctx, 'a generator-level template is not modelled by the offline expansion; use spec.template and templatePatch');
  const children: any[] = g.generators ?? [];
  if (children.length < 2) failGenerator(ctx, 'found less than two generators, Merge requires two or more');
  children.forEach((c) => nestedKinds(ctx, c, 'merge'));
  const sets = children.map((c) => childParams(ctx, c, depth));
  const keys: string[] = [...new Set<string>(g.mergeKeys ?? [])].sort(goCompare);
  if (keys.length === 0) failGenerator(ctx, 'no merge keys were specified, Merge requires at least one');
  const byKey = (ps: Params[]): Map<string, Params> => {
    const m = new Map<string, Params>();
    for (const p of ps) {
      const id = goJson(Object.fromEntries(keys.map((k) => [k, Object.prototype.hasOwnProperty.call(p.params, k) ? p.params[k] : null])));
      if (m.has(id)) failGenerator(ctx, `the parameters from a generator were not unique by the given mergeKeys, Merge requires all param sets to be unique. Duplicate key was ${id}`);
      m.set(id, p);
    }
    return m;
  };
  const base = byKey(sets[0]);
  const merged = new Map([...base].map(([id, p]) => [id, { params: cloneGo(p.params), selector: p.selector }]));
  for (const other of sets.slice(1)) {
    for (const [id, o] of byKey(other)) {
      const b = merged.get(id);
      if (b) mergeOverride(ctx, b.params, cloneGo(o.params));
    }
  }
  return [...merged.values()];
}

function childParams(ctx: GeneratorContext, child: any, depth: number): Params[] {
  const kind = nestedKinds(ctx, child, 'nested');
  if ((kind === 'matrix' || kind === 'merge') && depth >= 1) failGenerator(ctx, `a ${kind} generator nested two levels deep is not a valid ApplicationSet (Argo CD allows one level of nesting)`);
  return generatorParams(ctx, child, kind, depth + 1);
}

/** The parameter sets one generator kind of a generator entry produces, with its post-selector applied. */
export function generatorParams(ctx: GeneratorContext, gen: any, kind: string, depth = 0): Params[] {
  if (!MODELLED.has(kind)) failGenerator(ctx, `unsupported generator ${kind}`);
  let params: Params[];
  switch (kind) {
    case 'clusters': params = clusterParams(ctx, gen.clusters ?? {}); break;
    case 'list': params = listParams(ctx, gen.list ?? {}); break;
    case 'git': params = gitParams(ctx, gen.git ?? {}); break;
    case 'matrix': params = matrixParams(ctx, gen.matrix ?? {}, depth); break;
    default: params = mergeParams(ctx, gen.merge ?? {}, depth); break;
  }
  // a post-selector filters on the flattened parameters (nil: no filter; empty: everything)
  if (gen.selector) return params.filter((p) => postSelectorMatches(gen.selector, p.params, `ApplicationSet ${ctx.appSet}: ${kind} selector`));
  return params;
}

/** Validates the options once per ApplicationSet. */
export function contextFor(appSet: string, options: readonly string[] | undefined, clusters: readonly GeneratorCluster[], repo?: GitRepositoryView): GeneratorContext {
  return { appSet, missingKey: missingKeyOption(options), options: options ?? [], clusters, repo };
}
