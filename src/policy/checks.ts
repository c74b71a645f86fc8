import { parse } from 'yaml';
import { helmSetValues, mergeHelmValueLayers } from '../core/helm-values';
import { ChartInstall, chartInstalls, checkChartInstalls } from './chart-installs';
import { POLICY_RULES } from './rules/registry';
import { arr, at, ChartValues, Obj, obj, PolicyFile, PolicyFinding, PolicyOptions, RuleChecks, TerraformResources } from './rules/rule';
import { isListKind, parseYamlDocuments } from './secret-checks';

export type { PolicyFile, PolicyFinding, PolicyOptions } from './rules/rule';

/** `kind:` at the top of any document of a file (quoted or not); files in JSON form are always parsed. */
const TOP_KIND = /^["']?kind["']?:\s*["']?(\w+)/gm;
/** The kinds some rule reads, and those holding chart installs or other objects: a YAML file with one of them is parsed. */
const INTERESTING = new Set([...POLICY_RULES.flatMap((r) => r.kinds), 'Application', 'ApplicationSet', 'List']);

/** The checks of the enabled rules at one point of the walk, in the rule list's order. */
function checksAt<K extends keyof RuleChecks>(rules: readonly RuleChecks[], point: K): NonNullable<RuleChecks[K]>[] {
  return rules.flatMap((r) => (r[point] ? [r[point]!] : []));
}

/**
 * Runs the security rules (rules/registry.ts) over the output, in one pass: each file is
 * scanned once for credentials and parsed at most once; each rule sees the files, objects,
 * values and Terraform documents it checks, and adds its findings.
 */
export function runPolicyChecks(files: Iterable<PolicyFile>, options: PolicyOptions): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  const rules = POLICY_RULES.filter((r) => options.rules.has(r.rule)).map((r) => r.create(findings, options));
  const fileChecks = checksAt(rules, 'file');
  const terraformChecks = checksAt(rules, 'terraform');
  const helmReleaseChecks = checksAt(rules, 'helmRelease');
  const chartValueChecks = checksAt(rules, 'chartValues');
  const argocdAppsChecks = checksAt(rules, 'argocdApps');
  const contentChecks = checksAt(rules, 'contents');
  const objectChecks = checksAt(rules, 'object');
  const valuesRules = rules.filter((r) => r.wantsValues && r.values);
  const finishChecks = checksAt(rules, 'finish');

  const installs: ChartInstall[] = [];
  // YAML files by path, to resolve the values files that Applications reference in this repository
  const yamlFiles = new Map<string, string>();
  for (const f of files) {
    const yaml = /\.ya?ml$/.test(f.file);
    if (yaml) yamlFiles.set(f.file, f.text);
    for (const check of fileChecks) check(f);
    if (f.file.endsWith('.tf.json')) {
      let doc: unknown;
      try {
        doc = f.objects?.[0] ?? JSON.parse(f.text);
      } catch {
        continue;
      }
      checkTerraform({ file: f.file, text: f.text, doc, each: eachResource(doc) }, terraformChecks, helmReleaseChecks, chartValueChecks, argocdAppsChecks);
      continue;
    }
    if (!yaml) continue;
    const kinds = [...f.text.matchAll(TOP_KIND)].map((m) => m[1]);
    const valuesChecks = valuesRules.filter((r) => r.wantsValues!(f.text, kinds)).map((r) => r.values!);
    if (!f.objects && valuesChecks.length === 0 && !/^\s*[{[]/.test(f.text) && !kinds.some((k) => INTERESTING.has(k))) continue;
    let objects: unknown[];
    try {
      // every document of the file (a Secret may hide in the second one), and the items of a List
      // YAML 1.1 merge keys (`<<: *base`) applied, as Kubernetes reads them
      objects = [...(f.objects ?? parseYamlDocuments(f.text))];
    } catch {
      continue;
    }
    for (let i = 0; i < objects.length; i++) {
      const o = objects[i];
      if (isListKind(at(o, 'kind'))) objects.push(...arr(at(o, 'items')));
    }
    for (const o of objects) {
      const kind = at(o, 'kind');
      if (typeof kind !== 'string') {
        // Helm values files: the container rules, and Secrets held in values (extraObjects, manifests as text)
        for (const check of valuesChecks) check(f.file, o);
        continue;
      }
      const before = findings.length;
      const name = String(at(o, 'metadata', 'name') ?? '');
      for (const check of contentChecks) check(f, kind, name, o as Obj);
      for (const check of objectChecks) check(f, kind, name, o as Obj);
      if (kind === 'Application' || kind === 'ApplicationSet') installs.push(...chartInstalls(f.file, kind, name, o as Obj));
      const resource = { name, kind };
      for (let i = before; i < findings.length; i++) findings[i] = { ...findings[i], resource };
    }
  }

  checkChartInstalls(installs, yamlFiles, chartValueChecks, findings);
  for (const check of finishChecks) check();
  return findings;
}

/** Calls a function for each resource of a type of a Terraform JSON document, in document order. */
function eachResource(doc: unknown): TerraformResources['each'] {
  const resources = obj(at(doc, 'resource')) ?? {};
  return (type, fn) => {
    for (const [n, r] of Object.entries(obj(resources[type]) ?? {})) fn(n, r);
  };
}

/**
 * A Terraform JSON document: the rules' document checks, then each `helm_release` on its
 * values (the `values` strings in order, then the `set` blocks over them, as Helm layers
 * them; `set_sensitive` is a rule's own check).
 */
function checkTerraform(tf: TerraformResources, documentChecks: readonly ((tf: TerraformResources) => void)[], releaseChecks: readonly NonNullable<RuleChecks['helmRelease']>[],
  chartChecks: readonly ((c: ChartValues) => void)[], appsChecks: readonly NonNullable<RuleChecks['argocdApps']>[]): void {
  for (const check of documentChecks) check(tf);
  tf.each('helm_release', (n, r) => {
    const values = arr(at(r, 'values')).filter((v): v is string => typeof v === 'string' && !v.startsWith('${')).map((v) => {
      try {
        return parse(v, { merge: true }) as unknown;
      } catch {
        return undefined;
      }
    });
    const what = `helm_release.${n}`;
    const chart = at(r, 'chart');
    for (const check of releaseChecks) check(tf.file, what, values);
    const merged = mergeHelmValueLayers([...values, helmSetValues(arr(at(r, 'set')), 'type', 'string')]);
    const c: ChartValues = { file: tf.file, what, chart: typeof chart === 'string' ? chart : '', values: merged, walk: merged, seesAll: true, valuesWord: ' values' };
    for (const check of chartChecks) check(c);
    if (chart !== 'argocd-apps') return;
    for (const v of values) for (const check of appsChecks) check(tf.file, what, v);
  });
}
