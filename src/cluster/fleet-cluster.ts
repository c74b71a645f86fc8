import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { fail, messages } from '../core/errors';
import { checkAnnotationMap, checkDnsLabel } from '../core/validate';
import { CloudProvider } from '../model/cloud';
import { checkLabels } from '../platform';
import { markKind, NodeKind } from '../graph/kinds';
import { withoutCreationStacks } from '../terraform/creation-stacks';
import { FleetAccess, grantManagementAccess, trustManagementIssuer } from '../terraform/fleet-access';
import { ApiEndpointSpec } from '../terraform/cluster-infra';
import { fleetArgocdRoleName } from '../terraform/iam-role-names';
import { fleetAuthorizedRanges, managementEgressCidrs } from '../terraform/reachability';
import { clusterSecretStore, identityOutputNames } from './addon-identities';
import { checkIamRoleNames, ClusterBase, ClusterProps } from './cluster-base';
import type { ManagementCluster } from './management-cluster';
import type { IFleetCluster } from '../model/references';
import { checkChild, checkList } from '../core/data';
import { ClusterOutput, OUTPUT_NAME } from '../model/cluster-output';

export { ClusterOutput } from '../model/cluster-output';

export type { IFleetCluster } from '../model/references';

/**
 * Attributes of a cluster registered by other means. The library does not create its Argo CD
 * cluster Secret, so it knows that Secret only by what is declared here: selectors, the rules and
 * the offline expansion (`Testing`, PLATFORM.md) see these labels and outputs and nothing more.
 */
export interface ImportedClusterAttributes {
  /**
   * The labels of its Argo CD cluster Secret, for selectors. A catalog entry reaches it only when
   * they include `environment` (one cluster generator per environment selects on it); its
   * `clusterValues` also need `cluster_name: <name>`, and `ClusterSelector.clusters([...])` selects by
   * that label too. Declare only labels the Secret carries.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Its environment. The catalog's ApplicationSets select by the `environment` label, not by this:
   * when both are given they must agree.
   * @default - the `environment` label, when declared
   */
  readonly environment?: string;
  /**
   * The cluster outputs its Argo CD cluster Secret carries as annotations, for entries whose
   * values read them with `ClusterOutput.named(...)`.
   * @default - none
   */
  readonly outputs?: string[];
}

class ImportedCluster extends Construct implements IFleetCluster {
  constructor(scope: Construct, id: string, public readonly name: string, private readonly attrs: ImportedClusterAttributes) {
    super(checkChild(scope, id), id);
    markKind(this, NodeKind.IMPORTED_CLUSTER);
  }

  public get labels(): Record<string, string> {
    return { ...this.attrs.labels };
  }

  public get environment(): string | undefined {
    return this.attrs.environment ?? this.attrs.labels?.environment;
  }

  /** @internal The outputs declared on import (annotation keys of its cluster Secret). */
  public get _outputs(): string[] {
    return [...this.attrs.outputs ?? []];
  }
}

/** Props of {@link FleetCluster}. */
export interface FleetClusterProps extends ClusterProps {
  /** The cluster's environment (one of the platform's environments). */
  readonly environment: string;
  /**
   * Add-ons turned on in the GitOps Bridge convention: each becomes an `enable_<addon>: "true"` label.
   * @default - none
   * @see https://github.com/gitops-bridge-dev/gitops-bridge
   */
  readonly addons?: string[];
  /**
   * Extra annotations on the cluster's Argo CD registration.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
  /**
   * Pins the cluster to one application controller shard of the management Argo CD
   * (0-based, below the controller replicas): the `shard` field of its cluster Secret.
   * @default - the sharding algorithm assigns it
   * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/high_availability/#argocd-application-controller
   */
  readonly argocdShard?: number;
}

const RESERVED_FACTS = new Set(['server', 'cadata', 'argocdclientid', 'argocdtenantid', 'argocdrolearn']);

/**
 * A workload cluster steered by a ManagementCluster: its own Terraform state, and a
 * registration in the management Argo CD without credentials in Git. The fleet
 * stack writes the API server URL and CA into the platform secret store and grants
 * the management Argo CD's cloud identity access; the management folder holds an
 * ExternalSecret that templates the Argo CD cluster Secret.
 */
export class FleetCluster extends ClusterBase implements IFleetCluster {
  /** A cluster registered by other means, so catalog entries and tenants can target it. */
  public static fromName(scope: Construct, id: string, name: string, attrs: ImportedClusterAttributes = {}): IFleetCluster {
    checkChild(scope, id);
    const path = `${scope.node.path || 'platform'}/${id}`;
    checkDnsLabel(path, 'name', name);
    checkLabels(path, 'labels', attrs.labels);
    const label = attrs.labels?.environment;
    if (attrs.environment !== undefined && label !== undefined && attrs.environment !== label) fail(path, messages.cluster.importedEnvironment(attrs.environment, label));
    const outputs = checkList<string>(path, 'outputs', attrs.outputs ?? [], '["ingress_ip"]');
    outputs.forEach((o, i) => {
      if (typeof o !== 'string' || !OUTPUT_NAME.test(o)) fail(path, messages.cluster.importedOutput(i, o));
    });
    return new ImportedCluster(scope, id, name, { ...attrs, labels: { ...attrs.labels }, outputs: [...outputs] });
  }

  /** The management cluster that steers this cluster. */
  public readonly management: ManagementCluster;
  private readonly access: FleetAccess;
  private readonly addons: string[];
  private readonly extraAnnotations: Record<string, string>;
  /** The controller shard the cluster is pinned to, if any. */
  public readonly argocdShard?: number;
  private readonly _outputs = new Map<string, ClusterOutput>();

  constructor(management: ManagementCluster, id: string, props: FleetClusterProps) {
    super(management, id, props);
    const here = this.node.path;
    this.management = management;
    // the IAM role an AKS management cluster's Argo CD assumes on an EKS fleet cluster
    if (this.cloud._eks && management.cloud._aks) checkIamRoleNames(here, this.name, [fleetArgocdRoleName(management.name, this.name)]);
    this.addons = [...checkList<string>(here, 'addons', props.addons ?? [], '["cert_manager"]')];
    this.addons.forEach((a, i) => {
      if (!/^[a-z][a-z0-9_]{0,55}$/.test(a)) {
        fail(here, messages.cluster.addonName(i, a));
      }
    });
    this.extraAnnotations = checkAnnotationMap(here, 'annotations', props.annotations);
    if (props.argocdShard !== undefined) {
      if (typeof props.argocdShard !== 'number' || !Number.isInteger(props.argocdShard) || props.argocdShard < 0) {
        fail(here, messages.cluster.argocdShard(props.argocdShard));
      }
      this.argocdShard = props.argocdShard;
    }
    this.access = withoutCreationStacks(() => {
      // AKS cockpit -> EKS fleet: the cockpit's state owns the IAM OIDC provider for its issuer
      // (one per URL in an account), the fleet's looks it up
      if (this.eks && management.aks) trustManagementIssuer(management.stack, management.aks, this.cloud.region);
      return grantManagementAccess(this.stack, { name: this.name, aks: this.aks, eks: this.eks }, management._ref());
    });
    this.addOutput('oidc_issuer_url', this.aks ? this.aks.cluster.oidcIssuerUrl : this.eks!.cluster.identity.get(0).oidc.get(0).issuer);
    if (this.eks) this.addOutput('aws_vpc_id', this.eks.vpc.id);
  }

  /**
   * @internal The fleet API admits the management cluster's Argo CD: a public endpoint for
   * the management cluster's egress addresses (read from its state) and the declared ranges,
   * or a private one the user connects (`ApiAccess.privateConnected()`); a plain private
   * endpoint nothing connects is refused.
   */
  protected override _apiEndpoint(scope: Construct): ApiEndpointSpec {
    const mgmt = scope as ManagementCluster;
    const access = this.cloud.apiAccess;
    if (access?.isPrivate) {
      // Argo CD's traffic comes from the management cluster's network (its nodes', or its pods' own VPC addresses)
      if (access.connectedByUser) return { isPrivate: true, authorizedRanges: [], connectedFrom: [mgmt.cloud.networkCidr] };
      fail(this.node.path, messages.privateFleetApi(mgmt.name, `${mgmt.cloud.provider} ${mgmt.cloud.region}`, `${this.cloud.provider} ${this.cloud.region}`));
    }
    const egress = managementEgressCidrs(this.stack, this.platform.terraformBackend, mgmt.name);
    return { isPrivate: false, authorizedRanges: fleetAuthorizedRanges(access?.authorizedRanges ?? [], egress) };
  }

  /**
   * Declares a typed output: `value` (usually a Terraform expression of a resource in
   * `this.stack`) is written to the secret store and appears as the annotation `name`
   * on the cluster's registration. Names are unique per cluster.
   */
  public addOutput(name: string, value: string): ClusterOutput {
    const here = this.node.path;
    if (!OUTPUT_NAME.test(name) || RESERVED_FACTS.has(name.toLowerCase())) {
      fail(here, messages.cluster.outputName(name));
    }
    if (this._outputs.has(name)) fail(here, messages.cluster.outputNameTaken(name));
    const out = new ClusterOutput(name, value);
    this._outputs.set(name, out);
    return out;
  }

  /**
   * The outputs: built in (`oidc_issuer_url`, and `aws_vpc_id` on EKS), declared, and those of
   * the add-on identities the library creates here (e.g. `external_dns_client_id`).
   */
  public get outputs(): Record<string, ClusterOutput> {
    return { ...Object.fromEntries(identityOutputNames(this).map((n) => [n, ClusterOutput.named(n)])), ...Object.fromEntries(this._outputs) };
  }

  /** Registration labels, with the GitOps Bridge `enable_<addon>` labels. */
  public override get labels(): Record<string, string> {
    return { ...super.labels, ...Object.fromEntries(this.addons.map((a) => [`enable_${a}`, 'true'])) };
  }

  /** Static annotations of the registration (GitOps Bridge `addons_repo_*` and cloud facts). */
  public get annotations(): Record<string, string> {
    const repo = this.platform.repository;
    const cloud: Record<string, string> = this.cloud.provider === CloudProvider.AWS
      ? { aws_cluster_name: this.name, aws_region: this.cloud.region }
      : { azure_location: this.cloud.region };
    return {
      addons_repo_url: repo.url,
      addons_repo_revision: repo.revision,
      addons_repo_basepath: repo.path,
      cluster_name: this.name,
      environment: this.environment,
      ...cloud,
      ...this.extraAnnotations,
    };
  }

  /** @internal What the management cluster renders for this registration (plain values). */
  public _registration() {
    return {
      name: this.name,
      remoteKey: this.platform.secretStore._remoteKey(`cluster-${this.name}`),
      auth: this.access.auth,
      region: this.cloud.region,
      labels: this.labels,
      annotations: this.annotations,
      outputAnnotations: [...new Set([...this._outputs.keys(), ...identityOutputNames(this)])],
      authFacts: Object.keys(this.access.facts),
      // a tenant hosted here always has objects in the folder (its namespace, quota and policies),
      // whether or not this pass rendered them (an incremental synth keeps unchanged tenants' files)
      hasFolder: this.hostsTenants() || this.chart.node.findAll().some((c) => ApiObject.isApiObject(c)) || clusterSecretStore(this) !== undefined,
      shard: this.argocdShard,
    };
  }

  private hostsTenants(): boolean {
    const graph = this.platform._graph();
    return graph.tenantsOn(this).length > 0 || graph.namespaceTenants.some((t) => t.host === this);
  }

  /** @internal The names of the outputs declared with {@link addOutput}. */
  public get _declaredOutputs(): string[] {
    return [...this._outputs.keys()];
  }

  /** @internal The declared outputs' values (name -> Terraform expression). */
  public _declaredOutputValues(): Record<string, string> {
    return Object.fromEntries([...this._outputs.values()].map((o) => [o.name, o._value]));
  }

  /** @internal The connection facts of the management cluster's access, for the secret store entry. */
  public _accessFacts(): Record<string, string> {
    return { ...this.access.facts };
  }
}

/** @internal */
export function isFleetCluster(x: unknown): x is FleetCluster {
  return x instanceof FleetCluster;
}
