import { shortHash } from '../core/files';

/**
 * The names of the IAM roles the library creates, in one place: the states use them, the
 * clusters check their length, and the platform's rules check that no two are the same (IAM
 * role names are unique per AWS account). No provider import: the rules read it too.
 */

/** IAM's limit on a role name. */
export const IAM_ROLE_NAME_LIMIT = 64;

/** An IAM role name made from a cluster's name, with how the messages show its pattern. */
export interface IamRoleName {
  /** The pattern, e.g. `eks-<name>-cluster`. */
  readonly pattern: string;
  /** The role name. */
  readonly name: string;
}

/** The IAM roles of every EKS cluster: the control plane's, the nodes' and the EBS CSI driver's. */
export function eksClusterRoleNames(cluster: string): { cluster: IamRoleName; nodes: IamRoleName; ebsCsi: IamRoleName } {
  return {
    cluster: { pattern: 'eks-<name>-cluster', name: `eks-${cluster}-cluster` },
    nodes: { pattern: 'eks-<name>-nodes', name: `eks-${cluster}-nodes` },
    ebsCsi: { pattern: 'eks-<name>-ebs-csi', name: `eks-${cluster}-ebs-csi` },
  };
}

/** Names of the management cluster's Argo CD identity (the IAM role on EKS, the user-assigned identity on AKS), which fleet stacks look up. */
export function argocdIdentityName(mgmt: string): string {
  return `argocd-${mgmt}`;
}

/** Name of the management cluster's External Secrets identity (IAM role on EKS, user-assigned identity on AKS). */
export function externalSecretsIdentityName(mgmt: string): string {
  return `external-secrets-${mgmt}`;
}

/** The IAM roles of an EKS management cluster: its External Secrets' and its Argo CD's. */
export function eksManagementRoleNames(mgmt: string): { externalSecrets: IamRoleName; argocd: IamRoleName } {
  return {
    externalSecrets: { pattern: 'external-secrets-<name>', name: externalSecretsIdentityName(mgmt) },
    argocd: { pattern: 'argocd-<name>', name: argocdIdentityName(mgmt) },
  };
}

/** The IAM role an AKS management cluster's Argo CD assumes on an EKS fleet cluster (in the fleet's state). */
export function fleetArgocdRoleName(mgmt: string, fleet: string): IamRoleName {
  return { pattern: `argocd-${mgmt}-<name> (its management cluster's name is part of it)`, name: `argocd-${mgmt}-${fleet}` };
}

/** The IAM role of an add-on identity in a cluster's state: `<identity>-<cluster>`, bounded to 64 characters. */
export function addonRoleName(identity: string, cluster: string): string {
  return boundedName(`${identity}-${cluster}`, IAM_ROLE_NAME_LIMIT);
}

/**
 * A cloud resource name of at most `limit` characters: the name itself when it fits, else its
 * start and a hash of the whole name (two long names that share their start stay distinct;
 * IAM role names are unique per account).
 */
export function boundedName(name: string, limit: number): string {
  if (name.length <= limit) return name;
  const hash = shortHash(name);
  return `${name.slice(0, limit - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}
