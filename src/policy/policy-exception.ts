import { messages, PlatformValidationError } from '../core/errors';
import { SECURITY_RULES, SecurityRule } from './security-rule';

/**
 * A security rule a catalog entry's chart output may break, with the reason: the policy pass
 * over rendered charts skips the findings it covers and PLATFORM.md lists it, so every
 * exception is visible in review.
 */
export interface PolicyException {
  /** The rule the entry's chart may break. */
  readonly rule: SecurityRule;
  /** Why the chart needs it (shown in PLATFORM.md), e.g. "the node agent reads /var/log of the node". */
  readonly reason: string;
  /**
   * The objects it covers, as `Kind/name` patterns (`*` matches any run of characters),
   * e.g. `DaemonSet/node-exporter`, `Job/*-admission-*`.
   * @default - every object of the entry's chart
   */
  readonly objects?: string[];
}

/** Checks a list of policy exceptions at construction; returns a copy. */
export function checkPolicyExceptions(path: string, prop: string, value: unknown): PolicyException[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new PlatformValidationError([{ path, message: messages.policyExceptions(prop, value) }]);
  const rules = new Set<string>(SECURITY_RULES);
  return value.map((e: Partial<PolicyException>, i) => {
    const at = `${prop}[${i}]`;
    if (!e || !rules.has(e.rule as string)) {
      throw new PlatformValidationError([{ path, message: messages.securityRuleName(`${at}.rule`, e?.rule, SECURITY_RULES) }]);
    }
    if (typeof e.reason !== 'string' || e.reason.trim().length < 10) {
      throw new PlatformValidationError([{ path, message: messages.policyExceptionReason(`${at}.reason`, e.reason) }]);
    }
    const objects = e.objects;
    if (objects !== undefined && (!Array.isArray(objects) || objects.length === 0 || objects.some((o) => typeof o !== 'string' || !/^[A-Za-z*]+\/[-a-z0-9.:*]+$/.test(o)))) {
      throw new PlatformValidationError([{ path, message: messages.policyExceptionObjects(`${at}.objects`, objects) }]);
    }
    return { rule: e.rule as SecurityRule, reason: e.reason, ...(objects ? { objects: [...objects] } : {}) };
  });
}

/** True when an exception covers an object of the given kind and name. */
export function exceptionCovers(e: PolicyException, rule: SecurityRule, kind: string, name: string): boolean {
  if (e.rule !== rule) return false;
  if (!e.objects) return true;
  const target = `${kind}/${name}`;
  return e.objects.some((p) => new RegExp(`^${p.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`).test(target));
}
