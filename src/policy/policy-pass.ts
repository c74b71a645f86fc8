import { PlatformValidationError, Problem } from '../core/errors';
import { unsafeOutputPath } from '../synth/writer';
import { messages } from '../core/errors';
import { PolicyFile, runPolicyChecks } from './checks';
import { PolicySeverity, SECURITY_RULES, SecurityRule } from './security-rule';
import type { CleanTexts, TextScan } from './text-scan';

/** Severity per rule; rules not listed are errors. */
export type PolicySeverities = Partial<Record<SecurityRule, PolicySeverity>>;

/** The name of the platform's own AppProject (the only one allowed wildcards). */
export const PLATFORM_PROJECT = 'platform';

/** Checks a severity map at construction: known rules and severities only; returns a copy. */
export function checkPolicySeverities(path: string, prop: string, value: unknown): PolicySeverities {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new PlatformValidationError([{ path, message: messages.policySeverities(prop, value, SecurityRule.NO_PRIVILEGED_CONTAINERS) }]);
  }
  const rules = new Set<string>(SECURITY_RULES);
  const severities = new Set<string>(Object.values(PolicySeverity));
  const out: PolicySeverities = {};
  for (const [k, v] of Object.entries(value)) {
    if (!rules.has(k)) {
      throw new PlatformValidationError([{ path, message: messages.securityRuleName(`${prop} key`, k, SECURITY_RULES) }]);
    }
    if (!severities.has(v as string)) {
      throw new PlatformValidationError([{ path, message: messages.policySeverity(`${prop}["${k}"]`, v) }]);
    }
    out[k as SecurityRule] = v as PolicySeverity;
  }
  return out;
}

/** The severity in force for a rule (the default is error: secure unless relaxed on purpose). */
export function severityOf(severities: PolicySeverities, rule: SecurityRule): PolicySeverity {
  return severities[rule] ?? PolicySeverity.ERROR;
}

/** What a synth's render pass adds to the policy pass. */
export interface PassOptions {
  /** Receives each problem's file. */
  readonly fileOf?: Map<Problem, string>;
  /** Texts an earlier synth found free of credentials: not scanned again. */
  readonly cleanTexts?: CleanTexts;
}

/** The cluster folder a file belongs to: tenant namespaces are matched with their policies per cluster. */
function scopeOf(file: string): string {
  const m = /^clusters\/[^/]+\//.exec(file);
  return m ? m[0] : file.slice(0, file.lastIndexOf('/') + 1);
}

/**
 * The security policy pass over a rendered platform: returns every finding as a
 * problem naming the construct that produced the file, with the severity set for its
 * rule (rules set to off do not run).
 */
export function checkPlatformOutput(files: ReadonlyMap<string, string>, sourceOf: (file: string) => string, severities: PolicySeverities, parsed?: ReadonlyMap<string, unknown>,
  scans?: ReadonlyMap<string, () => TextScan | undefined>, pass: PassOptions = {}): Problem[] {
  const rules = new Set(SECURITY_RULES.filter((r) => severityOf(severities, r) !== PolicySeverity.OFF));
  if (rules.size === 0) return [];
  function* inputs(): Generator<PolicyFile> {
    // objects the render still holds are not parsed back from their text
    for (const [file, text] of files) {
      const o = parsed?.get(file);
      const credentialScan = scans?.get(file);
      yield { file, text, scope: scopeOf(file), ...(o !== undefined || parsed?.has(file) ? { objects: [o] } : {}), ...(credentialScan ? { credentialScan } : {}) };
    }
  }
  return runPolicyChecks(inputs(), { rules, platformProjects: new Set([PLATFORM_PROJECT]), ...(pass.cleanTexts ? { cleanTexts: pass.cleanTexts } : {}) }).map((f) => {
    const problem: Problem = {
      path: sourceOf(f.file),
      message: f.message,
      severity: severityOf(severities, f.rule) === PolicySeverity.WARNING ? 'warning' : 'error',
    };
    pass.fileOf?.set(problem, f.file);
    return problem;
  });
}

/**
 * Everything checked on the rendered output before it is written: output paths that
 * could escape the output folder (always errors), then the security policy pass.
 */
export function checkOutput(files: ReadonlyMap<string, string>, sourceOf: (file: string) => string, severities: PolicySeverities, parsed?: ReadonlyMap<string, unknown>,
  scans?: ReadonlyMap<string, () => TextScan | undefined>, pass: PassOptions = {}): Problem[] {
  const paths: Problem[] = [];
  for (const f of files.keys()) if (unsafeOutputPath(f)) paths.push({ path: sourceOf(f), message: messages.outputPath(f) });
  if (paths.length > 0) return paths;
  return checkPlatformOutput(files, sourceOf, severities, parsed, scans, pass);
}
