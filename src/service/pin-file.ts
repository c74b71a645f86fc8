import * as fs from 'fs';
import * as path from 'path';
import { badValue, fail, MAX_QUOTED, show } from '../core/errors';
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

const EXAMPLE = '{ "cluster": "vc-team-a-prod", "imageTag": "1.4.2-3f9c2ab", "targetRevision": "<40-hex commit>" }';

/** Validates the parsed content of a pin file; throws a {@link PinFileError}. */
export function validatePin(file: string, data: unknown): PinFile {
  checkStringArg('validatePin', 'file', file, '"services/team-a/checkout/prod.json"');
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new PinFileError(file, badValue('content', data, `one JSON object such as ${EXAMPLE}`, 'write the three fields as one object'));
  }
  const record = data as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(PIN_FIELDS as readonly string[]).includes(key)) {
      throw new PinFileError(file, badValue(`field ${show(key)}`, record[key], `only ${PIN_FIELDS.join(', ')}`, `remove ${show(key)} (a pin holds the image tag, the revision and the target cluster, nothing else)`));
    }
  }
  const cluster = record.cluster;
  if (typeof cluster !== 'string' || !DNS_LABEL.test(cluster)) {
    throw new PinFileError(file, badValue('cluster', cluster, 'the Argo CD cluster name of a tenant\'s virtual cluster, a DNS label such as "vc-team-a-prod"', 'set "cluster" to "vc-<tenant>" of the tenant that runs this environment'));
  }
  const imageTag = record.imageTag;
  if (typeof imageTag !== 'string' || !isCommitPinnedTag(imageTag)) {
    throw new PinFileError(file, badValue('imageTag', imageTag, IMAGE_TAG_RULE, 'set "imageTag" to the tag CI pushed for the commit (never "latest" or a moving tag)'));
  }
  const targetRevision = record.targetRevision;
  if (typeof targetRevision !== 'string' || !isCommitSha(targetRevision)) {
    throw new PinFileError(file, badValue('targetRevision', targetRevision, 'a full 40-character lower-case hex commit SHA', 'set "targetRevision" to the commit the image was built from (git rev-parse HEAD)'));
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
    throw new PinFileError(file, `not valid JSON (${cut((e as Error).message)}). Fix: write one JSON object such as ${EXAMPLE}.`);
  }
  return validatePin(file, data);
}

/** The largest pin file read (a pin is about 150 bytes); larger files are refused unread. */
export const MAX_PIN_FILE_BYTES = 4096;

/**
 * Reads the text of a pin file (`file` repository-relative) under `root`: a regular file of at
 * most {@link MAX_PIN_FILE_BYTES}, opened without following a symbolic link (a link could make
 * the library read, and an error quote, a file outside the repository).
 */
export function readPinFileText(root: string, file: string, notFoundFix = 'create it, or check the name.'): string {
  checkStringArg('readPinFileText', 'root', root, 'the repository root');
  checkStringArg('readPinFileText', 'file', file, '"services/team-a/checkout/prod.json"');
  const absolute = path.join(root, ...file.split('/'));
  let fd: number;
  try {
    fd = fs.openSync(absolute, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new PinFileError(file, `file not found. Fix: ${notFoundFix}`);
    if (code === 'ELOOP' || (code !== undefined && isSymlink(absolute))) throw new PinFileError(file, 'a symbolic link. Allowed: a regular file in the repository. Fix: replace the link with the pin file itself.');
    throw new PinFileError(file, `cannot be read (${code ?? (e as Error).message}). Fix: make it a readable file.`);
  }
  try {
    if (!insideServices(root, absolute)) {
      throw new PinFileError(file, 'outside services/ (a folder on its path is a symbolic link that leads elsewhere). Allowed: real folders under services/. Fix: replace the link with the folder it points to.');
    }
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new PinFileError(file, 'not a regular file. Allowed: a regular file in the repository. Fix: replace it with the pin file.');
    if (stat.size > MAX_PIN_FILE_BYTES) {
      throw new PinFileError(file, `${stat.size} bytes. Allowed: at most ${MAX_PIN_FILE_BYTES} bytes (a pin holds three short fields). Fix: write only ${EXAMPLE}.`);
    }
    const buffer = Buffer.alloc(MAX_PIN_FILE_BYTES + 1);
    const n = fs.readSync(fd, buffer, 0, buffer.length, 0);
    if (n > MAX_PIN_FILE_BYTES) throw new PinFileError(file, `more than ${MAX_PIN_FILE_BYTES} bytes. Fix: write only ${EXAMPLE}.`);
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
  for (const [k, v] of Object.entries({ root, team, service, env })) checkStringArg('readPin', k, v, k === 'root' ? 'the repository root' : `the ${k} name`);
  const file = pinFilePath(team, service, env);
  const example = cluster ? EXAMPLE.replace('vc-team-a-prod', cluster) : EXAMPLE.replace('"vc-team-a-prod"', `"<the vc-<tenant> cluster of the team's tenant in ${env}>"`);
  const text = readPinFileText(root, file, `create it with ${example}, or remove "${env}" from the service's environments.`);
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
      pins.set(env, readPin(dir, team, service, env, suggest(env)));
    } catch (e) {
      if (e instanceof PinFileError) fail(here, e.message);
      throw e;
    }
  }
  return pins;
}
