// The incremental synth (decision 0006, round seventeen): a re-synth renders only the tenants whose
// declaration changed and keeps the files of the others, which are on disk as the last synth left
// them. Its output must be the very bytes a full synth writes: random platforms, random edits.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import * as path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Platform, PlatformValidationError } from '../src';
import { cacheFileOf } from '../src/synth/synth-cache';
import { build, edit, randomSpec, rng, Spec } from './support/random-platforms';
import { readTree } from './support/tree';

/** Node.js's own `fs` module object: what the library's `import * as fs` reads, once synced. */
const nodeFs = createRequire(import.meta.url)('fs') as typeof fs;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'incremental-synth-'));
const pinsRoot = path.join(root, 'pins');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let work: string;
let stderr: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(root, 'work-'));
  stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => stderr.mockRestore());

/** Synthesizes a spec into `outdir`; returns the platform (its warnings and `_lastSynth`). */
function synth(spec: Spec, outdir: string): Platform {
  const platform = build(spec, pinsRoot, outdir);
  platform.synth();
  return platform;
}

const sorted = (p: Platform) => p.warnings.map((w) => `${w.path} ${w.message}`).sort();
const mtimes = (dir: string) => Object.fromEntries(Object.keys(readTree(dir)).map((f) => [f, fs.statSync(path.join(dir, f)).mtimeMs]));

describe('incremental synth', () => {
  it('writes the very bytes a full synth writes, after random edits, keeping the units that did not change', () => {
    let kept = 0;
    let rendered = 0;
    let runs = 0;
    for (let seed = 101; seed <= 112; seed++) {
      const r = rng(seed);
      let spec = randomSpec(r);
      const outdir = path.join(work, `inc-${seed}`);
      try {
        synth(spec, outdir);
      } catch (e) {
        if (e instanceof PlatformValidationError) continue;
        throw e;
      }
      // two edits in a row, each followed by an incremental synth into the same folder
      for (let step = 0; step < 2; step++) {
        const { spec: next, what } = edit(r, spec);
        let incremental: Platform;
        try {
          incremental = synth(next, outdir);
        } catch (e) {
          if (e instanceof PlatformValidationError) continue;
          throw e;
        }
        spec = next;
        runs++;
        const full = synth(next, path.join(work, `full-${seed}-${step}`));
        expect(full._lastSynth!.kept, 'a fresh folder keeps nothing').toBe(0);
        expect(readTree(outdir), `seed ${seed}, step ${step}: ${what}`).toEqual(readTree(path.join(work, `full-${seed}-${step}`)));
        expect(sorted(incremental), `seed ${seed}, step ${step}: ${what}`).toEqual(sorted(full));
        kept += incremental._lastSynth!.kept;
        rendered += incremental._lastSynth!.units - incremental._lastSynth!.kept;
      }
    }
    console.log(`incremental synth: ${runs} re-synths, ${kept} units kept, ${rendered} rendered`);
    expect(runs).toBeGreaterThan(15);
    expect(kept).toBeGreaterThan(rendered);
    expect(rendered).toBeGreaterThan(0);
  });

  it('keeps every unit and touches no file when nothing changed, also in the same process', () => {
    const spec = randomSpec(rng(5));
    const outdir = path.join(work, 'same');
    const platform = synth(spec, outdir);
    const units = platform._lastSynth!.units;
    expect(units).toBeGreaterThan(4);
    const before = mtimes(outdir);
    const again = synth(spec, outdir);
    expect(again._lastSynth).toEqual({ units, kept: units });
    // the very same Platform object, synthesized again, keeps them too
    platform.synth();
    expect(platform._lastSynth).toEqual({ units, kept: units });
    expect(mtimes(outdir)).toEqual(before);
  });

  it('renders again a unit whose file was edited or removed by hand, and restores the file', () => {
    const spec = randomSpec(rng(6));
    const outdir = path.join(work, 'hand');
    const units = synth(spec, outdir)._lastSynth!.units;
    const expected = readTree(outdir);
    const edited = Object.keys(expected).find((f) => f.includes(`/vcluster-${spec.tenants[0].name}/`))!;
    const removed = Object.keys(expected).find((f) => f.includes(`/vcluster-${spec.tenants[1].name}/`))!;
    expect(edited && removed).toBeTruthy();
    fs.appendFileSync(path.join(outdir, edited), '# edited by hand\n');
    fs.rmSync(path.join(outdir, removed));
    const again = synth(spec, outdir);
    expect(again._lastSynth!.kept).toBeLessThanOrEqual(units - 2);
    expect(readTree(outdir)).toEqual(expected);
  });

  it('treats the cache as a cache: unreadable, another folder\'s, or turned off, it only means a full render', () => {
    const spec = randomSpec(rng(8));
    const outdir = path.join(work, 'cache');
    synth(spec, outdir);
    const expected = readTree(outdir);
    const file = cacheFileOf(path.resolve(outdir))!;
    expect(fs.existsSync(file)).toBe(true);

    fs.writeFileSync(file, '{ not json');
    expect(synth(spec, outdir)._lastSynth!.kept).toBe(0);
    expect(readTree(outdir)).toEqual(expected);

    // another output folder's cache, copied over this one's
    const other = path.join(work, 'other');
    synth(spec, other);
    fs.copyFileSync(cacheFileOf(path.resolve(other))!, file);
    expect(synth(spec, outdir)._lastSynth!.kept).toBe(0);
    expect(synth(spec, outdir)._lastSynth!.kept).toBeGreaterThan(0);

    const env = process.env.CDK8S_GITOPS_PLATFORM_CACHE;
    try {
      process.env.CDK8S_GITOPS_PLATFORM_CACHE = 'off';
      expect(cacheFileOf(path.resolve(outdir))).toBeUndefined();
      expect(synth(spec, outdir)._lastSynth!.kept).toBe(0);
    } finally {
      process.env.CDK8S_GITOPS_PLATFORM_CACHE = env;
    }
    expect(readTree(outdir)).toEqual(expected);
  });

  it('keeps only what is still true when the cache is older than the output (a synth that died before writing it)', () => {
    const r = rng(11);
    const v0 = randomSpec(r);
    const outdir = path.join(work, 'stale');
    synth(v0, outdir);
    const file = cacheFileOf(path.resolve(outdir))!;
    const old = fs.readFileSync(file, 'utf8');
    let v1 = v0;
    for (let i = 0; i < 3; i++) v1 = edit(r, v1).spec;
    synth(v1, outdir);
    // the process that wrote v1's output died before its cache: v0's cache is back
    let kept = 0;
    for (const [spec, name] of [[v1, 'v1'], [edit(r, v1).spec, 'v2'], [v0, 'v0']] as const) {
      fs.writeFileSync(file, old);
      kept += synth(spec, outdir)._lastSynth!.kept;
      const full = path.join(work, `stale-full-${name}`);
      synth(spec, full);
      expect(readTree(outdir), name).toEqual(readTree(full));
    }
    // the units the edits left alone were kept from the old cache, the others rendered
    expect(kept).toBeGreaterThan(0);
  });

  it('warns when the cache cannot be written, and the output is complete', () => {
    const spec = randomSpec(rng(9));
    const outdir = path.join(work, 'unwritable');
    const blocker = path.join(work, 'a-file');
    fs.writeFileSync(blocker, 'not a folder\n');
    const env = process.env.CDK8S_GITOPS_PLATFORM_CACHE;
    try {
      process.env.CDK8S_GITOPS_PLATFORM_CACHE = path.join(blocker, 'cache');
      synth(spec, outdir);
      const printed = stderr.mock.calls.map((c) => String(c[0])).join('');
      expect(printed).toMatch(/warning: \[platform\] the output is complete, but the synth cache ".*a-file\/cache\/[0-9a-f]{32}\.json" could not be written \(.*\), so the next synth renders every tenant again\. Fix: /);
      expect(synth(spec, outdir)._lastSynth!.kept).toBe(0);
    } finally {
      process.env.CDK8S_GITOPS_PLATFORM_CACHE = env;
    }
    expect(readTree(outdir)).toEqual(readTree((synth(spec, path.join(work, 'reference')), path.join(work, 'reference'))));
  });

  for (const failAt of ['renameSync', 'writeFileSync'] as const) {
    it(`leaves the previous output and its cache as they were when ${failAt} fails while an incremental synth writes`, () => {
      const r = rng(10);
      const spec = randomSpec(r);
      const outdir = path.join(work, `fault-${failAt}`);
      synth(spec, outdir);
      const before = readTree(outdir);
      const file = cacheFileOf(path.resolve(outdir))!;
      const cache = fs.readFileSync(file, 'utf8');
      // a change of one tenant: its files are rewritten, the others kept
      const next: Spec = structuredClone(spec);
      next.tenants[0].cpu = next.tenants[0].cpu === '8' ? '1' : '8';
      // the file-system call fails once: the journal's write in the writer's staging folder, or,
      // mid-commit, the first move of a new file into the output folder (the old one is aside already)
      const real = nodeFs[failAt] as (...a: unknown[]) => unknown;
      const staged = failAt === 'renameSync' ? `${path.sep}new${path.sep}` : 'journal.json';
      let calls = 0;
      nodeFs[failAt] = ((...args: unknown[]) => {
        const from = String(args[0]);
        if (from.includes(`.fault-${failAt}.tmp-`) && from.includes(staged) && ++calls === 1) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
        return real(...args);
      }) as never;
      syncBuiltinESMExports();
      try {
        expect(() => synth(next, outdir)).toThrow(/The previous output is unchanged/);
      } finally {
        nodeFs[failAt] = real as never;
        syncBuiltinESMExports();
      }
      expect(calls).toBe(1);
      expect(readTree(outdir)).toEqual(before);
      expect(fs.readFileSync(file, 'utf8')).toBe(cache);
      // the next synth finishes the job, keeping the units it can
      const again = synth(next, outdir);
      expect(again._lastSynth!.kept).toBeGreaterThan(0);
      expect(readTree(outdir)).toEqual(readTree((synth(next, path.join(work, `full-${failAt}`)), path.join(work, `full-${failAt}`))));
    });
  }
});
