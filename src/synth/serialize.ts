import { ApiObject, ApiObjectMetadataDefinition, App, Chart, ImplicitTokenResolver, JsonPatch, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import { originPath } from '../render/origin';

/** Where an object of a cluster's chart is written, relative to the cluster folder. */
export function objectFileName(obj: { kind: string; metadata: { name?: string; namespace?: string } }): string {
  const ns = obj.metadata.namespace ?? '_cluster';
  return `${ns}/${obj.kind.toLowerCase()}-${obj.metadata.name}.yaml`;
}

/**
 * A chart's ApiObjects as JSON, one by one, with the file each is written to. cdk8s's
 * `Chart.toJson()` validates the whole app for every chart (quadratic in the number of
 * charts); the platform validates once, so this is linear. The render pass emits their YAML.
 */
export function chartObjects(chart: Chart): { file: string; path: string; json: unknown }[] {
  const fast = defaultResolvers(chart);
  return chart.node.findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c))
    .map((o) => {
      const json = objectJson(o, fast);
      return { file: objectFileName(json), path: originPath(o), json };
    });
}

/**
 * Whether the App over `scope` resolves with cdk8s's own resolvers only (the fast path of
 * {@link objectJson} does exactly what they do, and nothing a custom resolver would).
 */
export function defaultResolvers(scope: Chart): boolean {
  if (process.env.CDK8S_DISABLE_SORT) return false;
  const resolvers = App.of(scope).resolvers;
  return resolvers.length === 3
    && isResolver(resolvers[0], LazyResolver) && isResolver(resolvers[1], ImplicitTokenResolver) && isResolver(resolvers[2], NumberStringUnionResolver);
}

function isResolver(r: unknown, type: { prototype: { resolve: unknown } }): boolean {
  return Object.getPrototypeOf(r) === type.prototype && (r as { resolve: unknown }).resolve === type.prototype.resolve;
}

/**
 * The objects {@link objectJson} made in one pass: plain data through and through (objects,
 * arrays, strings, numbers, booleans; a patch's values are JSON copies), which the YAML thread
 * need not check again before it copies them.
 */
export const PLAIN_JSON = new WeakSet<object>();

/** Thrown where a value is not what the one pass copies; the object then goes through cdk8s's own `toJson()`. */
const NOT_PLAIN = Symbol('not plain');

/**
 * An ApiObject's Kubernetes JSON: the very object `toJson()` returns, made in one pass. cdk8s's
 * `toJson()` resolves the whole value (an array of the key path and a context object for every
 * value, leaves included), then copies it again to sort its keys: most of a large render's
 * garbage. For an ApiObject of an App with cdk8s's own resolvers (`fast`), this does the same in
 * one copy: Lazy values produced, `resolve()` values resolved, number-or-string unions made
 * `{ value }`, null and undefined left out, keys sorted, then the object's JSON patches and
 * cdk8s's top-level key order. A class with its own `toJson` (cdk8s-plus's) runs it, with what
 * its `super.toJson()` gives made that way. Without `fast`, or for a value that is not plain data
 * (an instance of a class, a function), or where the pass fails (a Lazy value throws, a patch
 * does not apply), cdk8s's own method makes the value or its error (Lazy values are then
 * produced a second time).
 */
export function objectJson(o: ApiObject, fast: boolean): ReturnType<ApiObject['toJson']> {
  if (!fast || ApiObject.prototype.toJson !== CDK8S_TO_JSON) return o.toJson();
  if (o.toJson === CDK8S_TO_JSON) return baseJson(o);
  // A class with its own toJson (cdk8s-plus's L1 classes map what `super.toJson()` gives): its
  // own method runs, with ApiObject's made in one pass for as long as it runs (synchronously).
  ApiObject.prototype.toJson = function (this: ApiObject) {
    // only for this object (whose App's resolvers are known); any other goes through cdk8s's method
    return this === o ? baseJson(this) : CDK8S_TO_JSON.call(this);
  };
  try {
    return o.toJson();
  } finally {
    ApiObject.prototype.toJson = CDK8S_TO_JSON;
  }
}

/** cdk8s's own `ApiObject.toJson`, as this module found it. */
const CDK8S_TO_JSON = ApiObject.prototype.toJson;

/** What cdk8s's `ApiObject.prototype.toJson` makes for `o`, in one pass where it can; else by that method itself. */
function baseJson(o: ApiObject): ReturnType<ApiObject['toJson']> {
  const internals = o as unknown as { props?: Record<string, unknown>; patches?: JsonPatch[] };
  if (typeof internals.props !== 'object' || internals.props === null || !Array.isArray(internals.patches)) return CDK8S_TO_JSON.call(o);
  try {
    const oneCopy = metadataJson(o.metadata);
    const metadata = oneCopy ?? o.metadata.toJson();
    // the props without their metadata (the metadata's JSON takes its place, already resolved and sorted)
    const data: Record<string, unknown> = { ...internals.props, metadata: undefined };
    // the resolvers see the whole value first: only a plain object without a resolve() is copied as it is
    if (data.constructor !== Object || typeof data.resolve === 'function') throw NOT_PLAIN;
    const json = plainObject(data)!;
    // where it sits among the keys does not matter: it is put third below
    if (metadata !== undefined) json.metadata = metadata;
    const patched = internals.patches.length > 0 ? JsonPatch.apply(json, ...internals.patches) : json;
    // cdk8s's order: apiVersion, kind, metadata, then the rest
    const result: Record<string, unknown> = {};
    for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(patched)]) if (k in patched) result[k] = patched[k];
    if (oneCopy !== undefined) PLAIN_JSON.add(result);
    return result;
  } catch {
    // not plain data, or an error: cdk8s's own toJson() makes the value or its error
    return CDK8S_TO_JSON.call(o);
  }
}

/**
 * The metadata's JSON, as its `toJson()` makes it: its fields resolved and sanitized with empty
 * arrays and objects left out; undefined where it cannot be made here (the caller asks cdk8s).
 */
function metadataJson(m: ApiObjectMetadataDefinition): unknown {
  const f = m as unknown as Record<string, unknown>;
  const isObject = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (m.toJson !== ApiObjectMetadataDefinition.prototype.toJson || !isObject(f._additionalAttributes) || !isObject(f.labels) || !isObject(f.annotations)
    || !Array.isArray(f.finalizers) || !Array.isArray(f.ownerReferences)) return undefined;
  const data: Record<string, unknown> = {
    ...f._additionalAttributes as object,
    name: f.name, namespace: f.namespace, annotations: f.annotations, finalizers: f.finalizers, ownerReferences: f.ownerReferences, labels: f.labels,
  };
  if (data.constructor !== Object || typeof data.resolve === 'function') throw NOT_PLAIN;
  return plainObject(data, true);
}

/** One value as cdk8s's resolve and sanitize leave it (undefined: left out); `dropEmpty` leaves out empty arrays and objects too. */
function plain(value: unknown, dropEmpty = false): unknown {
  if (value === null || value === undefined) return undefined;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return value;
  if (type !== 'object') throw NOT_PLAIN;
  const v = value as Record<string, unknown>;
  // the resolvers, in cdk8s's order; what one produces is resolved again
  if (v instanceof Lazy) return plain(v.produce(), dropEmpty);
  if (typeof v.resolve === 'function') return plain((v.resolve as () => unknown)(), dropEmpty);
  if (v.constructor !== Object && (typeof v.value === 'number' || typeof v.value === 'string')) return plain({ value: v.value }, dropEmpty);
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) throw NOT_PLAIN;
    if (dropEmpty && v.length === 0) return undefined;
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) if (i in v) out[i] = plain(v[i], dropEmpty);
    return out;
  }
  if (v.constructor !== Object) throw NOT_PLAIN;
  return plainObject(v, dropEmpty);
}

/** A plain object's copy with sorted keys and no null or undefined values. */
function plainObject(v: Record<string, unknown>, dropEmpty = false): Record<string, unknown> | undefined {
  const keys = Object.keys(v);
  // values are resolved in the object's own key order, as cdk8s does (a Lazy value may depend on it)
  const values = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] === '__proto__') throw NOT_PLAIN;
    const x = v[keys[i]];
    values[i] = plain(x, dropEmpty);
  }
  let kept = 0;
  const out: Record<string, unknown> = {};
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1] < keys[i];
  const order = sorted ? undefined : sortedOrder(keys);
  for (let n = 0; n < keys.length; n++) {
    const i = order ? order[n] : n;
    if (values[i] === undefined) continue;
    out[keys[i]] = values[i];
    kept++;
  }
  return dropEmpty && kept === 0 ? undefined : out;
}

/** The indexes of `keys` in the order of `Array.prototype.sort()` (code units); an insertion sort, keys are few. */
function sortedOrder(keys: string[]): number[] {
  const order = new Array<number>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    let j = i;
    while (j > 0 && keys[order[j - 1]] > keys[i]) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = i;
  }
  return order;
}
