import * as fs from 'fs';
import * as path from 'path';
import { messages, PlatformValidationError, PlatformWriteError } from '../core/errors';

/** The file, at the output root, that lists what the library generated. */
export const MANIFEST_FILE = '.cdk8s-gitops-platform.json';

/** The file-system calls the writer makes (replaceable in tests to inject failures). */
export interface WriterFs {
  mkdtempSync(prefix: string): string;
  mkdirSync(p: string, options: { recursive: true }): unknown;
  writeFileSync(p: string, data: string): void;
  copyFileSync(src: string, dest: string): void;
  renameSync(from: string, to: string): void;
  rmSync(p: string, options: { recursive: true; force: true }): void;
}

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

function readManifest(outdir: string): Set<string> {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(outdir, MANIFEST_FILE), 'utf8')) as { files?: unknown };
    return new Set(Array.isArray(parsed.files) ? parsed.files.filter((f): f is string => typeof f === 'string') : []);
  } catch {
    return new Set();
  }
}

function listFiles(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(root, rel));
    else out.push(rel);
  }
  return out;
}

/**
 * True when `file` could escape or break the output folder. Output paths come from
 * object names; whatever the names, nothing may land outside the output folder.
 */
export function unsafeOutputPath(file: unknown): boolean {
  if (typeof file !== 'string' || file === '' || file.includes('\\') || file.includes('\0') || file.startsWith('/') || /^[A-Za-z]:/.test(file)) return true;
  if (file === MANIFEST_FILE) return true;
  return file.split('/').some((seg) => seg === '' || seg === '.' || seg === '..' || Buffer.byteLength(seg) > 255);
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
  /** Problems that did not stop the write, e.g. a backup folder that could not be removed yet. */
  readonly warnings: readonly string[];
}

const TMP_MARK = '.tmp-';
const isOurs = (base: string, entry: string) => entry.startsWith(`.${base}${TMP_MARK}`) && /^[A-Za-z0-9]{6}(\.old)?$/.test(entry.slice(base.length + 1 + TMP_MARK.length));

/**
 * Recovers from an interrupted earlier write: when the output folder is missing but
 * its backup exists (the process died between the two renames), the backup is
 * renamed back; then leftover temporary and backup folders of this output are removed.
 */
function recover(abs: string, fsx: WriterFs): void {
  const parent = path.dirname(abs);
  const base = path.basename(abs);
  let entries: string[];
  try {
    entries = fs.readdirSync(parent).filter((e) => isOurs(base, e)).sort();
  } catch {
    return;
  }
  const backups = entries.filter((e) => e.endsWith('.old'));
  if (!fs.existsSync(abs) && backups.length > 0) {
    const latest = backups.reduce((a, b) => (fs.statSync(path.join(parent, a)).mtimeMs >= fs.statSync(path.join(parent, b)).mtimeMs ? a : b));
    fsx.renameSync(path.join(parent, latest), abs);
    entries = entries.filter((e) => e !== latest);
  }
  for (const e of entries) fsx.rmSync(path.join(parent, e), { recursive: true, force: true });
}

/**
 * Writes `files` (relative path -> content) as the whole generated content of
 * `outdir`, atomically: everything goes to a temporary sibling folder, files the
 * library did not generate are carried over, then the folders are swapped. On any
 * error the previous output is left exactly as it was and the temporary folder is
 * removed. Generated files that are no longer generated disappear. Paths that
 * could escape the output folder are refused before anything is written.
 */
export function writeTree(outdir: string, files: ReadonlyMap<string, string>, fsx: WriterFs = fs): WriteResult {
  const abs = resolveOutdir(outdir);
  checkOutputPaths(files.keys());
  const failed = (e: unknown, state: string) => {
    const reason = e instanceof Error ? e.message : String(e);
    return new PlatformWriteError(`writing the platform to ${JSON.stringify(outdir)} failed: ${reason}. ${state} Fix: free space or permissions on that folder, then synth again.`, { cause: e });
  };
  try {
    recover(abs, fsx);
  } catch (e) {
    throw failed(e, 'The previous output is unchanged.');
  }
  const exists = fs.existsSync(abs);
  if (exists && !fs.statSync(abs).isDirectory()) {
    throw new PlatformWriteError(`cannot write the platform to ${JSON.stringify(outdir)}: it is a file, not a folder. Fix: remove it or choose another outdir.`);
  }
  const generatedBefore = exists ? readManifest(abs) : new Set<string>();
  const keep = exists ? listFiles(abs).filter((f) => f !== MANIFEST_FILE && !generatedBefore.has(f)) : [];
  const conflicts = keep.filter((f) => files.has(f));
  if (conflicts.length > 0) {
    throw new PlatformValidationError(conflicts.map((f) => ({ path: 'platform', message: messages.notGeneratedConflict(f) })));
  }
  const parent = path.dirname(abs);
  let tmp: string | undefined;
  let backup: string | undefined;
  try {
    fsx.mkdirSync(parent, { recursive: true });
    tmp = fsx.mkdtempSync(path.join(parent, `.${path.basename(abs)}${TMP_MARK}`));
    const dirs = new Set<string>();
    const ensureDir = (rel: string) => {
      const d = path.posix.dirname(rel);
      if (d !== '.' && !dirs.has(d)) {
        fsx.mkdirSync(path.join(tmp!, d), { recursive: true });
        dirs.add(d);
      }
    };
    for (const [rel, content] of files) {
      ensureDir(rel);
      fsx.writeFileSync(path.join(tmp, rel), content);
    }
    for (const rel of keep) {
      ensureDir(rel);
      fsx.copyFileSync(path.join(abs, rel), path.join(tmp, rel));
    }
    fsx.writeFileSync(path.join(tmp, MANIFEST_FILE), JSON.stringify({
      generator: 'cdk8s-gitops-platform',
      note: 'Files listed here are generated and replaced on every synth; other files in this folder are kept.',
      files: [...files.keys()].sort(),
    }, null, 2) + '\n');
    if (!exists) {
      fsx.renameSync(tmp, abs);
      tmp = undefined;
      return { warnings: [] };
    }
    // another process may have added or removed files of its own meanwhile: never swap those away
    const keepNow = listFiles(abs).filter((f) => f !== MANIFEST_FILE && !generatedBefore.has(f)).sort();
    const keepSorted = [...keep].sort();
    if (keepNow.length !== keepSorted.length || keepNow.some((f, i) => f !== keepSorted[i])) {
      throw new ConcurrentChange();
    }
    backup = `${tmp}.old`;
    fsx.renameSync(abs, backup);
  } catch (e) {
    removeQuietly(tmp);
    if (e instanceof ConcurrentChange) {
      throw new PlatformWriteError(`writing the platform to ${JSON.stringify(outdir)} failed: the output folder changed while it was being written (files were added or removed by another process). The previous output is unchanged. Fix: let the other process finish, then synth again.`);
    }
    throw failed(e, 'The previous output is unchanged.');
  }
  try {
    fsx.renameSync(tmp, abs);
  } catch (e) {
    try {
      fsx.renameSync(backup, abs);
    } catch {
      // the old output could not be put back: say exactly where it is (the next synth also restores it)
      removeQuietly(tmp);
      throw failed(e, `The previous output is intact in ${JSON.stringify(path.basename(backup))} beside it and is restored by the next synth.`);
    }
    removeQuietly(tmp);
    throw failed(e, 'The previous output is unchanged.');
  }
  // the new output is in place: removing the old one is housekeeping, retried by the next synth
  try {
    fsx.rmSync(backup, { recursive: true, force: true });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return { warnings: [`the new output is in place, but the previous one could not be removed from ${JSON.stringify(path.basename(backup))} (${reason}); the next synth removes it.`] };
  }
  return { warnings: [] };
}

class ConcurrentChange extends Error {}

function removeQuietly(dir: string | undefined): void {
  if (!dir) return;
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch {
    // best effort: leftovers of this output are also removed by the next synth
  }
}
