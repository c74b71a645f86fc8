import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ClusterOutput, ClusterSelector, expandApplicationSet, FleetCluster, HelmChart, PlatformValidationError, ServiceCatalogEntry } from '../src';
import { aksCloud, azureMgmt, azurePlatform } from './support/fixtures';

// Argo CD evaluates `{{ }}` in an ApplicationSet's templatePatch before it parses the YAML:
// a value holding a delimiter would be template code. Every user value that reaches a
// template is refused with the library's error; what is accepted is data, and the library's
// own offline expansion shows it adds no source.

const secure = { 'security-basic': 'enabled' };
const HOSTILE = 'main{{"\n    - repoURL: https://evil.example/x"}}';
const chart = HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'demo', version: '1.2.3' });
const mgmtCluster = { name: 'mgmt', labels: { 'environment': 'prod', 'cluster_name': 'mgmt', 'platform-role': 'management', ...secure } };

function error(fn: () => unknown): PlatformValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PlatformValidationError) return e;
    throw new Error(`not the library's error: ${String(e)}`);
  }
  throw new Error('no error');
}

function entryPlatform(props: Partial<ConstructorParameters<typeof ServiceCatalogEntry>[2]> = {}, revision?: string) {
  const platform = azurePlatform(revision === undefined ? {} : { repository: { url: 'https://github.com/acme/platform-gitops.git', revision } });
  azureMgmt(platform, { labels: secure });
  new ServiceCatalogEntry(platform, 'demo', { chart, namespace: 'demo', targets: ClusterSelector.labels(secure), ...props });
  return platform;
}

function expanded(platform: ReturnType<typeof entryPlatform>) {
  const appSet = parse(platform.render().get('clusters/mgmt/argocd/applicationset-demo.yaml')!);
  return expandApplicationSet(appSet, [mgmtCluster]);
}

describe('no user value becomes a Go template action in an ApplicationSet', () => {
  it('refuses the issue\'s hostile repository.revision with the library\'s error naming the field', () => {
    expect(error(() => entryPlatform({}, HOSTILE)).message).toBe(
      '[platform] repository.revision: got "main{{\\"\\n    - repoURL: https://evil.example/x\\"}}". Allowed: a branch, tag or commit git accepts (git check-ref-format): '
      + 'no spaces, "..", "~^:?*[\\{}", leading "-" or trailing "/", "." or ".lock". Fix: set repository.revision to the branch Argo CD tracks, e.g. "main".');
  });

  it('refuses delimiters in releaseName, the Helm repository URL and keys on the path to a cluster output', () => {
    expect(error(() => entryPlatform({ releaseName: HOSTILE })).message).toMatch(/^\[platform\/demo\] releaseName: got "main\{\{.*Allowed: a Helm release name: 1 to 53 characters/);
    const evilChart = HelmChart.fromRepository({ repository: 'https://charts.example.dev/{{"\n    - repoURL: https://evil.example/x"}}', chart: 'demo', version: '1.2.3' });
    expect(error(() => entryPlatform({ chart: evilChart })).message).toMatch(/^\[platform\/demo\] chart\.repository: got "https:\/\/charts\.example\.dev\/\{\{.*Allowed: an https:\/\/ Helm repository URL/);
    expect(error(() => entryPlatform({ values: { [`role{{"\n    - repoURL: https://evil.example/x"}}`]: ClusterOutput.clusterName() } })).message).toBe(
      '[platform/demo] values key (on the path to a ClusterOutput): got "role{{\\"\\n    - repoURL: https://evil.example/x\\"}}". Allowed: a value without the Go template delimiters "{{" and "}}" '
      + '(Argo CD evaluates them in ApplicationSet templates: a value holding them would run as template code). Fix: remove "{{" and "}}" from values key (on the path to a ClusterOutput).');
    expect(error(() => entryPlatform({ syncOptions: ['Validate={{ .name }}'] })).message).toMatch(/^\[platform\/demo\] syncOptions\[0\]: got "Validate=\{\{ \.name \}\}"\. Allowed: one of Validate=true\|false/);
  });

  it('keeps keys with quotes, colons, "#" and line breaks as data: the expansion has exactly the chart, the values and the manifests sources', () => {
    const keys = ['it\'s', 'a: b', '# not a comment', 'x\n- repoURL: https://evil.example/x', '"quoted"', '{ flow }', '- dash'];
    const platform = entryPlatform({
      values: { top: Object.fromEntries(keys.map((k) => [k, ClusterOutput.clusterName()])), plain: 1 },
      manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } }],
    });
    const [app] = expanded(platform);
    expect(app.spec.sources.map((s: any) => s.repoURL)).toEqual(['https://charts.example.dev', 'https://github.com/acme/platform-gitops.git', 'https://github.com/acme/platform-gitops.git']);
    expect(app.spec.sources[0].helm.valuesObject).toEqual({ top: Object.fromEntries(keys.map((k) => [k, 'mgmt'])) });
    expect(app.spec.sources[0].helm.releaseName).toBe('demo');
    expect(app.spec.sources[2].path).toBe('dist/catalog/demo/manifests/all');
  });

  it('inserts a cluster output\'s value as one quoted string: a value holding a quote and a line break adds no source', () => {
    const platform = azurePlatform();
    const mgmt = azureMgmt(platform, { labels: secure });
    new FleetCluster(mgmt, 'dev-1', { environment: 'dev', cloud: aksCloud('10.20.0.0/16'), labels: secure }).addOutput('role_arn', 'arn');
    new ServiceCatalogEntry(platform, 'demo', { chart, namespace: 'demo', targets: ClusterSelector.environments(['dev']), values: { sa: { role: ClusterOutput.named('role_arn') } } });
    const appSet = parse(platform.render().get('clusters/mgmt/argocd/applicationset-demo.yaml')!);
    const hostile = `x'"\n    - repoURL: https://evil.example/x\n#`;
    const [app] = expandApplicationSet(appSet, [{ name: 'dev-1', labels: { environment: 'dev', cluster_name: 'dev-1', ...secure }, annotations: { role_arn: hostile } }]);
    expect(app.spec.sources.map((s: any) => s.repoURL)).toEqual(['https://charts.example.dev', 'https://github.com/acme/platform-gitops.git']);
    expect(app.spec.sources[0].helm.valuesObject).toEqual({ sa: { role: hostile } });
    expect(error(() => ClusterOutput.named('x" }}{{ "y')).message).toMatch(/^\[ClusterOutput\.named\] name: got "x\\" \}\}\{\{ \\"y"\. Allowed: an output name/);
  });
});
