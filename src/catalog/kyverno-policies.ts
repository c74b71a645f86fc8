import { VCLUSTER_NAMESPACE } from '../tenant/vcluster-host-names';
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

/** What sets one policy apart from the others. */
interface PolicyOptions {
  /** The pod controllers Kyverno generates the rule for (`pod-policies.kyverno.io/autogen-controllers`); default all. */
  readonly autogenControllers?: readonly string[];
  /** Kyverno preconditions of the rule: when they fail, the rule is skipped. */
  readonly preconditions?: Record<string, unknown>;
}

/**
 * The label Kubernetes (1.27 and later) puts on every pod of a Job, CronJobs' included; vCluster
 * keeps it on the pods it syncs into the host namespace. A Kyverno expression: empty unless the
 * Pod is a Job's (Kyverno's auto-generated rules read the pod template's labels instead).
 */
const JOB_NAME_LABEL = '{{ request.object.metadata.labels."batch.kubernetes.io/job-name" || \'\' }}';

/**
 * The virtual namespace of a pod vCluster syncs into the host namespace: the syncer sets this
 * label itself (a label of that name on the virtual pod is renamed, so a tenant cannot set it).
 */
const VCLUSTER_NAMESPACE_LABEL = `{{ request.object.metadata.labels."${VCLUSTER_NAMESPACE}" || '' }}`;
const APP_NAME_LABEL = '{{ request.object.metadata.labels."app.kubernetes.io/name" || \'\' }}';

function policy(name: string, title: string, action: PolicyAction, message: string, pattern: Record<string, unknown>, options: PolicyOptions = {}): ManifestObject {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: {
      name,
      annotations: {
        'policies.kyverno.io/title': title, 'policies.kyverno.io/category': 'Platform baseline', 'policies.kyverno.io/severity': 'medium',
        ...(options.autogenControllers ? { 'pod-policies.kyverno.io/autogen-controllers': options.autogenControllers.join(',') } : {}),
      },
    },
    spec: {
      background: true,
      rules: [{
        name,
        match: podKinds,
        exclude: systemNamespaces,
        ...(options.preconditions ? { preconditions: options.preconditions } : {}),
        validate: { failureAction: action, message, pattern },
      }],
    },
  };
}

/**
 * The platform's baseline policies: no `:latest` images, requests and limits set,
 * all capabilities dropped, no privileged containers, probes on every container but those of
 * Jobs' pods.
 *
 * @see https://kyverno.io/policies/
 */
export function baselinePolicies(action: PolicyAction): ManifestObject[] {
  return [
    policy('disallow-latest-tag', 'Disallow latest tag', action, 'Pin images to a tag other than ":latest".',
      { spec: { containers: [{ image: '*:* & !*:latest' }] } }),
    // On Pods only, no rule generated for their controllers: the namespace's LimitRange fills in a
    // container's missing requests and limits when the Pod is admitted (before the webhooks run),
    // but a generated rule reads the Deployment's pod template, which the LimitRange never touches,
    // so a namespace tenant's Deployment that relied on those defaults was refused where enforced.
    policy('require-requests-limits', 'Require requests and limits', action, 'Set CPU and memory requests and a memory limit on every container.',
      { spec: { containers: [{ resources: { requests: { memory: '?*', cpu: '?*' }, limits: { memory: '?*' } } }] } }, { autogenControllers: ['none'] }),
    policy('drop-all-capabilities', 'Drop all capabilities', action, 'Containers must drop ALL capabilities.',
      { spec: { containers: [{ securityContext: { capabilities: { drop: ['ALL'] } } }] } }),
    policy('disallow-privileged-containers', 'Disallow privileged containers', action, 'Privileged containers are not allowed.',
      { spec: { '=(initContainers)': [{ '=(securityContext)': { '=(privileged)': 'false' } }], 'containers': [{ '=(securityContext)': { '=(privileged)': 'false' } }] } }),
    // Not on the pods of Jobs (a migration, a CronJob's run): they run to completion, and a
    // readiness probe means nothing to them. Without this a team service's migration Job, and every
    // Job or CronJob of a team, was refused in the environment that enforces, and the service's
    // sync failed on its hook. Kyverno generates the rule for the long-running controllers only.
    // Nor on the application controller of the Argo CD the platform installs into a tenant's virtual
    // cluster (namespace argocd): the argo-cd chart gives it a readiness probe and no way to add a
    // liveness probe, so that Argo CD never started where the policy is enforced.
    policy('require-probes', 'Require probes', action, 'Set liveness and readiness probes on every container (Jobs\' pods excepted).',
      { spec: { containers: [{ livenessProbe: { periodSeconds: '>0' }, readinessProbe: { periodSeconds: '>0' } }] } }, {
        autogenControllers: ['DaemonSet', 'Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet'],
        preconditions: {
          all: [{ key: JOB_NAME_LABEL, operator: 'Equals', value: '' }],
          any: [
            { key: VCLUSTER_NAMESPACE_LABEL, operator: 'NotEquals', value: 'argocd' },
            { key: APP_NAME_LABEL, operator: 'NotEquals', value: 'argocd-application-controller' },
          ],
        },
      }),
  ];
}
