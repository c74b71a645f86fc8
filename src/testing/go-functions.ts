/**
 * The template functions the offline expansion models, each exactly as Argo CD runs it:
 * Go `text/template` builtins, sprig v3 (Argo CD v3.x pins sprig 3.3) and Argo CD's
 * own (`normalize`, `toYaml`, `fromYaml`, `fromYamlArray`; `env`, `expandenv` and
 * `getHostByName` removed). Every other sprig function is refused by name.
 * @see https://github.com/argoproj/argo-cd/blob/master/applicationset/utils/utils.go
 */
import { createHash } from 'node:crypto';
import { readGoYaml } from './go-yaml';
import {
  asStringSlice, fmtValue, goCase, goCompare, GoInt, goQuote, goReplaceAll, goSplit, GoTemplateError, goType, isEmpty, isMap, isStringMap, isStringSlice,
  sanitizeName, strval, trimSpace, truth,
} from './go-values';

/** A Go parameter type: `value` is text/template's reflect.Value (builtins), `any` is interface{}. */
export type ParamType = 'any' | 'value' | 'string' | 'int' | 'bool' | 'map';

/** A modelled function: fixed parameters, an optional variadic one, and its body. */
export interface GoFunction {
  readonly params: ParamType[];
  readonly variadic?: ParamType;
  readonly fn: (...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any -- Go values of the declared types
}

/** The Go type name of a parameter type, for error messages. */
export function paramTypeName(t: ParamType): string {
  return { any: 'interface {}', value: 'reflect.Value', string: 'string', int: 'int', bool: 'bool', map: 'map[string]interface {}' }[t];
}

function basicKind(v: unknown, fn: string): 'bool' | 'int' | 'float' | 'string' {
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof GoInt) return 'int';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string') return 'string';
  throw new GoTemplateError(`${fn} on a ${goType(v)} is not modelled by the offline expansion`);
}

function scalar(v: unknown): string | number | boolean {
  return v instanceof GoInt ? v.value : (v as string | number | boolean);
}

const nilish = (v: unknown): boolean => v === undefined || v === null;

function eq(a: unknown, ...bs: unknown[]): boolean {
  if (bs.length === 0) throw new GoTemplateError('missing argument for comparison');
  if (nilish(a) && bs.some(nilish)) throw new GoTemplateError('eq of two missing or nil values is not modelled by the offline expansion');
  // a missing or nil operand is unequal to any basic value (Go compares kinds and finds no error)
  const ka = nilish(a) ? 'nil' : basicKind(a, 'eq');
  return bs.some((b) => {
    const kb = nilish(b) ? 'nil' : basicKind(b, 'eq');
    if (ka === 'nil' || kb === 'nil') return false;
    if (ka !== kb) throw new GoTemplateError('incompatible types for comparison');
    return scalar(a) === scalar(b);
  });
}

function less(a: unknown, b: unknown, fn: string): boolean {
  if (nilish(a) || nilish(b)) throw new GoTemplateError('invalid type for comparison');
  const ka = basicKind(a, fn);
  const kb = basicKind(b, fn);
  if (ka === 'bool' || kb === 'bool') throw new GoTemplateError('invalid type for comparison');
  if (ka !== kb) throw new GoTemplateError('incompatible types for comparison');
  return ka === 'string' ? goCompare(a as string, b as string) < 0 : (scalar(a) as number) < (scalar(b) as number);
}

function goLen(v: unknown): GoInt {
  if (v === undefined) throw new GoTemplateError('reflect: call of reflect.Value.Type on zero Value');
  if (v === null) throw new GoTemplateError('len of nil pointer');
  if (typeof v === 'string') return new GoInt(Buffer.byteLength(v, 'utf8'));
  if (Array.isArray(v)) return new GoInt(v.length);
  if (isMap(v)) return new GoInt(Object.keys(v).length);
  throw new GoTemplateError(`len of type ${goType(v)}`);
}

function index(item: unknown, ...keys: unknown[]): unknown {
  if (nilish(item)) throw new GoTemplateError('index of untyped nil');
  let cur = item;
  for (const k of keys) {
    if (nilish(cur)) throw new GoTemplateError('index of untyped nil');
    if (nilish(k)) throw new GoTemplateError(Array.isArray(cur) ? 'cannot index slice/array with nil' : 'value is nil; should be of type string');
    if (Array.isArray(cur)) {
      if (!(k instanceof GoInt)) throw new GoTemplateError(`cannot index slice/array with type ${goType(k)}`);
      if (k.value < 0 || k.value >= cur.length) throw new GoTemplateError(`index out of range: ${k.value}`);
      cur = cur[k.value];
    } else if (isMap(cur)) {
      if (typeof k !== 'string') throw new GoTemplateError(`value has type ${goType(k)}; should be string`);
      // a missing key gives the zero value of the map's element type
      cur = Object.prototype.hasOwnProperty.call(cur, k) ? cur[k] : isStringMap(cur) ? '' : null;
    } else if (typeof cur === 'string') throw new GoTemplateError('index of a string (a byte) is not modelled by the offline expansion');
    else throw new GoTemplateError(`can't index item of type ${goType(cur)}`);
  }
  return cur;
}

/** sprig's `strslice`: []string as is; other lists printed element by element, nil elements dropped. */
function strslice(v: unknown): string[] {
  if (isStringSlice(v)) return v as string[];
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map(strval);
  if (v === null || v === undefined) return [];
  return [strval(v)];
}

function listItem(list: unknown, at: 'first' | 'last'): unknown {
  if (!Array.isArray(list)) throw new GoTemplateError(`Cannot find ${at} on type ${list === null ? 'nil' : goType(list).startsWith('map') ? 'map' : goType(list)}`);
  if (list.length === 0) return null;
  return at === 'first' ? list[0] : list[list.length - 1];
}

function base64Decode(s: string): string {
  const clean = s.replace(/[\r\n]/g, '');
  if (clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) throw new GoTemplateError(`b64dec of "${s}" (not standard padded base64) is not modelled`);
  const buf = Buffer.from(clean, 'base64');
  if (buf.toString('base64') !== clean) throw new GoTemplateError(`b64dec of "${s}" (non-canonical base64) is not modelled`);
  const text = buf.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(buf)) throw new GoTemplateError(`b64dec of "${s}" gives bytes that are not UTF-8 text, which is not modelled`);
  return text;
}

/** sigs.k8s.io/yaml.Unmarshal into a Go value. */
function fromYamlText(text: string, what: string): unknown {
  try {
    return readGoYaml(text, what);
  } catch (e) {
    if (/not modelled/.test((e as Error).message)) throw e;
    throw new GoTemplateError(`error unmarshaling JSON: while decoding JSON: ${(e as Error).message}`);
  }
}

const YAML_KEY = /^[A-Za-z][A-Za-z./-]*$/;
const YAML_PLAIN = /^[A-Za-z][A-Za-z0-9 ._/-]*$/;
const YAML_11_WORDS = /^(y|yes|n|no|on|off|true|false|null)$/i;

/** Argo CD's `toYaml` (JSON, then go-yaml v2), for the values whose YAML form is unambiguous; anything else is refused. */
function toYaml(v: unknown, indent = ''): string {
  const scalarText = (x: unknown): string => {
    if (x === null || x === undefined) return 'null';
    if (typeof x === 'boolean') return String(x);
    if (x instanceof GoInt) return String(x.value);
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) throw new GoTemplateError('error marshaling into JSON: json: unsupported value');
      if (Number.isSafeInteger(x)) return String(x);
      throw new GoTemplateError(`toYaml of the number ${fmtValue(x)} is not modelled`);
    }
    // go-yaml folds long plain strings at spaces: only short ones are modelled
    if (typeof x === 'string' && YAML_PLAIN.test(x) && !x.endsWith(' ') && !YAML_11_WORDS.test(x) && (x.length <= 60 || !x.includes(' '))) return x;
    throw new GoTemplateError(`toYaml of the string ${JSON.stringify(x)} (it would need quoting) is not modelled`);
  };
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return v.map((x) => `- ${toYaml(x, `${indent}  `).replace(/^ +/, '')}`).join(`\n${indent}`);
  }
  if (isMap(v)) {
    const keys = Object.keys(v);
    if (keys.length === 0) return '{}';
    for (const k of keys) if (!YAML_KEY.test(k) || YAML_11_WORDS.test(k)) throw new GoTemplateError(`toYaml of the key ${JSON.stringify(k)} is not modelled`);
    return keys.sort(goCompare).map((k) => {
      const x = v[k];
      if ((Array.isArray(x) && x.length > 0)) return `${k}:\n${indent}${toYaml(x, indent)}`;
      if (isMap(x) && Object.keys(x).length > 0) return `${k}:\n${indent}  ${toYaml(x, `${indent}  `)}`;
      return `${k}: ${toYaml(x, indent)}`;
    }).join(`\n${indent}`);
  }
  return scalarText(v);
}

const TABLE: Record<string, GoFunction> = {
  // text/template builtins (`and` and `or` are evaluated lazily by the executor)
  not: { params: ['value'] as ParamType[], fn: (v) => !truth(v) },
  len: { params: ['value'], fn: goLen },
  index: { params: ['value'], variadic: 'value', fn: index },
  eq: { params: ['value'], variadic: 'value', fn: eq },
  ne: { params: ['value', 'value'], fn: (a, b) => !eq(a, b) },
  lt: { params: ['value', 'value'], fn: (a, b) => less(a, b, 'lt') },
  le: { params: ['value', 'value'], fn: (a, b) => less(a, b, 'le') || eq(a, b) },
  gt: { params: ['value', 'value'], fn: (a, b) => less(b, a, 'gt') },
  ge: { params: ['value', 'value'], fn: (a, b) => less(b, a, 'ge') || eq(a, b) },
  print: {
    params: [], variadic: 'any',
    // fmt.Sprint: a space between operands when neither is a string
    fn: (...xs: unknown[]) => xs.map((x, i) => (i > 0 && typeof x !== 'string' && typeof xs[i - 1] !== 'string' ? ' ' : '') + fmtValue(x)).join(''),
  },
  // sprig
  quote: { params: [], variadic: 'any', fn: (...xs: unknown[]) => xs.filter((x) => x !== null).map((x) => goQuote(strval(x))).join(' ') },
  squote: { params: [], variadic: 'any', fn: (...xs: unknown[]) => xs.filter((x) => x !== null).map((x) => `'${strval(x)}'`).join(' ') },
  upper: { params: ['string'], fn: (s: string) => goCase(s, true) },
  lower: { params: ['string'], fn: (s: string) => goCase(s, false) },
  trim: { params: ['string'], fn: trimSpace },
  trimPrefix: { params: ['string', 'string'], fn: (p: string, s: string) => (s.startsWith(p) ? s.slice(p.length) : s) },
  trimSuffix: { params: ['string', 'string'], fn: (p: string, s: string) => (p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s) },
  replace: { params: ['string', 'string', 'string'], fn: (o: string, n: string, s: string) => goReplaceAll(s, o, n) },
  contains: { params: ['string', 'string'], fn: (sub: string, s: string) => s.includes(sub) },
  hasPrefix: { params: ['string', 'string'], fn: (p: string, s: string) => s.startsWith(p) },
  hasSuffix: { params: ['string', 'string'], fn: (p: string, s: string) => s.endsWith(p) },
  splitList: { params: ['string', 'string'], fn: (sep: string, s: string) => asStringSlice(goSplit(s, sep)) },
  join: { params: ['string', 'any'], fn: (sep: string, v: unknown) => strslice(v).join(sep) },
  b64enc: { params: ['string'], fn: (s: string) => Buffer.from(s, 'utf8').toString('base64') },
  b64dec: { params: ['string'], fn: base64Decode },
  toString: { params: ['any'] as ParamType[], fn: strval },
  base: { params: ['string'], fn: pathBase },
  toJson: { params: ['any'], fn: (v: unknown) => goJsonMarshal(v) },
  mustToJson: { params: ['any'], fn: (v: unknown) => goJsonMarshal(v) },
  dict: { params: [], variadic: 'any', fn: dict },
  trunc: { params: ['int', 'string'], fn: trunc },
  sha256sum: { params: ['string'], fn: (s: string) => createHash('sha256').update(s, 'utf8').digest('hex') },
  sha1sum: { params: ['string'], fn: (s: string) => createHash('sha1').update(s, 'utf8').digest('hex') },
  default: { params: ['any'], variadic: 'any', fn: (d: unknown, ...given: unknown[]) => (given.length === 0 || isEmpty(given[0]) ? d : given[0]) },
  empty: { params: ['any'], fn: isEmpty },
  ternary: { params: ['any', 'any', 'bool'], fn: (a: unknown, b: unknown, c: boolean) => (c ? a : b) },
  indent: { params: ['int', 'string'], fn: (n: GoInt, s: string) => indentText(n, s) },
  nindent: { params: ['int', 'string'], fn: (n: GoInt, s: string) => `\n${indentText(n, s)}` },
  list: { params: [], variadic: 'any', fn: (...xs: unknown[]) => xs },
  first: { params: ['any'], fn: (l: unknown) => listItem(l, 'first') },
  last: { params: ['any'], fn: (l: unknown) => listItem(l, 'last') },
  get: { params: ['map', 'string'], fn: (m: Record<string, unknown> | null, k: string) => (m && Object.prototype.hasOwnProperty.call(m, k) ? m[k] : '') },
  hasKey: { params: ['map', 'string'], fn: (m: Record<string, unknown> | null, k: string) => !!m && Object.prototype.hasOwnProperty.call(m, k) },
  // Argo CD's own
  normalize: { params: ['string'], fn: sanitizeName },
  toYaml: { params: ['any'], fn: (v: unknown) => toYaml(v) },
  fromYaml: {
    params: ['string'],
    fn: (s: string) => {
      const v = fromYamlText(s, 'fromYaml');
      if (v !== null && !isMap(v)) throw new GoTemplateError(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go value of type map[string]interface {}`);
      return v ?? {};
    },
  },
  fromYamlArray: {
    params: ['string'],
    fn: (s: string) => {
      const v = fromYamlText(s, 'fromYamlArray');
      if (v !== null && !Array.isArray(v)) throw new GoTemplateError(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${isMap(v) ? 'object' : typeof v} into Go value of type []interface {}`);
      return v ?? [];
    },
  },
};

/** The modelled functions by name. */
export const FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map(Object.entries(TABLE));

/** encoding/json.Marshal of a Go value (sorted keys, HTML-safe escapes, Go's number format). */
function goJsonMarshal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (v instanceof GoInt) return String(v.value);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new GoTemplateError(`json: unsupported value: ${fmtValue(v)}`);
    return Object.is(v, -0) ? '-0' : JSON.stringify(v);
  }
  if (typeof v === 'string') {
    let out = '"';
    for (const ch of v) {
      const cp = ch.codePointAt(0)!;
      if (ch === '"' || ch === '\\') out += `\\${ch}`;
      else if (ch === '\n') out += '\\n';
      else if (ch === '\r') out += '\\r';
      else if (ch === '\t') out += '\\t';
      else if (ch === '\b') out += '\\b';
      else if (ch === '\f') out += '\\f';
      else if (cp < 0x20 || ch === '<' || ch === '>' || ch === '&' || cp === 0x2028 || cp === 0x2029) out += `\\u${cp.toString(16).padStart(4, '0')}`;
      else if (cp >= 0xd800 && cp <= 0xdfff) throw new GoTemplateError('toJson of a string that is not valid UTF-8 is not modelled');
      else out += ch;
    }
    return `${out}"`;
  }
  if (Array.isArray(v)) return `[${v.map(goJsonMarshal).join(',')}]`;
  if (isMap(v)) return `{${Object.keys(v).sort(goCompare).map((k) => `${goJsonMarshal(k)}:${goJsonMarshal(v[k])}`).join(',')}}`;
  throw new GoTemplateError(`json: unsupported type: ${goType(v)}`);
}

/** sprig's dict: keys printed with strval, a missing last value is "". */
function dict(...kv: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < kv.length; i += 2) out[strval(kv[i])] = i + 1 < kv.length ? kv[i + 1] : '';
  return out;
}

/** sprig's trunc (byte-based: only ASCII text is modelled). */
function trunc(c: GoInt, s: string): string {
  if (!/^[\x00-\x7f]*$/.test(s)) throw new GoTemplateError('trunc of text that is not ASCII is not modelled');
  const n = c.value;
  if (n < 0 && s.length + n > 0) return s.slice(s.length + n);
  if (n >= 0 && s.length > n) return s.slice(0, n);
  return s;
}

/** Go's path.Base. */
function pathBase(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function indentText(n: GoInt, s: string): string {
  if (n.value < 0) throw new GoTemplateError('strings: negative Repeat count');
  const pad = ' '.repeat(n.value);
  return pad + goReplaceAll(s, '\n', `\n${pad}`);
}

/** Functions Argo CD removed from sprig's map: templates using them fail to parse. */
export const REMOVED_FUNCTIONS = new Set(['env', 'expandenv', 'getHostByName']);

/** Go text/template builtins and sprig v3 functions the offline expansion does not model. */
export const UNMODELLED_FUNCTIONS = new Set([
  'call', 'html', 'js', 'printf', 'println', 'slice', 'urlquery',
  'abbrev', 'abbrevboth', 'add', 'add1', 'add1f', 'addf', 'adler32sum', 'ago', 'all', 'any', 'append', 'atoi', 'b32dec', 'b32enc', 'bcrypt',
  'biggest', 'buildCustomCert', 'camelcase', 'cat', 'ceil', 'chunk', 'clean', 'coalesce', 'compact', 'concat', 'date', 'dateInZone', 'dateModify',
  'date_in_zone', 'date_modify', 'decryptAES', 'deepCopy', 'deepEqual', 'derivePassword', 'dig', 'dir', 'div', 'divf', 'duration',
  'durationRound', 'encryptAES', 'ext', 'fail', 'float64', 'floor', 'fromJson', 'genCA', 'genCAWithKey', 'genPrivateKey', 'genSelfSignedCert',
  'genSelfSignedCertWithKey', 'genSignedCert', 'genSignedCertWithKey', 'has', 'htmlDate', 'htmlDateInZone', 'htpasswd', 'initial', 'initials',
  'int', 'int64', 'isAbs', 'kebabcase', 'keys', 'kindIs', 'kindOf', 'max', 'maxf', 'merge', 'mergeOverwrite', 'min', 'minf', 'mod', 'mul', 'mulf',
  'mustAppend', 'mustChunk', 'mustCompact', 'mustDateModify', 'mustDeepCopy', 'mustFirst', 'mustFromJson', 'mustHas', 'mustInitial', 'mustLast',
  'mustMerge', 'mustMergeOverwrite', 'mustPrepend', 'mustPush', 'mustRegexFind', 'mustRegexFindAll', 'mustRegexMatch', 'mustRegexReplaceAll',
  'mustRegexReplaceAllLiteral', 'mustRegexSplit', 'mustRest', 'mustReverse', 'mustSlice', 'mustToDate', 'mustToPrettyJson',
  'mustToRawJson', 'mustUniq', 'mustWithout', 'now', 'omit', 'osBase', 'osClean', 'osDir', 'osExt', 'osIsAbs', 'pick', 'pluck', 'plural', 'prepend',
  'push', 'randAlpha', 'randAlphaNum', 'randAscii', 'randBytes', 'randInt', 'randNumeric', 'regexFind', 'regexFindAll', 'regexMatch',
  'regexQuoteMeta', 'regexReplaceAll', 'regexReplaceAllLiteral', 'regexSplit', 'repeat', 'rest', 'reverse', 'round', 'semver', 'semverCompare',
  'seq', 'set', 'sha512sum', 'shuffle', 'slugify', 'snakecase', 'sortAlpha', 'split', 'splitn', 'sub', 'subf', 'substr',
  'swapcase', 'title', 'toDate', 'toDecimal', 'toPrettyJson', 'toRawJson', 'toStrings', 'trimAll', 'trimall', 'tuple',
  'typeIs', 'typeIsLike', 'typeOf', 'uniq', 'unixEpoch', 'unset', 'untitle', 'urlJoin', 'urlParse', 'uuidv4', 'values', 'without', 'wrap', 'wrapWith',
]);
