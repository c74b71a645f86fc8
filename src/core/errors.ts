import * as path from 'path';
import { catalogMessages } from './messages/catalog';
import { cliMessages } from './messages/cli';
import { clusterMessages } from './messages/cluster';
import { declarationMessages } from './messages/declaration';
import { internalMessages } from './messages/internal';
import { modelMessages } from './messages/model';
import { platformMessages } from './messages/platform';
import { policyMessages, policySettingMessages } from './messages/policy';
import { argumentMessages, propMessages } from './messages/props';
import { renderingMessages } from './messages/rendering';
import { outputMessages } from './messages/output';
import { serviceMessages } from './messages/service';
import { tenantMessages } from './messages/tenant';

/**
 * The library's errors and the messages module: every user-facing message is built by
 * `messages` (its groups live in `core/messages/`, one file per area), so they read alike:
 * `[<construct path>] <what>: got <value>. Allowed: <what is allowed>. Fix: <how>.`
 */

export { MAX_QUOTED, badValue, policyFinding, show, suggestDnsLabel } from './messages/format';
export { policyMessages } from './messages/policy';

/** One problem found in the platform declaration. */
export interface Problem {
  /** The construct path the problem belongs to (e.g. `platform/mgmt`). */
  readonly path: string;
  /** The problem, with the value received and how to fix it. */
  readonly message: string;
  /**
   * Warnings are reported (in `platform.warnings` and on stderr by `synth()`) but do not stop synthesis.
   * @default 'error'
   */
  readonly severity?: 'error' | 'warning';
}

/**
 * Thrown when a platform declaration is invalid. Carries every problem found,
 * so one run reports all of them together.
 */
export class PlatformValidationError extends Error {
  /** The problems, in declaration order. */
  declare public readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    const lines = problems.map((p) => `[${p.path}] ${p.message}`);
    super(problems.length === 1
      ? lines[0]
      : `${problems.length} problems in the platform declaration:\n  ${lines.join('\n  ')}`);
    this.name = 'PlatformValidationError';
    // not enumerable: an uncaught error prints the list once (the message), not again as a property
    Object.defineProperty(this, 'problems', { value: problems, enumerable: false, writable: false });
    // Deep enough to reach the caller's frames below the library's own; formatted when first
    // read (V8 formats lazily, and the Terraform rendering turns formatting off meanwhile).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 100;
    const trace: { stack?: string } = {};
    Error.captureStackTrace(trace, PlatformValidationError);
    Error.stackTraceLimit = limit;
    let assigned: string | undefined;
    Object.defineProperty(this, 'stack', {
      configurable: true,
      enumerable: false,
      get: () => assigned ?? `${this.name}: ${this.message}${userFrames(trace.stack)}`,
      set: (v: string) => { assigned = v; },
    });
  }
}

/** The library's own folders (src/ in a checkout, lib/ in the package). */
const OWN_FOLDERS = [path.join(__dirname, '..', path.sep), path.join(__dirname, '..', '..', 'lib', path.sep)];

/**
 * A declaration error is the user's, not a bug of the library: its stack shows the caller's
 * frames (where `synth()` was called), without the library's frames or Node's.
 */
function userFrames(stack: string | undefined): string {
  const frames = (stack ?? '').split('\n').filter((l) => /^\s+at /.test(l))
    .filter((l) => !OWN_FOLDERS.some((d) => l.includes(d)) && !/\(node:|at node:|[\\/]node_modules[\\/]/.test(l));
  return frames.slice(0, 3).map((l) => `\n${l}`).join('');
}

/** Thrown when writing the output fails; the previous output is left untouched. */
export class PlatformWriteError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PlatformWriteError';
  }
}


/** Throws a single-problem validation error for a construct. */
export function fail(path: string, message: string): never {
  throw new PlatformValidationError([{ path, message }]);
}

/**
 * Every user-facing message, by area. The top-level builders (the platform declaration's props
 * and rules, the output folder, the policy pass's settings, reading an output back and
 * rendering it with helm, the Terraform provider packages) keep their flat names; the other
 * areas are groups (`messages.catalog.chartFactory(...)`).
 */
export const messages = {
  ...platformMessages,
  ...policySettingMessages,
  ...renderingMessages,
  /** The security policy pass's findings. */
  policy: policyMessages,
  /** The service catalog (src/catalog/). */
  catalog: catalogMessages,
  /** The prop checks every construct calls (core/validate.ts, core/data.ts). */
  props: propMessages,
  /** The argument checks of the exported functions (core/arguments.ts). */
  args: argumentMessages,
  /** The command line (src/cli/). */
  cli: cliMessages,
  /** Bugs of the library, never the user's input. */
  internal: internalMessages,
  /** The render pass and the writer (src/synth/). */
  output: outputMessages,
  /** Finding the platform a construct belongs to. */
  declaration: declarationMessages,
  /** The tenants' prop checks (src/tenant/). */
  tenant: tenantMessages,
  /** The clusters' prop checks (src/cluster/). */
  cluster: clusterMessages,
  /** The value types' prop checks: clouds, API access, node pools, backends, SSO, quantities (src/model/). */
  model: modelMessages,
  /** A team's service, its pin files and their promotion (src/service/). */
  service: serviceMessages,
};
