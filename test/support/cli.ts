import { CliIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';

/** Runs the command line in-process and captures what it prints. */
export async function runCli(argv: string[], cwd = process.cwd()): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd };
  const code = await main(argv, io);
  return { code, out, err };
}
