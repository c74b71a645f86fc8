import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { PinFile, PinFileError, pinFilePath, PROMOTED_FIELDS, readPin, readPinFileText, formatPin, parsePin } from './pin-file';
import { checkStringArg } from '../core/arguments';
import { messages } from '../core/errors';
import { checkProps } from '../core/data';

/** Thrown when a promotion cannot be done; one line naming the problem and the fix. */
export class PromotionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromotionError';
  }
}

/** Options of {@link promote}. */
export interface PromoteOptions {
  /** The repository root holding `services/`. */
  readonly root: string;
  /** `<team>/<service>`. */
  readonly service: string;
  /** The environment whose pin is copied. */
  readonly from: string;
  /** The environment whose pin file is rewritten. */
  readonly to: string;
  /**
   * The platform's environments in promotion order (`environments` of `platform.json`):
   * both environments must be in it, and `to` must be the next one after `from` among those the
   * service has a pin file for.
   */
  readonly environments: readonly string[];
  /**
   * Copy the pin even when `to` comes before `from` in `environments` (going back on purpose),
   * or past an environment between them the service has a pin file for (skipping it on purpose).
   * @default false
   */
  readonly force?: boolean;
}

/** What a promotion did. */
export interface PromotionResult {
  /** The repository-relative path of the one file written. */
  readonly file: string;
  /** False when the target already had the source's pin (nothing written). */
  readonly changed: boolean;
  /** The pin before and after. */
  readonly before: PinFile;
  readonly after: PinFile;
  /** A unified diff of the file (empty when unchanged). */
  readonly diff: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Promotes a service: copies `imageTag` and `targetRevision` (only the pin) from
 * the `from` environment's pin file to the `to` environment's, keeping the
 * target's `cluster`, and writes only that one file. The rest of the file's text
 * is kept as it is, so the change is the pin's lines only.
 */
export function promote(options: PromoteOptions): PromotionResult {
  checkProps('promote', options, '{ root, service: "team-a/checkout", from: "staging", to: "prod", environments }');
  for (const k of ['root', 'service', 'from', 'to'] as const) checkStringArg('promote', `options.${k}`, options[k], k === 'root' ? 'the repository root' : `"${{ service: 'team-a/checkout', from: 'staging', to: 'prod' }[k]}"`);
  const { root, from, to } = options;
  const [team, service, ...rest] = options.service.split('/');
  if (rest.length > 0 || !DNS_LABEL.test(team ?? '') || !DNS_LABEL.test(service ?? '')) {
    throw new PromotionError(messages.service.promoteServiceName(options.service));
  }
  checkEnvironments(from, to, options.environments);
  if (!options.force) checkForward(team, service, from, to, options.environments);
  const folder = path.join(root, 'services', team, service);
  if (!fs.existsSync(folder)) {
    const known = listServices(root);
    throw new PromotionError(messages.service.promoteNoFolder(options.service, team, service, known));
  }
  if (!options.force) checkNoneSkipped(root, team, service, from, to, options.environments);
  let source: PinFile;
  let before: PinFile;
  try {
    source = readPin(root, team, service, from);
    before = readPin(root, team, service, to);
  } catch (e) {
    if (e instanceof PinFileError) throw new PromotionError(e.message);
    throw e;
  }
  const file = pinFilePath(team, service, to);
  const after: PinFile = { ...before, imageTag: source.imageTag, targetRevision: source.targetRevision };
  if (PROMOTED_FIELDS.every((f) => before[f] === after[f])) {
    return { file, changed: false, before, after, diff: '' };
  }
  const absolute = path.join(root, ...file.split('/'));
  const text = readPinText(root, file);
  const next = rewrite(file, text, after);
  replaceFile(absolute, next);
  return { file, changed: true, before, after, diff: unifiedDiff(file, text, next) };
}

/** Both environments are the platform's (so the pin paths stay inside `services/`), and differ. */
function checkEnvironments(from: string, to: string, envs: readonly string[]): void {
  if (!Array.isArray(envs) || envs.length === 0 || !envs.every((e) => typeof e === 'string' && DNS_LABEL.test(e))) {
    throw new PromotionError(messages.service.promoteEnvironments(envs));
  }
  for (const [flag, env] of [['--from', from], ['--to', to]] as const) {
    if (!envs.includes(env)) throw new PromotionError(messages.service.promoteUnknownEnvironment(flag, env, envs));
  }
  if (from === to) {
    throw new PromotionError(messages.service.promoteSameEnvironment(to));
  }
}

/** Promotion goes forward in the platform's order (unless forced: going back on purpose). */
function checkForward(team: string, service: string, from: string, to: string, envs: readonly string[]): void {
  if (envs.indexOf(to) < envs.indexOf(from)) {
    throw new PromotionError(messages.service.promoteBackwards(from, to, envs, pinFilePath(team, service, to)));
  }
}

/**
 * Promotion goes to the next environment the service runs in: none between `from` and `to` (in
 * the platform's order) has a pin file of the service (unless forced: skipping on purpose).
 */
function checkNoneSkipped(root: string, team: string, service: string, from: string, to: string, envs: readonly string[]): void {
  const between = envs.slice(envs.indexOf(from) + 1, envs.indexOf(to));
  // lstat: a pin file that is a link is there too (reading it is refused later)
  const skipped = between.filter((env) => fs.lstatSync(path.join(root, ...pinFilePath(team, service, env).split('/')), { throwIfNoEntry: false }) !== undefined);
  if (skipped.length) {
    throw new PromotionError(messages.service.promoteSkipsEnvironment(from, to, skipped, envs, skipped.map((env) => pinFilePath(team, service, env))));
  }
}

/** Reads a pin file's text without following a symbolic link. */
function readPinText(root: string, file: string): string {
  try {
    return readPinFileText(root, file);
  } catch (e) {
    if (e instanceof PinFileError) throw new PromotionError(e.message);
    throw e;
  }
}

/**
 * Writes `text` to `absolute` through a new temporary file beside it, created exclusively
 * (`O_CREAT | O_EXCL`, which never follows a symbolic link), then renamed over the target.
 */
function replaceFile(absolute: string, text: string): void {
  const tmp = `${absolute}.${process.pid}-${randomBytes(6).toString('hex')}.promote-tmp`;
  const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0), 0o644);
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(tmp, absolute);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Replaces the promoted fields' values in place (keeping the file's layout); falls back to the canonical format. */
function rewrite(file: string, text: string, after: PinFile): string {
  let next = text;
  for (const f of PROMOTED_FIELDS) {
    const re = new RegExp(`("${f}"\\s*:\\s*)"[^"\\\\]*"`);
    next = next.replace(re, (_m, prefix: string) => `${prefix}${JSON.stringify(after[f])}`);
  }
  try {
    const parsed = parsePin(file, next);
    if (parsed.cluster === after.cluster && PROMOTED_FIELDS.every((f) => parsed[f] === after[f])) return next;
  } catch {
    // the layout could not be kept: write the canonical form
  }
  return formatPin(after);
}

/** The `<team>/<service>` folders under `services/`, sorted. */
export function listServices(root: string): string[] {
  checkStringArg('listServices', 'root', root, 'the repository root');
  const base = path.join(root, 'services');
  if (!fs.existsSync(base)) return [];
  const dirs = (p: string) => fs.readdirSync(p, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  return dirs(base).flatMap((team) => dirs(path.join(base, team)).map((s) => `${team}/${s}`));
}

/** A unified diff of two versions of one (small) file, with 3 lines of context. */
export function unifiedDiff(file: string, a: string, b: string): string {
  for (const [k, v] of Object.entries({ file, a, b })) checkStringArg('unifiedDiff', k, v, k === 'file' ? 'the file name' : 'the text of the file');
  const x = a.split('\n');
  const y = b.split('\n');
  if (x[x.length - 1] === '' && y[y.length - 1] === '') {
    x.pop();
    y.pop();
  }
  // longest common subsequence (pin files are a few lines)
  const lcs: number[][] = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const ops: { op: ' ' | '-' | '+'; line: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      ops.push({ op: ' ', line: x[i] });
      i++;
      j++;
    } else if (j < y.length && (i >= x.length || lcs[i][j + 1] > lcs[i + 1][j])) {
      ops.push({ op: '+', line: y[j++] });
    } else {
      ops.push({ op: '-', line: x[i++] });
    }
  }
  const changed = ops.map((o, k) => (o.op !== ' ' ? k : -1)).filter((k) => k >= 0);
  if (changed.length === 0) return '';
  const out = [`--- a/${file}`, `+++ b/${file}`];
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k] - 3);
    let end = Math.min(ops.length, changed[k] + 4);
    while (k + 1 < changed.length && changed[k + 1] - 3 <= end) end = Math.min(ops.length, changed[++k] + 4);
    k++;
    const hunk = ops.slice(start, end);
    const oldStart = ops.slice(0, start).filter((o) => o.op !== '+').length + 1;
    const newStart = ops.slice(0, start).filter((o) => o.op !== '-').length + 1;
    const oldLen = hunk.filter((o) => o.op !== '+').length;
    const newLen = hunk.filter((o) => o.op !== '-').length;
    out.push(`@@ -${oldStart},${oldLen} +${newStart},${newLen} @@`, ...hunk.map((o) => `${o.op}${o.line}`));
  }
  return out.join('\n') + '\n';
}
