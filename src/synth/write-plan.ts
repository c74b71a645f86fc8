/**
 * The writer's plan: what is on disk now, compared with the files to write (changed,
 * unchanged, removed, refused), before anything is touched.
 */
import * as fs from 'fs';
import * as path from 'path';
import { messages } from '../core/errors';
import { Journal, JournalOp } from './journal';
import { KEPT_FILE } from './synth-cache';

/** The file, at the output root, that lists what the library generated. */
export const MANIFEST_FILE = '.cdk8s-gitops-platform.json';

/** A relative path of plain ASCII segments, none empty and none starting with a dot (so never the manifest). */
const PLAIN_PATH = /^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * True when `file` could escape or break the output folder. Output paths come from
 * object names; whatever the names, nothing may land outside the output folder.
 */
export function unsafeOutputPath(file: unknown): boolean {
  // the common case at once: plain segments, none starting with a dot, none longer than 255 bytes
  if (typeof file === 'string' && file.length <= 255 && PLAIN_PATH.test(file)) return false;
  if (typeof file !== 'string' || file === '' || file.includes('\\') || file.includes('\0') || file.startsWith('/') || /^[A-Za-z]:/.test(file)) return true;
  if (file === MANIFEST_FILE) return true;
  return file.split('/').some((seg) => seg === '' || seg === '.' || seg === '..' || Buffer.byteLength(seg) > 255);
}

type Kind = 'missing' | 'file' | 'dir' | 'symlink' | 'special';
export function kindOf(p: string): { kind: Kind; size: number } {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(p);
  } catch {
    return { kind: 'missing', size: 0 };
  }
  const kind = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'special';
  return { kind, size: st.size };
}
export const kindName: Record<Kind, string> = { missing: '', file: 'a file', dir: 'a folder', symlink: 'a symbolic link', special: 'a special file (FIFO, socket or device)' };

/** Never follows a link, never blocks on a FIFO swapped in meanwhile. */
const READ_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

export function readSafely(p: string): string {
  const fd = fs.openSync(p, READ_FLAGS);
  try {
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

export function readManifest(abs: string): Set<string> {
  if (kindOf(path.join(abs, MANIFEST_FILE)).kind !== 'file') return new Set();
  try {
    const parsed = JSON.parse(readSafely(path.join(abs, MANIFEST_FILE))) as { files?: unknown };
    return new Set(Array.isArray(parsed.files) ? parsed.files.filter((f): f is string => typeof f === 'string') : []);
  } catch {
    return new Set();
  }
}

export function manifestOf(files: ReadonlyMap<string, string>): string {
  return JSON.stringify({
    generator: 'cdk8s-gitops-platform',
    note: 'Files listed here are generated and replaced on every synth; other files in this folder are kept.',
    files: [...files.keys()].sort(),
  }, null, 2) + '\n';
}

export interface Plan { journal: Journal; contents: (string | undefined)[]; problems: string[] }

/**
 * Compares the rendered files with what is on disk: what to write, remove and which folders to
 * create. `unchanged` holds files already found on disk with that content (by the comparing thread).
 */
export function plan(abs: string, files: ReadonlyMap<string, string>, unchanged: ReadonlyMap<string, string> = new Map()): Plan {
  const before = readManifest(abs);
  const ops: JournalOp[] = [];
  const contents: (string | undefined)[] = [];
  const problems: string[] = [];
  const dirs = new Map<string, Kind>();
  const newDirs: string[] = [];
  const dirKind = (d: string): Kind => {
    let k = dirs.get(d);
    if (k !== undefined) return k;
    const up = path.posix.dirname(d);
    const parentKind = up === '.' ? 'dir' : dirKind(up);
    if (parentKind === 'dir') {
      k = kindOf(path.join(abs, d)).kind;
      if (k !== 'missing' && k !== 'dir') problems.push(messages.notAFolder(d, kindName[k]));
    } else {
      k = parentKind; // under a missing folder: missing too; under a refused one: refused already
    }
    if (k === 'missing') newDirs.push(d);
    dirs.set(d, k);
    return k;
  };
  const consider = (rel: string, content: string) => {
    // found by the comparing thread with this very content, a regular file under real folders,
    // and listed as generated: nothing to do, and no need to look at it again
    if (unchanged.get(rel) === content && before.has(rel)) return;
    // an incremental render keeps only files the manifest lists (render-pass.ts): never written
    if (content === KEPT_FILE) throw new Error(messages.internal.keptFileNotGenerated(rel));
    const d = path.posix.dirname(rel);
    const dk = d === '.' ? 'dir' : dirKind(d);
    if (dk !== 'dir' && dk !== 'missing') return; // reported for the folder
    const target = path.join(abs, rel);
    const { kind, size } = dk === 'missing' ? { kind: 'missing' as Kind, size: 0 } : kindOf(target);
    if (kind === 'missing') {
      ops.push({ path: rel, had: false });
      contents.push(content);
      return;
    }
    if (kind !== 'file') {
      problems.push(messages.notAFile(rel, kindName[kind]));
      return;
    }
    if (!before.has(rel) && rel !== MANIFEST_FILE) {
      problems.push(messages.notGeneratedConflict(rel));
      return;
    }
    if (size === Buffer.byteLength(content) && (unchanged.get(rel) === content || readSafely(target) === content)) return;
    ops.push({ path: rel, had: true });
    contents.push(content);
  };
  for (const [rel, content] of files) consider(rel, content);
  const gone = [...before].filter((f) => !files.has(f) && !unsafeOutputPath(f)).sort();
  const real = new Map<string, boolean>();
  const isRealDir = (d: string): boolean => {
    if (d === '.') return true;
    let r = real.get(d);
    if (r === undefined) real.set(d, r = isRealDir(path.posix.dirname(d)) && kindOf(path.join(abs, d)).kind === 'dir');
    return r;
  };
  for (const rel of gone) {
    // never through a link a user put where a generated folder was: that file is not in the output folder
    if (!isRealDir(path.posix.dirname(rel))) continue;
    // only a file (or a link, never followed) the library generated is removed; folders and special files stay
    const k = kindOf(path.join(abs, rel)).kind;
    if (k === 'file' || k === 'symlink') {
      ops.push({ path: rel, had: true, remove: true });
      contents.push(undefined);
    }
  }
  consider(MANIFEST_FILE, manifestOf(files));
  return { journal: { dirs: newDirs, ops }, contents, problems };
}
