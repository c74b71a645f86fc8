import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { badValue, fail, Problem } from '../core/errors';
import { mergeReplacing } from '../core/merge';
import { checkDnsLabel, checkRepoUrl } from '../core/validate';
import { Quantity } from '../model/quantity';
import { ServiceCatalogEntry } from '../catalog/service-catalog-entry';
import { ClusterBase } from '../cluster/cluster-base';
import { FleetCluster, TargetableCluster } from '../cluster/fleet-cluster';
import { managesStoreIdentity } from '../cluster/addon-identities';
import { TaintEffect } from '../model/cloud';
import { SecretStoreKind } from '../model/secret-store';
import { Sso } from '../model/sso';
import { checkDomain } from '../core/validate';
import { checkLabels, Platform } from '../platform';

/** Registration labels the library sets on every tenant's virtual cluster. */
const RESERVED_LABELS = ['environment', 'tenant', 'vcluster', 'cluster_name', 'platform-role', 'host'];
import { serviceIntegrationValues } from '../service/delivery';
import { entriesByCluster, exposureProblems } from './exposure-rule';
import { Group } from './group';
import { NetworkAllowance } from './network-allowance';
import { checkChild, checkInstance, checkList, checkProps } from '../core/data';
import { checkTenantOnHost } from './tenant-checks';
import { registerTenant } from './tenant-index';
import { renderTenantFence, tenantQuota } from './tenant-fence';

/** Pod Security Admission levels. */
export enum PodSecurityLevel {
  /** Prevents known privilege escalations. */
  BASELINE = 'baseline',
  /** Current pod hardening best practices. */
  RESTRICTED = 'restricted',
}

/** The ClusterRole a tenant's owners get on its host namespace (where its vCluster runs). */
export enum HostRole {
  /** `view`: see the vCluster's pods, events and logs on the host (the default). */
  VIEW = 'view',
  /** `admin`: manage the host namespace's objects too (the book binds its team admins so). */
  ADMIN = 'admin',
}

/**
 * A cluster-scoped resource kind a tenant may create inside its own virtual cluster, allowed in
 * its AppProject's `clusterResourceWhitelist` (an explicit opt-in: by default nothing is).
 */
export class TenantClusterResource {
  /** Namespaces inside the virtual cluster. */
  public static readonly NAMESPACES = new TenantClusterResource('', 'Namespace');
  /** CustomResourceDefinitions inside the virtual cluster (operators the team runs itself). */
  public static readonly CUSTOM_RESOURCE_DEFINITIONS = new TenantClusterResource('apiextensions.k8s.io', 'CustomResourceDefinition');
  /** ClusterRoles and ClusterRoleBindings inside the virtual cluster. */
  public static readonly CLUSTER_RBAC = new TenantClusterResource('rbac.authorization.k8s.io', '*');

  /**
   * Any other kind, by API group (`''` for the core group) and kind.
   * @see https://argo-cd.readthedocs.io/en/stable/user-guide/projects/
   */
  public static of(group: string, kind: string): TenantClusterResource {
    return new TenantClusterResource(group, kind);
  }

  private constructor(
    /** The API group (`''` for core). */ public readonly group: string,
    /** The kind (`*` for every kind of the group). */ public readonly kind: string,
  ) {}
}

/** The tenant's ResourceQuota on the host namespace (Kubernetes quantities). */
export interface TenantQuota {
  /** @default '10' */ readonly cpu?: string;
  /** @default '20Gi' */ readonly memory?: string;
  /** @default '20' */ readonly limitsCpu?: string;
  /** @default '40Gi' */ readonly limitsMemory?: string;
  /** @default '100Gi' */ readonly storage?: string;
  /** @default '50Gi' */ readonly ephemeralStorage?: string;
  /** @default '150Gi' */ readonly limitsEphemeralStorage?: string;
  /** @default 30 */ readonly pods?: number;
  /** @default 30 */ readonly services?: number;
  /** @default 1 */ readonly loadBalancers?: number;
  /** @default 1 */ readonly nodePorts?: number;
  /** @default 20 */ readonly persistentVolumeClaims?: number;
  /** @default 100 */ readonly secrets?: number;
  /** @default 100 */ readonly configMaps?: number;
  /** @default 40 */ readonly endpoints?: number;
}

/** Defaults of every container in the tenant's namespace (LimitRange). */
export interface TenantLimitRange {
  /** @default '100m' */ readonly defaultRequestCpu?: string;
  /** @default '128Mi' */ readonly defaultRequestMemory?: string;
  /** @default '1' */ readonly defaultLimitCpu?: string;
  /** @default '512Mi' */ readonly defaultLimitMemory?: string;
}

/** The vcluster chart values this library types (chart 0.35); `rawValues` reaches the rest. */
export interface VClusterValues {
  /** `controlPlane.distro.k8s.version` (the virtual cluster's Kubernetes version). */
  readonly kubernetesVersion?: string;
  /** `controlPlane.statefulSet.highAvailability.replicas`. @default 1 */
  readonly replicas?: number;
  /** `controlPlane.statefulSet.persistence.volumeClaim.size`. @default '5Gi' */
  readonly storageSize?: string;
  /** `sync.toHost.ingresses.enabled`: tenants' Ingresses reach the host's ingress controller. @default true */
  readonly syncIngresses?: boolean;
  /** Raw values merged last (the escape hatch). @default - none */
  readonly rawValues?: Record<string, unknown>;
}

/** How the virtual cluster's API is reached from outside its host. */
export class ApiExposure {
  /** A Gateway API TLSRoute with TLS passthrough on the given Gateway (vCluster `controlPlane.tlsRoute`). */
  public static gateway(options: { name: string; namespace: string }): ApiExposure {
    return new ApiExposure('gateway', options?.name, options?.namespace);
  }

  /**
   * An Ingress with TLS passthrough (ingress-nginx `ssl-passthrough`, which the controller
   * must run with `--enable-ssl-passthrough`). `controllerNamespace` is where the ingress
   * controller runs: the tenant's NetworkPolicy admits traffic from it.
   * @default controllerNamespace 'ingress-nginx' (the namespace of `Catalog.ingressNginx`)
   */
  public static ingress(options: { ingressClassName: string; controllerNamespace?: string }): ApiExposure {
    return new ApiExposure('ingress', options?.ingressClassName, options?.controllerNamespace ?? 'ingress-nginx');
  }

  private constructor(
    /** @internal */ public readonly _kind: 'gateway' | 'ingress',
    /** @internal */ public readonly _name: string,
    /** @internal */ public readonly _namespace: string,
  ) {}
}

/**
 * A dedicated Argo CD inside the tenant's virtual cluster (the book's "Argo CD per team"):
 * the platform's pinned argo-cd chart, local admin disabled, `policy.default: role:readonly`,
 * the tenant's groups as admins when SSO is configured.
 */
export interface TenantArgoCdProps {
  /**
   * How the tenant's people log in; with SSO the tenant's owners get `role:admin`.
   * @default - no SSO (with the local admin disabled, only `kubectl port-forward` through the virtual cluster works)
   */
  readonly sso?: Sso;
  /**
   * Host name of its UI and API (`url`, `global.domain`).
   * @default `argocd-<tenant>.<platform domain>`
   */
  readonly hostname?: string;
}

/** Props of {@link TenantVCluster}. */
export interface TenantVClusterProps {
  /** The tenant's SSO group(s): host namespace viewers, AppProject role members. */
  readonly owners: Group;
  /**
   * Labels added to the virtual cluster's Argo CD registration (what catalog selectors see),
   * e.g. `{ env: 'vdev' }`. The keys the library sets (`environment`, `tenant`, `vcluster`,
   * `cluster_name`, `platform-role`, `host`) cannot be overridden.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * The virtual cluster's environment (its registration's `environment` label, its team
   * services' promotion stage): one of the platform's environments.
   * @default - the host's environment
   */
  readonly environment?: string;
  /**
   * The tenant name (DNS label, unique per platform).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Host namespace, also the vCluster release name.
   * @default `vcluster-<tenant>`
   */
  readonly namespace?: string;
  /** @default PodSecurityLevel.BASELINE */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * The ClusterRole the owners get on the host namespace.
   * @default HostRole.VIEW
   * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles
   */
  readonly hostRole?: HostRole;
  /**
   * Cluster-scoped kinds the tenant may create inside its virtual cluster through its
   * AppProject (Namespaces, CRDs, ...). They stay inside the virtual cluster: the project's
   * only destination is `vc-<tenant>`.
   * @default - none: the tenant's project allows nothing cluster-scoped
   */
  readonly clusterResources?: TenantClusterResource[];
  /** @default - the book's tenant quota (see TenantQuota) */
  readonly quota?: TenantQuota;
  /** @default - see TenantLimitRange */
  readonly limitRange?: TenantLimitRange;
  /** Allowances on top of default-deny, DNS, same-namespace and gateway traffic. @default - none */
  readonly networkAllowances?: NetworkAllowance[];
  /**
   * Git repositories the tenant deploys from (https or ssh URLs); each gets an Application
   * syncing `repositoryPath` into the virtual cluster.
   * @default - none (the tenant's project then allows no source)
   */
  readonly repositories?: string[];
  /** @default 'deploy' */
  readonly repositoryPath?: string;
  /**
   * A dedicated node pool in the host's Terraform, tainted and labelled `tenant=<name>`;
   * the virtual cluster only schedules there.
   * @default - shared nodes
   */
  readonly nodePool?: { readonly machineType?: string; readonly minCount?: number; readonly maxCount?: number; readonly spot?: boolean };
  /** @default ApiExposure.gateway({ name: 'public', namespace: 'envoy-gateway-system' }) */
  readonly apiExposure?: ApiExposure;
  /** @default - typed defaults only */
  readonly vcluster?: VClusterValues;
  /**
   * Install a dedicated Argo CD into the virtual cluster (namespace `argocd`).
   * @default - none (the tenant deploys through the platform's Argo CD)
   * @see https://github.com/argoproj/argo-helm/tree/main/charts/argo-cd
   */
  readonly argocd?: TenantArgoCdProps;
}

/** The Argo CD cluster name of a tenant's virtual cluster. */
export function vclusterClusterName(tenant: string): string {
  return `vc-${tenant}`;
}

/**
 * A team's isolated Kubernetes API inside a host cluster (management or fleet).
 * On the host: a namespace with Pod Security labels, ResourceQuota, LimitRange,
 * default-deny NetworkPolicies with the allowances vCluster needs, a RoleBinding for
 * the tenant's group, optionally a dedicated node pool. In the management cluster:
 * the Application installing the pinned vcluster chart, the registration (exported
 * kubeconfig -> PushSecret -> platform secret store -> ExternalSecret -> Argo CD
 * cluster Secret), the tenant's AppProject and its Applications.
 */
export class TenantVCluster extends Construct {
  /** Tenant name. */
  public readonly name: string;
  /** Host namespace (also the vCluster release name). */
  public readonly namespace: string;
  /** The host cluster. */
  public readonly host: ClusterBase;
  /** The vCluster's Argo CD cluster name (`vc-<tenant>`). */
  public readonly clusterName: string;
  /** Public host name of the virtual cluster's API. */
  public readonly apiHost: string;
  /** The virtual cluster's environment (its own, else its host's). */
  public readonly environment: string;
  private readonly _ownLabels: Record<string, string>;
  /** The quota in force (defaults applied). */
  public readonly quota: Required<TenantQuota>;
  private readonly props: TenantVClusterProps;
  private readonly platform: Platform;

  constructor(host: ClusterBase, id: string, props: TenantVClusterProps) {
    super(checkChild(host, id), id);
    const here = this.node.path;
    checkProps(here, props, '{ owners: Group.named("team-a") }');
    this.platform = Platform.of(this);
    registerTenant(this.platform, this);
    this.host = host;
    this.name = checkDnsLabel(here, 'name', props.name ?? id);
    this.namespace = checkDnsLabel(here, 'namespace', props.namespace ?? `vcluster-${this.name}`);
    this.clusterName = vclusterClusterName(this.name);
    checkDnsLabel(here, 'name (as "vc-<name>")', this.clusterName);
    if (!(props.owners instanceof Group)) fail(here, badValue('owners', props.owners, 'Group.named(...) or Group.anyOf([...])', 'name the tenant\'s SSO group'));
    const groupProblems = props.owners._problems('owners');
    if (groupProblems.length) fail(here, groupProblems[0]);
    if (props.podSecurity !== undefined && !Object.values(PodSecurityLevel).includes(props.podSecurity)) {
      fail(here, badValue('podSecurity', props.podSecurity, 'PodSecurityLevel.BASELINE or PodSecurityLevel.RESTRICTED', 'tenants never run privileged pods'));
    }
    (props.repositories ?? []).forEach((r, i) => checkRepoUrl(here, `repositories[${i}]`, r));
    if (props.hostRole !== undefined && !Object.values(HostRole).includes(props.hostRole)) {
      fail(here, badValue('hostRole', props.hostRole, 'HostRole.VIEW or HostRole.ADMIN', 'pick one of them'));
    }
    checkList(here, 'clusterResources', props.clusterResources ?? [], '[TenantClusterResource.NAMESPACES]').forEach((r, i) => {
      if (!(r instanceof TenantClusterResource)) fail(here, badValue(`clusterResources[${i}]`, r, 'TenantClusterResource.NAMESPACES, .CUSTOM_RESOURCE_DEFINITIONS, .CLUSTER_RBAC or .of(group, kind)', 'use one of them'));
      if (typeof r.group !== 'string' || typeof r.kind !== 'string' || !/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$/.test(r.group) || !/^(\*|[A-Z][A-Za-z0-9]*)$/.test(r.kind)) {
        fail(here, badValue(`clusterResources[${i}]`, typeof r.group === 'string' && typeof r.kind === 'string' ? `${r.group}/${r.kind}` : { group: r.group, kind: r.kind }, 'an API group ("" for core) and a kind such as "Namespace" (or "*")', 'fix the group or kind'));
      }
    });
    this.quota = tenantQuota(here, props.quota);
    for (const [k, v] of Object.entries(props.limitRange ?? {})) {
      if (Quantity.parse(v) === undefined) fail(here, badValue(`limitRange.${k}`, v, 'a Kubernetes quantity', 'fix the quantity'));
    }
    if (props.repositoryPath !== undefined && (props.repositoryPath.startsWith('/') || props.repositoryPath.split('/').includes('..'))) {
      fail(here, badValue('repositoryPath', props.repositoryPath, 'a relative folder of the tenant repositories', 'remove leading "/" and ".." segments'));
    }
    if (props.argocd?.sso !== undefined) {
      if (!(props.argocd.sso instanceof Sso)) fail(here, badValue('argocd.sso', props.argocd.sso, 'Sso.oidc({...}) or Sso.entraId({...})', 'declare SSO with a factory'));
      props.argocd.sso._validate(here);
    }
    if (props.argocd?.hostname !== undefined) checkDomain(here, 'argocd.hostname', props.argocd.hostname);
    this._ownLabels = checkLabels(here, 'labels', props.labels);
    const reserved = Object.keys(this._ownLabels).filter((k) => RESERVED_LABELS.includes(k));
    if (reserved.length) fail(here, badValue('labels', props.labels, `labels other than ${RESERVED_LABELS.map((k) => `"${k}"`).join(', ')} (the library sets those)`, reserved.includes('environment') ? 'set the environment with the environment prop' : `rename or remove "${reserved[0]}"`));
    if (props.environment !== undefined && !this.platform.environments.includes(props.environment)) {
      fail(here, badValue('environment', props.environment, `one of the platform's environments: ${this.platform.environments.join(', ')}`, 'use one of them, or carry another name as a label (labels: { env: ... })'));
    }
    this.environment = props.environment ?? this.host.environment;
    if (props.apiExposure !== undefined) {
      const exposure = checkInstance(here, 'apiExposure', props.apiExposure, ApiExposure, 'ApiExposure.gateway({...}) or ApiExposure.ingress({...})');
      checkDnsLabel(here, exposure._kind === 'ingress' ? 'apiExposure.ingressClassName' : 'apiExposure.name', exposure._name);
      checkDnsLabel(here, exposure._kind === 'ingress' ? 'apiExposure.controllerNamespace' : 'apiExposure.namespace', exposure._namespace);
    }
    this.props = props;
    this.apiHost = `${this.name}.${this.platform.domain}`;
    const poolName = `t${this.name.replace(/-/g, '')}`.slice(0, 12);
    checkTenantOnHost(here, host, this.name, props, poolName);
    this.renderHostSide(host.chart);
    if (props.nodePool) {
      const pool = { name: poolName, ...props.nodePool, labels: { tenant: this.name }, taints: [{ key: 'tenant', value: this.name, effect: TaintEffect.NO_SCHEDULE }] };
      if (host.aks) host.aks.addNodePool(pool);
      else host.eks!.addNodePool(pool);
    }
    this.platform.addRule(() => this.rules());
  }

  /** The labels of the virtual cluster's Argo CD registration. */
  public get labels(): Record<string, string> {
    return { ...this._ownLabels, 'environment': this.environment, 'tenant': this.name, 'vcluster': 'true', 'cluster_name': this.clusterName, 'platform-role': 'tenant', 'host': this.host.name };
  }

  /**
   * @internal The virtual cluster as catalog selectors see it: its registration's labels,
   * no cluster outputs (entries that need one cannot target it).
   */
  public _target(): TargetableCluster {
    return { name: this.clusterName, labels: this.labels, path: this.node.path, outputs: [], environment: this.environment };
  }

  /** @internal The dedicated Argo CD's settings, when the tenant asked for one. */
  public get _argocd(): { hostname: string; sso?: Sso } | undefined {
    const a = this.props.argocd;
    return a ? { hostname: a.hostname ?? `argocd-${this.name}.${this.platform.domain}`, sso: a.sso } : undefined;
  }

  /** The tenant's SSO groups. */
  public get owners(): string[] {
    return this.props.owners.names;
  }

  /** The cluster-scoped kinds the tenant's AppProject allows inside its virtual cluster (empty: none). */
  public get clusterResourceWhitelist(): { group: string; kind: string }[] {
    return (this.props.clusterResources ?? []).map((r) => ({ group: r.group, kind: r.kind }));
  }

  /** Tenant repositories (a copy). */
  public get repositories(): string[] {
    return [...(this.props.repositories ?? [])];
  }

  /** The folder of the tenant repositories that is synced into the virtual cluster. */
  public get repositoryPath(): string {
    return this.props.repositoryPath ?? 'deploy';
  }

  /** The secret-store entry the PushSecret writes and the registration reads. */
  public get remoteKey(): string {
    return this.platform.secretStore._remoteKey(`vcluster-${this.name}`);
  }

  private rules(): Problem[] {
    const here = this.node.path;
    const problems: Problem[] = [];
    const index = this.platform._cached('tenants', () => {
      const byName = new Map<string, TenantVCluster>();
      const byNamespace = new Map<string, TenantVCluster>();
      const byHost = new Map<ClusterBase, TenantVCluster[]>();
      for (const c of this.platform._all()) {
        if (!(c instanceof TenantVCluster)) continue;
        if (!byName.has(c.name)) byName.set(c.name, c);
        const nsKey = `${c.host.node.path}\n${c.namespace}`;
        if (!byNamespace.has(nsKey)) byNamespace.set(nsKey, c);
        byHost.set(c.host, [...(byHost.get(c.host) ?? []), c]);
      }
      const eso = this.platform._all().filter((c): c is ServiceCatalogEntry => c instanceof ServiceCatalogEntry && c.chart?.chart === 'external-secrets');
      return { byName, byNamespace, byHost, eso };
    });
    const exposure = this.props.apiExposure ?? ApiExposure.gateway({ name: 'public', namespace: 'envoy-gateway-system' });
    const entries = this.platform._cached('catalog-entries', () => this.platform._all().filter((c): c is ServiceCatalogEntry => c instanceof ServiceCatalogEntry));
    const byCluster = this.platform._cached('catalog-entries-by-cluster', () => entriesByCluster(entries));
    problems.push(...exposureProblems({ path: here, name: this.name, host: this.host, exposure: { kind: exposure._kind, name: exposure._name, namespace: exposure._namespace } }, byCluster));
    const sameName = index.byName.get(this.name);
    if (sameName && sameName !== this) problems.push({ path: here, message: `duplicate tenant name "${this.name}": also declared at ${sameName.node.path}. Fix: give each tenant a unique name.` });
    const sameNs = index.byNamespace.get(`${this.host.node.path}\n${this.namespace}`);
    if (sameNs && sameNs !== this) problems.push({ path: here, message: `tenant "${this.name}" uses namespace "${this.namespace}" on host "${this.host.name}", as does ${sameNs.node.path}. Fix: give each tenant its own namespace.` });
    const capacity = this.host.tenantCapacity;
    const onHost = index.byHost.get(this.host) ?? [];
    if (capacity && onHost[onHost.length - 1] === this) {
      for (const [key, label] of [['cpu', 'CPU'], ['memory', 'memory']] as const) {
        const limit = capacity[key];
        if (limit === undefined) continue;
        if (Quantity.sum(onHost.map((t) => Quantity.of(t.quota[key]))).compare(Quantity.of(limit)) > 0) {
          problems.push({ path: this.host.node.path, message: `the ${label} quotas of the tenants on host "${this.host.name}" add up to more than its tenantCapacity.${key} "${limit}" (${onHost.map((t) => `${t.name}: ${t.quota[key]}`).join(', ')}). Fix: lower the quotas or raise the capacity.` });
        }
      }
    }
    const grant = onHost[onHost.length - 1] === this ? this.pushGrant(onHost) : undefined;
    if (grant) {
      problems.push({
        path: this.host.node.path, severity: 'warning',
        message: `the tenants on host "${this.host.name}" (${onHost.map((t) => t.name).join(', ')}) push their kubeconfigs to the platform store through the host's External Secrets, whose identity the library does not manage. Fix: grant it ${grant} (see docs/tenant-vcluster.md).`,
      });
    }
    if (this.host instanceof FleetCluster) {
      const labels = this.host.labels;
      if (!index.eso.some((e) => e.targets.matches(labels))) {
        problems.push({ path: here, message: `tenant "${this.name}" is hosted on fleet cluster "${this.host.name}", which does not run External Secrets (its PushSecret registers the virtual cluster). Fix: add Catalog.externalSecrets(platform) and label "${this.host.name}" with "security-basic": "enabled".` });
      }
    }
    return problems;
  }

  /**
   * What the user must grant the host's External Secrets identity for the PushSecrets of
   * `tenants`, when the library does not (fleet hosts, and any host with a Vault store).
   */
  private pushGrant(tenants: TenantVCluster[]): string | undefined {
    const store = this.platform.secretStore;
    const o = store.options;
    const keys = tenants.map((t) => t.remoteKey);
    switch (store.kind) {
      case SecretStoreKind.VAULT:
        // the management cluster's and (with Catalog.externalSecrets) fleet hosts' Vault policies carry the grant
        if (!(this.host instanceof FleetCluster) || managesStoreIdentity(this.host)) return undefined;
        return `a Vault policy on its role "external-secrets" with create, read and update on ${keys.map((k) => `"${o.path}/data/${k}"`).join(', ')} and read, update and delete on ${keys.map((k) => `"${o.path}/metadata/${k}"`).join(', ')}`;
      case SecretStoreKind.AZURE_KEY_VAULT:
        // the management cluster's and (with Catalog.externalSecrets) fleet hosts' identities carry the grant
        if (!(this.host instanceof FleetCluster) || managesStoreIdentity(this.host)) return undefined;
        return `the role "Key Vault Secrets Officer" on Key Vault "${o.vaultName}" (the identity of the output external_secrets_client_id)`;
      default:
        if (!(this.host instanceof FleetCluster) || managesStoreIdentity(this.host)) return undefined;
        return `secretsmanager:CreateSecret, PutSecretValue, TagResource and DescribeSecret, and DeleteSecret on secrets tagged managed-by=external-secrets, on ${keys.map((k) => `"arn:<partition>:secretsmanager:${o.region}:<account>:secret:${k}-??????"`).join(', ')}`;
    }
  }

  private renderHostSide(chart: Chart): void {
    const scope = new Construct(chart, `tenant-${this.name}`);
    const ns = this.namespace;
    renderTenantFence(scope, {
      tenant: this.name, namespace: ns, podSecurity: this.props.podSecurity ?? PodSecurityLevel.BASELINE,
      quota: this.quota, limitRange: this.props.limitRange, networkAllowances: this.props.networkAllowances ?? [],
    });
    const obj = (id: string, kind: string, apiVersion: string, name: string, body: Record<string, unknown>) =>
      new ApiObject(scope, id, { apiVersion, kind, metadata: { name, namespace: ns, labels: { tenant: this.name } }, ...body });
    const np = (id: string, name: string, spec: Record<string, unknown>) => obj(id, 'NetworkPolicy', 'networking.k8s.io/v1', name, { spec: { podSelector: {}, ...spec } });
    const exposure = this.props.apiExposure ?? ApiExposure.gateway({ name: 'public', namespace: 'envoy-gateway-system' });
    const controllerNs = exposure._namespace;
    np('allow-ingress-controller', 'allow-ingress-controller', {
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': controllerNs } } }] }],
    });
    // the vCluster syncer talks to the host's API server (its address is the cloud's, so ports only)
    np('allow-kube-apiserver', 'allow-kube-apiserver', {
      policyTypes: ['Egress'],
      egress: [{ ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] }],
    });
    const hostRole = this.props.hostRole ?? HostRole.VIEW;
    obj('viewers', 'RoleBinding', 'rbac.authorization.k8s.io/v1', hostRole === HostRole.VIEW ? 'tenant-viewers' : `tenant-${hostRole}`, {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: hostRole },
      subjects: this.owners.map((g) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: g })),
    });
    obj('push-kubeconfig', 'PushSecret', 'external-secrets.io/v1alpha1', `vc-${this.name}-kubeconfig`, {
      spec: {
        refreshInterval: '1h',
        deletionPolicy: 'Delete',
        secretStoreRefs: [{ kind: 'ClusterSecretStore', name: 'platform' }],
        selector: { secret: { name: `vc-${this.namespace}` } },
        data: [['certificate-authority', 'caData'], ['client-certificate', 'certData'], ['client-key', 'keyData']].map(([secretKey, property]) => ({
          match: { secretKey, remoteRef: { remoteKey: this.remoteKey, property } },
        })),
      },
    }).metadata.addAnnotation('argocd.argoproj.io/sync-options', 'SkipDryRunOnMissingResource=true');
  }

  /** @internal The vcluster chart values. */
  public _values(): Record<string, unknown> {
    const v = this.props.vcluster ?? {};
    const exposure = this.props.apiExposure ?? ApiExposure.gateway({ name: 'public', namespace: 'envoy-gateway-system' });
    const pool = this.props.nodePool ? { nodeSelector: { tenant: this.name }, tolerations: [{ key: 'tenant', operator: 'Equal', value: this.name, effect: 'NoSchedule' }] } : undefined;
    const controlPlane: Record<string, unknown> = {
      ...(v.kubernetesVersion ? { distro: { k8s: { enabled: true, version: v.kubernetesVersion } } } : {}),
      proxy: { extraSANs: [this.apiHost] },
      statefulSet: {
        highAvailability: { replicas: v.replicas ?? 1 },
        persistence: { volumeClaim: { enabled: true, size: v.storageSize ?? '5Gi' } },
        resources: { requests: { cpu: '200m', memory: '512Mi' }, limits: { memory: '2Gi' } },
        security: {
          podSecurityContext: { runAsNonRoot: true, runAsUser: 12345, fsGroup: 12345, seccompProfile: { type: 'RuntimeDefault' } },
          containerSecurityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 12345, runAsGroup: 12345, capabilities: { drop: ['ALL'] } },
        },
        ...(pool ? { scheduling: pool } : {}),
      },
      ...(exposure._kind === 'gateway'
        ? { tlsRoute: { enabled: true, host: this.apiHost, parentRefs: [{ name: exposure._name, namespace: exposure._namespace }] } }
        : { ingress: { enabled: true, host: this.apiHost, spec: { ingressClassName: exposure._name }, annotations: { 'nginx.ingress.kubernetes.io/ssl-passthrough': 'true', 'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS' } } }),
    };
    const values: Record<string, unknown> = {
      controlPlane,
      sync: {
        toHost: {
          ingresses: { enabled: v.syncIngresses ?? true },
          ...(pool ? { pods: { enforceTolerations: [`tenant=${this.name}:NoSchedule`] } } : {}),
        },
        ...(pool ? { fromHost: { nodes: { enabled: true, selector: { labels: { tenant: this.name } } } } } : {}),
      },
      // the host-side ResourceQuota, LimitRange and NetworkPolicies are rendered by the library (and tested);
      // vCluster's own copies would duplicate them
      policies: {
        podSecurityStandard: this.props.podSecurity ?? PodSecurityLevel.BASELINE,
        resourceQuota: { enabled: false },
        limitRange: { enabled: false },
        networkPolicy: { enabled: false },
      },
      exportKubeConfig: { server: `https://${this.apiHost}`, context: this.clusterName },
    };
    const services = serviceIntegrationValues(this.platform, this);
    const withServices = services ? mergeReplacing(values, services) : values;
    return v.rawValues ? mergeReplacing(withServices, v.rawValues) : withServices;
  }
}
