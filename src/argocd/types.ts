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
  readonly retry?: SyncRetry;
}

/** `spec.syncPolicy.retry`. */
export interface SyncRetry {
  readonly limit?: number;
  readonly backoff?: { readonly duration?: string; readonly factor?: number; readonly maxDuration?: string };
}

/**
 * The retry of every Application the library renders with automated sync. Argo CD does not
 * retry a failed automated sync on the same commit without one: an apply that failed because a
 * CRD another Application installs was not there yet would stay failed until the next commit.
 * 10 attempts, 30 s apart at first, doubling, at most 10 minutes apart.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/#automatic-retry
 */
export const DEFAULT_SYNC_RETRY: SyncRetry = { limit: 10, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } };

/** The annotation of an object's sync options (comma-separated). */
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';

/** The sync option that skips the dry run of an object whose CRD is not there yet (another Application installs it). */
export const SKIP_DRY_RUN = 'SkipDryRunOnMissingResource=true';
/**
 * The sync options of a resource Argo CD never deletes: removed from Git, it stays (its
 * Application shows it as needing a prune), and its Application's deletion leaves it too (the
 * cascade of `resources-finalizer`), until someone deletes it. On what holds data a removal from
 * code must not take along.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#no-prune-resources
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#no-resource-deletion
 */
export const KEEP_ON_REMOVAL = 'Prune=false,Delete=false';

/** The sync options of an object's annotations (comma-separated), each trimmed. */
export function syncOptionsOf(annotations: Readonly<Record<string, unknown>> | undefined): string[] {
  return String(annotations?.[SYNC_OPTIONS_ANNOTATION] ?? '').split(',').map((o) => o.trim()).filter((o) => o !== '');
}

/**
 * Annotations with `option` added to the sync options already there (comma-separated, once):
 * never replaces an object's own options.
 */
export function withSyncOption(annotations: Readonly<Record<string, string>> | undefined, option: string): Record<string, string> {
  const options = syncOptionsOf(annotations);
  const key = option.split('=')[0];
  if (options.some((o) => o.split('=')[0] === key)) return { ...annotations };
  return { ...annotations, [SYNC_OPTIONS_ANNOTATION]: [...options, option].join(',') };
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
