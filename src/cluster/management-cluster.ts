import { checkList, checkRecord } from '../core/data';
import { fail, messages } from '../core/errors';
import { checkDomain, checkPositiveInt, checkString } from '../core/validate';
import { argoCdValues } from '../argocd/argocd-values';
import { ArgoCdUi } from '../argocd/argocd-ui';
import { APPLICATIONS_PER_SHARD, ArgoCdSizing, CLUSTERS_PER_SHARD, ShardingAlgorithm, sizeArgoCd } from '../argocd/sizing';
import type { ServiceCatalogEntry } from '../catalog/service-catalog-entry';
import { GraphSlot } from '../graph/platform-graph';
import { CloudProvider, DEFAULT_AKS_USER_POOL } from '../model/cloud';
import { eksSystemMinCount, untainted } from '../model/node-pools';
import { SecretStoreKind } from '../model/secret-store';
import { Sso } from '../model/sso';
import { GROUP_UNSAFE } from '../tenant/group';
import type { IManagementCluster } from '../model/references';
import { Platform } from '../platform';
import { servicesByCluster } from '../service/service-index';
import type { TenantVCluster } from '../tenant/tenant-vcluster';
import { withoutCreationStacks } from '../terraform/creation-stacks';
import { ManagementRef } from '../terraform/fleet-access';
import { eksManagementRoleNames } from '../terraform/iam-role-names';
import { kubernetesProvider, renderAksManagementIdentities, renderEksManagementIdentities } from '../terraform/management-identity';
import { PROVIDER_PACKAGES, requireProviders } from '../terraform/providers';
import { renderManagementEgress } from '../terraform/reachability';
import { checkIamRoleNames, ClusterBase, ClusterProps } from './cluster-base';
import type { FleetCluster } from './fleet-cluster';
import { HubRegistrations } from './hub';

export { PLATFORM_PROJECT } from '../render/names';

/** The nodes Argo CD's high availability needs: redis-ha and its HAProxy run 3 replicas each, one per node (the chart's hard anti-affinity). */
const ARGOCD_HA_NODES = 3;

const SIZING = new GraphSlot<Map<ManagementCluster, ArgoCdSizing>>('Argo CD sizing per management cluster');

/** Argo CD on the management cluster. */
export interface ArgoCdProps {
  /**
   * SSO groups bound to Argo CD's `role:admin`. Argo CD has no default role: everyone else gets
   * what their teams' project roles grant (tenants' `owners`), and what `readOnlyGroups` do.
   * @default - none
   */
  readonly adminGroups?: string[];
  /**
   * SSO groups bound to Argo CD's built-in `role:readonly`: every project's Applications and pod
   * logs, read only (an on-call rota, auditors). Not a default role: Argo CD would grant that to
   * every signed-in user, tenants included.
   * @default - none
   */
  readonly readOnlyGroups?: string[];
  /**
   * How people log in.
   * @default - no SSO (with the local admin disabled, only the CLI through Kubernetes access works)
   */
  readonly sso?: Sso;
  /**
   * Run the API server, repo server and ApplicationSet controller with two or more replicas, and Redis HA.
   * @default true
   */
  readonly highAvailability?: boolean;
  /**
   * Host name of the Argo CD UI and API.
   * @default `argocd.<platform domain>`
   */
  readonly hostname?: string;
  /**
   * Expose the UI and API at `hostname` on the shared Gateway, with TLS.
   * @default - not exposed (reach it with `kubectl port-forward`)
   */
  readonly ui?: ArgoCdUi;
  /**
   * Application controller replicas (each one a shard owning part of the registered clusters).
   * @default - sized from the fleet: the larger of clusters / `clustersPerShard` and Applications / `applicationsPerShard`, at least 1
   * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/high_availability/#argocd-application-controller
   */
  readonly controllerReplicas?: number;
  /**
   * How the controller assigns clusters to shards (set when there are two or more).
   * @default ShardingAlgorithm.CONSISTENT_HASHING
   * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/high_availability/#argocd-application-controller
   */
  readonly shardingAlgorithm?: ShardingAlgorithm;
  /**
   * Registered clusters (management, fleet and tenant virtual clusters) one controller shard takes.
   * @default 100
   */
  readonly clustersPerShard?: number;
  /**
   * Applications one controller shard, and one repo server replica, takes.
   * @default 1000
   */
  readonly applicationsPerShard?: number;
}

/** Props of {@link ManagementCluster}. */
export interface ManagementClusterProps extends ClusterProps {
  /**
   * Argo CD settings.
   * @default - HA, no SSO, no admin groups
   */
  readonly argocd?: ArgoCdProps;
}

/**
 * The cockpit: a cluster provisioned with Terraform whose Argo CD steers the
 * platform. One `terraform apply` of its stack creates the cluster and installs
 * Argo CD and the root Application ("App of Apps") that syncs
 * `clusters/<name>/`; from then on Argo CD manages itself from Git.
 */
export class ManagementCluster extends ClusterBase implements IManagementCluster {
  private readonly argocd: Required<Omit<ArgoCdProps, 'sso' | 'ui' | 'controllerReplicas'>> & { sso?: Sso; ui?: ArgoCdUi; controllerReplicas?: number };

  constructor(scope: Platform, id: string, props: ManagementClusterProps) {
    super(scope, id, props);
    const here = this.node.path;
    // the management cluster's own IAM roles (External Secrets, Argo CD)
    if (this.cloud._eks) checkIamRoleNames(here, this.name, Object.values(eksManagementRoleNames(this.name)));
    requireProviders(here, `management cluster "${this.name}"`, [PROVIDER_PACKAGES.helm, PROVIDER_PACKAGES.kubernetes]);
    const a = props.argocd ?? {};
    if (a.sso !== undefined && !(a.sso instanceof Sso)) {
      fail(here, messages.cluster.ssoFactory(a.sso));
    }
    a.sso?._validate(here);
    if (a.sso?.entraTenantId !== undefined && this.cloud._eks) fail(here, messages.cluster.entraIdOffAks(a.sso.entraTenantId, a.sso.clientId));
    checkRecord(here, 'argocd', a, '{ adminGroups: ["platform-admins"] }');
    checkList<string>(here, 'argocd.adminGroups', a.adminGroups ?? [], '["platform-admins"]').forEach((g, i) => checkString(here, `argocd.adminGroups[${i}]`, g));
    if ((a.adminGroups ?? []).some((g) => GROUP_UNSAFE.test(g))) {
      fail(here, messages.cluster.adminGroups(a.adminGroups));
    }
    checkList<string>(here, 'argocd.readOnlyGroups', a.readOnlyGroups ?? [], '["sre-oncall"]').forEach((g, i) => checkString(here, `argocd.readOnlyGroups[${i}]`, g));
    if ((a.readOnlyGroups ?? []).some((g) => GROUP_UNSAFE.test(g))) {
      fail(here, messages.cluster.readOnlyGroups(a.readOnlyGroups));
    }
    this.argocd = {
      adminGroups: [...(a.adminGroups ?? [])],
      readOnlyGroups: [...(a.readOnlyGroups ?? [])],
      highAvailability: a.highAvailability ?? true,
      hostname: checkDomain(here, 'argocd.hostname', a.hostname ?? `argocd.${this.platform.domain}`),
      sso: a.sso,
      ui: a.ui,
      controllerReplicas: a.controllerReplicas === undefined ? undefined : checkPositiveInt(here, 'argocd.controllerReplicas', a.controllerReplicas),
      shardingAlgorithm: a.shardingAlgorithm ?? ShardingAlgorithm.CONSISTENT_HASHING,
      clustersPerShard: checkPositiveInt(here, 'argocd.clustersPerShard', a.clustersPerShard ?? CLUSTERS_PER_SHARD),
      applicationsPerShard: checkPositiveInt(here, 'argocd.applicationsPerShard', a.applicationsPerShard ?? APPLICATIONS_PER_SHARD),
    };
    // EKS scales no node group by itself: the nodes Argo CD's HA needs must be there from the start
    const eks = this.cloud._eks;
    if (eks && this.argocd.highAvailability) {
      const system = eks.systemNodePool ?? {};
      const min = eksSystemMinCount(system, ARGOCD_HA_NODES);
      const nodes = this._eksStartNodes!;
      if (system.maxCount !== undefined && system.maxCount < min) fail(here, messages.cluster.argocdHaNodes(nodes, ARGOCD_HA_NODES, system.maxCount));
      if (nodes < ARGOCD_HA_NODES) fail(here, messages.cluster.argocdHaNodes(nodes, ARGOCD_HA_NODES));
    }
    // on AKS the system pool runs critical add-ons only (CriticalAddonsOnly): the untainted regular pools'
    // autoscalers must be able to reach the nodes Argo CD's HA needs (Spot pools are tainted by AKS)
    const aks = this.cloud._aks;
    if (aks && this.argocd.highAvailability) {
      const pools = (aks.nodePools ?? [DEFAULT_AKS_USER_POOL]).filter((pool) => untainted(pool) && !pool.spot);
      const capacity = pools.reduce((n, pool) => n + (pool.maxCount ?? Math.max(5, pool.minCount ?? 2)), 0);
      if (capacity < ARGOCD_HA_NODES) fail(here, messages.cluster.argocdHaNodesAks(capacity, ARGOCD_HA_NODES));
    }
    if (a.ui !== undefined && !(a.ui instanceof ArgoCdUi)) fail(here, messages.cluster.uiFactory(a.ui));
    a.ui?._validate(here);
    if (!Object.values(ShardingAlgorithm).includes(this.argocd.shardingAlgorithm)) {
      fail(here, messages.cluster.shardingAlgorithm(this.argocd.shardingAlgorithm, Object.values(ShardingAlgorithm)));
    }
    const store = this.platform.secretStore;
    const reachable = store.kind === SecretStoreKind.VAULT
      || (store.kind === SecretStoreKind.AZURE_KEY_VAULT) === (this.cloud.provider === CloudProvider.AZURE);
    if (!reachable) {
      fail(here, messages.cluster.secretStoreCloud(this.cloud.provider, store.kind === SecretStoreKind.AZURE_KEY_VAULT));
    }
    withoutCreationStacks(() => {
      if (this.aks) renderAksManagementIdentities(this.stack, this.name, this.aks, store);
      else renderEksManagementIdentities(this.stack, this.name, this.eks!, store);
      // the bootstrap's repository Secret (rendered later) goes through the kubernetes provider
      if (this.platform.repository.credentialsKey !== undefined) kubernetesProvider(this.stack, (this.aks ?? this.eks)!.access);
      renderManagementEgress(this.stack, { aks: this.aks, eks: this.eks });
    });
  }

  /** Argo CD's highly available Redis and its HAProxy keep their 3 replicas each on separate nodes. */
  protected override minimumWorkloadNodes(props: ClusterProps): number {
    return (props as ManagementClusterProps).argocd?.highAvailability === false ? 0 : ARGOCD_HA_NODES;
  }

  protected override get routesToAllClusters(): boolean {
    return true;
  }

  /** Its state installs Argo CD and the root Application through the cluster's API. */
  protected override get installsThroughApi(): boolean {
    return true;
  }

  /** The fleet clusters this cluster steers, in declaration order. */
  public get fleet(): FleetCluster[] {
    return this.platform._graph().fleetOf(this);
  }

  /** @internal The plain values fleet stacks need to reach this cluster's identities. */
  public _ref(): ManagementRef {
    return { name: this.name, cloud: this.cloud, resourceGroupName: this.aks ? (this.cloud._aks!.resourceGroupName ?? `rg-${this.name}`) : undefined };
  }

  /** The tenants hosted on this cluster or its fleet, in declaration order. */
  public get tenants(): TenantVCluster[] {
    return this.platform._graph().tenantsOf(this);
  }

  /** The catalog entries of the platform (each one an ApplicationSet in this cluster's folder). */
  public get catalog(): ServiceCatalogEntry[] {
    return [...this.platform._graph().catalogEntries];
  }

  /** @internal The Argo CD clusters this hub registers: itself, its fleet, its tenants' virtual clusters. */
  public _registrations(): HubRegistrations {
    return {
      hub: this.name,
      path: this.node.path,
      registrations: [
        { name: this.name, path: this.node.path, what: 'management cluster' },
        ...this.fleet.map((f) => ({ name: f.name, path: f.node.path, what: 'fleet cluster' as const })),
        ...this.tenants.map((t) => ({ name: t.clusterName, path: t.node.path, what: 'tenant virtual cluster' as const })),
      ],
    };
  }

  /**
   * The size of this cluster's Argo CD, from what the platform declares: registered clusters
   * and an estimate of the Applications (rendered ones plus those its ApplicationSets generate).
   */
  public get argoCdSizing(): ArgoCdSizing {
    const graph = this.platform._graph();
    const sizes = graph.derive(SIZING, () => new Map<ManagementCluster, ArgoCdSizing>());
    const known = sizes.get(this);
    if (known) return known;
    const sizing = (() => {
      const registered = new Set(this._registrations().registrations.map((r) => r.name));
      const services = servicesByCluster(this.platform);
      // root, argo-cd, external-secrets; a folder Application per fleet cluster
      let applications = 3 + this.fleet.length;
      for (const t of this.tenants) applications += 1 + t.repositories.length + (t._argocd ? 1 : 0) + (services.get(t.clusterName) ?? []).length;
      for (const e of this.catalog) applications += e.targetedClusters.filter((c) => registered.has(c)).length;
      return sizeArgoCd({
        clusters: registered.size,
        applications,
        highAvailability: this.argocd.highAvailability,
        clustersPerShard: this.argocd.clustersPerShard,
        applicationsPerShard: this.argocd.applicationsPerShard,
        controllerReplicas: this.argocd.controllerReplicas,
        shardingAlgorithm: this.argocd.shardingAlgorithm,
      });
    })();
    sizes.set(this, sizing);
    return sizing;
  }

  /** The argo-cd chart values, shared by the Terraform bootstrap and the self-managing Application. */
  public get argoCdValues(): Record<string, unknown> {
    return argoCdValues({
      progressiveSyncs: this.catalog.some((e) => e.progressiveSync),
      clusterName: this.name,
      hostname: this.argocd.hostname,
      sso: this.argocd.sso,
      adminGroups: this.argocd.adminGroups,
      readOnlyGroups: this.argocd.readOnlyGroups,
      highAvailability: this.argocd.highAvailability,
      sizing: this.argoCdSizing,
      clusterLabels: this.labels,
      workloadIdentity: this.aks ? 'webhook' : this.fleet.some((f) => f.aks) ? 'projected' : undefined,
      insecureServer: this.argocd.ui !== undefined,
    });
  }

  /** @internal The UI exposure, when declared. */
  public get _argocdUi(): ArgoCdUi | undefined {
    return this.argocd.ui;
  }

  /** @internal The Argo CD host name. */
  public get _argocdHostname(): string {
    return this.argocd.hostname;
  }
}
