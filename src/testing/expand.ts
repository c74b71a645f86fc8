/* eslint-disable @typescript-eslint/no-explicit-any -- parsed YAML of any shape: the expansion checks what it reads */
/**
 * The offline expansion of an ApplicationSet: Argo CD's `GenerateApplications`
 * (applicationset/controllers/template/template.go) for `goTemplate: true`.
 */
import { createHash } from 'node:crypto';
import { contextFor, GENERATOR_KINDS, GeneratorCluster, generatorParams, GeneratorContext, GitRepositoryView, yamlValue } from './generators';
import { renderGoTemplate, renderGoTemplateDeep } from './go-template';
import { GoTemplateError, isMap } from './go-values';
import { LabelSelector } from './selector';
import { checkListArg, checkObjectArg } from '../core/arguments';
import { mergePatch } from '../core/merge';
import { applicationDecodeError } from './application-types';

export type { GeneratorCluster, GitRepositoryView } from './generators';
export { selectorMatches } from './selector';

/** Which generator of an ApplicationSet produced an Application, and with which selector. */
export interface GeneratorOrigin {
  /** Index of the top-level generator in `spec.generators`. */
  readonly index: number;
  /** The generator kind (`clusters`, `list`, `git`, `matrix`, `merge`). */
  readonly kind: string;
  /** The cluster generator's label selector that matched, when a cluster generator was involved. */
  readonly selector?: LabelSelector;
}

/** One Application an ApplicationSet generates, with where it came from. */
export interface GeneratedApplication {
  /** The Application (plain object). */
  readonly application: any;
  /** The generator that produced it. */
  readonly origin: GeneratorOrigin;
}

/** Argo CD's `resources-finalizer.argocd.argoproj.io`, added unless the template sets finalizers or the set preserves resources. */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/**
 * Whether Argo CD deletes what an Application deployed when the Application is deleted: it holds
 * the resources finalizer, or its `/background` or `/foreground` form (Argo CD's CascadedDeletion).
 */
export function cascadesOnDeletion(application: { metadata?: { finalizers?: unknown[] } } | undefined): boolean {
  return (application?.metadata?.finalizers ?? []).some((f) => f === RESOURCES_FINALIZER || f === `${RESOURCES_FINALIZER}/background` || f === `${RESOURCES_FINALIZER}/foreground`);
}

/** Argo CD's RenderTemplateParams: the template's strings and map keys rendered, then the resources finalizer. */
function renderTemplate(ctx: GeneratorContext, template: any, params: Record<string, unknown>, syncPolicy: any): any {
  const meta = template?.metadata ?? {};
  // GetTempApplication: only these metadata fields of the template are used
  const tmpl: any = { metadata: {}, spec: template?.spec ?? {} };
  for (const k of ['name', 'namespace', 'labels', 'annotations', 'finalizers']) if (meta[k] !== undefined && meta[k] !== null) tmpl.metadata[k] = meta[k];
  // with no parameters at all, Argo CD returns the template as it is
  if (Object.keys(params).length === 0) return structuredClone(tmpl);
  const app = renderGoTemplateDeep(tmpl, params, ctx.missingKey);
  if (syncPolicy?.preserveResourcesOnDeletion !== true && !(app.metadata.finalizers?.length > 0)) app.metadata.finalizers = [RESOURCES_FINALIZER];
  return app;
}

function checkNoDirectives(ctx: GeneratorContext, v: unknown, path: string): void {
  if (Array.isArray(v)) v.forEach((x, i) => checkNoDirectives(ctx, x, `${path}[${i}]`));
  else if (isMap(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (k.startsWith('$')) throw new GoTemplateError(`ApplicationSet ${ctx.appSet}: the strategic merge patch directive "${k}" at ${path} of templatePatch is not modelled by the offline expansion`);
      checkNoDirectives(ctx, x, `${path}.${k}`);
    }
  }
}

/** Argo CD's applyTemplatePatch: the rendered patch (YAML or JSON) must be an Application; `spec.project` cannot change. */
function applyTemplatePatch(ctx: GeneratorContext, app: any, text: string, cache: Map<string, unknown>): any {
  if (!cache.has(text)) {
    let patch: unknown;
    if (text.trim().startsWith('{')) {
      try {
        patch = JSON.parse(text);
      } catch (e) {
        throw new GoTemplateError(`ApplicationSet ${ctx.appSet}: invalid templatePatch ${JSON.stringify(text)}: ${(e as Error).message}`);
      }
    } else patch = yamlValue(ctx, text, 'the rendered templatePatch');
    if (patch !== null && !isMap(patch)) {
      throw new GoTemplateError(`ApplicationSet ${ctx.appSet}: invalid templatePatch ${JSON.stringify(text.trim())}: json: cannot unmarshal ${Array.isArray(patch) ? 'array' : typeof patch} into Go value of type v1alpha1.Application`);
    }
    checkNoDirectives(ctx, patch, 'the root');
    // Argo CD decodes the patch into an Application first: a value of another type fails the ApplicationSet
    const decode = patch === null ? undefined : applicationDecodeError(patch as Record<string, unknown>);
    if (decode) throw new GoTemplateError(`ApplicationSet ${ctx.appSet}: invalid templatePatch ${JSON.stringify(text.trim())}: ${decode}`);
    for (const k of Object.keys(patch ?? {})) {
      if (!['apiVersion', 'kind', 'metadata', 'spec', 'status', 'operation'].includes(k)) throw new GoTemplateError(`ApplicationSet ${ctx.appSet}: templatePatch sets "${k}", which an Application does not have`);
    }
    cache.set(text, patch);
  }
  const patch = structuredClone(cache.get(text));
  if (patch === null) return app;
  const out = mergePatch(app, patch) as any;
  // a strategic merge patch against the Application type: ObjectMeta's finalizers merge (patchStrategy
  // "merge"), so a patch adds finalizers and never drops the resources finalizer the template got
  const finalizers = (patch as any).metadata?.finalizers;
  if (Array.isArray(finalizers) && Array.isArray(app.metadata?.finalizers)) out.metadata.finalizers = mergeScalarList(app.metadata.finalizers, finalizers);
  // Argo CD prevents templatePatch from changing the project
  const spec = isMap(out.spec) ? out.spec : (out.spec = {});
  if (app.spec?.project === undefined) delete spec.project;
  else spec.project = app.spec.project;
  return out;
}

/**
 * Kubernetes' strategic merge of a list of scalars with the `merge` strategy (apimachinery's
 * mergeSlice): the union without repeats, ordered as normalizeElementOrder orders it, the patch's
 * items in the patch's order with the original's other items put back before the first patch item
 * they precede in the original.
 */
function mergeScalarList(original: readonly unknown[], patch: readonly unknown[]): unknown[] {
  const merged = [...new Set([...original, ...patch])];
  const inPatch = merged.filter((x) => patch.includes(x)).sort((a, b) => patch.indexOf(a) - patch.indexOf(b));
  const serverOnly = merged.filter((x) => !patch.includes(x)).sort((a, b) => original.indexOf(a) - original.indexOf(b));
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < inPatch.length) {
    if (i >= serverOnly.length) out.push(inPatch[j++]);
    else if (j >= inPatch.length) out.push(serverOnly[i++]);
    else {
      const [l, r] = [original.indexOf(serverOnly[i]), original.indexOf(inPatch[j])];
      out.push(l >= 0 && r >= 0 && l < r ? serverOnly[i++] : inPatch[j++]);
    }
  }
  return out;
}

/**
 * Expands an ApplicationSet offline and says which generator produced each
 * Application. See {@link expandApplicationSet} for what is modelled.
 */
export function expandApplicationSetWithOrigin(appSet: any, clusters: readonly GeneratorCluster[], repo?: GitRepositoryView): GeneratedApplication[] {
  const spec = appSet.spec ?? {};
  const name = appSet.metadata?.name;
  if (spec.goTemplate !== true) throw new GoTemplateError(`ApplicationSet ${name}: only goTemplate: true is supported (the fasttemplate syntax is not modelled)`);
  const ctx = contextFor(name, spec.goTemplateOptions, clusters, repo);
  const generated: { params: Record<string, unknown>; origin: GeneratorOrigin }[] = [];
  (spec.generators ?? []).forEach((gen: any, index: number) => {
    const unknown = Object.keys(gen ?? {}).filter((k) => k !== 'selector' && !GENERATOR_KINDS.includes(k));
    if (unknown.length > 0) throw new GoTemplateError(`ApplicationSet ${name}: unsupported generator ${unknown.join(', ')}`);
    const kinds = GENERATOR_KINDS.filter((k) => gen[k] !== undefined && gen[k] !== null);
    if (kinds.length === 0) throw new GoTemplateError(`ApplicationSet ${name}: ApplicationSet ${name} contains unrecognized generators`);
    // a generator entry naming two kinds runs both (Argo CD's GetRelevantGenerators)
    for (const kind of kinds) {
      for (const p of generatorParams(ctx, gen, kind)) generated.push({ params: p.params, origin: { index, kind, ...(p.selector ? { selector: p.selector } : {}) } });
    }
  });
  const patches = new Map<string, unknown>();
  const apps = generated.map(({ params, origin }) => {
    let app = renderTemplate(ctx, spec.template, params, spec.syncPolicy);
    if (typeof spec.templatePatch === 'string') app = applyTemplatePatch(ctx, app, renderGoTemplate(spec.templatePatch, params, ctx.missingKey), patches);
    const metadata = { ...app.metadata, namespace: appSet.metadata?.namespace };
    if (metadata.namespace === undefined) delete metadata.namespace;
    return { application: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...app, metadata }, origin };
  });
  const seen = new Set<string>();
  const dup = apps.map((a) => a.application.metadata.name as string).find((n) => seen.size === seen.add(n).size);
  if (dup) throw new GoTemplateError(`ApplicationSet ${name} generates two Applications named "${dup}" (a cluster matched by two generators)`);
  return apps;
}

/**
 * Expands an ApplicationSet offline, as Argo CD's ApplicationSet controller would,
 * against the given clusters. Modelled exactly (see docs/testing.md): `goTemplate: true`
 * with `goTemplateOptions`, cluster generators (selectors, `values`, `flatList`, the
 * local cluster), list generators (`elements`, `elementsYaml`), matrix (with the second
 * child interpolated) and merge generators, `templatePatch`, and Go `text/template`
 * with the modelled functions. Anything else throws a {@link GoTemplateError} naming it.
 */
export function expandApplicationSet(appSet: any, clusters: readonly GeneratorCluster[]): any[] {
  // JavaScript callers may pass anything: the library's error naming the argument, not a TypeError
  checkObjectArg('expandApplicationSet', 'appSet', appSet, 'an ApplicationSet object (parsed YAML)');
  checkListArg('expandApplicationSet', 'clusters', clusters, '[{ name, server, labels }]');
  clusters.forEach((c, i) => checkObjectArg('expandApplicationSet', `clusters[${i}]`, c, '{ name, server, labels }'));
  return expandApplicationSetWithOrigin(appSet, clusters).map((a) => a.application);
}

/** What one expansion depended on besides its ApplicationSet object, and what it gave. */
interface MemoizedExpansion {
  readonly clusters: string;
  readonly url?: string;
  readonly revision?: string;
  /** The folders the git generators listed, with what the repository answered. */
  readonly directories: ReadonlyMap<string, string>;
  readonly result: GeneratedApplication[];
}

/**
 * @internal ApplicationSet expansions shared within one render pass: the report's matrix and
 * the AppProject check expand the same ApplicationSets (the same parsed objects, which nothing
 * changes during the pass) against the same clusters. An expansion is reused only for the same
 * object, clusters of the same content, and the same repository answers (URL, revision and every
 * folder its git generators listed); anything else is expanded again. A failed expansion is not kept.
 */
export class ExpansionMemo {
  private readonly done = new WeakMap<object, MemoizedExpansion[]>();
  private readonly fingerprints = new WeakMap<readonly GeneratorCluster[], string>();
  private readonly clusterHashes = new WeakMap<readonly GeneratorCluster[], string>();
  /** Expansions of an earlier synth, by {@link inputKey}; undefined: none are kept across synths. */
  private kept: ReadonlyMap<string, GeneratedApplication[]> | undefined;
  /** This pass's expansions that listed no folder of a repository, by {@link inputKey}. */
  private readonly made = new Map<string, GeneratedApplication[]>();

  /**
   * Reuses the expansions an earlier synth made of the very same inputs (an ApplicationSet of the
   * same JSON, clusters of the same content, the same repository URL and revision), and starts
   * collecting this pass's for the next synth ({@link keepable}). Only expansions that listed no
   * folder of a repository are kept: the others depend on the repository's content too.
   */
  public keepAcrossSynths(kept: ReadonlyMap<string, GeneratedApplication[]>): void {
    this.kept = kept;
  }

  /** This pass's expansions that a later synth may reuse (see {@link keepAcrossSynths}), by the hash of their input. */
  public get keepable(): ReadonlyMap<string, GeneratedApplication[]> {
    return this.made;
  }

  /** {@link expandApplicationSetWithOrigin}, reusing an earlier expansion of the same inputs. */
  public expand(appSet: any, clusters: readonly GeneratorCluster[], repo?: GitRepositoryView): GeneratedApplication[] {
    if (appSet === null || typeof appSet !== 'object') return expandApplicationSetWithOrigin(appSet, clusters, repo);
    const fingerprint = this.fingerprint(clusters);
    const prior = this.done.get(appSet) ?? [];
    const same = prior.find((p) => p.clusters === fingerprint && p.url === repo?.url && p.revision === repo?.revision
      && [...p.directories].every(([folder, answer]) => listing(repo!, folder) === answer));
    if (same) return same.result;
    const key = this.kept && this.inputKey(appSet, clusters, repo);
    const earlier = key !== undefined ? this.kept!.get(key) : undefined;
    if (key !== undefined && earlier) {
      this.done.set(appSet, [...prior, { clusters: fingerprint, url: repo?.url, revision: repo?.revision, directories: new Map(), result: earlier }]);
      this.made.set(key, earlier);
      return earlier;
    }
    const directories = new Map<string, string>();
    const recorded: GitRepositoryView | undefined = repo && {
      url: repo.url,
      revision: repo.revision,
      directories: (folder) => {
        const dirs = repo.directories(folder);
        directories.set(folder, JSON.stringify(dirs));
        return dirs;
      },
    };
    const result = expandApplicationSetWithOrigin(appSet, clusters, recorded);
    this.done.set(appSet, [...prior, { clusters: fingerprint, url: repo?.url, revision: repo?.revision, directories, result }]);
    if (key !== undefined && directories.size === 0) this.made.set(key, result);
    return result;
  }

  /** The hash of an expansion's whole input: the ApplicationSet's JSON, the clusters' content, the repository. */
  private inputKey(appSet: object, clusters: readonly GeneratorCluster[], repo?: GitRepositoryView): string {
    let c = this.clusterHashes.get(clusters);
    if (c === undefined) {
      c = createHash('sha256').update(this.fingerprint(clusters)).digest('hex');
      this.clusterHashes.set(clusters, c);
    }
    return createHash('sha256').update(JSON.stringify(appSet)).update(`\0${c}\0${repo?.url ?? ''}\0${repo?.revision ?? ''}`).digest('hex');
  }

  private fingerprint(clusters: readonly GeneratorCluster[]): string {
    let f = this.fingerprints.get(clusters);
    if (f === undefined) {
      f = JSON.stringify(clusters);
      this.fingerprints.set(clusters, f);
    }
    return f;
  }
}

/** A folder listing as an earlier expansion recorded it (a listing that now fails matches none). */
function listing(repo: GitRepositoryView, folder: string): string | undefined {
  try {
    return JSON.stringify(repo.directories(folder));
  } catch {
    return undefined;
  }
}

const shared = new WeakMap<object, ExpansionMemo>();

/** @internal The expansions shared by everything that reads the objects of one render pass (`scope`: its parsed objects). */
export function sharedExpansions(scope: object): ExpansionMemo {
  let memo = shared.get(scope);
  if (!memo) {
    memo = new ExpansionMemo();
    shared.set(scope, memo);
  }
  return memo;
}
