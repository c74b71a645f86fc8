/**
 * Kubernetes label selectors as Argo CD's cluster generator applies them
 * (metav1.LabelSelectorAsSelector: keys and values validated, operator rules enforced).
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 */
import { labelsMatch } from '../core/selector';
import { fmtValue, GoTemplateError, isMap, isStringMap, isStringSlice } from './go-values';

/** A Kubernetes label selector. */
export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function validKey(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) return false;
  return parts.length === 1 || (parts[0].length > 0 && parts[0].length <= 253 && SUBDOMAIN.test(parts[0]));
}

function validValue(value: string): boolean {
  return typeof value === 'string' && (value === '' || (value.length <= 63 && NAME.test(value)));
}

/** Throws, as Argo CD does, for a selector the Kubernetes API rejects. */
export function validateSelector(selector: LabelSelector, where: string): void {
  const bad = (msg: string): never => {
    throw new GoTemplateError(`${where}: error converting label selector: ${msg}`);
  };
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (!validKey(k)) bad(`key: Invalid value: "${k}": not a valid label key`);
    if (!validValue(v)) bad(`values[0][${k}]: Invalid value: "${v}": not a valid label value`);
  }
  for (const e of selector.matchExpressions ?? []) {
    if (!validKey(e.key)) bad(`key: Invalid value: "${e.key}": not a valid label key`);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) bad(`values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty`);
        values.forEach((v) => validValue(v) || bad(`values[0][${e.key}]: Invalid value: "${v}": not a valid label value`));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) bad(`values: Invalid value: ${JSON.stringify(values)}: values set must be empty for exists and does not exist`);
        break;
      default:
        bad(`"${e.operator}" is not a valid label selector operator`);
    }
  }
}

/** True when a label selector (Kubernetes semantics) selects these labels. */
export function selectorMatches(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  return labelsMatch(selector?.matchLabels, selector?.matchExpressions, labels, invalidOperator);
}

function invalidOperator(operator: string): never {
  throw new GoTemplateError(`"${operator}" is not a valid label selector operator`);
}

/**
 * Argo CD's flattenParameters: nested `map[string]interface{}` (and `map[string]string`
 * reached through them) and `[]interface{}` become dotted keys (`values.foo`, `values.0`),
 * every leaf printed with Go's `%v` (a `[]string` is one leaf, `[a b]`).
 */
export function flattenParams(params: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (v: unknown, prefix: string, normalizeStringMaps: boolean): void => {
    const key = (k: string) => (prefix === '' ? k : `${prefix}.${k}`);
    if (Array.isArray(v) && !isStringSlice(v)) v.forEach((x, i) => leaf(x, key(String(i)), false));
    else if (isMap(v)) for (const [k, x] of Object.entries(v)) leaf(x, key(k), normalizeStringMaps);
  };
  const leaf = (v: unknown, k: string, normalizeStringMaps: boolean): void => {
    if ((Array.isArray(v) && !isStringSlice(v)) || (isMap(v) && (!isStringMap(v) || normalizeStringMaps))) walk(v, k, normalizeStringMaps && !(isMap(v) && isStringMap(v)));
    else out[k] = fmtValue(v);
  };
  walk(params, '', true);
  return out;
}

/** A generator's post-selector (`selector` beside the generator), applied to its flattened parameters. */
export function postSelectorMatches(selector: LabelSelector, params: Record<string, unknown>, where: string): boolean {
  for (const e of selector.matchExpressions ?? []) {
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator)) throw new GoTemplateError(`${where}: error parsing label selector: "${e.operator}" is not a valid label selector operator`);
    if ((e.operator === 'In' || e.operator === 'NotIn') && (e.values ?? []).length === 0) throw new GoTemplateError(`${where}: error parsing label selector: for 'in', 'notin' operators, values set can't be empty`);
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && (e.values ?? []).length > 0) throw new GoTemplateError(`${where}: error parsing label selector: values set must be empty for exists and does not exist`);
  }
  for (const k of [...Object.keys(selector.matchLabels ?? {}), ...(selector.matchExpressions ?? []).map((e) => e.key)]) {
    if (!validKey(k)) throw new GoTemplateError(`${where}: error parsing label selector: key: Invalid value: "${k}": not a valid label key`);
  }
  return selectorMatches(selector, flattenParams(params));
}
