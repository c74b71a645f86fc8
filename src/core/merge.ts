/**
 * The deep merges of the library, one function per semantics. Each returns a new object and
 * never changes its arguments (nested maps of the result may be shared with the inputs).
 */

type Obj = Record<string, unknown>;

/** A map for the value merges: a non-null object that is not an array. */
function isMap(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A map for the patch merges: a `{...}` literal (not an array or a class instance such as a Go integer). */
function isPlainMap(v: unknown): v is Obj {
  if (!isMap(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Values written in TypeScript over defaults: where both sides hold a map the maps merge key
 * by key; anything else in `over` replaces, `undefined` and `null` included. `isLeaf` marks
 * objects of `over` that replace rather than merge (a reference such as a cluster output).
 */
export function mergeReplacing(base: Obj, over: Obj = {}, isLeaf: (v: unknown) => boolean = () => false): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isMap(b) && isMap(v) && !isLeaf(v) ? mergeReplacing(b, v, isLeaf) : v;
  }
  return out;
}

/**
 * Layers of values, later over earlier: maps merge key by key, `undefined` keeps the earlier
 * value, anything else (lists and `null` included) replaces. Helm merges values files and
 * `--set` entries this way (see core/helm-values.ts).
 */
export function layerValues(base: unknown, over: unknown): unknown {
  if (!isMap(base) || !isMap(over)) return over === undefined ? base : over;
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = layerValues(base[k], v);
  return out;
}

/**
 * A JSON merge patch (RFC 7386), which is also a strategic merge patch on an object without
 * merge keys: maps merge key by key, `null` deletes the key, `undefined` keeps the target,
 * anything else replaces. (Helm's merge of values keeps `null`: see core/helm-values.ts.)
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === undefined) return target;
  if (!isPlainMap(patch)) return patch;
  const out: Obj = isPlainMap(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
