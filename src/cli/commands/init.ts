import * as fs from 'fs';
import * as path from 'path';
import { Command, Option } from 'commander';
import { existingStarterFiles, StarterCloud, starterFiles, writeStarter } from '../../starter/starter';
import { messages } from '../../core/errors';
import { CliError, CliIo } from '../io';
import { fileSystemError } from '../output-tree';

/** `init [dir] --cloud azure|aws`: scaffolds a platform repository. */
export function registerInit(program: Command, io: CliIo): void {
  program
    .command('init')
    .description('Scaffold a platform repository: cdk8s.yaml, platform.ts, main.ts, a unit test and CI workflows')
    .argument('[dir]', 'folder to create the repository in', '.')
    .addOption(new Option('--cloud <cloud>', 'the cloud of the starter platform').choices(Object.values(StarterCloud)).makeOptionMandatory())
    .option('--name <name>', 'npm package name of the repository (default: the folder name)')
    .option('--force', 'overwrite files that already exist', false)
    .option('--library <tarball|folder>', 'install cdk8s-gitops-platform from a local tarball (made by `npm pack` in a checkout) or a checkout, instead of the registry')
    .action((dir: string, opts: { cloud: StarterCloud; name?: string; force: boolean; library?: string }) => {
      const target = path.resolve(io.cwd, dir);
      if (fs.existsSync(target) && !fs.statSync(target).isDirectory()) {
        throw new CliError(messages.cli.initTargetIsFile(dir));
      }
      const name = opts.name ?? npmName(path.basename(target));
      const files = starterFiles({ cloud: opts.cloud, name, library: opts.library === undefined ? undefined : localLibrary(io.cwd, target, opts.library) });
      const existing = existingStarterFiles(target, files);
      if (existing.length > 0 && !opts.force) {
        throw new CliError(messages.cli.initWouldOverwrite(dir, existing));
      }
      try {
        writeStarter(target, files);
      } catch (e) {
        throw fileSystemError(e, dir) ?? e;
      }
      io.out(`Created a platform repository on ${opts.cloud === StarterCloud.AWS ? 'AWS' : 'Azure'} in ${dir}:\n${[...files.keys()].map((f) => `  ${f}`).join('\n')}\n`);
      io.out('Next: npm install && npm test && npm run synth\n');
    });
}

/** A `file:` specifier, relative to the new repository, for a tarball or checkout given relative to the working folder. */
function localLibrary(cwd: string, target: string, given: string): string {
  const abs = path.resolve(cwd, given.replace(/^file:/, ''));
  if (!fs.existsSync(abs)) {
    throw new CliError(messages.cli.libraryNotFound(given, abs));
  }
  const isTarball = fs.statSync(abs).isFile();
  if (isTarball ? !abs.endsWith('.tgz') : !fs.existsSync(path.join(abs, 'package.json'))) {
    throw new CliError(messages.cli.libraryNotAPackage(given));
  }
  const rel = path.relative(target, abs).split(path.sep).join('/');
  return `file:${rel.startsWith('.') ? rel : `./${rel}`}`;
}

/** A valid npm package name from a folder name. */
function npmName(folder: string): string {
  const s = folder.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+|-+$/g, '');
  return s || 'platform-gitops';
}
