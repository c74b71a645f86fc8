import * as fs from 'fs';
import * as path from 'path';
import { Command, Option } from 'commander';
import { ChartRenderError } from '../../argocd/helm';
import { plainManifests } from '../../argocd/plain-manifests';
import { checkOutputPermissions } from '../../argocd/output-permissions';
import { describeDenial, KindScopes } from '../../argocd/permissions';
import { checkChartPolicies } from '../../policy/chart-policies';
import { renderApplications, RenderedApplication } from '../../argocd/repo-server';
import { messages } from '../../core/errors';
import { CliError, CliIo } from '../io';
import { diffObjects, formatObjectDiffMarkdown, formatObjectDiffText, immutableChanges } from '../object-diff';
import { readCheckedOutput } from '../output-tree';
import { readProject, SynthProject, withFreshSynth } from '../project';
import { ChartCliOptions, chartOptions, chartSource } from './render';

interface PreviewOptions extends ChartCliOptions {
  readonly dir: string;
  readonly base?: string;
  readonly head?: string;
  readonly format: 'text' | 'markdown';
  readonly requireCharts?: boolean;
}

/**
 * `preview`: what a pull request changes on each cluster, object by object. Renders the
 * output before (`--base`, default: the committed output) and after (`--head`, default: a
 * fresh synth) to plain manifests as Argo CD's repo server would (charts through helm when
 * available), and compares them: objects added, removed, and the fields that changed;
 * Secret values redacted. No cluster and no Argo CD needed.
 */
export function registerPreview(program: Command, io: CliIo): void {
  chartOptions(program.command('preview')
    .description('Show, object by object, what a change does on each cluster (renders charts with helm; no cluster needed).')
    .option('--dir <folder>', 'the synth project (the folder of cdk8s.yaml)', '.')
    .option('--base <folder>', 'the output before the change (default: the committed output folder of the project)')
    .option('--head <folder>', 'the output after the change (default: a fresh synth of the project)')
    .option('--require-charts', 'fail when helm or a chart is missing (default: compare without that chart and say so)')
    .addOption(new Option('--format <format>', 'text for a terminal, markdown for a pull request comment').choices(['text', 'markdown']).default('text')))
    .action(async (opts: PreviewOptions) => {
      let project: SynthProject | undefined;
      const needProject = () => (project ??= readProject(io.cwd, opts.dir));
      const folder = (given: string) => {
        const abs = path.resolve(io.cwd, given);
        if (!fs.existsSync(abs)) throw new CliError(messages.cli.folderMissing(given));
        const tree = readCheckedOutput(abs, given);
        if (tree.files.size === 0) throw new CliError(messages.cli.folderEmpty(given));
        return tree.files;
      };
      const source = { ...chartSource(io, opts), onMissing: opts.requireCharts ? 'error' as const : 'skip' as const };
      const render = async (files: ReadonlyMap<string, string>) => {
        try {
          return await renderApplications(files, source);
        } catch (e) {
          if (e instanceof ChartRenderError) throw new CliError(e.message);
          throw e;
        }
      };
      const baseFiles = opts.base !== undefined ? folder(opts.base) : readCheckedOutput(path.join(needProject().absDir, needProject().output), path.join(opts.dir, needProject().output)).files;
      const base = await render(baseFiles);
      let headFiles = new Map<string, string>();
      const head = opts.head !== undefined ? await render(headFiles = folder(opts.head))
        : await withFreshSynth(needProject(), (outdir) => render(headFiles = readCheckedOutput(outdir, 'the fresh synth').files), io.runApp);
      const scopes = new KindScopes();
      for (const r of [...base, ...head]) scopes.learn(r.objects.map((o) => o.object));
      const skipped = (rs: RenderedApplication[]) => rs.filter((r) => r.chartSkipped).map((r) => r.chartSkipped!.replace(/^Application \S+ \([^)]*\): /, ''));
      const notes = [...new Set([...skipped(base), ...skipped(head)])].map((m) => `not rendered, compared without it: ${m}`);
      const byName = (rs: RenderedApplication[]) => new Map(rs.map((r) => [r.application.name, r.application.manifest]));
      const d = diffObjects(plainManifests(base, (g, k) => scopes.namespaced(g, k)), plainManifests(head, (g, k) => scopes.namespaced(g, k)), notes,
        { before: byName(base), after: byName(head) });
      io.out(opts.format === 'markdown' ? formatObjectDiffMarkdown(d) : formatObjectDiffText(d));
      // what Argo CD would refuse after the change, and the policy pass on the charts' output
      // keyed by hub and name: several management clusters each have a root and an argo-cd Application
      const chartOnly = new Map(head.map((r) => [`${r.application.managedBy}/${r.application.name}`, r.objects.filter((o) => r.chart && o.origin.startsWith(`${r.chart.name} ${r.chart.version}: `))]));
      const problems = [
        ...immutableChanges(d).map((x) => messages.cli.immutableChange(x.object, x.application, x.paths, x.rule)),
        ...checkOutputPermissions(headFiles, { extra: (a) => chartOnly.get(`${a.managedBy}/${a.name}`) ?? [] }).denials.map((x) => `Argo CD would refuse: ${describeDenial(x)}`),
        ...checkChartPolicies(headFiles, head).findings.map((f) => `policy: ${f.entry ?? f.applications.join(', ')}: ${f.message}`),
      ];
      if (opts.format === 'markdown') io.out(problems.length ? `\n**Checks after the change:**\n\n${problems.map((p) => `- ${p}`).join('\n')}\n` : '\nChecks after the change: every object is permitted by its Application\'s AppProject, no change touches a field Kubernetes keeps immutable, and the policy pass finds nothing undeclared.\n');
      else io.out(problems.length ? problems.map((p) => `${p}\n`).join('') : 'checks: every object is permitted by its Application\'s AppProject, no change touches a field Kubernetes keeps immutable, and the policy pass finds nothing undeclared\n');
      if (problems.length) io.exitCode = 1;
    });
}
