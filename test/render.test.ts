import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject } from 'cdk8s';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Catalog, CHARTS, checkChartPolicies, expand, ExternalDnsProvider, FleetCluster, HelmChart, ManagementCluster, checkOutputPermissions, describeDenial, findUnusedValues, ChartRenderError, PolicySeverity, SecurityRule, ClusterSelector, ServiceCatalogEntry, expectPlatform, KindScopes, plainManifestFiles, plainManifests, renderApplications, RenderedApplication, RenderedPlatform, REDACTED, Group, PodSecurityLevel, TenantVCluster,
} from '../src';
import { parse, stringify } from 'yaml';
import { runCli } from './support/cli';
import { docBlocks } from './support/doc-blocks';
import { aksCloud, azureMgmt, azurePlatform } from './support/fixtures';
import { CACHE_DIR, chartToolsMissing, helmBinary, preparedCharts } from './support/helm';
import { podSpecOf, restrictedViolations } from './support/pod-security';
import { exampleOutput, teamServicesPlatform } from './support/rendered-platforms';
import { selectorMatches } from '../src/testing/selector';
import { CONTROLLER_ACTING_API_GROUPS, SECRET_STORE_API_GROUPS } from '../src/tenant/tenant-fence';
import { CERT_MANAGER_CONTROLLERS } from '../src/catalog/entries/cert-manager';

const missing = chartToolsMissing();
if (missing) console.log(`skipping the chart-rendering tests: ${missing}`);

/** The chart options of these tests: the real helm 4 and the upstream chart sources. */
function charts() {
  const c = preparedCharts();
  return { helm: helmBinary(), chartsDir: c.chartsDir, standIns: c.standIns, cacheDir: CACHE_DIR };
}

/** Chart output only (the library's own manifests are checked at synth). */
const chartObjects = (r: RenderedApplication) => r.objects.filter((o) => / \S+: /.test(o.origin) && !o.origin.startsWith('clusters/'));

describe.skipIf(missing)('every Application rendered as Argo CD would, through the real helm and the upstream charts', () => {
  const platforms: Record<string, () => Promise<Map<string, string>>> = {
    'examples/azure': () => exampleOutput('azure'),
    'examples/aws': () => exampleOutput('aws'),
    'a platform with team services': async () => teamServicesPlatform().render(),
    'external-dns on Cloudflare': async () => {
      const p = azurePlatform();
      azureMgmt(p, { labels: { 'core-basic': 'enabled', 'security-basic': 'enabled' } });
      Catalog.externalSecrets(p);
      Catalog.externalDns(p, { provider: ExternalDnsProvider.CLOUDFLARE, domainFilters: ['acme.dev'], cloudflare: { storeKey: 'cloudflare-dns' } });
      Catalog.gatewayApi(p);
      return p.render();
    },
  };
  const results = new Map<string, { files: Map<string, string>; rendered: RenderedApplication[] }>();
  /** The Applications of a platform that render `chart`: at least one. */
  const renderedCharts = (platform: string, chart: string) => {
    const found = results.get(platform)!.rendered.filter((r) => r.chart?.name === chart);
    expect(found.length, `${platform} renders ${chart}`).toBeGreaterThan(0);
    return found;
  };

  beforeAll(async () => {
    for (const [name, make] of Object.entries(platforms)) {
      const files = await make();
      results.set(name, { files, rendered: await renderApplications(files, charts()) });
    }
  });

  it.each(Object.keys(platforms))('%s: every Application with a chart renders objects from it, with the cluster\'s Kubernetes version', (name) => {
    const { rendered } = results.get(name)!;
    const withChart = rendered.filter((r) => r.application.chart);
    expect(withChart.length).toBeGreaterThan(0);
    for (const r of withChart) {
      expect(chartObjects(r).length, `${r.application.name} renders nothing from ${r.chart?.name}`).toBeGreaterThan(0);
      expect(r.kubeVersion).toMatch(/^1\.\d+$/);
    }
    // directory sources bring the library's manifests
    expect(rendered.some((r) => r.objects.some((o) => o.origin.startsWith('clusters/')))).toBe(true);
  });

  it.each(Object.keys(platforms))('%s: Argo CD would sync every object (AppProject check on the chart output too)', (name) => {
    const { files, rendered } = results.get(name)!;
    const byApp = new Map(rendered.map((r) => [r.application.name, chartObjects(r)]));
    expectPlatform(new RenderedPlatform(files)).toBePermittedByProjects({ rendered: byApp });
  });

  it.each(Object.keys(platforms))('%s: the policy pass finds nothing in the chart output but what the entries declare, and PLATFORM.md lists each exception', (name) => {
    const { files, rendered } = results.get(name)!;
    const result = checkChartPolicies(files, rendered);
    expect(result.findings.map((f) => `${f.entry ?? f.applications[0]}: ${f.message}`)).toEqual([]);
    expect(result.excepted.length).toBeGreaterThan(0);
    const md = files.get('PLATFORM.md')!;
    for (const f of result.excepted) expect(md).toContain(`| ${f.exception!.rule} | ${f.exception!.objects?.join(', ') ?? '(whole chart)'} | ${f.exception!.reason} |`);
  });

  it.each(Object.keys(platforms))('%s: every values key the library renders is defaulted or read by its exact pinned chart', (name) => {
    const { rendered } = results.get(name)!;
    const result = findUnusedValues(rendered, CACHE_DIR);
    expect(result.unused).toEqual([]);
    // stand-ins are named, never judged
    for (const c of result.notJudged) expect(charts().standIns).toContain(c.replace(' ', '-'));
  });

  it.each(['examples/azure', 'examples/aws'])('%s: Argo CD reads its SSO settings: the chart\'s argocd-cm holds oidc.config as YAML text with the issuer', (name) => {
    const argocd = renderedCharts(name, 'argo-cd');
    for (const r of argocd) {
      const cm = chartObjects(r).find((o) => o.object.kind === 'ConfigMap' && o.object.metadata.name === 'argocd-cm')?.object;
      const text = cm?.data?.['oidc.config'];
      // Argo CD unmarshals the key as YAML into its OIDC settings; Go's map[...] text would leave SSO off
      expect(typeof text, `${r.application.name}: argocd-cm has oidc.config`).toBe('string');
      expect(text).not.toMatch(/^map\[/);
      expect(parse(text)).toMatchObject({ issuer: expect.stringMatching(/^https:\/\//), clientID: expect.any(String), requestedScopes: expect.arrayContaining(['openid']) });
    }
  });

  it.each(['examples/azure', 'examples/aws'])('%s: highly available Argo CD has a PodDisruptionBudget per replicated component, one pod at a time', (name) => {
    const argocd = renderedCharts(name, 'argo-cd').find((r) => r.application.cluster === 'mgmt')!;
    const objects = chartObjects(argocd).map((o) => o.object);
    const replicated = objects.filter((o) => ['Deployment', 'StatefulSet'].includes(o.kind) && (o.spec.replicas ?? 1) > 1);
    expect(replicated.length).toBeGreaterThanOrEqual(4);
    const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget');
    for (const w of replicated) {
      const labels = w.spec.template.metadata.labels;
      const guarding = budgets.filter((b) => Object.entries(b.spec.selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v));
      expect([w.metadata.name, guarding.map((b) => b.spec.maxUnavailable)]).toEqual([w.metadata.name, [1]]);
    }
  });

  it('examples/aws: the EKS management cluster starts with a node for each replica Argo CD\'s chart keeps on separate nodes', () => {
    const { files, rendered } = results.get('examples/aws')!;
    const argocd = rendered.find((r) => r.chart?.name === 'argo-cd' && r.application.cluster === 'mgmt')!;
    // the replicas of each workload whose pods require distinct nodes (anti-affinity on the host name)
    const separated = chartObjects(argocd).map((o) => o.object).filter((o) => (o.spec?.template?.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [])
      .some((t: { topologyKey?: string }) => t.topologyKey === 'kubernetes.io/hostname'));
    expect(separated.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['Deployment/argocd-redis-ha-haproxy', 'StatefulSet/argocd-redis-ha-server']);
    const needed = Math.max(...separated.map((o) => o.spec.replicas ?? 1));
    // nothing scales an EKS node group: the untainted groups' minimum is what the first apply gets
    const groups = Object.values(JSON.parse(files.get('terraform/mgmt/cdk.tf.json')!).resource.aws_eks_node_group) as { scaling_config: { min_size: number }; taint?: unknown[] }[];
    const nodes = groups.filter((g) => !(g.taint ?? []).length).reduce((n, g) => n + g.scaling_config.min_size, 0);
    expect(needed).toBe(3);
    expect(nodes).toBeGreaterThanOrEqual(needed);
  });

  it('examples/azure: cert-manager solves HTTP-01 through the Gateway (its Gateway API support is on in the controller\'s configuration)', () => {
    const certManager = renderedCharts('examples/azure', 'cert-manager');
    for (const r of certManager) {
      const objects = chartObjects(r).map((o) => o.object);
      // the ClusterIssuers solve with HTTPRoutes on the shared Gateway
      const issuers = r.objects.map((o) => o.object).filter((o) => o.kind === 'ClusterIssuer');
      expect(issuers.some((i) => i.spec.acme.solvers.some((s: any) => s.http01?.gatewayHTTPRoute)), r.application.name).toBe(true);
      // the chart writes `config` as the controller's configuration file, and the controller reads it
      const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'cert-manager');
      expect(parse(cm.data['config.yaml']), r.application.name).toMatchObject({ kind: 'ControllerConfiguration', enableGatewayAPI: true });
      const controller = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'cert-manager');
      expect(controller.spec.template.spec.containers[0].args, r.application.name).toContain('--config=/var/cert-manager/config/config.yaml');
    }
  });

  it('examples/aws: Atlantis gets its GitHub user, token and webhook secret (without them it has no VCS and does not start)', () => {
    const atlantis = renderedCharts('examples/aws', 'atlantis');
    for (const r of atlantis) {
      const sts = chartObjects(r).map((o) => o.object).find((o) => o.kind === 'StatefulSet');
      const env = new Map<string, any>(sts.spec.template.spec.containers[0].env.map((e: any) => [e.name, e]));
      expect(env.get('ATLANTIS_GH_USER')?.value, r.application.name).toBe('acme-atlantis');
      expect(env.get('ATLANTIS_GH_TOKEN')?.valueFrom?.secretKeyRef, r.application.name).toEqual({ name: 'atlantis-vcs', key: 'github_token' });
      expect(env.get('ATLANTIS_GH_WEBHOOK_SECRET')?.valueFrom?.secretKeyRef, r.application.name).toEqual({ name: 'atlantis-vcs', key: 'github_secret' });
    }
  });

  it('examples/aws: the Argo Workflows server authenticates with the caller\'s token (SSO mode without an SSO configuration does not start)', () => {
    const workflows = renderedCharts('examples/aws', 'argo-workflows');
    for (const r of workflows) {
      const objects = chartObjects(r).map((o) => o.object);
      const server = objects.find((o) => o.kind === 'Deployment' && o.spec.template.spec.containers[0].args?.includes('server'));
      const args: string[] = server.spec.template.spec.containers[0].args;
      expect(args.filter((a) => a.startsWith('--auth-mode')), r.application.name).toEqual(['--auth-mode=client']);
    }
  });

  it('examples/aws: a Workflow\'s pods run as a service account that exists in the namespace and may report their results (the executor\'s workflowtaskresults)', () => {
    const workflows = renderedCharts('examples/aws', 'argo-workflows');
    expect(workflows.length).toBeGreaterThan(0);
    for (const r of workflows) {
      const objects = chartObjects(r).map((o) => o.object);
      const ns = r.application.namespace;
      // the controller's defaults for every Workflow (its ConfigMap), read as the controller reads them
      const config = parse(objects.find((o) => o.kind === 'ConfigMap' && o.data?.config !== undefined && /workflow-controller/.test(o.metadata.name))?.data.config ?? '{}');
      const account = config?.workflowDefaults?.spec?.serviceAccountName;
      expect(account, r.application.name).toBe('argo-workflow');
      expect(objects.filter((o) => o.kind === 'ServiceAccount' && o.metadata.name === account && (o.metadata.namespace ?? ns) === ns), r.application.name).toHaveLength(1);
      // a RoleBinding in that namespace binds it to a Role that may create workflowtaskresults
      const roles = objects.filter((o) => o.kind === 'Role' && (o.metadata.namespace ?? ns) === ns);
      const bound = objects.filter((o) => o.kind === 'RoleBinding' && (o.metadata.namespace ?? ns) === ns && o.subjects?.some((x: any) => x.kind === 'ServiceAccount' && x.name === account))
        .map((b) => roles.find((x) => x.metadata.name === b.roleRef.name));
      const grants = bound.flatMap((x) => x?.rules ?? []).filter((rule: any) => rule.resources.includes('workflowtaskresults') && rule.verbs.includes('create'));
      expect(grants.length, r.application.name).toBeGreaterThan(0);
    }
  });

  it.each(['examples/azure', 'examples/aws'])('%s: no catalog workload keeps a CPU limit (the entries set none; a chart default left beside their values throttles the pod)', (name) => {
    const limited = results.get(name)!.rendered.filter((r) => r.application.catalogEntry).flatMap((r) => chartObjects(r).map((o) => o.object)
      .filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind))
      // long-running containers (an init container's limit holds it for the seconds it runs)
      .flatMap((o) => o.spec.template.spec.containers
        .filter((c: any) => c.resources?.limits?.cpu !== undefined).map((c: any) => `${r.application.name}: ${o.kind} ${o.metadata.name} ${c.name} ${c.resources.limits.cpu}`)));
    expect(limited).toEqual([]);
    if (name === 'examples/azure') expect(renderedCharts(name, 'crossplane').length).toBeGreaterThan(0);
  });

  it('external-dns on Cloudflare reads its API token from the store\'s entry (without CF_API_TOKEN the provider stops at start)', () => {
    for (const r of renderedCharts('external-dns on Cloudflare', 'external-dns')) {
      const objects = r.objects.map((o) => o.object);
      const container = objects.find((o) => o.kind === 'Deployment').spec.template.spec.containers[0];
      expect(container.args, r.application.name).toContain('--provider=cloudflare');
      expect(container.env, r.application.name).toContainEqual({ name: 'CF_API_TOKEN', valueFrom: { secretKeyRef: { name: 'cloudflare-api-token', key: 'api-token' } } });
      // the Secret it names comes from the store, in the same namespace, through the same Application
      const es = objects.find((o) => o.kind === 'ExternalSecret' && o.spec.target.name === 'cloudflare-api-token');
      expect(es?.metadata.namespace, r.application.name).toBe('external-dns');
      expect(es.spec.data).toEqual([{ secretKey: 'api-token', remoteRef: { key: 'platform-cloudflare-dns', property: 'api-token' } }]);
    }
  });

  it('examples/aws: OpenCost reads the kube-prometheus-stack Prometheus', () => {
    const opencost = renderedCharts('examples/aws', 'opencost');
    for (const r of opencost) {
      const deployment = chartObjects(r).map((o) => o.object).find((o) => o.kind === 'Deployment');
      const env = deployment.spec.template.spec.containers.flatMap((c: any) => c.env ?? []);
      expect(env.find((e: any) => e.name === 'PROMETHEUS_SERVER_ENDPOINT')?.value, r.application.name).toBe('http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090');
    }
  });

  it('examples/aws: the External Secrets chart lets Kubernetes\' edit and admin write its objects, all of whose API groups the tenant fence keeps from the teams', () => {
    for (const r of renderedCharts('examples/aws', 'external-secrets')) {
      const aggregated = chartObjects(r).map((o) => o.object).filter((o) => o.kind === 'ClusterRole'
        && ['edit', 'admin'].some((role) => o.metadata.labels?.[`rbac.authorization.k8s.io/aggregate-to-${role}`] === 'true'));
      const writes = aggregated.flatMap((o) => o.rules).filter((rule: any) => rule.verbs.some((v: string) => ['create', 'update', 'patch', 'delete', '*'].includes(v)));
      const groups = [...new Set(writes.flatMap((rule: any) => rule.apiGroups as string[]))].sort();
      // what a team with edit or admin on its namespace may write, through the roles the chart aggregates
      expect(groups, r.application.name).toEqual(expect.arrayContaining(['external-secrets.io']));
      expect(groups.filter((g) => !(SECRET_STORE_API_GROUPS as readonly string[]).includes(g)), r.application.name).toEqual([]);
      expect(writes.flatMap((rule: any) => rule.resources), r.application.name).toEqual(expect.arrayContaining(['externalsecrets', 'pushsecrets', 'secretstores']));
    }
  });

  it('examples/aws: the cert-manager chart lets Kubernetes\' edit and admin write Certificates and CertificateRequests, which the tenant fence keeps from the teams', () => {
    for (const r of renderedCharts('examples/aws', 'cert-manager')) {
      const aggregated = chartObjects(r).map((o) => o.object).filter((o) => o.kind === 'ClusterRole'
        && ['edit', 'admin'].some((role) => o.metadata.labels?.[`rbac.authorization.k8s.io/aggregate-to-${role}`] === 'true'));
      const writes = aggregated.flatMap((o) => o.rules).filter((rule: any) => rule.apiGroups.includes('cert-manager.io') && rule.verbs.some((v: string) => ['create', 'update', 'patch', '*'].includes(v)));
      const granted: string[] = writes.flatMap((rule: any) => rule.resources);
      // the kinds that may name a ClusterIssuer, which the tenant fence's admission policy refuses the owners
      // (test/namespace-tenant.test.ts evaluates it): every one of them the chart lets edit and admin write
      expect(granted.filter((x) => ['certificates', 'certificaterequests'].includes(x)).sort(), r.application.name).toEqual(['certificaterequests', 'certificates']);
    }
  });

  it('examples/aws: cert-manager runs without its ingress and gateway shims, which would issue a Certificate for any annotated Ingress or Gateway of any namespace', () => {
    const charts = renderedCharts('examples/aws', 'cert-manager');
    expect(charts.length).toBeGreaterThan(0);
    for (const r of charts) {
      const controller = chartObjects(r).map((o) => o.object).find((o) => o.kind === 'Deployment' && o.spec.template.spec.containers.some((c: any) => c.name === 'cert-manager-controller'));
      const args: string[] = controller.spec.template.spec.containers.find((c: any) => c.name === 'cert-manager-controller').args;
      // cert-manager reads --controllers as a list: "*" then the ones it leaves out
      const flag = args.filter((a) => a.startsWith('--controllers='));
      expect(flag, r.application.name).toEqual([CERT_MANAGER_CONTROLLERS]);
      expect(flag[0].slice('--controllers='.length).split(','), r.application.name).toEqual(['*', '-ingress-shim', '-gateway-shim']);
    }
  });

  it('examples/aws: the Kyverno chart lets Kubernetes\' admin write namespaced policies, whose generate rules its background controller carries out with the right to write NetworkPolicies: the tenant fence keeps those groups from the teams', () => {
    const charts = renderedCharts('examples/aws', 'kyverno');
    expect(charts.length).toBeGreaterThan(0);
    for (const r of charts) {
      const objects = chartObjects(r).map((o) => o.object);
      const aggregated = objects.filter((o) => o.kind === 'ClusterRole' && o.metadata.labels?.['rbac.authorization.k8s.io/aggregate-to-admin'] === 'true');
      const writes = aggregated.flatMap((o) => o.rules).filter((rule: any) => rule.verbs.some((v: string) => ['create', 'update', 'patch', '*'].includes(v)));
      const groups = [...new Set(writes.flatMap((rule: any) => rule.apiGroups as string[]))];
      expect(groups.filter((g) => g.includes('kyverno')).length, r.application.name).toBeGreaterThan(0);
      for (const g of groups.filter((x) => x.includes('kyverno'))) expect((CONTROLLER_ACTING_API_GROUPS as readonly string[]).includes(g) || g.startsWith('reports.'), `${r.application.name} ${g}`).toBe(true);
      // the background controller's own rights (bound to its service account) include NetworkPolicies
      const background = objects.filter((o) => o.kind === 'ClusterRole' && /background-controller/.test(o.metadata.name));
      const netpol = background.flatMap((o) => o.rules ?? []).filter((rule: any) => rule.apiGroups.includes('networking.k8s.io') && rule.resources.includes('networkpolicies') && rule.verbs.includes('create'));
      expect(netpol.length, r.application.name).toBeGreaterThan(0);
    }
  });

  it('examples/aws: that Prometheus scrapes the cost metrics OpenCost exports, which OpenCost reads back', () => {
    for (const r of renderedCharts('examples/aws', 'opencost')) {
      const objects = chartObjects(r).map((o) => o.object);
      const service = objects.find((o) => o.kind === 'Service');
      const monitors = objects.filter((o) => o.kind === 'ServiceMonitor');
      // a ServiceMonitor of the chart selects OpenCost's Service, on a port the Service names, in its namespace
      const scraping = monitors.filter((m) => selectorMatches(m.spec.selector, service.metadata.labels)
        && m.spec.endpoints.some((e: any) => service.spec.ports.some((p: any) => p.name === e.port))
        && (m.spec.namespaceSelector?.matchNames ?? [r.application.namespace]).includes(r.application.namespace));
      expect(scraping.map((m) => m.metadata.name), r.application.name).toHaveLength(1);
      // and the cluster's Prometheus selects ServiceMonitors of every namespace, whatever their labels
      const prometheus = renderedCharts('examples/aws', 'kube-prometheus-stack').find((k) => k.application.cluster === r.application.cluster)!;
      const p = chartObjects(prometheus).map((o) => o.object).find((o) => o.kind === 'Prometheus');
      expect([p.spec.serviceMonitorSelector, p.spec.serviceMonitorNamespaceSelector], r.application.name).toEqual([{}, {}]);
    }
  });

  it('a platform with team services: the namespace tenant, the manifest-only entry and the tenant with cluster-scoped kinds are rendered and checked too', () => {
    const { files, rendered } = results.get('a platform with team services')!;
    // the manifest-only entry: its folder of this repository, no chart, on each targeted cluster
    expect(rendered.filter((r) => r.application.catalogEntry === 'shared-quotas').map((r) => [r.application.name, r.chart?.name, r.objects.map((o) => `${o.object.kind} ${o.origin}`)])).toEqual([
      ['mgmt-shared-quotas', undefined, ['ResourceQuota catalog/shared-quotas/manifests/all/resourcequota-shared.yaml']],
      ['staging-eu-shared-quotas', undefined, ['ResourceQuota catalog/shared-quotas/manifests/all/resourcequota-shared.yaml']],
    ]);
    // the namespace tenant's Application, in its own project (its objects come from the team's repository)
    expect(rendered.filter((r) => r.application.project === 'team-team-c').map((r) => `${r.application.name} -> ${r.application.cluster}/${r.application.namespace}`)).toEqual(['team-team-c-d1400130 -> staging-eu/team-c']);
    // the tenant project permits the opted-in kind and its services' Namespaces, nothing else cluster-scoped
    expect(parse(files.get('clusters/mgmt/argocd/appproject-tenant-team-a-staging.yaml')!).spec.clusterResourceWhitelist).toEqual([
      { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' }, { group: '', kind: 'Namespace', name: 'checkout' },
    ]);
  });

  it('a platform with team services: the AppProject check on the rendered output catches a seeded violation of each kind', () => {
    const { files, rendered } = results.get('a platform with team services')!;
    const byApp = new Map(rendered.map((r) => [r.application.name, chartObjects(r)]));
    const project = (name: string) => parse(files.get(`clusters/mgmt/argocd/appproject-${name}.yaml`)!);
    /** The denials after editing projects (by name: a new spec) and adding objects to Applications. */
    const denials = (specs: Record<string, object>, seeded: Record<string, object[]> = {}, edit?: (f: Map<string, string>) => void) => {
      const changed = new Map(files);
      for (const [name, spec] of Object.entries(specs)) changed.set(`clusters/mgmt/argocd/appproject-${name}.yaml`, stringify({ ...project(name), spec: { ...project(name).spec, ...spec } }));
      edit?.(changed);
      return checkOutputPermissions(changed, { extra: (a) => [...byApp.get(a.name) ?? [], ...(seeded[a.name] ?? []).map((object) => ({ object, origin: 'seeded' }))] }).denials.map(describeDenial);
    };
    const c = 'Application team-team-c-d1400130 (clusters/mgmt/argocd/application-team-team-c-d1400130.yaml, project team-team-c)';
    const s = 'Application team-a-staging-checkout (clusters/mgmt/argocd/applicationset-tenant-team-a-staging-services.yaml, project tenant-team-a-staging)';
    expect(denials({})).toEqual([]);
    // sourceRepos, destinations
    expect(denials({ 'team-team-c': { sourceRepos: ['https://github.com/acme/other.git'], destinations: [{ name: 'staging-eu', namespace: 'team-d' }] } })).toEqual([
      `${c}: application repo https://github.com/acme/team-c-apps.git is not permitted in project 'team-team-c'`,
      `${c}: application destination server '' and namespace 'team-c' do not match any of the allowed destinations in project 'team-team-c'`,
    ]);
    // a cluster-scoped kind an empty whitelist does not permit, a namespaced kind on the blacklist, a namespace outside the destinations
    expect(denials({}, { 'team-team-c-d1400130': [
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'x' } },
      { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'kube-system' } },
    ] })).toEqual([
      `${c}: rbac.authorization.k8s.io/ClusterRole x from seeded: resource rbac.authorization.k8s.io:ClusterRole is not permitted in project team-team-c`,
      `${c}: core/ResourceQuota team-c/q from seeded: resource :ResourceQuota is not permitted in project team-team-c`,
      `${c}: core/ConfigMap kube-system/c from seeded: namespace kube-system is not permitted in project 'team-team-c'`,
    ]);
    // a cluster-scoped whitelist by name, and a cluster-scoped blacklist
    expect(denials({ 'tenant-team-a-staging': { clusterResourceBlacklist: [{ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' }] } }, { 'team-a-staging-checkout': [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } },
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget' } } },
    ] })).toEqual([
      `${s}: core/Namespace kube-system from seeded: resource :Namespace is not permitted in project tenant-team-a-staging`,
      `${s}: apiextensions.k8s.io/CustomResourceDefinition widgets.example.com from seeded: resource apiextensions.k8s.io:CustomResourceDefinition is not permitted in project tenant-team-a-staging`,
    ]);
    // a namespaced whitelist: only Deployments
    const onlyDeployments = denials({ 'tenant-team-a-staging': { namespaceResourceWhitelist: [{ group: 'apps', kind: 'Deployment' }] } });
    expect(onlyDeployments).toContain(`${s}: core/Service checkout/checkout from tenants/team-a-staging/services/checkout/service-checkout.yaml: resource :Service is not permitted in project tenant-team-a-staging`);
    expect(onlyDeployments.filter((d) => d.includes('Deployment'))).toEqual([]);
    // the Namespace CreateNamespace=true creates (defect 1), and a project that does not exist
    expect(denials({ 'tenant-team-a-staging': { clusterResourceWhitelist: [] } }, {}, (f) => {
      f.set('clusters/mgmt/argocd/application-team-team-c-d1400130.yaml', f.get('clusters/mgmt/argocd/application-team-team-c-d1400130.yaml')!.replace('project: team-team-c', 'project: team-x'));
    })).toEqual([
      'Application team-team-c-d1400130 (clusters/mgmt/argocd/application-team-team-c-d1400130.yaml, project team-x): Application referencing project team-x which does not exist',
      `${s}: core/Namespace checkout from syncOptions CreateNamespace=true: resource :Namespace is not permitted in project tenant-team-a-staging`,
    ]);
  });

  it('examples/aws: each tenant API is routed and published on its host (defect 2): TLSRoute on a passthrough listener, its version served, external-dns reading TLSRoutes', () => {
    const { rendered } = results.get('examples/aws')!;
    const vclusters = rendered.filter((r) => r.chart?.name === 'vcluster');
    expect(vclusters.map((r) => `${r.application.name} on ${r.application.cluster}`).sort()).toEqual(['vcluster-team-a on dev', 'vcluster-team-a-prod on prod', 'vcluster-team-a-staging on staging', 'vcluster-team-b on dev']);
    for (const v of vclusters) {
      const tenant = v.application.name.replace(/^vcluster-/, '');
      const onHost = rendered.filter((r) => r.application.cluster === v.application.cluster).flatMap((r) => r.objects.map((o) => o.object));
      const [route] = v.objects.map((o) => o.object).filter((o) => o.kind === 'TLSRoute');
      expect(route.spec.hostnames).toEqual([`${tenant}.platform.acme.dev`]);
      // the parent Gateway is applied on the host, with a TLS passthrough listener that admits TLSRoutes from every namespace
      for (const ref of route.spec.parentRefs) {
        const gateway = onHost.find((o) => o.kind === 'Gateway' && o.metadata.name === ref.name && o.metadata.namespace === ref.namespace);
        expect(gateway, `${v.application.cluster}: Gateway ${ref.namespace}/${ref.name}`).toBeDefined();
        expect(gateway.spec.listeners.filter((l: any) => l.protocol === 'TLS' && l.tls?.mode === 'Passthrough' && l.allowedRoutes.namespaces.from === 'All' && l.allowedRoutes.kinds.some((k: any) => k.kind === 'TLSRoute'))).toHaveLength(1);
      }
      // the route's API version is served by a CustomResourceDefinition installed on the host
      const [group, version] = route.apiVersion.split('/');
      const crd = onHost.find((o) => o.kind === 'CustomResourceDefinition' && o.spec.group === group && o.spec.names.kind === 'TLSRoute');
      expect(crd.spec.versions.find((x: any) => x.name === version)?.served).toBe(true);
      // external-dns on the host reads TLSRoutes for the domain, and may list them
      const dns = rendered.find((r) => r.application.cluster === v.application.cluster && r.chart?.name === 'external-dns')!;
      const args: string[] = dns.objects.find((o) => o.object.kind === 'Deployment')!.object.spec.template.spec.containers[0].args;
      expect(args).toEqual(expect.arrayContaining(['--source=gateway-tlsroute', '--domain-filter=platform.acme.dev']));
      const rules = dns.objects.find((o) => o.object.kind === 'ClusterRole')!.object.rules;
      expect(rules.some((r: any) => r.apiGroups.includes(group) && r.resources.includes('tlsroutes') && ['list', 'watch'].every((x) => r.verbs.includes(x)))).toBe(true);
    }
  });

  it('passes each cluster\'s custom resource API versions to helm, as Argo CD passes what the destination serves', () => {
    const { rendered } = results.get('examples/aws')!;
    // kube-prometheus-stack installs the Prometheus operator's CRDs on prod-azure, where Loki runs too
    const loki = rendered.find((r) => r.application.name === 'prod-azure-loki')!;
    expect(loki.apiVersions).toContain('monitoring.coreos.com/v1');
    expect(loki.apiVersions).toContain('monitoring.coreos.com/v1/ServiceMonitor');
    // the management cluster runs no Prometheus operator
    expect(rendered.find((r) => r.application.name === 'argo-cd')!.apiVersions).not.toContain('monitoring.coreos.com/v1');
  });

  it('the team services render their namespace, and each service Application deploys only into it', () => {
    const { rendered } = results.get('a platform with team services')!;
    const checkout = rendered.find((r) => r.application.name === 'team-a-prod-checkout')!;
    expect(checkout.objects.map((o) => o.object.kind)).toContain('Deployment');
    expect(new Set(checkout.objects.map((o) => o.object.metadata?.namespace ?? 'checkout'))).toEqual(new Set(['checkout']));
  });

  it('docs/cli.md shows what the render command prints on examples/aws (its figures, from the same functions)', () => {
    const { files, rendered } = results.get('examples/aws')!;
    const scopes = new KindScopes();
    scopes.learn(rendered.flatMap((r) => r.objects.map((o) => o.object)));
    const manifests = plainManifests(rendered, (g, k) => scopes.namespaced(g, k));
    const denials = checkOutputPermissions(files, { extra: (a) => chartObjects(rendered.find((r) => r.application.name === a.name)!) }).denials;
    const policy = checkChartPolicies(files, rendered);
    const values = findUnusedValues(rendered, CACHE_DIR);
    // the render command's summary (its format: 'the render command' below)
    const printed = [
      `rendered ${rendered.length} Applications (${rendered.filter((r) => r.chart).length} with a chart) on ${manifests.size} clusters into rendered: ${[...manifests.values()].reduce((n, l) => n + l.length, 0)} objects`,
      `AppProject check: ${denials.length} problem(s); policy pass on chart output: ${policy.findings.length} finding(s), ${policy.excepted.length} covered by declared exceptions`,
      `  values not judged (the chart at hand stands in for the pinned release): ${values.notJudged.join(', ')}`,
      '',
    ].join('\n');
    expect(docBlocks(path.join(__dirname, '..', 'docs', 'cli.md')).filter((b) => b.code.startsWith('rendered ')).map((b) => b.code)).toEqual([printed]);
  });

  it('redacts every Secret value in the plain manifests', () => {
    const { rendered } = results.get('examples/aws')!;
    const scopes = new KindScopes();
    const manifests = plainManifests(rendered, (g, k) => scopes.namespaced(g, k));
    const secrets = [...manifests.values()].flat().filter((o) => o.object.kind === 'Secret' && (o.object.data || o.object.stringData));
    for (const s of secrets) for (const v of Object.values({ ...s.object.data, ...s.object.stringData })) expect(v).toBe(REDACTED);
  });
});

describe('plain manifests of objects the renders share', () => {
  it('give each Application its own namespace and redaction, and write a shared object as a lone one is written', () => {
    // one parsed template shared by two renders (two clusters of one chart): a namespaced
    // ConfigMap and a Secret with no namespace of their own, and a cluster-scoped CRD
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: 'yes' } };
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { token: 'hunter2' } };
    const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com' } };
    const shared = [cm, secret, crd].map((object) => ({ object, origin: 'demo 1.0.0: templates/all.yaml' }));
    const app = (cluster: string, namespace: string) => ({
      application: { name: `${cluster}-demo`, cluster, manifest: { spec: { destination: { name: cluster, namespace } } } },
      objects: shared, valuesLayers: [],
    }) as unknown as RenderedApplication;
    const scopes = new KindScopes();
    const namespaced = (g: string, k: string) => scopes.namespaced(g, k);
    const both = plainManifestFiles(plainManifests([app('dev', 'team-dev'), app('prod', 'team-prod')], namespaced));
    const alone = plainManifestFiles(plainManifests([app('prod', 'team-prod')], namespaced));
    const docs = (text: string) => text.split('---\n').map((d) => parse(d));
    expect(docs(both.get('dev/dev-demo.yaml')!).map((o) => o.metadata.namespace)).toEqual([undefined, 'team-dev', 'team-dev']);
    expect(docs(both.get('prod/prod-demo.yaml')!).map((o) => o.metadata.namespace)).toEqual([undefined, 'team-prod', 'team-prod']);
    expect(both.get('prod/prod-demo.yaml')).toBe(alone.get('prod/prod-demo.yaml'));
    expect(both.get('dev/dev-demo.yaml')).not.toContain('hunter2');
    // the shared objects themselves are left as they were
    expect(cm.metadata).toEqual({ name: 'cfg' });
    expect(secret.stringData).toEqual({ token: 'hunter2' });
  });
});

describe.skipIf(missing)('the AppProject check on chart output catches what Argo CD would refuse', () => {
  it('an entry in its own project whose chart writes outside the entry\'s namespace (cert-manager\'s leader-election Role in kube-system)', async () => {
    const p = azurePlatform();
    azureMgmt(p, { labels: { 'security-basic': 'enabled' } });
    new ServiceCatalogEntry(p, 'cert-manager', { chart: CHARTS.certManager, namespace: 'cert-manager', targets: ClusterSelector.labels({ 'security-basic': 'enabled' }), ownProject: true });
    const files = p.render();
    const rendered = await renderApplications(files, charts());
    expect(() => expectPlatform(new RenderedPlatform(files)).toBePermittedByProjects({ rendered: new Map(rendered.map((r) => [r.application.name, chartObjects(r)])) }))
      .toThrow("Application mgmt-cert-manager (clusters/mgmt/argocd/applicationset-cert-manager.yaml, project cert-manager): rbac.authorization.k8s.io/Role kube-system/cert-manager:leaderelection from cert-manager v1.21.1: cert-manager/templates/rbac.yaml: namespace kube-system is not permitted in project 'cert-manager'");
  });
});

describe.skipIf(missing)('the policy pass on chart output catches a seeded violation of each kind', () => {
  it('a container that may run as root, a hostPath volume, a container without a memory limit, a Secret with data', async () => {
    // the synth-time pass already refuses a Secret with data inside the values (extraObjects):
    // lowered to a warning here so that the seeded values reach helm and the chart-output pass
    const p = azurePlatform({ policies: { [SecurityRule.NO_SECRET_DATA]: PolicySeverity.WARNING } });
    azureMgmt(p, { labels: { 'security-basic': 'enabled' } });
    Catalog.certManager(p, {
      values: {
        securityContext: { runAsNonRoot: null },
        resources: { limits: null },
        volumes: [{ name: 'node-etc', hostPath: { path: '/etc' } }],
        extraObjects: ['apiVersion: v1\nkind: Secret\nmetadata:\n  name: seeded\nstringData:\n  password: not-a-real-one\n'],
      },
    });
    const files = p.render();
    const result = checkChartPolicies(files, await renderApplications(files, charts()));
    expect(result.findings.map((f) => `${f.rule}: ${f.object}`).sort()).toEqual([
      'no-host-path: Deployment/cert-manager',
      'no-privileged-or-root-containers: Deployment/cert-manager',
      'no-secret-data: Secret/seeded',
      'resource-limits: Deployment/cert-manager',
    ]);
    expect(result.findings.find((f) => f.rule === SecurityRule.NO_HOST_PATH)!.message).toBe('no-host-path in "cert-manager v1.21.1: cert-manager/templates/deployment.yaml": got Deployment "cert-manager" with hostPath volumes "node-etc" ("/etc"). Allowed: volumes that do not reach into the node\'s file system. Fix: use an emptyDir, a ConfigMap, a Secret or a persistent volume claim, or declare a policy exception for the catalog entry that needs it.');
    expect(result.findings[0].applications).toEqual(['mgmt-cert-manager']);
  });

  it('kube-prometheus-stack\'s node-exporter DaemonSet (its subchart, which reads the node\'s /proc, /sys and /) is covered by the entry\'s built-in exception', async () => {
    const p = azurePlatform();
    azureMgmt(p, { labels: { 'monitoring-basic': 'enabled' } });
    Catalog.kubePrometheusStack(p, { targets: ClusterSelector.labels({ 'monitoring-basic': 'enabled' }) });
    const files = p.render();
    const rendered = await renderApplications(files, charts());
    const stack = rendered.find((r) => r.chart?.name === 'kube-prometheus-stack')!;
    expect(stack, 'kube-prometheus-stack rendered').toBeDefined();
    // the subchart is not in the shared chart sources: its DaemonSet as prometheus-node-exporter 4.56.1
    // renders it (the chart's fullname, <release>-prometheus-node-exporter, and its three hostPath volumes)
    const release = stack.objects.find((o) => o.object.metadata?.labels?.release)?.object.metadata.labels.release ?? 'kube-prometheus-stack';
    const daemonSet = {
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: `${release}-prometheus-node-exporter`, namespace: 'monitoring' },
      spec: {
        template: {
          spec: {
            hostNetwork: true, hostPID: true,
            securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534 },
            containers: [{
              name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.9.1',
              securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
              resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
              volumeMounts: [{ name: 'proc', mountPath: '/host/proc', readOnly: true }, { name: 'sys', mountPath: '/host/sys', readOnly: true }, { name: 'root', mountPath: '/host/root', readOnly: true }],
            }],
            volumes: [{ name: 'proc', hostPath: { path: '/proc' } }, { name: 'sys', hostPath: { path: '/sys' } }, { name: 'root', hostPath: { path: '/' } }],
          },
        },
      },
    };
    const origin = `${stack.chart!.name} ${stack.chart!.version}: kube-prometheus-stack/charts/prometheus-node-exporter/templates/daemonset.yaml`;
    const withSubchart = rendered.map((r) => (r === stack ? { ...r, objects: [...r.objects, { object: daemonSet, origin }] } : r));
    const result = checkChartPolicies(files, withSubchart);
    expect(result.findings.map((f) => `${f.rule}: ${f.object}`)).toEqual([]);
    expect(result.excepted.map((f) => `${f.rule}: ${f.object}`)).toContain(`no-host-path: DaemonSet/${release}-prometheus-node-exporter`);
  });

  it('an exception the user declares on the entry covers its objects, and PLATFORM.md lists it', async () => {
    const p = azurePlatform();
    azureMgmt(p, { labels: { 'security-basic': 'enabled' } });
    const reason = 'the controller reads the node\'s trust bundle from /etc/ssl';
    Catalog.certManager(p, {
      values: { volumes: [{ name: 'node-ssl', hostPath: { path: '/etc/ssl' } }] },
      policyExceptions: [{ rule: SecurityRule.NO_HOST_PATH, reason, objects: ['Deployment/cert-manager'] }],
    });
    const files = p.render();
    const result = checkChartPolicies(files, await renderApplications(files, charts()));
    expect(result.findings).toEqual([]);
    expect(result.excepted.map((f) => `${f.rule}: ${f.object}`)).toContain('no-host-path: Deployment/cert-manager');
    expect(files.get('PLATFORM.md')).toContain(`| cert-manager | no-host-path | Deployment/cert-manager | ${reason} |`);
  });
});

describe.skipIf(missing)('unused values keys', () => {
  it('names the keys of the user\'s values the exact pinned chart neither defaults nor reads (typos), once per chart', async () => {
    const p = azurePlatform();
    azureMgmt(p, { labels: { 'security-basic': 'enabled', 'storage-basic': 'enabled' } });
    Catalog.nfsProvisioner(p, { server: 'nfs.acme.internal', path: '/exports', values: { nfs: { serverr: 'x' }, storageClas: { name: 'y' }, podAnnotations: { a: 'b' } } });
    const result = findUnusedValues(await renderApplications(p.render(), charts()), CACHE_DIR);
    expect(result.unused).toEqual([
      { chart: 'nfs-subdir-external-provisioner 4.0.18', key: 'nfs.serverr', applications: ['mgmt-nfs-provisioner'], entry: 'nfs-provisioner' },
      { chart: 'nfs-subdir-external-provisioner 4.0.18', key: 'storageClas', applications: ['mgmt-nfs-provisioner'], entry: 'nfs-provisioner' },
    ]);
  });

  it('follows template variables, judges a subchart\'s keys against the subchart, and never global', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-'));
    const write = (f: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), text);
    };
    write('Chart.yaml', 'apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: sub\n    version: 0.1.0\n    condition: sub.enabled\n  - name: absent\n    version: 0.1.0\n');
    write('values.yaml', 'image:\n  tag: "1"\nextra: {}\n');
    write('templates/deploy.yaml', '{{- $img := .Values.image -}}\nimage: {{ $img.tag }} {{ index .Values "server" "port" }}\n{{ toYaml .Values.extra }}\n');
    write('charts/sub/Chart.yaml', 'apiVersion: v2\nname: sub\nversion: 0.1.0\n');
    write('charts/sub/values.yaml', 'replicas: 1\n');
    write('charts/sub/templates/x.yaml', 'r: {{ .Values.replicas }} {{ .Values.port }}\n');
    const chart = { name: 'app', version: '1.0.0', path: dir, standIn: false, digest: '' };
    const application = { name: 'app', cluster: 'c' } as RenderedApplication['application'];
    const values = 'image:\n  tag: "2"\n  pullPolicy: Always\nserver:\n  port: 80\n  host: x\nextra:\n  anything: 1\nsub:\n  enabled: true\n  replicas: 2\n  port: 1\n  replicass: 3\nabsent:\n  whatever: 1\nglobal:\n  anything: 1\ntypo: 1\n';
    const result = findUnusedValues([{ application, chart, objects: [], valuesLayers: [values] }], path.join(dir, 'cache'));
    fs.rmSync(dir, { recursive: true, force: true });
    expect(result.unused.map((u) => u.key)).toEqual(['image.pullPolicy', 'server.host', 'sub.replicass', 'typo']);
  });

  it('does not judge a stand-in: argo-workflows 2.0.1 added executor.image.nonroot, which the 1.0.18 standing in cannot know', async () => {
    const p = azurePlatform();
    azureMgmt(p, { labels: { 'security-basic': 'enabled' } });
    Catalog.argoWorkflows(p); // its values set executor.image.nonroot
    // the stand-in is recognised from its Chart.yaml version even when not declared
    const result = findUnusedValues(await renderApplications(p.render(), { ...charts(), standIns: [] }), CACHE_DIR);
    expect(result).toEqual({ unused: [], notJudged: ['argo-workflows 2.0.1'] });
  });
});

describe.skipIf(missing)('the render command', () => {
  it('writes one file per Application under each cluster, and names a missing chart as an error with its fix', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'render-cli-'));
    try {
      const p = azurePlatform({ outdir: path.join(work, 'dist') });
      azureMgmt(p);
      p.synth();
      // (the synth's warning about security-basic is expected here)
      const c = charts();
      const r = await runCli(['render', '--from', 'dist', '--out', 'rendered', '--charts', c.chartsDir, '--cache', c.cacheDir, '--helm', c.helm], work);
      expect(r.err).toBe('');
      expect(r.out).toMatch(/^rendered 3 Applications \(2 with a chart\) on 1 clusters into rendered: \d+ objects\nAppProject check: 0 problem\(s\); policy pass on chart output: 0 finding\(s\), \d+ covered by declared exceptions\n$/);
      expect(r.code).toBe(0);
      expect(fs.readdirSync(path.join(work, 'rendered', 'mgmt')).sort()).toEqual(['argo-cd.yaml', 'external-secrets.yaml', 'root.yaml']);
      expect(fs.readFileSync(path.join(work, 'rendered', 'mgmt', 'argo-cd.yaml'), 'utf8')).toContain('# Source: argo-cd 10.1.1: argo-cd/templates/argocd-server/deployment.yaml\n');
      const bad = await runCli(['render', '--from', 'dist', '--out', 'rendered', '--charts', work, '--cache', path.join(work, 'cache'), '--helm', c.helm], work);
      expect(bad.code).toBe(1);
      expect(bad.err).toMatch(/^error: Application argo-cd \(clusters\/mgmt\/argocd\/application-argo-cd\.yaml\): chart argo-cd 10\.1\.1 \(https:\/\/argoproj\.github\.io\/argo-helm\) not found: looked in /);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});

describe.skipIf(missing)('a tenant at the restricted Pod Security level', () => {
  it('its vcluster chart renders pods the restricted level admits (the distro\'s init container included)', async () => {
    const platform = azurePlatform();
    const mgmt = azureMgmt(platform);
    new TenantVCluster(mgmt, 'team-r', { owners: Group.named('team-r'), podSecurity: PodSecurityLevel.RESTRICTED });
    const files = platform.render();
    // the namespace enforces it
    expect(parse(files.get('clusters/mgmt/_cluster/namespace-vcluster-team-r.yaml')!).metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const [r] = await renderApplications(files, { ...charts(), filter: (a) => a.name === 'vcluster-team-r' });
    const pods = chartObjects(r).filter((o) => podSpecOf(o.object));
    expect(pods.map((o) => `${o.object.kind}/${o.object.metadata.name}`)).toContain('StatefulSet/vcluster-team-r');
    for (const o of pods) expect(restrictedViolations(podSpecOf(o.object)), `${o.object.kind}/${o.object.metadata.name}`).toEqual([]);
  });
});

describe.skipIf(missing)('a tenant removed from code keeps its data until someone deletes it', () => {
  it('Argo CD never prunes the tenant\'s namespace, and the vCluster\'s StatefulSet, should it be deleted, leaves its volume claim', async () => {
    const platform = azurePlatform();
    const mgmt = azureMgmt(platform);
    new TenantVCluster(mgmt, 'team-r', { owners: Group.named('team-r') });
    const files = platform.render();
    // the host folder's Application prunes what leaves Git, but not this namespace (and so not the claims in it)
    expect(parse(files.get('clusters/mgmt/_cluster/namespace-vcluster-team-r.yaml')!).metadata.annotations).toMatchObject({ 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' });
    // the tenant's vCluster Application has no finalizer (deleted, it leaves the vCluster running); whoever deletes the StatefulSet leaves its claim
    expect(parse(files.get('clusters/mgmt/argocd/application-vcluster-team-r.yaml')!).metadata.finalizers).toBeUndefined();
    const [r] = await renderApplications(files, { ...charts(), filter: (a) => a.name === 'vcluster-team-r' });
    const sts = chartObjects(r).map((o) => o.object).find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'vcluster-team-r');
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual(expect.objectContaining({ whenDeleted: 'Retain' }));
    expect(sts.spec.volumeClaimTemplates.map((t: any) => t.metadata.name)).toEqual(['data']);
  });
});

describe.skipIf(missing)('the management cluster\'s External Secrets never prunes its CRDs', () => {
  it('its Application does not prune (as the catalog\'s entries): a values or chart change that dropped a CRD would delete every ExternalSecret, and with them the fleet\'s registrations', async () => {
    const platform = azurePlatform();
    azureMgmt(platform);
    const [r] = await renderApplications(platform.render(), { ...charts(), filter: (a) => a.name === 'external-secrets' });
    expect(r.application.manifest.spec.syncPolicy.automated).toEqual({ prune: false, selfHeal: true });
    // what a prune could take: the chart's CRDs, among them the ExternalSecret kind the registrations are made of
    const crds = chartObjects(r).map((o) => o.object).filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name);
    expect(crds).toEqual(expect.arrayContaining(['externalsecrets.external-secrets.io', 'clustersecretstores.external-secrets.io', 'pushsecrets.external-secrets.io']));
  });
});

describe.skipIf(missing)('chart rendering errors', () => {
  it('names the chart, where it looked and how to get it when a chart is missing', async () => {
    const p = azurePlatform();
    azureMgmt(p, { labels: { 'security-basic': 'enabled' } });
    Catalog.vault(p);
    await expect(renderApplications(p.render(), { ...charts(), filter: (a) => a.catalogEntry === 'vault' })).rejects.toThrow(/Application mgmt-vault \(clusters\/mgmt\/argocd\/applicationset-vault\.yaml\): chart vault 0\.34\.1 \(https:\/\/helm\.releases\.hashicorp\.com\) not found: looked in .*vault-0\.34\.1, .*vault-0\.34\.1\.tgz, .*vault-0\.34\.1\.tgz\. Fix: put the chart there \(`helm pull vault --repo https:\/\/helm\.releases\.hashicorp\.com --version 0\.34\.1`\), or allow pulling \(option pull \/ --pull\)\./);
  });

  it('says how to install helm when the binary is missing', async () => {
    const p = azurePlatform();
    azureMgmt(p);
    await expect(renderApplications(p.render(), { ...charts(), helm: '/nonexistent/helm', cacheDir: `${CACHE_DIR}/no-helm-${process.pid}` }))
      .rejects.toThrow(('Application argo-cd (clusters/mgmt/argocd/application-argo-cd.yaml): helm not found: "/nonexistent/helm". Fix: install helm 3.8+ (or 4.x) on the PATH, or pass its path (option helm / HELM_BIN).'));
  });
});

describe.skipIf(missing)('helm template as Argo CD\'s repo server runs it', () => {
  it('shares a template two renders give word for word, and names the chart and version each object comes from', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charts-'));
    try {
      // two versions of a chart with the same templates (helm's text is the same), each rendered for two clusters
      for (const version of ['1.0.0', '2.0.0']) {
        fs.mkdirSync(path.join(dir, `twin-${version}`, 'templates'), { recursive: true });
        fs.writeFileSync(path.join(dir, `twin-${version}`, 'Chart.yaml'), `apiVersion: v2\nname: twin\nversion: ${version}\n`);
        fs.writeFileSync(path.join(dir, `twin-${version}`, 'templates', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\ndata:\n  a: b\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: per-cluster\ndata:\n  kube: {{ .Capabilities.KubeVersion.Version | quote }}\n');
      }
      const p = azurePlatform();
      const mgmt = azureMgmt(p, { labels: { 'security-basic': 'enabled' } });
      for (const [i, id] of ['dev-1', 'dev-2'].entries()) new FleetCluster(mgmt, id, { environment: 'dev', cloud: aksCloud(`10.${20 + i}.0.0/16`, { kubernetesVersion: `1.3${2 + i}` }), labels: { 'security-basic': 'enabled', 'probe': 'on' } });
      for (const [id, version] of [['old', '1.0.0'], ['new', '2.0.0']]) {
        new ServiceCatalogEntry(p, id, { chart: HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'twin', version }), namespace: id, targets: ClusterSelector.labels({ probe: 'on' }) });
      }
      const rendered = await renderApplications(p.render(), { ...charts(), chartsDir: dir, cacheDir: path.join(dir, 'cache'), filter: (a) => a.chart?.repoURL === 'https://charts.example.dev' });
      const objects = (app: string) => chartObjects(rendered.find((r) => r.application.name === app)!);
      const named = (app: string, name: string) => objects(app).find((o) => o.object.metadata.name === name)!;
      // each object names its own chart version, whatever the other version rendered
      for (const [app, version] of [['dev-1-old', '1.0.0'], ['dev-2-old', '1.0.0'], ['dev-1-new', '2.0.0'], ['dev-2-new', '2.0.0']]) {
        expect(objects(app).map((o) => o.origin), app).toEqual([`twin ${version}: twin/templates/cm.yaml`, `twin ${version}: twin/templates/cm.yaml`]);
      }
      // a template the same on both clusters is one object; one that differs is one per cluster
      expect(named('dev-1-old', 'same').object).toBe(named('dev-2-old', 'same').object);
      expect(named('dev-1-old', 'per-cluster').object.data).toEqual({ kube: 'v1.32' });
      expect(named('dev-2-old', 'per-cluster').object.data).toEqual({ kube: 'v1.33' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('release name, destination namespace, the cluster\'s Kubernetes version, value files in order, then values, then parameters, CRDs included', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charts-'));
    try {
      const write = (f: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.writeFileSync(path.join(dir, f), text);
      };
      write('probe-1.0.0/Chart.yaml', 'apiVersion: v2\nname: probe\nversion: 1.0.0\n');
      write('probe-1.0.0/values.yaml', 'a: chart\nb: chart\nc: chart\nd: chart\ne: chart\n');
      write('probe-1.0.0/crds/widgets.yaml', 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n  names: { kind: Widget, plural: widgets }\n  versions: [{ name: v1, served: true, storage: true, schema: { openAPIV3Schema: { type: object } } }]\n');
      write('probe-1.0.0/templates/probe.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: probe\ndata:\n  release: {{ .Release.Name }}\n  namespace: {{ .Release.Namespace }}\n  kube: {{ .Capabilities.KubeVersion.Version | quote }}\n  a: {{ .Values.a }}\n  b: {{ .Values.b }}\n  c: {{ .Values.c }}\n  d: {{ .Values.d | quote }}\n  e: {{ kindOf .Values.e }}\n');
      const p = azurePlatform();
      const mgmt = azureMgmt(p, { labels: { 'security-basic': 'enabled' } });
      new FleetCluster(mgmt, 'dev-1', { environment: 'dev', cloud: aksCloud('10.20.0.0/16', { kubernetesVersion: '1.32' }), labels: { 'security-basic': 'enabled', 'probe': 'on' } });
      // a catalog entry (release name: the entry's): the catalog's value file, then the environment's, then the cluster's
      new ServiceCatalogEntry(p, 'probe', {
        chart: HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'probe', version: '1.0.0' }),
        namespace: 'probes', targets: ClusterSelector.labels({ probe: 'on' }),
        values: { a: 'catalog', b: 'catalog', c: 'catalog' }, environmentValues: { dev: { b: 'environment', c: 'environment' } }, clusterValues: { 'dev-1': { c: 'cluster' } },
      });
      // an Application of the user's: values, then parameters (--set, and --set-string with forceString)
      new ApiObject((p.node.findChild('mgmt') as ManagementCluster).chart, 'raw', {
        apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'raw-probe', namespace: 'argocd' },
        spec: {
          project: 'platform', destination: { name: 'mgmt', namespace: 'raw' },
          source: { repoURL: 'https://charts.example.dev', chart: 'probe', targetRevision: '1.0.0', helm: { releaseName: 'custom', values: 'a: values\nd: values\ne: 1\n', parameters: [{ name: 'd', value: '5' }, { name: 'e', value: '5', forceString: true }] } },
        },
      });
      const files = p.render();
      // the synth's AppProject check runs with parameters (only the merged values of the offline expansion cannot model them)
      expect(p.warnings.filter((w) => w.message.startsWith('AppProject permissions not checked'))).toEqual([]);
      expect(() => expand(p)).toThrow('Application raw-probe (clusters/mgmt/argocd/application-raw-probe.yaml): helm.parameters are not supported by the offline expansion. Fix: use valuesObject.');
      const rendered = await renderApplications(files, { ...charts(), chartsDir: dir, filter: (a) => a.name.endsWith('probe') });
      const data = (name: string) => rendered.find((r) => r.application.name === name)!.objects.find((o) => o.object.kind === 'ConfigMap')!.object.data;
      expect(data('dev-1-probe')).toEqual({ release: 'probe', namespace: 'probes', kube: 'v1.32', a: 'catalog', b: 'environment', c: 'cluster', d: 'chart', e: 'string' });
      expect(data('raw-probe')).toEqual({ release: 'custom', namespace: 'raw', kube: 'v1.35', a: 'values', b: 'chart', c: 'chart', d: '5', e: 'string' });
      expect(rendered.find((r) => r.application.name === 'dev-1-probe')!.objects.filter((o) => o.object.kind === 'CustomResourceDefinition').map((o) => o.object.metadata.name)).toEqual(['widgets.example.com']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
