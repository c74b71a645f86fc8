 
import { ApiObject } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  checkProjectPermissions, expectPlatform, filepathMatch, globMatch, Group, isDestinationPermitted, isGroupKindNamePermitted, isSourcePermitted, KindScopes,
  ManagementCluster, Platform, TenantVCluster, Testing,
} from '../src';
import { normalizeGitUrl } from '../src/argocd/app-project';
import { azureMgmt, azurePlatform } from './support/fixtures';

// Cases replayed from Argo CD's own tests (pkg/apis/application/v1alpha1/types_test.go), as data.

/** TestAppProject_IsSourcePermitted and TestAppProject_IsNegatedSourcePermitted */
const SOURCES: [string[], string, boolean][] = [
  [['*'], 'https://github.com/argoproj/test.git', true],
  [['https://github.com/argoproj/test.git'], 'https://github.com/argoproj/test.git', true],
  [['ssh://git@GITHUB.com:argoproj/test'], 'ssh://git@github.com:argoproj/test', true],
  [['https://github.com/argoproj/*'], 'https://github.com/argoproj/argoproj.git', true],
  [['https://github.com/test1/test.git', 'https://github.com/test2/test.git'], 'https://github.com/test2/test.git', true],
  [['https://github.com/argoproj/test1.git'], 'https://github.com/argoproj/test2.git', false],
  [['https://github.com/argoproj/*.git'], 'https://github.com/argoproj1/test2.git', false],
  [['https://github.com/argoproj/foo'], 'https://github.com/argoproj/foo1', false],
  [['https://gitlab.com/group/*'], 'https://gitlab.com/group/repo/owner', false],
  [['https://gitlab.com/group/*/*'], 'https://gitlab.com/group/repo/owner', true],
  [['https://gitlab.com/group/*/*/*'], 'https://gitlab.com/group/sub-group/repo/owner', true],
  [['https://gitlab.com/group/**'], 'https://gitlab.com/group/sub-group/repo/owner', true],
  [['!https://github.com/argoproj/test.git'], 'https://github.com/argoproj/test.git', false],
  [['!ssh://git@GITHUB.com:argoproj/test'], 'ssh://git@github.com:argoproj/test', false],
  [['!https://github.com/argoproj/*'], 'https://github.com/argoproj/argoproj.git', false],
  [['https://github.com/test1/test.git', '!https://github.com/test2/test.git'], 'https://github.com/test2/test.git', false],
  [['!https://gitlab.com/group/**'], 'https://gitlab.com/group/sub-group/repo/owner', false],
  [['https://github.com/argoproj/test1.git', '*'], 'https://github.com/argoproj/test2.git', true],
  [['!https://github.com/argoproj/*.git', '*'], 'https://github.com/argoproj1/test2.git', true],
];

type Dest = { name?: string; server?: string; namespace?: string };
const K = 'https://kubernetes.default.svc';
/** TestAppProject_IsDestinationPermitted and TestAppProject_IsNegatedDestinationPermitted */
const DESTINATIONS: [Dest[], Dest, boolean][] = [
  [[{ server: K, namespace: 'default' }], { server: K, namespace: 'default' }, true],
  [[{ server: K, namespace: 'default' }], { server: K, namespace: 'kube-system' }, false],
  [[{ server: 'https://my-cluster', namespace: 'default' }], { server: K, namespace: 'default' }, false],
  [[{ server: K, namespace: '*' }], { server: K, namespace: 'kube-system' }, true],
  [[{ server: 'https://*.default.svc', namespace: 'default' }], { server: K, namespace: 'default' }, true],
  [[{ server: 'https://team1-*', namespace: 'default' }], { server: 'https://test2-dev-cluster', namespace: 'default' }, false],
  [[{ server: K, namespace: 'test-*' }], { server: K, namespace: 'test-foo' }, true],
  [[{ server: K, namespace: 'test-*' }], { server: K, namespace: 'test' }, false],
  [[{ server: '', namespace: '*', name: 'test' }], { name: 'test', namespace: 'test' }, true],
  [[{ server: '', namespace: '*', name: 'test2' }], { name: 'test', namespace: 'test' }, false],
  [[{ name: 'host-cluster', server: K, namespace: '!{kube-system,argocd}' }, { name: 'destination-cluster-01', server: 'https://eks-cluster-endpoint.ap-southeast-1.eks.amazonaws.com', namespace: '*' }],
    { server: 'https://eks-cluster-endpoint.ap-southeast-1.eks.amazonaws.com', namespace: 'kube-system' }, true],
  [[{ server: `!${K}`, namespace: 'default' }], { server: K, namespace: 'default' }, false],
  [[{ server: K, namespace: '!default' }], { server: K, namespace: 'kube-system' }, true],
  [[{ server: '!https://my-cluster', namespace: 'default' }], { server: K, namespace: 'default' }, true],
  [[{ server: K, namespace: '!test-*' }], { server: K, namespace: 'test-foo' }, false],
  [[{ server: '', namespace: '*', name: '!test' }], { name: 'test', namespace: 'test' }, false],
  [[{ server: '*', namespace: 'kube-system' }, { server: '*', namespace: '!kube-system' }], { server: K, namespace: 'kube-system' }, false],
  [[{ server: '*', namespace: '*' }, { server: `!${K}`, namespace: 'kube-system' }, { server: '*', namespace: '!kube-system' }], { server: K, namespace: 'default' }, true],
  [[{ server: '*', namespace: '*' }, { server: `!${K}`, namespace: 'kube-system' }, { server: '*', namespace: '!kube-system' }], { server: 'https://test-dev-cluster', namespace: 'kube-system' }, false],
  [[{ server: '', namespace: '*', name: 'test' }, { server: '', namespace: '*', name: '!test' }], { name: 'test', namespace: 'test' }, false],
  [[{ server: '*', namespace: 'test' }, { server: '!https://test-server', namespace: 'other' }], { server: 'https://test-server', namespace: 'test' }, true],
  [[{ server: '*', namespace: '*' }, { server: 'https://test-server', namespace: '!other' }], { server: 'https://other-test-server', namespace: 'other' }, true],
];

describe('AppProject semantics (Argo CD 3.x)', () => {
  it.each(SOURCES)('sourceRepos %j and %s: permitted %s (TestAppProject_IsSourcePermitted, _IsNegatedSourcePermitted)', (repos, url, permitted) => {
    expect(isSourcePermitted({ sourceRepos: repos }, url)).toBe(permitted);
  });

  it.each(DESTINATIONS)('destinations %j and %j: permitted %s (TestAppProject_IsDestinationPermitted, _IsNegatedDestinationPermitted)', (dests, app, permitted) => {
    expect(isDestinationPermitted({ destinations: dests }, { name: app.name, server: app.server }, app.namespace ?? '')).toBe(permitted);
  });

  it('permits group/kinds as TestAppProject_IsGroupKindPermitted does: an empty cluster whitelist permits nothing cluster-scoped', () => {
    const ns = (p: object, g: string, k: string) => isGroupKindNamePermitted(p, g, k, '', true);
    const cl = (p: object, g: string, k: string, n = '') => isGroupKindNamePermitted(p, g, k, n, false);
    const deployment = [{ group: 'apps', kind: 'Deployment' }];
    expect(ns({ namespaceResourceWhitelist: [], namespaceResourceBlacklist: deployment }, 'apps', 'ReplicaSet')).toBe(false);
    expect(ns({ namespaceResourceWhitelist: [], namespaceResourceBlacklist: deployment }, 'apps', 'Deployment')).toBe(false);
    expect(ns({ namespaceResourceWhitelist: [{ group: 'apps', kind: 'ReplicaSet' }], namespaceResourceBlacklist: deployment }, 'apps', 'ReplicaSet')).toBe(true);
    expect(ns({ namespaceResourceWhitelist: [{ group: 'apps', kind: 'ReplicaSet' }], namespaceResourceBlacklist: deployment }, 'apps', 'Action')).toBe(false);
    expect(cl({ clusterResourceBlacklist: [{ group: '', kind: 'Namespace' }] }, '', 'Namespace')).toBe(false);
    const all = [{ group: '*', kind: '*' }];
    expect(cl({ clusterResourceWhitelist: all, clusterResourceBlacklist: all }, '', 'Namespace')).toBe(false);
    expect(ns({ clusterResourceWhitelist: all, clusterResourceBlacklist: all }, 'apps', 'Action')).toBe(true);
    expect(cl({ clusterResourceWhitelist: [], namespaceResourceWhitelist: all }, '', 'Namespace')).toBe(false);
    expect(cl({}, '', 'Namespace')).toBe(false);
    expect(ns({}, 'apps', 'Action')).toBe(true);
    const team1 = { clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: 'team1-*' }] };
    expect(cl(team1, '', 'Namespace', 'other-namespace')).toBe(false);
    expect(cl(team1, '', 'Namespace', 'team1-namespace')).toBe(true);
  });

  it('matches globs as TestGlobMatch does, and Go filepath.Match for kinds', () => {
    expect(globMatch('foo', 'foo', false)).toBe(true);
    expect(globMatch('foo*', 'foobar', false)).toBe(true);
    expect(globMatch('foo*', 'bar', false)).toBe(false);
    expect(globMatch('*', 'anything', false)).toBe(true);
    expect(globMatch('!foo', 'foo', true)).toBe(false);
    expect(globMatch('!foo', 'bar', true)).toBe(true);
    expect(globMatch('!foo', 'foo', false)).toBe(false);
    expect(globMatch('!foo', '!foo', false)).toBe(true);
    expect(globMatch('a/*', 'a/b/c', false, '/')).toBe(false);
    expect(globMatch('{x,y}-[0-9]?', 'y-1z', false)).toBe(true);
    expect(filepathMatch('*', 'ClusterRole')).toBe(true);
    expect(filepathMatch('Cluster*', 'Role')).toBe(false);
    expect(filepathMatch('[^a]*', 'apps')).toBe(false);
    // Go's filepath.Match: a "-" opening or closing a class is a bad pattern, which matches nothing
    expect(filepathMatch('[a-]x', '-x')).toBe(false);
    expect(filepathMatch('[-a]x', 'ax')).toBe(false);
    expect(filepathMatch('[a-c]x', 'bx')).toBe(true);
    // an escaped "-" is a character; a range after a range, or an empty class, is a bad pattern
    expect(filepathMatch('[a\\-]x', '-x')).toBe(true);
    expect(filepathMatch('[a\\-]x', 'ax')).toBe(true);
    expect(filepathMatch('[a-b-c]', 'b')).toBe(false);
    expect(filepathMatch('[]a]', 'a')).toBe(false);
    expect(filepathMatch('[^a-c]x', 'dx')).toBe(true);
    expect(filepathMatch('[^a-c]x', 'bx')).toBe(false);
    expect(filepathMatch('[.]x', 'ax')).toBe(false);
    expect(filepathMatch('[c-a]x', 'bx')).toBe(false);
    expect(filepathMatch('[^c-a]x', 'bx')).toBe(true);
  });

  it('normalizes a sourceRepos pattern as Argo CD does, Go\'s URL escaping included (util/git NormalizeGitURL)', () => {
    // braces are escaped in a URL's path, and then every character Go escapes there, "*" included: no glob is left
    expect(normalizeGitUrl('https://github.com/acme/{app,web}')).toBe('https://github.com/acme/%7Bapp%2Cweb%7D'.replace('%2C', ','));
    expect(isSourcePermitted({ sourceRepos: ['https://github.com/acme/{app,web}'] }, 'https://github.com/acme/app.git')).toBe(false);
    expect(isSourcePermitted({ sourceRepos: ['https://github.com/acme/{app,web}-*'] }, 'https://github.com/acme/app-x.git')).toBe(false);
    // a path Go keeps as written keeps its glob
    expect(normalizeGitUrl('https://github.com/acme/*')).toBe('https://github.com/acme/*');
    expect(isSourcePermitted({ sourceRepos: ['https://github.com/acme/*'] }, 'https://github.com/acme/app.git')).toBe(true);
    expect(normalizeGitUrl('git@github.com:Acme/App.git')).toBe('git@github.com/acme/app');
    // the query stays as written (a "?" of a glob starts it); an escape is decoded before the path is written again
    expect(normalizeGitUrl('https://github.com/acme/app-?{1,2}')).toBe('https://github.com/acme/app-?{1,2}');
    expect(normalizeGitUrl('https://github.com/acme/{x}%41')).toBe('https://github.com/acme/%7Bx%7DA');
    expect(normalizeGitUrl('https://github.com/acme/abc%41')).toBe('https://github.com/acme/abc%41');
    // a "%" that starts no escape: url.Parse fails and NormalizeGitURL gives ""
    expect(normalizeGitUrl('https://github.com/acme/50%')).toBe('');
  });

  it('uses the scope a CustomResourceDefinition declares, and the built-in list otherwise', () => {
    const scopes = new KindScopes();
    expect(scopes.namespaced('kyverno.io', 'ClusterPolicy')).toBe(false);
    expect(scopes.namespaced('example.com', 'Widget')).toBe(true);
    scopes.learn([{ kind: 'CustomResourceDefinition', spec: { group: 'example.com', scope: 'Cluster', names: { kind: 'Widget' } } }]);
    expect(scopes.namespaced('example.com', 'Widget')).toBe(false);
  });
});

describe('checkProjectPermissions', () => {
  const project = { spec: { sourceRepos: ['https://github.com/acme/*'], destinations: [{ name: 'dev', namespace: 'team-*' }], namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }] } };
  const app = (extra: object = {}) => ({ metadata: { name: 'a' }, spec: { project: 'team', source: { repoURL: 'https://github.com/acme/app.git' }, destination: { name: 'dev', namespace: 'team-a' }, ...extra } });
  const check = (application: any, objects: object[]) => checkProjectPermissions([{ application, managedBy: 'mgmt', file: 'f.yaml', cluster: { name: application.spec.destination.name }, objects: objects.map((object) => ({ object, origin: 'o.yaml' })) }],
    new Map([['mgmt/team', project]]), new KindScopes()).map((d) => d.reason);

  it('refuses a cluster-scoped object, a blacklisted kind, a namespace outside the destinations, and the Namespace CreateNamespace=true makes', () => {
    expect(check(app({ syncPolicy: { syncOptions: ['CreateNamespace=true'] } }), [
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'x' } },
      { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'kube-system' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } },
    ])).toEqual([
      'resource rbac.authorization.k8s.io:ClusterRole is not permitted in project team',
      'resource :ResourceQuota is not permitted in project team',
      'namespace kube-system is not permitted in project \'team\'',
      'resource :Namespace is not permitted in project team',
    ]);
  });

  it('refuses a source outside sourceRepos, a destination outside the list, and a missing project', () => {
    expect(check(app({ source: { repoURL: 'https://github.com/evil/x.git' }, destination: { name: 'prod', namespace: 'team-a' } }), [])).toEqual([
      'application repo https://github.com/evil/x.git is not permitted in project \'team\'',
      'application destination server \'\' and namespace \'team-a\' do not match any of the allowed destinations in project \'team\'',
    ]);
    expect(check({ ...app(), spec: { ...app().spec, project: 'nope' } }, [])).toEqual(['Application referencing project nope which does not exist']);
  });
});

describe('AppProject permissions of the rendered platform', () => {
  function tenantPlatform(): Platform {
    const p = azurePlatform();
    const mgmt = azureMgmt(p);
    new TenantVCluster(mgmt, 'team-a', { owners: Group.named('team-a'), repositories: ['https://github.com/acme/team-a.git'] });
    return p;
  }

  it('synth refuses an Application whose project does not permit its destination, naming the construct and Argo CD\'s reason', () => {
    const p = tenantPlatform();
    const mgmt = p.node.findChild('mgmt') as ManagementCluster;
    new ApiObject(mgmt.chart, 'escape', {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'escape', namespace: 'argocd' },
      spec: { project: 'tenant-team-a', source: { repoURL: 'https://github.com/acme/team-a.git', path: '.' }, destination: { name: 'mgmt', namespace: 'kube-system' } },
    });
    expect(() => p.render()).toThrow('[mgmt/escape] Argo CD would refuse to sync: Application escape (clusters/mgmt/argocd/application-escape.yaml, project tenant-team-a): application destination server \'\' and namespace \'kube-system\' do not match any of the allowed destinations in project \'tenant-team-a\'. Allowed: what the Application\'s AppProject permits');
  });

  it('the Testing kit names every object Argo CD would refuse, chart output included', () => {
    const p = tenantPlatform();
    const rendered = Testing.render(p);
    expect(() => expectPlatform(rendered).toBePermittedByProjects()).not.toThrow();
    const app = rendered.applications().find((a) => a.project === 'tenant-team-a')!;
    expect(() => expectPlatform(rendered).toBePermittedByProjects({
      rendered: new Map([[app.name, [{ object: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'x' } }, origin: 'chart' }]]]),
    })).toThrow(`Argo CD would refuse to sync:\n  Application ${app.name} (${app.file}, project tenant-team-a): rbac.authorization.k8s.io/ClusterRoleBinding x from chart: resource rbac.authorization.k8s.io:ClusterRoleBinding is not permitted in project tenant-team-a`);
  });
});
