/**
 * Ported from argoproj/argo-cd applicationset/generators/git_test.go
 * (TestGitGenerateParamsFromDirectoriesGoTemplate): the repository's folder list is the
 * repo-server mock's answer; the generator filters it with Go's path.Match.
 */
import { params, repoOf, sl, UpstreamCase } from './support';

const GIT = 'applicationset/generators/git_test.go';

const dir = (p: string) => {
  const segments = p.split('/');
  const basename = segments[segments.length - 1];
  return { path: p, basename, basenameNormalized: basename === 'app_3' ? 'app-3' : basename, segments: sl(segments) };
};
const git = (name: string, directories: { path: string; exclude?: boolean }[], repoApps: string[], expected: unknown, pathParamPrefix?: string): UpstreamCase => ({
  file: GIT, test: 'TestGitGenerateParamsFromDirectoriesGoTemplate', name,
  run: () => params({ git: { repoURL: 'RepoURL', revision: 'Revision', directories, ...(pathParamPrefix ? { pathParamPrefix } : {}) } }, { repo: repoOf(repoApps) }),
  expected,
});

export const GIT_CASES: UpstreamCase[] = [
  git('happy flow - created apps', [{ path: '*' }], ['app1', 'app2', 'app_3', 'p1/app4'], [{ path: dir('app1') }, { path: dir('app2') }, { path: dir('app_3') }]),
  git('It prefixes path parameters with PathParamPrefix', [{ path: '*' }], ['app1', 'app2', 'app_3', 'p1/app4'],
    [{ myRepo: { path: dir('app1') } }, { myRepo: { path: dir('app2') } }, { myRepo: { path: dir('app_3') } }], 'myRepo'),
  git('It filters application according to the paths', [{ path: 'p1/*' }, { path: 'p1/*/*' }], ['app1', 'p1/app2', 'p1/p2/app3', 'p1/p2/p3/app4'],
    [{ path: dir('p1/app2') }, { path: dir('p1/p2/app3') }]),
  git('It filters application according to the paths with Exclude', [{ path: 'p1/*', exclude: true }, { path: '*' }, { path: '*/*' }], ['app1', 'app2', 'p1/app2', 'p1/app3', 'p2/app3'],
    [{ path: dir('app1') }, { path: dir('app2') }, { path: dir('p2/app3') }]),
  git('Expecting same exclude behavior with different order', [{ path: '*' }, { path: '*/*' }, { path: 'p1/*', exclude: true }], ['app1', 'app2', 'p1/app2', 'p1/app3', 'p2/app3'],
    [{ path: dir('app1') }, { path: dir('app2') }, { path: dir('p2/app3') }]),
  git('handles empty response from repo server', [{ path: '*' }], [], []),
];
