import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

/** Thrown when a promotion would go against the platform's environment order; one line with the fix. */
export class PromotionOrderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromotionOrderError';
  }
}

/** Options of {@link checkPromotionOrder}. */
export interface PromotionOrderOptions {
  /** The platform's environments in promotion order (`environments` of `platform.json`). */
  readonly environments: readonly string[];
  /** The environment whose pin is copied. */
  readonly from: string;
  /** The environment whose pin file is rewritten. */
  readonly to: string;
  /** The repository-relative pin file that would be rewritten (named in the fix). */
  readonly pinFile: string;
  /**
   * Allow going back (a later environment's pin onto an earlier one).
   * @default false
   */
  readonly force?: boolean;
}

/**
 * Promotion goes forward only: both environments must be the platform's, and `to` must come
 * after `from` in the platform's order, unless `force` is set (going back on purpose).
 */
export function checkPromotionOrder(options: PromotionOrderOptions): void {
  const { environments: envs, from, to, pinFile } = options;
  for (const [flag, env] of [['--from', from], ['--to', to]] as const) {
    if (!envs.includes(env)) throw new PromotionOrderError(`${flag}: got ${JSON.stringify(env)}. Allowed: the platform's environments ${envs.join(', ')}. Fix: use one of them.`);
  }
  if (!options.force && envs.indexOf(to) < envs.indexOf(from)) {
    throw new PromotionOrderError(`--to: got ${JSON.stringify(to)}, which comes before ${JSON.stringify(from)} (order: ${envs.join(', ')}). Allowed: a later environment. Fix: to roll back, revert the commit that changed ${pinFile}, or pass --force to copy the pin backwards.`);
  }
}

/**
 * The platform's environments in promotion order, read from the committed `platform.json`
 * of the synth project in `root` (its `cdk8s.yaml` `output`, default `dist`); `undefined`
 * when there is none yet.
 */
export function committedEnvironments(root: string): { readonly environments: readonly string[]; readonly file: string } | undefined {
  let output = 'dist';
  const config = path.join(root, 'cdk8s.yaml');
  if (fs.existsSync(config)) {
    const parsed = parse(fs.readFileSync(config, 'utf8')) as { output?: unknown } | null;
    if (typeof parsed?.output === 'string') output = parsed.output;
  }
  const file = path.join(output, 'platform.json').split(path.sep).join('/');
  const abs = path.join(root, file);
  if (!fs.existsSync(abs)) return undefined;
  let data: { environments?: unknown };
  try {
    data = JSON.parse(fs.readFileSync(abs, 'utf8')) as { environments?: unknown };
  } catch (e) {
    throw new PromotionOrderError(`${file}: not valid JSON (${(e as Error).message}). Fix: run the synth again to rewrite it.`);
  }
  const envs = data?.environments;
  if (!Array.isArray(envs) || envs.length === 0 || !envs.every((e) => typeof e === 'string')) {
    throw new PromotionOrderError(`${file}: has no "environments" list. Fix: run the synth again with this version of the library.`);
  }
  return { environments: envs as string[], file };
}
