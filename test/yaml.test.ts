import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toYaml } from '../src/synth/yaml';

describe('the YAML of generated files', () => {
  it('quotes every string a YAML 1.1 reader (Kubernetes, Argo CD) would take for a boolean, a number or null', () => {
    const tricky = ['yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'N', 'Off', 'True', '1', '0o12', '1e3', '~', 'null', '2026-01-01', '*'];
    const text = toYaml(Object.fromEntries(tricky.map((v, i) => [`k${i}`, v])));
    for (const [i, v] of tricky.entries()) expect(text).toContain(`k${i}: '${v}'\n`);
  });

  it('round-trips the data, keeps key order, and leaves undefined out as JSON does', () => {
    const value = { b: 1, a: [{ x: 'a: b' }, true, null], long: 'x'.repeat(300), nested: { gone: undefined, kept: '' } };
    const text = toYaml(value);
    expect(parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
    expect(Object.keys(parse(text))).toEqual(['b', 'a', 'long', 'nested']);
    expect(text).toContain(`long: ${'x'.repeat(300)}\n`); // never folded
  });
});
