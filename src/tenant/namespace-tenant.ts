import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ARGOCD_NAMESPACE } from '../argocd/types';
import { argoAppProject, argoApplication, teamProjectFence } from '../argocd/objects';
import { badValue, fail, messages, Problem } from '../core/errors';
import { checkChild, checkInstance, checkList, checkProps, checkRecord } from '../core/data';
import { checkDnsLabel, checkGitRevision, checkRepoUrl } from '../core/validate';
import { Quantity } from '../model/quantity';
import { ClusterBase } from '../cluster/cluster-base';
import { ManagementCluster } from '../cluster/management-cluster';
import { Platform } from '../platform';
import { Group } from './group';
import { NetworkAllowance } from './network-allowance';
import { PodSecurityLevel, TenantLimitRange, TenantQuota, TenantVCluster } from './tenant-vcluster';
import { renderTenantFence, tenantQuota } from './tenant-fence';

/** The ClusterRole the team is bound to in its namespace. */
export enum NamespaceRole {
  /** `admin`: everything in the namespace except its quota and the namespace itself (Kubernetes' user-facing admin role). */
  ADMIN = 'admin',
  /** `edit`: workloads and their configuration, no Roles or RoleBindings. */
  EDIT = 'edit',
  /** `view`: read only. */
  VIEW = 'view',
}

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
}

/**
 * A team's namespace on a shared cluster (the native multitenancy of the book's chapter 5,
 * "devteam-a"): on the host, the namespace with Pod Security labels, a ResourceQuota, a
 * LimitRange, default-deny NetworkPolicies with DNS and same-namespace traffic, and the team's
 * RoleBinding; in the management cluster's Argo CD, an AppProject fenced to that namespace and
 * the team's repositories (nothing cluster-scoped, no quota or policy objects), an Application
 * per repository, and the repositories' credentials through the platform secret store.
 */
export class NamespaceTenant extends Construct {
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
  private readonly props: NamespaceTenantProps;
  private readonly platform: Platform;

  constructor(host: ClusterBase, id: string, props: NamespaceTenantProps) {
    super(checkChild(host, id), id);
    const here = this.node.path;
    if (!(host instanceof ClusterBase)) fail(here, badValue('scope', `a ${(host as Construct).constructor.name}`, 'a ManagementCluster or FleetCluster', 'declare the tenant inside its host cluster'));
    checkProps(here, props, '{ owners: Group.named("team-a") }');
    this.platform = Platform.of(this);
    this.host = host;
    this.name = checkDnsLabel(here, 'name', props.name ?? id);
    this.namespace = checkDnsLabel(here, 'namespace', props.namespace ?? this.name);
    this.project = checkDnsLabel(here, 'name (as "team-<name>")', `team-${this.name}`);
    if (!(props.owners instanceof Group)) fail(here, badValue('owners', props.owners, 'Group.named(...) or Group.anyOf([...])', 'name the team\'s SSO group'));
    const groupProblems = props.owners._problems('owners');
    if (groupProblems.length) fail(here, groupProblems[0]);
    if (props.role !== undefined && !Object.values(NamespaceRole).includes(props.role)) {
      fail(here, badValue('role', props.role, 'NamespaceRole.ADMIN, EDIT or VIEW', 'pick one of the user-facing roles'));
    }
    if (props.podSecurity !== undefined && !Object.values(PodSecurityLevel).includes(props.podSecurity)) {
      fail(here, badValue('podSecurity', props.podSecurity, 'PodSecurityLevel.BASELINE or PodSecurityLevel.RESTRICTED', 'tenants never run privileged pods'));
    }
    checkList<TeamRepository>(here, 'repositories', props.repositories ?? [], '[{ url: "https://github.com/acme/team-a.git" }]').forEach((r, i) => {
      checkRecord(here, `repositories[${i}]`, r, '{ url: "https://github.com/acme/team-a.git", path: "deploy" }');
      checkRepoUrl(here, `repositories[${i}].url`, r.url);
      if (r.path !== undefined && (typeof r.path !== 'string' || r.path === '' || /[\x00-\x1f{}]/.test(r.path) || r.path.startsWith('/') || r.path.split('/').includes('..'))) {
        fail(here, badValue(`repositories[${i}].path`, r.path, 'a relative folder of the repository', 'remove leading "/" and ".." segments'));
      }
      if (r.revision !== undefined) checkGitRevision(here, `repositories[${i}].revision`, r.revision);
      if (r.credentialsKey !== undefined && (typeof r.credentialsKey !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9/_.-]{0,126}$/.test(r.credentialsKey))) {
        fail(here, badValue(`repositories[${i}].credentialsKey`, r.credentialsKey, 'a secret store key of letters, digits, "/", "_", "." and "-"', 'name the store entry holding the credentials'));
      }
    });
    this.quota = tenantQuota(here, props.quota);
    if (props.limitRange !== undefined) checkRecord(here, 'limitRange', props.limitRange, '{ defaultCpu: "500m" }');
    for (const [k, v] of Object.entries(props.limitRange ?? {})) {
      if (Quantity.parse(v) === undefined) fail(here, badValue(`limitRange.${k}`, v, 'a Kubernetes quantity', 'fix the quantity'));
    }
    if (props.networkAllowances !== undefined) {
      checkList(here, 'networkAllowances', props.networkAllowances, '[NetworkAllowance.egressToCidr(...)]')
        .forEach((a, i) => checkInstance(here, `networkAllowances[${i}]`, a, NetworkAllowance, 'NetworkAllowance.egressToCidr(...) or .ingressFromNamespace(...)')._validate(here, `networkAllowances[${i}]`));
    }
    if (host.chart.node.tryFindChild(`namespace-tenant-${this.name}`)) {
      const other = host.node.findAll().find((c) => c !== this && c instanceof NamespaceTenant && c.name === this.name);
      fail(here, messages.duplicateName('tenant', this.name, [other?.node.path ?? `a tenant on host "${host.name}"`]));
    }
    this.props = props;
    const scope = new Construct(host.chart, `namespace-tenant-${this.name}`);
    renderTenantFence(scope, {
      tenant: this.name, namespace: this.namespace, podSecurity: props.podSecurity ?? PodSecurityLevel.BASELINE,
      quota: this.quota, limitRange: props.limitRange, networkAllowances: props.networkAllowances ?? [],
    });
    new ApiObject(scope, 'team-binding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `team-${this.role}`, namespace: this.namespace, labels: { tenant: this.name } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.role },
      subjects: this.owners.map((g) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: g })),
    });
    this.renderArgoCd();
    this.platform.addRule(() => this.rules());
  }

  /** The team's SSO groups. */
  public get owners(): string[] {
    return this.props.owners.names;
  }

  /** The ClusterRole bound to the owners in the namespace. */
  public get role(): NamespaceRole {
    return this.props.role ?? NamespaceRole.ADMIN;
  }

  /** The team's repository URLs. */
  public get repositories(): string[] {
    return (this.props.repositories ?? []).map((r) => r.url);
  }

  /** The management cluster whose Argo CD deploys into the host. */
  public get management(): ManagementCluster {
    let c: Construct | undefined = this.host;
    while (c && !(c instanceof ManagementCluster)) c = c.node.scope as Construct | undefined;
    return c as ManagementCluster;
  }

  private renderArgoCd(): void {
    const out = new Construct(this.management.chart, `namespace-tenant-${this.node.addr}`);
    const destination = { name: this.host.name, namespace: this.namespace };
    argoAppProject(out, 'project', this.project, {
      description: `Team ${this.name}: deploys only into namespace ${this.namespace} of ${this.host.name}`,
      sourceRepos: this.repositories,
      destinations: [destination],
      ...teamProjectFence(this.project, this.owners),
    });
    (this.props.repositories ?? []).forEach((r, i) => {
      argoApplication(out, `app-${i}`, {
        name: `${this.project}-${i}`,
        labels: { tenant: this.name },
        annotations: { 'argocd.argoproj.io/manifest-generate-paths': '.' },
        cascadeDelete: true,
        spec: {
          project: this.project,
          source: { repoURL: r.url, targetRevision: r.revision ?? 'HEAD', path: r.path ?? 'deploy', directory: { recurse: true } },
          destination,
          // the namespace (with its fence) comes from the host's folder: no CreateNamespace
          syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['PruneLast=true', 'FailOnSharedResource=true'] },
        },
      });
      if (r.credentialsKey) {
        const ssh = !/^https:\/\//.test(r.url);
        const props = ssh ? ['sshPrivateKey'] : ['username', 'password'];
        new ApiObject(out, `repo-creds-${i}`, {
          apiVersion: 'external-secrets.io/v1',
          kind: 'ExternalSecret',
          metadata: { name: `repo-${this.project}-${i}`, namespace: ARGOCD_NAMESPACE, annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' } },
          spec: {
            refreshInterval: '1h',
            secretStoreRef: { kind: 'ClusterSecretStore', name: 'platform' },
            target: {
              name: `repo-${this.project}-${i}`,
              creationPolicy: 'Owner',
              template: {
                engineVersion: 'v2',
                metadata: { labels: { 'argocd.argoproj.io/secret-type': 'repository', 'tenant': this.name } },
                data: { type: 'git', url: r.url, project: this.project, ...Object.fromEntries(props.map((p) => [p, `{{ .${p} }}`])) },
              },
            },
            data: props.map((p) => ({ secretKey: p, remoteRef: { key: this.platform.secretStore._remoteKey(r.credentialsKey!), property: p } })),
          },
        });
      }
    });
  }

  private rules(): Problem[] {
    const here = this.node.path;
    const index = this.platform._cached('namespace-tenants', () => {
      const byName = new Map<string, Construct[]>();
      const byNamespace = new Map<string, Construct[]>();
      const add = (m: Map<string, Construct[]>, k: string, c: Construct) => m.set(k, [...(m.get(k) ?? []), c]);
      for (const c of this.platform._all()) {
        if (!(c instanceof NamespaceTenant) && !(c instanceof TenantVCluster)) continue;
        add(byName, c.name, c);
        add(byNamespace, `${c.host.node.path}\n${c.namespace}`, c);
      }
      return { byName, byNamespace };
    });
    // vCluster tenants check each other; this reports any clash that involves a namespace tenant
    const clash = (list: Construct[]) => {
      const others = list.filter((x) => x !== this);
      return others.length && (list[0] !== this || others.some((o) => o instanceof TenantVCluster)) ? others[0] : undefined;
    };
    const problems: Problem[] = [];
    const sameName = clash(index.byName.get(this.name) ?? []);
    if (sameName) problems.push({ path: here, message: `duplicate tenant name "${this.name}": also declared at ${sameName.node.path}. Fix: give each tenant a unique name.` });
    const sameNs = clash(index.byNamespace.get(`${this.host.node.path}\n${this.namespace}`) ?? []);
    if (sameNs) problems.push({ path: here, message: `tenant "${this.name}" uses namespace "${this.namespace}" on host "${this.host.name}", as does ${sameNs.node.path}. Fix: give each tenant its own namespace.` });
    return problems;
  }
}
