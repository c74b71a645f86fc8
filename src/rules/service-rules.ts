import { messages, Problem } from '../core/errors';
import { hasHttpsListener, PUBLIC_GATEWAY, PUBLIC_GATEWAY_NAMESPACE, servicesDomain } from '../catalog/public-gateway';
import { GraphSlot, PlatformGraph } from '../graph/platform-graph';
import { API_PROVIDERS } from '../catalog/implied-dependencies';
import { CHARTS } from '../catalog/versions';
import { CloudProvider } from '../model/cloud';
import { servicesByCluster } from '../service/service-index';
import { databaseSecretName } from '../service/service-names';
import type { TeamService } from '../service/team-service';
import { HostRole } from '../tenant/tenant-props';

const HTTPS_CLUSTERS = new GraphSlot<ReadonlySet<string>>('clusters with the HTTPS listener');

/** The clusters whose shared Gateway has the `https` listener (an entry marked by markHttpsListener targets them), once per pass. */
export function httpsListenerClusters(graph: PlatformGraph): ReadonlySet<string> {
  return graph.derive(HTTPS_CLUSTERS, () => new Set(graph.catalogEntries.filter((e) => hasHttpsListener(e)).flatMap((e) => e.targetedClusters)));
}
const METRICS_SERVER_CLUSTERS = new GraphSlot<ReadonlySet<string>>('clusters a metrics-server catalog entry targets');
const CHART_CLUSTERS = new GraphSlot<ReadonlyMap<string, ReadonlySet<string>>>('clusters each chart\'s catalog entries target');
/** The charts serving what a service renders on its tenant's host: its ServiceMonitor, its database claim. */
const PROMETHEUS_CHART = API_PROVIDERS['monitoring.coreos.com'].chart;
const CROSSPLANE_CHART = CHARTS.crossplane.chart;

/** A team service: its pins target the team's tenants, the shared Gateway serves HTTPS for it, its name is unique per tenant. */
export function teamServiceRules(graph: PlatformGraph, s: TeamService): Problem[] {
  const here = s.node.path;
  const problems: Problem[] = [];
  const tenants = graph.tenantsByClusterName;
  const owners = s.tenant.owners;
  for (const [env, pin] of s._pins) {
    const file = s.pinFile(env);
    const t = tenants.get(pin.cluster);
    // valid pins are the rule: list the team's tenants (a scan of every tenant) only for a message
    if (t && t.environment === env && t.owners.some((o) => owners.includes(o))) continue;
    const candidates = [...tenants.values()].filter((x) => x.environment === env && x.owners.some((o) => owners.includes(o))).map((x) => `"${x.clusterName}"`);
    const allowed = candidates.length ? candidates.join(', ') : `none yet: declare a TenantVCluster for the team on a host of environment "${env}"`;
    if (!t) {
      problems.push({ path: here, message: messages.servicePinUnknownCluster(file, pin.cluster, env, allowed) });
    } else if (t.environment !== env) {
      problems.push({ path: here, message: messages.servicePinOtherEnvironment(file, pin.cluster, env, t.environment, allowed) });
    } else if (!t.owners.some((o) => owners.includes(o))) {
      problems.push({ path: here, message: messages.servicePinOtherTeam(file, pin.cluster, owners.join(', '), allowed) });
    }
  }
  // the shared Gateway must terminate HTTPS for the service's names on each target's host
  if (!s._ownGateway) {
    const https = httpsListenerClusters(graph);
    for (const [env, pin] of s._pins) {
      const t = tenants.get(pin.cluster);
      if (!t || https.has(t.host.name)) continue;
      problems.push({ path: here, message: messages.serviceWithoutHttps(env, `${PUBLIC_GATEWAY_NAMESPACE}/${PUBLIC_GATEWAY}`, t.host.name, pin.cluster, servicesDomain(s.platform.domain), s.hostFor(env)) });
    }
  }
  // what the services need from vCluster beyond its open-source syncers (warnings): metrics and a
  // database need none (their objects are rendered on the host, the database's Secret mapped in)
  const pro = s._usesSecrets ? ['secrets (its ExternalSecret reaches the host\'s External Secrets through the External Secrets integration)'] : [];
  if (pro.length) problems.push({ path: here, severity: 'warning', message: messages.serviceProFeatures(s.name, pro) });
  // what it renders on each target's host needs that host's kube-prometheus-stack or Crossplane (else the host
  // folder's sync fails on a kind that does not exist); a database lets the vCluster's syncer list the host's Secrets
  const byChart = graph.derive(CHART_CLUSTERS, () => {
    const m = new Map<string, Set<string>>();
    for (const e of graph.catalogEntries) if (e.chart) for (const c of e.targetedClusters) (m.get(e.chart.chart) ?? m.set(e.chart.chart, new Set()).get(e.chart.chart)!).add(c);
    return m;
  });
  const runs = (chart: string, host: string) => byChart.get(chart)?.has(host) ?? false;
  const p = s._props;
  for (const [env, pin] of s._pins) {
    const t = tenants.get(pin.cluster);
    if (!t) continue;
    const on = { service: s.name, env, cluster: pin.cluster, host: t.host.name };
    if (p.metrics && !runs(PROMETHEUS_CHART, t.host.name)) problems.push({ path: here, severity: 'warning', message: messages.serviceHostWithoutPrometheus(on, s.name) });
    if (p.database && !runs(CROSSPLANE_CHART, t.host.name)) problems.push({ path: here, severity: 'warning', message: messages.serviceHostWithoutCrossplane(on, p.database.kind, databaseSecretName(s.name)) });
    const hostAdmin = (t._props.hostRole ?? HostRole.VIEW) === HostRole.ADMIN;
    if (p.database && hostAdmin) {
      problems.push({ path: here, severity: 'warning', message: messages.serviceDatabaseWithHostAdmin(on, t.name, t.node.path, t.namespace) });
    }
    // the fence's admission policy refuses External Secrets' objects to the host namespace's service accounts
    if (s._usesSecrets && hostAdmin) problems.push({ path: here, message: messages.serviceSecretsWithHostAdmin(on, t.name, t.node.path, t.namespace) });
  }
  // metrics on the service port: the route (PathPrefix "/") sends their path to it as to any other
  if (p.metrics && (p.metrics.port ?? p.port) === p.port) {
    const hosts = [...s._pins.keys()].map((env) => s.hostFor(env));
    problems.push({ path: here, severity: 'warning', message: messages.serviceMetricsPublic(s.name, hosts, p.metrics.path ?? '/metrics', p.port) });
  }
  // vCluster imports the Gateway under its own namespace/name, and refuses its own host namespace as the target
  const gateway = p.gateway;
  if (gateway) {
    for (const [env, pin] of s._pins) {
      const t = tenants.get(pin.cluster);
      if (t && gateway.namespace === t.namespace) problems.push({ path: here, message: messages.serviceGatewayInTenantNamespace(s.name, env, pin.cluster, `${gateway.namespace}/${gateway.name}`, t.namespace) });
    }
  }
  const withMetricsServer = graph.derive(METRICS_SERVER_CLUSTERS, () => new Set(graph.catalogEntries.filter((e) => e.chart?.chart === 'metrics-server' && e.namespace === 'kube-system' && e.releaseName === 'metrics-server').flatMap((e) => e.targetedClusters)));
  for (const [env, pin] of s._pins) {
    const t = tenants.get(pin.cluster);
    if (t && t.host.cloud.provider === CloudProvider.AWS && !withMetricsServer.has(t.host.name)) {
      problems.push({ path: here, severity: 'warning', message: messages.serviceWithoutMetricsServer(s.name, env, t.host.name, pin.cluster) });
    }
  }
  // two services rendered into the same tenant folder
  const index = servicesByCluster(s.platform);
  for (const cluster of new Set([...s._pins.values()].map((pin) => pin.cluster))) {
    const first = (index.get(cluster) ?? []).find((e) => e.service.name === s.name);
    if (first && first.service !== s) problems.push({ path: here, message: messages.duplicateService(s.name, cluster, first.service.node.path) });
  }
  return problems;
}
