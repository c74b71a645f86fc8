/**
 * Go values as Argo CD's ApplicationSet controller holds them, and how Go prints them.
 *
 * Generator parameters are Go values: strings, `float64` numbers (everything decoded
 * from JSON or YAML), `int`s (template literals, `len`), booleans, nil, slices and maps.
 * Whether a map is `map[string]string` (cluster labels, annotations and `values`) or
 * `map[string]interface{}` changes what a template prints for a missing key, so typed
 * containers are marked here. Printing follows Go's `fmt` (`%v`), which `text/template`
 * uses for every non-string value: `map[a:1 b:[p q]]`, `1e+06`, `<nil>`.
 */

/** Thrown for template syntax or values the offline expansion does not model exactly, or that Argo CD rejects. */
export class GoTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoTemplateError';
  }
}

/** A Go `int` (template number literals, `len`, range indexes); plain JS numbers are Go `float64`. */
export class GoInt {
  constructor(public readonly value: number) {
    if (!Number.isSafeInteger(value)) throw new GoTemplateError(`the integer ${value} is outside the range the offline expansion models exactly`);
  }
}

const stringMaps = new WeakSet<object>();
const stringSlices = new WeakSet<object>();

/** Marks (and returns) an object as a Go `map[string]string`. */
export function asStringMap<T extends object>(m: T): T {
  stringMaps.add(m);
  return m;
}

/** Marks (and returns) an array as a Go `[]string`. */
export function asStringSlice<T extends unknown[]>(a: T): T {
  stringSlices.add(a);
  return a;
}

/** True for a Go map (`map[string]interface{}` or `map[string]string`). */
export function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof GoInt);
}

/** True for a `map[string]string`. */
export function isStringMap(v: unknown): boolean {
  return isMap(v) && stringMaps.has(v);
}

/** True for a `[]string`. */
export function isStringSlice(v: unknown): boolean {
  return Array.isArray(v) && stringSlices.has(v);
}

/** The Go type name of a value (`undefined` is Go's invalid value, an absent map entry). */
export function goType(v: unknown): string {
  if (v === undefined || v === null) return 'interface {}';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float64';
  if (v instanceof GoInt) return 'int';
  if (Array.isArray(v)) return isStringSlice(v) ? '[]string' : '[]interface {}';
  if (isMap(v)) return isStringMap(v) ? 'map[string]string' : 'map[string]interface {}';
  throw new GoTemplateError(`a ${typeof v} value is not a value Argo CD's parameters can hold`);
}

/** Copies a parameter structure, keeping the Go type marks (map[string]string, []string). */
export function cloneGo<T>(v: T): T {
  if (Array.isArray(v)) {
    const out = v.map((x) => cloneGo(x));
    return (isStringSlice(v) ? asStringSlice(out) : out) as T;
  }
  if (isMap(v)) {
    const out = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cloneGo(x)]));
    return (isStringMap(v) ? asStringMap(out) : out) as T;
  }
  return v;
}

/** Go's string order (UTF-8 bytes), which fmt and text/template use to sort map keys. */
export function goCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** `strconv.FormatFloat(f, 'g', -1, 64)`, which `%v` prints: shortest digits, exponent below 1e-4 and from 1e+06. */
export function formatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, e] = f.toExponential().split('e');
  const exp = Number(e);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(f);
}

/** Go's `fmt.Sprint` of one value (`%v`). */
export function fmtValue(v: unknown): string {
  if (v === undefined || v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return formatFloat(v);
  if (v instanceof GoInt) return String(v.value);
  if (Array.isArray(v)) return `[${v.map(fmtValue).join(' ')}]`;
  if (isMap(v)) return `map[${Object.keys(v).sort(goCompare).map((k) => `${k}:${fmtValue(v[k])}`).join(' ')}]`;
  return goType(v);
}

/** text/template's printing of a pipeline's value: an absent or nil value is `<no value>`. */
export function printValue(v: unknown): string {
  return v === undefined || v === null ? '<no value>' : fmtValue(v);
}

/** text/template's truth (`if`, `with`, `and`, `or`, `not`). */
export function truth(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof GoInt) return v.value !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  return Object.keys(v as object).length > 0;
}

/** sprig's `empty`. */
export function isEmpty(v: unknown): boolean {
  return !truth(v);
}

const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** `strconv.Quote` (what `%q` prints), for valid UTF-8 text. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp >= 0x80 && GO_PRINTABLE.test(ch)) out += ch;
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\v') out += '\\v';
    else if (cp < 0x80 || (cp >= 0xd800 && cp <= 0xdfff)) {
      if (cp >= 0x80) throw new GoTemplateError('quoting a string that is not valid UTF-8 is not modelled');
      out += `\\x${cp.toString(16).padStart(2, '0')}`;
    } else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** sprig's `strval`: a string as is, anything else printed with `%v`. */
export function strval(v: unknown): string {
  return typeof v === 'string' ? v : fmtValue(v);
}

/** Go's `unicode` simple case mapping of one code point, or an error when JavaScript's full mapping differs. */
export function goCase(s: string, upper: boolean): string {
  let out = '';
  for (const ch of s) {
    if (ch.codePointAt(0)! < 0x80) {
      out += upper ? ch.toUpperCase() : ch.toLowerCase();
      continue;
    }
    const m = upper ? ch.toUpperCase() : ch.toLowerCase();
    if ([...m].length !== 1 || ch === '\u0130' || ch === '\u0131' || ch === '\u017f' || ch === '\u212a' || ch === '\u212b') {
      throw new GoTemplateError(`${upper ? 'upper' : 'lower'} of "${ch}" is not modelled (Go's simple case mapping differs from JavaScript's)`);
    }
    out += m;
  }
  return out;
}

/** Argo CD's `normalize` (SanitizeName): lower case, anything but [-a-z0-9.] to '-', at most 253 bytes, trimmed of '-' and '.'. */
export function sanitizeName(name: string): string {
  let out = '';
  for (const ch of name) {
    const cp = ch.codePointAt(0)!;
    const lower = cp < 0x80 ? ch.toLowerCase() : ch === '\u212a' ? 'k' : ch === '\u0130' ? 'i' : '-';
    out += /[-a-z0-9.]/.test(lower) ? lower : '-';
  }
  return out.slice(0, 253).replace(/^[-.]+|[-.]+$/g, '');
}

const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/** `strings.TrimSpace`. */
export function trimSpace(s: string): string {
  return s.replace(GO_SPACE, '');
}

/** `strings.Split` (an empty separator splits into UTF-8 characters). */
export function goSplit(s: string, sep: string): string[] {
  return sep === '' ? Array.from(s) : s.split(sep);
}

/** `strings.Replace(s, old, new, -1)`. */
export function goReplaceAll(s: string, old: string, repl: string): string {
  if (old !== '') return s.split(old).join(repl);
  const chars = Array.from(s);
  return repl + chars.map((c) => c + repl).join('');
}
