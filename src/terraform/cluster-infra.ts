import { ITerraformDependable } from 'cdktf';
import { Cloud } from '../model/cloud';

/** What the cloud-specific renderers need to know about a cluster. */
export interface ClusterInfraSpec {
  /** Cluster name (DNS label). */
  readonly name: string;
  /** Where and how. */
  readonly cloud: Cloud;
  /** Cloud tags (platform tags + cluster tags). */
  readonly tags: Record<string, string>;
  /** The API endpoint: private, or public for these ranges (may hold Terraform expressions). */
  readonly apiEndpoint: ApiEndpointSpec;
  /** True for a cluster of the platform's last environment (e.g. prod): zone-redundant defaults. */
  readonly lastEnvironment: boolean;
  /**
   * Nodes ordinary workloads can run on that the cluster must start with (Argo CD's highly
   * available Redis keeps its 3 replicas on separate nodes); raises the default size of a pool
   * nothing scales (EKS's system node group).
   */
  readonly minimumWorkloadNodes?: number;
  /**
   * True for a state that creates objects in its own cluster through the API (the management
   * cluster's bootstrap): on AKS they wait until the runner's role assignment has taken effect.
   */
  readonly installsThroughApi?: boolean;
  /** Terraform's `prevent_destroy` on the cluster resource. */
  readonly deletionProtection?: boolean;
}

/** The API endpoint a renderer creates. */
export interface ApiEndpointSpec {
  /** True for a private endpoint only. */
  readonly isPrivate: boolean;
  /** The ranges a public endpoint admits (a list, or a Terraform list expression). */
  readonly authorizedRanges: string[];
  /**
   * For a private endpoint, the networks beyond the cluster's own that reach it through a path
   * the user provides (the management cluster's, for a `privateConnected()` fleet cluster).
   */
  readonly connectedFrom?: readonly string[];
}

/** How a Terraform provider reaches the cluster's API without static credentials. */
export interface KubernetesAccess {
  /** API server URL (a Terraform expression). */
  readonly host: string;
  /** PEM CA certificate (a Terraform expression). */
  readonly clusterCaCertificate: string;
  /** The exec credential plugin: kubelogin (AKS) or the AWS CLI (EKS). */
  readonly exec: { readonly apiVersion: string; readonly command: string; readonly args: string[] };
  /**
   * What must exist before Terraform installs anything through this API: the runner's RBAC, once
   * it has taken effect (AKS), the nodes ordinary pods run on and the managed add-ons (EKS), so
   * the bootstrap's releases wait for them instead of racing them.
   */
  readonly ready?: ITerraformDependable[];
}

/** Service CIDR inside every cluster (never routed outside it). */
export const SERVICE_CIDR = '172.16.0.0/16';
/** Pod CIDR of AKS overlay networking. */
export const POD_CIDR = '192.168.0.0/16';
