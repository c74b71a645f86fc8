import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { promote, PromotionError } from '../../service/promotion';
import { PLATFORM_JSON } from '../../report/platform-data';
import { CliError, CliIo } from '../io';
import { readPlatformFile } from '../platform-file';
import { readProject } from '../project';

/** `promote <team>/<service> --from <env> --to <env>`: copies the pin (only the pin) and prints the diff. */
export function registerPromote(program: Command, io: CliIo): void {
  program.command('promote')
    .description('Copy a service\'s pin (image tag and revision) from one environment\'s pin file to the next one it has a pin file for, and print the diff for a pull request.')
    .argument('<service>', '<team>/<service>, as in services/<team>/<service>/<env>.json')
    .requiredOption('--from <env>', 'the environment whose pin is copied, e.g. staging')
    .requiredOption('--to <env>', 'the environment whose pin file is rewritten, e.g. prod')
    .option('--dir <path>', 'the repository root holding services/', '.')
    .option('--platform <file>', `the platform's ${PLATFORM_JSON} (its environments in promotion order) (default: ${PLATFORM_JSON} in the output folder of cdk8s.yaml in --dir, else dist/${PLATFORM_JSON})`)
    .option('--force', 'copy the pin even to an earlier environment, or past one the service has a pin file for (going back or skipping on purpose)', false)
    .action((service: string, opts: { from: string; to: string; dir: string; platform?: string; force: boolean }) => {
      const root = path.resolve(io.cwd, opts.dir);
      const data = readPlatformFile(io.cwd, opts.platform ?? defaultPlatformFile(io.cwd, opts.dir));
      try {
        const r = promote({ root, service, from: opts.from, to: opts.to, environments: data.environments, force: opts.force });
        if (!r.changed) {
          io.out(`${r.file} already pins ${r.after.imageTag} at ${r.after.targetRevision}: nothing to promote.\n`);
          return;
        }
        io.out(r.diff);
        io.out(`promoted ${service} from ${opts.from} to ${opts.to}: ${r.file} now pins ${r.after.imageTag} (cluster ${r.after.cluster} kept).\n`);
      } catch (e) {
        if (e instanceof PromotionError) throw new CliError(e.message);
        throw e;
      }
    });
}

/** `platform.json` in the output folder of the project in `dir` (cdk8s.yaml's `output`), else in `dir/dist`. */
function defaultPlatformFile(cwd: string, dir: string): string {
  let output = 'dist';
  if (fs.existsSync(path.resolve(cwd, dir, 'cdk8s.yaml'))) output = readProject(cwd, dir).output;
  return path.join(dir, output, PLATFORM_JSON);
}
