/* eslint-disable @typescript-eslint/no-explicit-any -- parsed JSON of any shape */
import { syncOptionsOf } from '../argocd/types';
import { ExpandedApplication, expandTree, parseOutputFile, readPlatformData } from '../testing/applications';
import { cascadesOnDeletion } from '../testing/expand';

/** What the diff says of removed objects Argo CD keeps. */
const NOT_PRUNED_NOTE = 'removed from the output, but the Applications that synced them do not prune on their own: they stay on the cluster until a sync with pruning (argocd app sync --prune), or delete them by hand';
const KEPT_NOTE = 'removed from the output, but Argo CD does not delete them (Prune=false): delete each by hand once the data in it can go';

/** Files that differ between two trees. */
export interface FileChanges {
  readonly added: string[];
  readonly removed: string[];
  readonly changed: string[];
}

/** Compares two trees file by file (`added`: only in `head`). */
export function fileChanges(base: ReadonlyMap<string, string>, head: ReadonlyMap<string, string>, only?: (f: string) => boolean): FileChanges {
  const keep = only ?? (() => true);
  const added = [...head.keys()].filter((f) => keep(f) && !base.has(f));
  const removed = [...base.keys()].filter((f) => keep(f) && !head.has(f));
  const changed = [...head.keys()].filter((f) => keep(f) && base.has(f) && base.get(f) !== head.get(f));
  return { added, removed, changed };
}

/** One change to an Application or a Terraform resource. */
export interface Change {
  readonly kind: 'added' | 'removed' | 'changed';
  /** Application name or `<type>.<name>` of a Terraform resource. */
  readonly name: string;
  /** What changed, in words. */
  readonly details: string[];
}

/** What a change of the output does. */
export interface PlatformDiff {
  /** cluster -> Application changes. */
  readonly applications: Map<string, Change[]>;
  /** Terraform state (cluster) -> resource changes. */
  readonly terraform: Map<string, Change[]>;
  /** Other generated files that differ (catalog manifests, Kubernetes objects other than Applications, ...). */
  readonly otherFiles: FileChanges;
  /**
   * Removed files whose object Argo CD does not delete (`Prune=false` in its sync options: a
   * tenant's namespace, a team service's database claim): it stays on its cluster, with the data
   * it holds, until someone deletes it.
   */
  readonly keptOnCluster: { readonly file: string; readonly object: string }[];
  /**
   * Removed files that Applications staying after the change sync without pruning (the catalog's
   * ApplicationSets sync with `automated` but no `prune`): the objects stay on the cluster until a
   * sync with pruning.
   */
  readonly notPruned: { readonly file: string; readonly object: string; readonly applications: string[] }[];
  /**
   * Clusters whose Kubernetes minor changes (from each tree's `platform.json`), with what the
   * clouds make of the step: AKS and EKS upgrade one minor at a time and never downgrade.
   */
  readonly kubernetesVersions: { readonly cluster: string; readonly from: string; readonly to: string; readonly refused?: string }[];
}

/** Each provisioned cluster's Kubernetes minor in a tree's `platform.json` (none in an empty tree). */
function clusterVersions(files: ReadonlyMap<string, string>): Map<string, string> {
  if (files.size === 0) return new Map();
  return new Map(readPlatformData(files).clusters.flatMap((c) => (c.kubernetesVersion ? [[c.name, c.kubernetesVersion] as [string, string]] : [])));
}

/** Why a cloud refuses a step between two `1.N` minors, if it does. */
function refusedStep(from: string, to: string): string | undefined {
  const minor = (v: string) => Number(/^1\.(\d+)$/.exec(v)?.[1] ?? NaN);
  const [a, b] = [minor(from), minor(to)];
  if (Number.isNaN(a) || Number.isNaN(b)) return undefined;
  if (b < a) return 'a downgrade, which AKS and EKS refuse';
  if (b > a + 1) return `${b - a} minors at once, which AKS and EKS refuse: upgrade through ${Array.from({ length: b - a - 1 }, (_, i) => `1.${a + 1 + i}`).join(', ')} first, one apply each`;
  return undefined;
}

/** The object of a file of `files` (its document) and its label, if it parses as one. */
function documentOf(files: ReadonlyMap<string, string>, file: string): { doc: any; label: string } | undefined {
  const text = files.get(file);
  if (text === undefined) return undefined;
  let doc: any;
  try {
    doc = parseOutputFile(files, file, text);
  } catch {
    return undefined;
  }
  if (!doc?.kind || !doc.metadata?.name) return undefined;
  return { doc, label: `${doc.kind} ${doc.metadata.namespace ? `${doc.metadata.namespace}/` : ''}${doc.metadata.name}` };
}

/** The label of the object of a file of `files`. */
function objectOf(files: ReadonlyMap<string, string>, file: string): string | undefined {
  return documentOf(files, file)?.label;
}

/** The object of a removed file of `files` when its sync options keep it on the cluster (`Prune=false`). */
function keptObject(files: ReadonlyMap<string, string>, file: string): string | undefined {
  const d = documentOf(files, file);
  return d && syncOptionsOf(d.doc.metadata?.annotations).includes('Prune=false') ? d.label : undefined;
}

function leafPaths(a: unknown, b: unknown, at: string, out: string[]): void {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  const isMap = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x);
  if (isMap(a) && isMap(b)) {
    for (const k of [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort()) {
      leafPaths((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], at ? `${at}.${k}` : k, out);
    }
    return;
  }
  out.push(at || '(root)');
}

/** Like `leafPaths`, into arrays too, in Terraform's notation (`scaling_config[0].desired_size`). */
function tfLeafPaths(a: unknown, b: unknown, at: string, out: string[]): void {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  const isMap = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x);
  if (isMap(a) && isMap(b)) {
    for (const k of [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort()) {
      tfLeafPaths((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], at ? `${at}.${k}` : k, out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((v, i) => tfLeafPaths(v, b[i], `${at}[${i}]`, out));
    return;
  }
  out.push(at || '(root)');
}

/** Meta-arguments whose change replaces or moves a resource whatever `ignore_changes` says. */
const TF_META = new Set(['count', 'for_each', 'provider']);

/**
 * The `lifecycle` settings a reviewer must see change: whether Terraform may destroy the resource,
 * and how it replaces it (none of them is an attribute of the resource in the cloud).
 */
const TF_LIFECYCLE_SEEN = ['prevent_destroy', 'create_before_destroy', 'replace_triggered_by'];

/**
 * The attribute paths of a Terraform resource that `terraform plan` would act on: paths listed in
 * `lifecycle.ignore_changes` (on either side; `"all"` for every attribute) are no change, and
 * neither are `lifecycle` and `depends_on` themselves, but for the `lifecycle` settings that
 * decide whether a plan may destroy or replace the resource (a change that only lifts
 * `prevent_destroy` would otherwise read as no change at all).
 * @see https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#ignore_changes
 */
export function terraformChanges(base: Record<string, unknown>, head: Record<string, unknown>): string[] {
  const paths: string[] = [];
  tfLeafPaths(base, head, '', paths);
  const ignored = (r: Record<string, unknown>): string[] | 'all' => {
    const v = (r.lifecycle as Record<string, unknown> | undefined)?.ignore_changes;
    return v === 'all' ? 'all' : Array.isArray(v) ? v.map(String) : [];
  };
  const lists = [ignored(base), ignored(head)];
  const root = (p: string) => p.split(/[.[]/)[0];
  const lifecycle = (r: Record<string, unknown>) => (r.lifecycle ?? {}) as Record<string, unknown>;
  const seen = TF_LIFECYCLE_SEEN.filter((k) => JSON.stringify(lifecycle(base)[k]) !== JSON.stringify(lifecycle(head)[k])).map((k) => `lifecycle.${k}`);
  return [...paths.filter((p) => {
    const attr = root(p);
    if (attr === 'lifecycle' || attr === 'depends_on') return false;
    if (TF_META.has(attr)) return true;
    return !lists.some((l) => l === 'all' || l.some((i) => p === i || p.startsWith(`${i}.`) || p.startsWith(`${i}[`)));
  }), ...seen];
}

const MAX_PATHS = 8;

function pathsList(paths: string[]): string {
  return paths.length <= MAX_PATHS ? paths.join(', ') : `${paths.slice(0, MAX_PATHS).join(', ')} and ${paths.length - MAX_PATHS} more`;
}

function appChange(a: ExpandedApplication, b: ExpandedApplication): string[] {
  const d: string[] = [];
  if (a.chart?.version !== b.chart?.version) d.push(`version ${a.chart?.version ?? 'none'} -> ${b.chart?.version ?? 'none'}`);
  if (a.chart && b.chart && (a.chart.repoURL !== b.chart.repoURL || a.chart.chart !== b.chart.chart)) d.push(`chart ${a.chart.repoURL} ${a.chart.chart} -> ${b.chart.repoURL} ${b.chart.chart}`);
  if (a.project !== b.project) d.push(`project ${a.project} -> ${b.project}`);
  if (a.namespace !== b.namespace) d.push(`namespace ${a.namespace ?? 'none'} -> ${b.namespace ?? 'none'}`);
  if (JSON.stringify(a.valueFiles) !== JSON.stringify(b.valueFiles)) d.push(`value files [${a.valueFiles.join(', ')}] -> [${b.valueFiles.join(', ')}]`);
  const values: string[] = [];
  leafPaths(a.values, b.values, '', values);
  if (values.length) d.push(`values changed at ${pathsList(values)}`);
  if (d.length === 0 && JSON.stringify(a.manifest) !== JSON.stringify(b.manifest)) {
    const spec: string[] = [];
    leafPaths(a.manifest, b.manifest, '', spec);
    d.push(`changed at ${pathsList(spec)}`);
  }
  return d;
}

function byKey<T>(items: T[], key: (t: T) => string): Map<string, T> {
  return new Map(items.map((i) => [key(i), i]));
}

function resources(text: string | undefined): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!text) return out;
  const tf = JSON.parse(text) as any;
  for (const [block, prefix] of [['resource', ''], ['data', 'data.']] as const) {
    for (const [type, byName] of Object.entries(tf[block] ?? {})) {
      for (const [name, body] of Object.entries(byName as Record<string, unknown>)) {
        // cdktf metadata (construct paths) is not a change of the infrastructure
        const { ['//']: _meta, ...rest } = body as Record<string, unknown>;
        void _meta;
        out.set(`${prefix}${type}.${name}`, rest);
      }
    }
  }
  return out;
}

function compare<T>(base: Map<string, T>, head: Map<string, T>, changed: (a: T, b: T) => string[], describeAdded: (t: T) => string[] = () => [], describeRemoved: (t: T) => string[] = () => []): Change[] {
  const out: Change[] = [];
  for (const k of [...new Set([...base.keys(), ...head.keys()])].sort()) {
    const a = base.get(k);
    const b = head.get(k);
    if (a === undefined) out.push({ kind: 'added', name: k, details: describeAdded(b!) });
    else if (b === undefined) out.push({ kind: 'removed', name: k, details: describeRemoved(a) });
    else {
      const d = changed(a, b);
      if (d.length) out.push({ kind: 'changed', name: k, details: d });
    }
  }
  return out;
}

/**
 * What Argo CD does with what a removed Application deployed: with `resources-finalizer` (Argo
 * CD's default for an Application, an ApplicationSet's unless it preserves resources), or its
 * `/background` or `/foreground` form, it deletes it; without, it stays on the cluster.
 */
function removedApp(a: ExpandedApplication): string[] {
  return cascadesOnDeletion(a.manifest) ? ['deletes what it deployed'] : ['what it deployed stays on the cluster: delete it by hand'];
}

function groupApps(apps: ExpandedApplication[]): Map<string, Map<string, ExpandedApplication>> {
  const m = new Map<string, ExpandedApplication[]>();
  for (const a of apps) {
    if (!m.has(a.cluster)) m.set(a.cluster, []);
    m.get(a.cluster)!.push(a);
  }
  return new Map([...m].map(([c, list]) => [c, byKey(list, (a) => a.name)]));
}

/** Compares two output trees: Applications per cluster (ApplicationSets expanded), Terraform resources per state. */
export function diffTrees(base: ReadonlyMap<string, string>, head: ReadonlyMap<string, string>): PlatformDiff {
  const empty = (files: ReadonlyMap<string, string>) => files.size === 0;
  const a = empty(base) ? new Map<string, Map<string, ExpandedApplication>>() : groupApps(expandTree(base));
  const b = empty(head) ? new Map<string, Map<string, ExpandedApplication>>() : groupApps(expandTree(head));
  const applications = new Map<string, Change[]>();
  for (const c of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const changes = compare(a.get(c) ?? new Map(), b.get(c) ?? new Map(), appChange, (x) => (x.chart ? [`${x.chart.chart} ${x.chart.version}`] : []), removedApp);
    if (changes.length) applications.set(c, changes);
  }
  const terraform = new Map<string, Change[]>();
  const states = (files: ReadonlyMap<string, string>) => [...files.keys()].filter((f) => /^terraform\/[^/]+\/cdk\.tf\.json$/.test(f));
  for (const f of [...new Set([...states(base), ...states(head)])].sort()) {
    const changes = compare(resources(base.get(f)), resources(head.get(f)), (x, y) => {
      const paths = terraformChanges(x as Record<string, unknown>, y as Record<string, unknown>);
      return paths.length ? [`changed at ${pathsList(paths)}`] : [];
    });
    if (changes.length) terraform.set(f.split('/')[1], changes);
  }
  const other = (f: string) => !/^terraform\//.test(f) && !/\/application(set)?-[^/]+\.yaml$/.test(f) && !/^catalog\/[^/]+\/(values\.yaml|env\/|clusters\/)/.test(f)
    && f !== 'PLATFORM.md' && f !== 'platform.json';
  const otherFiles = fileChanges(base, head, other);
  const keptOnCluster = otherFiles.removed.flatMap((file) => {
    const object = file.endsWith('.yaml') ? keptObject(base, file) : undefined;
    return object ? [{ file, object }] : [];
  });
  // the folders of the platform repository that Applications staying after the change sync without pruning
  const repoPath = empty(head) ? '' : readPlatformData(head).repository.path;
  const folders: { folder: string; recurse: boolean; app: string }[] = [];
  for (const apps of b.values()) {
    for (const app of apps.values()) {
      const spec = app.manifest?.spec ?? {};
      if (spec.syncPolicy?.automated?.prune === true) continue;
      for (const src of [spec.source, ...spec.sources ?? []].filter((x) => x && typeof x.path === 'string' && !x.chart)) {
        const rel = repoPath && (src.path === repoPath || src.path.startsWith(`${repoPath}/`)) ? src.path.slice(repoPath.length).replace(/^\//, '') : src.path;
        folders.push({ folder: rel.replace(/\/$/, ''), recurse: src.directory?.recurse === true, app: app.name });
      }
    }
  }
  const notPruned = otherFiles.removed.flatMap((file) => {
    if (!file.endsWith('.yaml') || keptOnCluster.some((k) => k.file === file)) return [];
    const dir = file.slice(0, file.lastIndexOf('/'));
    const applications = [...new Set(folders.filter((f) => dir === f.folder || (f.recurse && dir.startsWith(`${f.folder}/`))).map((f) => f.app))].sort();
    const object = applications.length ? objectOf(base, file) : undefined;
    return object ? [{ file, object, applications }] : [];
  });
  const before = clusterVersions(base);
  const kubernetesVersions = [...clusterVersions(head)].filter(([c, v]) => before.has(c) && before.get(c) !== v).sort(([x], [y]) => (x < y ? -1 : 1))
    .map(([cluster, to]) => {
      const from = before.get(cluster)!;
      const refused = refusedStep(from, to);
      return { cluster, from, to, ...(refused ? { refused } : {}) };
    });
  return { applications, terraform, otherFiles, keptOnCluster, notPruned, kubernetesVersions };
}

const SIGN = { added: '+', removed: '-', changed: '~' } as const;

/** True when the diff has nothing to report. */
export function isEmptyDiff(d: PlatformDiff): boolean {
  return d.applications.size === 0 && d.terraform.size === 0 && d.otherFiles.added.length + d.otherFiles.removed.length + d.otherFiles.changed.length === 0;
}

/** The diff for a terminal. */
export function formatDiffText(d: PlatformDiff): string {
  if (isEmptyDiff(d)) return 'No changes.\n';
  const out: string[] = [];
  for (const [cluster, changes] of d.applications) {
    out.push(`cluster ${cluster}: Applications`);
    for (const c of changes) out.push(`  ${SIGN[c.kind]} ${c.name}${c.details.length ? `: ${c.details.join('; ')}` : ''}`);
  }
  for (const [state, changes] of d.terraform) {
    out.push(`terraform ${state}: resources`);
    for (const c of changes) out.push(`  ${SIGN[c.kind]} ${c.name}${c.details.length ? `: ${c.details.join('; ')}` : ''}`);
  }
  const o = d.otherFiles;
  if (o.added.length + o.removed.length + o.changed.length) {
    out.push('other files');
    for (const [kind, files] of [['added', o.added], ['removed', o.removed], ['changed', o.changed]] as const) for (const f of files) out.push(`  ${SIGN[kind]} ${f}`);
  }
  if (d.kubernetesVersions.length) {
    out.push('kubernetes versions');
    for (const v of d.kubernetesVersions) out.push(`  ${v.refused ? '!' : '~'} ${v.cluster}: ${v.from} -> ${v.to}${v.refused ? `: ${v.refused}` : ''}`);
  }
  if (d.keptOnCluster.length) {
    out.push(`kept on the cluster (${KEPT_NOTE})`);
    for (const k of d.keptOnCluster) out.push(`  ! ${k.object} (${k.file})`);
  }
  if (d.notPruned.length) {
    out.push(`not pruned (${NOT_PRUNED_NOTE})`);
    for (const k of d.notPruned) out.push(`  ! ${k.object} (${k.file}): ${k.applications.join(', ')}`);
  }
  return `${out.join('\n')}\n`;
}

function md(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** The diff as Markdown, for a pull request comment. */
export function formatDiffMarkdown(d: PlatformDiff): string {
  const out: string[] = ['## Platform diff', ''];
  if (isEmptyDiff(d)) return `${out.join('\n')}\nNo changes.\n`;
  const section = (title: string, changes: Change[], what: string) => {
    out.push(`### ${title}`, '', `| | ${what} | change |`, '|---|---|---|');
    for (const c of changes) out.push(`| ${c.kind} | \`${md(c.name)}\` | ${md(c.details.join('; ') || (c.kind === 'removed' ? 'removed' : 'new'))} |`);
    out.push('');
  };
  for (const [cluster, changes] of d.applications) section(`Cluster \`${cluster}\``, changes, 'Application');
  for (const [state, changes] of d.terraform) section(`Terraform state \`${state}\``, changes, 'resource');
  const o = d.otherFiles;
  if (o.added.length + o.removed.length + o.changed.length) {
    out.push('### Other files', '');
    for (const [kind, files] of [['added', o.added], ['removed', o.removed], ['changed', o.changed]] as const) for (const f of files) out.push(`- ${kind}: \`${f}\``);
    out.push('');
  }
  if (d.kubernetesVersions.length) {
    out.push('### Kubernetes versions', '');
    for (const v of d.kubernetesVersions) out.push(`- \`${v.cluster}\`: ${v.from} -> ${v.to}${v.refused ? `: **${v.refused}**` : ''}`);
    out.push('');
  }
  if (d.keptOnCluster.length) {
    out.push('### Kept on the cluster', '', `${KEPT_NOTE[0].toUpperCase()}${KEPT_NOTE.slice(1)}:`, '');
    for (const k of d.keptOnCluster) out.push(`- \`${md(k.object)}\` (\`${k.file}\`)`);
    out.push('');
  }
  if (d.notPruned.length) {
    out.push('### Not pruned', '', `${NOT_PRUNED_NOTE[0].toUpperCase()}${NOT_PRUNED_NOTE.slice(1)}:`, '');
    for (const k of d.notPruned) out.push(`- \`${md(k.object)}\` (\`${k.file}\`): ${k.applications.map((x) => `\`${md(x)}\``).join(', ')}`);
    out.push('');
  }
  return `${out.join('\n')}`;
}
