import { Construct, IConstruct } from 'constructs';
import { fail, messages } from './errors';

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
    fail('platform', messages.props.scope(scope));
  }
  const path = scope.node.path || 'platform';
  if (typeof id !== 'string' || id === '' || id.includes('/')) {
    fail(path, messages.props.constructId(id));
  }
  const existing = scope.node.tryFindChild(id);
  if (existing) {
    fail(`${path}/${id}`, messages.props.constructIdTaken(id, path, existing.node.path, existing.constructor.name));
  }
  return scope;
}

/** Returns `props` after checking it is an object (JavaScript callers may pass anything). */
export function checkProps<T>(path: string, props: T, example: string): T {
  if (typeof props !== 'object' || props === null || Array.isArray(props)) {
    fail(path, messages.props.props(props, example));
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
  if (!isPlainObject(value)) fail(path, messages.props.record(prop, value, example));
  return value;
}

/** Throws unless `value` is an instance of `type` (a class with factories), naming `prop` and the factories. */
export function checkInstance<T>(path: string, prop: string, value: unknown, type: { prototype: T }, factories: string): T {
  if (!(value instanceof (type as unknown as new () => T))) fail(path, messages.props.instance(prop, value, factories));
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
      if (!Number.isFinite(v)) fail(path, messages.props.dataNumber(at, v));
      continue;
    }
    if (allow(v)) continue;
    if (typeof v !== 'object' || (!Array.isArray(v) && !isPlainObject(v))) fail(path, messages.props.dataKind(at, v));
    if (open.has(v)) fail(path, messages.props.dataCycle(at));
    if (depth >= MAX_VALUE_DEPTH) fail(path, messages.props.dataDepth(at, MAX_VALUE_DEPTH));
    open.add(v);
    stack.push({ v: undefined, at, depth, leave: v });
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        if (v[i] === undefined) fail(path, messages.props.dataListHole(`${at}[${i}]`));
        stack.push({ v: v[i], at: `${at}[${i}]`, depth: depth + 1 });
      }
    } else {
      for (const [k, x] of Object.entries(v)) if (x !== undefined) stack.push({ v: x, at: `${at}.${k}`, depth: depth + 1 });
    }
  }
}

/** Throws unless `value` is a list (an array), naming `prop`; returns it. */
export function checkList<T = unknown>(path: string, prop: string, value: unknown, example = '["a", "b"]'): T[] {
  if (!Array.isArray(value)) fail(path, messages.props.list(prop, value, example));
  return value as T[];
}
