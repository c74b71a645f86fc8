/* eslint-disable @typescript-eslint/no-explicit-any -- parsed YAML of any shape: the expansion checks what it reads */
import { parse } from 'yaml';
import { inlineHelmValues, mergeHelmValueLayers, mergeHelmValues } from '../core/helm-values';
import { ClusterData, PLATFORM_JSON, PlatformData } from '../report/platform-data';
import { expandApplicationSetWithOrigin, ExpansionMemo, GeneratorCluster, GeneratorOrigin, GitRepositoryView } from './expand';
import { compareCodeUnits } from '../core/order';

/** Thrown when an output tree cannot be expanded faithfully (never a silent wrong answer). */
export class ExpansionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpansionError';
  }
}

/** One Application Argo CD would run, after expanding every ApplicationSet of the output. */
export interface ExpandedApplication {
  /** Application name. */
  readonly name: string;
  /** The cluster it deploys to (its destination's cluster name). */
  readonly cluster: string;
  /** The management cluster whose Argo CD runs it. */
  readonly managedBy: string;
  /** Its AppProject. */
  readonly project: string;
  /** The destination namespace, when set. */
  readonly namespace?: string;
  /** The catalog entry it comes from (the `platform.catalog/entry` label), when any. */
  readonly catalogEntry?: string;
  /** The ApplicationSet that generated it; undefined for a plain Application. */
  readonly applicationSet?: string;
  /** Which generator (and selector) produced it. */
  readonly generator?: GeneratorOrigin;
  /** Output-relative file of the Application or of its ApplicationSet. */
  readonly file: string;
  /** The first Helm chart source, when any. */
  readonly chart?: { readonly repoURL: string; readonly chart: string; readonly version: string };
  /** Output-relative folders of the platform repository it syncs (directory sources). */
  readonly paths: string[];
  /** The value-file chain, output-relative, lowest precedence first. */
  readonly valueFiles: string[];
  /**
   * The merged values: value files in order, then `valuesObject` when it is set, else `values`
   * (Argo CD's precedence: the two are never merged). Maps merge, lists replace, and `null` is
   * kept, as Helm merges them (Helm removes the chart's default of a key set to `null`).
   */
  readonly values: Record<string, unknown>;
  /** Referenced value files and folders that do not exist in the output. */
  readonly missingPaths: string[];
  /** The Application object itself. */
  readonly manifest: any;
}

/** Options of an expansion. */
export interface ExpandOptions {
  /**
   * Sample values for Terraform-produced cluster annotations (unknown before `apply`),
   * by output name; applied to every cluster that declares the output.
   * @default - the `<output:NAME>` placeholders
   */
  readonly outputs?: Record<string, string>;
  /**
   * Compute merged values (reads every value file).
   * @default true
   */
  readonly values?: boolean;
  /** @internal Expansions shared with other expansions of the same render pass (see ExpansionMemo). */
  readonly _expansions?: ExpansionMemo;
}

/** The inputs of an expansion: cluster registrations, ApplicationSets and Applications. */
export interface ExpansionInput {
  readonly repository: { readonly url: string; readonly revision: string; readonly path: string };
  readonly clusters: readonly ClusterData[];
  readonly applicationSets: readonly { readonly file: string; readonly management: string; readonly object: any }[];
  readonly applications: readonly { readonly file: string; readonly management: string; readonly object: any }[];
}

/** @internal An Application's file in a management cluster's folder (group 1: the cluster). */
export const APP_FILE = /^clusters\/([^/]+)\/(?:.+\/)?application-[^/]+\.yaml$/;
/** @internal An ApplicationSet's file in a management cluster's folder (group 1: the cluster). */
export const APPSET_FILE = /^clusters\/([^/]+)\/(?:.+\/)?applicationset-[^/]+\.yaml$/;

/**
 * The objects a reader of an output tree already parsed from its YAML texts (the command line
 * checks every Application and ApplicationSet file before it expands them), per tree: the
 * expansion and the render's checks take them instead of parsing each text again. Only what is
 * remembered is kept, so a tree nobody remembered for costs nothing; an entry counts only for
 * the very text it was parsed from.
 */
const remembered = new WeakMap<ReadonlyMap<string, string>, Map<string, { readonly text: string; readonly object: unknown }>>();

/** Keeps the object parsed from `text`, the content of `file` in `files`, for the readers of that tree. */
export function rememberParsed(files: ReadonlyMap<string, string>, file: string, text: string, object: unknown): void {
  let byFile = remembered.get(files);
  if (!byFile) remembered.set(files, byFile = new Map());
  byFile.set(file, { text, object });
}

/** The object of a YAML file of an output tree: the one remembered for this very text, else parsed. Never changed by its readers. */
export function parseOutputFile(files: ReadonlyMap<string, string>, file: string, text: string): any {
  const known = remembered.get(files)?.get(file);
  return known && known.text === text ? known.object : parse(text);
}

/** Reads `platform.json` of an output tree. */
export function readPlatformData(files: ReadonlyMap<string, string>): PlatformData {
  const text = files.get(PLATFORM_JSON);
  if (text === undefined) {
    throw new ExpansionError(`the output has no ${PLATFORM_JSON}. Fix: synthesize it again with this version of cdk8s-gitops-platform.`);
  }
  return JSON.parse(text) as PlatformData;
}

/** Collects what {@link expandInput} needs from an output tree. */
export function expansionInput(files: ReadonlyMap<string, string>): ExpansionInput {
  const data = readPlatformData(files);
  const applicationSets: { file: string; management: string; object: any }[] = [];
  const applications: { file: string; management: string; object: any }[] = [];
  for (const [file, text] of files) {
    const set = APPSET_FILE.exec(file);
    const app = set ? undefined : APP_FILE.exec(file);
    if (!set && !app) continue;
    const object = parseOutputFile(files, file, text);
    if (set && object?.kind === 'ApplicationSet') applicationSets.push({ file, management: set[1], object });
    if (app && object?.kind === 'Application') applications.push({ file, management: app[1], object });
  }
  return { repository: data.repository, clusters: data.clusters, applicationSets, applications };
}

/**
 * Expands every ApplicationSet of an output tree against the clusters its `platform.json`
 * declares, and adds the plain Applications: what each cluster runs.
 */
export function expandTree(files: ReadonlyMap<string, string>, options: ExpandOptions = {}): ExpandedApplication[] {
  return expandInput(expansionInput(files), files, options);
}

function generatorClusters(clusters: readonly ClusterData[], management: string, outputs: Record<string, string>): GeneratorCluster[] {
  return clusters.filter((c) => c.management === undefined || c.management === management).map((c) => ({
    name: c.name,
    // the management cluster registers itself as the local cluster (its Argo CD cluster Secret)
    ...(c.name === management ? { server: 'https://kubernetes.default.svc' } : {}),
    labels: c.labels,
    annotations: Object.fromEntries(Object.entries(c.annotations).map(([k, v]) => [k, outputs[k] !== undefined && v === `<output:${k}>` ? outputs[k] : v])),
  }));
}

/** Expands the given ApplicationSets and Applications; value files are read from `files`. */
export function expandInput(input: ExpansionInput, files: ReadonlyMap<string, string>, options: ExpandOptions = {}): ExpandedApplication[] {
  const resolver = new PathResolver(input.repository, files);
  const byManagement = new Map<string, GeneratorCluster[]>();
  const clustersOf = (m: string) => {
    if (!byManagement.has(m)) byManagement.set(m, generatorClusters(input.clusters, m, options.outputs ?? {}));
    return byManagement.get(m)!;
  };
  const out: ExpandedApplication[] = [];
  for (const s of input.applicationSets) {
    const clusters = clustersOf(s.management);
    for (const g of options._expansions ? options._expansions.expand(s.object, clusters, resolver) : expandApplicationSetWithOrigin(s.object, clusters, resolver)) {
      out.push(describe(g.application, s.file, s.management, resolver, options, s.object.metadata?.name, g.origin));
    }
  }
  for (const a of input.applications) out.push(describe(a.object, a.file, a.management, resolver, options));
  return out.sort((a, b) => compareCodeUnits(a.cluster, b.cluster) || compareCodeUnits(a.name, b.name));
}

/** Maps repository references of Applications to output-relative paths; the repository view of git generators. */
class PathResolver implements GitRepositoryView {
  private dirs?: Set<string>;
  /** folder -> its immediate sub-folders, built once (a lookup per git generator would scan every file) */
  private children?: Map<string, Set<string>>;

  constructor(private readonly repo: ExpansionInput['repository'], private readonly files: ReadonlyMap<string, string>) {}

  /** Output-relative path of a repository path, or undefined when it is outside the output folder. */
  public outputPath(repoPath: string): string | undefined {
    const p = repoPath.replace(/^\/+|\/+$/g, '');
    if (this.repo.path === '') return p;
    if (p === this.repo.path) return '';
    return p.startsWith(`${this.repo.path}/`) ? p.slice(this.repo.path.length + 1) : undefined;
  }

  public get url(): string {
    return this.repo.url;
  }

  public get revision(): string {
    return this.repo.revision;
  }

  /** Every folder at or below a repository folder, from the output tree (only the output folder is known). */
  public directories(folder: string): string[] {
    const out = this.outputPath(folder);
    if (out === undefined) throw new ExpansionError(`a git generator reads "${folder}", which is outside the output folder "${this.repo.path}" of the platform repository`);
    this.index();
    // the sub-tree of `out` only (a scan of every folder per git generator is quadratic in tenants)
    const found: string[] = out !== '' && this.dirExists(out) ? [out] : [];
    const walk = (dir: string): void => {
      for (const c of this.children!.get(dir) ?? []) {
        const sub = dir === '' ? c : `${dir}/${c}`;
        found.push(sub);
        walk(sub);
      }
    };
    walk(out);
    const prefix = this.repo.path === '' ? '' : `${this.repo.path}/`;
    return found.map((d) => `${prefix}${d}`).sort();
  }

  public isPlatformRepo(source: any): boolean {
    return source?.repoURL === this.repo.url;
  }

  public fileExists(p: string): boolean {
    return this.files.has(p);
  }

  public dirExists(p: string): boolean {
    this.index();
    return this.dirs!.has(p);
  }

  /** The folders of the output and each one's sub-folders, in one pass over the file paths. */
  private index(): void {
    if (this.dirs) return;
    const dirs = new Set(['']);
    const children = new Map<string, Set<string>>();
    for (const f of this.files.keys()) {
      let parent = '';
      let start = 0;
      for (let slash = f.indexOf('/'); slash !== -1; slash = f.indexOf('/', slash + 1)) {
        const dir = f.slice(0, slash);
        if (!dirs.has(dir)) {
          dirs.add(dir);
          let subs = children.get(parent);
          if (!subs) children.set(parent, subs = new Set());
          subs.add(f.slice(start, slash));
        }
        parent = dir;
        start = slash + 1;
      }
    }
    this.dirs = dirs;
    this.children = children;
  }

  public read(p: string): unknown {
    return parse(this.files.get(p)!);
  }
}

function describe(app: any, file: string, management: string, resolver: PathResolver, options: ExpandOptions, applicationSet?: string, generator?: GeneratorOrigin): ExpandedApplication {
  const name = app.metadata?.name;
  const spec = app.spec ?? {};
  const sources: any[] = spec.sources ?? (spec.source ? [spec.source] : []);
  const where = `${applicationSet ? `ApplicationSet ${applicationSet} -> ` : ''}Application ${name} (${file})`;
  const dest = spec.destination ?? {};
  const cluster = dest.name ?? (dest.server === 'https://kubernetes.default.svc' ? management : dest.server);
  if (!cluster) throw new ExpansionError(`${where}: the destination names no cluster. Fix: set spec.destination.name.`);
  const missing: string[] = [];
  const paths: string[] = [];
  for (const s of sources) {
    if (s.path === undefined || !resolver.isPlatformRepo(s)) continue;
    const p = resolver.outputPath(s.path);
    if (p === undefined) throw new ExpansionError(`${where}: path "${s.path}" is outside the output folder. Fix: point it into the synthesized folder.`);
    paths.push(p);
    if (!resolver.dirExists(p)) missing.push(p);
  }
  const refs = new Map<string, any>(sources.filter((s) => s.ref).map((s) => [s.ref, s]));
  // a Helm repository source names its chart; an OCI one is the chart itself (`path: .`)
  const chartSource = sources.find((s) => typeof s.chart === 'string' || String(s.repoURL).startsWith('oci://'));
  const valueFiles: string[] = [];
  // what Helm merges, lowest precedence first (one Helm value layering: core/helm-values.ts)
  const layers: unknown[] = [];
  for (const s of sources.filter((x) => x.helm)) {
    // parameters change only the merged values (rendering passes them to helm as --set)
    if (options.values !== false && s.helm.parameters?.length) throw new ExpansionError(`${where}: helm.parameters are not supported by the offline expansion. Fix: use valuesObject.`);
    for (const vf of s.helm.valueFiles ?? []) {
      const m = /^\$([\w-]+)\/(.*)$/.exec(vf);
      const ref = m ? refs.get(m[1]) : undefined;
      if (!m || !ref) throw new ExpansionError(`${where}: value file "${vf}" is not a $<ref>/<path> reference to a source of the Application. Fix: reference the values source with $values/<path>.`);
      if (!resolver.isPlatformRepo(ref)) throw new ExpansionError(`${where}: value file "${vf}" lives in ${ref.repoURL}, not in the platform repository. Fix: keep value files in the platform repository.`);
      const p = resolver.outputPath(m[2]);
      if (p === undefined) throw new ExpansionError(`${where}: value file "${vf}" is outside the output folder. Fix: point it into the synthesized folder.`);
      valueFiles.push(p);
      if (!resolver.fileExists(p)) missing.push(p);
      else if (options.values !== false) layers.push(resolver.read(p));
    }
    // Argo CD: valuesObject when set, else values (never both), over the value files
    if (options.values !== false) layers.push(inlineHelmValues(s.helm));
  }
  const values = mergeHelmValueLayers(layers);
  return {
    name,
    cluster,
    managedBy: management,
    project: spec.project,
    ...(dest.namespace ? { namespace: dest.namespace } : {}),
    ...(app.metadata?.labels?.['platform.catalog/entry'] ? { catalogEntry: app.metadata.labels['platform.catalog/entry'] } : {}),
    ...(applicationSet ? { applicationSet, generator } : {}),
    file,
    ...(chartSource ? { chart: { repoURL: chartSource.repoURL, chart: chartSource.chart ?? String(chartSource.repoURL).split('/').pop(), version: String(chartSource.targetRevision) } } : {}),
    paths,
    valueFiles,
    values,
    missingPaths: missing,
    manifest: app,
  };
}

/**
 * Helm's merge of values files and `--set` entries: maps merge key by key, anything else
 * replaces, and `null` is kept (Helm removes the chart's default of that key when it renders).
 */
export const helmMerge: (base: unknown, over: unknown) => unknown = mergeHelmValues;
