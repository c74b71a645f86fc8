// `npm run bench`: the fleet-scale benchmark. Each figure is measured in a fresh process
// (`bench/run.ts`), several times; the median is printed with its target. Options:
//   --tenants 400,4000   tenant counts (the ratios are taken at the largest)
//   --runs 3             runs per figure (synth, floor, re-synths, Terraform)
//   --peer-runs 1        runs of plain cdk8s (folder per chart, file per resource)
//   --no-peer            skip plain cdk8s
//   --peer-quadratic     also measure plain cdk8s's default output (a file per chart: minutes at 4,000 tenants)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { FLEET_CLUSTERS, writePins } from './reference-platform';

const opts = new Command('bench')
  .option('--tenants <list>', 'tenant counts', '400,4000')
  .option('--runs <n>', 'runs per figure', '3')
  .option('--peer-runs <n>', 'runs of plain cdk8s', '1')
  .option('--no-peer', 'skip the plain-cdk8s peer')
  .option('--peer-quadratic', 'also measure plain cdk8s with its default output')
  .parse()
  .opts<{ tenants: string; runs: string; peerRuns: string; peer: boolean; peerQuadratic?: boolean }>();

type Result = Record<string, number | boolean>;

const IMPORT_COMPILED = `const t0 = performance.now(); require('./.bench/lib/index.js'); const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ seconds, providerRoots: Object.keys(require.cache).filter((f) => /@cdktf[\\\\/]provider-[^\\\\/]+[\\\\/]lib[\\\\/]index\\.js$/.test(f)).length }));`;
const root = path.resolve(__dirname, '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-gitops-platform-bench-'));

function once(args: string[], nodeArgs = ['--import', 'tsx']): Result {
  const out = execFileSync(process.execPath, [...nodeArgs, ...args], {
    cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Result;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Runs `mode` `runs` times; numbers are medians, other fields come from the last run. */
function measure(mode: string, tenants: number, runs: number, before?: (i: number) => void): Result {
  const samples: Result[] = [];
  for (let i = 0; i < runs; i++) {
    before?.(i);
    samples.push(once(['bench/run.ts', mode, String(tenants), path.join(scratch, `out-${mode === 'resynth' ? 'synth' : mode}-${tenants}`), path.join(scratch, `pins-${tenants}`)]));
  }
  const out: Result = { ...samples[samples.length - 1] };
  for (const k of Object.keys(out)) if (typeof out[k] === 'number') out[k] = median(samples.map((s) => s[k] as number));
  out.spread = Math.max(...samples.map((s) => s.seconds as number)) - Math.min(...samples.map((s) => s.seconds as number));
  return out;
}

const line = (label: string, value: string, target = '') => console.log(`${label.padEnd(52)} ${value.padEnd(44)} ${target ? `target ${target}` : ''}`);
const secs = (r: Result) => `${(r.seconds as number).toFixed(2)} s (CPU ${(r.cpuSeconds as number).toFixed(2)} s, spread ${(r.spread as number).toFixed(2)} s)`;
const tenantCounts = opts.tenants.split(',').map(Number);
const runs = Number(opts.runs);
const results = new Map<string, Result>();
try {
  console.log(`cdk8s-gitops-platform benchmark: node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}, median of ${runs} run(s) per figure`);
  console.log(`reference platform: 1 management cluster, ${FLEET_CLUSTERS} fleet clusters, 40 catalog entries, N tenants (N/2 teams x staging and prod), a team service on a quarter of the tenants`);
  // as consumers load it: the compiled library, plain node (compiled once into .bench/lib)
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--outDir', '.bench/lib'], { cwd: root, stdio: 'ignore' });
  const compiled = Array.from({ length: runs }, () => once(['-e', IMPORT_COMPILED], []));
  line('import the library (compiled, node)', `${median(compiled.map((c) => c.seconds as number)).toFixed(3)} s (provider package roots: ${compiled[0].providerRoots})`, 'no provider package root');
  const sources = Array.from({ length: runs }, () => once(['bench/import-cost.ts']));
  line('import the library (sources, tsx)', `${median(sources.map((c) => c.seconds as number)).toFixed(3)} s (provider package roots: ${sources[0].providerRoots})`);
  for (const n of tenantCounts) {
    writePins(path.join(scratch, `pins-${n}`), n);
    const modes: [string, string, number][] = [['synth', 'platform.synth(), fresh folder', runs], ['floor', 'floor (js-yaml + fs, same bytes)', runs]];
    if (opts.peer) modes.push(['cdk8s-linear', 'plain cdk8s, folder per chart, file per resource', Number(opts.peerRuns)]);
    if (opts.peerQuadratic) modes.push(['cdk8s', 'plain cdk8s, default output (file per chart)', Number(opts.peerRuns)]);
    for (const [mode, name, r] of modes) {
      const s = measure(mode, n, r);
      results.set(`${mode}-${n}`, s);
      line(`${name}, ${n} tenants`, `${secs(s)}, RSS ${(s.peakRssMb as number).toFixed(0)} MB`, mode === 'synth' ? '' : '');
      if (mode === 'synth') line(`  output`, `${s.files} files, ${(s.megabytes as number).toFixed(1)} MB`);
      if (mode === 'floor' && s.sameBytes !== true) line('  WARNING', 'the floor did not write the same bytes as synth');
    }
    // re-synths into the synth's folder, in fresh processes: no change, then one pin bump per run
    const same = measure('resynth', n, runs);
    results.set(`resynth-same-${n}`, same);
    line(`re-synth, no change, ${n} tenants`, `${secs(same)}, files touched ${same.touched}`, 'files touched 0');
    const bumped = measure('resynth', n, runs, (i) => writePins(path.join(scratch, `pins-${n}`), n, i % 2 === 0));
    results.set(`resynth-pin-${n}`, bumped);
    line(`re-synth after one pin bump, ${n} tenants`, `${secs(bumped)}, files touched ${bumped.touched} of ${bumped.files}`, `only the ${bumped.contentChanged} whose content changed (${bumped.touchedUnchanged} unchanged touched)`);
    const tf = measure('terraform', n, runs);
    results.set(`terraform-${n}`, tf);
    line(`Terraform state per cluster, ${tf.clusters} clusters`, `mean ${(tf.meanMs as number).toFixed(1)} ms, median ${(tf.medianMs as number).toFixed(1)} ms, max ${(tf.maxMs as number).toFixed(1)} ms`, '<= 15 ms (mean)');
  }
  const get = (k: string) => results.get(k)?.seconds as number | undefined;
  const ratio = (label: string, a: number | undefined, b: number | undefined, target: string, ok: (r: number) => boolean) => {
    if (a !== undefined && b !== undefined) line(label, `${(a / b).toFixed(3)} ${ok(a / b) ? 'met' : 'NOT MET'}`, target);
  };
  const [lo, hi] = [Math.min(...tenantCounts), Math.max(...tenantCounts)];
  if (lo !== hi) ratio(`synth(${hi}) / synth(${lo})`, get(`synth-${hi}`), get(`synth-${lo}`), `<= ${((hi / lo) * 1.1).toFixed(0)} (linear)`, (r) => r <= (hi / lo) * 1.1);
  ratio(`synth / floor at ${hi} tenants`, get(`synth-${hi}`), get(`floor-${hi}`), '<= 1.5', (r) => r <= 1.5);
  ratio(`synth / plain cdk8s linear at ${hi} tenants`, get(`synth-${hi}`), get(`cdk8s-linear-${hi}`), '<= 0.8', (r) => r <= 0.8);
  ratio(`synth / plain cdk8s default at ${hi} tenants`, get(`synth-${hi}`), get(`cdk8s-${hi}`), '<= 0.1', (r) => r <= 0.1);
  ratio(`re-synth after a pin bump / synth at ${hi} tenants`, get(`resynth-pin-${hi}`), get(`synth-${hi}`), '<= 0.3', (r) => r <= 0.3);
  const rss = results.get(`synth-${hi}`)?.peakRssMb as number | undefined;
  if (rss !== undefined) line(`peak RSS of synth at ${hi} tenants`, `${rss.toFixed(0)} MB ${rss <= 1024 ? 'met' : 'NOT MET'}`, '<= 1024 MB');
  console.log('Wall-clock ratios on a shared machine are noisy: compare the CPU seconds too, and the spread of each figure.');
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
