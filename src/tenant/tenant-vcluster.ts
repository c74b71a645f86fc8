import { Construct } from 'constructs';
import { fail, messages } from '../core/errors';
import { checkDnsLabel, checkRepoUrl, repoUrlKey } from '../core/validate';
import { Quantity } from '../model/quantity';
import { ClusterBase } from '../cluster/cluster-base';
import { FleetCluster } from '../cluster/fleet-cluster';
import type { TargetableCluster } from '../graph/targetable';
import { TaintEffect } from '../model/cloud';
import { Sso } from '../model/sso';
import { checkDomain, isDnsName } from '../core/validate';
import { checkLabels, Platform } from '../platform';
import { markKind, NodeKind } from '../graph/kinds';
import type { ManagementCluster } from '../cluster/management-cluster';
import type { IHostCluster, ITenantVCluster } from '../model/references';
import { ApiExposure, HostRole, PodSecurityLevel, TenantClusterResource, TenantQuota, TenantVClusterProps, vclusterClusterName } from './tenant-props';
import { vclusterValues } from './vcluster-values';

/** Registration labels the library sets on every tenant's virtual cluster. */
const RESERVED_LABELS = ['environment', 'tenant', 'vcluster', 'cluster_name', 'platform-role', 'host'];
import { Group } from './group';
import { checkChild, checkInstance, checkList, checkProps } from '../core/data';
import { checkTenantOnHost } from './tenant-checks';
import { registerTenant } from './tenant-index';
import { tenantQuota } from './tenant-fence';

export * from './tenant-props';

/**
 * A team's isolated Kubernetes API inside a host cluster (management or fleet).
 * On the host: a namespace with Pod Security labels, ResourceQuota, LimitRange,
 * default-deny NetworkPolicies with the allowances vCluster needs, a RoleBinding for
 * the tenant's group, optionally a dedicated node pool. In the management cluster:
 * the Application installing the pinned vcluster chart, the registration (exported
 * kubeconfig -> PushSecret -> platform secret store -> ExternalSecret -> Argo CD
 * cluster Secret), the tenant's AppProject and its Applications.
 */
export class TenantVCluster extends Construct implements ITenantVCluster {
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
  /** @internal The props as declared (checked in the constructor). */
  public readonly _props: TenantVClusterProps;
  /** The platform this tenant belongs to. */
  public readonly platform: Platform;

  /**
   * @param scope the host cluster (a ManagementCluster or FleetCluster), or any construct of the
   *   platform when `props.host` names the host
   */
  constructor(scope: Construct, id: string, props: TenantVClusterProps) {
    super(checkChild(scope, id), id);
    const here = this.node.path;
    checkProps(here, props, '{ owners: Group.named("team-a") }');
    this.platform = Platform.of(this);
    registerTenant(this.platform, this);
    const host = hostOf(here, scope, props.host, this.platform);
    this.host = host;
    this.name = checkDnsLabel(here, 'name', props.name ?? id);
    this.namespace = checkDnsLabel(here, 'namespace', props.namespace ?? `vcluster-${this.name}`);
    this.clusterName = vclusterClusterName(this.name);
    checkDnsLabel(here, 'name (as "vc-<name>")', this.clusterName);
    if (!(props.owners instanceof Group)) fail(here, messages.tenant.owners(props.owners, 'tenant'));
    const groupProblems = props.owners._problems('owners');
    if (groupProblems.length) fail(here, groupProblems[0]);
    if (props.podSecurity !== undefined && !Object.values(PodSecurityLevel).includes(props.podSecurity)) {
      fail(here, messages.tenant.podSecurity(props.podSecurity));
    }
    // each repository once as Argo CD compares URLs: its Application is named after it (src/render/names.ts)
    const firstOfUrl = new Map<string, number>();
    (props.repositories ?? []).forEach((r, i) => {
      checkRepoUrl(here, `repositories[${i}]`, r);
      const first = firstOfUrl.get(repoUrlKey(r));
      if (first !== undefined) fail(here, messages.tenant.repositoryTwice(i, r, first, props.repositories![first]));
      firstOfUrl.set(repoUrlKey(r), i);
    });
    if (props.hostRole !== undefined && !Object.values(HostRole).includes(props.hostRole)) {
      fail(here, messages.tenant.hostRole(props.hostRole));
    }
    checkList(here, 'clusterResources', props.clusterResources ?? [], '[TenantClusterResource.NAMESPACES]').forEach((r, i) => {
      if (!(r instanceof TenantClusterResource)) fail(here, messages.tenant.clusterResource(i, r));
      if (typeof r.group !== 'string' || typeof r.kind !== 'string' || !/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$/.test(r.group) || !/^(\*|[A-Z][A-Za-z0-9]*)$/.test(r.kind)) {
        fail(here, messages.tenant.clusterResourceGroupKind(i, r.group, r.kind));
      }
    });
    this.quota = tenantQuota(here, props.quota);
    for (const [k, v] of Object.entries(props.limitRange ?? {})) {
      if (Quantity.parse(v) === undefined) fail(here, messages.tenant.limitRange(k, v));
    }
    if (props.repositoryPath !== undefined && (props.repositoryPath.startsWith('/') || props.repositoryPath.split('/').includes('..'))) {
      fail(here, messages.tenant.repositoryPath(props.repositoryPath));
    }
    if (props.argocd?.sso !== undefined) {
      if (!(props.argocd.sso instanceof Sso)) fail(here, messages.tenant.argocdSso(props.argocd.sso));
      props.argocd.sso._validate(here);
      // Entra ID through workload identity needs a token it trusts: the vCluster's API server issues none
      const entra = props.argocd.sso.entraTenantId;
      if (entra !== undefined) fail(here, messages.tenant.argocdEntraId(entra, props.argocd.sso.clientId, host.name, host.cloud._eks !== undefined));
    }
    if (props.argocd?.hostname !== undefined) checkDomain(here, 'argocd.hostname', props.argocd.hostname);
    if (props.argocd?.clusterIssuer !== undefined) checkDnsLabel(here, 'argocd.clusterIssuer', props.argocd.clusterIssuer);
    this._ownLabels = checkLabels(here, 'labels', props.labels);
    const reserved = Object.keys(this._ownLabels).filter((k) => RESERVED_LABELS.includes(k));
    if (reserved.length) fail(here, messages.tenant.reservedLabels(props.labels, reserved, RESERVED_LABELS));
    if (props.environment !== undefined && !this.platform.environments.includes(props.environment)) {
      fail(here, messages.tenant.environment(props.environment, this.platform.environments));
    }
    this.environment = props.environment ?? this.host.environment;
    if (props.apiExposure !== undefined) {
      const exposure = checkInstance(here, 'apiExposure', props.apiExposure, ApiExposure, 'ApiExposure.gateway({...}) or ApiExposure.ingress({...})');
      checkDnsLabel(here, exposure._kind === 'ingress' ? 'apiExposure.ingressClassName' : 'apiExposure.name', exposure._name);
      checkDnsLabel(here, exposure._kind === 'ingress' ? 'apiExposure.controllerNamespace' : 'apiExposure.namespace', exposure._namespace);
    }
    this._props = props;
    this.apiHost = `${this.name}.${this.platform.domain}`;
    if (!isDnsName(this.apiHost)) fail(here, messages.tenant.derivedHost('the virtual cluster\'s API host', '<name>.<platform domain>', this.apiHost));
    if (props.argocd && props.argocd.hostname === undefined && !isDnsName(this._argocd!.hostname)) {
      fail(here, messages.tenant.derivedHost('the dedicated Argo CD\'s host', 'argocd-<name>.<platform domain>; or set argocd.hostname', this._argocd!.hostname));
    }
    const poolName = `t${this.name.replace(/-/g, '')}`.slice(0, 12);
    checkTenantOnHost(here, host, this.name, props, poolName);
    if (props.nodePool) {
      const pool = { name: poolName, ...props.nodePool, labels: { tenant: this.name }, taints: [{ key: 'tenant', value: this.name, effect: TaintEffect.NO_SCHEDULE }] };
      if (host.aks) host.aks.addNodePool(pool);
      else host.eks!.addNodePool(pool);
    }
    // its rules (src/rules/tenant-rules.ts) run in this place of the declaration order
    markKind(this, NodeKind.TENANT_VCLUSTER);
    host._hostedTenants.set(`vcluster/${this.name}`, this.node.path);
  }

  /** The management cluster whose Argo CD registers the virtual cluster (the host, or the host's). */
  public get management(): ManagementCluster {
    return (this.host instanceof FleetCluster ? this.host.management : this.host) as ManagementCluster;
  }

  /** @internal How the virtual cluster's API is reached (the default applied). */
  public get _apiExposure(): ApiExposure {
    return this._props.apiExposure ?? ApiExposure.gateway({ name: 'public', namespace: 'envoy-gateway-system' });
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

  /** @internal The dedicated Argo CD's settings (defaults applied), when the tenant asked for one. */
  public get _argocd(): { hostname: string; sso?: Sso; clusterIssuer: string } | undefined {
    const a = this._props.argocd;
    return a ? { hostname: a.hostname ?? `argocd-${this.name}.${this.platform.domain}`, sso: a.sso, clusterIssuer: a.clusterIssuer ?? 'letsencrypt-production' } : undefined;
  }

  /** The tenant's SSO groups. */
  public get owners(): string[] {
    return this._props.owners.names;
  }

  /** The cluster-scoped kinds the tenant's AppProject allows inside its virtual cluster (empty: none). */
  public get clusterResourceWhitelist(): { group: string; kind: string }[] {
    return (this._props.clusterResources ?? []).map((r) => ({ group: r.group, kind: r.kind }));
  }

  /** Tenant repositories (a copy). */
  public get repositories(): string[] {
    return [...(this._props.repositories ?? [])];
  }

  /** The folder of the tenant repositories that is synced into the virtual cluster. */
  public get repositoryPath(): string {
    return this._props.repositoryPath ?? 'deploy';
  }

  /** The secret-store entry the PushSecret writes and the registration reads. */
  public get remoteKey(): string {
    return this.platform.secretStore._remoteKey(`vcluster-${this.name}`);
  }

  /** @internal The vcluster chart values. */
  public _values(): Record<string, unknown> {
    return vclusterValues(this);
  }
}

/**
 * @internal The host of a tenant: `host` when given (a cluster of the same platform), else the
 * scope, which then must be a cluster. The library's error names what to pass otherwise.
 */
export function hostOf(here: string, scope: Construct, host: IHostCluster | undefined, platform: Platform): ClusterBase {
  const h: unknown = host ?? scope;
  if (!(h instanceof ClusterBase)) {
    fail(here, host === undefined ? messages.tenant.hostScope(scope.constructor.name) : messages.tenant.hostNotCluster(h));
  }
  if (h.platform !== platform) fail(here, messages.tenant.hostOtherPlatform(h.node.path));
  return h;
}
