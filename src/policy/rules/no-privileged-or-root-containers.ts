import { messages } from '../../core/errors';
import { SecurityRule } from '../security-rule';
import { arr, at, isPodKind, named, obj, PolicyFinding, PolicyRule, POD_KINDS, podSpecOf } from './rule';

const RULE = SecurityRule.NO_PRIVILEGED_CONTAINERS;
const RISKY_VALUES = /privileged["']?:\s*["']?true|runAsUser["']?:\s*["']?0\b|runAsNonRoot["']?:\s*["']?false|allowPrivilegeEscalation["']?:\s*["']?true/;

/**
 * Charts whose defaults run a container as root: where their container security context
 * is, and the runAsUser the chart sets when the values do not.
 * @see https://github.com/loft-sh/vcluster/blob/main/chart/values.yaml (controlPlane.statefulSet.security)
 */
const ROOT_BY_DEFAULT: Readonly<Record<string, { readonly path: readonly string[]; readonly defaultUser: number }>> = {
  vcluster: { path: ['controlPlane', 'statefulSet', 'security', 'containerSecurityContext'], defaultUser: 0 },
};

/** Finds `privileged: true`, `allowPrivilegeEscalation: true`, `runAsUser: 0` and `runAsNonRoot: false` anywhere in Helm values. */
function walkRiskyValues(out: PolicyFinding[], file: string, what: string, values: unknown): void {
  const stack: { v: unknown; p: string }[] = [{ v: values, p: '' }];
  while (stack.length > 0) {
    const { v, p } = stack.pop()!;
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, p: `${p}[${i}]` }));
    const o = obj(v);
    if (!o) continue;
    for (const [k, x] of Object.entries(o)) {
      const here = p ? `${p}.${k}` : k;
      if ((k === 'privileged' && x === true) || (k === 'runAsUser' && x === 0) || (k === 'runAsNonRoot' && x === false) || (k === 'allowPrivilegeEscalation' && x === true)) {
        out.push({ rule: RULE, file, message: messages.policy.riskyValue(RULE, file, what, here, x) });
      }
      if (typeof x === 'object' && x !== null) stack.push({ v: x, p: here });
    }
  }
}

function checkPodSpec(out: PolicyFinding[], file: string, what: string, spec: unknown): void {
  const pod = obj(at(spec, 'securityContext')) ?? {};
  const risk = messages.policy.containerRisk;
  const containers = ['initContainers', 'containers', 'ephemeralContainers'].flatMap((k) => arr(at(spec, k)));
  for (const c of containers) {
    const sc = obj(at(c, 'securityContext')) ?? {};
    const problems: string[] = [];
    if (sc.privileged === true) problems.push(risk.privileged);
    if (sc.allowPrivilegeEscalation === true) problems.push(risk.escalation);
    const user = sc.runAsUser ?? pod.runAsUser;
    const nonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
    if (user === 0) problems.push(risk.root);
    else if (nonRoot !== true && (typeof user !== 'number')) problems.push(risk.maybeRoot);
    if (problems.length > 0) out.push({ rule: RULE, file, message: messages.policy.privilegedContainer(RULE, file, what, at(c, 'name'), problems) });
  }
}

/**
 * No container runs privileged or as root (UID 0, or without `runAsNonRoot: true`): in pod
 * specs, anywhere in Helm values, and in the defaults of charts known to run as root.
 */
export const noPrivilegedContainers: PolicyRule = {
  rule: RULE,
  kinds: POD_KINDS,
  create: (out) => ({
    wantsValues: (text) => RISKY_VALUES.test(text),
    object(f, kind, name, o) {
      if (isPodKind(kind)) checkPodSpec(out, f.file, named(kind, name), podSpecOf(kind, o));
    },
    values: (file, values) => walkRiskyValues(out, file, 'values', values),
    chartValues({ file, what, chart, values, walk, seesAll, valuesWord }) {
      if (walk !== undefined) walkRiskyValues(out, file, `${what}${valuesWord}`, walk);
      const root = ROOT_BY_DEFAULT[chart];
      if (!root || !seesAll) return;
      const csc = obj(at(values, ...root.path)) ?? {};
      // a key set to null removes the chart's default (Helm's coalescing); the pod's runAsUser then applies
      const user = !('runAsUser' in csc) ? undefined : csc.runAsUser === null ? at(values, ...root.path.slice(0, -1), 'podSecurityContext', 'runAsUser') : csc.runAsUser;
      if (user === 0) return; // reported by walkRiskyValues
      if (typeof user !== 'number' || user < 1) {
        out.push({ rule: RULE, file, message: messages.policy.rootByDefault(RULE, file, what, chart, root.path.join('.'), user, root.defaultUser) });
      }
    },
  }),
};
