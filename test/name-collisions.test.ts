// Names made of other names that meet where the cloud or Argo CD keeps one per key: a namespace
// tenant's repository credentials (one repository Secret per URL and project), and the IAM roles
// the library names (one per name and AWS account).
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  AddonIdentity, ClusterSelector, FleetCluster, Group, HelmChart, ManagementCluster, NamespaceTenant, Platform, ServiceCatalogEntry,
} from '../src';
import { aksCloud, awsMgmt, awsPlatform, azurePlatform, eksCloud, manifests } from './support/fixtures';

const owners = Group.named('devteam-a');
const secure = { 'security-basic': 'enabled' };

/** The messages of what validate() finds, errors only. */
const errors = (p: Platform) => p.validate().filter((x) => x.severity !== 'warning').map((x) => `[${x.path}] ${x.message}`);

describe('a namespace tenant\'s repository credentials: one per repository URL', () => {
  const team = (repositories: ConstructorParameters<typeof NamespaceTenant>[2]['repositories'], name = 'devteam-a') => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: secure });
    const dev = new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: secure });
    return { platform, dev, make: () => new NamespaceTenant(dev, name, { owners, repositories }) };
  };
  /** The repository Secrets the management folder templates, as { name, url, project, key }. */
  const repositorySecrets = (files: Map<string, string>) => manifests(files)
    .filter(({ obj }) => obj.kind === 'ExternalSecret' && obj.spec.target.template?.metadata?.labels?.['argocd.argoproj.io/secret-type'] === 'repository')
    .map(({ obj }) => ({ name: obj.metadata.name, url: obj.spec.target.template.data.url, project: obj.spec.target.template.data.project, key: obj.spec.data[0].remoteRef.key }));

  it('refuses two credentialsKeys for URLs Argo CD takes for one repository (with and without .git), naming both entries', () => {
    const { make } = team([
      { url: 'https://github.com/acme/devteam-a.git', path: 'apps', credentialsKey: 'repos/devteam-a-read' },
      { url: 'https://github.com/acme/devteam-a', path: 'infra', credentialsKey: 'repos/devteam-a-deploy' },
    ]);
    expect(make).toThrow('[platform/mgmt/dev/devteam-a] repositories[1].credentialsKey: got "repos/devteam-a-deploy". '
      + 'Allowed: "repos/devteam-a-read", the credentialsKey of repositories[0]: Argo CD takes the URL "https://github.com/acme/devteam-a" for the same repository as "https://github.com/acme/devteam-a.git", '
      + 'and it keeps one repository Secret per URL and project (with two, which credentials it uses is undefined). '
      + 'Fix: name the same credentialsKey on every entry of the repository (a store entry whose credentials read every path deployed from it), or none on any for a public repository.');
  });

  it('refuses an entry without credentials beside one with them, and compares ssh addresses as Argo CD does', () => {
    expect(team([
      { url: 'https://github.com/acme/devteam-a.git', path: 'apps', credentialsKey: 'repos/devteam-a' },
      { url: 'https://github.com/acme/devteam-a.git', path: 'infra' },
    ]).make).toThrow('repositories[1].credentialsKey: got nothing. Allowed: "repos/devteam-a", the credentialsKey of repositories[0]: both have the URL "https://github.com/acme/devteam-a.git"');
    expect(team([
      { url: 'git@github.com:acme/devteam-a.git', path: 'apps' },
      { url: 'ssh://git@GitHub.com/acme/devteam-a', path: 'infra', credentialsKey: 'repos/devteam-a-ssh' },
    ]).make).toThrow('Allowed: no credentialsKey, as repositories[0] has none: Argo CD takes the URL "ssh://git@GitHub.com/acme/devteam-a" for the same repository as "git@github.com:acme/devteam-a.git"');
    // https and ssh are two repositories to Argo CD, and so are two repositories of one organization
    expect(team([
      { url: 'https://github.com/acme/devteam-a.git', credentialsKey: 'repos/devteam-a' },
      { url: 'git@github.com:acme/devteam-a.git', credentialsKey: 'repos/devteam-a-ssh' },
      { url: 'https://github.com/acme/devteam-a-infra.git', credentialsKey: 'repos/devteam-a-infra' },
    ]).make).not.toThrow();
  });

  it('renders one repository Secret per URL of the project when the entries share the key, and lists each URL once in the project', () => {
    const { platform, make } = team([
      { url: 'https://github.com/acme/devteam-a.git', path: 'apps', credentialsKey: 'repos/devteam-a' },
      { url: 'https://github.com/acme/devteam-a.git', path: 'infra', credentialsKey: 'repos/devteam-a' },
      { url: 'https://github.com/acme/devteam-a', path: 'jobs', credentialsKey: 'repos/devteam-a' },
    ]);
    make();
    const files = platform.render();
    expect(repositorySecrets(files)).toEqual([{ name: 'repo-team-devteam-a-d96102b0', url: 'https://github.com/acme/devteam-a.git', project: 'team-devteam-a', key: 'platform/repos/devteam-a' }]);
    // every path still gets its Application
    expect(['0eddac27', '8b4b3ae5', '2f5286cb'].map((h) => parse(files.get(`clusters/mgmt/argocd/application-team-devteam-a-${h}.yaml`)!).spec.source.path)).toEqual(['apps', 'infra', 'jobs']);
    expect(parse(files.get('clusters/mgmt/argocd/appproject-team-devteam-a.yaml')!).spec.sourceRepos).toEqual(['https://github.com/acme/devteam-a.git', 'https://github.com/acme/devteam-a']);
  });

  it('two tenants with one repository URL each get their own Secret, scoped to their own project', () => {
    const { platform, dev, make } = team([{ url: 'https://github.com/acme/shared.git', credentialsKey: 'repos/devteam-a' }]);
    make();
    new NamespaceTenant(dev, 'devteam-b', { owners: Group.named('devteam-b'), repositories: [{ url: 'https://github.com/acme/shared.git', credentialsKey: 'repos/devteam-b' }] });
    expect(repositorySecrets(platform.render()).map((s) => [s.project, s.key])).toEqual([
      ['team-devteam-a', 'platform/repos/devteam-a'], ['team-devteam-b', 'platform/repos/devteam-b'],
    ]);
  });
});

describe('IAM role names are unique across the platform', () => {
  /** A catalog entry with an AWS add-on identity, on the clusters labelled `tool: <id>`. */
  const entry = (platform: Platform, id: string, identity: string) => new ServiceCatalogEntry(platform, id, {
    chart: HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: id, version: '1.0.0' }),
    namespace: id, targets: ClusterSelector.labels({ tool: id }),
    identity: AddonIdentity.aws({ name: identity, serviceAccount: id, statements: [{ actions: ['s3:GetObject'], resources: ['arn:<partition>:s3:::acme-data/*'] }] }),
  });
  const fleet = (mgmt: ManagementCluster, name: string, cidr: string, tool?: string) =>
    new FleetCluster(mgmt, name, { environment: 'dev', cloud: eksCloud(cidr), labels: { ...secure, ...(tool ? { tool } : {}) } });
  const WHY = 'IAM role names are unique per AWS account, so whichever of the two Terraform states is applied second fails with EntityAlreadyExists; '
    + 'the platform does not know which account each state is applied in, so it keeps every IAM role name it makes distinct across all clusters.';

  it('refuses add-on identities whose role names join into the same text (identity "ext" on "dns-prod", "ext-dns" on "prod"), naming both', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: secure });
    fleet(mgmt, 'dns-prod', '10.20.0.0/16', 'tool-a');
    fleet(mgmt, 'prod', '10.30.0.0/16', 'tool-b');
    entry(platform, 'tool-a', 'ext');
    entry(platform, 'tool-b', 'ext-dns');
    expect(errors(platform)).toEqual([
      '[platform/tool-b] IAM role name "ext-dns-prod" is made twice: for add-on identity "ext-dns" of catalog entry "tool-b" on cluster "prod" (<identity>-<cluster>), '
      + 'and for add-on identity "ext" of catalog entry "tool-a" on cluster "dns-prod" (<identity>-<cluster>), declared at platform/tool-a. '
      + `${WHY} Fix: rename the identity of catalog entry "tool-b" (AddonIdentity name "ext-dns"), cluster "prod", the identity of catalog entry "tool-a" (AddonIdentity name "ext") or cluster "dns-prod" so the two names differ.`,
    ]);
    expect(() => platform.render()).toThrow('IAM role name "ext-dns-prod" is made twice');
  });

  it('refuses an add-on role that takes a cluster\'s own role name (EKS roles, the management cluster\'s)', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: secure });
    fleet(mgmt, 'x', '10.20.0.0/16');
    fleet(mgmt, 'x-nodes', '10.30.0.0/16', 'tool-a');
    fleet(mgmt, 'secrets-mgmt', '10.40.0.0/16', 'tool-b');
    entry(platform, 'tool-a', 'eks');
    entry(platform, 'tool-b', 'external');
    expect(errors(platform).map((m) => m.split(' IAM role names')[0])).toEqual([
      '[platform/tool-a] IAM role name "eks-x-nodes" is made twice: for add-on identity "eks" of catalog entry "tool-a" on cluster "x-nodes" (<identity>-<cluster>), and for cluster "x" (eks-<name>-nodes), declared at platform/mgmt/x.',
      '[platform/tool-b] IAM role name "external-secrets-mgmt" is made twice: for add-on identity "external" of catalog entry "tool-b" on cluster "secrets-mgmt" (<identity>-<cluster>), and for cluster "mgmt" (external-secrets-<name>), declared at platform/mgmt.',
    ]);
  });

  it('refuses two entries whose identities share a name on one cluster (renaming the cluster would not part them)', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: secure });
    new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: { ...secure, tool: 'tool-a' } });
    entry(platform, 'tool-a', 'backup');
    new ServiceCatalogEntry(platform, 'tool-b', {
      chart: HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'tool-b', version: '1.0.0' }), namespace: 'tool-b', targets: ClusterSelector.labels({ tool: 'tool-a' }),
      identity: AddonIdentity.aws({ name: 'backup', serviceAccount: 'tool-b', statements: [{ actions: ['s3:PutObject'], resources: ['arn:<partition>:s3:::acme-data/*'] }] }),
    });
    expect(errors(platform)).toEqual([expect.stringContaining(
      'Fix: rename the identity of catalog entry "tool-b" (AddonIdentity name "backup") or the identity of catalog entry "tool-a" (AddonIdentity name "backup") so the two names differ.')]);
  });

  it('refuses two entries that give one AKS cluster add-on identities of the same name (one managed identity and one set of outputs for both)', () => {
    const platform = azurePlatform();
    new ManagementCluster(platform, 'mgmt', { cloud: aksCloud('10.0.0.0/16'), labels: secure });
    const reader = [{ roleDefinitionName: 'Reader', scope: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data' }];
    for (const name of ['one', 'two']) {
      new ServiceCatalogEntry(platform, name, {
        chart: HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: name, version: '1.0.0' }), namespace: name, targets: ClusterSelector.labels({}),
        identity: AddonIdentity.azure({ name: 'agent', serviceAccount: name, roles: reader }),
      });
    }
    // before: cdktf's "There is already a Construct with name 'addon-agent-identity'" from render()
    expect(errors(platform)).toEqual([
      '[platform/two] catalog entries "one" (platform/one) and "two" both give cluster "mgmt" an add-on identity named "agent": '
      + 'the cluster\'s Terraform state names an identity\'s resources and its outputs (agent_client_id, agent_tenant_id) after the identity and the cluster, so the two cannot both exist there. '
      + 'Fix: give one of the two identities another name.',
    ]);
  });

  it('refuses the roles two AKS management clusters\' Argo CDs assume on EKS fleet clusters ("a" on "b-c", "a-b" on "c")', () => {
    const platform = azurePlatform();
    const a = new ManagementCluster(platform, 'a', { cloud: aksCloud('10.0.0.0/16'), labels: secure });
    const ab = new ManagementCluster(platform, 'a-b', { cloud: aksCloud('10.1.0.0/16'), labels: secure, argocd: { hostname: 'argocd-a-b.platform.acme.dev' } });
    new FleetCluster(a, 'b-c', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: secure });
    new FleetCluster(ab, 'c', { environment: 'dev', cloud: eksCloud('10.30.0.0/16'), labels: secure });
    expect(errors(platform)).toEqual([
      '[platform/a-b/c] IAM role name "argocd-a-b-c" is made twice: for the role management cluster "a-b"\'s Argo CD assumes on cluster "c" (argocd-<management>-<cluster>), '
      + 'and for the role management cluster "a"\'s Argo CD assumes on cluster "b-c" (argocd-<management>-<cluster>), declared at platform/a/b-c. '
      + `${WHY} Fix: rename cluster "c", management cluster "a-b", cluster "b-c" or management cluster "a" so the two names differ.`,
    ]);
  });

  it('distinct names pass, and a duplicate cluster name is reported once, as a duplicate name', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: secure });
    fleet(mgmt, 'dev', '10.20.0.0/16', 'tool-a');
    fleet(mgmt, 'prod', '10.30.0.0/16', 'tool-a');
    entry(platform, 'tool-a', 'ext-dns');
    expect(errors(platform)).toEqual([]);
    new FleetCluster(mgmt, 'dev-again', { name: 'dev', environment: 'dev', cloud: eksCloud('10.40.0.0/16'), labels: secure });
    expect(errors(platform)).toEqual([expect.stringMatching(/^\[platform\/mgmt\/dev-again\] duplicate cluster name "dev"/)]);
  });
});
