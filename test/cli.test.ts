import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import { CliIo } from '../src/cli/io';

/** Runs the command line in-process and captures what it prints. */
export async function runCli(argv: string[], cwd = process.cwd()): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd };
  const code = await main(argv, io);
  return { code, out, err };
}

describe('command line', () => {
  it('prints its usage with --help and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: cdk8s-gitops-platform');
  });

  it('rejects an unknown command with a non-zero exit and a hint', async () => {
    const r = await runCli(['no-such-command']);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('run with --help for usage');
  });
});
