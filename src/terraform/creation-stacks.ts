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
 * See docs/decisions/0006-performance.md.
 */
export function withoutCreationStacks<T>(fn: () => T): T {
  const previous = Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace');
  if (suppressed) return fn();
  suppressed = true;
  Error.prepareStackTrace = emptyStack;
  try {
    return fn();
  } finally {
    suppressed = false;
    if (previous) Object.defineProperty(Error, 'prepareStackTrace', previous);
    else delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
  }
}

let suppressed = false;

function emptyStack(): string {
  return '';
}
