import * as path from 'path';
import { Command, Option } from 'commander';
import { messages } from '../../core/errors';
import { CliError, CliIo } from '../io';
import { readCheckedOutput } from '../output-tree';
import { readProject, SynthProject, withFreshSynth } from '../project';
import { diffTrees, formatDiffMarkdown, formatDiffText } from '../tree-diff';

interface DiffOptions {
  readonly dir: string;
  readonly base?: string;
  readonly head?: string;
  readonly format: 'text' | 'markdown';
}

/**
 * `diff`: what a change does, per cluster (Applications added, removed or changed, with
 * ApplicationSets expanded offline) and per Terraform state (resources added, removed or
 * changed). Compares `--base` (default: the committed output) with `--head` (default: a
 * fresh synth of the project).
 */
export function registerDiff(program: Command, io: CliIo): void {
  program.command('diff')
    .description('Show what a change does per cluster: Applications and Terraform resources added, removed or changed.')
    .option('--dir <folder>', 'the synth project (the folder of cdk8s.yaml)', '.')
    .option('--base <folder>', 'the output before the change (default: the committed output folder of the project)')
    .option('--head <folder>', 'the output after the change (default: a fresh synth of the project)')
    .addOption(new Option('--format <format>', 'text for a terminal, markdown for a pull request comment').choices(['text', 'markdown']).default('text'))
    .action((opts: DiffOptions) => {
      let project: SynthProject | undefined;
      const needProject = () => (project ??= readProject(io.cwd, opts.dir));
      const folder = (given: string) => {
        const abs = path.resolve(io.cwd, given);
        const tree = readCheckedOutput(abs, given);
        if (tree.files.size === 0) throw new CliError(messages.cli.folderEmpty(given));
        return tree.files;
      };
      const base = opts.base !== undefined ? folder(opts.base) : readCheckedOutput(path.join(needProject().absDir, needProject().output), path.join(opts.dir, needProject().output)).files;
      const render = (head: Map<string, string>) => {
        const d = diffTrees(base, head);
        io.out(opts.format === 'markdown' ? formatDiffMarkdown(d) : formatDiffText(d));
      };
      if (opts.head !== undefined) render(folder(opts.head));
      else withFreshSynth(needProject(), (outdir) => render(readCheckedOutput(outdir, 'the fresh synth').files), io.runApp);
    });
}
