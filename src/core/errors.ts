/**
 * Every user-facing message of the library is built here, so they read alike:
 * `[<construct path>] <what>: got <value>. Allowed: <what is allowed>. Fix: <how>.`
 */

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
  public readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    const lines = problems.map((p) => `[${p.path}] ${p.message}`);
    super(problems.length === 1
      ? lines[0]
      : `${problems.length} problems in the platform declaration:\n  ${lines.join('\n  ')}`);
    this.name = 'PlatformValidationError';
    this.problems = problems;
  }
}

/** Thrown when writing the output fails; the previous output is left untouched. */
export class PlatformWriteError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PlatformWriteError';
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'nothing';
  return JSON.stringify(value);
}

/** Builds the message for a property with a bad value. */
export function badValue(prop: string, value: unknown, allowed: string, fix: string): string {
  return `${prop}: got ${show(value)}. Allowed: ${allowed}. Fix: ${fix}.`;
}

/** Throws a single-problem validation error for a construct. */
export function fail(path: string, message: string): never {
  throw new PlatformValidationError([{ path, message }]);
}

export const messages = {
  dnsLabel: (prop: string, value: unknown) => badValue(prop, value,
    'a DNS-1123 label: 1 to 63 characters of lower-case letters, digits and "-", starting and ending with a letter or digit',
    `rename it, e.g. ${show(suggestDnsLabel(value))}`),
  requiredString: (prop: string, value: unknown) => badValue(prop, value, 'a non-empty string', `set ${prop}`),
  url: (prop: string, value: unknown) => badValue(prop, value,
    'an https:// or ssh (git@host:org/repo.git) repository URL', `set ${prop} to the URL Argo CD clones, e.g. "https://github.com/acme/platform-gitops.git"`),
  domain: (prop: string, value: unknown) => badValue(prop, value,
    'a DNS name of two or more labels, e.g. "platform.acme.dev"', `set ${prop} to the platform's base domain`),
  cidr: (prop: string, value: unknown) => badValue(prop, value,
    'an IPv4 CIDR block such as "10.0.0.0/16" (prefix /8 to /24, host bits zero)', `set ${prop} to a valid private range`),
  kubernetesVersion: (prop: string, value: unknown, min: string, max: string) => badValue(prop, value,
    `a supported Kubernetes minor version "1.N" from ${min} to ${max}`, `set ${prop} to a version in that range, e.g. "${max}"`),
  duplicateName: (kind: string, name: string, paths: readonly string[]) =>
    `duplicate ${kind} name ${show(name)}: also declared at ${paths.join(', ')}. Fix: give each ${kind} a unique name.`,
  cidrOverlap: (name: string, cidr: string, otherName: string, otherCidr: string, otherPath: string) =>
    `network.cidr ${show(cidr)} of cluster ${show(name)} overlaps ${show(otherCidr)} of cluster ${show(otherName)} (${otherPath}). Fix: give each cluster its own address range, e.g. a distinct /16.`,
  duplicateOutputPath: (file: string, paths: readonly string[]) =>
    `two objects would be written to the same file ${show(file)} (${paths.join(', ')}). Fix: give the objects distinct names.`,
  positiveInt: (prop: string, value: unknown) => badValue(prop, value, 'a whole number of at least 1', `set ${prop} to a whole number`),
  range: (prop: string, min: number, max: number) => badValue(`${prop}`, `${min}..${max}`, 'minCount <= maxCount', 'raise maxCount or lower minCount'),
  outdir: (value: unknown) => badValue('outdir', value, 'a folder that is not the file system root, the current folder or one of its parents',
    'set outdir (or CDK8S_OUTDIR) to a dedicated folder such as "dist"'),
  stackDependency: (cluster: string, stack: string, missing: string) =>
    `cluster ${show(cluster)} turns on the stack "${stack}: enabled", which needs "${missing}: enabled". Fix: add the label ${show(missing)}: "enabled" to the cluster, or remove "${stack}".`,
  securityBasic: (cluster: string) =>
    `cluster ${show(cluster)} does not turn on "security-basic" (cert-manager, policies, External Secrets). Fix: add the label "security-basic": "enabled".`,
  outputPath: (file: unknown) => badValue('output file path', file,
    'a relative path inside the output folder: segments of 1 to 255 bytes joined by "/", no "..", ".", empty segment, leading "/", backslash, drive letter or NUL',
    'rename the object or file that produces it (names become file names)'),
  notGeneratedConflict: (file: string) =>
    `the output folder holds ${show(file)}, which this library did not generate but would now write. Fix: move or delete that file, or rename the object that produces it.`,
  notAFile: (file: string, what: string) =>
    `the output folder holds ${what} at ${show(file)}, where this library writes a generated file; it is left as it is and never followed. Fix: move or delete it, then synth again.`,
  notAFolder: (dir: string, what: string) =>
    `the output folder holds ${what} at ${show(dir)}, where this library writes a folder of generated files; it is left as it is and never followed. Fix: move or delete it, then synth again.`,
};

/** Lower-cases and strips a value into a DNS-1123 label, for suggestions in messages. */
export function suggestDnsLabel(value: unknown): string {
  const s = String(value ?? '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return s || 'my-name';
}
