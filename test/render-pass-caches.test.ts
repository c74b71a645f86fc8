import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { filepathMatch, globMatch, isDestinationPermitted, isSourcePermitted, projectPermissions } from '../src';
import { ProjectAnswers, resourceDenial } from '../src/argocd/app-project';
import { firstDeclaredTenant, registerTenant } from '../src/tenant/tenant-index';
import { findCredentials } from '../src/policy/credentials';
import { nestedSecrets } from '../src/policy/secret-checks';
import { pathMatch } from '../src/testing/generators';
import { entriesByCluster, exposureProblems, ExposureProvider } from '../src/tenant/exposure-rule';
import { expandApplicationSetWithOrigin, ExpansionMemo, GitRepositoryView } from '../src/testing/expand';

// The render pass computes some answers once and reuses them (docs/decisions/0006-performance.md,
// round three): each cache must give exactly the answer of the computation it replaces.

function entry(name: string, clusters: string[], chart?: string): ExposureProvider {
  return {
    name, namespace: name, ...(chart ? { chart: { chart } } : {}), targetedClusters: clusters,
    _manifestsFor: () => [], _valuesFor: () => ({ sources: ['gateway-tlsroute'] }),
  };
}

describe('the exposure rule index', () => {
  it('lists each cluster\'s entries once, in the entries\' order, and gives the rule the entries on the tenant\'s host only', () => {
    const a = entry('a', ['hub', 'edge', 'hub']);
    const b = entry('b', ['edge'], 'external-dns');
    const c = entry('c', ['other'], 'external-dns');
    const index = entriesByCluster([a, b, c]);
    expect(index.get('edge')).toEqual([a, b]);
    expect(index.get('hub')).toEqual([a]);
    expect(index.get('nowhere')).toBeUndefined();
    const tenant = (host: string) => ({ path: 'p/t', name: 't', host: { name: host }, exposure: { kind: 'gateway' as const, name: 'public', namespace: 'gw' } });
    // external-dns on "edge" reads TLSRoutes: only the Gateway is missing there; "hub" has no external-dns at all
    expect(exposureProblems(tenant('edge'), index).map((p) => p.message.split(':')[0])).toEqual(['the API of tenant "t" is exposed through the Gateway gw/public, but no catalog entry on its host "edge" applies it']);
    expect(exposureProblems(tenant('hub'), index)[1].message).toContain('no external-dns runs on its host "hub"');
  });
});

describe('AppProject answers computed once', () => {
  const project = projectPermissions({
    spec: {
      sourceRepos: ['https://github.com/acme/platform.git', '!https://github.com/acme/secret.git'],
      destinations: [{ name: 'vc-a', namespace: 'team-a' }, { name: 'vc-*', namespace: 'shared-?' }, { name: '!vc-x', namespace: '*' }],
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: 'team-*' }],
      namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }],
    },
  });

  it('gives the answers of the functions it replaces, asked once or many times', () => {
    const answers = new ProjectAnswers(project);
    for (let round = 0; round < 2; round++) {
      for (const repo of ['https://github.com/acme/platform.git', 'https://github.com/acme/secret.git', 'https://github.com/acme/other.git']) {
        expect(answers.sourcePermitted(repo)).toBe(isSourcePermitted(project, repo));
      }
      for (const [cluster, ns] of [['vc-a', 'team-a'], ['vc-a', 'team-b'], ['vc-b', 'shared-1'], ['vc-b', 'shared-10'], ['vc-x', 'shared-1']]) {
        expect(answers.destinationPermitted({ name: cluster }, ns)).toBe(isDestinationPermitted(project, { name: cluster }, ns));
      }
      for (const [kind, name, ns] of [['Namespace', 'team-a', undefined], ['Namespace', 'kube-system', undefined], ['ResourceQuota', 'q', 'team-a'], ['ConfigMap', 'c', 'team-a'], ['ConfigMap', 'c', 'elsewhere']] as const) {
        for (const cluster of [{ name: 'vc-a' }, { name: 'vc-x' }]) {
          expect(answers.denial('tenant-a', '', kind, name, ns, cluster)).toBe(resourceDenial(project, 'tenant-a', '', kind, name, ns, cluster));
        }
      }
    }
    expect(answers.denial('tenant-a', '', 'Namespace', 'kube-system', undefined, { name: 'vc-a' })).toBe('resource :Namespace is not permitted in project tenant-a');
    expect(answers.denial('tenant-a', '', 'ConfigMap', 'c', 'elsewhere', { name: 'vc-x' })).toBe('namespace elsewhere is not permitted in project \'tenant-a\'');
    expect(() => answers.destinationPermitted(null as never, 'team-a')).toThrow(/^\[isDestinationPermitted\] cluster: got null/);
  });

  it('compares a pattern without special characters as a string, a pattern with them as a glob', () => {
    expect(globMatch('vc-a.b', 'vc-a.b', true)).toBe(true);
    expect(globMatch('vc-a.b', 'vc-axb', true)).toBe(false);
    expect(globMatch('!vc-a', 'vc-a', true)).toBe(false);
    expect(globMatch('!vc-a', 'vc-b', true)).toBe(true);
    expect(globMatch('vc-{a,b}', 'vc-b', false)).toBe(true);
    expect(filepathMatch('Namespace', 'Namespace')).toBe(true);
    expect(filepathMatch('Name.pace', 'Namespace')).toBe(false);
    expect(filepathMatch('Name*', 'Namespace')).toBe(true);
  });
});

describe('ApplicationSet expansions shared within a pass', () => {
  const appSet = {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'tenants', namespace: 'argocd' },
    spec: {
      goTemplate: true,
      generators: [{ matrix: { generators: [{ clusters: { selector: { matchLabels: { env: 'dev' } } } }, { git: { repoURL: 'https://github.com/acme/p.git', revision: 'HEAD', directories: [{ path: 'tenants/*' }] } }] } }],
      template: { metadata: { name: '{{ .name }}-{{ .path.basename }}' }, spec: { project: 'p', destination: { name: '{{ .name }}' } } },
    },
  };
  const repo = (folders: string[]): GitRepositoryView => ({ url: 'https://github.com/acme/p.git', revision: 'HEAD', directories: () => folders });
  const names = (apps: { application: { metadata: { name: string } } }[]) => apps.map((a) => a.application.metadata.name);

  it('reuses an expansion of the same object, clusters of the same content and the same folders, and expands again otherwise', () => {
    const memo = new ExpansionMemo();
    const clusters = [{ name: 'c1', labels: { env: 'dev' } }, { name: 'c2', labels: { env: 'prod' } }];
    const first = memo.expand(appSet, clusters, repo(['tenants', 'tenants/a']));
    expect(names(first)).toEqual(names(expandApplicationSetWithOrigin(appSet, clusters, repo(['tenants', 'tenants/a']))));
    expect(names(first)).toEqual(['c1-a']);
    // same content in other objects: the same expansion
    expect(memo.expand(appSet, clusters.map((c) => ({ ...c, labels: { ...c.labels } })), repo(['tenants', 'tenants/a']))).toBe(first);
    // a cluster's labels changed: expanded again
    const relabelled = memo.expand(appSet, [{ name: 'c1', labels: { env: 'dev' } }, { name: 'c2', labels: { env: 'dev' } }], repo(['tenants', 'tenants/a']));
    expect(names(relabelled)).toEqual(['c1-a', 'c2-a']);
    // the repository lists other folders: expanded again
    const moreFolders = memo.expand(appSet, clusters, repo(['tenants', 'tenants/a', 'tenants/b']));
    expect(names(moreFolders)).toEqual(['c1-a', 'c1-b']);
    // another object of the same content: expanded again (objects are the key)
    expect(memo.expand(structuredClone(appSet), clusters, repo(['tenants', 'tenants/a']))).not.toBe(first);
  });

  it('keeps no failed expansion', () => {
    const memo = new ExpansionMemo();
    const failing = { ...appSet, spec: { ...appSet.spec, goTemplate: false } };
    expect(() => memo.expand(failing, [], repo([]))).toThrow(/only goTemplate: true is supported/);
    expect(() => memo.expand(failing, [], repo([]))).toThrow(/only goTemplate: true is supported/);
  });
});

describe('the declared-tenants index (a team service\'s suggested cluster without a tree walk)', () => {
  it('answers the first match of a pre-order walk of the tree, whatever order the tenants were declared in', () => {
    const root = new Construct(undefined as unknown as Construct, '');
    const hubA = new Construct(root, 'a');
    const hubB = new Construct(root, 'b');
    const env = new Map<Construct, string>();
    const declare = (scope: Construct, id: string, e: string) => {
      const t = new Construct(scope, id);
      env.set(t, e);
      registerTenant(root, t);
      return t;
    };
    // declared on the second host first, then on the first host, then one nested under a tenant
    const b1 = declare(hubB, 't1', 'prod');
    const a1 = declare(hubA, 't1', 'staging');
    const a2 = declare(hubA, 't2', 'prod');
    const nested = declare(a1, 'inner', 'prod');
    const walk = (e: string) => root.node.findAll().find((c) => env.get(c) === e);
    for (const e of ['prod', 'staging', 'dev']) {
      expect(firstDeclaredTenant(root, (t) => env.get(t) === e)).toBe(walk(e));
    }
    expect(firstDeclaredTenant(root, (t) => env.get(t) === 'prod')).toBe(nested);
    expect(firstDeclaredTenant(root, (t) => t === a2 || t === b1)).toBe(a2);
    expect(firstDeclaredTenant(new Construct(undefined as unknown as Construct, ''), () => true)).toBeUndefined();
  });
});

describe('nestedSecrets builds a path only where it finds a Secret', () => {
  it('names each Secret by the same path as before, in the walk\'s order', () => {
    const secret = (name: string) => ({ kind: 'Secret', metadata: { name }, data: { k: 'dg==' } });
    const value = {
      a: [{ b: [1, secret('one')] }, { kind: 'Secret', metadata: { name: 'empty' } }],
      text: 'kind: ConfigMap\n---\nkind: Secret\nmetadata: {name: two}\nstringData: {k: v}\n---\nitems:\n  - kind: Secret\n    metadata: {name: three}\n    data: {k: dg==}\n',
      c: { d: secret('four') },
    };
    expect(nestedSecrets(value)).toEqual([
      'c.d (Secret "four")',
      'text (document 2: Secret "two")',
      'text[document 3].items[0] (Secret "three")',
      'a[0].b[1] (Secret "one")',
    ]);
    expect(nestedSecrets([secret('x')], 'values')).toEqual(['values[0] (Secret "x")']);
    expect(nestedSecrets(secret('top'))).toEqual([]);
  });
});

describe('compiled path patterns of the git generator', () => {
  it('answer as Go\'s path.Match each time, and a bad pattern fails each time', () => {
    for (let i = 0; i < 2; i++) {
      expect(pathMatch('tenants/*', 'tenants/team-a')).toBe(true);
      expect(pathMatch('tenants/*', 'tenants/team-a/services')).toBe(false);
      expect(pathMatch('tenants/[!.]?', 'tenants/ab')).toBe(false);
      expect(pathMatch('tenants/te?m-[ab]', 'tenants/team-b')).toBe(true);
      expect(() => pathMatch('tenants/[', 'tenants/a')).toThrow('syntax error in pattern');
    }
  });
});

describe('the credential scan\'s first-character lookahead', () => {
  it('finds every format where it starts, as the patterns alone do', () => {
    const samples = [
      `key: ${['AKIA', 'Z7Q2XK4M9TPLW3RB'].join('')}`,
      `url: https://acme.blob.core.windows.net/c?sv=2022&${['sig=', 'a'.repeat(40)].join('')}`,
      `hook: https://${['hooks.slack.com/services/', 'T0123ABCD/B0123ABCD/', 'abcdefghijklmnop1234'].join('')}`,
      `note: "${['-----BEGIN', ' RSA PRIVATE KEY-----'].join('')}"`,
      `"auth": "${Buffer.from('user:pass').toString('base64')}"`,
      `token: ${['gh', 'p_', 'a1'.repeat(18)].join('')}`,
      `slack: ${['xoxb', '-', '1234567890-abcdefghij'].join('')}`,
      `jwt: ${['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'].join('.')}`,
      `password: ${'Zx9Yw8Vu7Ts6Rq5Po4Nm'}`,
      `+${'A'.repeat(63)}`,
    ];
    expect(findCredentials(samples.join('\n')).map((c) => `${c.line} ${c.kind}`)).toEqual([
      '1 an AWS access key id',
      '2 an Azure SAS token',
      '3 a Slack webhook URL',
      '4 a private key (PEM)',
      '5 a container registry login (docker config "auth")',
      '6 a GitHub token',
      '7 a Slack token',
      '8 a JSON Web Token',
      '9 a token or password',
    ]);
  });
});
