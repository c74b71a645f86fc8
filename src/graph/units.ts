import { createHash } from 'node:crypto';
import { Construct, IConstruct } from 'constructs';
import { isPlainObject } from '../core/data';
import type { PlatformGraph } from './platform-graph';

/**
 * @internal A render unit: the part of a platform whose output an incremental synth could keep
 * when its key is unchanged (decision 0006, round seventeen). A unit is a tenant (vCluster or
 * namespace) together with the team services declared in it and those whose pins target it;
 * tenants a service joins (declared in one, pinned to another) are one unit. Everything else
 * (the platform, clusters, catalog entries, imported clusters) is the global part, always rendered.
 */
export interface RenderUnit {
  /** The construct path of the unit's first tenant, in tree order. */
  readonly id: string;
  /** Its tenants and team services, in tree order. */
  readonly members: readonly IConstruct[];
  /**
   * The unit's key: a hash of its members' declarations and of the global part's. Undefined
   * when a declaration holds what cannot be read (a cycle of plain objects, a symbol), or a
   * service pins a cluster that is no tenant's: such a unit is rendered every time.
   */
  readonly key: string | undefined;
}

/** A value {@link declarationText} cannot read: a symbol, a cycle of plain objects. */
class Undigestible extends Error {}

/**
 * @internal The canonical text of a declared construct's state: its own enumerable fields
 * (props as declared, pins read at declaration, values derived in its constructor), with
 * another construct written as its path (its own state is in its own digest). Maps and arrays
 * keep their order (the output does); a plain object's keys are sorted. Throws
 * {@link Undigestible} on a symbol or a cycle of plain objects: a unit holding one is rendered every time.
 */
export function declarationText(c: IConstruct, omit: ReadonlySet<string> = NO_FIELDS): string {
  // every value starts with its own mark and a number ends with one, so the text reads back one way
  let out = `${JSON.stringify(c.constructor.name)}${JSON.stringify(c.node.path)}`;
  const stack = new Set<object>();
  const write = (v: unknown): void => {
    switch (typeof v) {
      // a Terraform reference (`${TfToken[TOKEN.93]}`) is numbered in creation order, across platforms: its place is what it is
      case 'string': out += JSON.stringify(v.includes('Token[') ? v.replace(TOKEN, 'Token') : v); return;
      case 'number': out += `#${Object.is(v, -0) ? '-0' : String(v)};`; return;
      case 'boolean': out += v ? 't' : 'f'; return;
      case 'undefined': out += 'u'; return;
      case 'bigint': out += `#${v}n;`; return;
      // no prop of the public API takes a function; the library's own (a cluster's `addNodePool`)
      // act on state the declaration holds elsewhere: written as their presence
      case 'function': out += `F${JSON.stringify((v as { name: string }).name)}`; return;
      case 'symbol': throw new Undigestible();
      default: break;
    }
    if (v === null) {
      out += 'n';
      return;
    }
    const o = v as object;
    if (Construct.isConstruct(o)) {
      out += `@${JSON.stringify(o.node.path)}`;
      return;
    }
    if (stack.has(o)) throw new Undigestible();
    stack.add(o);
    if (Array.isArray(o)) {
      out += '[';
      for (const x of o) write(x);
      out += ']';
    } else if (o instanceof Map) {
      out += 'M[';
      for (const [k, x] of o) {
        write(k);
        write(x);
      }
      out += ']';
    } else if (o instanceof Set) {
      out += 'S[';
      for (const x of o) write(x);
      out += ']';
    } else if (o instanceof Date || o instanceof RegExp) {
      out += `${o instanceof Date ? 'D' : 'R'}${JSON.stringify(String(o))}`;
    } else {
      // a class instance (a Cloud, a Group, a HelmChart) is its class and its fields
      out += isPlainObject(o) ? '{' : `C${JSON.stringify((o.constructor as { name?: string }).name ?? '?')}{`;
      for (const k of Object.keys(o).sort()) {
        out += quoted(k);
        write((o as Record<string, unknown>)[k]);
      }
      out += '}';
    }
    stack.delete(o);
  };
  stack.add(c);
  out += '{';
  for (const k of Object.keys(c).sort()) {
    if (k === 'node' || omit.has(k)) continue;
    out += quoted(k);
    write((c as unknown as Record<string, unknown>)[k]);
  }
  return `${out}}`;
}

const NO_FIELDS: ReadonlySet<string> = new Set();

/** Field names as JSON strings (the same few hundred names, quoted once). */
const QUOTED = new Map<string, string>();
function quoted(k: string): string {
  let q = QUOTED.get(k);
  if (q === undefined) {
    q = JSON.stringify(k);
    if (QUOTED.size < 10_000) QUOTED.set(k, q);
  }
  return q;
}
const TOKEN = /Token\[[^\]]*\]/g;

/**
 * The platform's fields that are not its declaration: the pass's caches, sink and incremental
 * input, the last synth's counts and warnings, the apps (constructs of their own), and the rules
 * added with `addRule` (they only report problems, which the always-rendered report carries).
 * A field missing here only costs kept units (its value changes every key), never a stale file.
 */
const PLATFORM_TRANSIENT: ReadonlySet<string> = new Set(['memo', '_sink', '_incremental', '_lastSynth', '_warnings', 'rules', 'cdk8sApp', 'cdktfApp']);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Members of the same unit: a union-find over tenants and services. */
class Joined<T> {
  private readonly parent = new Map<T, T>();
  public add(x: T): void {
    if (!this.parent.has(x)) this.parent.set(x, x);
  }
  public root(x: T): T {
    let r = x;
    while (this.parent.get(r) !== r) r = this.parent.get(r)!;
    // path compression
    for (let y = x; y !== r;) {
      const next = this.parent.get(y)!;
      this.parent.set(y, r);
      y = next;
    }
    return r;
  }
  public join(a: T, b: T): void {
    const ra = this.root(a);
    const rb = this.root(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

/** A team service as the units see it (no import of the construct). */
interface ServiceLike extends IConstruct {
  readonly tenant: IConstruct;
  readonly _pins: ReadonlyMap<string, { readonly cluster: string }>;
}

/**
 * @internal The render units of a platform, in tree order of their first tenant, each with its
 * key. `platform` is the graph's root (its settings are part of the global part).
 * A service pinned to a cluster that is no tenant's joins the global part: its unit has no key.
 */
export function renderUnits(graph: PlatformGraph, platform: IConstruct): RenderUnit[] {
  const joined = new Joined<IConstruct>();
  const tenants: IConstruct[] = [...graph.tenants, ...graph.namespaceTenants];
  for (const t of tenants) joined.add(t);
  const global = new Set<IConstruct>();
  for (const s of graph.teamServices as unknown as readonly ServiceLike[]) {
    joined.add(s);
    joined.join(s.tenant, s);
    for (const pin of s._pins.values()) {
      const target = graph.tenantsByClusterName.get(pin.cluster);
      if (target) joined.join(target, s);
      else global.add(s);
    }
  }
  const tenantSet = new Set<IConstruct>(tenants);
  const inUnit = new Set<IConstruct>([...tenants, ...graph.teamServices]);
  const members = new Map<IConstruct, IConstruct[]>();
  for (const c of graph.declaredInTreeOrder) {
    if (!inUnit.has(c)) continue;
    const r = joined.root(c);
    const list = members.get(r);
    if (list) list.push(c);
    else members.set(r, [c]);
  }
  const globalKey = (() => {
    try {
      const parts = [declarationText(platform, PLATFORM_TRANSIENT)];
      for (const c of graph.declaredInTreeOrder) if (!inUnit.has(c)) parts.push(declarationText(c));
      return sha256(parts.join('\n'));
    } catch (e) {
      if (e instanceof Undigestible) return undefined;
      throw e;
    }
  })();
  const units: RenderUnit[] = [];
  for (const list of members.values()) {
    let key: string | undefined;
    if (globalKey !== undefined && !list.some((c) => global.has(c))) {
      try {
        key = sha256([globalKey, ...list.map((c) => declarationText(c))].join('\n'));
      } catch (e) {
        if (!(e instanceof Undigestible)) throw e;
      }
    }
    const first = list.find((c) => tenantSet.has(c)) ?? list[0];
    units.push({ id: first.node.path, members: list, key });
  }
  return units;
}
