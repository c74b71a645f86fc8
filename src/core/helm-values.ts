import { parse } from 'yaml';
import { toYaml } from '../synth/yaml';
import { layerValues } from './merge';

/**
 * Helm value layering, as Argo CD's repo server and Helm itself do it: the one implementation
 * the policy pass and the offline expansion share.
 *
 * - Argo CD passes the `valueFiles` in order, then one more values file made of `valuesObject`
 *   when it is set, else of `values` (the two are never merged: `valuesObject` replaces
 *   `values`), then `parameters` as `--set`/`--set-string`.
 * - Helm merges the values files and the `--set` entries key by key: maps merge, anything
 *   else replaces, and `null` is kept (see {@link mergeHelmValues}).
 * - Helm then coalesces the result with the chart's defaults: a `null` removes the chart's
 *   default of its key; a `null` where the chart has no default stays `null`
 *   (see {@link coalesceHelmValues}).
 *
 * @see https://github.com/argoproj/argo-cd/blob/master/pkg/apis/application/v1alpha1/values.go (ValuesYAML)
 * @see https://github.com/helm/helm/blob/main/pkg/cli/values/options.go (mergeMaps)
 * @see https://github.com/helm/helm/blob/main/pkg/chart/common/util/coalesce.go (coalesceTablesFullKey)
 */

type Obj = Record<string, unknown>;

function isMap(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Helm's merge of values files and `--set` entries (later over earlier): maps merge key by
 * key, anything else replaces (lists and `null` included: the `null` is kept, to remove
 * the chart's default when Helm coalesces). `undefined` keeps the earlier value.
 */
export function mergeHelmValues(base: unknown, over: unknown): unknown {
  return layerValues(base, over);
}

/** Every layer merged in order (lowest precedence first) with {@link mergeHelmValues}; a non-map result is `{}`. */
export function mergeHelmValueLayers(layers: Iterable<unknown>): Obj {
  let out: unknown = {};
  for (const l of layers) out = mergeHelmValues(out, l);
  return isMap(out) ? out : {};
}

/**
 * Helm's coalescing of the user's values over a chart's defaults (what templates see as
 * `.Values`): a user `null` over a default removes the key; a user `null` with no default
 * stays `null`; maps merge; a user value that is not a map does not merge into a default
 * map (the user's wins); neither argument is changed.
 */
export function coalesceHelmValues(defaults: unknown, values: unknown): Obj {
  const user = isMap(values) ? values : {};
  return isMap(defaults) ? coalesceTables(user, defaults) : { ...user };
}

function coalesceTables(dst: Obj, src: Obj): Obj {
  const out: Obj = { ...dst };
  for (const [k, d] of Object.entries(src)) {
    if (!(k in out)) out[k] = d;
    else if (out[k] === null && d !== null) delete out[k];
    else if (isMap(out[k]) && isMap(d)) out[k] = coalesceTables(out[k] as Obj, d);
  }
  return out;
}

/** A source's `helm` block, as far as the value layering reads it. */
export interface HelmSourceValues {
  readonly values?: unknown;
  readonly valuesObject?: unknown;
  readonly parameters?: unknown;
}

/**
 * The values file Argo CD makes of a source's inline values: `valuesObject` when it is set
 * (not `null`), else `values` parsed as YAML; `undefined` when there is neither. A `values`
 * text that does not parse is `undefined` when `lenient`, else the parser's error is thrown.
 */
export function inlineHelmValues(helm: HelmSourceValues | undefined, lenient = false): unknown {
  const vo = helm?.valuesObject;
  if (vo !== undefined && vo !== null) return vo;
  const v = helm?.values;
  if (typeof v !== 'string') return undefined;
  if (!lenient) return parse(v, { merge: true }) as unknown;
  try {
    return parse(v, { merge: true }) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The text of the values file Argo CD makes of a source's inline values: `valuesObject` as
 * YAML when it is set (not `null`), else the `values` text as written; `undefined` when neither.
 */
export function inlineHelmValuesText(helm: HelmSourceValues | undefined): string | undefined {
  const vo = helm?.valuesObject;
  if (vo !== undefined && vo !== null) return toYaml(vo);
  return typeof helm?.values === 'string' ? helm.values : undefined;
}

const isToken = (v: unknown) => typeof v === 'string' && v.includes('${');

/**
 * A `--set` value as Helm types it: `true`, `false` and `null` in any case, `0`, and whole
 * numbers that do not start with `0` (an integer beyond JavaScript's safe range stays text);
 * anything else is a string (`007`, `1e3`).
 */
export function typedSetValue(raw: string): unknown {
  const lower = raw.toLowerCase();
  if (lower === 'true' || lower === 'false') return lower === 'true';
  if (lower === 'null') return null;
  if (raw === '0') return 0;
  if (raw !== '' && raw[0] !== '0' && /^[+-]?\d+$/.test(raw) && Number.isSafeInteger(Number(raw))) return Number(raw);
  return raw;
}

/**
 * Helm `--set name=value` entries (Terraform `set` blocks, Argo CD `parameters`) as a values
 * overlay: `a.b\\.c` is keys `a` and `b.c`, `a[0]` is key `0`; values are typed as Helm types
 * them (see {@link typedSetValue}) unless the entry says it is a string (`stringKey` holding
 * `stringValue`). Entries whose value is a Terraform reference (`${...}`) are left out.
 */
export function helmSetValues(entries: readonly unknown[], stringKey: string, stringValue: unknown): Obj {
  const out: Obj = {};
  for (const e of entries) {
    const name = isMap(e) ? e.name : undefined;
    const raw = isMap(e) ? e.value : undefined;
    if (typeof name !== 'string' || raw === undefined || isToken(raw)) continue;
    const value = typeof raw === 'string' && (e as Obj)[stringKey] !== stringValue ? typedSetValue(raw) : raw;
    const keys = name.split(/(?<!\\)\./).flatMap((k) => k.replace(/\\\./g, '.').split(/\[(\d+)\]/).filter((x) => x !== ''));
    let o = out;
    keys.forEach((k, i) => {
      if (i === keys.length - 1) o[k] = value;
      else o = (isMap(o[k]) ? o[k] : (o[k] = {})) as Obj;
    });
  }
  return out;
}

/**
 * What Argo CD layers over a source's values files: its inline values (see
 * {@link inlineHelmValues}), then its `parameters` as `--set` (`--set-string` with `forceString`).
 */
export function applicationInlineValues(helm: HelmSourceValues | undefined, lenient = false): unknown {
  const params = Array.isArray(helm?.parameters) ? helm.parameters as unknown[] : [];
  return mergeHelmValues(inlineHelmValues(helm, lenient) ?? {}, helmSetValues(params, 'forceString', true));
}

/**
 * A source's user values, lowest precedence first: its values files (already read), then its
 * inline values and parameters (see {@link applicationInlineValues}); nulls kept.
 */
export function applicationHelmValues(valueFiles: Iterable<unknown>, helm: HelmSourceValues | undefined, lenient = false): Obj {
  return mergeHelmValueLayers([...valueFiles, applicationInlineValues(helm, lenient)]);
}
