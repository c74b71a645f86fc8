import { createHash } from 'node:crypto';

/**
 * The labels vCluster 0.35 sets on every object it syncs from a virtual namespace to the host
 * (`MarkerLabel` and `NamespaceLabel`, pkg/util/translate/types.go): the vCluster's name, and
 * the virtual namespace. A label of either name on the virtual object is renamed, so a tenant
 * cannot set them.
 */
export const VCLUSTER_MANAGED_BY = 'vcluster.loft.sh/managed-by';
export const VCLUSTER_NAMESPACE = 'vcluster.loft.sh/namespace';

/** The longest name vCluster gives a synced object on the host before it shortens it with a hash. */
const MAX_HOST_NAME = 63;

/**
 * The name on the host of an object the open-source vCluster (0.35) syncs from a namespace of
 * the virtual cluster into its host namespace, a Service among them: `<name>-x-<namespace>-x-<release>`,
 * where `<release>` is the virtual cluster's name, its Helm release. A name longer than 63
 * characters becomes its first 52 characters, a dash and the first 10 hex digits of the SHA-256
 * of the whole name (any `.-` that leaves then becomes `-`; Kubernetes names of Services and
 * namespaces hold no dot, so nothing does here).
 *
 * Facts from the vCluster source (tag v0.35.3): `pkg/mappings/resources/services.go` names a
 * synced Service with the default translator's `HostName`; with `sync.toHost.namespaces` off that
 * is the single-namespace translator (`pkg/setup/config/config.go`; the multi-namespace one is a
 * Pro feature), whose `HostName` is `SingleNamespaceHostName` in
 * `pkg/util/translate/single_namespace.go`, built by `SafeConcatName` in
 * `pkg/util/translate/translate.go`; its suffix is `VClusterName`, set from the `VCLUSTER_NAME`
 * environment variable, which `chart/templates/statefulset.yaml` sets to the release name.
 * @see https://github.com/loft-sh/vcluster/blob/v0.35.3/pkg/util/translate/single_namespace.go
 */
export function vclusterHostName(name: string, namespace: string, release: string): string {
  const full = [name, 'x', namespace, 'x', release].join('-');
  if (full.length <= MAX_HOST_NAME) return full;
  const digest = createHash('sha256').update(full).digest('hex');
  return `${full.slice(0, 52)}-${digest.slice(0, 10)}`.replace(/\.-/g, '-');
}
