import { describe, expect, it } from 'vitest';
import {
  ClusterOutput, ClusterSelector, FleetCluster, HelmChart, ImportedClusterAttributes, Platform, PlatformValidationError, ServiceCatalogEntry,
  ServiceCatalogEntryProps, Testing,
} from '../src';
import { azureMgmt, azurePlatform } from './support/fixtures';

// A cluster registered by other means (FleetCluster.fromName): the library does not create its
// Argo CD cluster Secret, so it knows only the labels and outputs declared on import. These tests
// hold the rules, the rendered ApplicationSet and the offline expansion to that.

const chart = HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'demo', version: '1.2.3' });

/** A management cluster, one imported cluster `legacy-prod` and one entry `demo` (in the platform AppProject, which lists imported clusters as destinations). */
function withImported(attrs: ImportedClusterAttributes, entry: Partial<ServiceCatalogEntryProps>): Platform {
  const platform = azurePlatform();
  azureMgmt(platform, { labels: { 'security-basic': 'enabled' } });
  FleetCluster.fromName(platform, 'legacy', 'legacy-prod', attrs);
  new ServiceCatalogEntry(platform, 'demo', { chart, namespace: 'demo', targets: ClusterSelector.labels({ tier: 'old' }), ...entry });
  return platform;
}

function refusal(path: string, message: string): string {
  return new PlatformValidationError([{ path, message }]).message;
}

const noEnvironment = (values: string) => 'catalog entry "demo" selects the imported cluster "legacy-prod" (platform/legacy), whose declared labels have no "environment" label: '
  + 'the entry\'s ApplicationSet has one cluster generator per environment, each selecting "environment: <env>" on the Argo CD cluster Secret, and the library does not create the Secret of a cluster registered elsewhere, '
  + `so it cannot tell whether Argo CD would deploy the entry there${values}. `;

describe('clusterValues of an imported cluster', () => {
  it('are refused when the cluster declares no environment label: no generator of the entry reads them', () => {
    const platform = withImported({ labels: { tier: 'old' } }, { values: { a: 1 }, clusterValues: { 'legacy-prod': { replicas: 3 } } });
    expect(() => platform.render()).toThrow(refusal('platform/demo', noEnvironment(' (its clusterValues, catalog/demo/clusters/legacy-prod.yaml, would be read by no generator)')
      + 'Fix: declare the label its cluster Secret carries, FleetCluster.fromName(scope, id, "legacy-prod", { labels: { environment: "<dev|staging|prod>" } }) (add the label to the Secret if it lacks it), or narrow the targets of "demo".'));
  });

  it('are refused when the cluster does not declare the cluster_name label its own generator selects on', () => {
    const platform = withImported({ labels: { tier: 'old', environment: 'prod' } }, { clusterValues: { 'legacy-prod': { replicas: 3 } } });
    expect(() => platform.render()).toThrow(refusal('platform/demo', 'clusterValues of catalog entry "demo" name the imported cluster "legacy-prod" (platform/legacy), whose declared labels have no "cluster_name": "legacy-prod" label: '
      + 'the generator that reads catalog/demo/clusters/legacy-prod.yaml selects the cluster by that label of its Argo CD cluster Secret (which the library does not create for a cluster registered elsewhere), so Argo CD would deploy the entry there without these values. '
      + 'Fix: declare the label its cluster Secret carries, labels: { cluster_name: "legacy-prod" } in FleetCluster.fromName (add the label to the Secret if it lacks it), or move the values into values or environmentValues.'));
  });

  it('are read by the cluster\'s own generator when its labels declare its environment and name (no environment attribute needed)', () => {
    const platform = withImported({ labels: { tier: 'old', environment: 'prod', cluster_name: 'legacy-prod' } }, { values: { a: 1 }, clusterValues: { 'legacy-prod': { replicas: 3 } } });
    const rendered = Testing.render(platform);
    const [app] = rendered.applications().filter((a) => a.catalogEntry === 'demo');
    expect(app).toMatchObject({ name: 'legacy-prod-demo', cluster: 'legacy-prod', valueFiles: ['catalog/demo/values.yaml', 'catalog/demo/clusters/legacy-prod.yaml'], values: { a: 1, replicas: 3 } });
    expect(app.generator?.selector).toEqual({ matchLabels: { tier: 'old', environment: 'prod', cluster_name: 'legacy-prod' }, matchExpressions: [{ key: 'platform-role', operator: 'NotIn', values: ['tenant'] }] });
  });
});

describe('the offline model of an imported cluster carries only the labels declared on import', () => {
  it('adds neither cluster_name nor environment: a selector relying on them targets nothing there, and says why', () => {
    const platform = withImported({ environment: 'prod' }, { targets: ClusterSelector.clusters(['legacy-prod']) });
    const rendered = Testing.render(platform);
    expect(rendered.data.clusters.find((c) => c.name === 'legacy-prod')).toEqual({ name: 'legacy-prod', role: 'imported', environment: 'prod', labels: {}, annotations: {} });
    expect(rendered.applications().filter((a) => a.catalogEntry === 'demo')).toEqual([]);
    expect(rendered.files.get('PLATFORM.md')).not.toContain('| legacy-prod |');
    expect(platform.warnings).toEqual([{ path: 'platform/demo', severity: 'warning', message: 'catalog entry "demo" would select the imported cluster "legacy-prod" (platform/legacy) only by the label(s) "cluster_name", which its declaration does not carry: '
      + 'the library does not create the Argo CD cluster Secret of a cluster registered elsewhere, so it counts the cluster as not targeted (PLATFORM.md lists nothing there), while Argo CD deploys the entry there only if that Secret carries them. '
      + 'Fix: declare the labels its cluster Secret carries, FleetCluster.fromName(scope, id, "legacy-prod", { labels: { cluster_name: "legacy-prod", environment: "prod" } }) (add them to the Secret if it lacks them), or select the cluster by a label it declares.' }]);
  });

  it('selects an imported cluster by name once its labels declare cluster_name and environment', () => {
    const platform = withImported({ labels: { cluster_name: 'legacy-prod', environment: 'prod' } }, { targets: ClusterSelector.clusters(['legacy-prod']) });
    expect(Testing.render(platform).applications().filter((a) => a.catalogEntry === 'demo').map((a) => a.name)).toEqual(['legacy-prod-demo']);
    expect(platform.warnings).toEqual([]);
  });

  it('refuses an entry that selects an imported cluster without an environment label (its environment attribute is not a label)', () => {
    const platform = withImported({ labels: { tier: 'old' }, environment: 'prod' }, {});
    expect(() => platform.render()).toThrow(refusal('platform/demo', noEnvironment('')
      + 'Fix: declare the label its cluster Secret carries, FleetCluster.fromName(scope, id, "legacy-prod", { labels: { environment: "prod" } }) (add the label to the Secret if it lacks it), or narrow the targets of "demo".'));
  });

  it('refuses an environment attribute that disagrees with the environment label', () => {
    const platform = azurePlatform();
    expect(() => FleetCluster.fromName(platform, 'legacy', 'legacy-prod', { labels: { environment: 'prod' }, environment: 'dev' })).toThrow(
      '[platform/legacy] environment: got "dev". Allowed: the value of its "environment" label ("prod"): the catalog\'s ApplicationSets select the cluster by that label of its Argo CD cluster Secret. Fix: leave environment out, or make the two agree with what the Secret carries.');
  });
});

describe('cluster outputs on an imported cluster', () => {
  it('an output the imported cluster does not declare is the library\'s error naming the entry, the output and the fix (not a Go template error)', () => {
    const platform = withImported({ labels: { tier: 'old', environment: 'prod' } }, { values: { ip: ClusterOutput.named('ingress_ip') } });
    expect(() => platform.render()).toThrow(refusal('platform/demo', 'catalog entry "demo" uses the cluster output "ingress_ip", which the imported cluster "legacy-prod" (platform/legacy) is not declared to provide: '
      + 'its value is read from the annotation "ingress_ip" of the cluster\'s Argo CD cluster Secret, which the library does not create for a cluster registered elsewhere. '
      + 'Fix: declare it on import, FleetCluster.fromName(scope, id, "legacy-prod", { outputs: ["ingress_ip"] }), once that Secret carries the annotation, or exclude the cluster from the targets of "demo".'));
  });

  it('an output declared on import is an annotation of the cluster in the offline expansion', () => {
    const platform = withImported({ labels: { tier: 'old', environment: 'prod' }, outputs: ['ingress_ip'] }, { values: { ip: ClusterOutput.named('ingress_ip') } });
    const rendered = Testing.render(platform);
    expect(rendered.data.clusters.find((c) => c.name === 'legacy-prod')!.annotations).toEqual({ ingress_ip: '<output:ingress_ip>' });
    expect(rendered.applicationsFor('legacy-prod').map((a) => a.values)).toEqual([{ ip: '<output:ingress_ip>' }]);
    expect(rendered.applicationsFor('legacy-prod', { outputs: { ingress_ip: '203.0.113.7' } }).map((a) => a.values)).toEqual([{ ip: '203.0.113.7' }]);
  });

  it('refuses an output name that is not one', () => {
    const platform = azurePlatform();
    expect(() => FleetCluster.fromName(platform, 'legacy', 'legacy-prod', { outputs: ['Ingress-IP'] })).toThrow(
      '[platform/legacy] outputs[0]: got "Ingress-IP". Allowed: an output name: lower-case letters, digits and "_", starting with a letter (up to 63 characters). Fix: list the annotation keys of its Argo CD cluster Secret that entries read with ClusterOutput.named(...).');
  });
});
