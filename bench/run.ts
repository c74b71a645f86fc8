// One measurement in a fresh process: `tsx bench/run.ts <synth|floor|cdk8s> <tenants> <outdir>`.
// Prints one JSON line: wall seconds of the measured step, the seconds spent declaring the
// platform (not part of the measured step), and the process's peak RSS.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { parse, stringify } from 'yaml';
import { referencePlatform } from './reference-platform';

const [mode, n, outdir] = process.argv.slice(2);
const tenants = Number(n);
fs.rmSync(outdir, { recursive: true, force: true });

const t0 = performance.now();
const platform = referencePlatform(tenants, outdir);
const declareSeconds = (performance.now() - t0) / 1000;

/** Writes one file the way the floor does: yaml or JSON from the parsed document, or the text as it is. */
function writeDoc(rel: string, doc: unknown): void {
  const file = path.join(outdir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (rel.endsWith('.yaml')) fs.writeFileSync(file, stringify(doc, { lineWidth: 0 }));
  else if (rel.endsWith('.json')) fs.writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
  else fs.writeFileSync(file, doc as string);
}

let seconds: number;
let cpu0 = process.cpuUsage();
if (mode === 'synth') {
  const t1 = performance.now();
  platform.synth();
  seconds = (performance.now() - t1) / 1000;
} else {
  // the very same documents and layout, parsed up front so only writing is timed
  const docs = [...platform.render()].map(([rel, content]) => [rel,
    rel.endsWith('.yaml') ? parse(content) : rel.endsWith('.json') ? JSON.parse(content) : content] as const);
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
    throw new Error(`unknown mode ${mode}: synth, floor, cdk8s or cdk8s-linear`);
  }
  seconds = (performance.now() - t1) / 1000;
}
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
console.log(JSON.stringify({ mode, tenants, seconds, cpuSeconds, declareSeconds, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
