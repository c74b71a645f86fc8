import * as path from 'path';
import { Command } from 'commander';
import { messages } from '../../core/errors';
import { realPath } from '../../core/files';
import { PLATFORM_JSON } from '../../report/platform-data';
import { CliError, CliIo } from '../io';
import { readCheckedOutput } from '../output-tree';
import { gitRoot, readOutput, readProject, SynthProject, withFreshSynth } from '../project';
import { fileChanges } from '../tree-diff';

/**
 * `check`: synthesizes into a temporary folder with the project's app command and compares
 * it with the committed output; exits 1 listing what differs. The CI gate against
 * hand-edited or stale YAML.
 */
export function registerCheck(program: Command, io: CliIo): void {
  program.command('check')
    .description('Synthesize into a temporary folder and compare with the committed output; exit 1 when they differ.')
    .option('--dir <folder>', 'the synth project (the folder of cdk8s.yaml)', '.')
    .action((opts: { dir: string }) => {
      const project = readProject(io.cwd, opts.dir);
      const committedDir = path.join(project.absDir, project.output);
      const committed = readCheckedOutput(committedDir, path.join(opts.dir, project.output));
      const changes = withFreshSynth(project, (outdir) => {
        const fresh = readOutput(outdir);
        // generated files only: files the library did not generate are the user's own
        const generated = committed.generated ?? new Set(committed.files.keys());
        const base = new Map([...committed.files].filter(([f]) => generated.has(f) || fresh.files.has(f)));
        return { ...fileChanges(base, fresh.files), total: fresh.files.size, repositoryPath: declaredPath(fresh.files.get(PLATFORM_JSON)) };
      }, io.runApp);
      const shown = path.join(project.dir, project.output).split(path.sep).join('/');
      const note = changes.repositoryPath === undefined ? undefined : checkRepositoryPath(project, shown, changes.repositoryPath);
      const n = changes.added.length + changes.removed.length + changes.changed.length;
      if (n === 0) {
        io.out(`${shown} is up to date: ${changes.total} generated files match a fresh synth.\n${note ? `${note}\n` : ''}`);
        return;
      }
      const lines = [
        ...changes.changed.map((f) => `  changed  ${f}`),
        ...changes.added.map((f) => `  missing  ${f}   (the synth generates it; it is not committed)`),
        ...changes.removed.map((f) => `  stale    ${f}   (committed, but no longer generated)`),
      ];
      io.out(`${shown} differs from a fresh synth in ${n} file(s):\n${lines.join('\n')}\n${note ? `${note}\n` : ''}`);
      io.err(`error: ${messages.cli.staleOutput(project.app, project.dir, shown)}\n`);
      io.exitCode = 1;
    });
}

/** `repository.path` of a synthesized `platform.json`, or undefined when there is none to read (not a Platform's output). */
function declaredPath(text: string | undefined): string | undefined {
  try {
    const p = text === undefined ? undefined : (JSON.parse(text) as { repository?: { path?: unknown } }).repository?.path;
    return typeof p === 'string' ? p : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The output folder is `repository.path` in its Git repository (Argo CD's root Application
 * syncs `<repository.path>/clusters/<management>`): throws the fix when it is not, returns a
 * note when there is no Git repository to compare in.
 */
function checkRepositoryPath(project: SynthProject, shown: string, declared: string): string | undefined {
  // the repository the output is committed to: the output folder's own (it may be another one than
  // the code's, e.g. output: ../gitops/dist), links resolved
  const outDir = path.join(project.absDir, project.output);
  const real = realPath(outDir);
  const root = gitRoot(real);
  if (root === undefined) return messages.cli.noGitRepository(project.dir, shown, declared);
  const actual = path.relative(root, real).split(path.sep).join('/');
  if (actual === declared) return undefined;
  // the cdk8s.yaml output that would be repository.path (relative to the project; `actual` is inside the repository found above the output itself)
  const fromProject = path.relative(realPath(project.absDir), path.join(root, declared)).split(path.sep).join('/') || '.';
  throw new CliError(messages.cli.repositoryPathMismatch(shown, actual, declared, fromProject));
}
