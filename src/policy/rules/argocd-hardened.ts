import { messages } from '../../core/errors';
import { SecurityRule } from '../security-rule';
import { at, PolicyRule } from './rule';

const RULE = SecurityRule.ARGOCD_HARDENED;

function readOnlyDefault(v: unknown): boolean {
  return v === undefined || v === '' || v === 'role:readonly';
}

/**
 * Argo CD has its local admin disabled and `policy.default` read-only (or empty): in its
 * ConfigMaps, and in the values of an argo-cd chart install (`complete`: the values are all
 * there is; else values files may set what is missing, and only wrong values count).
 */
export const argocdHardened: PolicyRule = {
  rule: RULE,
  kinds: ['ConfigMap'],
  create: (out) => ({
    object(f, kind, name, o) {
      if (kind !== 'ConfigMap') return;
      if (name === 'argocd-cm' && String(at(o, 'data', 'admin.enabled')) !== 'false') {
        out.push({ rule: RULE, file: f.file, message: messages.policy.argocdAdminEnabled(RULE, f.file, at(o, 'data', 'admin.enabled')) });
      }
      if (name === 'argocd-rbac-cm' && !readOnlyDefault(at(o, 'data', 'policy.default'))) {
        out.push({ rule: RULE, file: f.file, message: messages.policy.argocdPolicyDefault(RULE, f.file, at(o, 'data', 'policy.default')) });
      }
    },
    chartValues({ file, what, chart, values, seesAll: complete }) {
      if (chart !== 'argo-cd') return;
      const admin = at(values, 'configs', 'cm', 'admin.enabled');
      if (admin !== false && admin !== 'false' && (complete || admin !== undefined)) {
        out.push({ rule: RULE, file, message: messages.policy.argocdValuesAdmin(RULE, file, what, admin) });
      }
      const def = at(values, 'configs', 'rbac', 'policy.default');
      if (!readOnlyDefault(def)) out.push({ rule: RULE, file, message: messages.policy.argocdValuesPolicyDefault(RULE, file, what, def) });
    },
  }),
};
