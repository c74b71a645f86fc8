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
 * Writes `files` (relative path -> content) as the whole generated content of
 * `outdir`, atomically: everything goes to a temporary sibling folder, files the
 * library did not generate are carried over, then the folders are swapped. On any
 * error the previous output is left exactly as it was and the temporary folder is
 * removed. Generated files that are no longer generated disappear.
 */
export function writeTree(outdir: string, files: ReadonlyMap<string, string>, fsx: WriterFs = fs): void {
  const abs = resolveOutdir(outdir);
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
    tmp = fsx.mkdtempSync(path.join(parent, `.${path.basename(abs)}.tmp-`));
    const dirs = new Set<string>();
    const ensureDir = (rel: string) => {
      const d = path.dirname(rel);
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
    if (exists) {
      backup = `${tmp}.old`;
      fsx.renameSync(abs, backup);
      try {
        fsx.renameSync(tmp, abs);
      } catch (e) {
        fsx.renameSync(backup, abs);
        backup = undefined;
        throw e;
      }
      tmp = undefined;
      fsx.rmSync(backup, { recursive: true, force: true });
      backup = undefined;
    } else {
      fsx.renameSync(tmp, abs);
      tmp = undefined;
    }
  } catch (e) {
    if (tmp) {
      try {
        fs.rmSync(tmp, { recursive: true, force: true });
      } catch {
        // best effort: the error below is what matters
      }
    }
    const reason = e instanceof Error ? e.message : String(e);
    throw new PlatformWriteError(`writing the platform to ${JSON.stringify(outdir)} failed: ${reason}. The previous output is unchanged. Fix: free space or permissions on that folder, then synth again.`, { cause: e });
  }
}
