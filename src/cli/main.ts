#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError } from 'commander';
import { PlatformValidationError, PlatformWriteError } from '../core/errors';
import { ExpansionError } from '../testing/applications';
import { GoTemplateError } from '../testing/go-template';
import { COMMANDS } from './commands';
import { CliError, CliIo, processIo } from './io';
import { fileSystemError } from './output-tree';

/** The library's version, from its package.json (two folders above src/cli/ and lib/cli/). */
export function ownVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** Builds the `cdk8s-gitops-platform` command line (every subcommand registered). */
export function buildProgram(io: CliIo): Command {
  const program = new Command('cdk8s-gitops-platform')
    .description('Check, compare and explain a synthesized GitOps platform repository.')
    .showHelpAfterError('(run with --help for usage)')
    .version(ownVersion(), '-V, --version', 'print the version of cdk8s-gitops-platform')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(s),
    });
  for (const register of COMMANDS) register(program, io);
  return program;
}

/**
 * Runs the command line with `argv` (without the node and script entries) and
 * returns the exit code. Errors are one line on stderr with the fix.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return io.exitCode ?? 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors are already printed
      return e.exitCode;
    }
    if (e instanceof CliError || e instanceof PlatformValidationError || e instanceof PlatformWriteError || e instanceof ExpansionError || e instanceof GoTemplateError) {
      io.err(`error: ${e.message}\n`);
      return e instanceof CliError ? e.exitCode : 1;
    }
    // a file-system error no command turned into its own message: still one line with the fix
    const fsError = fileSystemError(e, (e as NodeJS.ErrnoException)?.path ?? 'a path');
    if (fsError) {
      io.err(`error: ${fsError.message}\n`);
      return 1;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
