import * as path from 'path';
import { parse } from 'yaml';
import { PLATFORM_JSON } from '../report/platform-data';
import { CliError } from './io';
import { parsePlatformJson } from './platform-file';
import { OutputTree, readOutput } from './project';

/** The files the offline expansion parses: Applications and ApplicationSets under `clusters/`. */
const EXPANDED = /^clusters\/[^/]+\/(?:.+\/)?application(?:set)?-[^/]+\.yaml$/;

/** A file-system error as one line naming the path and the fix (undefined for other errors). */
export function fileSystemError(e: unknown, shown: string): CliError | undefined {
  const code = (e as NodeJS.ErrnoException)?.code;
  const where = (e as NodeJS.ErrnoException)?.path ?? shown;
  switch (code) {
    case 'ENOTDIR': return new CliError(`"${shown}": a file stands where a folder is expected (${where}). Fix: pass a folder, or move the file out of the way.`);
    case 'EISDIR': return new CliError(`"${shown}": a folder stands where a file is expected (${where}). Fix: pass the file itself.`);
    case 'EEXIST': return new CliError(`"${shown}": ${where} already exists and is not a folder. Fix: pass another folder, or move that file out of the way.`);
    case 'EACCES':
    case 'EPERM': return new CliError(`"${shown}": permission denied on ${where}. Fix: check the owner and mode of that path.`);
    case 'ENOENT': return new CliError(`"${shown}": ${where} does not exist. Fix: check the path.`);
    default: return undefined;
  }
}

/**
 * Reads a synthesized output folder for `diff` and `explain`: a path that is not a folder,
 * a `platform.json` that is empty or corrupt, or an Application or ApplicationSet that is not
 * valid YAML is one line naming the file and the fix, never a stack of parser errors.
 */
export function readCheckedOutput(dir: string, shown: string): OutputTree {
  let tree: OutputTree;
  try {
    tree = readOutput(dir);
  } catch (e) {
    throw fileSystemError(e, shown) ?? e;
  }
  const report = tree.files.get(PLATFORM_JSON);
  if (report !== undefined) parsePlatformJson(path.posix.join(shown.split(path.sep).join('/'), PLATFORM_JSON), report);
  for (const [file, text] of tree.files) {
    if (!EXPANDED.test(file)) continue;
    try {
      parse(text);
    } catch (e) {
      const first = String((e as Error).message).split('\n')[0];
      throw new CliError(`${path.posix.join(shown.split(path.sep).join('/'), file)} is not valid YAML (${first}). Fix: synthesize the output again, or correct the file by hand.`);
    }
  }
  return tree;
}
