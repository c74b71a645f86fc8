import { checkList, checkRecord } from '../core/data';
import { badValue, fail, messages, Problem } from '../core/errors';
import { checkDomain, checkString } from '../core/validate';
import { argoCdValues } from '../argocd/argocd-values';
import { ARGO_CD_CHART } from '../argocd/charts';
import { ArgoCdUi, renderArgoCdUi } from '../argocd/argocd-ui';
import { argoApplication, argoAppProject, RESOURCES_FINALIZER, GENERATE_PATHS, teamProjectFence } from '../argocd/objects';
import { AppProjectSpec, ApplicationSpec, ARGOCD_NAMESPACE } from '../argocd/types';
import { Sso } from '../model/sso';
import { IRenderable, Platform } from '../platform';
import { clusterRegistration, tenantRegistration } from '../argocd/cluster-registration';
import { TenantVCluster } from '../tenant/tenant-vcluster';
import { renderServiceDelivery, serviceNamespaces, serviceSourceRepos } from '../service/delivery';
import { EXTERNAL_SECRETS_CHART, VCLUSTER_CHART } from '../argocd/charts';
import { renderExternalSecrets } from '../argocd/external-secrets';
import { CloudProvider } from '../model/cloud';
import { SecretStoreKind } from '../model/secret-store';
import { renderArgoCdBootstrap } from '../terraform/argocd-bootstrap';
import { ManagementRef } from '../terraform/fleet-access';
import { renderManagementEgress } from '../terraform/reachability';
import { writeSecretStoreEntry } from '../terraform/secret-store-writer';
import { selfRegistrationOutputs } from '../argocd/self-registration';
import { renderClusterIdentities } from './addon-identities';
import { withoutCreationStacks } from '../terraform/creation-stacks';
import { PROVIDER_PACKAGES, requireProviders } from '../terraform/providers';
import { EXTERNAL_SECRETS_SA, grantTenantPush, renderAksManagementIdentities, renderEksManagementIdentities } from '../terraform/management-identity';
import { ServiceCatalogEntry } from '../catalog/service-catalog-entry';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterBase, ClusterProps } from './cluster-base';
import { FleetCluster } from './fleet-cluster';
import { HubRegistrations, registrationProblems, shardProblem } from './hub';
import { APPLICATIONS_PER_SHARD, ArgoCdSizing, CLUSTERS_PER_SHARD, ShardingAlgorithm, sizeArgoCd } from '../argocd/sizing';
import { servicesByCluster } from '../service/service-index';
import { checkPositiveInt } from '../core/validate';

/** The name of the AppProject of platform components. */
export const PLATFORM_PROJECT = 'platform';

/** Argo CD on the management cluster. */
export interface ArgoCdProps {
  /**
   * SSO groups bound to Argo CD's `role:admin` (everyone else is `role:readonly`).
   * @default - none
   */
  readonly adminGroups?: string[];
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
export class ManagementCluster extends ClusterBase implements IRenderable {
  private readonly argocd: Required<Omit<ArgoCdProps, 'sso' | 'ui' | 'controllerReplicas'>> & { sso?: Sso; ui?: ArgoCdUi; controllerReplicas?: number };

  constructor(scope: Platform, id: string, props: ManagementClusterProps) {
    super(scope, id, props);
    const here = this.node.path;
    requireProviders(here, `management cluster "${this.name}"`, [PROVIDER_PACKAGES.helm, PROVIDER_PACKAGES.kubernetes]);
    const a = props.argocd ?? {};
    if (a.sso !== undefined && !(a.sso instanceof Sso)) {
      fail(here, badValue('argocd.sso', a.sso, 'Sso.oidc({...}) or Sso.entraId({...})', 'declare SSO with a factory'));
    }
    a.sso?._validate(here);
    checkRecord(here, 'argocd', a, '{ adminGroups: ["platform-admins"] }');
    checkList<string>(here, 'argocd.adminGroups', a.adminGroups ?? [], '["platform-admins"]').forEach((g, i) => checkString(here, `argocd.adminGroups[${i}]`, g));
    if ((a.adminGroups ?? []).some((g) => /[,\n]/.test(g))) {
      fail(here, badValue('argocd.adminGroups', a.adminGroups, 'group names without commas or line breaks', 'use the group name or object id as the identity provider sends it'));
    }
    this.argocd = {
      adminGroups: [...(a.adminGroups ?? [])],
      highAvailability: a.highAvailability ?? true,
      hostname: checkDomain(here, 'argocd.hostname', a.hostname ?? `argocd.${this.platform.domain}`),
      sso: a.sso,
      ui: a.ui,
      controllerReplicas: a.controllerReplicas === undefined ? undefined : checkPositiveInt(here, 'argocd.controllerReplicas', a.controllerReplicas),
      shardingAlgorithm: a.shardingAlgorithm ?? ShardingAlgorithm.CONSISTENT_HASHING,
      clustersPerShard: checkPositiveInt(here, 'argocd.clustersPerShard', a.clustersPerShard ?? CLUSTERS_PER_SHARD),
      applicationsPerShard: checkPositiveInt(here, 'argocd.applicationsPerShard', a.applicationsPerShard ?? APPLICATIONS_PER_SHARD),
    };
    if (a.ui !== undefined && !(a.ui instanceof ArgoCdUi)) fail(here, badValue('argocd.ui', a.ui, 'ArgoCdUi.gateway({...})', 'declare the exposure with the factory'));
    a.ui?._validate(here);
    if (a.ui) this.platform.addRule(() => this.uiRules());
    if (!Object.values(ShardingAlgorithm).includes(this.argocd.shardingAlgorithm)) {
      fail(here, badValue('argocd.shardingAlgorithm', this.argocd.shardingAlgorithm, `one of ${Object.values(ShardingAlgorithm).map((v) => `"${v}"`).join(', ')}`, 'use a ShardingAlgorithm value'));
    }
    this.platform.addRule(() => this.hubRules());
    const store = this.platform.secretStore;
    const reachable = store.kind === SecretStoreKind.VAULT
      || (store.kind === SecretStoreKind.AZURE_KEY_VAULT) === (this.cloud.provider === CloudProvider.AZURE);
    if (!reachable) {
      fail(here, badValue('cloud', this.cloud.provider, `a management cluster on the secret store's cloud (${store.kind === SecretStoreKind.AZURE_KEY_VAULT ? 'Azure Key Vault needs AKS' : 'AWS Secrets Manager needs EKS'}), or a Vault secret store`,
        'host the management cluster where the secret store is (its workload identity reads the store), or use SecretStore.vault()'));
    }
    withoutCreationStacks(() => {
      if (this.aks) renderAksManagementIdentities(this.stack, this.name, this.aks, store);
      else renderEksManagementIdentities(this.stack, this.name, this.eks!, store);
      renderManagementEgress(this.stack, { aks: this.aks, eks: this.eks });
    });
    if (!this.cloud.apiAccess) {
      this.platform.addRule(() => [{ path: here, message: messages.bootstrapRunner(this.name), severity: 'warning' }]);
    }
  }

  /** The UI on the shared Gateway needs the Gateway and cert-manager on this cluster. */
  private uiRules(): Problem[] {
    const runs = (chart: string) => this.catalog.some((e) => e.chart?.chart === chart && e.targets.matches(this.labels));
    return [['gateway-helm', 'Catalog.gatewayApi(platform) (the shared Gateway)'], ['cert-manager', 'Catalog.certManager(platform, {...}) (the UI\'s certificate)']]
      .filter(([chart]) => !runs(chart))
      .map(([chart, what]) => ({
        path: this.node.path,
        message: `argocd.ui exposes Argo CD on the shared Gateway, but management cluster "${this.name}" does not run ${chart}. Fix: add ${what} and label "${this.name}" so it selects it ("core-basic" / "security-basic": "enabled").`,
      }));
  }

  protected override get routesToAllClusters(): boolean {
    return true;
  }

  /** The fleet clusters this cluster steers, in declaration order. */
  public get fleet(): FleetCluster[] {
    return this.platform._cached(`fleet-of-${this.node.path}`, () => this.node.findAll().filter((c): c is FleetCluster => c instanceof FleetCluster));
  }

  /** @internal The plain values fleet stacks need to reach this cluster's identities. */
  public _ref(): ManagementRef {
    return { name: this.name, cloud: this.cloud, resourceGroupName: this.aks ? (this.cloud._aks!.resourceGroupName ?? `rg-${this.name}`) : undefined };
  }

  /** The tenants hosted on this cluster or its fleet, in declaration order. */
  public get tenants(): TenantVCluster[] {
    return this.platform._cached(`tenants-of-${this.node.path}`, () => this.node.findAll().filter((c): c is TenantVCluster => c instanceof TenantVCluster));
  }

  /** The catalog entries of the platform (each one an ApplicationSet in this cluster's folder). */
  public get catalog(): ServiceCatalogEntry[] {
    return this.platform._cached('catalog', () => this.platform._all().filter((c): c is ServiceCatalogEntry => c instanceof ServiceCatalogEntry));
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
    return this.platform._cached(`argocd-sizing-${this.node.path}`, () => {
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
    });
  }

  private hubRules() {
    const hubs = this.platform._cached('hubs', () => this.platform.clusters.filter((c): c is ManagementCluster => c instanceof ManagementCluster).map((h) => h._registrations()));
    const mine = hubs.find((h) => h.path === this.node.path)!;
    const problems = registrationProblems(hubs, mine);
    const replicas = this.argoCdSizing.controllerReplicas;
    for (const f of this.fleet) {
      if (f.argocdShard !== undefined && f.argocdShard >= replicas) problems.push(shardProblem(f.node.path, f.argocdShard, replicas, this.name));
    }
    return problems;
  }

  /** The argo-cd chart values, shared by the Terraform bootstrap and the self-managing Application. */
  public get argoCdValues(): Record<string, unknown> {
    return argoCdValues({
      progressiveSyncs: this.catalog.some((e) => e.progressiveSync),
      clusterName: this.name,
      hostname: this.argocd.hostname,
      sso: this.argocd.sso,
      adminGroups: this.argocd.adminGroups,
      highAvailability: this.argocd.highAvailability,
      sizing: this.argoCdSizing,
      clusterLabels: this.labels,
      workloadIdentity: this.aks ? 'webhook' : this.fleet.some((f) => f.aks) ? 'projected' : undefined,
      insecureServer: this.argocd.ui !== undefined,
    });
  }

  private renderTenant(out: Construct, t: TenantVCluster): void {
    const scope = new Construct(out, `tenant-${t.node.addr}`);
    argoApplication(scope, 'vcluster', {
      name: `vcluster-${t.name}`,
      labels: { tenant: t.name },
      spec: {
        project: PLATFORM_PROJECT,
        sources: [{ repoURL: VCLUSTER_CHART.repoURL, chart: VCLUSTER_CHART.chart, targetRevision: VCLUSTER_CHART.version, helm: { releaseName: t.namespace, valuesObject: t._values() } }],
        destination: { name: t.host.name, namespace: t.namespace },
        // the namespace (with its Pod Security labels) comes from the host's folder: no CreateNamespace
        syncPolicy: { automated: { prune: true, selfHeal: true }, retry: { limit: 10, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } } },
      },
    });
    tenantRegistration(scope, 'registration', { name: t.clusterName, server: `https://${t.apiHost}`, remoteKey: t.remoteKey, labels: t.labels });
    const project = `tenant-${t.name}`;
    argoAppProject(scope, 'project', project, {
      description: `Tenant ${t.name}: deploys only into its virtual cluster ${t.clusterName}`,
      sourceRepos: [...t.repositories, ...serviceSourceRepos(this.platform, t)],
      destinations: [{ name: t.clusterName, namespace: '*' }],
      // kinds the tenant opted into inside its own virtual cluster, and the Namespaces its services'
      // Applications create (CreateNamespace=true): exactly those, by name
      ...(t.clusterResourceWhitelist.length || serviceNamespaces(this.platform, t).length
        ? { clusterResourceWhitelist: [...t.clusterResourceWhitelist, ...serviceNamespaces(this.platform, t).map((name) => ({ group: '', kind: 'Namespace', name }))] }
        : {}),
      ...teamProjectFence(project, t.owners),
    });
    renderServiceDelivery(scope, this.platform, t, project);
    const dedicated = t._argocd;
    if (dedicated) {
      argoApplication(scope, 'argocd', {
        name: `vcluster-${t.name}-argocd`,
        labels: { tenant: t.name },
        spec: {
          // the chart's CRDs are cluster-scoped: the platform project installs it, the tenant's project never could
          project: PLATFORM_PROJECT,
          sources: [{
            repoURL: ARGO_CD_CHART.repoURL,
            chart: ARGO_CD_CHART.chart,
            targetRevision: ARGO_CD_CHART.version,
            helm: {
              releaseName: 'argocd',
              valuesObject: argoCdValues({
                clusterName: 'in-cluster',
                hostname: dedicated.hostname,
                sso: dedicated.sso,
                adminGroups: dedicated.sso ? t.owners : [],
                highAvailability: false,
                clusterLabels: { tenant: t.name },
              }),
            },
          }],
          destination: { name: t.clusterName, namespace: ARGOCD_NAMESPACE },
          syncPolicy: { automated: { prune: false, selfHeal: true }, syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'] },
        },
      });
    }
    t.repositories.forEach((url, i) => argoApplication(scope, `app-${i}`, {
      name: `${project}-${i}`,
      annotations: { [GENERATE_PATHS]: '.' },
      labels: { tenant: t.name },
      cascadeDelete: true,
      spec: {
        project,
        source: { repoURL: url, targetRevision: 'HEAD', path: t.repositoryPath, directory: { recurse: true } },
        destination: { name: t.clusterName, namespace: 'default' },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true', 'PruneLast=true', 'FailOnSharedResource=true'] },
      },
    }));
  }

  /**
   * The virtual clusters of this cluster's tenants the platform project deploys into: the
   * `argocd` namespace of those with a dedicated Argo CD, and those that catalog entries of
   * the platform project target, each with the entry's namespace only (exact names, never `*`).
   */
  private tenantDestinations(): { name: string; namespace: string }[] {
    const tenants = new Set(this.tenants.map((t) => t.clusterName));
    if (tenants.size === 0) return [];
    const seen = new Set<string>();
    // a tenant's dedicated Argo CD is installed by the platform project into the virtual cluster's argocd namespace
    const argocd = this.tenants.filter((t) => t._argocd).map((t) => ({ name: t.clusterName, namespace: ARGOCD_NAMESPACE }));
    for (const d of argocd) seen.add(`${d.name}\n${d.namespace}`);
    return argocd.concat(this.catalog.filter((e) => e.project === PLATFORM_PROJECT).flatMap((e) => e.targetedClusters
      .filter((name) => tenants.has(name))
      .map((name) => ({ name, namespace: e.namespace }))
      .filter((d) => {
        const key = `${d.name}\n${d.namespace}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })));
  }

  /** @internal */
  public _render(): void {
    const repo = this.platform.repository;
    const folder = [repo.path, 'clusters', this.name].filter((s) => s !== '').join('/');
    const fleet = this.fleet;
    const project: AppProjectSpec = {
      description: 'Platform components, managed by the platform team',
      sourceRepos: [...new Set([repo.url, ARGO_CD_CHART.repoURL, EXTERNAL_SECRETS_CHART.repoURL,
        ...this.catalog.filter((e) => e.project === PLATFORM_PROJECT && e.chart).map((e) => e.chart!.repoURL),
        ...(this.tenants.length ? [VCLUSTER_CHART.repoURL] : [])])],
      destinations: [...[this.name, ...fleet.map((f) => f.name)].map((name) => ({ name, namespace: '*' })), ...this.tenantDestinations()],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    };
    const root: ApplicationSpec = {
      project: PLATFORM_PROJECT,
      source: { repoURL: repo.url, targetRevision: repo.revision, path: folder, directory: { recurse: true } },
      destination: { name: this.name, namespace: ARGOCD_NAMESPACE },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    };
    const values = this.argoCdValues;
    // rendering runs on every synth: objects go into a scope that is replaced each time
    this.chart.node.tryRemoveChild('platform-rendered');
    const out = new Construct(this.chart, 'platform-rendered');
    argoAppProject(out, 'platform-project', PLATFORM_PROJECT, project);
    // a commit refreshes only the Applications whose folders it touches (monorepo webhooks)
    argoApplication(out, 'root', { name: 'root', spec: root, cascadeDelete: true, annotations: { [GENERATE_PATHS]: '.' } });
    argoApplication(out, 'argo-cd', {
      name: 'argo-cd',
      spec: {
        project: PLATFORM_PROJECT,
        sources: [{
          repoURL: ARGO_CD_CHART.repoURL,
          chart: ARGO_CD_CHART.chart,
          targetRevision: ARGO_CD_CHART.version,
          helm: { releaseName: 'argocd', valuesObject: values },
        }],
        destination: { name: this.name, namespace: ARGOCD_NAMESPACE },
        // never prune Argo CD itself, never cascade-delete it
        syncPolicy: { automated: { prune: false, selfHeal: true }, syncOptions: ['ServerSideApply=true'] },
      },
    });
    if (this.argocd.ui) renderArgoCdUi(out, this.argocd.ui, this.argocd.hostname);
    renderExternalSecrets(out, { clusterName: this.name, project: PLATFORM_PROJECT, store: this.platform.secretStore, serviceAccountByTerraform: !!this.aks });
    for (const f of fleet) {
      const reg = f._registration();
      clusterRegistration(out, `registration-${f.node.addr}`, reg);
      if (reg.hasFolder) {
        argoApplication(out, `cluster-folder-${f.node.addr}`, {
          name: `cluster-${f.name}`,
          annotations: { [GENERATE_PATHS]: '.' },
          spec: {
            project: PLATFORM_PROJECT,
            source: { repoURL: repo.url, targetRevision: repo.revision, path: [repo.path, 'clusters', f.name].filter((x) => x !== '').join('/'), directory: { recurse: true } },
            destination: { name: f.name },
            syncPolicy: { automated: { prune: true, selfHeal: true } },
          },
        });
      }
    }
    for (const t of this.tenants) this.renderTenant(out, t);
    for (const entry of this.catalog) {
      new ApiObject(out, `catalog-${entry.node.addr}`, entry._applicationSet());
      const own = entry._appProject();
      if (own) new ApiObject(out, `catalog-project-${entry.node.addr}`, own);
    }
    // the identities of the add-ons that target this cluster; their values reach its own
    // registration through the store, like a fleet cluster's
    const pushKeys = this.tenants.filter((t) => t.host === this).map((t) => t.remoteKey);
    const identities = withoutCreationStacks(() => renderClusterIdentities(this, pushKeys, EXTERNAL_SECRETS_SA));
    if (Object.keys(identities).length) {
      withoutCreationStacks(() => writeSecretStoreEntry(this.stack, this.platform.secretStore, 'registration-outputs', `cluster-${this.name}`, identities));
      selfRegistrationOutputs(out, 'registration-outputs', { cluster: this.name, remoteKey: this.platform.secretStore._remoteKey(`cluster-${this.name}`), outputs: Object.keys(identities) });
    } else {
      for (const child of ['registration-outputs', 'registration-outputs-value']) this.stack.node.tryRemoveChild(child);
    }
    // the PushSecrets of the tenants hosted here write through this cluster's External Secrets
    grantTenantPush(this.stack, this.platform.secretStore, pushKeys);
    renderArgoCdBootstrap(this.stack, {
      access: (this.aks ?? this.eks)!.access,
      argoCdValues: values,
      appsValues: {
        projects: { [PLATFORM_PROJECT]: { namespace: ARGOCD_NAMESPACE, ...project } },
        applications: { root: { namespace: ARGOCD_NAMESPACE, finalizers: [RESOURCES_FINALIZER], ...root } },
      },
    });
  }
}
