// Names made of other names that meet where the cloud or Argo CD keeps one per key: a namespace
// tenant's repository credentials (one repository Secret per URL and project), and the IAM roles
// the library names (one per name and AWS account).
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { FleetCluster, Group, NamespaceTenant } from '../src';
import { awsMgmt, awsPlatform, eksCloud, manifests } from './support/fixtures';

const owners = Group.named('devteam-a');
const secure = { 'security-basic': 'enabled' };

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
    expect(repositorySecrets(files)).toEqual([{ name: 'repo-team-devteam-a-0', url: 'https://github.com/acme/devteam-a.git', project: 'team-devteam-a', key: 'platform/repos/devteam-a' }]);
    // every path still gets its Application
    expect(['0', '1', '2'].map((i) => parse(files.get(`clusters/mgmt/argocd/application-team-devteam-a-${i}.yaml`)!).spec.source.path)).toEqual(['apps', 'infra', 'jobs']);
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
