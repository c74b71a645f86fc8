import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FleetCluster, MANIFEST_FILE, PlatformValidationError } from '../src';
import { PARALLEL_THRESHOLD, writeFilesParallel } from '../src/synth/parallel-write';
import { Render, unsafeOutputPath, writeTree } from '../src/synth/writer';
import { aksCloud, azureMgmt, azurePlatform } from './support/fixtures';
import { snapshot } from './support/snapshot';
import { readTree } from './support/tree';

let work: string;
let outdir: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'writer-incremental-'));
  outdir = path.join(work, 'dist');
});
afterEach(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

// long-term support: 1.34 and 1.35 both in support, so the one-line change changes no warning
function platform(kubernetesVersion = '1.35') {
  const p = azurePlatform({ outdir });
  const mgmt = azureMgmt(p);
  for (let i = 0; i < 4; i++) {
    new FleetCluster(mgmt, `dev-${i}`, { environment: 'dev', cloud: aksCloud(`10.${20 + i}.0.0/16`, { kubernetesVersion: i === 0 ? kubernetesVersion : '1.35', longTermSupport: true }), labels: { 'security-basic': 'enabled' } });
  }
  return p;
}

const mtimes = (dir: string) => Object.fromEntries(Object.keys(readTree(dir)).map((f) => [f, fs.statSync(path.join(dir, f)).mtimeMs]));
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

describe('incremental writes', () => {
  it('a re-synth with no change rewrites nothing: every modification time stays', () => {
    platform().synth();
    const before = snapshot(outdir);
    sleep(20);
    platform().synth();
    expect(snapshot(outdir)).toEqual(before);
    expect(writeTree(outdir, platform().render()).changed).toEqual([]);
    expect(fs.readdirSync(work)).toEqual(['dist']);
  });

  it('after a one-line change only the files whose content changed are written', () => {
    platform().synth();
    const before = mtimes(outdir);
    const v1 = platform().render();
    const v2 = platform('1.34').render();
    const differing = [...v2.keys()].filter((f) => v1.get(f) !== v2.get(f)).sort();
    expect(differing.length).toBeGreaterThan(0);
    expect(differing.length).toBeLessThan(v2.size / 4);
    sleep(20);
    const result = writeTree(outdir, v2);
    expect([...result.changed].sort()).toEqual(differing);
    const after = mtimes(outdir);
    for (const f of Object.keys(after)) {
      if (differing.includes(f)) expect(after[f], f).not.toBe(before[f]);
      else expect(after[f], f).toBe(before[f]);
    }
    expect(readTree(outdir)).toEqual({ ...Object.fromEntries(v2), [MANIFEST_FILE]: readTree(outdir)[MANIFEST_FILE] });
  });

  it('a generated file edited by hand is put back, even when its size is unchanged', () => {
    platform().synth();
    const file = path.join(outdir, 'terraform/dev-1/cdk.tf.json');
    const original = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, original.replace('"', "'"));
    platform().synth();
    expect(fs.readFileSync(file, 'utf8')).toBe(original);
  });
});

describe('special files in the output folder are never followed or read', () => {
  it('a link to a file holding credentials stays a link; its content is never copied into the output', () => {
    const secret = path.join(work, 'credentials');
    fs.writeFileSync(secret, 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
    platform().synth();
    fs.symlinkSync(secret, path.join(outdir, 'creds.txt'));
    fs.symlinkSync(path.join(work, 'nowhere'), path.join(outdir, 'dangling'));
    platform('1.34').synth();
    expect(fs.lstatSync(path.join(outdir, 'creds.txt')).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(path.join(outdir, 'creds.txt'))).toBe(secret);
    expect(fs.lstatSync(path.join(outdir, 'dangling')).isSymbolicLink()).toBe(true);
    for (const content of Object.values(snapshot(outdir))) expect(content).not.toContain('wJalrXUtnFEMI');
  });

  it('a link to a folder does not break synth and is kept as it is; a hand-made empty folder is kept', () => {
    const elsewhere = path.join(work, 'elsewhere');
    fs.mkdirSync(elsewhere);
    fs.writeFileSync(path.join(elsewhere, 'x.txt'), 'x\n');
    platform().synth();
    fs.symlinkSync(elsewhere, path.join(outdir, 'docs'));
    fs.mkdirSync(path.join(outdir, 'empty/nested'), { recursive: true });
    platform('1.34').synth();
    platform().synth();
    expect(fs.readlinkSync(path.join(outdir, 'docs'))).toBe(elsewhere);
    expect(fs.readdirSync(path.join(outdir, 'empty'))).toEqual(['nested']);
    expect(fs.readdirSync(elsewhere)).toEqual(['x.txt']);
  });

  it('a link where the library writes a folder is refused with the library\'s error; nothing is written through it', () => {
    const elsewhere = path.join(work, 'elsewhere');
    fs.mkdirSync(elsewhere);
    platform().synth();
    fs.rmSync(path.join(outdir, 'clusters/mgmt/argocd'), { recursive: true });
    fs.symlinkSync(elsewhere, path.join(outdir, 'clusters/mgmt/argocd'));
    const before = snapshot(outdir);
    expect(() => platform('1.34').synth()).toThrow(PlatformValidationError);
    expect(() => platform('1.34').synth()).toThrow('[platform] the output folder holds a symbolic link at "clusters/mgmt/argocd", where this library writes a folder of generated files; it is left as it is and never followed. Fix: move or delete it, then synth again.');
    expect(fs.readdirSync(elsewhere)).toEqual([]);
    expect(snapshot(outdir)).toEqual(before);
  });

  it('a link where the library writes a generated file is refused, never followed', () => {
    const target = path.join(work, 'target.yaml');
    fs.writeFileSync(target, 'mine\n');
    platform().synth();
    const file = 'clusters/mgmt/argocd/application-root.yaml';
    fs.rmSync(path.join(outdir, file));
    fs.symlinkSync(target, path.join(outdir, file));
    expect(() => platform().synth()).toThrow(`[platform] the output folder holds a symbolic link at ${JSON.stringify(file)}, where this library writes a generated file; it is left as it is and never followed. Fix: move or delete it, then synth again.`);
    expect(fs.readFileSync(target, 'utf8')).toBe('mine\n');
  });

  it('a FIFO and a socket are kept and never opened (synth does not hang); at a generated path a FIFO is refused', async () => {
    platform().synth();
    const mk = spawnSync('mkfifo', [path.join(outdir, 'pipe')]);
    if (mk.status !== 0) {
      console.log('skipped the FIFO part: no mkfifo on this machine');
      return;
    }
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(outdir, 'sock'), resolve));
    try {
      platform('1.34').synth();
      expect(fs.lstatSync(path.join(outdir, 'pipe')).isFIFO()).toBe(true);
      expect(fs.lstatSync(path.join(outdir, 'sock')).isSocket()).toBe(true);
      const file = 'clusters/mgmt/argocd/application-root.yaml';
      fs.rmSync(path.join(outdir, file));
      spawnSync('mkfifo', [path.join(outdir, file)]);
      expect(() => platform().synth()).toThrow(`[platform] the output folder holds a special file (FIFO, socket or device) at ${JSON.stringify(file)}, where this library writes a generated file; it is left as it is and never followed. Fix: move or delete it, then synth again.`);
    } finally {
      server.close();
    }
  });

  it('a device node is kept and never opened', () => {
    platform().synth();
    const mk = spawnSync('mknod', [path.join(outdir, 'null'), 'c', '1', '3']);
    if (mk.status !== 0) {
      console.log('skipped: creating a device node is not permitted on this machine');
      return;
    }
    platform('1.34').synth();
    expect(fs.lstatSync(path.join(outdir, 'null')).isCharacterDevice()).toBe(true);
  });
});

describe('large outputs are written by several threads', () => {
  it(`writes every file of a set over the threshold (${PARALLEL_THRESHOLD}) with its content, and reports a thread's error`, () => {
    const files: [string, string][] = Array.from({ length: PARALLEL_THRESHOLD + 10 }, (_, i) => [`d${i % 7}/f-${i}.yaml`, `n: ${i}\n`]);
    for (let d = 0; d < 7; d++) fs.mkdirSync(path.join(work, 'out', `d${d}`), { recursive: true });
    writeFilesParallel(path.join(work, 'out'), files);
    const tree = readTree(path.join(work, 'out'));
    expect(Object.keys(tree)).toHaveLength(files.length);
    for (const [rel, content] of files) expect(tree[rel]).toBe(content);
    // a missing folder: the error of the thread that met it, with its code
    let error: unknown;
    try {
      writeFilesParallel(path.join(work, 'out'), [...files, ['missing/x.yaml', 'x']]);
    } catch (e) {
      error = e;
    }
    expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect((error as Error).message).toContain('missing/x.yaml');
  });
});

describe('removing generated files never goes through a link', () => {
  it('a generated folder replaced by a link to a folder elsewhere: the files there are left alone', () => {
    const elsewhere = path.join(work, 'elsewhere');
    writeTree(outdir, new Map([['clusters/old/a.yaml', 'a: 1\n'], ['clusters/keep/b.yaml', 'b: 1\n']]));
    fs.mkdirSync(elsewhere);
    fs.writeFileSync(path.join(elsewhere, 'a.yaml'), 'precious\n');
    fs.rmSync(path.join(outdir, 'clusters/old'), { recursive: true });
    fs.symlinkSync(elsewhere, path.join(outdir, 'clusters/old'));
    writeTree(outdir, new Map([['clusters/keep/b.yaml', 'b: 2\n']]));
    expect(fs.readFileSync(path.join(elsewhere, 'a.yaml'), 'utf8')).toBe('precious\n');
    expect(fs.readlinkSync(path.join(outdir, 'clusters/old'))).toBe(elsewhere);
    expect(fs.readFileSync(path.join(outdir, 'clusters/keep/b.yaml'), 'utf8')).toBe('b: 2\n');
  });
});

describe('an update compares the output on another thread while the render goes on', () => {
  // threshold 1: every file goes to the comparing thread, as in a large output
  const opts = { streamThreshold: 1 };
  const streamed = (files: ReadonlyMap<string, string>, after?: () => void): Render => (sink) => {
    for (const [f, c] of files) sink(f, c);
    after?.();
    return files;
  };

  it('no change: nothing is written; one change: only the files whose content changed', () => {
    const v1 = platform().render();
    writeTree(outdir, v1);
    const before = mtimes(outdir);
    sleep(20);
    expect(writeTree(outdir, streamed(v1), opts).changed).toEqual([]);
    expect(mtimes(outdir)).toEqual(before);
    const v2 = platform('1.34').render();
    const differing = [...v2.keys()].filter((f) => v1.get(f) !== v2.get(f)).sort();
    expect(differing.length).toBeGreaterThan(0);
    expect([...writeTree(outdir, streamed(v2), opts).changed].sort()).toEqual(differing);
    const after = mtimes(outdir);
    for (const f of Object.keys(after)) {
      if (differing.includes(f)) expect(after[f], f).not.toBe(before[f]);
      else expect(after[f], f).toBe(before[f]);
    }
    expect(readTree(outdir)).toEqual({ ...Object.fromEntries(v2), [MANIFEST_FILE]: readTree(outdir)[MANIFEST_FILE] });
  });

  it('a hand edit of the same size is put back; a link holding the same content where a generated file stands is refused, never followed', () => {
    const files = platform().render();
    writeTree(outdir, files);
    const [first, second] = [...files.keys()].filter((f) => f.endsWith('.yaml'));
    const edited = files.get(first)!.replace(/[a-z]/, (ch) => (ch === 'a' ? 'b' : 'a'));
    fs.writeFileSync(path.join(outdir, first), edited);
    expect(writeTree(outdir, streamed(files), opts).changed).toEqual([first]);
    expect(fs.readFileSync(path.join(outdir, first), 'utf8')).toBe(files.get(first));
    const elsewhere = path.join(work, 'same.yaml');
    fs.writeFileSync(elsewhere, files.get(second)!);
    fs.rmSync(path.join(outdir, second));
    fs.symlinkSync(elsewhere, path.join(outdir, second));
    const before = snapshot(outdir);
    expect(() => writeTree(outdir, streamed(files), opts)).toThrow(PlatformValidationError);
    expect(snapshot(outdir)).toEqual(before);
    expect(fs.readlinkSync(path.join(outdir, second))).toBe(elsewhere);
  });

  it('a file the library did not generate is refused even when it holds the very content the thread compared it with', () => {
    const files = platform().render();
    writeTree(outdir, files);
    const mine = [...files.keys()].filter((f) => f.endsWith('.yaml'))[1];
    // the file stays, with the same bytes, but the list of generated files no longer names it (a user's file of the same name)
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, MANIFEST_FILE), 'utf8')) as { files: string[] };
    fs.writeFileSync(path.join(outdir, MANIFEST_FILE), JSON.stringify({ ...manifest, files: manifest.files.filter((f) => f !== mine) }, null, 2) + '\n');
    const before = snapshot(outdir);
    expect(() => writeTree(outdir, streamed(files), opts)).toThrow(`the output folder holds "${mine}", which this library did not generate but would now write`);
    expect(snapshot(outdir)).toEqual(before);
  });

  it('a render that fails while the output is compared throws its own error; the previous output stays exactly as it was', () => {
    writeTree(outdir, platform().render());
    const before = snapshot(outdir);
    const invalid = new PlatformValidationError([{ path: 'platform/x', message: 'bad' }]);
    expect(() => writeTree(outdir, streamed(platform('1.34').render(), () => {
      throw invalid;
    }), opts)).toThrow(invalid);
    expect(snapshot(outdir)).toEqual(before);
    expect(fs.readdirSync(work)).toEqual(['dist']);
  });
});

describe('how the writer\'s threads left each file (what the synth cache records)', () => {
  const statOf = (rel: string) => {
    const st = fs.lstatSync(path.join(outdir, rel));
    return [st.size, st.mtimeMs, st.ino];
  };
  const streamed = (files: ReadonlyMap<string, string>): Render => (sink) => {
    for (const [f, c] of files) sink(f, c);
    return files;
  };

  it('is what the file system says once the output is in place: written by the streaming thread, found unchanged, or staged by the writing threads and moved', () => {
    // a first write through the streaming thread (threshold 1)
    const v1 = new Map(Array.from({ length: 60 }, (_, i) => [`a/f${i}.yaml`, `n: ${i}\n`] as const));
    let seen: ReadonlyMap<string, readonly [number, number, number]> = new Map();
    writeTree(outdir, streamed(v1), { streamThreshold: 1, committed: (stats) => { seen = stats; } });
    expect([...seen.keys()].sort()).toEqual([...v1.keys()].sort());
    for (const [rel, st] of seen) expect([...st], rel).toEqual(statOf(rel));
    // an update: the comparing thread's unchanged files, and enough changed ones for the writing threads
    const v2 = new Map<string, string>(v1);
    for (let i = 0; i < PARALLEL_THRESHOLD; i++) v2.set(`b/g${i}.yaml`, `m: ${i}\n`);
    seen = new Map();
    writeTree(outdir, streamed(v2), { streamThreshold: 1, committed: (stats) => { seen = stats; } });
    // (the list of generated files is staged with them)
    expect([...seen.keys()].filter((f) => f !== MANIFEST_FILE).sort()).toEqual([...v2.keys()].sort());
    for (const [rel, st] of seen) expect([...st], rel).toEqual(statOf(rel));
  });
});

describe('output paths the writer refuses', () => {
  it('refuses exactly the paths that could escape or break the output folder', () => {
    const long = (n: number, c = 'a') => c.repeat(n);
    const safe = ['clusters/hub/_cluster/namespace-argocd.yaml', 'a', '.hidden/x', 'x/.keep', 'a..b/c.d', `x/${long(255)}`, `${long(300, 'b/')}c`, 'ünï/cødé.yaml', `d/${long(127, 'é')}`];
    const unsafe = ['', '/etc/passwd', 'a//b', 'a/', './a', 'a/./b', '../a', 'a/../b', 'a\\b', 'a\0b', 'C:/x', 'c:x', '.cdk8s-gitops-platform.json',
      `x/${long(256)}`, `d/${long(128, 'é')}`, 42, undefined];
    for (const f of safe) expect(unsafeOutputPath(f), JSON.stringify(f)).toBe(false);
    for (const f of unsafe) expect(unsafeOutputPath(f), JSON.stringify(f)).toBe(true);
  });
});
