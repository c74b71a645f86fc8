import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { fail, messages } from '../core/errors';
import { checkCloudTags, checkDnsLabel } from '../core/validate';
import { Quantity } from '../model/quantity';
import { cidrsOverlap, Cidr, parseCidr } from '../core/cidr';
import { markKind, NodeKind } from '../graph/kinds';
import type { IHostCluster } from '../model/references';
import { ApiAccess, Cloud, CloudProvider } from '../model/cloud';
import { eksSystemMinCount, untainted } from '../model/node-pools';
import { checkLabels, IPlatformCluster, markCluster, Platform } from '../platform';
import { AksInfra, renderAks } from '../terraform/aks';
import { configureBackend } from '../terraform/backend';
import { ApiEndpointSpec, POD_CIDR, SERVICE_CIDR } from '../terraform/cluster-infra';
import { EksInfra, renderEks } from '../terraform/eks';
import { eksClusterRoleNames, IAM_ROLE_NAME_LIMIT, IamRoleName } from '../terraform/iam-role-names';
import { TerraformStack } from '../terraform/cdktf';
import { withoutCreationStacks } from '../terraform/creation-stacks';
import { checkChild, checkProps } from '../core/data';
import { renderEksDefaultStorageClass } from './storage-class';
import { clusterProviders, requireProviders } from '../terraform/providers';

/** Props common to every provisioned cluster. */
export interface ClusterProps {
  /** Where and how the cluster is provisioned. */
  readonly cloud: Cloud;
  /**
   * The cluster name: Argo CD cluster name, output folder and Terraform state key (a DNS label).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The environment (one of the platform's environments).
   * @default - the platform's last environment (e.g. `prod`)
   */
  readonly environment?: string;
  /**
   * Extra labels on the cluster's Argo CD registration (e.g. stack opt-ins `security-basic: enabled`).
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Extra cloud tags for this cluster's resources.
   * @default - the platform's tags only
   */
  readonly tags?: Record<string, string>;
  /**
   * What tenants may reserve on this cluster in total (sum of their quota requests).
   * @default - not checked
   */
  readonly tenantCapacity?: { readonly cpu?: string; readonly memory?: string };
  /**
   * Terraform's `prevent_destroy` on the cluster resource (`azurerm_kubernetes_cluster`,
   * `aws_eks_cluster`): a plan that would destroy the cluster fails instead, a change that
   * replaces it (AKS replaces a cluster to turn its private API on or off, for one) and
   * `terraform destroy` alike. It guards the state as written: a cluster removed from the
   * declaration takes its state folder with it. Set it to `false`, synth, then `terraform
   * destroy` to take the cluster down (docs/bootstrap.md).
   * @default true
   */
  readonly deletionProtection?: boolean;
}

const RESERVED: { name: string; cidr: Cidr }[] = [
  { name: 'the in-cluster service range', cidr: parseCidr(SERVICE_CIDR)! },
  { name: 'the AKS overlay pod range', cidr: parseCidr(POD_CIDR)! },
];

/**
 * What management and fleet clusters share: validation, the Chart of the
 * cluster's folder, the Terraform stack with its remote backend and the AKS or
 * EKS infrastructure.
 */
export abstract class ClusterBase extends Construct implements IPlatformCluster, IHostCluster {
  /** The cluster name. */
  public readonly name: string;
  /** The cloud settings. */
  public readonly cloud: Cloud;
  /** The cluster's environment. */
  public readonly environment: string;
  /** The platform this cluster belongs to. */
  public readonly platform: Platform;
  /** Escape hatch: add any cdk8s construct here to have it written to `clusters/<name>/`. */
  public readonly chart: Chart;
  /** Escape hatch: add any cdktf resource here to have it in this cluster's Terraform state. */
  public readonly stack: TerraformStack;
  /** The AKS resources, when the cloud is Azure. */
  public readonly aks?: AksInfra;
  /** The EKS resources, when the cloud is AWS. */
  public readonly eks?: EksInfra;

  /**
   * @internal On EKS, the nodes ordinary workloads can run on from the first apply: the untainted node
   * groups' sizes (nothing scales an EKS node group). Undefined on AKS, whose pools autoscale.
   */
  public readonly _eksStartNodes: number | undefined;
  /** What tenants may reserve in total, when declared. */
  public readonly tenantCapacity?: { readonly cpu?: string; readonly memory?: string };
  private readonly userLabels: Record<string, string>;
  /** @internal The tenants hosted here by kind and name (a second one of a name is refused). */
  public readonly _hostedTenants = new Map<string, string>();
  /** @internal The cluster's address range, parsed once. */
  public readonly _cidr: Cidr;

  protected constructor(scope: Construct, id: string, props: ClusterProps) {
    super(checkChild(scope, id), id);
    const here = this.node.path;
    checkProps(here, props, '{ cloud: Cloud.aks({...}) }');
    this.platform = Platform.of(this);
    this.name = checkDnsLabel(here, 'name', props.name ?? id);
    if (!(props.cloud instanceof Cloud)) {
      fail(here, messages.cluster.cloudFactory(props.cloud));
    }
    this.cloud = props.cloud;
    this._cidr = props.cloud._validate(here);
    for (const r of RESERVED) {
      if (cidrsOverlap(this._cidr, r.cidr)) {
        fail(here, messages.cluster.reservedRangeOverlap(this._cidr.text, r.name, r.cidr.text));
      }
    }
    const envs = this.platform.environments;
    this.environment = props.environment ?? envs[envs.length - 1];
    if (!envs.includes(this.environment)) {
      fail(here, messages.cluster.environment(this.environment, envs));
    }
    checkCloudNames(here, this.name, this.cloud);
    this.userLabels = checkLabels(here, 'labels', props.labels);
    for (const [k, v] of Object.entries(props.tenantCapacity ?? {})) {
      if (Quantity.parse(v) === undefined) fail(here, messages.cluster.tenantCapacity(k, v));
    }
    this.tenantCapacity = props.tenantCapacity ? { ...props.tenantCapacity } : undefined;
    if (props.deletionProtection !== undefined && typeof props.deletionProtection !== 'boolean') fail(here, messages.cluster.deletionProtection(props.deletionProtection));
    const tags = { ...this.platform.tags, ...checkCloudTags(here, 'tags', props.tags), cluster: this.name, environment: this.environment };
    requireProviders(here, `cluster "${this.name}"`, clusterProviders(this.cloud.provider, this.platform.secretStore.kind, this.installsThroughApi));
    markCluster(this);
    // ids follow the construct path (unique by construction), so a duplicate
    // name is reported by the platform's rules, not by a construct clash
    const rootId = this.node.path.split('/').slice(1).join('.');
    this.chart = new Chart(this.platform.cdk8sApp, rootId, { disableResourceNameHashes: true });
    this.stack = new TerraformStack(this.platform.cdktfApp, rootId);
    configureBackend(this.stack, this.platform.terraformBackend, this.name);
    const infra = withoutCreationStacks(() => {
      const spec = {
        name: this.name, cloud: this.cloud, tags, lastEnvironment: this.environment === envs[envs.length - 1], apiEndpoint: this._apiEndpoint(scope),
        minimumWorkloadNodes: this.minimumWorkloadNodes(props), installsThroughApi: this.installsThroughApi,
        deletionProtection: props.deletionProtection ?? true,
      };
      return this.cloud.provider === CloudProvider.AZURE ? { aks: renderAks(this.stack, spec) } : { eks: renderEks(this.stack, spec) };
    });
    this.aks = infra.aks;
    this.eks = infra.eks;
    const eks = this.cloud._eks;
    this._eksStartNodes = eks
      ? eksSystemMinCount(eks.systemNodePool ?? {}, this.minimumWorkloadNodes(props)) + (eks.nodePools ?? []).filter(untainted).reduce((n, pool) => n + (pool.minCount ?? 2), 0)
      : undefined;
    if (this.eks) renderEksDefaultStorageClass(this.chart);
    // its rules (src/rules/cluster-rules.ts) run in this place of the declaration order
    markKind(this, this.routesToAllClusters ? NodeKind.MANAGEMENT_CLUSTER : NodeKind.FLEET_CLUSTER);
  }

  /**
   * @internal The API endpoint to create (runs in the constructor, before the cluster is
   * rendered): the declared access, private by default. Fleet clusters admit their management cluster.
   */
  protected _apiEndpoint(_scope: Construct): ApiEndpointSpec {
    const access = this.cloud.apiAccess ?? ApiAccess.private();
    return { isPrivate: access.isPrivate, authorizedRanges: access.authorizedRanges };
  }

  /**
   * Nodes ordinary workloads can run on that the cluster needs from its first apply (read from
   * the props: called while the base class is constructed).
   */
  protected minimumWorkloadNodes(_props: ClusterProps): number {
    return 0;
  }

  /**
   * True for a cluster whose own state creates objects in it through its API (the management
   * cluster's bootstrap): read while the base class is constructed.
   */
  protected get installsThroughApi(): boolean {
    return false;
  }

  /**
   * True for a cluster that must route to every other cluster (the cockpit reaches
   * each fleet API), so its range may overlap none of theirs.
   */
  protected get routesToAllClusters(): boolean {
    return false;
  }

  /** @internal {@link routesToAllClusters}, for the rules. */
  public get _routesToAllClusters(): boolean {
    return this.routesToAllClusters;
  }

  /**
   * The labels of the cluster's Argo CD registration: `environment`, `cloud`,
   * `region`, `kubernetes-version`, GitOps Bridge's `cluster_name`, `platform-role`
   * (`management` or `fleet`), the platform's labels and the cluster's own (a copy).
   */
  public get labels(): Record<string, string> {
    return {
      ...this.platform.labels,
      'environment': this.environment,
      'cloud': this.cloud.provider,
      'region': this.cloud.region,
      'kubernetes-version': this.cloud.kubernetesVersion,
      'cluster_name': this.name,
      'platform-role': this.routesToAllClusters ? 'management' : 'fleet',
      ...this.userLabels,
    };
  }

}

/**
 * Names the cloud derives from a cluster's name, against the cloud's limits: on AKS the DNS
 * prefix (the name, 54 characters in the azurerm provider) and the node resource group AKS
 * makes (`MC_<resource group>_aks-<name>_<location>`, 80); on EKS the IAM roles every cluster gets.
 */
function checkCloudNames(here: string, name: string, cloud: Cloud): void {
  if (cloud._aks) {
    checkNameLength(here, name, 'the AKS DNS prefix', name, 54);
    checkNameLength(here, name, 'the node resource group AKS creates', `MC_${cloud._aks.resourceGroupName ?? `rg-${name}`}_aks-${name}_${cloud._aks.location}`, 80);
  } else {
    checkIamRoleNames(here, name, Object.values(eksClusterRoleNames(name)));
  }
}

/** IAM role names made from a cluster's name (each with how the message shows it), at most 64 characters. */
export function checkIamRoleNames(here: string, name: string, roles: readonly IamRoleName[]): void {
  for (const role of roles) checkNameLength(here, name, `the IAM role ${role.pattern}`, role.name, IAM_ROLE_NAME_LIMIT);
}

function checkNameLength(here: string, name: string, what: string, value: string, limit: number): void {
  if (value.length > limit) fail(here, messages.cluster.cloudNameTooLong(name, what, value, limit));
}
