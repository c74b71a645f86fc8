import * as fs from 'fs';
import * as path from 'path';
import { badValue } from '../core/errors';

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

/** True when an image tag is pinned to a commit (or is a digest). */
export function isCommitPinnedTag(tag: string): boolean {
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
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new PinFileError(file, badValue('content', data, `one JSON object such as ${EXAMPLE}`, 'write the three fields as one object'));
  }
  const record = data as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(PIN_FIELDS as readonly string[]).includes(key)) {
      throw new PinFileError(file, badValue(`field "${key}"`, record[key], `only ${PIN_FIELDS.join(', ')}`, `remove "${key}" (a pin holds the image tag, the revision and the target cluster, nothing else)`));
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
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new PinFileError(file, `not valid JSON (${(e as Error).message}). Fix: write one JSON object such as ${EXAMPLE}.`);
  }
  return validatePin(file, data);
}

/**
 * Reads and validates `services/<team>/<service>/<env>.json` under `root`, synchronously.
 * `cluster` is the virtual cluster the error for a missing file suggests (the team's tenant in `env`).
 */
export function readPin(root: string, team: string, service: string, env: string, cluster?: string): PinFile {
  const file = pinFilePath(team, service, env);
  let text: string;
  try {
    text = fs.readFileSync(path.join(root, ...file.split('/')), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      const example = cluster ? EXAMPLE.replace('vc-team-a-prod', cluster) : EXAMPLE.replace('"vc-team-a-prod"', `"<the vc-<tenant> cluster of the team's tenant in ${env}>"`);
      throw new PinFileError(file, `file not found. Fix: create it with ${example}, or remove "${env}" from the service's environments.`);
    }
    throw new PinFileError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Fix: make it a readable file.`);
  }
  return parsePin(file, text);
}

/** The text of a pin file as the library and the promote command write it (stable field order, one field per line). */
export function formatPin(pin: PinFile): string {
  return JSON.stringify({ cluster: pin.cluster, imageTag: pin.imageTag, targetRevision: pin.targetRevision }, null, 2) + '\n';
}
