import { messages } from '../../core/errors';
import { SecurityRule } from '../security-rule';
import { arr, at, obj, PolicyRule } from './rule';

const RULE = SecurityRule.TENANT_ISOLATION;
const PSA_LEVELS = new Set(['baseline', 'restricted']);

interface TenantFacts {
  file: string;
  name: string;
  psa?: unknown;
  quota: boolean;
  limitRange: boolean;
  denyIngress: boolean;
  denyEgress: boolean;
}

/**
 * Every tenant namespace (label `tenant`) has Pod Security Admission labels, a ResourceQuota,
 * a LimitRange and default-deny NetworkPolicies: namespaces are matched with their quota and
 * policies through a map per scope (one cluster), so the rule is linear in the output.
 */
export const tenantNamespaceIsolation: PolicyRule = {
  rule: RULE,
  kinds: ['Namespace', 'ResourceQuota', 'LimitRange', 'NetworkPolicy'],
  create: (out) => {
    const namespaces = new Map<string, TenantFacts>();
    const facts = (scope: string, ns: string) => {
      const key = `${scope}\u0000${ns}`;
      let f = namespaces.get(key);
      if (!f) {
        f = { file: '', name: ns, quota: false, limitRange: false, denyIngress: false, denyEgress: false };
        namespaces.set(key, f);
      }
      return f;
    };
    return {
      object(f, kind, name, o) {
        const ns = String(at(o, 'metadata', 'namespace') ?? '');
        switch (kind) {
          case 'Namespace': {
            const labels = obj(at(o, 'metadata', 'labels')) ?? {};
            if (typeof labels.tenant === 'string') {
              const t = facts(f.scope, name);
              t.file = f.file;
              t.psa = labels['pod-security.kubernetes.io/enforce'];
            }
            break;
          }
          case 'ResourceQuota':
            facts(f.scope, ns).quota = true;
            break;
          case 'LimitRange':
            facts(f.scope, ns).limitRange = true;
            break;
          case 'NetworkPolicy': {
            const sel = obj(at(o, 'spec', 'podSelector'));
            const all = sel !== undefined && Object.values(sel).every((v) => arr(v).length === 0 && (obj(v) === undefined || Object.keys(obj(v)!).length === 0));
            const types = arr(at(o, 'spec', 'policyTypes'));
            if (all && types.includes('Ingress') && arr(at(o, 'spec', 'ingress')).length === 0) facts(f.scope, ns).denyIngress = true;
            if (all && types.includes('Egress') && arr(at(o, 'spec', 'egress')).length === 0) facts(f.scope, ns).denyEgress = true;
            break;
          }
        }
      },
      finish() {
        const fence = messages.policy.tenantFence;
        for (const t of namespaces.values()) {
          if (!t.file) continue; // a namespace that is not a tenant's
          const missing: string[] = [];
          if (!PSA_LEVELS.has(String(t.psa))) missing.push(fence.podSecurity);
          if (!t.quota) missing.push(fence.quota);
          if (!t.limitRange) missing.push(fence.limitRange);
          if (!t.denyIngress || !t.denyEgress) missing.push(fence.defaultDeny);
          if (missing.length > 0) out.push({ rule: RULE, file: t.file, message: messages.policy.tenantIsolation(RULE, t.file, t.name, missing) });
        }
      },
    };
  },
};
