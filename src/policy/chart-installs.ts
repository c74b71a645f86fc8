import { parse } from 'yaml';
import { applicationInlineValues, HelmSourceValues, mergeHelmValueLayers } from '../core/helm-values';
import { arr, at, ChartValues, named, Obj, obj, PolicyFinding } from './rules/rule';

/** A Helm chart installed by an Application or ApplicationSet, checked once every file has been read. */
export interface ChartInstall {
  readonly file: string;
  readonly what: string;
  readonly chart: string;
  /** valuesObject/values, then parameters: applied over the values files. */
  readonly inline: unknown;
  /** Each distinct list of values files (an ApplicationSet has one per generator). */
  readonly chains: readonly (readonly string[])[];
  readonly resource: { readonly name: string; readonly kind: string };
}

/** The chart installs of an Application or ApplicationSet (one per Helm source). */
export function chartInstalls(file: string, kind: 'Application' | 'ApplicationSet', name: string, o: Obj): ChartInstall[] {
  const spec = kind === 'Application' ? at(o, 'spec') : at(o, 'spec', 'template', 'spec');
  const sources = [at(spec, 'source'), ...arr(at(spec, 'sources'))].filter((s) => obj(s) !== undefined);
  const out: ChartInstall[] = [];
  for (const s of sources) {
    const chart = at(s, 'chart');
    if (typeof chart !== 'string') continue;
    // Argo CD passes `parameters` to Helm as --set (or --set-string with forceString), over the values
    const inline = applicationInlineValues(obj(at(s, 'helm')) as HelmSourceValues | undefined, true);
    const own = arr(at(s, 'helm', 'valueFiles')).map(String);
    let chains: string[][] = [own];
    // the library's ApplicationSets give each generator its values files, spliced in by the templatePatch
    const patch = at(o, 'spec', 'templatePatch');
    if (kind === 'ApplicationSet' && typeof patch === 'string' && patch.includes('.values.valueFiles')) {
      const lists = arr(at(o, 'spec', 'generators')).map((g) => String(at(g, 'clusters', 'values', 'valueFiles') ?? ''));
      chains = [...new Set(lists)].map((l) => [...own, ...l.split(',').filter((x) => x !== '')]);
    }
    out.push({ file, what: named(kind, name), chart, inline, chains, resource: { name, kind } });
  }
  return out;
}

/**
 * Checks every chart install on its effective values: the values files it references in
 * this repository (`$values/<path>`, resolved against the output), then its inline values.
 * A values file that cannot be read here (another repository, a template) means the
 * chart's defaults cannot be judged: only wrong values count then.
 */
export function checkChartInstalls(installs: readonly ChartInstall[], yamlFiles: ReadonlyMap<string, string>, checks: readonly ((c: ChartValues) => void)[], out: PolicyFinding[]): void {
  const parsed = new Map<string, unknown>();
  const read = (ref: string): { file: string; found: boolean; values?: unknown } => {
    if (!ref.startsWith('$values/') || ref.includes('{{')) return { file: ref, found: false };
    // the reference starts with the repository path, which the output folder does not hold
    const segments = ref.slice('$values/'.length).split('/');
    for (let i = 0; i < segments.length; i++) {
      const candidate = segments.slice(i).join('/');
      const text = yamlFiles.get(candidate);
      if (text === undefined) continue;
      if (!parsed.has(candidate)) {
        try {
          parsed.set(candidate, parse(text, { merge: true }) as unknown);
        } catch {
          parsed.set(candidate, undefined);
        }
      }
      return { file: candidate, found: true, values: parsed.get(candidate) };
    }
    return { file: ref, found: false };
  };
  if (checks.length === 0) return;
  for (const ins of installs) {
    for (const [n, chain] of ins.chains.entries()) {
      const layers = chain.map(read);
      const seesAll = layers.every((r) => r.found);
      const values = mergeHelmValueLayers([...layers.map((r) => r.values ?? {}), ins.inline]);
      const before = out.length;
      const what = chain.length > 0 ? `${ins.what} (values files ${layers.map((r) => r.file).join(', ')})` : ins.what;
      // the values files are checked for risky settings on their own: here only the inline values
      const c: ChartValues = { file: ins.file, what, chart: ins.chart, values, walk: n === 0 ? ins.inline : undefined, seesAll, valuesWord: ' Helm values' };
      for (const check of checks) check(c);
      for (let i = before; i < out.length; i++) out[i] = { ...out[i], resource: ins.resource };
    }
  }
}
