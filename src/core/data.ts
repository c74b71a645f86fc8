import { Construct, IConstruct } from 'constructs';
import { badValue, fail } from './errors';

/** The deepest nesting accepted in values (Helm values of real charts stay under 20). */
export const MAX_VALUE_DEPTH = 64;

/**
 * Returns `scope` after checking that a construct can be added to it with `id`: `scope` is a
 * construct, `id` a non-empty string without "/", not yet used by a sibling. For use in a
 * constructor's `super(checkChild(scope, id), id)`, so a clash is the library's error
 * naming both paths instead of the constructs library's.
 */
export function checkChild<T extends IConstruct>(scope: T, id: string): T {
  if (!Construct.isConstruct(scope)) {
    const s: unknown = scope;
    fail('platform', badValue('scope', typeof s === 'object' && s !== null ? `a ${s.constructor?.name ?? 'object'}` : s,
      'a construct of the platform (the Platform, a cluster or a tenant)', 'pass the Platform or a cluster as the first argument'));
  }
  const path = scope.node.path || 'platform';
  if (typeof id !== 'string' || id === '' || id.includes('/')) {
    fail(path, badValue('construct id', id, 'a non-empty string without "/"', 'give the construct an id such as "mgmt" or "team-a"'));
  }
  const existing = scope.node.tryFindChild(id);
  if (existing) {
    fail(`${path}/${id}`, badValue('construct id', id, `an id not yet used under ${path} (${existing.node.path} is a ${existing.constructor.name})`,
      'give each construct its own id'));
  }
  return scope;
}

/** Returns `props` after checking it is an object (JavaScript callers may pass anything). */
export function checkProps<T>(path: string, props: T, example: string): T {
  if (typeof props !== 'object' || props === null || Array.isArray(props)) {
    fail(path, badValue('props', props, `an object of properties, e.g. ${example}`, 'pass the properties as the third argument'));
  }
  return props;
}

/** True for `{...}` made by a literal or `Object.create(null)`, not a class instance, array or Date. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Throws unless `value` is a plain object (`{...}`), naming `prop`. */
export function checkRecord(path: string, prop: string, value: unknown, example = '{ key: value }'): Record<string, unknown> {
  if (!isPlainObject(value)) fail(path, badValue(prop, value, `an object such as ${example}`, `set ${prop} to an object (or leave it out)`));
  return value;
}

/** Throws unless `value` is an instance of `type` (a class with factories), naming `prop` and the factories. */
export function checkInstance<T>(path: string, prop: string, value: unknown, type: { prototype: T }, factories: string): T {
  if (!(value instanceof (type as unknown as new () => T))) fail(path, badValue(prop, value, factories, `declare ${prop} with a factory (a plain object is not one)`));
  return value as T;
}

/**
 * Throws unless `value` is data that serializes to YAML/JSON as written: strings, finite
 * numbers, booleans, null, arrays and plain objects, at most {@link MAX_VALUE_DEPTH} deep,
 * without cycles. `allow` accepts other leaves (e.g. a ClusterOutput). The message names the
 * place in the value (`values.a.b[2]`).
 */
export function checkData(path: string, prop: string, value: unknown, allow: (v: unknown) => boolean = () => false): void {
  const open = new Set<object>();
  const stack: { v: unknown; at: string; depth: number; leave?: object }[] = [{ v: value, at: prop, depth: 0 }];
  while (stack.length) {
    const { v, at, depth, leave } = stack.pop()!;
    if (leave) {
      open.delete(leave);
      continue;
    }
    if (v === null || typeof v === 'string' || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) fail(path, badValue(at, v, 'a finite number (YAML has no NaN or Infinity a chart expects)', `set ${at} to a number`));
      continue;
    }
    if (allow(v)) continue;
    if (typeof v !== 'object' || (!Array.isArray(v) && !isPlainObject(v))) {
      const what = v instanceof Date ? v : typeof v === 'object' ? `a ${(v as object).constructor?.name ?? 'object'}` : v;
      fail(path, badValue(at, what, 'data: strings, finite numbers, booleans, null, lists and plain objects', v instanceof Date ? `write the date as a string, e.g. ${JSON.stringify(v.toISOString())}` : `replace ${at} with plain data`));
    }
    if (open.has(v)) fail(path, badValue(at, 'a reference to an enclosing object (a cycle)', 'a tree of data without cycles', `copy the data instead of referring to ${at.split(/[.[]/)[0]} itself`));
    if (depth >= MAX_VALUE_DEPTH) fail(path, badValue(at, `data nested more than ${MAX_VALUE_DEPTH} levels`, `at most ${MAX_VALUE_DEPTH} levels of nesting`, 'flatten the values'));
    open.add(v);
    stack.push({ v: undefined, at, depth, leave: v });
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        if (v[i] === undefined) fail(path, badValue(`${at}[${i}]`, undefined, 'a value (a list cannot hold undefined)', `remove ${at}[${i}] or set it`));
        stack.push({ v: v[i], at: `${at}[${i}]`, depth: depth + 1 });
      }
    } else {
      for (const [k, x] of Object.entries(v)) if (x !== undefined) stack.push({ v: x, at: `${at}.${k}`, depth: depth + 1 });
    }
  }
}

/** Throws unless `value` is a list (an array), naming `prop`; returns it. */
export function checkList<T = unknown>(path: string, prop: string, value: unknown, example = '["a", "b"]'): T[] {
  if (!Array.isArray(value)) fail(path, badValue(prop, value, `a list such as ${example}`, `set ${prop} to a list`));
  return value as T[];
}
