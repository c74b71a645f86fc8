import { messages, Problem } from '../core/errors';

/**
 * The chart that serves each API group the catalog's manifests use: an entry applying an
 * object of that group needs the chart's controller (and CRDs) on the same cluster.
 */
export const API_PROVIDERS: Readonly<Record<string, { readonly chart: string; readonly builtInOnManagement?: boolean; readonly how: string }>> = {
  'external-secrets.io': { chart: 'external-secrets', builtInOnManagement: true, how: 'Catalog.externalSecrets(platform)' },
  'cert-manager.io': { chart: 'cert-manager', how: 'Catalog.certManager(platform)' },
  'gateway.networking.k8s.io': { chart: 'gateway-helm', how: 'Catalog.gatewayApi(platform)' },
  'monitoring.coreos.com': { chart: 'kube-prometheus-stack', how: 'Catalog.kubePrometheusStack(platform)' },
  'kyverno.io': { chart: 'kyverno', how: 'Catalog.kyverno(platform)' },
};

/** What the rule needs of an entry (no import of the construct, so no cycle). */
export interface ImpliedEntry {
  readonly name: string;
  /** Absent for a manifest-only entry. */
  readonly chart?: { readonly chart: string };
  readonly targets: { matches(labels: Record<string, string>): boolean };
  readonly _allManifests: readonly { readonly apiVersion: string; readonly kind: string }[];
  /** The kinds the entry's own controller watches (as set up by its values) that another chart serves. */
  readonly _watchedKinds: readonly { readonly apiVersion: string; readonly kind: string }[];
  /** Another fix where the watched kinds are missing. */
  readonly _watchAlternative?: string;
}

/** Whether another chart than the entry's own serves the API group of `apiVersion` (its CRDs come with another Application). */
export function servedByAnotherChart(entry: Pick<ImpliedEntry, 'chart'>, apiVersion: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const p = Object.prototype.hasOwnProperty.call(API_PROVIDERS, group) ? API_PROVIDERS[group] : undefined;
  return p !== undefined && p.chart !== entry.chart?.chart;
}

/** The API groups an entry's own manifests use that another chart serves. */
export function impliedGroups(entry: ImpliedEntry): { group: string; kinds: string[] }[] {
  return groupsServedElsewhere(entry, entry._allManifests);
}

/** The API groups of `objects` that another chart than the entry's serves, each with its kinds. */
function groupsServedElsewhere(entry: ImpliedEntry, objects: readonly { readonly apiVersion: string; readonly kind: string }[]): { group: string; kinds: string[] }[] {
  const byGroup = new Map<string, Set<string>>();
  for (const m of objects) {
    if (!servedByAnotherChart(entry, m.apiVersion)) continue;
    const group = m.apiVersion.split('/')[0];
    (byGroup.get(group) ?? byGroup.set(group, new Set()).get(group)!).add(m.kind);
  }
  return [...byGroup].map(([group, kinds]) => ({ group, kinds: [...kinds].sort() }));
}

/** The entries of the platform an entry depends on through its manifests: those serving the API groups it uses. */
export function impliedDependencies<T extends ImpliedEntry>(entry: ImpliedEntry, all: readonly T[]): T[] {
  const charts = new Set(impliedGroups(entry).map((g) => API_PROVIDERS[g.group].chart));
  return all.filter((e) => e !== entry && e.chart !== undefined && charts.has(e.chart.chart));
}

/**
 * Every cluster an entry targets runs what its manifests need: for each API group, an entry
 * with the serving chart that targets the cluster too (External Secrets is built into
 * management clusters).
 */
export function impliedDependencyProblems(path: string, entry: ImpliedEntry, all: readonly ImpliedEntry[],
  clusters: readonly { readonly name: string; readonly path: string; readonly labels: Record<string, string> }[]): Problem[] {
  const problems: Problem[] = [];
  const check = (groups: { group: string; kinds: string[] }[], watched: boolean) => {
    for (const { group, kinds } of groups) {
      const p = API_PROVIDERS[group];
      const providers = all.filter((e) => e !== entry && e.chart?.chart === p.chart);
      for (const c of clusters.filter((x) => entry.targets.matches(x.labels))) {
        if (p.builtInOnManagement && c.labels['platform-role'] === 'management') continue;
        if (providers.some((e) => e.targets.matches(c.labels))) continue;
        const args = [entry.name, kinds, group, c.name, c.path, p.chart, providers.map((e) => e.name), p.how] as const;
        problems.push({ path, message: watched ? messages.catalog.watchedApiMissing(...args, entry._watchAlternative) : messages.catalog.impliedDependency(...args) });
      }
    }
  };
  check(impliedGroups(entry), false);
  // what its controller watches is checked, not ordered: it retries until the CRDs are there (and the
  // entry serving them may itself depend on this one, e.g. the Gateway's Certificate on cert-manager)
  check(groupsServedElsewhere(entry, entry._watchedKinds), true);
  return problems;
}
