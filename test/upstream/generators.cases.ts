/**
 * Ported from argoproj/argo-cd applicationset/generators/matrix_test.go, merge_test.go
 * and applicationset/utils/utils_test.go (TestRenderGeneratorParams_ValuesInterpolation).
 */
import { GeneratorCluster } from '../../src';
import { contextFor, interpolate, templatedValues } from '../../src/testing/generators';
import { params, repoOf, sl, ss, UpstreamCase } from './support';

const context = () => contextFor('set', [], []);

const MATRIX = 'applicationset/generators/matrix_test.go';
const MERGE = 'applicationset/generators/merge_test.go';
const UTILS = 'applicationset/utils/utils_test.go';

const list = (...elements: unknown[]) => ({ list: { elements } });
const gitDirs = { git: { repoURL: 'RepoURL', revision: 'Revision', directories: [{ path: '*' }] } };
const listCU = list({ cluster: 'Cluster', url: 'Url' });
const matrix = (name: string, generators: unknown[], expected: unknown, test = 'TestMatrixGenerateGoTemplate'): UpstreamCase => ({
  file: MATRIX, test, name, run: () => params({ matrix: { generators } }, { repo: repoOf(['app1', 'app2']) }), expected,
});
const matrixErr = (name: string, generators: unknown[], upstreamError: string): UpstreamCase => ({
  file: MATRIX, test: 'TestMatrixGenerateGoTemplate', name, run: () => params({ matrix: { generators } }, { repo: repoOf(['app1', 'app2']) }), upstreamError,
});

const merge = (name: string, generators: unknown[], mergeKeys: string[], expected: unknown): UpstreamCase => ({
  file: MERGE, test: 'TestMergeGenerate', name, run: () => params({ merge: { generators, mergeKeys } }), expected, unordered: true,
  note: 'the upstream test runs without goTemplate (maps.Copy merging); for flat string parameters the goTemplate merge (mergo) gives the same result',
});
const mergeErr = (name: string, generators: unknown[], mergeKeys: string[], upstreamError: string, test = 'TestMergeGenerate'): UpstreamCase => ({
  file: MERGE, test, name, run: () => params({ merge: { generators, mergeKeys } }), upstreamError,
});
/** getParamSetsByMergeKey through a merge whose second child adds nothing. */
const unique = (name: string, mergeKeys: string[], paramSets: unknown[], expected: unknown): UpstreamCase => ({
  file: MERGE, test: 'TestParamSetsAreUniqueByMergeKeys', name, run: () => params({ merge: { generators: [list(...paramSets), list()], mergeKeys } }), expected, unordered: true,
  note: 'getParamSetsByMergeKey is reached through a merge generator whose second child is an empty list',
});

const DEV_PROD: GeneratorCluster[] = [
  { name: 'dev-01', server: 'https://dev-01.example.com', labels: { environment: 'dev' } },
  { name: 'prod-01', server: 'https://prod-01.example.com', labels: { environment: 'prod' } },
];
const interpolated = (env: string) => ({
  path: { path: `examples/git-generator-files-discovery/cluster-config/${env}/config.json`, basename: env, basenameNormalized: env },
  name: `${env}-01`, nameNormalized: `${env}-01`, server: `https://${env}-01.example.com`, project: '',
  metadata: { labels: ss({ 'environment': env, 'argocd.argoproj.io/secret-type': 'cluster' }) },
});
const pathElement = (env: string) => ({ path: { path: `examples/git-generator-files-discovery/cluster-config/${env}/config.json`, basename: env, basenameNormalized: env } });

/** RenderGeneratorParams on a matrix's second child: the cluster values after interpolation and the cluster's own rendering. */
const valuesInterp = (name: string, first: Record<string, unknown>, values: Record<string, string>, options: string[], expected: Record<string, string>): UpstreamCase => ({
  file: UTILS, test: 'TestRenderGeneratorParams_ValuesInterpolation', name,
  note: 'checked end to end: a list element with the upstream params, then a cluster generator (one cluster "c") whose values the interpolation leaves for it',
  run: () => params({ matrix: { generators: [list(first), { clusters: { selector: {}, values } }] } }, {
    clusters: [{ name: 'c', server: 'https://kubernetes.default.svc', labels: {} }], options,
  }).map((p: any) => p.values),
  expected: [ss(expected)],
});

export const GENERATOR_CASES: UpstreamCase[] = [
  {
    file: MATRIX, test: 'TestMatrixGenerateGoTemplate', name: 'happy flow - generate params',
    note: 'upstream mocks the git generator with params without `segments`; here the real git directories generator runs on a repository holding app1 and app2, so `segments` is added',
    run: () => params({ matrix: { generators: [gitDirs, listCU] } }, { repo: repoOf(['app1', 'app2']) }),
    expected: ['app1', 'app2'].map((a) => ({ path: { path: a, basename: a, basenameNormalized: a, segments: sl([a]) }, cluster: 'Cluster', url: 'Url' })),
  },
  matrix('happy flow - generate params from two lists', [list({ a: '1' }, { a: '2' }), list({ b: '1' }, { b: '2' })], [{ a: '1', b: '1' }, { a: '1', b: '2' }, { a: '2', b: '1' }, { a: '2', b: '2' }]),
  matrix('parameter override: first list elements take precedence', [
    list({ booleanFalse: false, booleanTrue: true, stringFalse: 'false', stringTrue: 'true' }),
    list({ booleanFalse: true, booleanTrue: false, stringFalse: 'true', stringTrue: 'false' }),
  ], [{ booleanFalse: false, booleanTrue: true, stringFalse: 'false', stringTrue: 'true' }]),
  matrixErr('returns error if there is less than two base generators', [gitDirs], 'found less than two generators, Matrix support only two'),
  matrixErr('returns error if there is more than two base generators', [listCU, listCU, listCU], 'found more than two generators, Matrix support only two'),
  matrixErr('returns error if there is more than one inner generator in the first base generator', [{ ...gitDirs, ...listCU }, gitDirs], 'found more than one generator in matrix.Generators'),
  matrixErr('returns error if there is more than one inner generator in the second base generator', [listCU, { ...gitDirs, ...listCU }], 'found more than one generator in matrix.Generators'),
  {
    file: MATRIX, test: 'TestInterpolatedMatrixGenerateGoTemplate', name: 'happy flow - generate interpolated params',
    note: 'upstream mocks a git files generator; here a list gives the same `path` parameters (as map[string]interface{}, where the mock returns map[string]string)',
    run: () => params({ matrix: { generators: [list(pathElement('dev'), pathElement('prod')), { clusters: { selector: { matchLabels: { environment: '{{.path.basename}}' } } } }] } }, { clusters: DEV_PROD }),
    expected: [interpolated('dev'), interpolated('prod')],
  },
  {
    file: MATRIX, test: 'TestInterpolatedMatrixGenerateGoTemplate', name: 'happy flow (with the git files generator itself)',
    run: () => params({ matrix: { generators: [{ git: { repoURL: 'RepoURL', revision: 'Revision', files: [{ path: 'examples/git-generator-files-discovery/cluster-config/dev/config.json' }] } }, { clusters: { selector: { matchLabels: { environment: '{{.path.basename}}' } } } }] } }, { clusters: DEV_PROD, repo: repoOf([]) }),
    refused: 'ApplicationSet set: the git files generator is not modelled by the offline expansion (only git directories)',
  },
  {
    file: MATRIX, test: 'TestMatrixGenerateListElementsYaml', name: 'happy flow - generate params',
    note: 'upstream reads foo.bar from a mocked git files generator, which also adds `path` parameters; here a list gives foo.bar, and the expected sets are upstream\'s without `path`',
    run: () => params({ matrix: { generators: [list({ foo: { bar: [{ chart: 'a', version: '1' }, { chart: 'b', version: '2' }] } }), { list: { elements: [], elementsYaml: '{{ .foo.bar | toJson }}' } }] } }),
    expected: ['a', 'b'].map((chart, i) => ({ chart, version: String(i + 1), foo: { bar: [{ chart: 'a', version: '1' }, { chart: 'b', version: '2' }] } })),
  },
  {
    file: MATRIX, test: 'TestGitGenerator_GenerateParams_list_x_git_matrix_generator_go_templates_values', name: 'list x git files with values',
    run: () => params({ matrix: { generators: [list({ some: 'value' }), { git: { repoURL: 'RepoURL', revision: 'Revision', files: [{ path: 'some/path.json' }], values: { foo: '{{.path.basename}}' } } }] } }, { repo: repoOf([]) }),
    refused: 'ApplicationSet set: the git files generator is not modelled by the offline expansion (only git directories)',
  },
  {
    file: MATRIX, test: 'TestInterpolatedMatrixGenerateGoTemplate_ClusterValuesFromFirstGenerator', name: 'cluster values referencing git params resolve',
    note: 'upstream mocks the git generator; here the real git directories generator reads a repository holding "guestbook". The assertions ported are those of the upstream test: values, name, server',
    run: () => params({ matrix: { generators: [
      { git: { repoURL: 'RepoURL', revision: 'Revision', directories: [{ path: 'guestbook' }] } },
      { clusters: { selector: { matchLabels: { environment: '{{.path.basename}}' } }, values: { env: '{{.path.basename}}' } } },
    ] } }, { clusters: [{ name: 'guestbook-cluster', server: 'https://guestbook.example.com', labels: { environment: 'guestbook' } }], repo: repoOf(['guestbook']), options: ['missingkey=error'] })
      .map((p: any) => ({ values: p.values, name: p.name, server: p.server })),
    expected: [{ values: ss({ env: 'guestbook' }), name: 'guestbook-cluster', server: 'https://guestbook.example.com' }],
  },
  mergeErr('no generators', [], ['b'], 'found less than two generators, Merge requires two or more'),
  mergeErr('one generator', [list({ a: '1_1', b: 'same', c: '1_3' })], ['b'], 'found less than two generators, Merge requires two or more'),
  merge('happy flow - generate paramSets', [list({ a: '1_1', b: 'same', c: '1_3' }), list({ a: '2_1', b: 'same' }), list({ a: '3_1', b: 'different', c: '3_3' })], ['b'], [{ a: '2_1', b: 'same', c: '1_3' }]),
  merge('merge keys absent - do not merge', [list({ a: 'a' }), list({ a: 'a' })], ['b'], [{ a: 'a' }]),
  merge('merge key present in first set, absent in second - do not merge', [list({ a: 'a' }), list({ b: 'b' })], ['b'], [{ a: 'a' }]),
  merge('merge nested matrix with some lists', [
    { matrix: { generators: [list({ a: '1' }, { a: '2' }), list({ b: '1' }, { b: '2' })] } },
    list({ a: '1', b: '1', c: 'added' }),
  ], ['a', 'b'], [{ a: '1', b: '1', c: 'added' }, { a: '1', b: '2' }, { a: '2', b: '1' }, { a: '2', b: '2' }]),
  merge('merge nested merge with some lists', [
    { merge: { mergeKeys: ['a'], generators: [list({ a: '1', b: '1' }, { a: '2', b: '2' }), list({ a: '1', b: '3', c: 'added' }, { a: '3', b: '2' })] } },
    list({ a: '1', b: '3', d: 'added' }),
  ], ['a', 'b'], [{ a: '1', b: '3', c: 'added', d: 'added' }, { a: '2', b: '2' }]),
  mergeErr('no merge keys', [list(), list()], [], 'no merge keys were specified, Merge requires at least one', 'TestParamSetsAreUniqueByMergeKeys'),
  unique('no paramSets', ['key'], [], []),
  unique('simple key, unique paramSets', ['key'], [{ key: 'a' }, { key: 'b' }], [{ key: 'a' }, { key: 'b' }]),
  unique('simple key object, unique paramSets', ['key'], [{ key: { hello: 'world' } }, { key: 'b' }], [{ key: { hello: 'world' } }, { key: 'b' }]),
  mergeErr('simple key, non-unique paramSets', [list({ key: 'a' }, { key: 'b' }, { key: 'b' }), list()], ['key'],
    'the parameters from a generator were not unique by the given mergeKeys, Merge requires all param sets to be unique. Duplicate key was {"key":"b"}', 'TestParamSetsAreUniqueByMergeKeys'),
  unique('simple key, duplicated key name, unique paramSets', ['key', 'key'], [{ key: 'a' }, { key: 'b' }], [{ key: 'a' }, { key: 'b' }]),
  mergeErr('simple key, duplicated key name, non-unique paramSets', [list({ key: 'a' }, { key: 'b' }, { key: 'b' }), list()], ['key', 'key'],
    'Duplicate key was {"key":"b"}', 'TestParamSetsAreUniqueByMergeKeys'),
  unique('compound key, unique paramSets', ['key1', 'key2'], [{ key1: 'a', key2: 'a' }, { key1: 'a', key2: 'b' }, { key1: 'b', key2: 'a' }], [{ key1: 'a', key2: 'a' }, { key1: 'a', key2: 'b' }, { key1: 'b', key2: 'a' }]),
  unique('compound key object, unique paramSets', ['key1', 'key2'], [{ key1: 'a', key2: { hello: 'world' } }, { key1: 'a', key2: 'b' }, { key1: 'b', key2: 'a' }],
    [{ key1: 'a', key2: { hello: 'world' } }, { key1: 'a', key2: 'b' }, { key1: 'b', key2: 'a' }]),
  valuesInterp('GoTemplate: cross-generator key is resolved', { path: { basename: 'guestbook' } }, { env: '{{.path.basename}}' }, ['missingkey=error'], { env: 'guestbook' }),
  valuesInterp('GoTemplate: mixed — cross-generator resolves, self-referential defers', { path: { basename: 'guestbook' } }, { env: '{{.path.basename}}', clusterName: '{{.name}}' }, ['missingkey=error'], { env: 'guestbook', clusterName: 'c' }),
  valuesInterp('GoTemplate: cross-generator resolves even without missingkey=error in user options', { path: { basename: 'guestbook' } }, { env: '{{.path.basename}}', clusterName: '{{.name}}' }, [], { env: 'guestbook', clusterName: 'c' }),
  valuesInterp('GoTemplate: literal values (no template) pass through unchanged', { path: { basename: 'guestbook' } }, { static: 'some-hardcoded-value' }, [], { static: 'some-hardcoded-value' }),
  {
    file: UTILS, test: 'TestRenderGeneratorParams_ValuesInterpolation', name: 'GoTemplate: malformed template syntax in Values surfaces an error',
    run: () => params({ matrix: { generators: [list({ path: { basename: 'guestbook' } }), { clusters: { values: { bad: '{{.path.basename' } } }] } }, { options: ['missingkey=error'] }),
    upstreamError: 'unclosed action',
  },
  {
    file: UTILS, test: 'TestRenderGeneratorParams_ValuesInterpolation', name: 'GoTemplate: sprig must* function error in Values surfaces an error',
    run: () => params({ matrix: { generators: [list({ path: { basename: 'guestbook' } }), { clusters: { values: { bad: '{{mustFromJson "not-valid-json"}}' } } }] } }, { options: ['missingkey=error'] }),
    refused: 'the template function "mustFromJson" is not modelled by the offline expansion',
  },
];

const SPEC = 'applicationset/generators/generator_spec_processor_test.go';
const match = (name: string, element: Record<string, unknown>, selector: unknown, expected: unknown[]): UpstreamCase => ({
  file: SPEC, test: 'TestMatchValuesGoTemplate', name,
  run: () => params({ list: { elements: [element] }, ...(selector === undefined ? {} : { selector }) }), expected, unordered: true,
});
const CU = { cluster: 'cluster', url: 'url' };
const interpolation = () => interpolate(context(), {
  clusters: { selector: { matchLabels: {
    'argocd.argoproj.io/secret-type': 'cluster', 'path-basename': '{{base .path.path}}', 'path-zero': '{{index .path.segments 0}}', 'path-full': '{{.path.path}}', 'kubernetes.io/environment': '{{default "foo" .my_label}}',
  } } },
}, { path: { path: 'p1/p2/app3', segments: sl(['p1', 'p2', 'app3']) } });

GENERATOR_CASES.push(
  match('no filter', CU, {}, [CU]),
  match('nil', CU, undefined, [CU]),
  match('values.foo should be foo but is ignore element', { ...CU, values: { foo: 'bar' } }, { matchLabels: { 'values.foo': 'foo' } }, []),
  match('values.foo should be bar', { ...CU, values: { foo: 'bar' } }, { matchLabels: { 'values.foo': 'bar' } }, [{ ...CU, values: { foo: 'bar' } }]),
  match('values.0 should be bar', { ...CU, values: ['bar'] }, { matchLabels: { 'values.0': 'bar' } }, [{ ...CU, values: ['bar'] }]),
  {
    file: SPEC, test: 'TestInterpolateGenerator_go', name: 'cluster selector rendered with git parameters',
    run: () => {
      const labels = interpolation().clusters.selector.matchLabels;
      return [labels['path-basename'], labels['path-zero'], labels['path-full']];
    },
    expected: ['app3', 'p1', 'p1/p2/app3'],
  },
  {
    file: SPEC, test: 'TestInterpolateGenerator_go', name: 'git files paths rendered with cluster parameters',
    run: () => interpolate(context(), { git: { files: [{ path: '{{.name}}' }, { path: '{{.server}}' }] } }, { name: 'production_01/west', server: 'https://production-01.example.com' }).git.files.map((f: any) => f.path),
    expected: ['production_01/west', 'https://production-01.example.com'],
  },
);

GENERATOR_CASES.push({
  file: SPEC, test: 'TestInterpolateGeneratorError', name: 'Error templating',
  run: () => interpolate(context(), {
    git: {
      repoURL: 'foo', files: [{ path: 'path/{{ index .rmap (default .override .test) }}' }], revision: 'main',
      values: { git_test: '{{ toPrettyJson . }}', selection: '{{ default .override .test }}', resolved: '{{ index .rmap (default .override .test) }}' },
    },
  }, { name: 'in-cluster', override: 'foo' }),
  upstreamError: 'error calling index: index of untyped nil',
  note: 'Argo CD renders the files paths (before values, in struct order) and fails there; so does the expansion',
});

const VALUES = 'applicationset/generators/value_interpolation_test.go';
const appendValues = (name: string, values: Record<string, string>, start: Record<string, unknown>, expected: unknown): UpstreamCase => ({
  file: VALUES, test: 'TestValueInterpolationWithGoTemplating', name,
  run: () => {
    const p = { ...start };
    templatedValues(context(), 'clusters', values, p);
    return p;
  },
  expected,
});

GENERATOR_CASES.push(
  appendValues('Simple interpolation', { hello: '{{ .world }}' }, { world: 'world!' }, { world: 'world!', values: ss({ hello: 'world!' }) }),
  appendValues('Non-existent to default', { non_existent: '{{ default "bar" .non_existent }}' }, {}, { values: ss({ non_existent: 'bar' }) }),
  appendValues('Billion laughs', { lol1: 'lol', lol2: '{{.values.lol1}}{{.values.lol1}}', lol3: '{{.values.lol2}}{{.values.lol2}}{{.values.lol2}}' }, {},
    { values: ss({ lol1: 'lol', lol2: '<no value><no value>', lol3: '<no value><no value><no value>' }) }),
);
