import * as fs from 'fs';
import * as path from 'path';
import { PLATFORM_JSON, PlatformData } from '../report/platform-data';
import { CliError } from './io';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Checks the text of a `platform.json` (`shown` names it in messages) and returns its data:
 * a JSON object with the environments and clusters the commands read. Anything else is one
 * line naming the file and the fix, never a parser's error.
 */
export function parsePlatformJson(shown: string, text: string): PlatformData {
  const fix = 'synthesize the platform again (npx cdk8s synth) so the library rewrites it';
  if (text.trim() === '') throw new CliError(`${shown} is empty. Fix: ${fix}.`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${shown} is not valid JSON (${(e as Error).message.split('\n')[0].slice(0, 120)}). Fix: ${fix}.`);
  }
  const d = data as Partial<Record<keyof PlatformData, unknown>> | null;
  const problem = typeof d !== 'object' || d === null || Array.isArray(d) ? 'is not a JSON object'
    : !Array.isArray(d.environments) || d.environments.length === 0 || !d.environments.every((e) => typeof e === 'string' && DNS_LABEL.test(e)) ? 'has no valid "environments" list'
      : !Array.isArray(d.clusters) || !d.clusters.every((c) => typeof c === 'object' && c !== null && typeof (c as { name?: unknown }).name === 'string') ? 'has no valid "clusters" list'
        : typeof d.repository !== 'object' || d.repository === null ? 'has no "repository"'
          : undefined;
  if (problem) throw new CliError(`${shown} ${problem}: it is not a platform report this version wrote. Fix: ${fix}.`);
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
    if (code === 'ENOENT') throw new CliError(`no ${PLATFORM_JSON} at "${file}". Fix: synthesize the platform first, or pass --platform <path to ${PLATFORM_JSON}>.`);
    if (code === 'ENOTDIR') throw new CliError(`"${file}": a file stands where a folder is expected on that path. Fix: pass the path of ${PLATFORM_JSON} in the synthesized output folder.`);
    if (code === 'EISDIR') throw new CliError(`"${file}" is a folder. Fix: pass the path of ${PLATFORM_JSON} itself, e.g. dist/${PLATFORM_JSON}.`);
    throw new CliError(`"${file}" cannot be read (${code ?? (e as Error).message}). Fix: make it a readable file.`);
  }
  return parsePlatformJson(file, text);
}
