/**
 * Ported from argoproj/argo-cd applicationset/utils/utils_test.go and
 * applicationset/controllers/template/{patch,template}_test.go: rendering of the
 * Application template (Go text/template + sprig + Argo CD's functions), map keys,
 * the resources finalizer, templatePatch, generator-level templates.
 */
import { expand, UpstreamCase } from './support';

const UTILS = 'applicationset/utils/utils_test.go';
const PATCH = 'applicationset/controllers/template/patch_test.go';
const TEMPLATE = 'applicationset/controllers/template/template_test.go';

/** Renders `field` as spec.source.path (one of the fields the upstream test loops over) with a list element holding the params. */
function field(fieldVal: string, params: Record<string, unknown>, options?: string[]): string {
  const apps = expand({
    ...(options ? { goTemplateOptions: options } : {}),
    generators: [{ list: { elements: [params] } }],
    template: {
      metadata: { name: 'application-one', annotations: { 'annotation-key': 'annotation-value' }, labels: { 'label-key': 'label-value' } },
      spec: { project: '', source: { path: fieldVal, repoURL: '', targetRevision: '', chart: '' }, destination: { server: '', namespace: '', name: '' } },
    },
  });
  return apps[0].spec.source.path;
}

const go = (name: string, fieldVal: string, params: Record<string, unknown>, expected: string, options?: string[]): UpstreamCase => ({
  file: UTILS, test: 'TestRenderTemplateParamsGoTemplate', name, run: () => field(fieldVal, params, options), expected,
});
const goErr = (name: string, fieldVal: string, params: Record<string, unknown>, upstreamError: string, options?: string[]): UpstreamCase => ({
  file: UTILS, test: 'TestRenderTemplateParamsGoTemplate', name, run: () => field(fieldVal, params, options), upstreamError,
});

const hpa = (enabled: boolean) => ({ replicas: 3, hpa: { enabled, minReplicas: 1, maxReplicas: 5 } });
const image = { replicas: 3, image: { name: 'busybox', version: 'latest' } };

const finalizers = (name: string, existing: string[] | undefined, syncPolicy: unknown, expected: string[] | undefined): UpstreamCase => ({
  file: UTILS, test: 'TestRenderTemplateParamsFinalizers', name,
  run: () => expand({
    ...(syncPolicy ? { syncPolicy } : {}),
    generators: [{ list: { elements: [{ one: 'two' }] } }],
    template: { metadata: { name: 'a', ...(existing ? { finalizers: existing } : {}) }, spec: { project: '', destination: {} } },
  })[0].metadata.finalizers,
  expected,
});

const RESOURCES = 'resources-finalizer.argocd.argoproj.io';
const BACKGROUND = 'resources-finalizer.argocd.argoproj.io/background';

/** The upstream patch tests' Application template (spec.source guestbook). */
const guestbook = (finalizersOf: string[] | undefined) => ({
  metadata: { name: 'my-cluster-guestbook', namespace: 'namespace', ...(finalizersOf ? { finalizers: finalizersOf } : {}) },
  spec: {
    project: 'default',
    source: { repoURL: 'https://github.com/argoproj/argocd-example-apps.git', targetRevision: 'HEAD', path: 'guestbook' },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' },
  },
});
const patched = (templatePatch: string, finalizersOf?: string[]) => {
  const app = expand({
    syncPolicy: { preserveResourcesOnDeletion: true },
    generators: [{ list: { elements: [{ unused: 'x' }] } }],
    template: guestbook(finalizersOf),
    templatePatch,
  }, [], 'set', 'namespace')[0];
  return { metadata: app.metadata, spec: app.spec };
};
const patchedGuestbook = {
  metadata: { name: 'my-cluster-guestbook', namespace: 'namespace', finalizers: [RESOURCES], annotations: { 'annotation-some-key': 'annotation-some-value' } },
  spec: {
    project: 'default',
    source: { repoURL: 'https://github.com/argoproj/argocd-example-apps.git', targetRevision: 'HEAD', path: 'guestbook', helm: { valueFiles: ['values.test.yaml', 'values.big.yaml'] } },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' },
    syncPolicy: { automated: { prune: true } },
  },
};

export const TEMPLATE_CASES: UpstreamCase[] = [
  go('simple substitution', '{{ .one }}', { one: 'two' }, 'two'),
  go('simple substitution with whitespace', '{{ .one }}', { one: 'two' }, 'two'),
  go('template contains itself, containing itself', '{{ .one }}', { one: '{{one}}' }, '{{one}}'),
  go('template contains itself, containing something else', '{{ .one }}', { one: '{{two}}' }, '{{two}}'),
  go('multiple on a line', '{{.one}}{{.one}}', { one: 'two' }, 'twotwo'),
  go('multiple different on a line', '{{.one}}{{.three}}', { one: 'two', three: 'four' }, 'twofour'),
  go('multiple different on a line with quote', '{{.one}} {{.three}}', { one: '"hello" world', three: 'four' }, '"hello" world four'),
  go('depth', '{{ .image.version }}', image, 'latest'),
  go('multiple depth', '{{ .image.name }}:{{ .image.version }}', image, 'busybox:latest'),
  go('if ok', '{{ if .hpa.enabled }}{{ .hpa.maxReplicas }}{{ else }}{{ .replicas }}{{ end }}', hpa(true), '5'),
  go('if not ok', '{{ if .hpa.enabled }}{{ .hpa.maxReplicas }}{{ else }}{{ .replicas }}{{ end }}', hpa(false), '3'),
  go('loop', '{{ range .volumes }}[{{ .name }}]{{ end }}', { replicas: 3, volumes: [{ name: 'volume-one', emptyDir: {} }, { name: 'volume-two', emptyDir: {} }] }, '[volume-one][volume-two]'),
  go('Index', '{{ index .admin "admin-ca" }}, {{ index .admin "admin-jks" }}', { admin: { 'admin-ca': 'value admin ca', 'admin-jks': 'value admin jks' } }, 'value admin ca, value admin jks'),
  go('Index (escaped quotes and backslashes)', String.raw`{{ index .admin "admin-ca" }}, \\ "Hello world", {{ index .admin "admin-jks" }}`,
    { admin: { 'admin-ca': String.raw`value "admin" ca with \ `.trimEnd(), 'admin-jks': 'value admin jks' } }, String.raw`value "admin" ca with \, \\ "Hello world", value admin jks`),
  go('quote', '{{.quote}}', { quote: '"' }, '"'),
  go('Test No Data', '{{.data}}', {}, '{{.data}}'),
  goErr('Test Parse Error', '{{functiondoesnotexist}}', { data: 'a data string' }, 'function "functiondoesnotexist" not defined'),
  goErr('Test template error', '{{.data.test}}', { data: 'a data string' }, "can't evaluate field test in type interface {}"),
  go('lookup missing value with missingkey=default', '--> {{.doesnotexist}} <--', { unused: 'this is not used' }, '--> <no value> <--'),
  goErr('lookup missing value with missingkey=error', '--> {{.doesnotexist}} <--', { unused: 'this is not used' }, 'map has no entry for key "doesnotexist"', ['missingkey=error']),
  go('toYaml', '{{ toYaml . | indent 2 }}', { foo: { bar: { bool: true, number: 2, str: 'Hello world' } } }, '  foo:\n    bar:\n      bool: true\n      number: 2\n      str: Hello world'),
  go('fromYaml', '{{ get (fromYaml .value) "hello" }}', { value: 'hello: world' }, 'world'),
  goErr('fromYaml error', '{{ get (fromYaml .value) "hello" }}', { value: 'non\n compliant\n yaml' }, 'error calling fromYaml: error unmarshaling JSON: while decoding JSON'),
  go('fromYamlArray', '{{ fromYamlArray .value | last }}', { value: '- hello world\n- bonjour tout le monde' }, 'bonjour tout le monde'),
  goErr('fromYamlArray error', '{{ fromYamlArray .value | last }}', { value: 'non\n compliant\n yaml' }, 'error calling fromYamlArray: error unmarshaling JSON: while decoding JSON'),
  {
    file: UTILS, test: 'TestRenderHelmValuesObjectJson', name: 'valuesObject strings are rendered',
    run: () => expand({ generators: [{ list: { elements: [{ test: 'Hello world' }] } }], template: { metadata: { name: 'a' }, spec: { project: '', source: { helm: { valuesObject: { some: { string: '{{.test}}' } } } }, destination: {} } } })[0].spec.source.helm.valuesObject.some.string,
    expected: 'Hello world',
  },
  {
    file: UTILS, test: 'TestRenderTemplateKeys', name: 'gotemplate',
    run: () => expand({ generators: [{ list: { elements: [{ key: 'some-key', value: 'some-value' }] } }], template: { metadata: { name: 'a', annotations: { 'annotation-{{ .key }}': 'annotation-{{ .value }}' } }, spec: { project: '', destination: {} } } })[0].metadata.annotations,
    expected: { 'annotation-some-key': 'annotation-some-value' },
  },
  {
    file: UTILS, test: 'TestRenderTemplateKeys', name: 'fasttemplate',
    run: () => expand({ goTemplate: false, generators: [{ list: { elements: [{ key: 'some-key', value: 'some-value' }] } }], template: { metadata: { name: 'a', annotations: { 'annotation-{{key}}': 'annotation-{{value}}' } }, spec: {} } }),
    refused: 'ApplicationSet set: only goTemplate: true is supported (the fasttemplate syntax is not modelled)',
  },
  finalizers('existing finalizer should be preserved', ['existing-finalizer'], undefined, ['existing-finalizer']),
  finalizers('background finalizer should be preserved', [BACKGROUND], undefined, [BACKGROUND]),
  finalizers('empty finalizer and empty sync should use standard finalizer', undefined, undefined, [RESOURCES]),
  finalizers('standard finalizer should be preserved', [RESOURCES], undefined, [RESOURCES]),
  finalizers('empty array finalizers should use standard finalizer', [], undefined, [RESOURCES]),
  finalizers('non-nil sync policy should use standard finalizer', undefined, {}, [RESOURCES]),
  finalizers('preserveResourcesOnDeletion should not have a finalizer', undefined, { preserveResourcesOnDeletion: true }, undefined),
  finalizers('user-specified finalizer should overwrite preserveResourcesOnDeletion', [BACKGROUND], { preserveResourcesOnDeletion: true }, [BACKGROUND]),
  {
    file: PATCH, test: 'Test_ApplyTemplatePatch', name: 'patch with JSON',
    run: () => patched(`{
      "metadata": { "annotations": { "annotation-some-key": "annotation-some-value" } },
      "spec": { "source": { "helm": { "valueFiles": ["values.test.yaml", "values.big.yaml"] } }, "syncPolicy": { "automated": { "prune": true } } }
    }`, [RESOURCES]),
    expected: patchedGuestbook,
  },
  {
    file: PATCH, test: 'Test_ApplyTemplatePatch', name: 'patch with YAML',
    run: () => patched('\nmetadata:\n  annotations:\n    annotation-some-key: annotation-some-value\nspec:\n  source:\n    helm:\n      valueFiles:\n        - values.test.yaml\n        - values.big.yaml\n  syncPolicy:\n    automated:\n      prune: true', [RESOURCES]),
    expected: patchedGuestbook,
  },
  {
    file: PATCH, test: 'Test_ApplyTemplatePatch', name: "project field isn't overwritten",
    run: () => patched('\nspec:\n  project: my-project'),
    expected: { metadata: { name: 'my-cluster-guestbook', namespace: 'namespace' }, spec: guestbook(undefined).spec },
  },
  {
    file: PATCH, test: 'TestError', name: 'a patch that is not an Application ("hello world")',
    run: () => patched('hello world'),
    upstreamError: 'invalid templatePatch "hello world": json: cannot unmarshal string into Go value of type v1alpha1.Application',
  },
  {
    file: TEMPLATE, test: 'TestMergeTemplateApplications', name: 'Generate app (a generator-level template)',
    run: () => expand({
      generators: [{ list: { elements: [{ name: 'a' }], template: { metadata: { labels: { 'label_name': 'label_value' } }, spec: {} } } }],
      template: { metadata: { name: '{{ .name }}' }, spec: { project: '', destination: {} } },
    }),
    refused: 'ApplicationSet set: a generator-level template is not modelled by the offline expansion; use spec.template and templatePatch',
  },
];
