// How vCluster 0.35.3 (open source, every virtual namespace synced into the vCluster's one host
// namespace) writes a Service of a virtual namespace to the host: the rules as read in its
// source, written here from that reading (no code of vCluster's is copied).
//
// - Name: the Service mapper (pkg/mappings/resources/services.go) asks the single-namespace
//   translator for the host name (pkg/util/translate/single_namespace.go, `HostName`, through
//   `SingleNamespaceHostName`): `SafeConcatName(name, "x", namespace, "x", vClusterName)`
//   (pkg/util/translate/translate.go), the parts joined with "-"; when that is longer than 63
//   characters, its first 52 characters, "-" and the first 10 hex digits of the SHA-256 of the
//   whole joined string, with every ".-" then turned into "-". Only `default/kubernetes` is
//   mapped otherwise (to the vCluster's own Service).
// - Namespace: the vCluster's host namespace (`HostNamespace`).
// - Labels (`HostMetadata` in translate.go, `HostLabelsMap` in labels.go): every virtual label
//   is kept under its own key, except the keys the translator rewrites (`LabelsToTranslate`:
//   `release` and vCluster's own `vcluster.loft.sh/namespace`, `vcluster.loft.sh/managed-by`,
//   `vcluster.loft.sh/controlled-by`), which become `vcluster.loft.sh/label-<vCluster>-x-<first 10
//   hex digits of the SHA-256 of the key>` (`HostLabel`); then `vcluster.loft.sh/managed-by:
//   <vCluster name>` and `vcluster.loft.sh/namespace: <virtual namespace>` are set, over anything
//   the virtual object carried.
// - Spec (pkg/controllers/resources/services/translate.go): the selector goes through the same
//   label map (so it gains the two labels, as the synced pods do); the ports are kept, names
//   included (node ports cleared).
// The vCluster's name is its Helm release name (the chart passes `VCLUSTER_NAME` to the syncer,
// pkg/setup/config/config.go sets it as the translator's name), which the library makes the
// tenant's host namespace.
import { createHash } from 'node:crypto';

const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');

/** vCluster's `SafeConcatName` rule, as described above. */
export function safeConcatName(...parts: string[]): string {
  const full = parts.join('-');
  if (full.length <= 63) return full;
  return `${full.slice(0, 52)}-${sha256Hex(full).slice(0, 10)}`.replaceAll('.-', '-');
}

/** The host name of an object of virtual namespace `namespace` (single-namespace mode). */
export function vclusterHostName(name: string, namespace: string, vcluster: string): string {
  return safeConcatName(name, 'x', namespace, 'x', vcluster);
}

const TRANSLATED_KEYS = new Set(['release', 'vcluster.loft.sh/namespace', 'vcluster.loft.sh/managed-by', 'vcluster.loft.sh/controlled-by']);

/** The host labels of an object of virtual namespace `namespace`, from its virtual labels. */
export function vclusterHostLabels(labels: Record<string, string>, namespace: string, vcluster: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    out[TRANSLATED_KEYS.has(k) ? safeConcatName('vcluster.loft.sh/label', vcluster, 'x', sha256Hex(k).slice(0, 10)) : k] = v;
  }
  return { ...out, 'vcluster.loft.sh/managed-by': vcluster, 'vcluster.loft.sh/namespace': namespace };
}

interface ServiceLike {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec: { selector?: Record<string, string>; ports?: { name?: string; port: number; targetPort?: number | string; nodePort?: number }[] };
}

/** The Service vCluster creates on the host for a Service of the virtual cluster. */
export function vclusterHostService(virtual: ServiceLike, hostNamespace: string, vcluster: string) {
  const ns = virtual.metadata.namespace ?? 'default';
  return {
    metadata: {
      name: vclusterHostName(virtual.metadata.name, ns, vcluster),
      namespace: hostNamespace,
      labels: vclusterHostLabels(virtual.metadata.labels ?? {}, ns, vcluster),
    },
    spec: {
      selector: vclusterHostLabels(virtual.spec.selector ?? {}, ns, vcluster),
      ports: (virtual.spec.ports ?? []).map(({ nodePort: _, ...p }) => p),
    },
  };
}
