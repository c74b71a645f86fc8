import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { RenderedApplication } from './repo-server';
import { checkListArg, checkStringArg } from '../core/arguments';

/** What a chart knows about its values: the keys it defaults and the paths its templates read. */
interface ChartKnowledge {
  /** Paths (dot-joined) of every key in values.yaml, maps and leaves. */
  readonly defaults: Set<string>;
  /** Paths whose default is not a map with keys (a leaf, a list, or `{}`): anything below is the chart's to take. */
  readonly leaves: Set<string>;
  /** Paths the templates read (`.Values.a.b`, `index .Values "a" "b"`): anything below is read. */
  readonly read: Set<string>;
  /** The templates read `.Values` as a whole (e.g. `toYaml .Values`): every key is read. */
  readonly readsAll: boolean;
  /** Subcharts by the key their values live under (alias or name), undefined when listed but absent. */
  readonly subcharts: Map<string, ChartKnowledge | undefined>;
}

/** One key of the values no template reads and the chart does not default. */
export interface UnusedValue {
  /** The chart (`<chart> <version>`). */
  readonly chart: string;
  /** The key path, e.g. `controller.resurces.limits`. */
  readonly key: string;
  /** The Applications whose values hold it. */
  readonly applications: string[];
  /** The catalog entry, when any. */
  readonly entry?: string;
}

/** What {@link findUnusedValues} found. */
export interface UnusedValuesResult {
  /** Keys the exact pinned chart neither defaults nor reads. */
  readonly unused: UnusedValue[];
  /** Charts not judged: a stand-in for the pinned release (a key may be new in the pinned one). */
  readonly notJudged: string[];
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;

function flatten(value: unknown, prefix: string, out: Map<string, boolean>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    if (prefix) out.set(prefix, false);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, true);
  }
}

/** The `.Values` references of a template text. */
function references(text: string): { paths: string[]; all: boolean } {
  const paths: string[] = [];
  let all = false;
  // `$x := .Values.a.b` / `$x := index .Values "a"`: later `$x.c` reads a.b.c; the assignment itself reads nothing yet
  const vars = new Map<string, string>();
  const assigned = new Set<number>();
  for (const a of text.matchAll(/\$(\w+)\s*:?=\s*\(?\s*(?:index\s+\$?\.Values((?:\s+"[^"]*")+)|\$?\.Values((?:\.[A-Za-z_]\w*)+))\s*\)?\s*(?=-?\}\})/g)) {
    const keys = a[2] ? [...a[2].matchAll(/"([^"]*)"/g)].map((x) => x[1]) : a[3].slice(1).split('.');
    vars.set(a[1], keys.join('.'));
    assigned.add(a.index! + a[0].indexOf('.Values'));
  }
  for (const [name, base] of vars) {
    for (const u of text.matchAll(new RegExp(`\\$${name}\\b((?:\\.[A-Za-z_]\\w*)*)(\\s*:?=)?`, 'g'))) {
      if (u[2]) continue; // the assignment
      paths.push(u[1] ? `${base}${u[1]}` : base);
    }
  }
  for (const m of text.matchAll(/\.Values\b/g)) {
    if (assigned.has(m.index!)) continue;
    let i = m.index! + m[0].length;
    const keys: string[] = [];
    while (text[i] === '.') {
      IDENT.lastIndex = i + 1;
      const id = IDENT.exec(text);
      if (!id) break;
      keys.push(id[0]);
      i = IDENT.lastIndex;
    }
    const before = text.slice(Math.max(0, m.index! - 40), m.index!);
    // `index .Values "a" "b" ...` and `hasKey .Values "a"`: quoted keys after the reference
    if (/(index|hasKey)\s+\(?\$?$/.test(before)) {
      const rest = /^((?:\s+"[^"]*")+)/.exec(text.slice(i));
      if (rest) keys.push(...[...rest[1].matchAll(/"([^"]*)"/g)].map((x) => x[1]));
    }
    if (keys.length) paths.push(keys.join('.'));
    // the whole values serialized or handed to a helper: any key may be read
    else if (/(toYaml|toJson|toPrettyJson|mustToJson|deepCopy|mustDeepCopy|tpl|include\s+"[^"]*")\s+\(?\$?$/.test(before) || /^\s*\|\s*(toYaml|toJson|mustToJson)/.test(text.slice(i))) all = true;
  }
  return { paths, all };
}

function readChartFolder(dir: string): ChartKnowledge {
  const defaults = new Map<string, boolean>();
  const valuesFile = path.join(dir, 'values.yaml');
  if (existsSync(valuesFile)) flatten(load(readFileSync(valuesFile, 'utf8')) ?? {}, '', defaults);
  const read = new Set<string>();
  let readsAll = false;
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const f of readdirSync(d)) {
      const p = path.join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const r = references(readFileSync(p, 'utf8'));
        r.paths.forEach((x) => read.add(x));
        readsAll ||= r.all;
      }
    }
  };
  walk(path.join(dir, 'templates'));
  const meta = (load(readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')) ?? {}) as { dependencies?: { name: string; alias?: string; condition?: string }[] };
  const subcharts = new Map<string, ChartKnowledge | undefined>();
  for (const dep of meta.dependencies ?? []) {
    for (const c of (dep.condition ?? '').split(',').map((x) => x.trim()).filter((x) => x)) read.add(c);
    const folder = path.join(dir, 'charts', dep.name);
    subcharts.set(dep.alias ?? dep.name, existsSync(path.join(folder, 'Chart.yaml')) ? readChartFolder(folder) : undefined);
  }
  return {
    defaults: new Set(defaults.keys()),
    leaves: new Set([...defaults].filter(([, leaf]) => leaf).map(([k]) => k)),
    read, readsAll, subcharts,
  };
}

function known(chart: ChartKnowledge, key: string): boolean | undefined {
  if (chart.readsAll) return true;
  const parts = key.split('.');
  if (parts[0] === 'global') return true;
  const sub = chart.subcharts.has(parts[0]) ? chart.subcharts.get(parts[0]) : null;
  if (sub === undefined) return undefined; // a subchart that is not there: not judged
  if (chart.defaults.has(key)) return true;
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('.');
    if (chart.leaves.has(prefix) || chart.read.has(prefix)) return true;
  }
  // the templates read something below this key
  for (const r of chart.read) if (r.startsWith(`${key}.`)) return true;
  if (sub && parts.length > 1) return known(sub, parts.slice(1).join('.'));
  return false;
}

/** The chart folder to read: a folder as is, a `.tgz` unpacked once next to it in the cache. */
function chartFolder(p: string, cacheDir: string): string {
  if (statSync(p).isDirectory()) return p;
  const dest = path.join(cacheDir, 'unpacked', path.basename(p, '.tgz'));
  if (!existsSync(dest)) {
    mkdirSync(path.dirname(dest), { recursive: true });
    const tmp = mkdtempSync(`${dest}.tmp-`);
    execFileSync('tar', ['-xzf', p, '-C', tmp]);
    const inner = readdirSync(tmp).find((f) => existsSync(path.join(tmp, f, 'Chart.yaml')));
    try {
      renameSync(path.join(tmp, inner ?? ''), dest);
    } catch {
      // another process unpacked it first
    }
    rmSync(tmp, { recursive: true, force: true });
  }
  return dest;
}

/**
 * Keys in the values each Application renders its chart with (the library's values and the
 * user's, every layer) that the chart neither defaults in values.yaml nor reads in any
 * template, subcharts included (`global` and keys of a subchart that is not available are
 * not judged). Only the exact pinned chart is judged: a stand-in is listed in `notJudged`.
 */
export function findUnusedValues(rendered: readonly RenderedApplication[], cacheDir = path.join('node_modules', '.cache', 'cdk8s-gitops-platform')): UnusedValuesResult {
  checkListArg('findUnusedValues', 'rendered', rendered, 'what renderApplications() returns');
  checkStringArg('findUnusedValues', 'cacheDir', cacheDir, '"node_modules/.cache/cdk8s-gitops-platform"');
  const charts = new Map<string, ChartKnowledge>();
  const found = new Map<string, UnusedValue>();
  const notJudged = new Set<string>();
  for (const r of rendered) {
    if (!r.chart) continue;
    const label = `${r.chart.name} ${r.chart.version}`;
    if (r.chart.standIn) {
      notJudged.add(label);
      continue;
    }
    let chart = charts.get(r.chart.path);
    if (!chart) charts.set(r.chart.path, chart = readChartFolder(chartFolder(r.chart.path, path.resolve(cacheDir))));
    const keys = new Map<string, boolean>();
    for (const layer of r.valuesLayers) flatten(load(layer) ?? {}, '', keys);
    // report the shortest unknown key: below it everything is unknown too
    const unknown = [...keys.keys()].filter((k) => known(chart!, k) === false).sort();
    for (const key of unknown.filter((k, _, all) => !all.some((o) => k.startsWith(`${o}.`)))) {
      const id = `${label}\u0000${key}`;
      const prior = found.get(id);
      if (prior) {
        if (!prior.applications.includes(r.application.name)) prior.applications.push(r.application.name);
      } else {
        found.set(id, { chart: label, key, applications: [r.application.name], ...(r.application.catalogEntry ? { entry: r.application.catalogEntry } : {}) });
      }
    }
  }
  return { unused: [...found.values()], notJudged: [...notJudged].sort() };
}
