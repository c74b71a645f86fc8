/**
 * YAML read as Argo CD reads it (sigs.k8s.io/yaml: go-yaml v2's YAML 1.1 resolution
 * of plain scalars, then JSON, so every number is a float64). Plain scalars whose Go
 * reading the offline expansion does not model exactly (hexadecimal, octal and binary
 * numbers, underscores, `.inf`/`.nan`, merge keys) and explicit tags and aliases are refused.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { GoTemplateError } from './go-values';

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const INT = /^[-+]?(0|[1-9][0-9]*)$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** go-yaml v2's resolution of one plain scalar. */
export function resolvePlain(s: string): unknown {
  if (NULLS.has(s)) return null;
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  if (/^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$/.test(s) || s === '<<') throw new GoTemplateError(`the YAML scalar ${s} is not modelled`);
  if (/^[-+.0-9]/.test(s)) {
    if (/^[-+]?0[0-9_]|^[-+]?0[xXbBoO]|_/.test(s) && /^[-+]?[0-9a-fA-FxXoObB_.]+$/.test(s)) throw new GoTemplateError(`the YAML number ${s} (octal, hexadecimal, binary or with underscores) is not modelled`);
    if (INT.test(s)) {
      const n = Number(s);
      if (!Number.isSafeInteger(n)) throw new GoTemplateError(`the YAML integer ${s} is outside the range modelled exactly`);
      // an integer has no negative zero
      return n === 0 ? 0 : n;
    }
    if (FLOAT.test(s)) return Number(s);
  }
  return s;
}

function toGo(node: unknown, where: string): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) throw new GoTemplateError(`YAML aliases in ${where} are not modelled`);
  const tag = (node as { tag?: string }).tag;
  if (tag) throw new GoTemplateError(`the YAML tag ${tag} in ${where} is not modelled`);
  if (isScalar(node)) {
    const value = String(node.value);
    return node.type === 'PLAIN' ? resolvePlain(value) : value;
  }
  if (isSeq(node)) return node.items.map((x) => toGo(x, where));
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = toGo(pair.key, where);
      if (typeof key !== 'string') throw new GoTemplateError(`the YAML key ${JSON.stringify(key)} in ${where} is not a string; not modelled`);
      if (Object.prototype.hasOwnProperty.call(out, key)) throw new GoTemplateError(`${where}: mapping key "${key}" already defined`);
      out[key] = toGo(pair.value, where);
    }
    return out;
  }
  throw new GoTemplateError(`a YAML node in ${where} is not modelled`);
}

/** Reads YAML text as sigs.k8s.io/yaml does; `null` for an empty document. */
export function readGoYaml(text: string, where: string): unknown {
  const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) throw new GoTemplateError(`error converting YAML to JSON: ${where}: ${doc.errors[0].message.split('\n')[0]}`);
  return toGo(doc.contents, where);
}
