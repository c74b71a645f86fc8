import { Construct } from 'constructs';
import { fail, messages } from '../core/errors';
import { checkChild, checkInstance, checkList, checkProps, checkRecord } from '../core/data';
import { checkDnsLabel, checkGitRevision, checkRepoUrl, isDnsName, repoUrlKey } from '../core/validate';
import { Quantity } from '../model/quantity';
import { teamRepositoryKey, teamRepositoryPath } from '../render/names';
import { ClusterBase } from '../cluster/cluster-base';
import { ManagementCluster } from '../cluster/management-cluster';
import { Platform } from '../platform';
import { markKind, NodeKind } from '../graph/kinds';
import type { IHostCluster, ITenant } from '../model/references';
import { Group } from './group';
import { NetworkAllowance } from './network-allowance';
import { hostOf, PodSecurityLevel, TenantLimitRange, TenantQuota } from './tenant-vcluster';
import { NamespaceRole } from './tenant-props';
import { tenantQuota } from './tenant-fence';


/** A Git repository the team deploys from, and where its credentials are. */
export interface TeamRepository {
  /** The repository URL (https or ssh). */
  readonly url: string;
  /**
   * The folder synced into the team's namespace.
   * @default 'deploy'
   */
  readonly path?: string;
  /**
   * The revision synced.
   * @default 'HEAD'
   */
  readonly revision?: string;
  /**
   * The platform secret store entry holding the repository's credentials (properties
   * `username` and `password` for https, `sshPrivateKey` for ssh). An ExternalSecret makes
   * it an Argo CD repository Secret scoped to the team's project; no credential is in Git.
   * Argo CD keeps one repository Secret per URL and project, so entries of one repository
   * (other paths or revisions; URLs Argo CD takes for the same, such as with and without
   * `.git`) name the same key, or none of them does.
   * @default - a public repository, no credentials
   * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/#repositories
   */
  readonly credentialsKey?: string;
}

/** Props of {@link NamespaceTenant}. */
export interface NamespaceTenantProps {
  /** The team's SSO group(s): bound to `role` in the namespace, members of the AppProject's role. */
  readonly owners: Group;
  /**
   * The host cluster, for a tenant declared in a construct of your own instead of inside its host.
   * @default - the scope, which then must be a ManagementCluster or FleetCluster
   */
  readonly host?: IHostCluster;
  /**
   * The tenant name (DNS label, unique per platform among tenants).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The team's namespace on the host.
   * @default - the tenant name
   */
  readonly namespace?: string;
  /**
   * The ClusterRole the owners get in the namespace.
   * @default NamespaceRole.ADMIN
   * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles
   */
  readonly role?: NamespaceRole;
  /** @default PodSecurityLevel.BASELINE */
  readonly podSecurity?: PodSecurityLevel;
  /** @default - the same defaults as a TenantVCluster's (see TenantQuota) */
  readonly quota?: TenantQuota;
  /** @default - see TenantLimitRange */
  readonly limitRange?: TenantLimitRange;
  /** Allowances on top of default-deny, DNS and same-namespace traffic. @default - none */
  readonly networkAllowances?: NetworkAllowance[];
  /**
   * The repositories the team deploys from; each gets an Application syncing its `path` into the namespace.
   * @default - none (the team's project then allows no source)
   */
  readonly repositories?: TeamRepository[];
  /**
   * The host names the team serves on the host: the only names its HTTPRoutes, GRPCRoutes,
   * TLSRoutes and Ingresses may name there, and external-dns hostname annotations. An admission
   * policy holds the namespace to them, for the team and for Argo CD alike: the shared Gateway
   * admits routes from every namespace, and a route for another team's host would take its traffic.
   * Each is a lowercase DNS name, no wildcard, claimed by no other tenant or team service, e.g.
   * `shop.team-a.example.com`, or `shop.apps.<platform domain>` for the shared Gateway's
   * wildcard certificate.
   * @default - none: no route or Ingress in the namespace
   */
  readonly hostnames?: string[];
}

/**
 * A team's namespace on a shared cluster (the native multitenancy of the book's chapter 5,
 * "devteam-a"): on the host, the namespace with Pod Security labels, a ResourceQuota, a
 * LimitRange, default-deny NetworkPolicies with DNS and same-namespace traffic, and the team's
 * RoleBinding; in the management cluster's Argo CD, an AppProject fenced to that namespace and
 * the team's repositories (nothing cluster-scoped, no quota or policy objects), an Application
 * per repository, and the repositories' credentials through the platform secret store.
 */
export class NamespaceTenant extends Construct implements ITenant {
  /** Tenant name. */
  public readonly name: string;
  /** The team's namespace. */
  public readonly namespace: string;
  /** The host cluster. */
  public readonly host: ClusterBase;
  /** The quota in force (defaults applied). */
  public readonly quota: Required<TenantQuota>;
  /** The team's AppProject (`team-<name>`). */
  public readonly project: string;
  /** @internal The props as declared (checked in the constructor). */
  public readonly _props: NamespaceTenantProps;
  /** The platform this tenant belongs to. */
  public readonly platform: Platform;

  /**
   * @param scope the host cluster (a ManagementCluster or FleetCluster), or any construct of the
   *   platform when `props.host` names the host
   */
  constructor(scope: Construct, id: string, props: NamespaceTenantProps) {
    super(checkChild(scope, id), id);
    const here = this.node.path;
    if (props?.host === undefined && !(scope instanceof ClusterBase)) fail(here, messages.tenant.namespaceTenantScope(scope.constructor.name));
    checkProps(here, props, '{ owners: Group.named("team-a") }');
    this.platform = Platform.of(this);
    const host = hostOf(here, scope, props.host, this.platform);
    this.host = host;
    this.name = checkDnsLabel(here, 'name', props.name ?? id);
    this.namespace = checkDnsLabel(here, 'namespace', props.namespace ?? this.name);
    this.project = checkDnsLabel(here, 'name (as "team-<name>")', `team-${this.name}`);
    if (!(props.owners instanceof Group)) fail(here, messages.tenant.owners(props.owners, 'team'));
    const groupProblems = props.owners._problems('owners');
    if (groupProblems.length) fail(here, groupProblems[0]);
    if (props.role !== undefined && !Object.values(NamespaceRole).includes(props.role)) {
      fail(here, messages.tenant.role(props.role));
    }
    if (props.podSecurity !== undefined && !Object.values(PodSecurityLevel).includes(props.podSecurity)) {
      fail(here, messages.tenant.podSecurity(props.podSecurity));
    }
    // the first repository of each URL as Argo CD compares them (its repository Secret is the project's for that URL)
    const byUrl = new Map<string, { index: number; repo: TeamRepository }>();
    // each URL and folder once: its Application is named after them (src/render/names.ts)
    const byFolder = new Map<string, { index: number; repo: TeamRepository }>();
    checkList<TeamRepository>(here, 'repositories', props.repositories ?? [], '[{ url: "https://github.com/acme/team-a.git" }]').forEach((r, i) => {
      checkRecord(here, `repositories[${i}]`, r, '{ url: "https://github.com/acme/team-a.git", path: "deploy" }');
      checkRepoUrl(here, `repositories[${i}].url`, r.url);
      if (r.path !== undefined && (typeof r.path !== 'string' || r.path === '' || /[\x00-\x1f{}]/.test(r.path) || r.path.startsWith('/') || r.path.split('/').includes('..'))) {
        fail(here, messages.tenant.repositoryFolder(i, r.path));
      }
      if (r.revision !== undefined) checkGitRevision(here, `repositories[${i}].revision`, r.revision);
      this.platform.secretStore._checkCredentialsKey(here, `repositories[${i}].credentialsKey`, r.credentialsKey);
      const same = byFolder.get(teamRepositoryKey(r.url, r.path));
      if (same) fail(here, messages.tenant.repositoryDuplicate(i, r.url, teamRepositoryPath(r.path), same.index, same.repo.url));
      byFolder.set(teamRepositoryKey(r.url, r.path), { index: i, repo: r });
      const first = byUrl.get(repoUrlKey(r.url));
      if (!first) byUrl.set(repoUrlKey(r.url), { index: i, repo: r });
      else if (first.repo.credentialsKey !== r.credentialsKey) {
        fail(here, messages.tenant.repositoryCredentialsPerUrl(i, r.credentialsKey, r.url, first.index, first.repo.credentialsKey, first.repo.url));
      }
    });
    const seen = new Set<string>();
    checkList<string>(here, 'hostnames', props.hostnames ?? [], '["shop.team-a.example.com"]').forEach((h, i) => {
      if (typeof h !== 'string' || h !== h.toLowerCase() || !isDnsName(h) || seen.has(h)) fail(here, messages.tenant.hostnames(i, h));
      seen.add(h);
    });
    this.quota = tenantQuota(here, props.quota);
    if (props.limitRange !== undefined) checkRecord(here, 'limitRange', props.limitRange, '{ defaultCpu: "500m" }');
    for (const [k, v] of Object.entries(props.limitRange ?? {})) {
      if (Quantity.parse(v) === undefined) fail(here, messages.tenant.limitRange(k, v));
    }
    if (props.networkAllowances !== undefined) {
      checkList(here, 'networkAllowances', props.networkAllowances, '[NetworkAllowance.egressToCidr(...)]')
        .forEach((a, i) => checkInstance(here, `networkAllowances[${i}]`, a, NetworkAllowance, 'NetworkAllowance.egressToCidr(...) or .ingressFromNamespace(...)')._validate(here, `networkAllowances[${i}]`));
    }
    // (the host's folder would get two namespace-tenant-<name> scopes: refused here, before the render stage)
    const other = host._hostedTenants.get(`namespace/${this.name}`);
    if (other) fail(here, messages.duplicateName('tenant', this.name, [other]));
    this._props = props;
    // its rules (src/rules/tenant-rules.ts) run in this place of the declaration order
    markKind(this, NodeKind.NAMESPACE_TENANT);
    host._hostedTenants.set(`namespace/${this.name}`, this.node.path);
  }

  /** The team's SSO groups. */
  public get owners(): string[] {
    return this._props.owners.names;
  }

  /** The ClusterRole bound to the owners in the namespace. */
  public get role(): NamespaceRole {
    return this._props.role ?? NamespaceRole.ADMIN;
  }

  /** The host names the team's routes and Ingresses may name on the host (see {@link NamespaceTenantProps.hostnames}). */
  public get hostnames(): string[] {
    return [...this._props.hostnames ?? []];
  }

  /** The team's repository URLs. */
  public get repositories(): string[] {
    return (this._props.repositories ?? []).map((r) => r.url);
  }

  /** The management cluster whose Argo CD deploys into the host. */
  public get management(): ManagementCluster {
    let c: Construct | undefined = this.host;
    while (c && !(c instanceof ManagementCluster)) c = c.node.scope as Construct | undefined;
    return c as ManagementCluster;
  }
}
