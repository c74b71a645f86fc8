import * as path from 'path';
import { Command } from 'commander';
import { promote, PromotionError } from '../../service/promotion';
import { committedEnvironments, PromotionOrderError } from '../../service/promotion-order';
import { CliError, CliIo } from '../io';

/** `promote <team>/<service> --from <env> --to <env>`: copies the pin (only the pin) and prints the diff. */
export function registerPromote(program: Command, io: CliIo): void {
  program.command('promote')
    .description('Copy a service\'s pin (image tag and revision) from one environment\'s pin file to the next, and print the diff for a pull request.')
    .argument('<service>', '<team>/<service>, as in services/<team>/<service>/<env>.json')
    .requiredOption('--from <env>', 'the environment whose pin is copied, e.g. staging')
    .requiredOption('--to <env>', 'the environment whose pin file is rewritten, e.g. prod')
    .option('--dir <path>', 'the repository root holding services/', '.')
    .option('--environments <list>', 'the platform\'s environments in promotion order, comma-separated (default: from the committed platform.json)')
    .option('--force', 'copy the pin even to an earlier environment (going back)', false)
    .action((service: string, opts: { from: string; to: string; dir: string; environments?: string; force: boolean }) => {
      try {
        const root = path.resolve(io.cwd, opts.dir);
        const r = promote({
          root,
          service,
          from: opts.from,
          to: opts.to,
          environments: opts.environments?.split(',').map((e) => e.trim()).filter((e) => e !== '') ?? platformOrder(root, opts.force),
          force: opts.force,
        });
        if (!r.changed) {
          io.out(`${r.file} already pins ${r.after.imageTag} at ${r.after.targetRevision}: nothing to promote.\n`);
          return;
        }
        io.out(r.diff);
        io.out(`promoted ${service} from ${opts.from} to ${opts.to}: ${r.file} now pins ${r.after.imageTag} (cluster ${r.after.cluster} kept).\n`);
      } catch (e) {
        if (e instanceof PromotionError || e instanceof PromotionOrderError) throw new CliError(e.message);
        throw e;
      }
    });
}

/** The environment order of the committed platform.json; without one, only `--force` promotes. */
function platformOrder(root: string, force: boolean): readonly string[] | undefined {
  const found = committedEnvironments(root);
  if (!found && !force) {
    throw new CliError('no platform.json in the output folder, so the environment order is unknown. Fix: run the synth and commit its output, pass --environments dev,staging,prod, or pass --force.');
  }
  return found?.environments;
}
