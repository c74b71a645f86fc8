import { Construct, IConstruct } from 'constructs';
import { renderArgoCdUi } from '../argocd/argocd-ui';
import { ARGO_CD_CHART, argoCdChartSource, EXTERNAL_SECRETS_CHART, VCLUSTER_CHART } from '../argocd/charts';
import { clusterRegistration } from '../argocd/cluster-registration';
import { renderExternalSecrets, renderPlatformRepositoryExternalSecret } from '../argocd/external-secrets';
import { argoApplication, argoAppProject, GENERATE_PATHS, RESOURCES_FINALIZER } from '../argocd/objects';
import { selfRegistrationOutputs } from '../argocd/self-registration';
import { AppProjectSpec, ApplicationSpec, ARGOCD_NAMESPACE, DEFAULT_SYNC_RETRY } from '../argocd/types';
import { renderClusterIdentities } from '../cluster/addon-identities';
import type { ManagementCluster } from '../cluster/management-cluster';
import { PlatformGraph } from '../graph/platform-graph';
import { targetableClusters } from '../graph/targetable';
import { renderArgoCdBootstrap } from '../terraform/argocd-bootstrap';
import { withoutCreationStacks } from '../terraform/creation-stacks';
import { argocdPodIdentities, EXTERNAL_SECRETS_SA, grantTenantPush } from '../terraform/management-identity';
import { writeSecretStoreEntry } from '../terraform/secret-store-writer';
import { renderCatalogEntryObjects } from './catalog-objects';
import { PLATFORM_PROJECT } from './names';
import { renderTenantDelivery } from './tenant-delivery';
import { afterCatalogWave } from './waves';

/** The scope of a management cluster's chart the render stage replaces on every pass. */
export const RENDERED = 'platform-rendered';

/**
 * Renders a management cluster's folder and the rest of its state: the platform AppProject,
 * the root Application, Argo CD managing itself, the UI, External Secrets, the fleet's
 * registrations and folders, then (each by its own render function) the tenants' and catalog
 * entries' objects, the add-on identities and the Terraform bootstrap. Objects go into a scope
 * created afresh on every pass; the cluster's chart and stack (escape hatches) are never recreated.
 */
export function renderManagementCluster(graph: PlatformGraph, m: ManagementCluster, kept: ReadonlySet<IConstruct>): void {
  const platform = m.platform;
  const repo = platform.repository;
  const folder = [repo.path, 'clusters', m.name].filter((s) => s !== '').join('/');
  const fleet = graph.fleetOf(m);
  const tenants = graph.tenantsOf(m);
  const project: AppProjectSpec = {
    description: 'Platform components, managed by the platform team',
    sourceRepos: [...new Set([repo.url, ARGO_CD_CHART.repoURL, EXTERNAL_SECRETS_CHART.repoURL,
      ...graph.catalogEntries.filter((e) => e.project === PLATFORM_PROJECT && e.chart).map((e) => e.chart!.repoURL),
      ...(tenants.length ? [VCLUSTER_CHART.repoURL] : [])])],
    // clusters registered elsewhere (FleetCluster.fromName) that the platform's entries may target: a name
    // no Argo CD here registers grants nothing
    destinations: [...[m.name, ...fleet.map((f) => f.name), ...importedClusterNames(graph)].map((name) => ({ name, namespace: '*' })), ...tenantDestinations(graph, m)],
    clusterResourceWhitelist: [{ group: '*', kind: '*' }],
  };
  const root: ApplicationSpec = {
    project: PLATFORM_PROJECT,
    source: { repoURL: repo.url, targetRevision: repo.revision, path: folder, directory: { recurse: true } },
    destination: { name: m.name, namespace: ARGOCD_NAMESPACE },
    // retried: a wave's object whose CRD a child Application installs can fail the first apply
    syncPolicy: { automated: { prune: true, selfHeal: true }, retry: DEFAULT_SYNC_RETRY },
  };
  const values = m.argoCdValues;
  m.chart.node.tryRemoveChild(RENDERED);
  const out = new Construct(m.chart, RENDERED);
  argoAppProject(out, 'platform-project', PLATFORM_PROJECT, project);
  // a commit refreshes only the Applications whose folders it touches (monorepo webhooks)
  argoApplication(out, 'root', { name: 'root', spec: root, cascadeDelete: true, annotations: { [GENERATE_PATHS]: '.' } });
  argoApplication(out, 'argo-cd', {
    name: 'argo-cd',
    spec: {
      project: PLATFORM_PROJECT,
      sources: [argoCdChartSource(values)],
      destination: { name: m.name, namespace: ARGOCD_NAMESPACE },
      // never prune Argo CD itself, never cascade-delete it
      syncPolicy: { automated: { prune: false, selfHeal: true }, syncOptions: ['ServerSideApply=true'], retry: DEFAULT_SYNC_RETRY },
    },
  });
  // after every catalog entry's ApplicationSet: the UI (its CRDs come with entries), and what waits on
  // other states or clusters (a fleet's state writes its registration's store entry, a vCluster pushes
  // its own), which Argo CD counts Degraded until then: in an earlier wave it would fail that wave and hold the later ones
  const lastWave = afterCatalogWave(graph);
  const ui = m._argocdUi;
  if (ui) renderArgoCdUi(out, ui, m._argocdHostname, lastWave);
  renderExternalSecrets(out, { clusterName: m.name, project: PLATFORM_PROJECT, store: platform.secretStore, serviceAccountByTerraform: !!m.aks });
  // a private platform repository: the bootstrap's Secret (below), then kept by External Secrets
  const repositoryCredentials = repo.credentialsKey !== undefined ? { url: repo.url, store: platform.secretStore, key: repo.credentialsKey } : undefined;
  if (repositoryCredentials) renderPlatformRepositoryExternalSecret(out, repositoryCredentials);
  for (const f of fleet) {
    const reg = f._registration();
    clusterRegistration(out, `registration-${f.node.addr}`, { ...reg, syncWave: lastWave });
    if (reg.hasFolder) {
      argoApplication(out, `cluster-folder-${f.node.addr}`, {
        name: `cluster-${f.name}`,
        annotations: { [GENERATE_PATHS]: '.' },
        spec: {
          project: PLATFORM_PROJECT,
          source: { repoURL: repo.url, targetRevision: repo.revision, path: [repo.path, 'clusters', f.name].filter((x) => x !== '').join('/'), directory: { recurse: true } },
          destination: { name: f.name },
          syncPolicy: { automated: { prune: true, selfHeal: true }, retry: DEFAULT_SYNC_RETRY },
        },
      });
    }
  }
  for (const t of tenants) if (!kept.has(t)) renderTenantDelivery(out, t, lastWave);
  for (const entry of graph.catalogEntries) renderCatalogEntryObjects(out, entry);
  // the identities of the add-ons that target this cluster; their values reach its own
  // registration through the store, like a fleet cluster's
  const pushKeys = graph.tenantsOn(m).map((t) => t.remoteKey);
  const identities = withoutCreationStacks(() => renderClusterIdentities(m, pushKeys, EXTERNAL_SECRETS_SA));
  if (Object.keys(identities).length) {
    withoutCreationStacks(() => writeSecretStoreEntry(m.stack, platform.secretStore, 'registration-outputs', `cluster-${m.name}`, identities));
    selfRegistrationOutputs(out, 'registration-outputs', { cluster: m.name, remoteKey: platform.secretStore._remoteKey(`cluster-${m.name}`), outputs: Object.keys(identities) });
  } else {
    for (const child of ['registration-outputs', 'registration-outputs-value']) m.stack.node.tryRemoveChild(child);
  }
  // the PushSecrets of the tenants hosted here write through this cluster's External Secrets
  grantTenantPush(m.stack, platform.secretStore, pushKeys);
  renderArgoCdBootstrap(m.stack, {
    access: (m.aks ?? m.eks)!.access,
    argoCdAfter: argocdPodIdentities(m.stack),
    argoCdValues: values,
    repositoryCredentials,
    appsValues: {
      projects: { [PLATFORM_PROJECT]: { namespace: ARGOCD_NAMESPACE, ...project } },
      applications: { root: { namespace: ARGOCD_NAMESPACE, finalizers: [RESOURCES_FINALIZER], ...root } },
    },
  });
}

/** The names of the clusters registered by other means, once each, in declaration order. */
function importedClusterNames(graph: PlatformGraph): string[] {
  return [...new Set(targetableClusters(graph).filter((c) => c.imported).map((c) => c.name))];
}

/**
 * The virtual clusters of a management cluster's tenants the platform project deploys into: the
 * `argocd` namespace of those with a dedicated Argo CD, and those that catalog entries of
 * the platform project target, each with the entry's namespace only (exact names, never `*`).
 */
function tenantDestinations(graph: PlatformGraph, m: ManagementCluster): { name: string; namespace: string }[] {
  const tenants = graph.tenantsOf(m);
  const names = new Set(tenants.map((t) => t.clusterName));
  if (names.size === 0) return [];
  const seen = new Set<string>();
  // a tenant's dedicated Argo CD is installed by the platform project into the virtual cluster's argocd namespace
  const argocd = tenants.filter((t) => t._argocd).map((t) => ({ name: t.clusterName, namespace: ARGOCD_NAMESPACE }));
  for (const d of argocd) seen.add(`${d.name}\n${d.namespace}`);
  return argocd.concat(graph.catalogEntries.filter((e) => e.project === PLATFORM_PROJECT).flatMap((e) => e.targetedClusters
    .filter((name) => names.has(name))
    .map((name) => ({ name, namespace: e.namespace }))
    .filter((d) => {
      const key = `${d.name}\n${d.namespace}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })));
}
