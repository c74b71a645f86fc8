import * as fs from 'fs';
import * as path from 'path';
import { messages, PlatformValidationError, PlatformWriteError } from '../core/errors';
import { commit, isDone, Journal, JOURNAL, pruneEmptyDirs, readJournal, removeOwnFolder, rollback, WriterFs } from './journal';
import { FileStats, PARALLEL_THRESHOLD, StreamingWriter, writeFilesParallel } from './parallel-write';
import { KEPT_FILE } from './synth-cache';
import { acquireWriteLock, LockOptions, LockTimeout, stillHeld, WriteLock } from './write-lock';
import { kindName, kindOf, MANIFEST_FILE, manifestOf, plan, unsafeOutputPath } from './write-plan';

export { MANIFEST_FILE, unsafeOutputPath } from './write-plan';

export type { WriterFs } from './journal';

/** Resolves and checks the output folder: never the file-system root, the working folder or an ancestor of it. */
export function resolveOutdir(outdir: string): string {
  const abs = path.resolve(outdir);
  const cwd = process.cwd();
  const rel = path.relative(abs, cwd);
  const isAncestorOrSelf = rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  if (typeof outdir !== 'string' || outdir.trim() === '' || abs === path.parse(abs).root || isAncestorOrSelf) {
    throw new PlatformValidationError([{ path: 'platform', message: messages.outdir(outdir) }]);
  }
  return abs;
}

/** Throws the library's validation error for every output path that could escape or break the output folder. */
export function checkOutputPaths(files: Iterable<string>, sourceOf: (file: string) => string = () => 'platform'): void {
  const problems: { path: string; message: string }[] = [];
  for (const f of files) {
    if (unsafeOutputPath(f)) problems.push({ path: sourceOf(f), message: messages.outputPath(f) });
  }
  if (problems.length > 0) throw new PlatformValidationError(problems);
}

/** What a successful write could not tidy up (the new output is complete and in place). */
export interface WriteResult {
  /** Problems that did not stop the write, e.g. a leftover folder that could not be removed yet. */
  readonly warnings: readonly string[];
  /** Output-relative paths of the files written or removed (the manifest included); unchanged files are not touched. */
  readonly changed: readonly string[];
}

/** Options of {@link writeTree}. */
export interface WriteOptions {
  /** The file-system calls (tests replace them to inject faults). */
  readonly fs?: WriterFs;
  /** How long to wait for another process writing the same folder. */
  readonly lock?: LockOptions;
  /**
   * @internal Files a first write keeps before it starts writing them on another thread while
   * the render goes on (tests lower it). @default PARALLEL_THRESHOLD
   */
  readonly streamThreshold?: number;
  /**
   * @internal Runs once the new output is in place, still under the lock (the synth cache is
   * written there), with how the writer's threads left the files they wrote or found unchanged
   * (others are not in it); a failure is a warning of the write.
   */
  readonly committed?: (stats: ReadonlyMap<string, readonly [number, number, number]>) => void;
}

/** Receives each rendered file as soon as it is rendered (paths not yet checked). */
export type FileSink = (file: string, content: string) => void;

/** Renders the output, handing each file to `sink` as it goes; returns every file (path -> content). */
export type Render = (sink: FileSink) => ReadonlyMap<string, string>;

const TMP_MARK = '.tmp-';
const isOurs = (base: string, entry: string) => entry.startsWith(`.${base}${TMP_MARK}`) && /^[A-Za-z0-9]{6}(\.old)?$/.test(entry.slice(base.length + 1 + TMP_MARK.length));
const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Finishes or undoes what earlier writers of this output left beside it. Runs under the
 * lock, so every staging folder found belongs to a writer that is gone: one with a journal
 * and no completion mark is rolled back (the previous output comes back exactly); others
 * are removed. Returns warnings for leftovers that could not be removed (they never block).
 */
export function recover(abs: string, fsx: WriterFs = fs): string[] {
  const parent = path.dirname(abs);
  const base = path.basename(abs);
  let entries: string[];
  try {
    entries = fs.readdirSync(parent).filter((e) => isOurs(base, e)).sort();
  } catch {
    return [];
  }
  const warnings: string[] = [];
  // a backup of an older version of this writer, if the process died between its two renames
  const backups = entries.filter((e) => e.endsWith('.old'));
  if (!fs.existsSync(abs) && backups.length > 0) {
    const latest = backups.reduce((a, b) => (fs.statSync(path.join(parent, a)).mtimeMs >= fs.statSync(path.join(parent, b)).mtimeMs ? a : b));
    fsx.renameSync(path.join(parent, latest), abs);
    entries = entries.filter((e) => e !== latest);
  }
  for (const e of entries) {
    const staging = path.join(parent, e);
    const journal = readJournal(staging);
    if (journal && !isDone(staging)) rollback(abs, staging, journal, fsx);
    try {
      if (journal && isDone(staging)) pruneEmptyDirs(abs, removedBy(journal), fsx);
      removeOwnFolder(staging, fsx);
    } catch (err) {
      warnings.push(`a leftover folder of an earlier synth, ${JSON.stringify(e)}, could not be removed (${reason(err)}); it does not affect the output, remove it by hand`);
    }
  }
  return warnings;
}

const removedBy = (journal: Journal) => journal.ops.filter((o) => o.remove).map((o) => o.path);

/**
 * Writes `files` (relative path -> content) as the whole generated content of `outdir`.
 *
 * - Incremental: files whose content is unchanged are not touched (their modification times
 *   stay); generated files that are no longer generated are removed; files, folders (empty
 *   ones too) and links the library did not generate are kept and never followed or read.
 * - Atomic: the new content is staged in a sibling folder with a journal of the moves, then
 *   moved into place one rename per file. A failure undoes the moves, leaving the previous
 *   output exactly as it was; a crash is undone by the next write, which reads the journal.
 * - Serialized: a lock beside the output folder admits one writer at a time and dies with its
 *   process, so recovery never touches a live writer's staging folder.
 * - Overlapped: given the render itself (a {@link Render}), the writer takes the lock, then
 *   renders, receiving each file as it is rendered: a first write stages it in its private
 *   folder at once (on a worker thread past `streamThreshold` files), an update compares it with
 *   the disk on a worker thread. A render that throws leaves the output as it was and its error
 *   is thrown unchanged.
 */
export function writeTree(outdir: string, files: ReadonlyMap<string, string> | Render, options: WriteOptions | WriterFs = {}): WriteResult {
  const opts: WriteOptions = 'renameSync' in options ? { fs: options as WriterFs } : options as WriteOptions;
  const fsx = opts.fs ?? fs;
  const abs = resolveOutdir(outdir);
  let render = typeof files === 'function' ? files : undefined;
  // Handing files over while rendering needs the lock first, which needs the parent folder:
  // where it is missing, the render comes first (an invalid platform creates nothing).
  if (render && kindOf(path.dirname(abs)).kind !== 'dir') {
    files = render(() => undefined);
    render = undefined;
  }
  if (!render) checkOutputPaths((files as ReadonlyMap<string, string>).keys());
  const failed = (e: unknown, state = 'The previous output is unchanged.') =>
    new PlatformWriteError(messages.output.writeFailed(outdir, reason(e), state), { cause: e });
  const parent = path.dirname(abs);
  let lock: WriteLock;
  try {
    fsx.mkdirSync(parent, { recursive: true });
    lock = acquireWriteLock(abs, opts.lock);
  } catch (e) {
    if (e instanceof LockTimeout) {
      throw new PlatformWriteError(messages.output.writeLockTimeout(outdir, e.message, path.basename(e.lockFile)));
    }
    throw failed(e);
  }
  try {
    let warnings: string[];
    try {
      warnings = recover(abs, fsx);
    } catch (e) {
      throw failed(e, 'The previous output is unchanged.');
    }
    const st = kindOf(abs).kind;
    if (st !== 'missing' && st !== 'dir') {
      throw new PlatformWriteError(messages.output.outdirNotAFolder(outdir, kindName[st]));
    }
    // how the threads left the files they wrote or found unchanged (for the synth cache)
    const stats: FileStats = new Map();
    if (st === 'missing') {
      const changed = writeFresh(abs, render ?? (files as ReadonlyMap<string, string>), fsx, failed, opts.streamThreshold, stats);
      afterCommit(opts.committed, stats, warnings);
      return { warnings, changed };
    }
    // an update: while the render goes on, another thread compares large outputs with what is on disk
    let unchanged: ReadonlyMap<string, string> = new Map();
    if (render) {
      const compare = new StreamingWriter(abs, fsx === fs ? opts.streamThreshold : Infinity, 'compare');
      try {
        files = render((rel, content) => {
          if (!unsafeOutputPath(rel)) compare.add(rel, content);
        });
        checkOutputPaths(files.keys());
      } catch (e) {
        compare.cancel();
        throw e;
      }
      unchanged = compare.finish(stats).written;
      // a file an incremental render kept is on disk as it should be
      if ([...(files as ReadonlyMap<string, string>).values()].includes(KEPT_FILE)) {
        const all = new Map(unchanged);
        for (const [rel, content] of files as ReadonlyMap<string, string>) if (content === KEPT_FILE) all.set(rel, content);
        unchanged = all;
      }
    }
    const { journal, contents, problems } = plan(abs, files as ReadonlyMap<string, string>, unchanged);
    const planProblems = problems.map((message) => ({ path: 'platform', message }));
    if (planProblems.length > 0) throw new PlatformValidationError(planProblems);
    if (journal.ops.length === 0) {
      afterCommit(opts.committed, stats, warnings);
      return { warnings, changed: [] };
    }
    let staging: string | undefined;
    let committing = false;
    try {
      staging = fsx.mkdtempSync(path.join(parent, `.${path.basename(abs)}${TMP_MARK}`));
      fsx.mkdirSync(path.join(staging, 'new'), { recursive: true });
      fsx.mkdirSync(path.join(staging, 'old'), { recursive: true });
      const staged = contents.flatMap((c, n): [string, string][] => (c === undefined ? [] : [[path.join('new', String(n)), c]]));
      // a staged file keeps its inode and modification time when it is moved into place
      const stagedStats: FileStats = new Map();
      if (fsx === fs) writeFilesParallel(staging, staged, stagedStats);
      else for (const [rel, c] of staged) fsx.writeFileSync(path.join(staging, rel), c);
      journal.ops.forEach((op, n) => {
        const st = stagedStats.get(path.join('new', String(n)));
        if (st) stats.set(op.path, st);
        else stats.delete(op.path);
      });
      fsx.writeFileSync(path.join(staging, `${JOURNAL}.part`), JSON.stringify(journal));
      fsx.renameSync(path.join(staging, `${JOURNAL}.part`), path.join(staging, JOURNAL));
      if (!stillHeld(lock)) throw new Error(messages.output.lockTakenOver());
      committing = true;
      commit(abs, staging, journal, fsx);
    } catch (e) {
      if (committing && staging) {
        try {
          rollback(abs, staging, journal, fsx);
        } catch {
          throw failed(e, `The previous output is restored from ${JSON.stringify(path.basename(staging))} beside it by the next synth.`);
        }
      }
      if (staging) removeQuietly(staging, fsx);
      throw failed(e);
    }
    // committed: the rest is housekeeping, finished by the next synth if it fails here
    try {
      pruneEmptyDirs(abs, removedBy(journal), fsx);
      removeOwnFolder(staging, fsx);
    } catch (e) {
      warnings.push(`the new output is in place, but the staging folder ${JSON.stringify(path.basename(staging))} could not be tidied up (${reason(e)}); the next synth finishes it.`);
    }
    afterCommit(opts.committed, stats, warnings);
    return { warnings, changed: journal.ops.map((o) => o.path) };
  } finally {
    lock.release();
  }
}

/** Runs the caller's step after a write, under the lock; its failure is a warning (the output is in place). */
function afterCommit(committed: WriteOptions['committed'], stats: FileStats, warnings: string[]): void {
  if (!committed) return;
  try {
    committed(stats);
  } catch (e) {
    warnings.push(messages.output.afterWriteFailed(reason(e)));
  }
}

/**
 * Takes the output folder's lock and finishes or undoes what an interrupted earlier write left
 * (what every write does first). Returns warnings for leftovers that could not be removed.
 */
export function recoverOutput(outdir: string, options: WriteOptions = {}): string[] {
  const abs = resolveOutdir(outdir);
  const lock = acquireWriteLock(abs, options.lock);
  try {
    return recover(abs, options.fs ?? fs);
  } finally {
    lock.release();
  }
}

/**
 * A first write: everything into a temporary sibling folder, then one rename into place. Given
 * the render itself, the files are written as they are rendered (on another thread once there
 * are many), so writing overlaps with rendering; a render that fails removes the folder.
 */
function writeFresh(abs: string, source: ReadonlyMap<string, string> | Render, fsx: WriterFs, failed: (e: unknown) => Error, threshold = PARALLEL_THRESHOLD,
  stats: FileStats = new Map()): string[] {
  let tmp: string | undefined;
  try {
    tmp = fsx.mkdtempSync(path.join(path.dirname(abs), `.${path.basename(abs)}${TMP_MARK}`));
  } catch (e) {
    throw failed(e);
  }
  // the thread writes only with the real file system (tests inject faults through `fsx`)
  const stream = new StreamingWriter(tmp, fsx === fs ? threshold : Infinity);
  let files: ReadonlyMap<string, string>;
  if (typeof source === 'function') {
    try {
      files = source((rel, content) => {
        if (!unsafeOutputPath(rel)) stream.add(rel, content);
      });
      checkOutputPaths(files.keys());
    } catch (e) {
      // the render's own error (invalid platform): nothing of it stays
      stream.cancel();
      removeQuietly(tmp, fsx);
      throw e;
    }
  } else {
    files = source;
  }
  try {
    const { written } = stream.finish(stats);
    // what the thread did not write (a small output, or files the render did not stream)
    const rest = [...files].filter(([rel, content]) => written.get(rel) !== content);
    for (const [rel] of rest) stats.delete(rel);
    for (const rel of written.keys()) {
      if (files.has(rel)) continue;
      fsx.unlinkSync(path.join(tmp, rel));
      stats.delete(rel);
    }
    const dirs = new Set<string>();
    for (const [rel] of rest) {
      const d = path.posix.dirname(rel);
      if (d !== '.' && !dirs.has(d)) {
        fsx.mkdirSync(path.join(tmp, d), { recursive: true });
        dirs.add(d);
      }
    }
    if (fsx === fs) writeFilesParallel(tmp, rest, stats);
    else for (const [rel, content] of rest) fsx.writeFileSync(path.join(tmp, rel), content);
    fsx.writeFileSync(path.join(tmp, MANIFEST_FILE), manifestOf(files));
    fsx.renameSync(tmp, abs);
  } catch (e) {
    stream.cancel();
    removeQuietly(tmp, fsx);
    throw failed(e);
  }
  return [...files.keys(), MANIFEST_FILE];
}

function removeQuietly(dir: string, fsx: WriterFs): void {
  try {
    removeOwnFolder(dir, fsx);
  } catch {
    // best effort: leftovers of this output are also removed by the next synth
  }
}
