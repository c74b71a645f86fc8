// The render units' keys (decision 0006, round seventeen): a unit whose key did not change
// after an edit renders the very same files. Random platforms, random edits, full renders of
// both: the evidence that the keys read everything a unit's output depends on.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PlatformValidationError } from '../src';
import { Construct } from 'constructs';
import { declarationText, renderUnits } from '../src/graph/units';
import { outputSources } from '../src/synth/render-pass';
import { build, edit, randomSpec, rng, Spec } from './support/random-platforms';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'render-units-'));
const pinsRoot = path.join(root, 'pins');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

interface Rendered { keys: Map<string, string | undefined>; files: Map<string, Map<string, string>>; all: Map<string, string> }

/** Renders a platform fully; its units' keys and files (by each file's source). */
function render(spec: Spec): Rendered {
  const platform = build(spec, pinsRoot);
  const units = renderUnits(platform._graph(), platform);
  const all = platform.render();
  const sources = outputSources(all)!;
  const unitOf = new Map<string, string>();
  for (const u of units) for (const m of u.members) unitOf.set(m.node.path, u.id);
  const files = new Map<string, Map<string, string>>(units.map((u) => [u.id, new Map()]));
  for (const [f, text] of all) {
    const unit = unitOf.get(sources.get(f)!);
    if (unit !== undefined) files.get(unit)!.set(f, text);
  }
  return { keys: new Map(units.map((u) => [u.id, u.key])), files, all };
}

describe('a declaration\'s text', () => {
  const text = (fields: Record<string, unknown>) => {
    const c = new Construct(new Construct(undefined as never, 'root'), 'c');
    return declarationText(Object.assign(c, fields));
  };

  it('reads back one way: values that differ give texts that differ', () => {
    const pairs: [unknown, unknown][] = [
      [[1, 2], [12]], [[1, 23], [12, 3]], ['ab', ['a', 'b']], [{ a: 'b' }, new Map([['a', 'b']])], [[true], ['t']], [undefined, 'u'], [null, 'n'],
      [0, -0], [1, '1'], [{ a: 1, b: 2 }, { a: 12 }], [new Set([1]), [1]], [{ x: { y: 1 } }, { 'x': {}, 'y': 1 }],
    ];
    for (const [a, b] of pairs) expect(text({ v: a }), `${String(a)} / ${String(b)}`).not.toBe(text({ v: b }));
    // the same values in another key order are the same declaration; a construct is its path
    expect(text({ a: 1, b: { c: 2, d: 3 } })).toBe(text({ b: { d: 3, c: 2 }, a: 1 }));
    const other = new Construct(undefined as never, 'elsewhere');
    expect(text({ host: other })).toContain('@"elsewhere"');
  });
});

describe('render units', () => {
  it('the same declaration gives the same keys, before and after a render, in another Platform', () => {
    const spec = randomSpec(rng(7));
    const a = build(spec, pinsRoot);
    const before = renderUnits(a._graph(), a);
    a.render();
    const after = renderUnits(a._graph(), a);
    const b = build(spec, pinsRoot);
    const again = renderUnits(b._graph(), b);
    expect(before.length).toBe(spec.tenants.length + spec.ns.length - joinedTenants(spec));
    expect(before.every((u) => u.key !== undefined)).toBe(true);
    expect(after.map((u) => [u.id, u.key])).toEqual(before.map((u) => [u.id, u.key]));
    expect(again.map((u) => [u.id, u.key])).toEqual(before.map((u) => [u.id, u.key]));
  });

  it('a unit whose key is unchanged after a random edit renders the very same files', () => {
    let compared = 0;
    let changed = 0;
    let refused = 0;
    const kinds = new Set<string>();
    for (let seed = 1; seed <= 24; seed++) {
      const r = rng(seed);
      const spec = randomSpec(r);
      const { spec: edited, what, kind } = edit(r, spec);
      kinds.add(kind);
      let a: Rendered;
      let b: Rendered;
      try {
        a = render(spec);
        b = render(edited);
      } catch (e) {
        if (!(e instanceof PlatformValidationError)) throw e;
        refused++;
        continue;
      }
      for (const [id, key] of b.keys) {
        if (key === undefined || a.keys.get(id) !== key) {
          changed++;
          continue;
        }
        compared++;
        expect(Object.fromEntries(b.files.get(id)!), `seed ${seed}, ${what}: unit ${id} kept its key`).toEqual(Object.fromEntries(a.files.get(id)!));
      }
    }
    console.log(`render units: ${compared} kept keys compared, ${changed} changed, ${refused} refused; edits: ${[...kinds].join(", ")}`);
    // the edits kept most units' keys, changed some, and nearly every random platform was valid
    expect(compared).toBeGreaterThan(30);
    expect(changed).toBeGreaterThan(5);
    expect(refused).toBeLessThan(4);
    expect(kinds.size).toBeGreaterThan(6);
  });
});

/** How many tenants share a unit with another (a service declared in one, pinned to another). */
function joinedTenants(spec: Spec): number {
  const parent = new Map(spec.tenants.map((t) => [t.name, t.name]));
  const root = (x: string): string => (parent.get(x) === x ? x : root(parent.get(x)!));
  let joins = 0;
  for (const svc of spec.services) {
    for (const to of [svc.in, ...svc.pins.map((p) => p.to)]) {
      const a = root(svc.in);
      const b = root(to);
      if (a !== b) {
        parent.set(b, a);
        joins++;
      }
    }
  }
  return joins;
}
