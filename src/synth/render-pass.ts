import { IConstruct } from 'constructs';
import { renderUnits, RenderUnit } from '../graph/units';
import { APPSET_FILE, ExpandedApplication } from '../testing/applications';
import { sharedExpansions } from '../testing/expand';
import { isUnitRecord, KEPT_FILE, keptCleanTexts, keptExpansions, KeptApplication, KeptApplicationSet, PendingRecords, stillOnDisk, SynthCache, UnitRecord } from './synth-cache';
import { readManifest, unsafeOutputPath } from './write-plan';
import { messages, PlatformValidationError, Problem } from '../core/errors';
import { applicationNameClashes } from '../argocd/application-names';
import { checkOutputPermissions } from '../argocd/output-permissions';
import { describeDenial } from '../argocd/permissions';
import { PlatformGraph } from '../graph/platform-graph';
import { checkOutput, PolicySeverities, severityOf } from '../policy/policy-pass';
import { PolicySeverity, SecurityRule } from '../policy/security-rule';
import { CleanTexts, type TextScan } from '../policy/text-scan';
import { renderStage } from '../render';
import { reportRenderer } from '../report/renderer';
import { prepareStacks, stackJson } from '../terraform/cdktf';
import type { Platform } from '../platform';
import { chartObjects } from './serialize';
import { YamlEmitter } from './yaml-thread';
import type { FileSink } from './writer';

/**
 * The stages after the rules, as one pass over a valid platform: render (fresh charts and
 * stacks), the files (the constructs' own files, each cluster's folder and state), the report,
 * then the policy pass and the AppProject permission check over the files. Appends their
 * warnings to `warnings`; throws a {@link PlatformValidationError} listing every problem of the
 * first stage that finds errors. Returns output-relative path -> content, in sorted order.
 * `rendered` runs between the render stage and the reading of the tree.
 */
export function renderOutput(platform: Platform, graph: PlatformGraph, warnings: Problem[], policies: PolicySeverities, rendered: () => void, sink?: FileSink,
  incremental?: Incremental): Map<string, string> {
  const where = platform.node.path || 'platform';
  const units = incremental ? keptUnits(graph, platform, incremental) : undefined;
  const keptRecords = [...units?.kept.values() ?? []];
  // every render starts from the declaration: each render function replaces what it rendered last time
  renderStage(graph, units?.members);
  rendered();
  const files = new Map<string, string>();
  // every file claimed, kept ones too: file -> the path of the construct it is rendered for
  const sources = new Map<string, string>();
  const dup: Problem[] = [];
  const claim = (file: string, source: string): boolean => {
    if (sources.has(file)) {
      dup.push({ path: source, message: messages.duplicateOutputPath(file, [sources.get(file)!, source]) });
      return false;
    }
    sources.set(file, source);
    return true;
  };
  const put = (file: string, content: string, source: string) => {
    if (!claim(file, source)) return;
    files.set(file, content);
    // a first write stages each file as soon as it is rendered (Platform.synth)
    sink?.(file, content);
  };
  // the objects of the files the render still holds, so the checks need not parse them back
  const parsed = new Map<string, unknown>();
  // the file of each policy finding (a unit's findings are recorded with it)
  const findingFiles = new Map<Problem, string>();
  // the texts the last synth found free of credentials, not scanned again
  const cleanTexts = incremental ? new CleanTexts(keptCleanTexts(incremental.cache)) : undefined;
  // a large output's YAML is emitted on another thread while the render goes on; the file keeps
  // its place in `files` (the order the checks see) and gets its text when it comes back
  const yaml = new YamlEmitter();
  // the credential scans the YAML thread makes of its texts while this thread runs the report and the other checks
  const scans = new Map<string, () => TextScan | undefined>();
  const putObject = (file: string, object: unknown, source: string) => {
    if (!claim(file, source)) return;
    parsed.set(file, object);
    files.set(file, '');
    yaml.emit(object, (text, scan) => {
      files.set(file, text);
      if (scan) scans.set(file, scan);
      sink?.(file, text);
    });
  };
  try {
    for (const c of graph.declaredInTreeOrder) {
      if (units?.members.has(c)) continue;
      if (hasFileObjects(c)) {
        for (const [f, o] of c._fileObjects()) putObject(f, o, c.node.path);
      } else if (hasFiles(c)) for (const [f, content] of c._files()) put(f, content, c.node.path);
    }
    // every state is prepared before any is serialized: a state another one reads gains outputs then
    prepareStacks(graph.clusters.map((c) => c.stack));
    for (const cluster of graph.clusters) {
      // a kept unit's objects (an earlier pass of this process may have left them in the chart) are on disk already
      for (const o of chartObjects(cluster.chart)) if (!units?.paths.has(o.path)) putObject(`clusters/${cluster.name}/${o.file}`, o.json, o.path);
      put(`terraform/${cluster.name}/cdk.tf.json`, stackJson(cluster.stack), cluster.node.path);
    }
    for (const record of keptRecords) for (const [file, source] of record.files) claim(file, record.sources[source]);
    yaml.drain(dup.length === 0 && severityOf(policies, SecurityRule.NO_CREDENTIALS) !== PolicySeverity.OFF);
    // the report and the AppProject check share the expansions of this pass (and of the last synth, when incremental)
    if (incremental) sharedExpansions(parsed).keepAcrossSynths(keptExpansions(incremental.cache));
    for (const [f, content] of reportRenderer()(platform, files, warnings, parsed, keptRecords.flatMap((r) => r.applicationSets))) put(f, content, where);
    if (dup.length > 0) throw new PlatformValidationError(dup);
    const checked = checkOutput(files, (f) => sources.get(f) ?? where, policies, parsed, scans, { fileOf: findingFiles, ...(cleanTexts ? { cleanTexts } : {}) });
    const errors = checked.filter((p) => p.severity !== 'warning');
    if (errors.length > 0) throw new PlatformValidationError(errors);
    // a kept unit's findings are its files': warnings (an error would have stopped the synth that recorded them)
    warnings.push(...checked, ...keptRecords.flatMap((r) => r.findings));
  } finally {
    yaml.cancel();
  }
  // what Argo CD's controller would refuse at sync: every Application against its AppProject (a kept
  // unit's Applications were, and neither they nor their projects changed)
  const permissions = checkOutputPermissions(files, { parsed });
  if (permissions.skipped) warnings.push({ path: where, message: messages.output.permissionsNotChecked(permissions.skipped), severity: 'warning' });
  const keptApplications = keptRecords.flatMap((r) => r.applications.map((a) => ({ ...a, manifest: { metadata: { namespace: a.namespace } } })));
  // Argo CD keeps one Application per name and namespace of a management cluster
  const clashes: Problem[] = applicationNameClashes([...permissions.applications ?? [], ...keptApplications]).map((c) => ({
    path: sources.get(c.origins[c.origins.length - 1].file) ?? where,
    message: messages.output.applicationNameClash(c.name, c.namespace, c.management,
      c.origins.map((o) => (o.applicationSet !== undefined ? `generated by ApplicationSet ${JSON.stringify(o.applicationSet)} (${o.file})` : `the Application in ${o.file}`))),
  }));
  const refused = [...clashes, ...permissions.denials.map((d) => ({ path: sources.get(d.file) ?? where, message: messages.notPermittedByProject(describeDenial(d)) }))];
  if (refused.length > 0) throw new PlatformValidationError(refused);
  if (incremental && units) incremental.records = { ...unitRecords(units, sources, parsed, findingFiles, warnings, permissions.applications ?? []), expansions: sharedExpansions(parsed).keepable, cleanTexts: cleanTexts?.clean ?? new Set() };
  // the default sort compares code units, as `<` does, without a call per comparison
  const sorted = new Map<string, string>();
  for (const f of [...sources.keys()].sort()) sorted.set(f, files.get(f) ?? KEPT_FILE);
  SOURCES.set(sorted, sources);
  return sorted;
}

/** An incremental synth's input and, once the render is done, what to record. */
export interface Incremental {
  /** The output folder (absolute): kept files are checked against it. */
  readonly outdir: string;
  /** The cache of the last synth into it, if any. */
  readonly cache: SynthCache | undefined;
  /** Set by the render: what the synth records once its files are written. */
  records?: PendingRecords;
}

/** The units a render keeps: their records, their members (not rendered) and the members' paths. */
interface KeptUnits {
  readonly all: readonly RenderUnit[];
  readonly kept: ReadonlyMap<string, UnitRecord>;
  readonly members: ReadonlySet<IConstruct>;
  readonly paths: ReadonlySet<string>;
}

/**
 * The render units whose files an incremental synth keeps: same key as recorded, every file
 * listed as generated by the output's manifest and on disk as recorded.
 */
function keptUnits(graph: PlatformGraph, platform: Platform, incremental: Incremental): KeptUnits {
  const all = renderUnits(graph, platform);
  const kept = new Map<string, UnitRecord>();
  const members = new Set<IConstruct>();
  const paths = new Set<string>();
  const records = incremental.cache?.units ?? {};
  const generated = Object.keys(records).length ? readManifest(incremental.outdir) : new Set<string>();
  for (const u of all) {
    const r: unknown = Object.prototype.hasOwnProperty.call(records, u.id) ? records[u.id] : undefined;
    // the key first: a record of another declaration is not worth checking
    if (u.key === undefined || (r as { key?: unknown } | undefined)?.key !== u.key || !isUnitRecord(r)) continue;
    if (!r.files.every(([f]) => generated.has(f) && !unsafeOutputPath(f)) || !stillOnDisk(incremental.outdir, r)) continue;
    kept.set(u.id, r);
    for (const m of u.members) {
      members.add(m);
      paths.add(m.node.path);
    }
  }
  return { all, kept, members, paths };
}

/** What to record of each unit: its files (by the construct each is rendered for), findings, ApplicationSets and Applications. */
function unitRecords(units: KeptUnits, sources: ReadonlyMap<string, string>, parsed: ReadonlyMap<string, unknown>, findingFiles: ReadonlyMap<Problem, string>,
  warnings: readonly Problem[], applications: readonly ExpandedApplication[]): Omit<PendingRecords, 'expansions' | 'cleanTexts'> {
  type Draft = { key: string; sources: string[]; files: [string, number][]; findings: Problem[]; applicationSets: KeptApplicationSet[]; applications: KeptApplication[] };
  const drafts = new Map<string, Draft>();
  // construct path -> its unit's draft and its index among the unit's sources
  const byPath = new Map<string, [Draft, number]>();
  for (const u of units.all) {
    if (u.key === undefined || units.kept.has(u.id)) continue;
    const d: Draft = { key: u.key, sources: u.members.map((m) => m.node.path), files: [], findings: [], applicationSets: [], applications: [] };
    drafts.set(u.id, d);
    d.sources.forEach((p, i) => byPath.set(p, [d, i]));
  }
  const fileUnit = new Map<string, Draft>();
  for (const [file, source] of sources) {
    const at = byPath.get(source);
    if (!at) continue;
    at[0].files.push([file, at[1]]);
    fileUnit.set(file, at[0]);
    const set = file.includes('/applicationset-') ? APPSET_FILE.exec(file) : null;
    const o = set ? parsed.get(file) as { kind?: unknown; metadata?: { name?: string; namespace?: string } } | undefined : undefined;
    if (set && o?.kind === 'ApplicationSet') at[0].applicationSets.push({ name: String(o.metadata?.name), namespace: String(o.metadata?.namespace), management: set[1], file });
  }
  for (const w of warnings) {
    const file = findingFiles.get(w);
    if (file !== undefined) fileUnit.get(file)?.findings.push(w);
  }
  for (const a of applications) {
    fileUnit.get(a.file)?.applications.push({
      name: a.name, namespace: String(a.manifest?.metadata?.namespace ?? ''), managedBy: a.managedBy, file: a.file,
      ...(a.applicationSet !== undefined ? { applicationSet: a.applicationSet } : {}),
    });
  }
  return { kept: units.kept, rendered: drafts };
}

const SOURCES = new WeakMap<ReadonlyMap<string, string>, ReadonlyMap<string, string>>();

/**
 * @internal For an output {@link renderOutput} returned: each file's source, the path of the
 * declared construct it was rendered for (the platform's own path for the report).
 */
export function outputSources(files: ReadonlyMap<string, string>): ReadonlyMap<string, string> | undefined {
  return SOURCES.get(files);
}

function hasFiles(c: IConstruct): c is IConstruct & { _files(): Map<string, string> } {
  return typeof (c as { _files?: unknown })._files === 'function';
}

function hasFileObjects(c: IConstruct): c is IConstruct & { _fileObjects(): Map<string, unknown> } {
  return typeof (c as { _fileObjects?: unknown })._fileObjects === 'function';
}
