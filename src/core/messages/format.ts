/**
 * The format every user-facing message follows, and the helpers that quote what a message
 * received: `<what>: got <value>. Allowed: <what is allowed>. Fix: <how>.`
 */

/** The longest quote of a received value in a message; longer ones are cut (a message never carries a whole file). */
export const MAX_QUOTED = 200;

/**
 * A received value as a message quotes it: JSON for data, cut to {@link MAX_QUOTED}
 * characters; cycles, deep nesting, NaN, functions and symbols are described, never thrown on.
 */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? JSON.stringify(value) : preview(value, 0, new Set());
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}... (${text.length} characters)` : text;
}

function preview(value: unknown, depth: number, seen: Set<object>): string {
  switch (typeof value) {
    case 'string': return JSON.stringify(value.length > MAX_QUOTED * 2 ? value.slice(0, MAX_QUOTED * 2) : value);
    case 'number': return String(value);
    case 'bigint': return `${value}n`;
    case 'function': return 'a function';
    case 'symbol': return value.toString();
    case 'undefined': return 'undefined';
    case 'boolean': return String(value);
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'an invalid Date' : `a Date (${obj.toISOString()})`;
  if (seen.has(obj)) return '[a cycle]';
  if (depth >= 8) return Array.isArray(obj) ? '[...]' : '{...}';
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      const items = obj.slice(0, 20).map((x) => (x === undefined ? 'null' : preview(x, depth + 1, seen)));
      return `[${items.join(',')}${obj.length > 20 ? ',...' : ''}]`;
    }
    const entries = Object.entries(obj).filter(([, x]) => x !== undefined);
    const items = entries.slice(0, 20).map(([k, x]) => `${JSON.stringify(k)}:${preview(x, depth + 1, seen)}`);
    return `{${items.join(',')}${entries.length > 20 ? ',...' : ''}}`;
  } finally {
    seen.delete(obj);
  }
}

/** The first line of an error's message (cut to `max` characters), for a message that quotes a parser. */
export function firstLine(error: unknown, max?: number): string {
  const line = String(error instanceof Error ? error.message : error).split('\n')[0];
  return max === undefined ? line : line.slice(0, max);
}

/** Builds the message for a property with a bad value. */
export function badValue(prop: string, value: unknown, allowed: string, fix: string): string {
  return `${prop}: got ${show(value)}. Allowed: ${allowed}. Fix: ${fix}.`;
}

/** A value quoted whole in a policy finding: JSON, `nothing` for undefined (findings quote what they found, uncut). */
export const quoted = (v: unknown) => JSON.stringify(v) ?? 'nothing';

/** A finding of the security policy pass: `<rule> in "<file>": got <what was found>. Allowed: <...>. Fix: <...>.` */
export function policyFinding(rule: string, file: string, got: string, allowed: string, fix: string): string {
  return `${rule} in ${quoted(file)}: got ${got}. Allowed: ${allowed}. Fix: ${fix}.`;
}

/** Lower-cases and strips a value into a DNS-1123 label, for suggestions in messages. */
export function suggestDnsLabel(value: unknown): string {
  const s = String(value ?? '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return s || 'my-name';
}
