import { describe, expect, it } from 'vitest';
import { layerValues, mergePatch, mergeReplacing } from '../src/core/merge';

class Ref { constructor(readonly name: string) {} }

describe('core/merge: one function per semantics', () => {
  it('mergeReplacing: maps merge, lists, null and undefined replace, leaves replace', () => {
    const base = { a: { b: 1, c: [1, 2] }, d: 1, e: { f: 1 } };
    const out = mergeReplacing(base, { a: { c: [3] }, d: undefined, e: null });
    expect(out).toEqual({ a: { b: 1, c: [3] }, d: undefined, e: null });
    expect('d' in out).toBe(true);
    expect(base).toEqual({ a: { b: 1, c: [1, 2] }, d: 1, e: { f: 1 } });
    const ref = new Ref('x');
    expect(mergeReplacing({ r: { name: 'y', other: 1 } }, { r: ref }, (v) => v instanceof Ref).r).toBe(ref);
    expect(mergeReplacing({ r: { other: 1 } }, { r: ref })).toEqual({ r: { other: 1, name: 'x' } });
  });

  it('layerValues: undefined keeps the earlier value, null and lists replace', () => {
    expect(layerValues({ a: { b: 1, c: 2 }, d: [1] }, { a: { b: undefined, c: null }, d: [2] })).toEqual({ a: { b: 1, c: null }, d: [2] });
    expect(layerValues({ a: 1 }, undefined)).toEqual({ a: 1 });
    expect(layerValues('x', { a: 1 })).toEqual({ a: 1 });
  });

  it('mergePatch (RFC 7386): null deletes, class instances replace', () => {
    const target = { a: { b: 1, c: 2 }, l: [1, 2], s: 'x' };
    expect(mergePatch(target, { a: { c: null, d: { e: 1 } }, l: [3], s: undefined })).toEqual({ a: { b: 1, d: { e: 1 } }, l: [3], s: 'x' });
    expect(target).toEqual({ a: { b: 1, c: 2 }, l: [1, 2], s: 'x' });
    expect(mergePatch('scalar', { a: null, b: 2 })).toEqual({ b: 2 });
    const ref = new Ref('x');
    expect(mergePatch({ r: { name: 'y' } }, { r: ref }).r).toBe(ref);
    expect(mergePatch({ a: 1 }, undefined)).toEqual({ a: 1 });
  });
});
