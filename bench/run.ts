// One measurement in a fresh process:
//   tsx bench/run.ts <mode> <tenants> <outdir> <pinsRoot>
// modes: synth (into a fresh folder), resynth (into the existing folder, after whatever change
// the caller made to the pins), floor, cdk8s, cdk8s-linear, terraform.
// Prints one JSON line: wall and CPU seconds of the measured step, the seconds spent declaring
// the platform (not part of the measured step), the process's peak RSS and mode-specific counts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { dump, load } from 'js-yaml';
import { serializeStack } from '../src/terraform/cdktf';
import { referencePlatform, writePins } from './reference-platform';

const [mode, n, outdir, pinsRoot] = process.argv.slice(2);
const tenants = Number(n);
if (mode !== 'resynth') fs.rmSync(outdir, { recursive: true, force: true });
if (!fs.existsSync(path.join(pinsRoot, 'services'))) writePins(pinsRoot, tenants);

const t0 = performance.now();
const platform = referencePlatform(tenants, outdir, pinsRoot);
const declareSeconds = (performance.now() - t0) / 1000;

/** The floor: js-yaml (the emitter the library uses, same options) and fs, same layout. */
function writeDoc(rel: string, doc: unknown): void {
  const file = path.join(outdir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (rel.endsWith('.yaml')) fs.writeFileSync(file, dump(doc, { lineWidth: -1, noRefs: true }));
  else if (rel.endsWith('.json')) fs.writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
  else fs.writeFileSync(file, doc as string);
}

/** Every file under the output folder: content and modification time. */
function scan(dir: string): Map<string, { content: string; mtimeMs: number }> {
  const out = new Map<string, { content: string; mtimeMs: number }>();
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) out.set(r, { content: fs.readFileSync(path.join(dir, r), 'utf8'), mtimeMs: fs.statSync(path.join(dir, r)).mtimeMs });
    }
  };
  walk('');
  return out;
}

let seconds: number;
let cpu0 = process.cpuUsage();
const extra: Record<string, number | boolean> = {};
if (mode === 'synth' || mode === 'resynth') {
  const before = mode === 'resynth' ? scan(outdir) : undefined;
  cpu0 = process.cpuUsage();
  const t1 = performance.now();
  platform.synth();
  seconds = (performance.now() - t1) / 1000;
  const cpu = process.cpuUsage(cpu0);
  extra.cpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (before) {
    const after = scan(outdir);
    const names = new Set([...before.keys(), ...after.keys()]);
    let touched = 0;
    let contentChanged = 0;
    let touchedUnchanged = 0;
    for (const f of names) {
      const a = before.get(f);
      const b = after.get(f);
      const changed = a?.content !== b?.content;
      const wasTouched = !a || !b || a.mtimeMs !== b.mtimeMs;
      if (changed) contentChanged++;
      if (wasTouched) touched++;
      if (wasTouched && !changed) touchedUnchanged++;
    }
    Object.assign(extra, { files: after.size, touched, contentChanged, touchedUnchanged });
  } else {
    const out = scan(outdir);
    extra.files = out.size;
    extra.megabytes = [...out.values()].reduce((n, f) => n + Buffer.byteLength(f.content), 0) / 1e6;
  }
} else if (mode === 'terraform') {
  // what one cluster's Terraform state costs to render, once the model is built
  platform.render();
  const costs: number[] = [];
  for (const c of platform.clusters) {
    if (!c.stack) continue;
    const t1 = performance.now();
    serializeStack(c.stack);
    costs.push(performance.now() - t1);
  }
  costs.sort((a, b) => a - b);
  seconds = costs.reduce((a, b) => a + b, 0) / 1000;
  Object.assign(extra, { clusters: costs.length, medianMs: costs[Math.floor(costs.length / 2)], maxMs: costs[costs.length - 1], meanMs: (seconds * 1000) / costs.length });
} else {
  // the very same documents and layout, parsed up front so only writing is timed
  const rendered = platform.render();
  const docs = [...rendered].map(([rel, content]) => [rel,
    rel.endsWith('.yaml') ? load(content) : rel.endsWith('.json') ? JSON.parse(content) : content] as const);
  const t1 = performance.now();
  cpu0 = process.cpuUsage();
  if (mode === 'floor') {
    for (const [rel, doc] of docs) writeDoc(rel, doc);
  } else if (mode === 'cdk8s' || mode === 'cdk8s-linear') {
    // plain cdk8s: every cluster manifest in one Chart per output folder, then App.synth()
    // with cdk8s's default output (a file per chart, each chart rendered by Chart.toJson(),
    // which validates the whole app again: quadratic in charts); `cdk8s-linear` uses the
    // folder-per-chart, file-per-resource output, which validates once. The other files
    // (values, Terraform) are written as the floor writes them.
    const app = new App({ outdir, ...(mode === 'cdk8s-linear' ? { yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE } : {}) });
    const charts = new Map<string, Chart>();
    for (const [rel, doc] of docs) {
      if (!rel.startsWith('clusters/') || !rel.endsWith('.yaml')) {
        writeDoc(rel, doc);
        continue;
      }
      const folder = path.dirname(rel);
      let chart = charts.get(folder);
      if (!chart) charts.set(folder, chart = new Chart(app, folder.replace(/[^a-z0-9]+/gi, '-'), { disableResourceNameHashes: true }));
      new ApiObject(chart, path.basename(rel), doc as never);
    }
    app.synth();
  } else {
    throw new Error(`unknown mode ${mode}: synth, resynth, floor, cdk8s, cdk8s-linear or terraform`);
  }
  seconds = (performance.now() - t1) / 1000;
  const cpu = process.cpuUsage(cpu0);
  extra.cpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (mode === 'floor') {
    // the floor must write the very bytes synth writes
    let differ = 0;
    for (const [rel, content] of rendered) if (fs.readFileSync(path.join(outdir, rel), 'utf8') !== content) differ++;
    extra.sameBytes = differ === 0;
  }
}
console.log(JSON.stringify({ mode, tenants, seconds, cpuSeconds: extra.cpuSeconds ?? seconds, declareSeconds, peakRssMb: process.resourceUsage().maxRSS / 1024, ...extra }));
