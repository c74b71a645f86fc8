import type { Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';
import type { ClusterSelector } from '../catalog/cluster-selector';
import type { Platform } from '../platform';
import type { TerraformStack } from '../terraform/cdktf';

/**
 * The references between the platform's model objects. Relationships are typed through these
 * interfaces, so a construct of your own can take and hand them on (a "team environment" that
 * makes a tenant and its services, given the host cluster): a tenant takes its host as
 * `host` and a team service its tenant as `tenant`, instead of being declared inside them.
 */

/** A cluster catalog entries and tenants can target; also what {@link FleetCluster.fromName} returns. */
export interface IFleetCluster extends IConstruct {
  /** The Argo CD cluster name. */
  readonly name: string;
  /** The labels of its registration (a copy). */
  readonly labels: Record<string, string>;
  /** Its environment, when known. */
  readonly environment?: string;
}

/** A cluster the platform provisions and renders into (a management or fleet cluster): a host for tenants. */
export interface IHostCluster extends IFleetCluster {
  /** Its environment. */
  readonly environment: string;
  /** The platform it belongs to. */
  readonly platform: Platform;
  /** Escape hatch: the cdk8s Chart of its folder `clusters/<name>/`. */
  readonly chart: Chart;
  /** Escape hatch: its Terraform state. */
  readonly stack: TerraformStack;
}

/** A management cluster: the Argo CD that steers its fleet, its tenants and the catalog. */
export interface IManagementCluster extends IHostCluster {
  /** The fleet clusters it steers, in declaration order. */
  readonly fleet: readonly IHostCluster[];
  /** The vCluster tenants hosted on it or its fleet, in declaration order. */
  readonly tenants: readonly ITenantVCluster[];
}

/** A team's tenant on a host cluster (a virtual cluster or a namespace). */
export interface ITenant extends IConstruct {
  /** The tenant name (unique among the platform's tenants). */
  readonly name: string;
  /** Its namespace on the host. */
  readonly namespace: string;
  /** The host cluster. */
  readonly host: IHostCluster;
  /** The team's SSO groups. */
  readonly owners: string[];
  /** The management cluster whose Argo CD deploys for the tenant. */
  readonly management: IManagementCluster;
}

/** A tenant with its own virtual cluster, registered in Argo CD: what team services deploy into. */
export interface ITenantVCluster extends ITenant {
  /** The virtual cluster's Argo CD cluster name (`vc-<tenant>`). */
  readonly clusterName: string;
  /** The virtual cluster's environment. */
  readonly environment: string;
  /** The labels of its registration. */
  readonly labels: Record<string, string>;
}

/** A service catalog entry: an add-on the platform deploys to the clusters its selector matches. */
export interface ICatalogEntry extends IConstruct {
  /** The entry name (the ApplicationSet and the catalog folder). */
  readonly name: string;
  /** The namespace it installs into. */
  readonly namespace: string;
  /** The clusters it targets, as a selector. */
  readonly targets: ClusterSelector;
  /** The Argo CD cluster names it targets, in declaration order. */
  readonly targetedClusters: string[];
  /** The AppProject its Applications belong to. */
  readonly project: string;
}
