import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject, App, Chart, JsonPatch, Lazy } from 'cdk8s';
import { IntOrString, KubeConfigMap } from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import { Platform } from '../src';
import { defaultResolvers, objectJson, PLAIN_JSON } from '../src/synth/serialize';
import { isPlainData } from '../src/synth/yaml-thread';
import { referencePlatform, writePins } from '../bench/reference-platform';
import { mixedPlatform } from './support/platforms';

// The render makes each object's JSON in one pass instead of cdk8s's resolve-then-sanitize
// (docs/decisions/0006-performance.md, round six). It must give exactly what `toJson()` gives:
// the same values and the same key order, or the same error.

const same = (o: ApiObject) => {
  const chart = Chart.of(o);
  return JSON.stringify(objectJson(o, defaultResolvers(chart)));
};

function apiObjects(platform: Platform): ApiObject[] {
  const all: IConstruct[] = [...platform.node.root.node.findAll(), ...platform.cdk8sApp.node.findAll()];
  return [...new Set(all)].filter((c): c is ApiObject => ApiObject.isApiObject(c));
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'object-json-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('an object\'s JSON made in one pass', () => {
  it.each([
    ['the mixed platform', () => mixedPlatform()],
    ['a platform with tenants, team services and 40 catalog entries', () => {
      writePins(path.join(tmp, 'pins'), 8);
      return referencePlatform(8, undefined, path.join(tmp, 'pins'));
    }],
  ])('is toJson() itself for every object of %s (values and key order)', (_, make) => {
    const platform = make();
    platform.render();
    const objects = apiObjects(platform);
    let fast = 0;
    for (const o of objects) {
      expect(same(o), o.node.path).toBe(JSON.stringify(o.toJson()));
      // what the one pass marks as plain data, the YAML thread copies without checking it again
      const json = objectJson(o, defaultResolvers(Chart.of(o)));
      if (PLAIN_JSON.has(json)) {
        fast++;
        expect(isPlainData(json), o.node.path).toBe(true);
      }
    }
    // most objects are plain ApiObjects (cdk8s-plus's classes map their JSON after the one pass)
    expect(fast).toBeGreaterThan(objects.length / 2);
  });

  const chart = () => new Chart(new App(), 'c');

  it('produces Lazy values, resolves resolve() values, turns number-or-string unions into { value }, drops null and undefined, sorts keys', () => {
    const c = chart();
    let produced = 0;
    const o = new ApiObject(c, 'o', {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'x', labels: { z: 'last', a: Lazy.any({ produce: () => 'first' }) as unknown as string }, annotations: {}, finalizers: [] },
      zeta: { b: 1, a: [3, null, undefined, { y: undefined, x: Lazy.any({ produce: () => ({ q: 1, p: Lazy.any({ produce: () => { produced++; return 'deep'; } }) }) }) }] },
      alpha: { resolve: () => ({ k: 'resolved', j: null }) },
      port: IntOrString.fromNumber(8080),
      name: IntOrString.fromString('http'),
      empty: { list: [], map: {} },
      flag: false, zero: 0, text: '',
    } as never);
    expect(same(o)).toBe(JSON.stringify(o.toJson()));
    // each pass produces a Lazy value once, as toJson() does
    expect(produced).toBe(2);
    expect(JSON.parse(same(o))).toMatchObject({ alpha: { k: 'resolved' }, port: { value: 8080 }, name: { value: 'http' }, empty: { list: [], map: {} }, metadata: { labels: { a: 'first', z: 'last' } } });
  });

  it('takes the chart\'s labels and namespace, a generated name, owner references and finalizers as toJson() does', () => {
    const c = new Chart(new App(), 'labelled', { labels: { team: 'a', zone: 'z' }, namespace: 'ns' });
    const bare = new ApiObject(c, 'bare', { apiVersion: 'v1', kind: 'ConfigMap' });
    const owned = new ApiObject(c, 'owned', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { labels: { team: 'b' }, finalizers: ['x'], ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u' }] } });
    owned.metadata.addLabel('added', 'yes');
    owned.metadata.add('generateName', 'gen-');
    for (const o of [bare, owned]) {
      expect(same(o)).toBe(JSON.stringify(o.toJson()));
      expect(PLAIN_JSON.has(objectJson(o, true))).toBe(true);
    }
    expect(JSON.parse(same(owned)).metadata).toMatchObject({ namespace: 'ns', labels: { team: 'b', zone: 'z', added: 'yes' }, generateName: 'gen-' });
  });

  it('applies the object\'s JSON patches and keeps cdk8s\'s top-level order', () => {
    const o = new ApiObject(chart(), 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '1', b: '2' } });
    o.addJsonPatch(JsonPatch.remove('/data/a'), JsonPatch.add('/data/c', '3'), JsonPatch.add('/binaryData', { z: 'eg==' }));
    expect(same(o)).toBe(JSON.stringify(o.toJson()));
    expect(Object.keys(JSON.parse(same(o)))).toEqual(['apiVersion', 'kind', 'metadata', 'data', 'binaryData']);
    // a patch's values are JSON copies: the result is still plain data
    const patched = objectJson(o, true);
    expect(PLAIN_JSON.has(patched) && isPlainData(patched)).toBe(true);
  });

  it('fails as toJson() fails: a class instance, a Date, a failing Lazy, a bad patch', () => {
    class Thing { public readonly x = 1; }
    const error = (o: ApiObject) => {
      try {
        o.toJson();
      } catch (e) {
        return String(e);
      }
      return 'no error';
    };
    const cases = [
      new ApiObject(chart(), 'thing', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { t: new Thing() } } as never),
      new ApiObject(chart(), 'date', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { d: new Date(0) } } as never),
      new ApiObject(chart(), 'lazy', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: Lazy.any({ produce: () => { throw new Error('boom'); } }) } as never),
    ];
    const patched = new ApiObject(chart(), 'patch', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    patched.addJsonPatch(JsonPatch.replace('/nope/deeper', 1));
    cases.push(patched);
    for (const o of cases) {
      const expected = error(o);
      expect(expected).not.toBe('no error');
      expect(() => objectJson(o, true)).toThrow(expected.replace(/^Error: /, ''));
    }
  });

  it('leaves to cdk8s an App with its own resolvers, CDK8S_DISABLE_SORT and classes with their own toJson', () => {
    const app = new App({ resolvers: [{ resolve: (ctx) => { if (ctx.value === 'secret') ctx.replaceValue('redacted'); } }] });
    const custom = new ApiObject(new Chart(app, 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'secret' } });
    expect(defaultResolvers(Chart.of(custom))).toBe(false);
    expect(JSON.parse(same(custom)).data.a).toBe('redacted');
    const c = chart();
    expect(defaultResolvers(c)).toBe(true);
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      expect(defaultResolvers(c)).toBe(false);
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
    }
    const l1 = new KubeConfigMap(c, 'l1', { metadata: { name: 'y' }, data: { b: '2', a: '1' } });
    expect(JSON.stringify(objectJson(l1, true))).toBe(JSON.stringify(l1.toJson()));
    expect(PLAIN_JSON.has(objectJson(l1, true))).toBe(false);
  });

  it('runs a class\'s own toJson with ApiObject\'s made in one pass, and puts cdk8s\'s method back, also when it throws', () => {
    const cdk8s = ApiObject.prototype.toJson;
    let base: unknown;
    class Mapped extends ApiObject {
      public toJson(): any {
        base = ApiObject.prototype.toJson;
        return { mapped: true, ...super.toJson() };
      }
    }
    const c = chart();
    const mapped = new Mapped(c, 'mapped', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm', labels: { b: '2', a: '1' } }, data: { z: 1, a: Lazy.any({ produce: () => ({ y: 2, x: null }) }) } });
    const expected = JSON.stringify(mapped.toJson());
    expect(base).toBe(cdk8s);
    expect(JSON.stringify(objectJson(mapped, true))).toBe(expected);
    expect(base).not.toBe(cdk8s);
    expect(ApiObject.prototype.toJson).toBe(cdk8s);
    // another object serialized meanwhile (an App with its own resolvers, say) goes through cdk8s's method
    const app = new App({ resolvers: [{ resolve: (ctx) => { if (ctx.value === 'secret') ctx.replaceValue('redacted'); } }] });
    const other = new ApiObject(new Chart(app, 'other'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'o' }, data: { a: 'secret' } });
    class Nested extends ApiObject {
      public toJson(): any {
        return { ...super.toJson(), other: other.toJson() };
      }
    }
    const nested = new Nested(c, 'nested', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n' } });
    expect(objectJson(nested, true).other.data.a).toBe('redacted');
    expect(JSON.stringify(objectJson(nested, true))).toBe(JSON.stringify(nested.toJson()));
    // the mapping's own error, and cdk8s's error for what the one pass cannot make
    class Failing extends ApiObject {
      public toJson(): any {
        super.toJson();
        throw new Error('the mapping failed');
      }
    }
    expect(() => objectJson(new Failing(c, 'failing', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'f' } }), true)).toThrow('the mapping failed');
    expect(ApiObject.prototype.toJson).toBe(cdk8s);
    const dated = new Mapped(c, 'dated', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'd' }, data: { d: new Date(0) } });
    let error = '';
    try {
      dated.toJson();
    } catch (e) {
      error = (e as Error).message;
    }
    expect(error).toContain('Failed serializing construct');
    expect(() => objectJson(dated, true)).toThrow(error);
    expect(ApiObject.prototype.toJson).toBe(cdk8s);
  });
});
