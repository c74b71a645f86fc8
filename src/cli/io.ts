import type { AppRunner } from './project';

/** Where a command writes, and the exit code it asks for (replaceable in tests). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Set by a command that finished but must exit non-zero (e.g. `check` found differences). */
  exitCode?: number;
  /** The working folder commands resolve relative paths against. */
  readonly cwd: string;
  /**
   * Runs the synth project's app for `check`, `diff` and `preview` (tests synthesize in their own process).
   * @default - the app command in a shell
   */
  readonly runApp?: AppRunner;
}

/** The process's own stdout, stderr and working folder. */
export function processIo(): CliIo {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    cwd: process.cwd(),
  };
}

/** A command-line failure: one line that says what went wrong and how to fix it. */
export class CliError extends Error {
  constructor(message: string, public readonly exitCode = 1) {
    super(message);
    this.name = 'CliError';
  }
}
