// `npm run bench`: the fleet-scale benchmark. Each figure is measured in a fresh process
// (`bench/run.ts`), several times; the median is printed. Options:
//   --tenants 400,4000   tenant counts (the ratios need 400 and 4000)
//   --runs 3             runs per figure for synth and the floor
//   --peer-runs 1        runs per figure for plain cdk8s (minutes at 4,000 tenants); its default
//                        output (a file per chart) and its folder-per-chart output are both measured
//   --no-peer            skip plain cdk8s
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';

const opts = new Command('bench')
  .option('--tenants <list>', 'tenant counts', '400,4000')
  .option('--runs <n>', 'runs per figure (synth, floor)', '3')
  .option('--peer-runs <n>', 'runs per figure (plain cdk8s)', '1')
  .option('--no-peer', 'skip the plain-cdk8s peer')
  .parse()
  .opts<{ tenants: string; runs: string; peerRuns: string; peer: boolean }>();

interface Sample { seconds: number; cpuSeconds: number; peakRssMb: number }

const IMPORT_COMPILED = `const t0 = performance.now(); require('./.bench/lib/index.js'); const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ seconds, providerRoots: Object.keys(require.cache).filter((f) => /@cdktf[\\\\/]provider-[^\\\\/]+[\\\\/]lib[\\\\/]index\\.js$/.test(f)).length }));`;
const root = path.resolve(__dirname, '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-gitops-platform-bench-'));

function once(args: string[], nodeArgs = ['--import', 'tsx']): Record<string, number> {
  const out = execFileSync(process.execPath, [...nodeArgs, ...args], {
    cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'],
  });
  const last = out.trim().split('\n').pop()!;
  return JSON.parse(last) as Record<string, number>;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function measure(mode: string, tenants: number, runs: number): Sample {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const r = once(['bench/run.ts', mode, String(tenants), path.join(scratch, `${mode}-${tenants}`)]);
    samples.push({ seconds: r.seconds, cpuSeconds: r.cpuSeconds, peakRssMb: r.peakRssMb });
  }
  return { seconds: median(samples.map((s) => s.seconds)), cpuSeconds: median(samples.map((s) => s.cpuSeconds)), peakRssMb: median(samples.map((s) => s.peakRssMb)) };
}

const line = (label: string, value: string) => console.log(`${label.padEnd(44)} ${value}`);
const tenantCounts = opts.tenants.split(',').map(Number);
const runs = Number(opts.runs);
const results = new Map<string, Sample>();
try {
  console.log(`cdk8s-gitops-platform benchmark: node ${process.version}, ${os.cpus().length} cores, median of ${runs} run(s) per figure`);
  // as consumers load it: the compiled library, plain node (compiled once into .bench/lib)
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--outDir', '.bench/lib'], { cwd: root, stdio: 'ignore' });
  const compiled = Array.from({ length: runs }, () => once(['-e', IMPORT_COMPILED], []));
  line('import the library (compiled, node)', `${median(compiled.map((c) => c.seconds)).toFixed(3)} s (provider package roots loaded: ${compiled[0].providerRoots})`);
  const sources = Array.from({ length: runs }, () => once(['bench/import-cost.ts']));
  line('import the library (sources, tsx)', `${median(sources.map((c) => c.seconds)).toFixed(3)} s (provider package roots loaded: ${sources[0].providerRoots})`);
  for (const n of tenantCounts) {
    const modes: [string, number][] = [['synth', runs], ['floor', runs]];
    if (opts.peer) modes.push(['cdk8s', Number(opts.peerRuns)], ['cdk8s-linear', Number(opts.peerRuns)]);
    for (const [mode, r] of modes) {
      const s = measure(mode, n, r);
      results.set(`${mode}-${n}`, s);
      const name = {
        'synth': 'platform.synth()',
        'floor': 'floor (yaml + fs)',
        'cdk8s': 'plain cdk8s App.synth()',
        'cdk8s-linear': 'plain cdk8s, folder per chart',
      }[mode];
      line(`${name}, ${n} tenants`, `${s.seconds.toFixed(2)} s (CPU ${s.cpuSeconds.toFixed(2)} s), peak RSS ${s.peakRssMb.toFixed(0)} MB`);
    }
  }
  const get = (k: string) => results.get(k)?.seconds;
  const ratio = (label: string, a?: number, b?: number, target?: string) => {
    if (a !== undefined && b !== undefined) line(label, `${(a / b).toFixed(3)}${target ? `   (target ${target})` : ''}`);
  };
  const [lo, hi] = [Math.min(...tenantCounts), Math.max(...tenantCounts)];
  if (lo !== hi) ratio(`synth(${hi}) / synth(${lo})`, get(`synth-${hi}`), get(`synth-${lo}`), `<= ${((hi / lo) * 1.1).toFixed(0)}`);
  ratio(`synth / floor at ${hi} tenants`, get(`synth-${hi}`), get(`floor-${hi}`), '<= 3');
  ratio(`synth / plain cdk8s at ${hi} tenants`, get(`synth-${hi}`), get(`cdk8s-${hi}`), '<= 0.1');
  ratio(`synth / cdk8s folder per chart at ${hi}`, get(`synth-${hi}`), get(`cdk8s-linear-${hi}`));
  const rss = results.get(`synth-${hi}`)?.peakRssMb;
  if (rss !== undefined) line(`peak RSS of synth at ${hi} tenants`, `${rss.toFixed(0)} MB   (target <= 1536)`);
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
