import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ARGOCD_API_VERSION, ARGOCD_NAMESPACE, DEFAULT_SYNC_RETRY } from '../argocd/types';
import type { Platform } from '../platform';
import { servicesByCluster } from './service-index';
import { compareCodeUnits } from '../core/order';

/** The tenant as delivery sees it (no import of the construct, so no cycle). */
interface TenantLike {
  readonly name: string;
  readonly clusterName: string;
}

/** The output folder (relative to the repository's output path) of a tenant's services. */
export function tenantServicesFolder(tenant: string): string {
  return `tenants/${tenant}/services`;
}

/** @internal True when at least one team service's pin targets the tenant's virtual cluster. */
export function hasServices(platform: Platform, tenant: TenantLike): boolean {
  return (servicesByCluster(platform).get(tenant.clusterName) ?? []).length > 0;
}

/** @internal The platform repository, which the tenant's project must accept as a source when services are delivered. */
export function serviceSourceRepos(platform: Platform, tenant: TenantLike): string[] {
  return hasServices(platform, tenant) ? [platform.repository.url] : [];
}

/**
 * @internal The namespaces the tenant's services deploy into (one per service, named after
 * it), sorted. The tenant's AppProject permits creating exactly these Namespaces in its
 * virtual cluster: the services' Applications sync with `CreateNamespace=true`, and Argo CD
 * checks the Namespace it creates against the project like any cluster-scoped resource.
 */
export function serviceNamespaces(platform: Platform, tenant: TenantLike): string[] {
  return [...new Set((servicesByCluster(platform).get(tenant.clusterName) ?? []).map((e) => e.service.name))].sort();
}

/**
 * @internal Renders, into the management cluster's folder, the ApplicationSet that
 * delivers a tenant's services: a git directories generator over
 * `tenants/<tenant>/services/*`, one Application per service folder, in the
 * tenant's project, deploying into the tenant's virtual cluster. A new service is
 * a new folder: nothing changes on the platform side.
 */
export function renderServiceDelivery(scope: Construct, platform: Platform, tenant: TenantLike, project: string, syncWave: number): void {
  if (!hasServices(platform, tenant)) return;
  const repo = platform.repository;
  const folder = [repo.path, tenantServicesFolder(tenant.name)].filter((s) => s !== '').join('/');
  new ApiObject(scope, 'services', {
    apiVersion: ARGOCD_API_VERSION,
    kind: 'ApplicationSet',
    // Degraded until its destination (the virtual cluster) is registered: after the catalog, with the registration
    metadata: { name: `${project}-services`, namespace: ARGOCD_NAMESPACE, labels: { tenant: tenant.name }, annotations: { 'argocd.argoproj.io/sync-wave': String(syncWave) } },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ git: { repoURL: repo.url, revision: repo.revision, directories: [{ path: `${folder}/*` }] } }],
      template: {
        metadata: {
          name: `${tenant.name}-{{ .path.basename }}`,
          labels: { 'tenant': tenant.name, 'app.kubernetes.io/name': '{{ .path.basename }}' },
          annotations: { 'argocd.argoproj.io/manifest-generate-paths': '.' },
          finalizers: ['resources-finalizer.argocd.argoproj.io'],
        },
        spec: {
          project,
          source: { repoURL: repo.url, targetRevision: repo.revision, path: '{{ .path.path }}' },
          destination: { name: tenant.clusterName, namespace: '{{ .path.basename }}' },
          syncPolicy: {
            automated: { prune: true, selfHeal: true },
            syncOptions: ['CreateNamespace=true', 'PruneLast=true', 'FailOnSharedResource=true'],
            retry: DEFAULT_SYNC_RETRY,
          },
        },
      },
    },
  });
}

/**
 * @internal The vcluster chart values a tenant needs when services are delivered
 * into it: HTTPRoutes synced to the host, the host Gateways they attach to imported
 * under the same namespace and name (so vCluster translates the route's parentRef back
 * to the host Gateway), the Secrets written on the host for the services (a database's
 * connection Secret) mapped into each service's namespace, the host's metrics server (the
 * services' autoscalers), and External Secrets reused from the host when a service reads
 * secrets (the tenant's own SecretStores only: no host store is imported).
 *
 * Each host Secret is mapped by the key `/<name>`: vCluster 0.35's open-source from-host
 * Secret syncer (`sync.fromHost.secrets`) reads a key with an empty namespace as the
 * vCluster's own host namespace, and maps it to `<service namespace>/<name>` inside.
 */
export function serviceIntegrationValues(platform: Platform, tenant: TenantLike): Record<string, unknown> | undefined {
  const entries = servicesByCluster(platform).get(tenant.clusterName) ?? [];
  if (entries.length === 0) return undefined;
  const gateways = [...new Set(entries.map((e) => e.service._gateway))].sort();
  const hostSecrets = entries.flatMap((e) => e.service._hostSecrets.map((name) => [`/${name}`, `${e.service.name}/${name}`]))
    .sort(([a], [b]) => compareCodeUnits(a, b));
  return {
    sync: {
      toHost: {
        // HTTPRoutes only: the umbrella switch would also let the tenant create Gateways on the host
        gatewayApi: { httpRoutes: { enabled: true } },
        // the services' PodDisruptionBudgets guard pods that run on the host: a budget left in the virtual
        // cluster holds back no drain of the host's nodes
        podDisruptionBudgets: { enabled: true },
      },
      fromHost: {
        gateways: {
          enabled: true,
          mappings: { byName: Object.fromEntries(gateways.map((g) => [g, g])) },
          // routes in any of the tenant's namespaces may attach (the host Gateway's own allowedRoutes still applies),
          // for the hosts of the tenant's own services only: the shared Gateway's listener admits routes from every
          // namespace, so without the hostname fence a route synced from another tenant's virtual cluster could
          // claim a service's host (a longer path, or an exact match, wins across routes)
          allowedRoutes: {
            defaultVirtualNamespacePolicy: { from: 'All' },
            overrides: gateways.map((g) => ({
              hostNamespace: g.slice(0, g.indexOf('/')),
              name: g.slice(g.indexOf('/') + 1),
              virtualNamespacePolicy: { from: 'All' },
              allowedHostnames: [...new Set(entries.filter((e) => e.service._gateway === g).map((e) => e.service.hostFor(e.env)))].sort(),
            })),
          },
        },
        ...(hostSecrets.length ? { secrets: { enabled: true, mappings: { byName: Object.fromEntries(hostSecrets) } } } : {}),
      },
    },
    integrations: {
      // the services' HorizontalPodAutoscalers read CPU through the host's metrics server (without it
      // they report FailedGetResourceMetric and Argo CD shows them Degraded)
      metricsServer: { enabled: true },
      ...(entries.some((e) => e.service._usesSecrets) ? { externalSecrets: { enabled: true, sync: { toHost: { stores: { enabled: true } } } } } : {}),
    },
  };
}
