import * as path from 'path';
import { parse } from 'yaml';
import { messages } from '../core/errors';
import { PLATFORM_JSON } from '../report/platform-data';
import { CliError } from './io';
import { parsePlatformJson } from './platform-file';
import { rememberParsed } from '../testing/applications';
import { OutputTree, readOutput } from './project';

/** The files the offline expansion parses: Applications and ApplicationSets under `clusters/`. */
const EXPANDED = /^clusters\/[^/]+\/(?:.+\/)?application(?:set)?-[^/]+\.yaml$/;

/** A file-system error as one line naming the path and the fix (undefined for other errors). */
export function fileSystemError(e: unknown, shown: string): CliError | undefined {
  const code = (e as NodeJS.ErrnoException)?.code;
  const where = (e as NodeJS.ErrnoException)?.path ?? shown;
  switch (code) {
    case 'ENOTDIR': return new CliError(messages.cli.fsNotAFolder(shown, where));
    case 'EISDIR': return new CliError(messages.cli.fsNotAFile(shown, where));
    case 'EEXIST': return new CliError(messages.cli.fsExists(shown, where));
    case 'EACCES':
    case 'EPERM': return new CliError(messages.cli.fsPermission(shown, where));
    case 'ENOENT': return new CliError(messages.cli.fsMissing(shown, where));
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
      // the expansion and the render take these objects instead of parsing the texts again
      rememberParsed(tree.files, file, text, parse(text));
    } catch (e) {
      throw new CliError(messages.cli.outputYaml(path.posix.join(shown.split(path.sep).join('/'), file), e));
    }
  }
  return tree;
}
