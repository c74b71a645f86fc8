import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { ChartRenderError, ChartSourceOptions } from '../../argocd/helm';
import { plainManifestFiles, plainManifests } from '../../argocd/plain-manifests';
import { findUnusedValues } from '../../argocd/chart-values';
import { checkOutputPermissions } from '../../argocd/output-permissions';
import { describeDenial, KindScopes } from '../../argocd/permissions';
import { checkChartPolicies } from '../../policy/chart-policies';
import { renderApplications } from '../../argocd/repo-server';
import { messages } from '../../core/errors';
import { CliError, CliIo } from '../io';
import { readCheckedOutput } from '../output-tree';
import { readProject } from '../project';

/** The chart options every command that renders charts takes. */
export interface ChartCliOptions {
  readonly charts?: string;
  readonly pull?: boolean;
  readonly cache?: string;
  readonly helm?: string;
  readonly standIn?: string[];
}

/** Adds `--charts`, `--pull`, `--cache` and `--helm` to a command. */
export function chartOptions(cmd: Command): Command {
  return cmd
    .option('--charts <folder>', 'a folder of charts: <chart>-<version>/ or <chart>-<version>.tgz')
    .option('--pull', 'pull charts missing from --charts and the cache with helm pull (needs the network)')
    .option('--cache <folder>', 'where pulled charts and rendered templates are kept (default: node_modules/.cache/cdk8s-gitops-platform)')
    .option('--helm <binary>', 'the helm binary (default: HELM_BIN, else helm on the PATH)')
    .option('--stand-in <chart-version...>', 'charts in --charts that stand in for the pinned release (<chart>-<version>): their values are not judged');
}

/** The library's chart options from the command line (paths against the working folder). */
export function chartSource(io: CliIo, opts: ChartCliOptions): ChartSourceOptions {
  return {
    ...(opts.charts ? { chartsDir: path.resolve(io.cwd, opts.charts) } : {}),
    cacheDir: path.resolve(io.cwd, opts.cache ?? path.join('node_modules', '.cache', 'cdk8s-gitops-platform')),
    ...(opts.pull ? { pull: true } : {}),
    ...(opts.helm ? { helm: opts.helm } : {}),
    ...(opts.standIn ? { standIns: opts.standIn } : {}),
  };
}

/** Renders an output tree to plain manifests per cluster; a chart or helm problem becomes a CLI error. */
export async function renderPlain(files: ReadonlyMap<string, string>, source: ChartSourceOptions) {
  try {
    const rendered = await renderApplications(files, source);
    const scopes = new KindScopes();
    scopes.learn(rendered.flatMap((r) => r.objects.map((o) => o.object)));
    return { rendered, manifests: plainManifests(rendered, (g, k) => scopes.namespaced(g, k)) };
  } catch (e) {
    if (e instanceof ChartRenderError) throw new CliError(e.message);
    throw e;
  }
}

/**
 * Throws unless `out` may be replaced by `render`: missing, an empty folder, or a folder
 * `render` wrote (`<cluster>/<application>.yaml` files that start with `# Source: `), so
 * `--out .`, `--out src` or a file are refused instead of deleted.
 */
export function checkReplaceable(out: string, shown: string): void {
  const st = fs.lstatSync(out, { throwIfNoEntry: false });
  if (!st) return;
  const refuse = (file: string): never => {
    throw new CliError(messages.cli.renderOutForeign(shown, file));
  };
  if (!st.isDirectory()) throw new CliError(messages.cli.renderOutNotAFolder(shown));
  for (const cluster of fs.readdirSync(out, { withFileTypes: true })) {
    if (!cluster.isDirectory()) refuse(cluster.name);
    for (const f of fs.readdirSync(path.join(out, cluster.name), { withFileTypes: true })) {
      const rel = `${cluster.name}/${f.name}`;
      if (!f.isFile() || !f.name.endsWith('.yaml')) refuse(rel);
      const fd = fs.openSync(path.join(out, rel), 'r');
      const head = Buffer.alloc(10);
      const n = fs.readSync(fd, head, 0, 10, 0);
      fs.closeSync(fd);
      if (head.toString('utf8', 0, n) !== '# Source: ') refuse(rel);
    }
  }
}

interface RenderOptions extends ChartCliOptions {
  readonly dir: string;
  readonly from?: string;
  readonly out: string;
}

/**
 * `render`: every Application of the synthesized output rendered as Argo CD's repo server
 * would (charts through `helm template`), written as plain manifests, one file per
 * Application under `<out>/<cluster>/`; Secret values redacted.
 */
export function registerRender(program: Command, io: CliIo): void {
  chartOptions(program.command('render')
    .description('Render every Application as Argo CD would (charts through helm template) into plain manifests per cluster.')
    .option('--dir <folder>', 'the synth project (the folder of cdk8s.yaml)', '.')
    .option('--from <folder>', 'the synthesized output to render (default: the committed output folder of the project)')
    .option('--out <folder>', 'where the plain manifests are written (replaced)', 'rendered'))
    .action(async (opts: RenderOptions) => {
      const from = opts.from !== undefined ? path.resolve(io.cwd, opts.from) : (() => {
        const p = readProject(io.cwd, opts.dir);
        return path.join(p.absDir, p.output);
      })();
      const out = path.resolve(io.cwd, opts.out);
      checkReplaceable(out, opts.out);
      const shown = opts.from ?? (path.relative(io.cwd, from) || '.');
      if (!fs.existsSync(from)) throw new CliError(messages.cli.renderFromMissing(shown));
      const files = readCheckedOutput(from, shown).files;
      if (files.size === 0) throw new CliError(messages.cli.renderFromEmpty(shown));
      const { rendered, manifests } = await renderPlain(files, chartSource(io, opts));
      fs.rmSync(out, { recursive: true, force: true });
      const written = plainManifestFiles(manifests);
      for (const [f, text] of written) {
        fs.mkdirSync(path.dirname(path.join(out, f)), { recursive: true });
        fs.writeFileSync(path.join(out, f), text);
      }
      const charts = rendered.filter((r) => r.chart).length;
      io.out(`rendered ${rendered.length} Applications (${charts} with a chart) on ${manifests.size} clusters into ${path.relative(io.cwd, out) || '.'}: ${[...manifests.values()].reduce((n, l) => n + l.length, 0)} objects\n`);
      // what Argo CD would refuse, and the policy pass, on the chart output
      // keyed by hub and name: several management clusters each have a root and an argo-cd Application
      const chartOnly = new Map(rendered.map((r) => [`${r.application.managedBy}/${r.application.name}`, r.objects.filter((o) => r.chart && o.origin.startsWith(`${r.chart.name} ${r.chart.version}: `))]));
      const denials = checkOutputPermissions(files, { extra: (a) => chartOnly.get(`${a.managedBy}/${a.name}`) ?? [] }).denials;
      const policy = checkChartPolicies(files, rendered);
      io.out(`AppProject check: ${denials.length} problem(s); policy pass on chart output: ${policy.findings.length} finding(s), ${policy.excepted.length} covered by declared exceptions\n`);
      for (const d of denials) io.out(`  refused: ${describeDenial(d)}\n`);
      for (const f of policy.findings) io.out(`  policy: ${f.entry ?? f.applications.join(', ')}: ${f.message}\n`);
      const values = findUnusedValues(rendered, chartSource(io, opts).cacheDir);
      for (const u of values.unused) io.out(`  warning: ${u.chart} neither defaults nor reads the values key "${u.key}" (${u.entry ?? u.applications.join(', ')}): a typo, or a key of another chart version\n`);
      if (values.notJudged.length) io.out(`  values not judged (the chart at hand stands in for the pinned release): ${values.notJudged.join(', ')}\n`);
      if (denials.length || policy.findings.length) io.exitCode = 1;
    });
}
