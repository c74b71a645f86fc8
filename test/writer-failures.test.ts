import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MANIFEST_FILE, PlatformValidationError, PlatformWriteError } from '../src';
import { recoverOutput, Render, writeTree, WriterFs } from '../src/synth/writer';
import { snapshot } from './support/snapshot';
import { readTree } from './support/tree';

let work: string;
let outdir: string;
let injected = 0;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'writer-failures-'));
  outdir = path.join(work, 'dist');
});
afterEach(() => {
  fs.rmSync(work, { recursive: true, force: true });
});
afterAll(() => {
  console.log(`injected write failures: ${injected}`);
});

const siblings = () => fs.readdirSync(work).sort();
const errno = (code: string, text: string) => Object.assign(new Error(`${code}: ${text}`), { code });

const v1 = new Map([
  ['clusters/mgmt/argocd/application-root.yaml', 'kind: Application\nmetadata:\n  name: root\n'],
  ['clusters/mgmt/_cluster/namespace-a.yaml', 'kind: Namespace\n'],
  ['clusters/old/argocd/application-x.yaml', 'kind: Application\n'],
  ['terraform/mgmt/cdk.tf.json', '{}\n'],
  ['PLATFORM.md', 'same\n'],
]);
const v2 = new Map([
  ['clusters/mgmt/argocd/application-root.yaml', 'kind: Application\nmetadata:\n  name: root\n  labels: {v: "2"}\n'],
  ['clusters/mgmt/argocd/appproject-platform.yaml', 'kind: AppProject\n'],
  ['clusters/new/argocd/application-y.yaml', 'kind: Application\n'],
  ['terraform/mgmt/cdk.tf.json', '{"v": 2}\n'],
  ['PLATFORM.md', 'same\n'],
]);

/** The previous output: generated files, a file written by hand and an empty folder made by hand. */
function previousOutput(): Record<string, string> {
  writeTree(outdir, v1);
  fs.mkdirSync(path.join(outdir, 'docs/empty'), { recursive: true });
  fs.writeFileSync(path.join(outdir, 'docs/notes.md'), 'hand-written\n');
  return snapshot(outdir);
}

/** What the output must hold after writing v2 over the previous output. */
function expectV2(): void {
  const tree = readTree(outdir);
  const generated = Object.fromEntries([...v2]);
  expect(tree).toEqual({ ...generated, 'docs/notes.md': 'hand-written\n', [MANIFEST_FILE]: tree[MANIFEST_FILE] });
  expect(JSON.parse(tree[MANIFEST_FILE]).files).toEqual([...v2.keys()].sort());
  expect(fs.statSync(path.join(outdir, 'docs/empty')).isDirectory()).toBe(true);
  expect(fs.existsSync(path.join(outdir, 'clusters/old'))).toBe(false);
}

/** A render that hands every file of `files` to the writer as it goes, then returns them all. */
const renderOf = (files: ReadonlyMap<string, string>, after?: () => void): Render => (sink) => {
  for (const [f, c] of files) sink(f, c);
  after?.();
  return files;
};

const real: WriterFs = {
  mkdtempSync: (p) => fs.mkdtempSync(p),
  mkdirSync: (p, o) => fs.mkdirSync(p, o),
  writeFileSync: (p, d) => fs.writeFileSync(p, d),
  renameSync: (f, t) => fs.renameSync(f, t),
  rmSync: (p, o) => fs.rmSync(p, o),
  unlinkSync: (p) => fs.unlinkSync(p),
  rmdirSync: (p) => fs.rmdirSync(p),
};

/**
 * The real file system where call number `at` (1-based) fails. With `crash`, that call and
 * every later one fail: the process is gone, nothing it would still do happens.
 */
function faulty(at: number, crash: boolean, log: string[] = []): WriterFs {
  let n = 0;
  const wrap = <K extends keyof WriterFs>(name: K) => ((...args: unknown[]) => {
    n++;
    if (n === at || (crash && n > at)) throw errno('EIO', `i/o error (injected on ${name})`);
    log.push(`${name} ${path.basename(String(args[0]))}`);
    return (real[name] as (...a: unknown[]) => unknown)(...args);
  }) as WriterFs[K];
  return Object.fromEntries(Object.keys(real).map((k) => [k, wrap(k as keyof WriterFs)])) as unknown as WriterFs;
}

/** The pid of a process that has exited. */
let dead: number | undefined;
function deadPid(): number {
  dead ??= spawnSync(process.execPath, ['-e', '']).pid!;
  return dead;
}

function run(fn: () => unknown): unknown {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e;
  }
}

describe('a failure at any point of a write leaves the previous output exactly as it was (or the new one complete)', () => {
  for (const scenario of ['an update of an existing output', 'an update rendered under the lock', 'a first write into a missing folder', 'a first write rendered into its staging folder'] as const) {
    const first = scenario.startsWith('a first write');
    const prepare = () => (first ? {} : previousOutput());
    const expectNew = () => (first ? expect(readTree(outdir)).toEqual({ ...Object.fromEntries(v2), [MANIFEST_FILE]: readTree(outdir)[MANIFEST_FILE] }) : expectV2());
    // the render itself, handing each file to the writer as it goes (what Platform.synth() passes)
    const source = scenario.includes('rendered') ? renderOf(v2) : v2;
    const expectNewFiles = () => expect(readTree(outdir)).toEqual({ ...Object.fromEntries(v2), ...(!first ? { 'docs/notes.md': 'hand-written\n' } : {}), [MANIFEST_FILE]: readTree(outdir)[MANIFEST_FILE] });

    it(`${scenario}: every file-system call fails in turn`, () => {
      prepare();
      const log: string[] = [];
      writeTree(outdir, source, faulty(0, false, log));
      const calls = log.length;
      expect(calls).toBeGreaterThan(first ? 8 : 15);
      for (let at = 1; at <= calls; at++) {
        fs.rmSync(work, { recursive: true, force: true });
        fs.mkdirSync(work);
        const before = prepare();
        injected++;
        const error = run(() => writeTree(outdir, source, faulty(at, false)));
        if (error) {
          expect(error, `call ${at}: ${log[at - 1]}`).toBeInstanceOf(PlatformWriteError);
          expect((error as Error).message).toMatch(/^writing the platform to ".*dist" failed: EIO: i\/o error \(injected on \w+\)\. The previous output is unchanged\. Fix: free space or permissions on that folder, then synth again\.$/);
          expect(fs.existsSync(outdir) ? snapshot(outdir) : {}, `call ${at}: ${log[at - 1]}`).toEqual(before);
          expect(siblings(), `call ${at}: ${log[at - 1]}`).toEqual(fs.existsSync(outdir) ? ['dist'] : []);
        } else {
          // a failure after the commit (tidying up) is at most a warning: the new files are complete
          expectNewFiles();
        }
        expect(writeTree(outdir, v2).warnings).toEqual([]);
        expectNew();
        expect(siblings()).toEqual(['dist']);
      }
    });

    it(`${scenario}: the process dies at every point in turn; the next run restores the previous output or keeps the complete new one`, () => {
      prepare();
      const log: string[] = [];
      writeTree(outdir, source, faulty(0, false, log));
      const calls = log.length;
      const doneAt = log.indexOf('writeFileSync done') + 1;
      for (let at = 1; at <= calls; at++) {
        fs.rmSync(work, { recursive: true, force: true });
        fs.mkdirSync(work);
        const before = prepare();
        injected++;
        run(() => writeTree(outdir, source, faulty(at, true)));
        // the dead process's lock is left behind; it must not block the next run
        fs.writeFileSync(path.join(work, '.dist.lock'), `${deadPid()}\n${os.hostname()}\n`);
        recoverOutput(outdir);
        const committed = !first ? at > doneAt : at > calls;
        if (committed) expectNew();
        else expect(fs.existsSync(outdir) ? snapshot(outdir) : {}, `crash at call ${at}: ${log[at - 1]}`).toEqual(before);
        expect(siblings().filter((s) => s !== 'dist'), `crash at call ${at}: ${log[at - 1]}`).toEqual([]);
        writeTree(outdir, v2);
        expectNew();
      }
    });
  }

  it('when undoing a failed write fails too: the error says so, and the next write restores the previous output first', () => {
    const before = previousOutput();
    let renames = 0;
    injected++;
    const error = run(() => writeTree(outdir, v2, {
      ...real,
      renameSync: (f, t) => {
        renames++;
        // the journal is renamed into place (1), two files move (2-4), then every rename fails
        if (renames >= 5) throw errno('EIO', 'i/o error');
        fs.renameSync(f, t);
      },
    })) as Error;
    expect(error).toBeInstanceOf(PlatformWriteError);
    const staging = siblings().find((s) => s.startsWith('.dist.tmp-'))!;
    expect(error.message).toBe(`writing the platform to ${JSON.stringify(outdir)} failed: EIO: i/o error. The previous output is restored from ${JSON.stringify(staging)} beside it by the next synth. Fix: free space or permissions on that folder, then synth again.`);
    expect(snapshot(outdir)).not.toEqual(before);
    recoverOutput(outdir);
    expect(snapshot(outdir)).toEqual(before);
    expect(siblings()).toEqual(['dist']);
  });

  it('a read-only leftover that cannot be removed is a warning, never a failure of later writes', () => {
    previousOutput();
    const leftover = path.join(work, '.dist.tmp-Ro0001');
    fs.mkdirSync(path.join(leftover, 'new'), { recursive: true });
    fs.writeFileSync(path.join(leftover, 'new/0'), 'x');
    const stuck: WriterFs = {
      ...real,
      rmSync: (p, o) => {
        if (p === leftover) throw errno('EACCES', 'permission denied');
        fs.rmSync(p, o);
      },
    };
    injected++;
    for (let i = 0; i < 2; i++) {
      const result = writeTree(outdir, i === 0 ? v2 : v1, stuck);
      expect(result.warnings).toEqual(['a leftover folder of an earlier synth, ".dist.tmp-Ro0001", could not be removed (EACCES: permission denied); it does not affect the output, remove it by hand']);
    }
    expect(readTree(outdir)['terraform/mgmt/cdk.tf.json']).toBe('{}\n');
    expect(siblings()).toEqual(['.dist.tmp-Ro0001', 'dist']);
  });

  it('a leftover made read-only (mode 0555) is made writable and removed', () => {
    previousOutput();
    const leftover = path.join(work, '.dist.tmp-Ro0002');
    fs.mkdirSync(path.join(leftover, 'old/sub'), { recursive: true });
    fs.writeFileSync(path.join(leftover, 'old/sub/0'), 'x');
    fs.chmodSync(path.join(leftover, 'old/sub'), 0o555);
    fs.chmodSync(path.join(leftover, 'old'), 0o555);
    fs.chmodSync(leftover, 0o555);
    expect(writeTree(outdir, v2).warnings).toEqual([]);
    expectV2();
    expect(siblings()).toEqual(['dist']);
  });

  it('a read-only output folder makes the write fail with the previous output unchanged, and the next write after a chmod succeeds', () => {
    const before = previousOutput();
    injected++;
    const error = run(() => writeTree(outdir, v2, {
      ...real,
      renameSync: (f, t) => {
        if (t.startsWith(outdir + path.sep) || f.startsWith(outdir + path.sep)) throw errno('EACCES', 'permission denied');
        fs.renameSync(f, t);
      },
    }));
    expect((error as Error).message).toContain('failed: EACCES: permission denied. The previous output is unchanged.');
    expect(snapshot(outdir)).toEqual(before);
    expect(siblings()).toEqual(['dist']);
    writeTree(outdir, v2);
    expectV2();
  });

  it('another process adding a file to the output folder mid-write keeps it', () => {
    previousOutput();
    let added = false;
    writeTree(outdir, v2, {
      ...real,
      writeFileSync: (p, d) => {
        if (!added) {
          fs.writeFileSync(path.join(outdir, 'docs/added-meanwhile.md'), 'mine\n');
          added = true;
        }
        fs.writeFileSync(p, d);
      },
    });
    expect(readTree(outdir)['docs/added-meanwhile.md']).toBe('mine\n');
    expect(readTree(outdir)['docs/notes.md']).toBe('hand-written\n');
  });

  it('restores the output an older version of this library left aside (crash between its two renames)', () => {
    previousOutput();
    const before = readTree(outdir);
    fs.renameSync(outdir, path.join(work, '.dist.tmp-Ab12Cd.old'));
    fs.mkdirSync(path.join(work, '.dist.tmp-Zz99Yy/clusters'), { recursive: true });
    fs.mkdirSync(path.join(work, '.dist.tmp-notours-at-all'));
    fs.writeFileSync(path.join(work, 'other.txt'), 'x');
    recoverOutput(outdir);
    expect(readTree(outdir)).toEqual(before);
    expect(siblings()).toEqual(['.dist.tmp-notours-at-all', 'dist', 'other.txt']);
  });
});

describe('writers are serialized by a lock that dies with its process', () => {
  it('waits for a live writer and says who holds the lock when the wait runs out', () => {
    previousOutput();
    const before = snapshot(outdir);
    // this test's own parent process is alive
    fs.writeFileSync(path.join(work, '.dist.lock'), `${process.ppid}\n${os.hostname()}\n`);
    const error = run(() => writeTree(outdir, v2, { lock: { timeoutMs: 50 } })) as Error;
    expect(error).toBeInstanceOf(PlatformWriteError);
    expect(error.message).toBe(`writing the platform to ${JSON.stringify(outdir)} failed: another synth (process ${process.ppid} on ${os.hostname()}) is writing it and did not finish in time. The previous output is unchanged. Fix: let the other synth finish (or, if none runs, delete ".dist.lock" beside the output folder), then synth again.`);
    expect(snapshot(outdir)).toEqual(before);
  });

  it('takes over the lock of a process that died, and of one that died before writing its id', () => {
    previousOutput();
    for (const stale of [`${deadPid()}\n${os.hostname()}\n`, '']) {
      const lock = path.join(work, '.dist.lock');
      fs.writeFileSync(lock, stale);
      if (stale === '') {
        // an empty lock may be one a live process has just created: it is stale only after a few seconds
        injected++;
        expect(run(() => writeTree(outdir, v2, { lock: { timeoutMs: 300 } }))).toBeInstanceOf(PlatformWriteError);
        const past = new Date(Date.now() - 10_000);
        fs.utimesSync(lock, past, past);
      }
      writeTree(outdir, v2);
      expectV2();
      expect(siblings()).toEqual(['dist']);
      writeTree(outdir, v1);
    }
  });

  it('a takeover guard left by a process that died does not block; a live one makes takers wait', () => {
    previousOutput();
    const lock = path.join(work, '.dist.lock');
    const guard = `${lock}.takeover`;
    fs.writeFileSync(lock, `${deadPid()}\n${os.hostname()}\n`);
    fs.writeFileSync(guard, `${process.ppid}\n${os.hostname()}\n`);
    injected++;
    expect(run(() => writeTree(outdir, v2, { lock: { timeoutMs: 300 } }))).toBeInstanceOf(PlatformWriteError);
    expect(fs.readFileSync(lock, 'utf8')).toBe(`${deadPid()}\n${os.hostname()}\n`);
    fs.writeFileSync(guard, `${deadPid()}\n${os.hostname()}\n`);
    writeTree(outdir, v2);
    expectV2();
    expect(siblings()).toEqual(['dist']);
  });

  it('takes over a lock whose process id now belongs to another process (started at another time)', () => {
    previousOutput();
    if (!fs.existsSync(`/proc/${process.ppid}/stat`)) {
      console.log('skipped: no /proc on this machine (process start times are not checked)');
      return;
    }
    // a live process id (this test's parent) with a start time that is not its own
    fs.writeFileSync(path.join(work, '.dist.lock'), `${process.ppid}\n${os.hostname()}\n1\n`);
    writeTree(outdir, v2, { lock: { timeoutMs: 50 } });
    expectV2();
  });

  it('never treats a lock from another host as stale', () => {
    previousOutput();
    fs.writeFileSync(path.join(work, '.dist.lock'), `${deadPid()}\nsome-other-host\n`);
    expect(() => writeTree(outdir, v2, { lock: { timeoutMs: 20 } })).toThrow('another synth (process');
  });
});

describe('output paths are confined to the output folder', () => {
  const hostile = [
    '../escape.yaml', 'clusters/../../escape.yaml', '/etc/passwd', 'clusters//a.yaml', 'clusters/./a.yaml', '.',
    'clusters\\..\\a.yaml', 'clusters/a\0.yaml', 'C:/Windows/a.yaml', '', `clusters/${'a'.repeat(256)}.yaml`, MANIFEST_FILE, 'clusters/',
  ];
  for (const file of hostile) {
    it(`refuses ${JSON.stringify(file).slice(0, 60)} with the library's own error, before writing anything`, () => {
      const files = new Map([...v1, [file, 'x: 1\n']]);
      expect(() => writeTree(outdir, files)).toThrow(PlatformValidationError);
      expect(() => writeTree(outdir, files)).toThrow(`[platform] output file path: got ${JSON.stringify(file)}. Allowed: a relative path inside the output folder`);
      expect(siblings()).toEqual([]);
    });
  }

  it('accepts unicode and dots inside names', () => {
    writeTree(outdir, new Map([['clusters/mgmt/_cluster/configmap-café..v1.yaml', 'x: 1\n']]));
    expect(readTree(outdir)['clusters/mgmt/_cluster/configmap-café..v1.yaml']).toBe('x: 1\n');
  });
});

describe('a first write stages files on another thread while the render goes on', () => {
  // many files, so the thread is still writing when the render ends or fails
  const many = new Map(Array.from({ length: 300 }, (_, i): [string, string] => [`clusters/c${i % 9}/_cluster/namespace-${i}.yaml`, `kind: Namespace\nmetadata:\n  name: n${i}\n`]));
  const stream = { streamThreshold: 1 };

  it('writes exactly the rendered files, also when the render streamed a file it then changed or dropped', () => {
    const final = new Map([...many].filter(([f]) => !f.endsWith('-7.yaml')).map(([f, c]): [string, string] => [f, f.endsWith('-5.yaml') ? 'kind: Namespace\n# changed\n' : c]));
    expect(writeTree(outdir, renderOf(many, () => undefined) as Render, stream).warnings).toEqual([]);
    expect(readTree(outdir)).toEqual({ ...Object.fromEntries(many), [MANIFEST_FILE]: readTree(outdir)[MANIFEST_FILE] });
    fs.rmSync(outdir, { recursive: true });
    const render: Render = (sink) => {
      for (const [f, c] of many) sink(f, c);
      return final;
    };
    const result = writeTree(outdir, render, stream);
    expect(result.changed).toEqual([...final.keys(), MANIFEST_FILE]);
    expect(readTree(outdir)).toEqual({ ...Object.fromEntries(final), [MANIFEST_FILE]: readTree(outdir)[MANIFEST_FILE] });
    expect(JSON.parse(readTree(outdir)[MANIFEST_FILE]).files).toEqual([...final.keys()].sort());
    expect(siblings()).toEqual(['dist']);
  });

  it('a render that fails after files were staged throws its own error and leaves no output folder and no leftover', () => {
    injected++;
    const invalid = new PlatformValidationError([{ path: 'platform/x', message: 'bad' }]);
    const error = run(() => writeTree(outdir, renderOf(many, () => {
      throw invalid;
    }), stream));
    expect(error).toBe(invalid);
    expect(siblings()).toEqual([]);
  });

  it('an unsafe path handed to the writer is never written; the write fails with the library\'s error before anything is in place', () => {
    injected++;
    const escaping = new Map([...many, ['../outside.yaml', 'x: 1\n']]);
    const error = run(() => writeTree(outdir, renderOf(escaping), stream)) as Error;
    expect(error).toBeInstanceOf(PlatformValidationError);
    expect(error.message).toContain('../outside.yaml');
    expect(siblings()).toEqual([]);
  });

  it('an error of the writing thread fails the write with the library\'s error, the previous (missing) output unchanged', () => {
    injected++;
    // a file where the next file needs a folder: the thread's mkdir fails
    const clash = new Map([...many, ['clusters/c1', 'a file\n'], ['clusters/c1/extra/x.yaml', 'x: 1\n']]);
    const error = run(() => writeTree(outdir, renderOf(clash), stream)) as Error;
    expect(error).toBeInstanceOf(PlatformWriteError);
    expect(error.message).toMatch(/^writing the platform to ".*dist" failed: (EEXIST|ENOTDIR|EISDIR): .*\. The previous output is unchanged\. Fix: free space or permissions on that folder, then synth again\.$/);
    expect(siblings()).toEqual([]);
    expect(writeTree(outdir, renderOf(many), stream).warnings).toEqual([]);
    expect(Object.keys(readTree(outdir))).toHaveLength(many.size + 1);
  });

  it('a process killed while its render streams files leaves nothing the next run keeps: no output folder, no leftover', async () => {
    injected++;
    // the child streams the files, then hangs in its render until it is killed
    const script = `
      const { writeTree } = require(${JSON.stringify(path.join(__dirname, '..', 'src', 'synth', 'writer'))});
      const files = new Map(Array.from({ length: 300 }, (_, i) => ['c' + (i % 9) + '/f-' + i + '.yaml', 'n: ' + i + '\\n']));
      writeTree(process.argv[1], (sink) => {
        for (const [f, c] of files) sink(f, c);
        process.stdout.write('streamed\\n');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000);
        return files;
      }, { streamThreshold: 1 });`;
    const child = spawn(process.execPath, ['--import', require.resolve('tsx'), '-e', script, outdir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += String(d);
      if (stdout.includes('streamed\n')) child.kill('SIGKILL');
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const signal = await new Promise((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    clearTimeout(killer);
    expect(stdout).toBe('streamed\n');
    expect(signal).toBe('SIGKILL');
    const staged = siblings().filter((s) => s.startsWith('.dist.tmp-'));
    expect(staged).toHaveLength(1);
    expect(siblings()).toContain('.dist.lock');
    expect(recoverOutput(outdir)).toEqual([]);
    expect(siblings()).toEqual([]);
  });
});
