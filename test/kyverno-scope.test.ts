// The baseline Kyverno policies guard the tenants' namespaces, where the teams' workloads run.
// Enforced on every namespace, they refused the platform's own pods in the last environment:
// Argo CD's (no resources set), the charts' install hooks (no probes), cert-manager's solver pods.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { expandTree } from '../src/testing/applications';
import { labelsMatch } from '../src/core/selector';
import { manifests } from './support/fixtures';
import { exampleOutput } from './support/rendered-platforms';

type Labels = Record<string, string>;
interface Selector { matchLabels?: Labels; matchExpressions?: { key: string; operator: string; values?: string[] }[] }

describe('the baseline policies guard the tenants\' namespaces, not the platform\'s own', () => {
  it.each(['aws', 'azure'] as const)('examples/%s: every tenant namespace is matched in every environment, no namespace the platform deploys into is', async (name) => {
    const files = await exampleOutput(name);
    const policies = [...files].filter(([f]) => /^catalog\/kyverno\/manifests\/[^/]+\/clusterpolicy-/.test(f)).map(([f, t]) => ({ file: f, obj: parse(t) }));
    expect(policies.length).toBeGreaterThan(0);
    // the namespaces as Kubernetes labels them: the library's own Namespace objects (tenants'), and those Argo CD creates (CreateNamespace: no labels of ours)
    const declared = new Map<string, Labels>(manifests(files).filter(({ obj }) => obj.kind === 'Namespace').map(({ obj }) => [obj.metadata.name, { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name }]));
    const tenantNamespaces = [...declared].filter(([, l]) => l.tenant !== undefined).map(([n]) => n);
    expect(tenantNamespaces.length).toBeGreaterThan(0);
    // where the platform's own Applications deploy (catalog entries, Argo CD, External Secrets), by the offline expansion
    const platformNamespaces = [...new Set(expandTree(files).filter((a) => a.project === 'platform' && a.namespace).map((a) => a.namespace!))].filter((n) => !tenantNamespaces.includes(n));
    expect(platformNamespaces).toEqual(expect.arrayContaining(['argocd', 'cert-manager']));
    const labelsOf = (ns: string) => declared.get(ns) ?? { 'kubernetes.io/metadata.name': ns };
    for (const { file, obj } of policies) {
      for (const rule of obj.spec.rules) {
        // no namespaceSelector: every namespace
        const selector: Selector | undefined = rule.match.any[0].resources.namespaceSelector;
        const matched = (ns: string) => selector === undefined || labelsMatch(selector.matchLabels, selector.matchExpressions, labelsOf(ns), () => false);
        for (const ns of tenantNamespaces) expect(matched(ns), `${file}: tenant namespace ${ns}`).toBe(true);
        for (const ns of platformNamespaces) expect(matched(ns), `${file}: platform namespace ${ns}`).toBe(false);
      }
    }
    // the last environment still enforces (the others audit)
    expect(new Set(policies.filter((p) => p.file.includes('/prod/')).flatMap((p) => p.obj.spec.rules.map((r: any) => r.validate.failureAction)))).toEqual(new Set(['Enforce']));
  });
});
