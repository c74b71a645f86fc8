import { ManifestObject } from './service-catalog-entry';

/** What a failing resource gets: blocked (`Enforce`) or reported (`Audit`). */
export enum PolicyAction {
  /** Report violations in policy reports; admit the resource. */
  AUDIT = 'Audit',
  /** Reject the resource. */
  ENFORCE = 'Enforce',
}

/**
 * The Pods the baseline guards: those of the tenants' namespaces (the library labels each
 * `tenant: <name>`), where the teams' workloads and their virtual clusters run. The platform's own
 * components (Argo CD, External Secrets, the catalog's charts) are outside them: their charts
 * are checked when they are rendered (`checkChartPolicies`), with their declared exceptions, and
 * enforcing on them would refuse Argo CD's own pods and the charts' install hooks.
 */
const podKinds = { any: [{ resources: { kinds: ['Pod'], namespaceSelector: { matchExpressions: [{ key: 'tenant', operator: 'Exists' }] } } }] };
const systemNamespaces = { any: [{ resources: { namespaces: ['kube-system', 'kyverno'] } }] };

function policy(name: string, title: string, action: PolicyAction, message: string, pattern: Record<string, unknown>): ManifestObject {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: {
      name,
      annotations: { 'policies.kyverno.io/title': title, 'policies.kyverno.io/category': 'Platform baseline', 'policies.kyverno.io/severity': 'medium' },
    },
    spec: {
      background: true,
      rules: [{
        name,
        match: podKinds,
        exclude: systemNamespaces,
        validate: { failureAction: action, message, pattern },
      }],
    },
  };
}

/**
 * The platform's baseline policies: no `:latest` images, requests and limits set,
 * all capabilities dropped, no privileged containers, probes on every container.
 *
 * @see https://kyverno.io/policies/
 */
export function baselinePolicies(action: PolicyAction): ManifestObject[] {
  return [
    policy('disallow-latest-tag', 'Disallow latest tag', action, 'Pin images to a tag other than ":latest".',
      { spec: { containers: [{ image: '*:* & !*:latest' }] } }),
    policy('require-requests-limits', 'Require requests and limits', action, 'Set CPU and memory requests and a memory limit on every container.',
      { spec: { containers: [{ resources: { requests: { memory: '?*', cpu: '?*' }, limits: { memory: '?*' } } }] } }),
    policy('drop-all-capabilities', 'Drop all capabilities', action, 'Containers must drop ALL capabilities.',
      { spec: { containers: [{ securityContext: { capabilities: { drop: ['ALL'] } } }] } }),
    policy('disallow-privileged-containers', 'Disallow privileged containers', action, 'Privileged containers are not allowed.',
      { spec: { '=(initContainers)': [{ '=(securityContext)': { '=(privileged)': 'false' } }], 'containers': [{ '=(securityContext)': { '=(privileged)': 'false' } }] } }),
    policy('require-probes', 'Require probes', action, 'Set liveness and readiness probes on every container.',
      { spec: { containers: [{ livenessProbe: { periodSeconds: '>0' }, readinessProbe: { periodSeconds: '>0' } }] } }),
  ];
}
