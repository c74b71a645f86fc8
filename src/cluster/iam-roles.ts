import type { AddonIdentity } from '../catalog/addon-identity';
import type { IamRoleText } from '../core/messages/cluster';
import { kindOf, NodeKind } from '../graph/kinds';
import { CloudProvider } from '../model/cloud';
import { SecretStoreKind } from '../model/secret-store';
import { addonRoleName, eksClusterRoleNames, eksManagementRoleNames, fleetArgocdRoleName } from '../terraform/iam-role-names';
import { clusterIdentities } from './addon-identities';
import type { ClusterBase } from './cluster-base';
import type { FleetCluster } from './fleet-cluster';

/** An IAM role the library creates in a cluster's state, and what its name is made of. */
export type ClusterIamRole = IamRoleText;

/**
 * Every IAM role the library names in a cluster's Terraform state: on EKS the cluster's own
 * (`eks-<name>-cluster`, `-nodes`, `-ebs-csi`), a management cluster's External Secrets and Argo
 * CD roles, the role an AKS management cluster's Argo CD assumes on an EKS fleet cluster, and on
 * any cloud the roles of the add-on identities that call AWS (External Secrets with Secrets
 * Manager on AKS too). Roles added through the `stack` escape hatch are the user's, not listed.
 */
export function clusterIamRoles(cluster: ClusterBase): ClusterIamRole[] {
  const own = (r: { pattern: string; name: string }, extra: Partial<ClusterIamRole> = {}): ClusterIamRole =>
    ({ name: r.name, pattern: r.pattern, cluster: cluster.name, path: cluster.node.path, ...extra });
  const roles: ClusterIamRole[] = [];
  if (cluster.cloud.provider === CloudProvider.AWS) {
    roles.push(...Object.values(eksClusterRoleNames(cluster.name)).map((r) => own(r)));
    if (kindOf(cluster) === NodeKind.MANAGEMENT_CLUSTER) roles.push(...Object.values(eksManagementRoleNames(cluster.name)).map((r) => own(r)));
    else {
      const management = (cluster as FleetCluster).management;
      if (management.cloud.provider === CloudProvider.AZURE) roles.push(own(fleetArgocdRoleName(management.name, cluster.name), { management: management.name }));
    }
  }
  for (const { entry, identity } of clusterIdentities(cluster)) {
    if (!makesIamRole(cluster, identity)) continue;
    roles.push({
      name: addonRoleName(identity.name, cluster.name), pattern: '<identity>-<cluster>', cluster: cluster.name,
      path: entry.node.path, addon: { entry: entry.name, identity: identity.name },
    });
  }
  return roles;
}

/** Whether an add-on identity of `cluster` is an IAM role in its state: an AWS identity, not External Secrets' Vault one. */
export function makesIamRole(cluster: ClusterBase, identity: AddonIdentity): boolean {
  return identity.cloud === CloudProvider.AWS && !(identity._store && cluster.platform.secretStore.kind === SecretStoreKind.VAULT);
}
