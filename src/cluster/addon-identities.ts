import { AddonIdentity } from '../catalog/addon-identity';
import { CloudProvider } from '../model/cloud';
import { SecretStore, SecretStoreKind } from '../model/secret-store';
import { IdentitySpec, renderAddonIdentity, resetIdentities } from '../terraform/addon-identities';
import { platformKeyVault } from '../terraform/secret-store-writer';
import { IConstruct } from 'constructs';
import type { ClusterBase } from './cluster-base';
import { GraphSlot } from '../graph/platform-graph';

const IDENTITIES = new GraphSlot<Map<ClusterBase, { entry: EntryWithIdentity; identity: AddonIdentity }[]>>('add-on identities per cluster');

/** A catalog entry as the identity pass sees it (matched by shape: no import of the entry module). */
interface EntryWithIdentity extends IConstruct {
  readonly name: string;
  readonly namespace: string;
  readonly identity?: AddonIdentity;
  readonly targets: { matches(labels: Record<string, string>): boolean };
}

function hasIdentity(x: unknown): x is EntryWithIdentity & { identity: AddonIdentity } {
  return typeof x === 'object' && x !== null && (x as EntryWithIdentity).identity instanceof AddonIdentity;
}

/**
 * The identities a cluster's state holds: those of the catalog entries that target it and
 * call its own cloud's APIs, or exchange their own token (External Secrets with the store).
 * Entries calling the other cloud are refused by the entry's rules instead.
 */
export function clusterIdentities(cluster: ClusterBase): { entry: EntryWithIdentity; identity: AddonIdentity }[] {
  const graph = cluster.platform._graph();
  const byCluster = graph.derive(IDENTITIES, () => new Map<ClusterBase, { entry: EntryWithIdentity; identity: AddonIdentity }[]>());
  const known = byCluster.get(cluster);
  if (known) return known;
  const labels = cluster.labels;
  const entries: (EntryWithIdentity & { identity: AddonIdentity })[] = (graph.catalogEntries as readonly unknown[]).filter(hasIdentity);
  const found = entries
    .filter((e) => e.targets.matches(labels) && (e.identity.cloud === cluster.cloud.provider || e.identity._crossCloudCapable))
    .map((entry) => ({ entry, identity: entry.identity }));
  byCluster.set(cluster, found);
  return found;
}

/** The cluster outputs the identities of a cluster provide. */
export function identityOutputNames(cluster: ClusterBase): string[] {
  return clusterIdentities(cluster).flatMap((i) => i.identity.outputNames);
}

/** @internal The grants of External Secrets on the platform store: read, and write for the tenants' PushSecrets. */
export function storeGrants(cluster: ClusterBase, store: SecretStore, pushKeys: string[]): Pick<IdentitySpec, 'roles' | 'statements' | 'resourceGroupName' | 'region' | 'webIdentity' | 'vault'> {
  const o = store.options;
  if (store.kind === SecretStoreKind.VAULT) {
    return { roles: [], statements: [], vault: { server: o.server, mount: o.path, authMount: store._vaultJwtMount(cluster.name), readPrefix: store._remoteKey(''), pushKeys } };
  }
  if (store.kind === SecretStoreKind.AZURE_KEY_VAULT) {
    const vault = platformKeyVault(cluster.stack, store).id;
    return {
      roles: [{ roleDefinitionName: 'Key Vault Secrets User', scope: vault }, ...(pushKeys.length ? [{ roleDefinitionName: 'Key Vault Secrets Officer', scope: vault }] : [])],
      statements: [],
      resourceGroupName: o.resourceGroupName,
    };
  }
  const base = `arn:<partition>:secretsmanager:${o.region}:*:secret:`;
  // Secrets Manager appends "-" and six random characters to a secret's ARN
  const pushed = pushKeys.map((k) => `${base}${k}-??????`);
  return {
    roles: [],
    statements: [
      { actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: [`${base}${o.prefix}*`] },
      // DeleteResourcePolicy: External Secrets (2.2 and later) deletes a pushed secret's resource policy on every
      // write to an existing secret when the PushSecret declares none, and fails the push without the right
      ...(pushed.length ? [{ actions: ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:TagResource', 'secretsmanager:DeleteSecret', 'secretsmanager:DeleteResourcePolicy'], resources: pushed }] : []),
    ],
    region: o.region,
    webIdentity: true,
  };
}

/**
 * Renders the identities of a cluster into its state (replacing the last render's) and
 * returns their outputs (name -> Terraform expression). `pushKeys`: the store entries the
 * tenants hosted on the cluster push through its External Secrets. `ownStoreReader`: the
 * service account of an External Secrets the cluster installs itself (the management cluster's).
 */
export function renderClusterIdentities(cluster: ClusterBase, pushKeys: string[], ownStoreReader?: { readonly name: string; readonly namespace: string }): Record<string, string> {
  resetIdentities(cluster.stack);
  const out: Record<string, string> = {};
  const store = cluster.platform.secretStore;
  // the management cluster's own External Secrets (installed with Argo CD, not a catalog entry):
  // with Vault it authenticates at the cluster's JWT mount like a fleet cluster's
  if (ownStoreReader && store.kind === SecretStoreKind.VAULT) {
    renderAddonIdentity(cluster.stack, { name: cluster.name, aks: cluster.aks, eks: cluster.eks }, {
      name: 'external-secrets', cloud: undefined, namespace: ownStoreReader.namespace, serviceAccount: ownStoreReader.name, ...storeGrants(cluster, store, pushKeys),
    });
  }
  for (const { entry, identity } of clusterIdentities(cluster)) {
    const base = { name: identity.name, cloud: identity.cloud, namespace: entry.namespace, serviceAccount: identity.serviceAccount };
    const spec: IdentitySpec = identity._store
      ? { ...base, ...storeGrants(cluster, store, pushKeys) }
      : { ...base, roles: identity._roles, statements: identity._statements };
    Object.assign(out, renderAddonIdentity(cluster.stack, { name: cluster.name, aks: cluster.aks, eks: cluster.eks }, spec));
  }
  return out;
}

/** The ClusterSecretStore `platform` a cluster's own folder holds (Vault: per-cluster JWT auth), if any. */
export function clusterSecretStore(cluster: ClusterBase): Record<string, unknown> | undefined {
  const store = cluster.platform.secretStore;
  if (store.kind !== SecretStoreKind.VAULT || !managesStoreIdentity(cluster)) return undefined;
  const entry = clusterIdentities(cluster).find((i) => i.identity._store !== undefined)!;
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: { name: 'platform', annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' } },
    spec: { provider: store._vaultJwtProvider({ name: entry.identity.serviceAccount, namespace: entry.entry.namespace }, cluster.name) },
  };
}

/** True when External Secrets on this cluster runs with an identity the library manages. */
export function managesStoreIdentity(cluster: ClusterBase): boolean {
  return clusterIdentities(cluster).some((i) => i.identity._store !== undefined);
}

/** The cloud label value of a declared cluster ('azure' or 'aws'), for messages. */
export function cloudName(cloud: CloudProvider): string {
  return cloud === CloudProvider.AZURE ? 'Azure' : 'AWS';
}
