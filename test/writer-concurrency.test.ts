import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { MANIFEST_FILE } from '../src';
import { recoverOutput } from '../src/synth/writer';
import { variant, VARIANTS } from './support/concurrent-synth';
import { readTree } from './support/tree';

const PROCESSES = 3;
const TRIALS = 3;
const ROUNDS = 3;
let trials = 0;
afterAll(() => {
  console.log(`concurrent-writer trials: ${trials} (${PROCESSES} processes x ${ROUNDS} synths each, one killed at a random moment in every other trial)`);
});

const child = path.join(__dirname, 'support', 'concurrent-synth.ts');
const tsx = require.resolve('tsx');

/**
 * A child synthesizing process, kept for the next trial unless it is killed (loading the
 * library is most of what a child costs). `trial(k)` starts its synths (variant k first) and
 * resolves when they are done, or when the process ends, with how it ended.
 */
interface Child {
  ready: Promise<void>;
  trial: (k: number) => Promise<{ done: boolean; code: number | null; signal: string | null; stderr: string }>;
  kill: () => void;
  close: () => Promise<{ code: number | null; signal: string | null; stderr: string }>;
}

function runChild(outdir: string): Child {
  const p: ChildProcess = spawn(process.execPath, ['--import', tsx, child, outdir, String(ROUNDS)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  p.stderr!.on('data', (d) => { stderr += String(d); });
  // a killed child's stdin may refuse what is still written to it: its end is what the test checks
  p.stdin!.on('error', () => undefined);
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => p.on('exit', (code, signal) => resolve({ code, signal })));
  const lines = readline.createInterface({ input: p.stdout! });
  const next = () => new Promise<string>((resolve) => lines.once('line', resolve));
  return {
    ready: next().then(() => undefined),
    trial: (k) => {
      p.stdin!.write(`${k}\n`);
      return Promise.race([next().then(() => ({ done: true, code: null, signal: null })), exited.then((e) => ({ done: false, ...e }))]).then((r) => ({ ...r, stderr }));
    },
    kill: () => p.kill('SIGKILL'),
    close: () => {
      p.stdin!.end();
      return exited.then((e) => ({ ...e, stderr }));
    },
  };
}

describe('several processes synthesizing into the same folder at once', () => {
  it('always leave one complete, valid output: exactly one variant\'s files, hand-written files kept, no leftovers', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'writer-concurrency-'));
    const outdir = path.join(work, 'dist');
    const valid = Array.from({ length: VARIANTS }, (_, k) => Object.fromEntries(variant(k).render()));
    // the child's stderr goes into the message with its stack frames defused: the test runner
    // would otherwise read each frame's file for a source map, and a failure would surface as that
    const defused = (stderr: string) => stderr.replace(/^(\s+)at /gm, '$1(child) at ');
    let children: Child[] = [];
    try {
      variant(0, outdir).synth();
      fs.writeFileSync(path.join(outdir, 'notes.md'), 'hand-written\n');
      fs.mkdirSync(path.join(outdir, 'empty'));
      children = Array.from({ length: PROCESSES }, () => runChild(outdir));
      for (let t = 0; t < TRIALS; t++) {
        // every child has loaded the library and rendered: start them together
        await Promise.all(children.map((c) => c.ready));
        const running = children.map((c, i) => c.trial((t + i) % VARIANTS));
        const killed = t % 2 === 1 ? Math.floor(Math.random() * PROCESSES) : -1;
        if (killed >= 0) setTimeout(children[killed].kill, Math.random() * 100);
        const results = await Promise.all(running);
        results.forEach((r, i) => {
          if (i !== killed) expect(r, defused(r.stderr)).toEqual({ done: true, code: null, signal: null, stderr: '' });
        });
        // a killed writer's half-done write is undone by the next one (here: the recovery every write runs first)
        recoverOutput(outdir);
        const tree = readTree(outdir);
        const { [MANIFEST_FILE]: manifest, 'notes.md': notes, ...generated } = tree;
        expect(notes).toBe('hand-written\n');
        expect(fs.statSync(path.join(outdir, 'empty')).isDirectory()).toBe(true);
        expect(JSON.parse(manifest).files).toEqual(Object.keys(generated).sort());
        expect(valid.some((v) => JSON.stringify(v) === JSON.stringify(generated)), 'the output is one of the variants').toBe(true);
        expect(fs.readdirSync(work)).toEqual(['dist']);
        trials++;
        // a killed child is replaced; the others go on to the next trial
        if (killed >= 0) {
          await children[killed].close();
          children[killed] = runChild(outdir);
        }
      }
      const ends = await Promise.all(children.map((c) => c.close()));
      for (const e of ends) expect(e, defused(e.stderr)).toEqual({ code: 0, signal: null, stderr: '' });
    } finally {
      for (const c of children) c.kill();
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
