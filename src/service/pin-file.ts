import * as fs from 'fs';
import * as path from 'path';
import { fail, MAX_QUOTED, messages } from '../core/errors';
import { checkObjectArg, checkStringArg } from '../core/arguments';

/**
 * The pin of one service in one environment, read from
 * `services/<team>/<service>/<env>.json`. CI bumps it with a one-line change;
 * promotion copies it from one environment to the next.
 */
export interface PinFile {
  /** The Argo CD cluster name of the target virtual cluster (`vc-<tenant>`). */
  readonly cluster: string;
  /** The image tag, commit-pinned (see {@link IMAGE_TAG_RULE}). */
  readonly imageTag: string;
  /** The 40-hex commit of the service's repository the image was built from. */
  readonly targetRevision: string;
}

/** The fields of a pin file, in the order they are written. */
export const PIN_FIELDS: readonly (keyof PinFile)[] = ['cluster', 'imageTag', 'targetRevision'];

/** The fields promotion copies (the target keeps its own `cluster`). */
export const PROMOTED_FIELDS: readonly (keyof PinFile)[] = ['imageTag', 'targetRevision'];

/** The rule an image tag must follow, as stated in messages and docs. */
export const IMAGE_TAG_RULE = 'a digest "sha256:<64 lower-case hex>", or a tag (letters, digits, "_", "." and "-", up to 128 characters) '
  + 'with a segment between "-", "_" or "." that is a 7 to 40 lower-case hex commit SHA, e.g. "1.4.2-3f9c2ab" or "main-3f9c2ab5d1e0"';

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const SHA_SEGMENT = /^[0-9a-f]{7,40}$/;
const COMMIT = /^[0-9a-f]{40}$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const cut = (s: string) => (s.length > MAX_QUOTED ? `${s.slice(0, MAX_QUOTED)}...` : s);

/** True when an image tag is pinned to a commit (or is a digest). */
export function isCommitPinnedTag(tag: string): boolean {
  checkStringArg('isCommitPinnedTag', 'tag', tag, '"1.4.2-3f9c2ab"');
  if (DIGEST.test(tag)) return true;
  return TAG.test(tag) && tag.split(/[-_.]/).some((s) => SHA_SEGMENT.test(s));
}

/** True for a full 40-hex commit SHA. */
export function isCommitSha(value: string): boolean {
  return COMMIT.test(value);
}

/** The repository-relative path of a pin file (always with "/"). */
export function pinFilePath(team: string, service: string, env: string): string {
  return `services/${team}/${service}/${env}.json`;
}

/** A pin file that cannot be used; the message names the file, the field and the fix. */
export class PinFileError extends Error {
  constructor(public readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'PinFileError';
  }
}

/** Validates the parsed content of a pin file; throws a {@link PinFileError}. */
export function validatePin(file: string, data: unknown): PinFile {
  checkStringArg('validatePin', 'file', file, '"services/team-a/checkout/prod.json"');
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new PinFileError(file, messages.service.pinContent(data));
  }
  const record = data as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(PIN_FIELDS as readonly string[]).includes(key)) {
      throw new PinFileError(file, messages.service.pinUnknownField(key, record[key], PIN_FIELDS));
    }
  }
  const cluster = record.cluster;
  if (typeof cluster !== 'string' || !DNS_LABEL.test(cluster)) {
    throw new PinFileError(file, messages.service.pinCluster(cluster));
  }
  const imageTag = record.imageTag;
  if (typeof imageTag !== 'string' || !isCommitPinnedTag(imageTag)) {
    throw new PinFileError(file, messages.service.pinImageTag(imageTag, IMAGE_TAG_RULE));
  }
  const targetRevision = record.targetRevision;
  if (typeof targetRevision !== 'string' || !isCommitSha(targetRevision)) {
    throw new PinFileError(file, messages.service.pinTargetRevision(targetRevision));
  }
  return { cluster, imageTag, targetRevision };
}

/** Parses and validates pin file text; `file` is the repository-relative path used in messages. */
export function parsePin(file: string, text: string): PinFile {
  checkStringArg('parsePin', 'file', file, '"services/team-a/checkout/prod.json"');
  checkStringArg('parsePin', 'text', text, 'the text of the pin file');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new PinFileError(file, messages.service.pinNotJson(cut((e as Error).message)));
  }
  return validatePin(file, data);
}

/** The largest pin file read (a pin is about 150 bytes); larger files are refused unread. */
export const MAX_PIN_FILE_BYTES = 4096;

/**
 * Reads the text of a pin file (`file` repository-relative) under `root`: a regular file of at
 * most {@link MAX_PIN_FILE_BYTES}, opened without following a symbolic link (a link could make
 * the library read, and an error quote, a file outside the repository). `notFoundFix` is the fix
 * a missing file's error gives, or a function computing it (called only when the file is missing).
 */
export function readPinFileText(root: string, file: string, notFoundFix: string | (() => string) = 'create it, or check the name.'): string {
  checkStringArg('readPinFileText', 'root', root, 'the repository root');
  checkStringArg('readPinFileText', 'file', file, '"services/team-a/checkout/prod.json"');
  const absolute = path.join(root, ...file.split('/'));
  let fd: number;
  try {
    fd = fs.openSync(absolute, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new PinFileError(file, messages.service.pinNotFound(typeof notFoundFix === 'function' ? notFoundFix() : notFoundFix));
    if (code === 'ELOOP' || (code !== undefined && isSymlink(absolute))) throw new PinFileError(file, messages.service.pinSymlink());
    throw new PinFileError(file, messages.service.pinUnreadable(code ?? (e as Error).message));
  }
  try {
    if (!insideServices(root, absolute)) {
      throw new PinFileError(file, messages.service.pinOutsideServices());
    }
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new PinFileError(file, messages.service.pinNotRegularFile());
    if (stat.size > MAX_PIN_FILE_BYTES) {
      throw new PinFileError(file, messages.service.pinTooLarge(stat.size, MAX_PIN_FILE_BYTES));
    }
    const buffer = Buffer.alloc(MAX_PIN_FILE_BYTES + 1);
    const n = fs.readSync(fd, buffer, 0, buffer.length, 0);
    if (n > MAX_PIN_FILE_BYTES) throw new PinFileError(file, messages.service.pinGrewTooLarge(MAX_PIN_FILE_BYTES));
    return buffer.subarray(0, n).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** True when the folder of `absolute`, links resolved, is under `<root>/services/` (links resolved in root only). */
function insideServices(root: string, absolute: string): boolean {
  const services = path.join(fs.realpathSync(root), 'services') + path.sep;
  return (fs.realpathSync(path.dirname(absolute)) + path.sep).startsWith(services);
}

function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Reads and validates `services/<team>/<service>/<env>.json` under `root`, synchronously.
 * `cluster` is the virtual cluster the error for a missing file suggests (the team's tenant in `env`).
 */
export function readPin(root: string, team: string, service: string, env: string, cluster?: string): PinFile {
  return readPinSuggesting(root, team, service, env, () => cluster);
}

/** {@link readPin}, with the suggested cluster looked up only for a missing file's fix. */
function readPinSuggesting(root: string, team: string, service: string, env: string, cluster: () => string | undefined): PinFile {
  for (const [k, v] of Object.entries({ root, team, service, env })) checkStringArg('readPin', k, v, k === 'root' ? 'the repository root' : `the ${k} name`);
  const file = pinFilePath(team, service, env);
  const text = readPinFileText(root, file, () => messages.service.pinMissingFix(env, cluster()));
  return parsePin(file, text);
}

/** The text of a pin file as the library and the promote command write it (stable field order, one field per line). */
export function formatPin(pin: PinFile): string {
  checkObjectArg('formatPin', 'pin', pin, '{ cluster, imageTag, targetRevision }');
  return JSON.stringify({ cluster: pin.cluster, imageTag: pin.imageTag, targetRevision: pin.targetRevision }, null, 2) + '\n';
}

/**
 * @internal Reads a service's pin files, one per environment, from `root` (resolved against the
 * process's working folder when relative); a bad or missing file is the library's error naming
 * the construct path. `suggest` names the cluster a missing pin should point at, for the fix.
 */
export function readServicePins(here: string, root: string, team: string, service: string, environments: readonly string[], suggest: (env: string) => string | undefined): Map<string, PinFile> {
  const dir = path.resolve(root);
  const pins = new Map<string, PinFile>();
  for (const env of environments) {
    try {
      // the suggestion looks through the declared tenants: only for a missing file's fix
      pins.set(env, readPinSuggesting(dir, team, service, env, () => suggest(env)));
    } catch (e) {
      if (e instanceof PinFileError) fail(here, e.message);
      throw e;
    }
  }
  return pins;
}
