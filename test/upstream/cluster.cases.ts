/**
 * Ported from argoproj/argo-cd applicationset/generators/cluster_test.go
 * (TestGenerateParamsGoTemplate, TestGenerateParams, TestSanitizeClusterName) and
 * list_test.go (TestGenerateListParamsGoTemplate, TestGenerateListParams).
 */
import { GeneratorCluster } from '../../src';
import { sanitizeName } from '../../src/testing/go-values';
import { expand, params, ss, UpstreamCase } from './support';

const CLUSTER = 'applicationset/generators/cluster_test.go';
const LIST = 'applicationset/generators/list_test.go';

/** The two cluster Secrets of the upstream test (TestGenerateParamsGoTemplate: no `project` in either). */
const CLUSTERS: GeneratorCluster[] = [
  { name: 'staging-01', server: 'https://staging-01.example.com', labels: { environment: 'staging', org: 'foo' }, annotations: { 'foo.argoproj.io': 'staging' } },
  { name: 'production_01/west', server: 'https://production-01.example.com', labels: { environment: 'production', org: 'bar' }, annotations: { 'foo.argoproj.io': 'production' } },
];

const metadata = (env: string, org: string) => ({
  labels: ss({ 'argocd.argoproj.io/secret-type': 'cluster', 'environment': env, 'org': org }),
  annotations: ss({ 'foo.argoproj.io': env }),
});
const production = (values?: Record<string, string>) => ({
  name: 'production_01/west', nameNormalized: 'production-01-west', server: 'https://production-01.example.com', project: '', metadata: metadata('production', 'bar'), ...(values ? { values: ss(values) } : {}),
});
const staging = (values?: Record<string, string>) => ({
  name: 'staging-01', nameNormalized: 'staging-01', server: 'https://staging-01.example.com', project: '', metadata: metadata('staging', 'foo'), ...(values ? { values: ss(values) } : {}),
});
const inCluster = (values?: Record<string, string>) => ({
  nameNormalized: 'in-cluster', name: 'in-cluster', server: 'https://kubernetes.default.svc', project: '', ...(values ? { values: ss(values) } : {}),
});

const NOISY_VALUES = {
  'lol1': 'lol',
  'lol2': '{{ .values.lol1 }}{{ .values.lol1 }}',
  'lol3': '{{ .values.lol2 }}{{ .values.lol2 }}{{ .values.lol2 }}',
  'foo': 'bar',
  'bar': '{{ if not (empty .metadata) }}{{index .metadata.annotations "foo.argoproj.io" }}{{ end }}',
  'bat': '{{ if not (empty .metadata) }}{{.metadata.labels.environment}}{{ end }}',
  'aaa': '{{ .server }}',
  'no-op': '{{ .thisDoesNotExist }}',
};
const rendered = (env: string, server: string) => ({
  'lol1': 'lol', 'lol2': '<no value><no value>', 'lol3': '<no value><no value><no value>', 'foo': 'bar', 'bar': env, 'bat': env, 'aaa': server, 'no-op': '<no value>',
});

const cluster = (name: string, selector: any, values: Record<string, string> | undefined, expected: unknown[], flatList = false): UpstreamCase => ({
  file: CLUSTER, test: 'TestGenerateParamsGoTemplate', name,
  run: () => {
    const got = params({ clusters: { selector, ...(values ? { values } : {}), ...(flatList ? { flatList: true } : {}) } }, { clusters: CLUSTERS });
    // the upstream assertion (assertEqualParamsFlat) compares the flat list's clusters as a set
    return flatList ? got.map((p: any) => ({ clusters: [...p.clusters].sort((a: any, b: any) => (a.name < b.name ? -1 : 1)) })) : got;
  },
  expected,
  unordered: true,
});

const inOrStaging = { matchExpressions: [{ key: 'environment', operator: 'In', values: ['production', 'staging'] }] };

export const CLUSTER_CASES: UpstreamCase[] = [
  cluster('no label selector', {}, NOISY_VALUES, [
    production(rendered('production', 'https://production-01.example.com')),
    staging(rendered('staging', 'https://staging-01.example.com')),
    inCluster({ ...rendered('', 'https://kubernetes.default.svc') }),
  ]),
  cluster('secret type label selector', { matchLabels: { 'argocd.argoproj.io/secret-type': 'cluster' } }, undefined, [production(), staging()]),
  cluster('production-only', { matchLabels: { environment: 'production' } }, { foo: 'bar' }, [production({ foo: 'bar' })]),
  cluster('production or staging', inOrStaging, { foo: 'bar' }, [production({ foo: 'bar' }), staging({ foo: 'bar' })]),
  cluster('production or staging with match labels', { ...inOrStaging, matchLabels: { org: 'foo' } }, { name: 'baz' }, [staging({ name: 'baz' })]),
  cluster('Clusters with flat list mode and no selector', {}, NOISY_VALUES, [{
    clusters: [
      inCluster({ ...rendered('', 'https://kubernetes.default.svc') }),
      production(rendered('production', 'https://production-01.example.com')),
      staging(rendered('staging', 'https://staging-01.example.com')),
    ],
  }], true),
  cluster('production or staging with flat mode', inOrStaging, { foo: 'bar' }, [{ clusters: [production({ foo: 'bar' }), staging({ foo: 'bar' })] }], true),
  {
    file: CLUSTER, test: 'TestGenerateParams', name: 'the cluster Secret\'s project is a parameter (production-only)',
    note: 'the upstream case runs without goTemplate; the fact ported is the `project` parameter, checked with goTemplate: true',
    run: () => params({ clusters: { selector: { matchLabels: { environment: 'production' } } } }, { clusters: [{ ...CLUSTERS[1], project: 'prod-project' }] }).map((p: any) => p.project),
    expected: ['prod-project'],
  },
  {
    file: CLUSTER, test: 'TestGenerateParams', name: 'no label selector (flat fasttemplate parameters such as metadata.labels.environment)',
    run: () => expand({ goTemplate: false, generators: [{ clusters: { selector: {} } }], template: { metadata: { name: '{{name}}' }, spec: {} } }, CLUSTERS),
    refused: 'ApplicationSet set: only goTemplate: true is supported (the fasttemplate syntax is not modelled)',
  },
  { file: CLUSTER, test: 'TestSanitizeClusterName', name: 'valid DNS-1123 subdomain name', run: () => sanitizeName('cluster-name'), expected: 'cluster-name' },
  { file: CLUSTER, test: 'TestSanitizeClusterName', name: 'invalid DNS-1123 subdomain name', run: () => sanitizeName('-.--CLUSTER/name  -./.-'), expected: 'cluster-name' },
  {
    file: LIST, test: 'TestGenerateListParamsGoTemplate', name: 'elements[0]: {"cluster": "cluster","url": "url"}',
    run: () => params({ list: { elements: [{ cluster: 'cluster', url: 'url' }] } }), expected: [{ cluster: 'cluster', url: 'url' }],
  },
  {
    file: LIST, test: 'TestGenerateListParamsGoTemplate', name: 'elements[1]: with values (a map[string]interface{}, kept as it is)',
    run: () => params({ list: { elements: [{ cluster: 'cluster', url: 'url', values: { foo: 'bar' } }] } }), expected: [{ cluster: 'cluster', url: 'url', values: { foo: 'bar' } }],
  },
];

const SPEC = 'applicationset/generators/generator_spec_processor_test.go';
/** getMockClusterGenerator's three cluster Secrets. */
const MOCK_CLUSTERS: GeneratorCluster[] = [
  ...CLUSTERS,
  { name: 'some-really-long-server-url', server: 'https://some-really-long-url-that-will-exceed-63-characters.com', labels: { environment: 'production', org: 'bar' }, annotations: { 'foo.argoproj.io': 'production' } },
];
const longUrl = () => ({ ...production(), name: 'some-really-long-server-url', nameNormalized: 'some-really-long-server-url', server: 'https://some-really-long-url-that-will-exceed-63-characters.com' });
const transform = (name: string, selector: unknown, values: Record<string, string> | undefined, expected: unknown[]): UpstreamCase => ({
  file: SPEC, test: 'TestTransFormGoTemplate', name,
  run: () => params({ selector, clusters: { selector: {}, ...(values ? { values } : {}) } }, { clusters: MOCK_CLUSTERS }), expected, unordered: true,
});

CLUSTER_CASES.push(
  transform('server filter', { matchLabels: { server: 'https://production-01.example.com' } }, undefined, [production()]),
  transform('label MatchLabels', { matchLabels: { 'metadata.labels.environment': 'staging' } }, undefined, [staging()]),
  transform('label NotIn matchExpression', { matchExpressions: [{ key: 'metadata.labels.environment', operator: 'NotIn', values: ['staging'] }] }, undefined, [production(), longUrl(), inCluster()]),
  transform('slash key in label', { matchLabels: { 'metadata.labels.argocd.argoproj.io/secret-type': 'cluster' } }, undefined, [staging(), production(), longUrl()]),
  transform('values filter', { matchLabels: { 'values.env': 'staging' } }, { env: '{{.metadata.labels.environment}}' }, [staging({ env: 'staging' })]),
);
