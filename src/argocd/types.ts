/**
 * The parts of the Argo CD API (argoproj.io/v1alpha1) this library renders.
 * Hand-written on purpose (see docs/decisions/0003-argocd-types.md); every
 * rendered object is validated against the upstream CRDs in the tests.
 */

/** Argo CD's API group/version. */
export const ARGOCD_API_VERSION = 'argoproj.io/v1alpha1';
/** Namespace Argo CD runs in. */
export const ARGOCD_NAMESPACE = 'argocd';

/** `spec.source` / `spec.sources[]` of an Application. */
export interface ApplicationSource {
  readonly repoURL: string;
  readonly targetRevision: string;
  readonly path?: string;
  readonly chart?: string;
  readonly ref?: string;
  readonly directory?: { readonly recurse?: boolean };
  readonly helm?: {
    readonly releaseName?: string;
    readonly valueFiles?: string[];
    readonly valuesObject?: Record<string, unknown>;
  };
}

/** `spec.destination`. */
export interface ApplicationDestination {
  readonly name?: string;
  readonly server?: string;
  readonly namespace?: string;
}

/** `spec.syncPolicy`. */
export interface SyncPolicy {
  readonly automated?: { readonly prune?: boolean; readonly selfHeal?: boolean };
  readonly syncOptions?: string[];
  readonly retry?: { readonly limit?: number; readonly backoff?: { readonly duration?: string; readonly factor?: number; readonly maxDuration?: string } };
}

/** `spec` of an Application. */
export interface ApplicationSpec {
  readonly project: string;
  readonly source?: ApplicationSource;
  readonly sources?: ApplicationSource[];
  readonly destination: ApplicationDestination;
  readonly syncPolicy?: SyncPolicy;
  readonly revisionHistoryLimit?: number;
}

/** A group/kind pair in AppProject lists. */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
  /** Cluster-scoped lists only (Argo CD 3.3+): the resource names (a glob) the entry covers. */
  readonly name?: string;
}

/** `spec` of an AppProject. */
export interface AppProjectSpec {
  readonly description?: string;
  readonly sourceRepos: string[];
  readonly destinations: ApplicationDestination[];
  readonly clusterResourceWhitelist?: GroupKind[];
  readonly clusterResourceBlacklist?: GroupKind[];
  readonly namespaceResourceBlacklist?: GroupKind[];
  readonly sourceNamespaces?: string[];
  readonly roles?: { readonly name: string; readonly description?: string; readonly groups?: string[]; readonly policies?: string[] }[];
  readonly orphanedResources?: { readonly warn?: boolean };
}
