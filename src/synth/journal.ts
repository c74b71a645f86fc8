import * as fs from 'fs';
import * as path from 'path';

/** The file-system calls the writer makes (replaceable in tests to inject failures). */
export interface WriterFs {
  mkdtempSync(prefix: string): string;
  mkdirSync(p: string, options: { recursive: true }): unknown;
  writeFileSync(p: string, data: string): void;
  renameSync(from: string, to: string): void;
  rmSync(p: string, options: { recursive: true; force: true }): void;
  unlinkSync(p: string): void;
  rmdirSync(p: string): void;
}

/**
 * One change of a journaled write. `n` names its files in the staging folder:
 * `new/<n>` (the new content, until it is moved into place) and `old/<n>` (what stood at
 * `path` before, once it is moved aside).
 */
export interface JournalOp {
  readonly path: string;
  /** A file stood at `path` when the write was planned (it is moved aside, then restored on rollback). */
  readonly had: boolean;
  /** The file is removed (no new content). */
  readonly remove?: boolean;
}

/** What a journaled write changes, written to `journal.json` in the staging folder before anything moves. */
export interface Journal {
  readonly dirs: readonly string[];
  readonly ops: readonly JournalOp[];
}

export const JOURNAL = 'journal.json';
export const DONE = 'done';

const exists = (p: string) => {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
};

/**
 * Applies a prepared journal to `abs`. Every step is one rename, and what a crash leaves
 * is told by which of `new/<n>` and `old/<n>` still exist, so {@link rollback} can undo any
 * prefix of it, in this process or the next.
 */
export function commit(abs: string, staging: string, journal: Journal, fsx: WriterFs): void {
  for (const d of journal.dirs) fsx.mkdirSync(path.join(abs, d), { recursive: true });
  journal.ops.forEach((op, n) => {
    const target = path.join(abs, op.path);
    if (op.had) fsx.renameSync(target, path.join(staging, 'old', String(n)));
    if (!op.remove) fsx.renameSync(path.join(staging, 'new', String(n)), target);
  });
  fsx.writeFileSync(path.join(staging, DONE), '');
}

/**
 * Undoes whatever part of `journal` was applied: new files go back to the staging folder,
 * moved-aside files go back to their place, created folders are removed when empty. Each step
 * is one rename whose effect is visible in the staging folder, so a rollback interrupted by a
 * crash is finished by the next one.
 */
export function rollback(abs: string, staging: string, journal: Journal, fsx: WriterFs): void {
  for (let n = journal.ops.length - 1; n >= 0; n--) {
    const op = journal.ops[n];
    const target = path.join(abs, op.path);
    const fresh = path.join(staging, 'new', String(n));
    const old = path.join(staging, 'old', String(n));
    if (!op.remove && !exists(fresh) && exists(target)) fsx.renameSync(target, fresh);
    if (exists(old)) fsx.renameSync(old, target);
  }
  for (const d of [...journal.dirs].reverse()) {
    try {
      fsx.rmdirSync(path.join(abs, d));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
    }
  }
}

/** Reads a staging folder's journal; undefined when the write never got as far as committing. */
export function readJournal(staging: string): Journal | undefined {
  try {
    const j = JSON.parse(fs.readFileSync(path.join(staging, JOURNAL), 'utf8')) as Journal;
    return Array.isArray(j.ops) && Array.isArray(j.dirs) ? j : undefined;
  } catch {
    return undefined;
  }
}

/** True when the staging folder's write was committed completely. */
export function isDone(staging: string): boolean {
  return exists(path.join(staging, DONE));
}

/**
 * Removes folders left empty by removed generated files, from `files`' folders upwards
 * (never `abs` itself, never a folder that still holds anything: hand-made empty folders
 * elsewhere are kept). Throws when a folder cannot be removed for another reason.
 */
export function pruneEmptyDirs(abs: string, files: Iterable<string>, fsx: WriterFs): void {
  const tried = new Set<string>();
  for (const f of files) {
    let d = path.posix.dirname(f);
    while (d !== '.' && !tried.has(d)) {
      tried.add(d);
      try {
        fsx.rmdirSync(path.join(abs, d));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') break;
        if (code !== 'ENOENT') throw e; // gone already (an earlier, interrupted tidy-up): go on upwards
      }
      d = path.posix.dirname(d);
    }
  }
}

/** Removes a folder this library created, making it writable first (a read-only leftover must not block later writes). */
export function removeOwnFolder(dir: string, fsx: WriterFs): void {
  try {
    fsx.rmSync(dir, { recursive: true, force: true });
    return;
  } catch (first) {
    try {
      makeWritable(dir);
    } catch {
      throw first;
    }
  }
  fsx.rmSync(dir, { recursive: true, force: true });
}

function makeWritable(dir: string): void {
  const st = fs.lstatSync(dir);
  if (!st.isDirectory()) return;
  fs.chmodSync(dir, st.mode | 0o700);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) makeWritable(path.join(dir, e.name));
  }
}
