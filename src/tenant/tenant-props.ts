import type { IHostCluster } from '../model/references';
import { Sso } from '../model/sso';
import { Group } from './group';
import { NetworkAllowance } from './network-allowance';

/** Pod Security Admission levels. */
export enum PodSecurityLevel {
  /** Prevents known privilege escalations. */
  BASELINE = 'baseline',
  /** Current pod hardening best practices. */
  RESTRICTED = 'restricted',
}

/** The ClusterRole a namespace tenant's team is bound to in its namespace. */
export enum NamespaceRole {
  /** `admin`: everything in the namespace except its quota and the namespace itself (Kubernetes' user-facing admin role). */
  ADMIN = 'admin',
  /** `edit`: workloads and their configuration, no Roles or RoleBindings. */
  EDIT = 'edit',
  /** `view`: read only. */
  VIEW = 'view',
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
  /**
   * Node ports (`services.nodeports`). Kubernetes' quota counts every port of a LoadBalancer
   * Service as a node port, so the default lets the one load balancer serve two ports (80 and 443).
   * @default 2
   */
  readonly nodePorts?: number;
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
  /**
   * `controlPlane.statefulSet.highAvailability.replicas`. More than one needs a backing store
   * the replicas share, set in `rawValues` (vCluster refuses them on its default embedded
   * database), e.g. `controlPlane.backingStore.etcd.deploy.enabled: true`.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * `controlPlane.statefulSet.persistence.volumeClaim.size`: the size of the volume the virtual
   * cluster is created with. It is part of the StatefulSet's volumeClaimTemplates, which
   * Kubernetes keeps immutable: changed later, the vCluster Application's sync fails (`preview`
   * says so). To grow the volume, resize its PersistentVolumeClaim on the host (a storage class
   * that allows expansion) and leave this as it was.
   * @default '5Gi'
   */
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
 * the platform's pinned argo-cd chart, local admin disabled, no default role (`policy.default: ""`),
 * the tenant's groups as admins when SSO is configured.
 */
export interface TenantArgoCdProps {
  /**
   * How the tenant's people log in; with SSO the tenant's owners get `role:admin`. `Sso.oidc(...)`
   * only: `Sso.entraId` needs a token Entra ID trusts, which the virtual cluster's API server does
   * not issue (use Entra ID through `Sso.oidc` with its issuer, as a public client with PKCE).
   * @default - no SSO (with the local admin disabled, only `kubectl port-forward` through the virtual cluster works)
   */
  readonly sso?: Sso;
  /**
   * Host name of its UI and API (`url`, `global.domain`), served on the shared Gateway `public`
   * of the host (`Catalog.gatewayApi`): an HTTPS listener for this name with its own certificate,
   * and an HTTPRoute to the Argo CD server, which external-dns publishes.
   * @default `argocd-<tenant>.<platform domain>`
   */
  readonly hostname?: string;
  /**
   * The cert-manager ClusterIssuer of the host name's certificate (`Catalog.certManager` with
   * `acme` creates `letsencrypt-production` and `letsencrypt-staging`).
   * @default 'letsencrypt-production'
   * @see https://cert-manager.io/docs/usage/certificate/
   */
  readonly clusterIssuer?: string;
}

/** Props of {@link TenantVCluster}. */
export interface TenantVClusterProps {
  /** The tenant's SSO group(s): host namespace viewers, AppProject role members. */
  readonly owners: Group;
  /**
   * The host cluster, for a tenant declared in a construct of your own (e.g. a team
   * environment that makes the tenant and its services) instead of inside its host.
   * @default - the scope, which then must be a ManagementCluster or FleetCluster
   */
  readonly host?: IHostCluster;
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
