import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { fail, messages } from '../core/errors';
import { Quantity } from '../model/quantity';
import { KEEP_ON_REMOVAL, SYNC_OPTIONS_ANNOTATION } from '../argocd/types';
import { NetworkAllowance } from './network-allowance';
import type { PodSecurityLevel, TenantLimitRange, TenantQuota } from './tenant-vcluster';

const QUOTA_DEFAULTS: Required<TenantQuota> = {
  cpu: '10', memory: '20Gi', limitsCpu: '20', limitsMemory: '40Gi', storage: '100Gi', ephemeralStorage: '50Gi', limitsEphemeralStorage: '150Gi',
  pods: 30, services: 30, loadBalancers: 1, nodePorts: 2, persistentVolumeClaims: 20, secrets: 100, configMaps: 100, endpoints: 40,
};

/** A tenant's quota with the defaults applied, each value checked. */
export function tenantQuota(here: string, quota: TenantQuota | undefined): Required<TenantQuota> {
  const q = { ...QUOTA_DEFAULTS, ...quota };
  for (const [k, v] of Object.entries(q)) {
    const ok = typeof v === 'number' ? Number.isInteger(v) && v >= 0 : Quantity.parse(v) !== undefined;
    if (!ok) fail(here, messages.tenant.quota(k, v, typeof QUOTA_DEFAULTS[k as keyof TenantQuota] === 'number'));
  }
  return q;
}

/** What {@link renderTenantFence} needs. */
export interface TenantFence {
  readonly tenant: string;
  readonly namespace: string;
  readonly podSecurity: PodSecurityLevel;
  readonly quota: Required<TenantQuota>;
  readonly limitRange?: TenantLimitRange;
  readonly networkAllowances: readonly NetworkAllowance[];
  /**
   * The tenant's groups when their role in the namespace may write NetworkPolicies (Kubernetes'
   * `edit` and `admin`): an admission policy then refuses them any change to the namespace's
   * NetworkPolicies, which would undo the fence (an allow-all policy added beside it opens the
   * namespace, since NetworkPolicies add up).
   */
  readonly fencedGroups?: readonly string[];
  /**
   * The host names the namespace's routes, Ingresses and external-dns annotations may name (an
   * annotation of the Namespace, which the host's {@link renderHostnameFence} reads).
   */
  readonly hostnames: readonly string[];
}

/**
 * The fence of a tenant's namespace on its host, shared by namespace and vCluster tenants:
 * the namespace with Pod Security labels (enforce the level, audit and warn `restricted`), the
 * ResourceQuota, the LimitRange, and NetworkPolicies denying everything but DNS, traffic
 * inside the namespace and the declared allowances.
 */
export function renderTenantFence(scope: Construct, f: TenantFence): void {
  const ns = f.namespace;
  const obj = (id: string, kind: string, apiVersion: string, name: string, body: Record<string, unknown>, namespaced = true) =>
    new ApiObject(scope, id, { apiVersion, kind, metadata: { name, ...(namespaced ? { namespace: ns } : {}), labels: { tenant: f.tenant } }, ...body });
  const nsObj = obj('namespace', 'Namespace', 'v1', ns, {}, false);
  nsObj.metadata.addLabel('pod-security.kubernetes.io/enforce', f.podSecurity);
  nsObj.metadata.addLabel('pod-security.kubernetes.io/audit', 'restricted');
  nsObj.metadata.addLabel('pod-security.kubernetes.io/warn', 'restricted');
  // a tenant removed from code (or renamed) leaves its namespace, and the data in it (a vCluster's
  // volume, the team's claims), until someone deletes it: pruned, the namespace takes them along
  nsObj.metadata.addAnnotation(SYNC_OPTIONS_ANNOTATION, KEEP_ON_REMOVAL);
  // the names the host's hostname fence admits here (renderHostnameFence)
  if (f.hostnames.length) nsObj.metadata.addAnnotation(HOSTNAMES_ANNOTATION, [...f.hostnames].sort().join(','));
  const q = f.quota;
  obj('quota', 'ResourceQuota', 'v1', 'tenant-quota', {
    spec: {
      hard: {
        'requests.cpu': q.cpu, 'requests.memory': q.memory, 'limits.cpu': q.limitsCpu, 'limits.memory': q.limitsMemory,
        'requests.storage': q.storage, 'requests.ephemeral-storage': q.ephemeralStorage, 'limits.ephemeral-storage': q.limitsEphemeralStorage,
        'pods': String(q.pods), 'services': String(q.services), 'services.loadbalancers': String(q.loadBalancers), 'services.nodeports': String(q.nodePorts),
        'persistentvolumeclaims': String(q.persistentVolumeClaims), 'count/secrets': String(q.secrets), 'count/configmaps': String(q.configMaps), 'count/endpoints': String(q.endpoints),
      },
    },
  });
  const lr = f.limitRange ?? {};
  obj('limits', 'LimitRange', 'v1', 'tenant-limits', {
    spec: {
      limits: [{
        type: 'Container',
        defaultRequest: { cpu: lr.defaultRequestCpu ?? '100m', memory: lr.defaultRequestMemory ?? '128Mi' },
        default: { cpu: lr.defaultLimitCpu ?? '1', memory: lr.defaultLimitMemory ?? '512Mi' },
      }],
    },
  });
  const np = (id: string, name: string, spec: Record<string, unknown>) => obj(id, 'NetworkPolicy', 'networking.k8s.io/v1', name, { spec: { podSelector: {}, ...spec } });
  np('deny-all', 'default-deny-all', { policyTypes: ['Ingress', 'Egress'] });
  np('allow-dns', 'allow-dns', {
    policyTypes: ['Egress'],
    egress: [{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    }],
  });
  np('allow-same-namespace', 'allow-same-namespace', { policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }] });
  if (f.fencedGroups?.length) renderNetworkPolicyGuard(scope, f.tenant, ns, f.fencedGroups);
  f.networkAllowances.forEach((a, i) => np(`allow-${i}`, `tenant-allow-${i}`, {
    policyTypes: [a.direction === 'ingress' ? 'Ingress' : 'Egress'],
    [a.direction]: [{ [a.direction === 'ingress' ? 'from' : 'to']: [a._peer], ...(a._ports.length ? { ports: a._ports.map((p) => ({ protocol: p.protocol ?? 'TCP', port: p.port })) } : {}) }],
  }));
}

/** The API groups of External Secrets' objects, which reach the platform's secret store with the host's identity. */
export const SECRET_STORE_API_GROUPS = ['external-secrets.io', 'generators.external-secrets.io'] as const;

/**
 * API groups whose namespaced objects a platform controller carries out with its own identity,
 * past the fence: ACME Orders and Challenges (cert-manager solves them with the platform's DNS
 * identity and its ClusterIssuers' account keys; its chart keeps them from `edit` and `admin` for
 * that reason, GHSA-8rvj-mm4h-c258), and Kyverno's namespaced policies (its chart aggregates
 * writing them into `admin`; Kyverno's background controller, which may create and change
 * NetworkPolicies, ResourceQuotas and LimitRanges, carries out a `generate` rule as itself, so one
 * Policy in the namespace could add an allow-all NetworkPolicy beside the fence, and a
 * PolicyException could exempt the namespace from the platform's policies).
 */
export const CONTROLLER_ACTING_API_GROUPS = ['acme.cert-manager.io', 'kyverno.io', 'policies.kyverno.io'] as const;

/**
 * What a namespace tenant's repositories may not bring, on top of every team project's fence:
 * Argo CD applies them on the host with its own identity (cluster admin there), past the checks
 * Kubernetes makes of a user. External Secrets' objects and cert-manager's requests reach the
 * platform's store and names (see the admission guard); a Role or RoleBinding would grant the
 * team any right, `cluster-admin` in its namespace included (Kubernetes' escalation check tests
 * whoever creates the binding: Argo CD).
 */
export const NAMESPACE_TENANT_HELD_KINDS: readonly { readonly group: string; readonly kind: string }[] = [
  ...SECRET_STORE_API_GROUPS.map((group) => ({ group, kind: '*' })),
  { group: 'cert-manager.io', kind: 'Certificate' },
  { group: 'cert-manager.io', kind: 'CertificateRequest' },
  ...CONTROLLER_ACTING_API_GROUPS.map((group) => ({ group, kind: '*' })),
  // a Gateway of the namespace's own (see the hostname fence)
  { group: 'gateway.networking.k8s.io', kind: 'Gateway' },
  { group: 'gateway.networking.k8s.io', kind: 'ListenerSet' },
  { group: 'gateway.networking.x-k8s.io', kind: 'XListenerSet' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
];

/**
 * A ValidatingAdmissionPolicy, with its binding to the tenant's namespace, that refuses the
 * tenant's groups, and the namespace's service accounts, any create, update or delete of a
 * NetworkPolicy, an External Secrets object, a cert-manager Certificate, an ACME Order or a Kyverno
 * policy there (admission policies are Kubernetes' own
 * since 1.30: nothing to install). Argo CD, which syncs the fence and the vCluster's
 * PushSecret, and the platform's admins keep their rights.
 */
function renderNetworkPolicyGuard(scope: Construct, tenant: string, namespace: string, groups: readonly string[]): void {
  const metadata = { name: `tenant-fence-${tenant}`, labels: { tenant } };
  renderAdmissionPolicy(scope, 'fence', metadata, { matchLabels: { 'kubernetes.io/metadata.name': namespace } }, {
    matchConstraints: {
      resourceRules: [
        { apiGroups: ['networking.k8s.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: ['networkpolicies'] },
        // External Secrets' objects (the chart aggregates writing them into Kubernetes' edit and admin): an
        // ExternalSecret naming the ClusterSecretStore `platform`, or a SecretStore with the controller's own
        // credentials, reads whatever the host's External Secrets identity reads (other tenants' kubeconfigs,
        // the fleet's registrations), and a PushSecret writes there
        { apiGroups: [...SECRET_STORE_API_GROUPS], apiVersions: ['*'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: ['*'] },
        // cert-manager's requests (also aggregated into edit and admin): a Certificate of any namespace may name
        // the platform's ClusterIssuers, which prove any of the platform's names (DNS-01 with the platform's own
        // DNS identity), so a team could hold the key of argocd.<domain> or *.apps.<domain>
        { apiGroups: ['cert-manager.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: ['certificates', 'certificaterequests'] },
        // ACME Orders and Challenges, Kyverno's namespaced policies and exceptions: carried out by a platform
        // controller with its own identity (CONTROLLER_ACTING_API_GROUPS)
        { apiGroups: [...CONTROLLER_ACTING_API_GROUPS], apiVersions: ['*'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: ['*'] },
      ],
    },
    validations: [{
      // the owners' groups, and the service accounts of the namespace (which the owners create, bind and
      // may impersonate there: without them the guard would be one impersonation away). Group names hold
      // no double quote (Argo CD reads them as CSV): a JSON list is a CEL list literal
      expression: `!(request.userInfo.username.startsWith(${JSON.stringify(`system:serviceaccount:${namespace}:`)}) `
        + `|| (has(request.userInfo.groups) && request.userInfo.groups.exists(g, g in ${JSON.stringify([...groups])})))`,
      message: messages.tenant.fenceNetworkPolicies(tenant, namespace),
      reason: 'Forbidden',
    }],
  });
}

/** The annotations whose host names external-dns publishes records for (on Services, Ingresses and routes). */
export const EXTERNAL_DNS_HOSTNAME_ANNOTATIONS = ['external-dns.alpha.kubernetes.io/hostname', 'external-dns.alpha.kubernetes.io/internal-hostname'] as const;

/** The annotation of a tenant's namespace listing its host names (comma-separated), which {@link renderHostnameFence} reads. */
export const HOSTNAMES_ANNOTATION = 'cdk8s-gitops-platform/hostnames';

/** The name of a host's hostname fence (its ValidatingAdmissionPolicy and binding). */
export const HOSTNAME_FENCE = 'tenant-hostnames';

/**
 * A ValidatingAdmissionPolicy, with its binding to the tenants' namespaces of a host, that keeps
 * each namespace to its own host names (the {@link HOSTNAMES_ANNOTATION} of its Namespace, which
 * neither the team nor its Argo CD project may change), for every requester: the owners, Argo
 * CD applying the team's repositories, the vCluster syncer. The shared Gateway's listeners admit
 * routes from every namespace, and across routes the longest match wins, so a route of the
 * team's for another team's host (or the platform's) took its traffic; and external-dns, which
 * reads Services, Ingresses and routes of every namespace, would publish the records of any name
 * in the platform's zones. So:
 * - no Gateway or ListenerSet (a Gateway of the namespace's own gets an address and records of its own);
 * - every HTTPRoute, GRPCRoute and TLSRoute names host names, all of them the namespace's;
 * - every rule and TLS entry of an Ingress names one of them, and no default backend;
 * - external-dns hostname annotations name only them.
 * Deleting stays allowed (an object from before the fence can go). One policy per host, whatever
 * the number of tenants: the names live on each namespace.
 */
export function renderHostnameFence(scope: Construct, namespaces: readonly string[]): void {
  const metadata = { name: HOSTNAME_FENCE };
  const resource = 'request.resource.resource';
  const write = ['CREATE', 'UPDATE'];
  const hosts = 'variables.hosts';
  const annotations = 'namespaceObject.metadata.annotations';
  // the message names the namespace's own names (CEL: the policy is the host's, the names each namespace's)
  const names = `"the host names of namespace " + namespaceObject.metadata.name + " are its tenant's own: " + (size(${hosts}) == 0 ? "none declared" : ${hosts}.join(", "))`;
  // the rest is a CEL string literal (a JSON string is one)
  const refusal = (what: string) => ({
    messageExpression: `${names} + ${JSON.stringify(`. ${what}. ${messages.tenant.fenceHostnamesFix}.`)}`,
    // what the API server says if the expression above cannot be evaluated
    message: messages.tenant.fenceHostnames(HOSTNAMES_ANNOTATION, what),
    reason: 'Forbidden',
  });
  renderAdmissionPolicy(scope, 'hostname', metadata, { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...namespaces] }] }, {
    matchConstraints: {
      resourceRules: [
        { apiGroups: ['gateway.networking.k8s.io'], apiVersions: ['*'], operations: write, resources: ['gateways', 'listenersets', 'httproutes', 'grpcroutes', 'tlsroutes'] },
        { apiGroups: ['gateway.networking.x-k8s.io'], apiVersions: ['*'], operations: write, resources: ['xlistenersets'] },
        { apiGroups: ['networking.k8s.io'], apiVersions: ['*'], operations: write, resources: ['ingresses'] },
        { apiGroups: [''], apiVersions: ['*'], operations: write, resources: ['services'] },
      ],
    },
    variables: [{
      name: 'hosts',
      expression: `(has(${annotations}) && '${HOSTNAMES_ANNOTATION}' in ${annotations} ? ${annotations}['${HOSTNAMES_ANNOTATION}'] : '').split(',').filter(h, h != '')`,
    }],
    validations: [
      { expression: `!(${resource} in ['gateways', 'listenersets', 'xlistenersets'])`, message: messages.tenant.fenceGateways, reason: 'Forbidden' },
      {
        expression: `!(${resource} in ['httproutes', 'grpcroutes', 'tlsroutes']) || (has(object.spec.hostnames) && size(object.spec.hostnames) > 0 && object.spec.hostnames.all(h, h in ${hosts}))`,
        ...refusal('A route names some, all of them among these (a route for another name, or none, takes traffic meant for another team or the platform on the shared Gateway)'),
      },
      {
        expression: `${resource} != 'ingresses' || (!has(object.spec.defaultBackend) && has(object.spec.rules) && size(object.spec.rules) > 0 && object.spec.rules.all(r, has(r.host) && r.host in ${hosts})`
          + ` && (!has(object.spec.tls) || object.spec.tls.all(t, !has(t.hosts) || t.hosts.all(h, h in ${hosts}))))`,
        ...refusal('An Ingress names one of them in every rule and TLS entry, with no default backend'),
      },
      {
        // external-dns reads a comma-separated list
        expression: `!has(object.metadata.annotations) || ${JSON.stringify([...EXTERNAL_DNS_HOSTNAME_ANNOTATIONS])}.all(k, !(k in object.metadata.annotations) || object.metadata.annotations[k].split(',').all(h, h.trim() in ${hosts}))`,
        ...refusal('external-dns hostname annotations name only these (external-dns publishes the records of every name it reads)'),
      },
    ],
  });
}

/**
 * A ValidatingAdmissionPolicy (`failurePolicy: Fail`) and its binding (`Deny`) to the namespaces
 * `namespaceSelector` selects, both named by `metadata`, with ids `<id>-policy` and `<id>-binding`.
 */
function renderAdmissionPolicy(scope: Construct, id: string, metadata: { name: string; labels?: Record<string, string> }, namespaceSelector: Record<string, unknown>, spec: Record<string, unknown>): void {
  new ApiObject(scope, `${id}-policy`, {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata,
    spec: { failurePolicy: 'Fail', ...spec },
  });
  new ApiObject(scope, `${id}-binding`, {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata,
    spec: {
      policyName: metadata.name,
      validationActions: ['Deny'],
      matchResources: { namespaceSelector },
    },
  });
}
