import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { renderArgoCdRoute } from '../argocd/argocd-ui';
import { ARGOCD_SERVER_SERVICE } from '../argocd/charts';
import { ARGOCD_NAMESPACE, DEFAULT_SYNC_RETRY } from '../argocd/types';
import { argoAppProject, argoApplication, teamProjectFence } from '../argocd/objects';
import { repositoryExternalSecret } from '../argocd/external-secrets';
import { kubeconfigPushData } from '../argocd/cluster-registration';
import { repoUrlKey } from '../core/validate';
import { PROMETHEUS_NAMESPACE } from '../catalog/monitoring';
import { PUBLIC_GATEWAY_NAMESPACE } from '../catalog/public-gateway';
import { servicesByCluster } from '../service/service-index';
import { NAMESPACE_TENANT_HELD_KINDS, renderHostnameFence, renderTenantFence } from '../tenant/tenant-fence';
import { vclusterHostName } from '../tenant/vcluster-host-names';
import { renderTeamServiceHostSide } from './team-service';
import { teamApplicationName, teamRepositorySecretName } from './names';
import { renderScope } from './origin';
import { HostRole, NamespaceRole, PodSecurityLevel } from '../tenant/tenant-props';
import type { NamespaceTenant } from '../tenant/namespace-tenant';
import type { ClusterBase } from '../cluster/cluster-base';
import type { PlatformGraph } from '../graph/platform-graph';
import type { TenantVCluster } from '../tenant/tenant-vcluster';

/** The ports metrics-server's pods listen on: the upstream chart's, and AKS's own deployment's. */
const METRICS_SERVER_PORTS = [4443, 10250];

/** A scope of `chart` created afresh on this pass (what the last pass rendered there is dropped), reported under `origin`. */
function fresh(chart: Chart | Construct, id: string, origin: Construct): Construct {
  chart.node.tryRemoveChild(id);
  return renderScope(chart, id, origin);
}

/** A NetworkPolicy peer: every pod of a namespace. */
function namespacePeer(namespace: string): Record<string, unknown> {
  return { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } };
}

/**
 * Renders a vCluster tenant's objects into its host's folder: the namespace's fence (Pod
 * Security, quota, limit range, default-deny NetworkPolicies), the traffic its API exposure and
 * syncer need, the traffic to its services (from their Gateways' namespaces, and Prometheus's
 * scrapes of their metrics ports), the owners' RoleBinding, the PushSecret of the exported
 * kubeconfig, and the route to its dedicated Argo CD (its listener and certificate go in `wave`).
 */
export function renderTenantHostSide(t: TenantVCluster, wave: number): void {
  const scope = fresh(t.host.chart, `tenant-${t.name}`, t);
  const props = t._props;
  const ns = t.namespace;
  // the pods of the services pinned to the tenant's virtual cluster (wherever they are declared) run
  // in this namespace, and their ServiceMonitors and database claims are rendered here
  const pinned = servicesByCluster(t.platform).get(t.clusterName) ?? [];
  renderTenantFence(scope, {
    tenant: t.name, namespace: ns, podSecurity: props.podSecurity ?? PodSecurityLevel.BASELINE,
    quota: t.quota, limitRange: props.limitRange, networkAllowances: props.networkAllowances ?? [],
    // `admin` on the host namespace may write NetworkPolicies
    fencedGroups: (props.hostRole ?? HostRole.VIEW) === HostRole.ADMIN ? t.owners : undefined,
    // its API's, its dedicated Argo CD's and its services' (the names vCluster's route fence admits too)
    hostnames: [...new Set([t.apiHost, ...t._argocd ? [t._argocd.hostname] : [], ...pinned.map((e) => e.service.hostFor(e.env))])],
  });
  const obj = (id: string, kind: string, apiVersion: string, name: string, body: Record<string, unknown>) =>
    new ApiObject(scope, id, { apiVersion, kind, metadata: { name, namespace: ns, labels: { tenant: t.name } }, ...body });
  const np = (id: string, name: string, spec: Record<string, unknown>) => obj(id, 'NetworkPolicy', 'networking.k8s.io/v1', name, { spec: { podSelector: {}, ...spec } });
  // the API's exposure proxies to the vcluster pod: from the ingress controller's namespace, or the
  // Gateway's and, for a Gateway of its own, Envoy Gateway's too (which runs the proxies of every
  // Gateway of class envoy in its own namespace, its default mode), as for the services below
  const exposure = t._apiExposure;
  const proxies = exposure._kind === 'gateway' ? new Set([exposure._namespace, PUBLIC_GATEWAY_NAMESPACE]) : new Set([exposure._namespace]);
  np('allow-ingress-controller', 'allow-ingress-controller', {
    policyTypes: ['Ingress'],
    ingress: [{ from: [...proxies].map(namespacePeer) }],
  });
  for (const e of pinned) renderTeamServiceHostSide(renderScope(scope, `team-service-${e.service.name}`, e.service), e.service, e.env, t, wave + 1);
  const services = pinned.map((e) => e.service);
  // the Gateways their HTTPRoutes attach to (imported from the host) proxy requests to the pods' service
  // ports (allow-ingress-controller admits the API exposure's namespace only): from the Gateway's namespace,
  // where most implementations run its proxies, and for a Gateway of the service's own also from Envoy
  // Gateway's (Catalog.gatewayApi runs the proxies of every Gateway of class envoy there, its default mode)
  const gatewayPorts = new Map<string, Set<number>>();
  const admit = (from: string, port: number) => gatewayPorts.set(from, (gatewayPorts.get(from) ?? new Set()).add(port));
  for (const s of services) {
    const gatewayNs = s._gateway.slice(0, s._gateway.indexOf('/'));
    for (const from of new Set([gatewayNs, PUBLIC_GATEWAY_NAMESPACE])) admit(from, s._podPorts.http);
  }
  // the dedicated Argo CD's server, on the shared Gateway (Envoy Gateway runs its proxies in its own namespace)
  const dedicated = t._argocd;
  if (dedicated) admit(PUBLIC_GATEWAY_NAMESPACE, ARGOCD_SERVER_SERVICE.containerPort);
  if (gatewayPorts.size) {
    np('allow-gateways', 'allow-service-gateways', {
      policyTypes: ['Ingress'],
      ingress: [...gatewayPorts.keys()].sort().map((ns) => ({
        from: [namespacePeer(ns)], ports: [...gatewayPorts.get(ns)!].sort((a, b) => a - b).map((port) => ({ protocol: 'TCP', port })),
      })),
    });
  }
  // with services, the vCluster proxies the host's metrics server for their autoscalers: its pod calls
  // metrics-server's pods in kube-system directly (10250 upstream, 4443 on AKS), which the default deny refuses
  if (services.length) {
    np('allow-metrics-server', 'allow-metrics-server', {
      policyTypes: ['Egress'],
      egress: [{ to: [namespacePeer('kube-system')], ports: METRICS_SERVER_PORTS.map((port) => ({ protocol: 'TCP', port })) }],
    });
  }
  // Prometheus (kube-prometheus-stack's namespace) scrapes their metrics ports
  const metricsPorts = [...new Set(services.flatMap((s) => s._podPorts.metrics ?? []))].sort((a, b) => a - b);
  if (metricsPorts.length) {
    np('allow-prometheus', 'allow-prometheus', {
      policyTypes: ['Ingress'],
      ingress: [{ from: [namespacePeer(PROMETHEUS_NAMESPACE)], ports: metricsPorts.map((port) => ({ protocol: 'TCP', port })) }],
    });
  }
  // the vCluster syncer talks to the host's API server (its address is the cloud's, so ports only)
  np('allow-kube-apiserver', 'allow-kube-apiserver', {
    policyTypes: ['Egress'],
    egress: [{ ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] }],
  });
  // the dedicated Argo CD's UI and API: the server's Service, which vCluster syncs from the virtual
  // cluster's namespace argocd into this one under its host name, behind an HTTPS listener of the
  // shared Gateway. The listener and its certificate go in the Gateway's namespace, which it accepts
  // listeners from (cert-manager's HTTP-01 solver pods would be fenced off here); the route stays here,
  // beside the Service, and the listener admits routes from this namespace only
  if (dedicated) {
    renderArgoCdRoute(scope, {
      hostname: dedicated.hostname, clusterIssuer: dedicated.clusterIssuer, wave, labels: { tenant: t.name },
      listenerNamespace: PUBLIC_GATEWAY_NAMESPACE, listenerSetName: `argocd-${t.name}`, tlsSecret: `argocd-${t.name}-tls`,
      routeNamespace: ns, backendName: vclusterHostName(ARGOCD_SERVER_SERVICE.name, ARGOCD_NAMESPACE, t.namespace),
    });
  }
  const hostRole = props.hostRole ?? HostRole.VIEW;
  obj('viewers', 'RoleBinding', 'rbac.authorization.k8s.io/v1', hostRole === HostRole.VIEW ? 'tenant-viewers' : `tenant-${hostRole}`, {
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: hostRole },
    subjects: t.owners.map((g) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: g })),
  });
  // Degraded until vCluster has exported its kubeconfig: in the late wave, so it holds back no other object of the folder
  const push = obj('push-kubeconfig', 'PushSecret', 'external-secrets.io/v1alpha1', `vc-${t.name}-kubeconfig`, {
    spec: {
      refreshInterval: '1h',
      deletionPolicy: 'Delete',
      secretStoreRefs: [{ kind: 'ClusterSecretStore', name: 'platform' }],
      selector: { secret: { name: `vc-${t.namespace}` } },
      data: kubeconfigPushData(t.remoteKey, t.platform.secretStore._pushIgnoresProperty),
    },
  });
  push.metadata.addAnnotation('argocd.argoproj.io/sync-options', 'SkipDryRunOnMissingResource=true');
  push.metadata.addAnnotation('argocd.argoproj.io/sync-wave', String(wave));
}

/** Renders a namespace tenant's objects into its host's folder: the namespace's fence and the team's RoleBinding. */
export function renderNamespaceTenantHostSide(t: NamespaceTenant): void {
  const scope = fresh(t.host.chart, `namespace-tenant-${t.name}`, t);
  const props = t._props;
  renderTenantFence(scope, {
    tenant: t.name, namespace: t.namespace, podSecurity: props.podSecurity ?? PodSecurityLevel.BASELINE,
    quota: t.quota, limitRange: props.limitRange, networkAllowances: props.networkAllowances ?? [],
    // Kubernetes' `edit` and `admin` may write NetworkPolicies
    fencedGroups: t.role === NamespaceRole.VIEW ? undefined : t.owners,
    hostnames: t.hostnames,
  });
  new ApiObject(scope, 'team-binding', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: `team-${t.role}`, namespace: t.namespace, labels: { tenant: t.name } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: t.role },
    subjects: t.owners.map((g) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: g })),
  });
}

/**
 * Renders, into the management cluster's folder, a namespace tenant's AppProject fenced to its
 * namespace, an Application per repository, and each repository's credentials as an
 * ExternalSecret templating an Argo CD repository Secret (no credential in Git): one per URL, as
 * Argo CD compares URLs (it uses one Secret per URL and project; the tenant checked that entries
 * of one URL name one key). They are named by their URL (and folder), not their place in the
 * list: see {@link teamApplicationName}.
 */
export function renderNamespaceTenantDelivery(t: NamespaceTenant): void {
  const out = fresh(t.management.chart, `namespace-tenant-${t.node.addr}`, t);
  const destination = { name: t.host.name, namespace: t.namespace };
  argoAppProject(out, 'project', t.project, {
    description: `Team ${t.name}: deploys only into namespace ${t.namespace} of ${t.host.name}`,
    // each URL once (Argo CD refuses a project that lists a source twice)
    sourceRepos: [...new Set(t.repositories)],
    destinations: [destination],
    // the namespace is on the host, where Argo CD applies what the repositories hold as cluster admin
    ...teamProjectFence(t.project, t.owners, NAMESPACE_TENANT_HELD_KINDS),
  });
  const credentialed = new Set<string>();
  for (const r of t._props.repositories ?? []) {
    const name = teamApplicationName(t.project, r.url, r.path);
    argoApplication(out, `app-${name}`, {
      name,
      labels: { tenant: t.name },
      annotations: { 'argocd.argoproj.io/manifest-generate-paths': '.' },
      cascadeDelete: true,
      spec: {
        project: t.project,
        source: { repoURL: r.url, targetRevision: r.revision ?? 'HEAD', path: r.path ?? 'deploy', directory: { recurse: true } },
        destination,
        // the namespace (with its fence) comes from the host's folder: no CreateNamespace
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['PruneLast=true', 'FailOnSharedResource=true'], retry: DEFAULT_SYNC_RETRY },
      },
    });
    if (r.credentialsKey && !credentialed.has(repoUrlKey(r.url))) {
      credentialed.add(repoUrlKey(r.url));
      const secret = teamRepositorySecretName(t.project, r.url);
      new ApiObject(out, `repo-creds-${secret}`, repositoryExternalSecret({
        name: secret, url: r.url, project: t.project, labels: { tenant: t.name },
        remoteKey: t.platform.secretStore._remoteKey(r.credentialsKey), creationPolicy: 'Owner',
      }));
    }
  }
}

/**
 * Renders the hostname fence of every host with tenants (one policy per host, bound to its
 * tenants' namespaces, reading each namespace's names from its annotation), and drops it from a
 * host that has none left.
 */
export function renderHostnameFences(graph: PlatformGraph): void {
  // (a tenant's scope is tenant-<name>: this id is no tenant's)
  const id = 'platform-hostname-fence';
  const namespaces = new Map<ClusterBase, Set<string>>();
  for (const t of [...graph.tenants, ...graph.namespaceTenants]) namespaces.set(t.host, (namespaces.get(t.host) ?? new Set()).add(t.namespace));
  for (const c of graph.clusters) {
    c.chart.node.tryRemoveChild(id);
    const here = namespaces.get(c);
    if (here) renderHostnameFence(renderScope(c.chart, id, c), [...here].sort());
  }
}
