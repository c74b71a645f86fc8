import { Construct } from 'constructs';
import { argoCdValues } from '../argocd/argocd-values';
import { argoCdChartSource, VCLUSTER_CHART } from '../argocd/charts';
import { tenantRegistration } from '../argocd/cluster-registration';
import { argoApplication, argoAppProject, GENERATE_PATHS, teamProjectFence } from '../argocd/objects';
import { ARGOCD_NAMESPACE, DEFAULT_SYNC_RETRY } from '../argocd/types';
import { mergeReplacing } from '../core/merge';
import { renderServiceDelivery, serviceNamespaces, serviceSourceRepos } from '../service/delivery';
import type { TenantVCluster } from '../tenant/tenant-vcluster';
import { PLATFORM_PROJECT, teamApplicationName } from './names';
import { renderScope } from './origin';

/**
 * The chart's optional probes, on for a tenant's dedicated Argo CD: its pods run in the tenant's
 * host namespace, where the baseline policies (`require-probes`, enforced in the last environment)
 * refuse a container without liveness and readiness probes. The application controller, which
 * the chart gives a readiness probe only, is the one pod the policy skips (see kyverno-policies.ts).
 */
const DEDICATED_ARGOCD_PROBES = Object.fromEntries(['applicationSet', 'notifications', 'redis']
  .map((component) => [component, { readinessProbe: { enabled: true }, livenessProbe: { enabled: true } }]));

/**
 * Renders, into the management cluster's folder (`out`), what its Argo CD needs for a vCluster
 * tenant: the vcluster Application, the virtual cluster's registration, the tenant's AppProject,
 * the delivery of its services, its dedicated Argo CD and the Applications of its repositories.
 */
export function renderTenantDelivery(out: Construct, t: TenantVCluster, lateWave: number): void {
  const platform = t.platform;
  const scope = renderScope(out, `tenant-${t.node.addr}`, t);
  argoApplication(scope, 'vcluster', {
    name: `vcluster-${t.name}`,
    labels: { tenant: t.name },
    spec: {
      project: PLATFORM_PROJECT,
      sources: [{ repoURL: VCLUSTER_CHART.repoURL, chart: VCLUSTER_CHART.chart, targetRevision: VCLUSTER_CHART.version, helm: { releaseName: t.namespace, valuesObject: t._values() } }],
      destination: { name: t.host.name, namespace: t.namespace },
      // the namespace (with its Pod Security labels) comes from the host's folder: no CreateNamespace
      syncPolicy: { automated: { prune: true, selfHeal: true }, retry: DEFAULT_SYNC_RETRY },
    },
  });
  // the registration and the services' ApplicationSet wait on the virtual cluster (its pushed kubeconfig): in `lateWave`
  tenantRegistration(scope, 'registration', { name: t.clusterName, server: `https://${t.apiHost}`, remoteKey: t.remoteKey, labels: t.labels, syncWave: lateWave, wholeSecret: platform.secretStore._pushIgnoresProperty });
  const project = `tenant-${t.name}`;
  const namespaces = serviceNamespaces(platform, t);
  argoAppProject(scope, 'project', project, {
    description: `Tenant ${t.name}: deploys only into its virtual cluster ${t.clusterName}`,
    sourceRepos: [...t.repositories, ...serviceSourceRepos(platform, t)],
    destinations: [{ name: t.clusterName, namespace: '*' }],
    // kinds the tenant opted into inside its own virtual cluster, and the Namespaces its services'
    // Applications create (CreateNamespace=true): exactly those, by name
    ...(t.clusterResourceWhitelist.length || namespaces.length
      ? { clusterResourceWhitelist: [...t.clusterResourceWhitelist, ...namespaces.map((name) => ({ group: '', kind: 'Namespace', name }))] }
      : {}),
    ...teamProjectFence(project, t.owners),
  });
  renderServiceDelivery(scope, platform, t, project, lateWave);
  const dedicated = t._argocd;
  if (dedicated) {
    argoApplication(scope, 'argocd', {
      name: `vcluster-${t.name}-argocd`,
      labels: { tenant: t.name },
      spec: {
        // the chart's CRDs are cluster-scoped: the platform project installs it, the tenant's project never could
        project: PLATFORM_PROJECT,
        sources: [argoCdChartSource(mergeReplacing(argoCdValues({
          clusterName: 'in-cluster',
          hostname: dedicated.hostname,
          sso: dedicated.sso,
          adminGroups: dedicated.sso ? t.owners : [],
          highAvailability: false,
          clusterLabels: { tenant: t.name },
          // TLS ends at the host's Gateway (src/render/tenant-host.ts): the server speaks plain HTTP behind it
          insecureServer: true,
        }), DEDICATED_ARGOCD_PROBES))],
        destination: { name: t.clusterName, namespace: ARGOCD_NAMESPACE },
        syncPolicy: { automated: { prune: false, selfHeal: true }, syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'], retry: DEFAULT_SYNC_RETRY },
      },
    });
  }
  // named after the repository, not its place in the list: removing one must not retarget another's
  // Application (or cascade-delete its objects)
  t.repositories.forEach((url) => argoApplication(scope, `app-${teamApplicationName(project, url, t.repositoryPath)}`, {
    name: teamApplicationName(project, url, t.repositoryPath),
    annotations: { [GENERATE_PATHS]: '.' },
    labels: { tenant: t.name },
    cascadeDelete: true,
    spec: {
      project,
      source: { repoURL: url, targetRevision: 'HEAD', path: t.repositoryPath, directory: { recurse: true } },
      destination: { name: t.clusterName, namespace: 'default' },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true', 'PruneLast=true', 'FailOnSharedResource=true'], retry: DEFAULT_SYNC_RETRY },
    },
  }));
}
