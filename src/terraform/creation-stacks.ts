/**
 * cdktf records a full, unbounded stack trace for every token it creates (each
 * attribute reference, each computed list), to point at the creating line when a
 * Terraform error is reported. Under source maps (tsx, which `cdk8s synth` runs) each
 * trace costs about a millisecond: a hundred clusters paid seconds for traces nobody
 * reads, since the library reports its own errors with construct paths.
 *
 * `withoutCreationStacks` runs `fn` with stack formatting turned off and puts the
 * previous formatter back afterwards, whatever happens. It is synchronous, so no other
 * code runs in between; errors thrown inside keep their stacks (V8 formats a stack when
 * it is first read, which is after the formatter is restored).
 *
 * With the formatter off, cdktf's trace helper returns an empty trace, but V8 still walks
 * every frame to collect it (the helper lifts the frame limit): a tenth of a fleet-scale
 * render. So the helper itself is swapped, for the same call, for one that returns that
 * empty trace at once, and put back afterwards.
 * See docs/decisions/0006-performance.md.
 */
export function withoutCreationStacks<T>(fn: () => T): T {
  const previous = Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace');
  if (suppressed) return fn();
  suppressed = true;
  Error.prepareStackTrace = emptyStack;
  const helper = cdktfTraces.captureStackTrace;
  cdktfTraces.captureStackTrace = noTrace;
  try {
    return fn();
  } finally {
    cdktfTraces.captureStackTrace = helper;
    suppressed = false;
    if (previous) Object.defineProperty(Error, 'prepareStackTrace', previous);
    else delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
  }
}

let suppressed = false;

// cdktf's own trace helper, called through its module's exports by each token it creates
const cdktfTraces = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: (below?: unknown) => string[] };

/** What cdktf's helper returns while stack formatting is off, without walking the stack. */
function noTrace(): string[] {
  return [];
}

function emptyStack(): string {
  return '';
}
