import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dump } from 'js-yaml';
import { toYaml, YAML_OPTIONS } from '../src/synth/yaml';
import { ClusterOutput, ClusterSelector, expandApplicationSet, HelmChart, ServiceCatalogEntry } from '../src';
import { azureMgmt, azurePlatform } from './support/fixtures';

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

  it("makes dump's bytes with the library's options (it runs dump's two steps with options made once)", () => {
    const values: unknown[] = [
      {}, [], 'on', 12, null, { a: undefined, f: () => 1, s: Symbol('x') },
      { multi: 'line one\nline two\n', trailing: 'x ', lead: ' x', quote: "it's", colon: 'a: b', hash: 'a #b', dash: '- x' },
      { nested: [[1, 2], { deep: [{ k: 'v', e: [] }] }], empty: '', unicode: 'é\u2028x', date: new Date(0), big: 1e21, neg: -0, nan: NaN },
      { 'key with: colon': 1, '? q': 2, 'on': 'off', 'long': 'y '.repeat(200) },
    ];
    for (const v of values) expect(toYaml(v)).toBe(dump(v, YAML_OPTIONS));
  });
});

describe('the one YAML emitter, in the templatePatch of a catalog ApplicationSet', () => {
  // Argo CD reads the rendered templatePatch with sigs.k8s.io/yaml (go-yaml v2, YAML 1.1):
  // an unquoted `on`, `y` or `no` is a boolean there. The library's offline expansion reads
  // it the same way (src/testing/go-yaml.ts), so it shows what Argo CD would build.
  const secure = { 'security-basic': 'enabled' };
  const mgmtCluster = { name: 'mgmt', labels: { 'environment': 'prod', 'cluster_name': 'mgmt', 'platform-role': 'management', ...secure } };

  it('keeps a release name and value keys that YAML 1.1 reads as booleans as strings in the expanded Application', () => {
    const platform = azurePlatform();
    azureMgmt(platform, { labels: secure });
    new ServiceCatalogEntry(platform, 'demo', {
      chart: HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'demo', version: '1.2.3' }),
      namespace: 'demo', targets: ClusterSelector.labels(secure), releaseName: 'on',
      values: { y: { no: ClusterOutput.clusterName() } },
    });
    const appSet = parse(platform.render().get('clusters/mgmt/argocd/applicationset-demo.yaml')!);
    expect(appSet.spec.templatePatch).toContain("releaseName: 'on'\n");
    const [app] = expandApplicationSet(appSet, [mgmtCluster]);
    const helm = (app.spec as any).sources[0].helm;
    expect(helm.releaseName).toBe('on');
    expect(helm.valuesObject).toEqual({ y: { no: 'mgmt' } });
  });

  it('writes the same text for files, the templatePatch and Helm values: one function, single quotes, no folding', () => {
    const text = toYaml({ a: '{{ .values.version }}', b: 'x'.repeat(200), c: ['on', "it's"] });
    expect(text).toBe(`a: '{{ .values.version }}'\nb: ${'x'.repeat(200)}\nc:\n  - 'on'\n  - it's\n`);
  });
});
