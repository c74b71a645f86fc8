import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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

interface Child {
  ready: Promise<void>;
  go: () => void;
  done: Promise<{ code: number | null; signal: string | null; stderr: string }>;
  kill: () => void;
}

function runChild(outdir: string, k: number): Child {
  const p = spawn(process.execPath, ['--import', tsx, child, outdir, String(k), String(ROUNDS)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  p.stderr.on('data', (d) => { stderr += String(d); });
  return {
    ready: new Promise((resolve) => p.stdout.once('data', () => resolve())),
    go: () => p.stdin.end('g'),
    done: new Promise((resolve) => p.on('exit', (code, signal) => resolve({ code, signal, stderr }))),
    kill: () => p.kill('SIGKILL'),
  };
}

describe('several processes synthesizing into the same folder at once', () => {
  it('always leave one complete, valid output: exactly one variant\'s files, hand-written files kept, no leftovers', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'writer-concurrency-'));
    const outdir = path.join(work, 'dist');
    const valid = Array.from({ length: VARIANTS }, (_, k) => Object.fromEntries(variant(k).render()));
    try {
      variant(0, outdir).synth();
      fs.writeFileSync(path.join(outdir, 'notes.md'), 'hand-written\n');
      fs.mkdirSync(path.join(outdir, 'empty'));
      for (let t = 0; t < TRIALS; t++) {
        const children = Array.from({ length: PROCESSES }, (_, i) => runChild(outdir, (t + i) % VARIANTS));
        // every child has loaded the library and rendered: start them together
        await Promise.all(children.map((c) => c.ready));
        children.forEach((c) => c.go());
        const killed = t % 2 === 1 ? Math.floor(Math.random() * PROCESSES) : -1;
        if (killed >= 0) setTimeout(children[killed].kill, Math.random() * 100);
        const results = await Promise.all(children.map((c) => c.done));
        results.forEach((r, i) => {
          // the child's stderr goes into the message with its stack frames defused: the test runner
          // would otherwise read each frame's file for a source map, and a failure would surface as that
          if (i !== killed) expect(r, r.stderr.replace(/^(\s+)at /gm, '$1(child) at ')).toEqual({ code: 0, signal: null, stderr: '' });
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
      }
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
