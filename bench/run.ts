// One measurement in a fresh process: `tsx bench/run.ts <synth|floor|cdk8s> <tenants> <outdir>`.
// Prints one JSON line: wall seconds of the measured step and the process's peak RSS.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, ApiObject, Chart } from 'cdk8s';
import { stringify } from 'yaml';
import { referencePlatform } from './reference-platform';

const [mode, n, outdir] = process.argv.slice(2);
const tenants = Number(n);
fs.rmSync(outdir, { recursive: true, force: true });

let seconds: number;
if (mode === 'synth') {
  const t0 = performance.now();
  referencePlatform(tenants, outdir).synth();
  seconds = (performance.now() - t0) / 1000;
} else {
  // the very same documents and layout, produced without the library's writer
  const files = referencePlatform(tenants).render();
  const t0 = performance.now();
  if (mode === 'floor') {
    for (const [rel, content] of files) {
      const file = path.join(outdir, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const doc = rel.endsWith('.json') ? JSON.stringify(JSON.parse(content), null, 2) + '\n' : stringify(parseYaml(content), { lineWidth: 0 });
      fs.writeFileSync(file, doc);
    }
  } else {
    // plain cdk8s: the same objects in one Chart per output folder, then App.synth()
    const app = new App({ outdir, outputFileExtension: '.yaml', yamlOutputType: 0 as never });
    const charts = new Map<string, Chart>();
    for (const [rel, content] of files) {
      if (!rel.endsWith('.yaml') || !rel.startsWith('clusters/')) continue;
      const folder = path.dirname(rel).replace(/[^a-z0-9]+/gi, '-');
      let chart = charts.get(folder);
      if (!chart) charts.set(folder, chart = new Chart(app, folder, { disableResourceNameHashes: true }));
      const obj = parseYaml(content);
      new ApiObject(chart, path.basename(rel), obj);
    }
    app.synth();
  }
  seconds = (performance.now() - t0) / 1000;
}
console.log(JSON.stringify({ mode, tenants, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 }));

function parseYaml(text: string): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml').parse(text);
}
