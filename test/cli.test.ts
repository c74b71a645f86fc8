import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli';

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
