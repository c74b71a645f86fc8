import * as fs from 'fs';
import * as path from 'path';
import { messages } from '../core/errors';
import { PLATFORM_JSON, PlatformData } from '../report/platform-data';
import { CliError } from './io';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Checks the text of a `platform.json` (`shown` names it in messages) and returns its data:
 * a JSON object with the environments and clusters the commands read. Anything else is one
 * line naming the file and the fix, never a parser's error.
 */
export function parsePlatformJson(shown: string, text: string): PlatformData {
  if (text.trim() === '') throw new CliError(messages.cli.platformJsonEmpty(shown));
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new CliError(messages.cli.platformJsonSyntax(shown, e));
  }
  const d = data as Partial<Record<keyof PlatformData, unknown>> | null;
  const flaw = messages.cli.platformJsonFlaw;
  const problem = typeof d !== 'object' || d === null || Array.isArray(d) ? flaw.notAnObject
    : !Array.isArray(d.environments) || d.environments.length === 0 || !d.environments.every((e) => typeof e === 'string' && DNS_LABEL.test(e)) ? flaw.environments
      : !Array.isArray(d.clusters) || !d.clusters.every((c) => typeof c === 'object' && c !== null && typeof (c as { name?: unknown }).name === 'string') ? flaw.clusters
        : typeof d.repository !== 'object' || d.repository === null ? flaw.repository
          : undefined;
  if (problem) throw new CliError(messages.cli.platformJsonShape(shown, problem));
  return data as PlatformData;
}

/** Reads `platform.json` from a file path (for commands that take `--platform`). */
export function readPlatformFile(cwd: string, file: string): PlatformData {
  const absolute = path.resolve(cwd, file);
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(messages.cli.platformFileMissing(file, PLATFORM_JSON));
    if (code === 'ENOTDIR') throw new CliError(messages.cli.platformFileUnderFile(file, PLATFORM_JSON));
    if (code === 'EISDIR') throw new CliError(messages.cli.platformFileIsFolder(file, PLATFORM_JSON));
    throw new CliError(messages.cli.platformFileUnreadable(file, code ?? (e as Error).message));
  }
  return parsePlatformJson(file, text);
}
