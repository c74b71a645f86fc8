// What the API server's admission decides from rendered ValidatingAdmissionPolicies and their
// bindings: a binding selects the request's namespace by its name label (the only label the
// library's bindings select on, with `matchLabels` or an `In` expression), its policy matches the
// request's group, resource and operation, its variables are evaluated, and every validation's CEL
// expression, evaluated by a CEL engine with the request, the object and the namespace's object,
// must be true. An expression that fails to evaluate refuses the request, as `failurePolicy: Fail`
// does. A refusal's message is the validation's `messageExpression` evaluated, else its `message`.
import { evaluate } from '@marcbachmann/cel-js';
import { parse } from 'yaml';

export interface AdmissionRequest {
  readonly namespace: string;
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE';
  readonly group: string;
  readonly resource: string;
  readonly object?: unknown;
  readonly username?: string;
  readonly groups?: string[];
}

/** The admission objects among rendered files, and the Namespaces (their objects are `namespaceObject`). */
export function admissionObjects(files: Map<string, string>): any[] {
  return [...files].filter(([f]) => f.endsWith('.yaml')).map(([, text]) => parse(text))
    .filter((o) => o?.apiVersion === 'admissionregistration.k8s.io/v1' || (o?.apiVersion === 'v1' && o?.kind === 'Namespace'));
}

/** Whether a binding's namespace selector selects the namespace named `name`. */
function selects(selector: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] }, name: string): boolean {
  const labels: Record<string, string> = { 'kubernetes.io/metadata.name': name };
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (k !== 'kubernetes.io/metadata.name') throw new Error(`a binding selects on label ${k}: this model knows only the namespace's name label`);
    if (labels[k] !== v) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    if (e.key !== 'kubernetes.io/metadata.name' || e.operator !== 'In') throw new Error(`a binding selects with ${e.key} ${e.operator}: this model knows only In on the namespace's name label`);
    if (!e.values!.includes(name)) return false;
  }
  return true;
}

/** The messages of the validations that refuse `r` (empty: admitted). */
export function refusals(admission: any[], r: AdmissionRequest): string[] {
  const policies = new Map(admission.filter((o) => o.kind === 'ValidatingAdmissionPolicy').map((o) => [o.metadata.name, o]));
  const namespaceObject = admission.find((o) => o.kind === 'Namespace' && o.metadata.name === r.namespace) ?? { apiVersion: 'v1', kind: 'Namespace', metadata: { name: r.namespace } };
  const any = (list: string[], value: string) => list.includes('*') || list.includes(value);
  const out: string[] = [];
  for (const b of admission.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding')) {
    if (!selects(b.spec.matchResources.namespaceSelector, r.namespace)) continue;
    const policy = policies.get(b.spec.policyName);
    if (!policy) throw new Error(`binding ${b.metadata.name} names no rendered policy`);
    const rules: { apiGroups: string[]; resources: string[]; operations: string[] }[] = policy.spec.matchConstraints.resourceRules;
    if (!rules.some((rule) => any(rule.apiGroups, r.group) && any(rule.resources, r.resource) && rule.operations.includes(r.operation))) continue;
    const request = { operation: r.operation, resource: { group: r.group, resource: r.resource }, userInfo: { username: r.username ?? 'someone', ...(r.groups ? { groups: r.groups } : {}) } };
    const context: Record<string, unknown> = { request, object: r.object ?? null, namespaceObject };
    const variables: Record<string, unknown> = {};
    for (const v of policy.spec.variables ?? []) variables[v.name] = evaluate(v.expression, { ...context, variables });
    for (const v of policy.spec.validations) {
      let ok: unknown;
      try {
        ok = evaluate(v.expression, { ...context, variables });
      } catch (e) {
        ok = `error: ${(e as Error).message}`;
      }
      if (ok === true) continue;
      const message = v.messageExpression ? String(evaluate(v.messageExpression, { ...context, variables })) : v.message;
      out.push(`${policy.metadata.name}: ${message}${ok === false ? '' : ` (${String(ok)})`}`);
    }
  }
  return out;
}

/** The plural resource of a kind, as the API server names it in a request. */
export function resourceOf(kind: string): string {
  const lower = kind.toLowerCase();
  return /[^aeiou]y$/.test(lower) ? `${lower.slice(0, -1)}ies` : lower.endsWith('s') ? `${lower}es` : `${lower}s`;
}

/** The request that creates `object` (its group from its apiVersion). */
export function creating(object: any, extra: Partial<AdmissionRequest> = {}): AdmissionRequest {
  const group = object.apiVersion.includes('/') ? object.apiVersion.slice(0, object.apiVersion.indexOf('/')) : '';
  return { namespace: object.metadata.namespace, operation: 'CREATE', group, resource: resourceOf(object.kind), object, ...extra };
}
