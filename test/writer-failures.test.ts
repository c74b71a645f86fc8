import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MANIFEST_FILE, PlatformValidationError, PlatformWriteError } from '../src';
import { writeTree, WriterFs } from '../src/synth/writer';
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
  ['terraform/mgmt/cdk.tf.json', '{}\n'],
]);
const v2 = new Map([
  ['clusters/mgmt/argocd/application-root.yaml', 'kind: Application\nmetadata:\n  name: root\n  labels: {v: "2"}\n'],
  ['clusters/mgmt/argocd/appproject-platform.yaml', 'kind: AppProject\n'],
  ['terraform/mgmt/cdk.tf.json', '{"v": 2}\n'],
]);

/** The previous output: generated files plus a file the user wrote by hand. */
function previousOutput(): Record<string, string> {
  writeTree(outdir, v1);
  fs.mkdirSync(path.join(outdir, 'docs'));
  fs.writeFileSync(path.join(outdir, 'docs/notes.md'), 'hand-written\n');
  return readTree(outdir);
}

/** The real file system, with one call replaced. */
function failing(overrides: Partial<WriterFs>): WriterFs {
  return {
    mkdtempSync: (p) => fs.mkdtempSync(p),
    mkdirSync: (p, o) => fs.mkdirSync(p, o),
    writeFileSync: (p, d) => fs.writeFileSync(p, d),
    copyFileSync: (s, d) => fs.copyFileSync(s, d),
    renameSync: (f, t) => fs.renameSync(f, t),
    rmSync: (p, o) => fs.rmSync(p, o),
    ...overrides,
  };
}

function expectWriteError(fn: () => unknown, state = 'The previous output is unchanged.'): PlatformWriteError {
  injected++;
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(PlatformWriteError);
  expect((error as Error).message).toMatch(/^writing the platform to ".*dist" failed: /);
  expect((error as Error).message).toContain(`. ${state}`);
  expect((error as Error).message).toMatch(/ Fix: [^.]+, then synth again\.$/);
  return error as PlatformWriteError;
}

describe('a failure while writing leaves the previous output exactly as it was, and no temporary folder', () => {
  it('when the disk is full on a file write (ENOSPC)', () => {
    const before = previousOutput();
    let n = 0;
    expectWriteError(() => writeTree(outdir, v2, failing({
      writeFileSync: (p, d) => {
        if (++n === 2) throw errno('ENOSPC', 'no space left on device');
        fs.writeFileSync(p, d);
      },
    })));
    expect(readTree(outdir)).toEqual(before);
    expect(siblings()).toEqual(['dist']);
  });

  it('when the disk fills up while writing the list of generated files (the last write)', () => {
    const before = previousOutput();
    expectWriteError(() => writeTree(outdir, v2, failing({
      writeFileSync: (p, d) => {
        if (p.endsWith(MANIFEST_FILE)) throw errno('ENOSPC', 'no space left on device');
        fs.writeFileSync(p, d);
      },
    })));
    expect(readTree(outdir)).toEqual(before);
    expect(siblings()).toEqual(['dist']);
  });

  it('when a folder cannot be created (EACCES on mkdir)', () => {
    const before = previousOutput();
    expectWriteError(() => writeTree(outdir, v2, failing({
      mkdirSync: (p, o) => {
        if (p.includes('.tmp-')) throw errno('EACCES', 'permission denied');
        return fs.mkdirSync(p, o);
      },
    })));
    expect(readTree(outdir)).toEqual(before);
    expect(siblings()).toEqual(['dist']);
  });

  it('when the temporary folder cannot be created beside the output (EACCES on the parent)', () => {
    const before = previousOutput();
    expectWriteError(() => writeTree(outdir, v2, failing({ mkdtempSync: () => { throw errno('EACCES', 'permission denied'); } })));
    expect(readTree(outdir)).toEqual(before);
    expect(siblings()).toEqual(['dist']);
  });

  it('when a hand-written file cannot be carried over (EACCES on copy)', () => {
    const before = previousOutput();
    expectWriteError(() => writeTree(outdir, v2, failing({ copyFileSync: () => { throw errno('EACCES', 'permission denied'); } })));
    expect(readTree(outdir)).toEqual(before);
    expect(siblings()).toEqual(['dist']);
  });

  it('when the output folder is locked and cannot be moved aside (EBUSY on the first rename)', () => {
    const before = previousOutput();
    expectWriteError(() => writeTree(outdir, v2, failing({
      renameSync: (f, t) => {
        if (t.endsWith('.old')) throw errno('EBUSY', 'resource busy or locked');
        fs.renameSync(f, t);
      },
    })));
    expect(readTree(outdir)).toEqual(before);
    expect(siblings()).toEqual(['dist']);
  });

  it('when the new folder cannot be moved into place (EPERM on the second rename): the old one is put back', () => {
    const before = previousOutput();
    expectWriteError(() => writeTree(outdir, v2, failing({
      renameSync: (f, t) => {
        if (f.includes('.tmp-') && !f.endsWith('.old') && t === outdir) throw errno('EPERM', 'operation not permitted');
        fs.renameSync(f, t);
      },
    })));
    expect(readTree(outdir)).toEqual(before);
    expect(siblings()).toEqual(['dist']);
  });

  it('when even putting the old folder back fails: the error says where it is, and the next write restores it first', () => {
    const before = previousOutput();
    const error = expectWriteError(() => writeTree(outdir, v2, failing({
      renameSync: (f, t) => {
        if (t === outdir) throw errno('EIO', 'i/o error');
        fs.renameSync(f, t);
      },
    })), 'The previous output is intact in');
    const backup = siblings().find((s) => s.endsWith('.old'))!;
    expect(error.message).toContain(`The previous output is intact in ${JSON.stringify(backup)} beside it and is restored by the next synth.`);
    expect(siblings()).toEqual([backup]);
    expect(readTree(path.join(work, backup))).toEqual(before);
    // the next write first restores the previous output (so hand-written files survive), then writes
    writeTree(outdir, v2);
    expect(siblings()).toEqual(['dist']);
    expect(readTree(outdir)['docs/notes.md']).toBe('hand-written\n');
    expect(readTree(outdir)['clusters/mgmt/argocd/appproject-platform.yaml']).toBe('kind: AppProject\n');
  });

  it('when a hand-written file is replaced by a folder mid-write (EISDIR on copy)', () => {
    previousOutput();
    expectWriteError(() => writeTree(outdir, v2, failing({
      copyFileSync: (s, d) => {
        fs.rmSync(s);
        fs.mkdirSync(s);
        fs.copyFileSync(s, d);
      },
    })));
    // the previous generated files are untouched; only what the other process did remains
    expect(readTree(outdir)['clusters/mgmt/_cluster/namespace-a.yaml']).toBe('kind: Namespace\n');
    expect(fs.statSync(path.join(outdir, 'docs/notes.md')).isDirectory()).toBe(true);
    expect(siblings()).toEqual(['dist']);
  });

  it('when another process adds a file to the output folder mid-write: the swap is refused so that file is not lost', () => {
    const before = previousOutput();
    let added = false;
    const error = expectWriteError(() => writeTree(outdir, v2, failing({
      writeFileSync: (p, d) => {
        if (!added) {
          fs.writeFileSync(path.join(outdir, 'docs/added-meanwhile.md'), 'mine\n');
          added = true;
        }
        fs.writeFileSync(p, d);
      },
    })));
    expect(error.message).toContain('failed: the output folder changed while it was being written (files were added or removed by another process). The previous output is unchanged. Fix: let the other process finish, then synth again.');
    expect(readTree(outdir)).toEqual({ ...before, 'docs/added-meanwhile.md': 'mine\n' });
    expect(siblings()).toEqual(['dist']);
  });

  it('when the old output cannot be removed after the swap: the new output is complete, a warning says so, and the next write removes it', () => {
    previousOutput();
    injected++;
    const result = writeTree(outdir, v2, failing({
      rmSync: (p, o) => {
        if (p.endsWith('.old')) throw errno('EBUSY', 'resource busy or locked');
        fs.rmSync(p, o);
      },
    }));
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/^the new output is in place, but the previous one could not be removed from "\.dist\.tmp-\w{6}\.old" \(EBUSY: resource busy or locked\); the next synth removes it\.$/);
    expect(readTree(outdir)['terraform/mgmt/cdk.tf.json']).toBe('{"v": 2}\n');
    expect(readTree(outdir)['docs/notes.md']).toBe('hand-written\n');
    expect(writeTree(outdir, v2).warnings).toEqual([]);
    expect(siblings()).toEqual(['dist']);
  });

  it('removes temporary folders a crashed earlier run left behind, and nothing else', () => {
    previousOutput();
    fs.mkdirSync(path.join(work, '.dist.tmp-Ab12Cd/clusters'), { recursive: true });
    fs.mkdirSync(path.join(work, '.dist.tmp-Zz99Yy.old'));
    fs.mkdirSync(path.join(work, '.dist.tmp-notours-at-all'));
    fs.writeFileSync(path.join(work, 'other.txt'), 'x');
    writeTree(outdir, v2);
    expect(siblings()).toEqual(['.dist.tmp-notours-at-all', 'dist', 'other.txt']);
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
