import { ApiObject, ApiObjectProps } from 'cdk8s';
import { clusterSecretStore, renderClusterIdentities } from '../cluster/addon-identities';
import type { FleetCluster } from '../cluster/fleet-cluster';
import { PlatformGraph } from '../graph/platform-graph';
import { withoutCreationStacks } from '../terraform/creation-stacks';
import { writeSecretStoreEntry } from '../terraform/secret-store-writer';

/** The object of a fleet cluster's chart the render stage replaces on every pass. */
const SECRET_STORE = 'platform-secret-store';

/**
 * Renders a fleet cluster's own per-pass objects: the add-on identities that target it and
 * the tenants' PushSecret grants, its ClusterSecretStore (with Vault, External Secrets there
 * authenticates at the cluster's own JWT mount), and the secret-store entry with its
 * connection facts and outputs (the one writer of that entry).
 */
export function renderFleetCluster(graph: PlatformGraph, f: FleetCluster): void {
  const server = f.aks ? f.aks.access.host : f.eks!.cluster.endpoint;
  const caData = f.aks ? f.aks.cluster.kubeConfig.get(0).clusterCaCertificate : f.eks!.cluster.certificateAuthority.get(0).data;
  const pushKeys = graph.tenantsOn(f).map((t) => t.remoteKey);
  const identities = withoutCreationStacks(() => renderClusterIdentities(f, pushKeys));
  f.chart.node.tryRemoveChild(SECRET_STORE);
  const store = clusterSecretStore(f);
  if (store) new ApiObject(f.chart, SECRET_STORE, store as unknown as ApiObjectProps);
  const outputs = { ...f._declaredOutputValues(), ...identities };
  writeSecretStoreEntry(f.stack, f.platform.secretStore, 'registration', `cluster-${f.name}`, { server, caData, ...f._accessFacts(), ...outputs });
}
