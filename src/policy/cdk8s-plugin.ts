import * as fs from 'fs';
import { parseAllDocuments } from 'yaml';
import { PolicyFile, runPolicyChecks } from './checks';
import { PLATFORM_PROJECT, PolicySeverities, checkPolicySeverities, severityOf } from './policy-pass';
import { PolicySeverity, SECURITY_RULES, SecurityRule } from './security-rule';

/**
 * The parts of cdk8s-cli's validation context the plugin uses (the CLI passes its
 * own `ValidationContext`; declared here so the library does not depend on the CLI).
 * @see https://github.com/cdk8s-team/cdk8s-cli/blob/2.x/src/plugins/validation.ts
 */
export interface Cdk8sValidationContext {
  /** Paths of the synthesized manifests. */
  readonly manifests: readonly string[];
  /** The report to fill. */
  readonly report: {
    addViolation(violation: {
      ruleName: string;
      recommendation: string;
      fix: string;
      violatingResources: { resourceName: string; locations: string[]; manifestPath: string }[];
    }): void;
    submit(status: 'success' | 'failure', metadata?: Record<string, string>): void;
  };
  /** Logger of the CLI. */
  readonly logger?: { log(message: string): void };
}

/** Props of {@link SecurityPolicyValidation} (the `properties:` of its `cdk8s.yaml` entry). */
export interface SecurityPolicyValidationProps {
  /**
   * Severity per rule (`SecurityRule` value -> "error", "warning" or "off"); warnings are
   * logged, errors fail `cdk8s synth`.
   * @default - every rule is an error
   */
  readonly policies?: PolicySeverities;
  /**
   * AppProjects allowed to use `*` (your platform's own).
   * @default ['platform']
   */
  readonly platformProjects?: string[];
}

/**
 * The library's security checks as a cdk8s validation plugin, for apps that add
 * their own constructs. In `cdk8s.yaml`:
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk8s-gitops-platform
 *     version: 0.0.0   # any exact version: a local package is loaded as it is, offline
 *     class: SecurityPolicyValidation
 *     properties:
 *       policies:
 *         no-privileged-or-root-containers: warning
 * ```
 * @see https://cdk8s.io/docs/latest/cli/synth/#validation-plugins
 */
export class SecurityPolicyValidation {
  private readonly policies: PolicySeverities;
  private readonly platformProjects: ReadonlySet<string>;

  constructor(props: SecurityPolicyValidationProps = {}) {
    this.policies = checkPolicySeverities('SecurityPolicyValidation', 'properties.policies', props.policies);
    this.platformProjects = new Set(props.platformProjects ?? [PLATFORM_PROJECT]);
  }

  /** Runs the checks over every synthesized manifest and submits the report (cdk8s-cli's contract). */
  public async validate(context: Cdk8sValidationContext): Promise<void> {
    const rules = new Set(SECURITY_RULES.filter((r) => severityOf(this.policies, r) !== PolicySeverity.OFF));
    const files: PolicyFile[] = context.manifests.map((file) => {
      const text = fs.readFileSync(file, 'utf8');
      // YAML 1.1 merge keys (`<<: *base`) applied, as Kubernetes reads them: a Secret's data may arrive through one
      const objects = parseAllDocuments(text, { merge: true }).map((d) => d.toJS({ maxAliasCount: 1000 }) as unknown).filter((o) => o !== null && o !== undefined);
      return { file, text, scope: '', objects };
    });
    const findings = runPolicyChecks(files, { rules, platformProjects: this.platformProjects });
    const byRule = new Map<SecurityRule, typeof findings>();
    for (const f of findings) {
      const list = byRule.get(f.rule) ?? [];
      list.push(f);
      byRule.set(f.rule, list);
    }
    let failed = false;
    for (const [rule, list] of byRule) {
      if (severityOf(this.policies, rule) === PolicySeverity.WARNING) {
        for (const f of list) context.logger?.log(`warning: ${f.message}`);
        continue;
      }
      failed = true;
      for (const f of list) {
        const [, fix] = f.message.split(' Fix: ');
        context.report.addViolation({
          ruleName: rule,
          recommendation: f.message.split(' Fix: ')[0],
          fix: (fix ?? '').replace(/\.$/, ''),
          // cdk8s-cli maps resourceName (metadata.name) to the construct path it recorded
          violatingResources: [{ resourceName: f.resource?.name ?? f.file, locations: [f.resource ? `${f.resource.kind}/${f.resource.name}` : f.file], manifestPath: f.file }],
        });
      }
    }
    context.report.submit(failed ? 'failure' : 'success', { rules: [...rules].join(',') });
  }
}
