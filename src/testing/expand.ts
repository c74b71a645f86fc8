/* eslint-disable @typescript-eslint/no-explicit-any -- parsed YAML of any shape: the expansion checks what it reads */
import { parse } from 'yaml';
import { GoTemplateError, renderGoTemplate, renderGoTemplateDeep } from './go-template';

/** A cluster as an ApplicationSet cluster generator sees it. */
export interface GeneratorCluster {
  /** Argo CD cluster name. */
  readonly name: string;
  /** API server URL. */
  readonly server?: string;
  /** Labels of the cluster Secret. */
  readonly labels: Record<string, string>;
  /** Annotations of the cluster Secret. */
  readonly annotations?: Record<string, string>;
}

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** True when a label selector (Kubernetes semantics) selects these labels. */
export function selectorMatches(selector: Selector | undefined, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) if (labels[k] !== v) return false;
  return (selector?.matchExpressions ?? []).every((e) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In': return has && (e.values ?? []).includes(labels[e.key]);
      case 'NotIn': return !has || !(e.values ?? []).includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: throw new GoTemplateError(`unsupported selector operator "${e.operator}"`);
    }
  });
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const base = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete base[k];
    else base[k] = mergePatch(base[k], v);
  }
  return base;
}

/** One parameter set per cluster the generator selects. */
function clusterParams(generator: any, clusters: readonly GeneratorCluster[]): Record<string, unknown>[] {
  const g = generator.clusters;
  return clusters.filter((c) => selectorMatches(g.selector, c.labels)).map((c) => ({
    name: c.name,
    nameNormalized: c.name,
    server: c.server ?? `https://${c.name}.cluster.invalid`,
    metadata: { labels: { ...c.labels }, annotations: { ...c.annotations } },
    values: { ...(g.values ?? {}) },
  }));
}

/**
 * Expands an ApplicationSet offline, as the ApplicationSet controller would, against
 * the given clusters. Supports what this library emits: cluster generators (label
 * selectors with matchLabels and matchExpressions, `values`), list generators, Go
 * templates with `missingkey=error`, and `templatePatch`. Anything else throws.
 */
export function expandApplicationSet(appSet: any, clusters: readonly GeneratorCluster[]): any[] {
  const spec = appSet.spec;
  if (spec.goTemplate !== true) throw new GoTemplateError(`ApplicationSet ${appSet.metadata?.name}: only goTemplate: true is supported`);
  const params: Record<string, unknown>[] = [];
  for (const gen of spec.generators ?? []) {
    if (gen.clusters) params.push(...clusterParams(gen, clusters));
    else if (gen.list) params.push(...(gen.list.elements ?? []));
    else throw new GoTemplateError(`ApplicationSet ${appSet.metadata?.name}: unsupported generator ${Object.keys(gen).join(', ')}`);
  }
  const apps = params.map((p) => {
    let app = renderGoTemplateDeep(spec.template, p) as any;
    if (spec.templatePatch) app = mergePatch(app, parse(renderGoTemplate(spec.templatePatch, p)));
    return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { namespace: appSet.metadata.namespace, ...app.metadata }, spec: app.spec };
  });
  const names = apps.map((a) => a.metadata.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new GoTemplateError(`ApplicationSet ${appSet.metadata?.name} generates two Applications named "${dup}" (a cluster matched by two generators)`);
  return apps;
}
