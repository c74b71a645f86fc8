import * as path from 'path';
import { Command } from 'commander';
import { readPlatformData, expandTree } from '../../testing/applications';
import { messages } from '../../core/errors';
import { CliError, CliIo } from '../io';
import { readCheckedOutput } from '../output-tree';
import { readProject } from '../project';

function labelsText(labels: Record<string, string>): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ') || 'none';
}

function selectorText(selector: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined): string {
  const parts = [
    ...Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(selector?.matchExpressions ?? []).map((e) => `${e.key} ${e.operator}${e.values ? ` (${e.values.join(', ')})` : ''}`),
  ];
  return parts.length ? parts.join(', ') : 'every cluster';
}

/** `explain <cluster>`: what a cluster runs and why (the selector that matched, the value files that apply). */
export function registerExplain(program: Command, io: CliIo): void {
  program.command('explain')
    .description('Explain what a cluster runs and why: the selector that matched, the chart version and the value files.')
    .argument('<cluster>', 'the Argo CD cluster name')
    .option('--dir <folder>', 'the synth project (the folder of cdk8s.yaml)', '.')
    .option('--output <folder>', 'the synthesized output to read (default: the output folder of the project)')
    .action((cluster: string, opts: { dir: string; output?: string }) => {
      const project = opts.output === undefined ? readProject(io.cwd, opts.dir) : undefined;
      const dir = project ? path.join(project.absDir, project.output) : path.resolve(io.cwd, opts.output!);
      const files = readCheckedOutput(dir, project ? path.join(opts.dir, project.output) : opts.output!).files;
      if (files.size === 0) throw new CliError(messages.cli.explainNoOutput(opts.output ?? opts.dir));
      const data = readPlatformData(files);
      const c = data.clusters.find((x) => x.name === cluster);
      if (!c) throw new CliError(messages.cli.explainNoCluster(cluster, data.clusters.map((x) => x.name)));
      const apps = expandTree(files).filter((a) => a.cluster === cluster);
      const where = [c.environment && `environment ${c.environment}`, c.cloud && `${c.cloud} ${c.region}`, c.host && `hosted on ${c.host}`].filter(Boolean).join(', ');
      const out = [
        `cluster ${c.name}: ${c.role}${where ? `, ${where}` : ''}${c.management ? `; registered in the Argo CD of ${c.management}` : ''}`,
        `labels: ${labelsText(c.labels)}`,
        '',
        `runs ${apps.length} Application(s):`,
      ];
      for (const a of apps) {
        out.push(`  ${a.name}${a.chart ? `: ${a.chart.chart} ${a.chart.version}` : ''} -> namespace ${a.namespace ?? '(none)'}, project ${a.project}`);
        if (a.applicationSet) out.push(`    why: ApplicationSet ${a.applicationSet} (${a.file}), generator ${a.generator?.index} selects ${selectorText(a.generator?.selector)}`);
        else out.push(`    why: a plain Application (${a.file})`);
        if (a.valueFiles.length) out.push(`    value files: ${a.valueFiles.join(' -> ')}`);
        if (a.paths.length) out.push(`    syncs: ${a.paths.join(', ')}`);
        if (a.missingPaths.length) out.push(`    MISSING from the output: ${a.missingPaths.join(', ')}`);
      }
      io.out(`${out.join('\n')}\n`);
    });
}
