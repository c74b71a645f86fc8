import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { TerraformProvider, TerraformStack } from 'cdktf';

/**
 * IAM's size quotas, and policies split to fit them. A role's inline policies count together;
 * a role that outgrows them gets managed policies instead, each within its own quota.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */

/**
 * IAM's quotas: the inline policies of one role (their characters other than whitespace,
 * together), one managed policy, and the managed policies attached to one role (the default
 * quota; it can be raised).
 */
export const IAM_QUOTAS = { inlinePerRole: 10_240, managedPolicy: 6_144, managedPerRole: 10 } as const;

/** The longest name of an AWS partition: a policy's size is counted with it where the partition is read at plan time. */
export const LONGEST_PARTITION = 'aws-us-gov';

/** A policy document of these statements, as IAM reads it (JSON text). */
export function policyDocument(statements: readonly SizedStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements.map(asJson) });
}

/** Room kept below a quota for what a Terraform data source adds to a document (`Sid`s, key order). */
const MARGIN = 240;

/** A policy statement, with resources written for the size count (see {@link SizedStatement.measure}). */
export interface SizedStatement {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** IAM's `Condition` block, when any. */
  readonly condition?: Record<string, Record<string, string | string[]>>;
}

/** The characters IAM counts in a document of these statements (none of the values holds whitespace). */
export function policySize(statements: readonly SizedStatement[]): number {
  return policyDocument(statements).length;
}

function asJson(s: SizedStatement): Record<string, unknown> {
  return { Effect: 'Allow', Action: s.actions, Resource: s.resources, ...(s.condition ? { Condition: s.condition } : {}) };
}

/** Whether the statements fit one inline policy beside `others` characters of the role's other inline policies. */
export function fitsInline(statements: readonly SizedStatement[], others = 0): boolean {
  return policySize(statements) + others <= IAM_QUOTAS.inlinePerRole - MARGIN;
}

/**
 * The statements split into documents that each fit a managed policy: a statement's resources
 * are spread over as many documents as they need, in order (each part keeps the statement's
 * actions and condition). Returns the index ranges of each statement's resources, per document.
 */
export function splitForManagedPolicies(statements: readonly SizedStatement[]): { statement: number; from: number; to: number }[][] {
  const limit = IAM_QUOTAS.managedPolicy - MARGIN;
  const docs: { statement: number; from: number; to: number }[][] = [];
  let doc: { statement: number; from: number; to: number }[] = [];
  let size = policySize([]);
  const close = () => {
    if (doc.length) docs.push(doc);
    doc = [];
    size = policySize([]);
  };
  statements.forEach((s, i) => {
    const overhead = JSON.stringify(asJson({ ...s, resources: [] })).length + 1;
    let part: { statement: number; from: number; to: number } | undefined;
    s.resources.forEach((r, j) => {
      const cost = JSON.stringify(r).length + 1;
      if (!part) {
        if (size + overhead + cost > limit) close();
        part = { statement: i, from: j, to: j + 1 };
        doc.push(part);
        size += overhead + cost;
      } else if (size + cost > limit) {
        close();
        part = { statement: i, from: j, to: j + 1 };
        doc.push(part);
        size += overhead + cost;
      } else {
        part.to = j + 1;
        size += cost;
      }
    });
  });
  close();
  return docs;
}

/**
 * Renders `rendered` (the statements as Terraform writes them, `measured` as IAM counts them:
 * the same, with the longest value a reference can take) as managed policies attached to a role:
 * `<idBase>-<n>` and `<idBase>-<n>-attachment`, named `<nameBase>-<n>`. Returns the ids created.
 */
export function renderManagedPolicies(stack: TerraformStack, idBase: string, role: { name: string }, nameBase: string,
  measured: readonly SizedStatement[], rendered: readonly SizedStatement[], provider?: TerraformProvider): string[] {
  const ids: string[] = [];
  splitForManagedPolicies(measured).forEach((parts, n) => {
    const policy = new IamPolicy(stack, `${idBase}-${n}`, {
      name: `${nameBase}-${n}`,
      policy: policyDocument(parts.map((p) => ({ ...rendered[p.statement], resources: rendered[p.statement].resources.slice(p.from, p.to) }))),
      provider,
    });
    new IamRolePolicyAttachment(stack, `${idBase}-${n}-attachment`, { role: role.name, policyArn: policy.arn, provider });
    ids.push(`${idBase}-${n}`, `${idBase}-${n}-attachment`);
  });
  return ids;
}

/** How many managed policies the statements need (see {@link splitForManagedPolicies}). */
export function managedPoliciesNeeded(measured: readonly SizedStatement[]): number {
  return splitForManagedPolicies(measured).length;
}
