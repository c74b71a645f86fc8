/**
 * Argo CD's own ApplicationSet tests, ported as data: each case names its upstream file,
 * Go test function and sub-case, holds the upstream input and Argo CD's answer, and runs
 * the offline expansion on the same input. Upstream: argoproj/argo-cd at version
 * {@link ARGO_CD_VERSION} (the `VERSION` file of the snapshot read).
 */
import { expandApplicationSet, GeneratorCluster } from '../../src';
import { contextFor, generatorParams, GitRepositoryView } from '../../src/testing/generators';
import { asStringMap, asStringSlice, isStringMap, isStringSlice } from '../../src/testing/go-values';

/** The Argo CD version whose tests are ported. */
export const ARGO_CD_VERSION = 'v3.6.0 (master snapshot 37ee0097, 2026-08-22)';

/** One ported upstream case. */
export interface UpstreamCase {
  /** Upstream file, relative to the argo-cd repository root. */
  readonly file: string;
  /** Go test function. */
  readonly test: string;
  /** Sub-case name (t.Run / table name). */
  readonly name: string;
  /** Runs the offline expansion on the upstream input. */
  readonly run: () => unknown;
  /** Argo CD's result. */
  readonly expected?: unknown;
  /** Compare as a set (upstream asserts ElementsMatch or Argo CD's order is a Go map's, i.e. random). */
  readonly unordered?: boolean;
  /** Argo CD fails here: a fragment of its error message, which ours must contain. */
  readonly upstreamError?: string | RegExp;
  /** Argo CD accepts this but the offline expansion refuses by design: the exact error text expected. */
  readonly refused?: string | RegExp;
  /** How the port differs from the upstream test's harness, when it does. */
  readonly note?: string;
}

/** A Go map[string]string in expected data. */
export const ss = (m: Record<string, string>): Record<string, string> => asStringMap({ ...m });
/** A Go []string in expected data. */
export const sl = (a: string[]): string[] => asStringSlice([...a]);

/** Makes Go container types visible to equality: map[string]string and []string are tagged. */
export function typed(v: unknown): unknown {
  if (Array.isArray(v)) return isStringSlice(v) ? { '[]string': v.map(typed) } : v.map(typed);
  if (v && typeof v === 'object') {
    const inner = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typed(x)]));
    return isStringMap(v) ? { 'map[string]string': inner } : inner;
  }
  return v;
}

/** Parameters of one generator entry, as GenerateParams returns them. */
export function params(gen: any, opts: { clusters?: GeneratorCluster[]; repo?: GitRepositoryView; options?: string[]; appSet?: string } = {}): unknown[] {
  const ctx = contextFor(opts.appSet ?? 'set', opts.options, opts.clusters ?? [], opts.repo);
  const kind = Object.keys(gen).find((k) => k !== 'selector')!;
  return generatorParams(ctx, gen, kind).map((p) => p.params);
}

/** A repository whose folders are exactly `dirs` (the repo-server mock of the upstream tests). */
export function repoOf(dirs: string[]): GitRepositoryView {
  return {
    url: 'RepoURL',
    revision: 'Revision',
    directories: (folder: string) => dirs.filter((d) => folder === '' || d === folder || d.startsWith(`${folder}/`)),
  };
}

/** Expands a one-generator ApplicationSet built from upstream parts. */
export function expand(spec: Record<string, any>, clusters: GeneratorCluster[] = [], name = 'set', namespace = 'argocd'): any[] {
  return expandApplicationSet({ metadata: { name, namespace }, spec: { goTemplate: true, ...spec } }, clusters);
}
