/**
 * What every offline ApplicationSet generator shares: its error, and its templated `values`.
 * @see https://github.com/argoproj/argo-cd/blob/master/applicationset/generators/generator_spec_processor.go
 */
import { renderGoTemplate } from './go-template';
import type { GeneratorContext } from './generators';
import { asStringMap, GoTemplateError, isMap } from './go-values';

/** Throws the expansion error of an ApplicationSet (its name first). */
export function failGenerator(ctx: { appSet: string }, message: string): never {
  throw new GoTemplateError(`ApplicationSet ${ctx.appSet}: ${message}`);
}

/** A generator's `values` (map[string]string), each rendered with the generator's own parameters (appendTemplatedValues). */
export function templatedValues(ctx: GeneratorContext, kind: string, values: unknown, params: Record<string, unknown>): void {
  if (values === undefined || values === null) return;
  if (!isMap(values)) failGenerator(ctx, `${kind}.values must be a map of strings`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) {
    if (typeof v !== 'string') failGenerator(ctx, `${kind}.values.${k} is ${JSON.stringify(v)}: Argo CD accepts strings only (values is map[string]string)`);
    out[k] = renderGoTemplate(v, params, ctx.missingKey);
  }
  if (Object.keys(out).length > 0) params.values = asStringMap(out);
}
