import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Service } from 'kubernetes-models/v1';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Catalog, ClusterSelector, checkOutputPermissions, expand, expectPlatform, FleetCluster, Group, HelmChart, HostRole, renderApplications, ServiceCatalogEntry, ServiceSize, TeamService, TeamServiceProps, TenantVCluster } from '../src';
import { projectPermissions, resourceDenial } from '../src/argocd/app-project';
import { selectorMatches } from '../src/testing/selector';
import { awsMgmt, awsPlatform, eksCloud } from './support/fixtures';
import { CACHE_DIR, chartToolsMissing, helmBinary, preparedCharts } from './support/helm';
import { modelOf } from './support/models';
import { admissionObjects, refusals } from './support/admission';
import { pinsRepo } from './support/pins';
import { compileValuesSchema, crdErrors, HAS_SCHEMAS } from './support/schemas';

const secure = { 'security-basic': 'enabled', 'core-basic': 'enabled' };
const SHA = (c: string) => c.repeat(40);

const STAGING_PIN = { cluster: 'vc-team-a-staging', imageTag: '1.5.0-bbbbbbb', targetRevision: SHA('b') };
const PROD_PIN = { cluster: 'vc-team-a-prod', imageTag: '1.4.2-aaaaaaa', targetRevision: SHA('a') };
const goodPins = (extra: Record<string, unknown> = {}) => pinsRepo({
  'services/team-a/checkout/staging.json': STAGING_PIN,
  'services/team-a/checkout/prod.json': PROD_PIN,
  ...extra,
});

/** Team A has one tenant per environment: staging on a fleet cluster, prod on the management cluster. */
function teamPlatform() {
  const platform = awsPlatform({ environments: ['staging', 'prod'] });
  const mgmt = awsMgmt(platform, { labels: secure });
  const staging = new FleetCluster(mgmt, 'staging-eu', { environment: 'staging', cloud: eksCloud('10.20.0.0/16'), labels: secure });
  Catalog.externalSecrets(platform);
  Catalog.gatewayApi(platform, { https: {} });
  Catalog.certManager(platform); // the HTTPS listener's wildcard Certificate
  const owners = Group.named('team-a');
  const tStaging = new TenantVCluster(staging, 'team-a-staging', { owners });
  const tProd = new TenantVCluster(mgmt, 'team-a-prod', { owners });
  return { platform, mgmt, staging, tStaging, tProd };
}

const base: TeamServiceProps = { team: 'team-a', image: 'ghcr.io/acme/checkout', port: 8080 };

function checkout(extra: Partial<TeamServiceProps> = {}, root = goodPins()) {
  const t = teamPlatform();
  const service = new TeamService(t.tProd, 'checkout', { ...base, repositoryRoot: root, ...extra });
  return { ...t, service, files: t.platform.render() };
}

const full: Partial<TeamServiceProps> = {
  env: { LOG_LEVEL: 'info' },
  secrets: [{ name: 'API_KEY', key: 'team-a/checkout/api', property: 'key' }],
  metrics: {},
  database: { apiVersion: 'platform.acme.dev/v1alpha1', kind: 'PostgreSQLInstance', plural: 'postgresqlinstances', parameters: { storageGB: 20 } },
  migration: { command: ['./migrate', 'up'] },
};

const get = (files: Map<string, string>, f: string) => {
  const text = files.get(f);
  if (!text) throw new Error(`${f} not rendered; have: ${[...files.keys()].filter((k) => k.startsWith('tenants/')).join(', ')}`);
  return parse(text);
};
const serviceFiles = (files: Map<string, string>, tenant: string) =>
  [...files.keys()].filter((f) => f.startsWith(`tenants/${tenant}/services/checkout/`)).map((f) => f.split('/').pop());

describe('TeamService: sizes against the tenant\'s quota', () => {
  it('warns when the services pinned to a tenant, at their autoscalers\' maximum, need more than its ResourceQuota allows', () => {
    const over = (platform: { warnings: readonly { path: string; message: string }[] }) => platform.warnings.filter((w) => w.message.includes('need, at their autoscalers\' maximum'));
    // small: 4 replicas of 500m / 256Mi fit the default quota (limits 20 CPU / 40Gi, 30 pods)
    expect(over(checkout().platform)).toEqual([]);
    // large: 12 replicas of 2 CPU / 1Gi limits, 500m / 512Mi requests
    const { platform } = checkout({ size: ServiceSize.LARGE });
    const why = ' need, at their autoscalers\' maximum, more than its ResourceQuota allows (limits.cpu 24 against 20), '
      + 'besides the virtual cluster\'s own pods: the pods past it are refused on the host and stay Pending in the virtual cluster, so the service stops scaling there. '
      + 'Fix: raise the tenant\'s quota (quota.limitsCpu, quota.limitsMemory, quota.cpu, quota.memory, quota.pods), or give a service a smaller size.';
    expect(over(platform).map((w) => `[${w.path}] ${w.message}`)).toEqual([
      `[platform/mgmt/staging-eu/team-a-staging] the team services of tenant "team-a-staging" (checkout (staging): up to 12 replicas)${why}`,
      `[platform/mgmt/team-a-prod] the team services of tenant "team-a-prod" (checkout (prod): up to 12 replicas)${why}`,
    ]);
  });
});

describe('TeamService: the golden workload', () => {
  it('renders each environment into the folder of the tenant its pin targets', () => {
    const { files } = checkout(full);
    // the ServiceMonitor and the database claim are the host's (see 'the host side' below)
    const all = ['deployment-checkout.yaml', 'externalsecret-checkout-secrets.yaml', 'horizontalpodautoscaler-checkout.yaml',
      'httproute-checkout.yaml', 'job-checkout-migrate.yaml', 'poddisruptionbudget-checkout.yaml', 'service-checkout.yaml'];
    expect(serviceFiles(files, 'team-a-prod')).toEqual(all);
    expect(serviceFiles(files, 'team-a-staging')).toEqual(all);
    expect(get(files, 'tenants/team-a-prod/services/checkout/deployment-checkout.yaml').metadata.namespace).toBe('checkout');
  });

  it('gives each environment its own commit-pinned image and revision', () => {
    const { files } = checkout(full);
    const image = (tenant: string, kind: string) => get(files, `tenants/${tenant}/services/checkout/${kind}.yaml`).spec.template.spec.containers[0].image;
    expect(image('team-a-prod', 'deployment-checkout')).toBe('ghcr.io/acme/checkout:1.4.2-aaaaaaa');
    expect(image('team-a-staging', 'deployment-checkout')).toBe('ghcr.io/acme/checkout:1.5.0-bbbbbbb');
    expect(image('team-a-prod', 'job-checkout-migrate')).toBe('ghcr.io/acme/checkout:1.4.2-aaaaaaa');
    const d = get(files, 'tenants/team-a-staging/services/checkout/deployment-checkout.yaml');
    expect(d.spec.template.metadata.annotations).toEqual({ 'cdk8s-gitops-platform/source-revision': SHA('b') });
    expect(d.metadata.labels.environment).toBe('staging');
  });

  it('pins by digest too', () => {
    const digest = `sha256:${'c'.repeat(64)}`;
    const { files } = checkout({}, goodPins({ 'services/team-a/checkout/prod.json': { ...PROD_PIN, imageTag: digest } }));
    expect(get(files, 'tenants/team-a-prod/services/checkout/deployment-checkout.yaml').spec.template.spec.containers[0].image).toBe(`ghcr.io/acme/checkout@${digest}`);
  });

  it('is secure by default: non-root, no privilege, read-only root file system, every capability dropped, requests and limits, probes, no ":latest"', () => {
    const { files } = checkout(full);
    for (const kind of ['deployment-checkout', 'job-checkout-migrate']) {
      for (const tenant of ['team-a-prod', 'team-a-staging']) {
        const pod = get(files, `tenants/${tenant}/services/checkout/${kind}.yaml`).spec.template.spec;
        expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
        expect(pod.automountServiceAccountToken).toBe(false);
        expect(pod.hostNetwork).toBe(false);
        for (const c of pod.containers) {
          expect(c.securityContext).toEqual({
            allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true,
            runAsGroup: 10001, runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' },
          });
          expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
          expect(c.image).not.toMatch(/:latest$/);
          expect(c.image).toMatch(/:[\w.-]*[0-9a-f]{7}|@sha256:/);
        }
      }
    }
    const d = get(files, 'tenants/team-a-prod/services/checkout/deployment-checkout.yaml');
    const c = d.spec.template.spec.containers[0];
    expect(c.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 8080, scheme: 'HTTP' });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 8080, scheme: 'HTTP' });
    expect(d.spec.template.spec.topologySpreadConstraints.map((t: any) => t.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    expect(d.spec.replicas).toBeUndefined();
    expect(d.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'checkout' } });
    expect(d.spec.template.metadata.labels['cdk8s.io/metadata.addr']).toBeUndefined();
  });

  it('sizes replicas and resources with ServiceSize', () => {
    const { files } = checkout({ size: ServiceSize.LARGE });
    const hpa = get(files, 'tenants/team-a-prod/services/checkout/horizontalpodautoscaler-checkout.yaml');
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 12, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout' } });
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
    const c = get(files, 'tenants/team-a-prod/services/checkout/deployment-checkout.yaml').spec.template.spec.containers[0];
    expect(c.resources).toEqual({ requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } });
    expect(get(files, 'tenants/team-a-prod/services/checkout/poddisruptionbudget-checkout.yaml').spec).toEqual({ minAvailable: 2, selector: { matchLabels: { 'app.kubernetes.io/name': 'checkout' } } });
  });

  it.each([ServiceSize.SMALL, ServiceSize.MEDIUM, ServiceSize.LARGE])('%s: its budget lets a drain of the host\'s nodes evict one pod at a time, where vCluster makes a Service each pod\'s controller', (size) => {
    const { files } = checkout({ ...full, size });
    const dir = 'tenants/team-a-prod/services/checkout';
    const pdb = get(files, `${dir}/poddisruptionbudget-checkout.yaml`);
    const hpa = get(files, `${dir}/horizontalpodautoscaler-checkout.yaml`);
    // vCluster syncs the budget to the host; there each pod's controller reference names the vCluster's
    // Service (setOwner), which has no scale subresource. Kubernetes' disruption controller
    // (pkg/controller/disruption: getExpectedPodCount) needs the controller's scale for maxUnavailable and
    // for a percentage, and on that error allows no disruption at all; an integer minAvailable it takes as is
    const allowed = (healthy: number) => (Number.isInteger(pdb.spec.minAvailable) && pdb.spec.maxUnavailable === undefined ? Math.max(0, healthy - pdb.spec.minAvailable) : 0);
    expect(allowed(hpa.spec.minReplicas)).toBe(1);
    expect(allowed(hpa.spec.maxReplicas)).toBe(hpa.spec.maxReplicas - hpa.spec.minReplicas + 1);
    // it guards the Deployment's pods, not the migration Job's (both carry the service's name)
    const podLabels = (f: string) => get(files, `${dir}/${f}`).spec.template.metadata.labels;
    expect(selectorMatches(pdb.spec.selector, podLabels('deployment-checkout.yaml'))).toBe(true);
    expect(selectorMatches(pdb.spec.selector, podLabels('job-checkout-migrate.yaml'))).toBe(false);
  });

  it('exposes HTTPS through an HTTPRoute on the shared Gateway\'s HTTPS listener, with the external-dns host, per environment', () => {
    const { files } = checkout();
    const route = get(files, 'tenants/team-a-prod/services/checkout/httproute-checkout.yaml');
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.metadata.annotations).toEqual({ 'external-dns.alpha.kubernetes.io/hostname': 'checkout-team-a.apps.platform.acme.dev' });
    expect(route.spec).toEqual({
      parentRefs: [{ name: 'public', namespace: 'envoy-gateway-system', sectionName: 'https' }],
      hostnames: ['checkout-team-a.apps.platform.acme.dev'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'checkout', port: 80 }] }],
    });
    expect(get(files, 'tenants/team-a-staging/services/checkout/httproute-checkout.yaml').spec.hostnames).toEqual(['checkout-team-a-staging.apps.platform.acme.dev']);
    // TLS is the Gateway's: no per-service Certificate (the wildcard listener's certificate covers every service name)
    expect([...files.keys()].filter((f) => f.startsWith('tenants/') && f.includes('certificate'))).toEqual([]);
    const svc = get(files, 'tenants/team-a-prod/services/checkout/service-checkout.yaml');
    expect(svc.spec.selector).toEqual({ 'app.kubernetes.io/name': 'checkout' });
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http' }]);
  });

  it('reads secrets through an ExternalSecret from the team\'s store and restarts on change (Reloader)', () => {
    const { files } = checkout(full);
    const es = get(files, 'tenants/team-a-prod/services/checkout/externalsecret-checkout-secrets.yaml');
    expect(es.spec).toEqual({
      refreshInterval: '1h',
      secretStoreRef: { kind: 'SecretStore', name: 'team-secrets' },
      target: { name: 'checkout-secrets', creationPolicy: 'Owner' },
      data: [{ secretKey: 'API_KEY', remoteRef: { key: 'team-a/checkout/api', property: 'key' } }],
    });
    const d = get(files, 'tenants/team-a-prod/services/checkout/deployment-checkout.yaml');
    expect(d.metadata.annotations['reloader.stakater.com/auto']).toBe('true');
    const c = d.spec.template.spec.containers[0];
    expect(c.env).toEqual([
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'checkout-secrets', key: 'API_KEY' } } },
    ]);
    expect(c.envFrom).toEqual([{ secretRef: { name: 'checkout-db' } }]);
    for (const text of files.values()) expect(text).not.toMatch(/^kind: Secret$/m);
  });

  it('runs the migration as a Sync hook after the Secrets exist and before the rollout', () => {
    const { files } = checkout(full);
    const job = get(files, 'tenants/team-a-prod/services/checkout/job-checkout-migrate.yaml');
    expect(job.metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/sync-wave': '-1', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      'cdk8s-gitops-platform/source-revision': SHA('a'),
    });
    expect(job.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 600, template: { spec: { restartPolicy: 'Never' } } });
    expect(job.spec.template.spec.containers[0].command).toEqual(['./migrate', 'up']);
  });

  it('renders twice with the same bytes', () => {
    const { platform, files } = checkout(full);
    const again = platform.render();
    expect([...again.keys()]).toEqual([...files.keys()]);
    for (const [f, text] of files) expect(again.get(f)).toBe(text);
  });

  it('passes the Kubernetes models, and the upstream CRDs where available', () => {
    const { files } = checkout(full);
    const objs = [...files].filter(([f]) => f.startsWith('tenants/')).map(([, t]) => parse(t));
    const models: Record<string, (o: any) => { validate(): void }> = {
      Deployment: (o) => new Deployment(o), Service: (o) => new Service(o), HorizontalPodAutoscaler: (o) => new HorizontalPodAutoscaler(o),
      PodDisruptionBudget: (o) => new PodDisruptionBudget(o), Job: (o) => new Job(o), ExternalSecret: (o) => modelOf(o),
    };
    for (const o of objs) if (models[o.kind]) expect(() => models[o.kind](o).validate()).not.toThrow();
    const app = [...files].filter(([f]) => f.startsWith('clusters/mgmt/argocd/applicationset-tenant-')).map(([, t]) => parse(t));
    expect(app).toHaveLength(2);
  });

  it.skipIf(!HAS_SCHEMAS)('ExternalSecret, Certificate, ApplicationSet and the host\'s ServiceMonitor pass their upstream CRDs, and the tenants\' vcluster values the chart schema (needs ../shared/schemas)', () => {
    const { files, tProd, tStaging } = checkout(full);
    const checked: string[] = [];
    for (const [f, text] of files) {
      if (!f.endsWith('.yaml')) continue;
      const o = parse(text);
      if (!f.startsWith('tenants/') && o.kind !== 'ApplicationSet' && o.kind !== 'ServiceMonitor') continue;
      if (['ExternalSecret', 'Certificate', 'ApplicationSet', 'ServiceMonitor'].includes(o.kind)) {
        expect([f, crdErrors(o)]).toEqual([f, []]);
        if (o.kind === 'ServiceMonitor') checked.push(f);
      }
    }
    expect(checked.sort()).toEqual(Object.values(HOST_FOLDERS).map((d) => `${d}/servicemonitor-checkout.yaml`).sort());
    const validate = compileValuesSchema('vcluster/values.schema.json');
    for (const t of [tProd, tStaging]) expect(validate(t._values()) ? [] : validate.errors).toEqual([]);
  });
});

describe('TeamService: delivery through the tenant\'s ApplicationSet', () => {
  it('expands offline into one Application per service folder, deploying into each tenant\'s vCluster', () => {
    const { platform } = checkout();
    const apps = expand(platform).filter((a) => a.applicationSet?.endsWith('-services'));
    expect(apps.map((a) => [a.applicationSet, a.name, a.cluster, a.namespace, a.project, a.paths, a.missingPaths])).toEqual([
      ['tenant-team-a-prod-services', 'team-a-prod-checkout', 'vc-team-a-prod', 'checkout', 'tenant-team-a-prod', ['tenants/team-a-prod/services/checkout'], []],
      ['tenant-team-a-staging-services', 'team-a-staging-checkout', 'vc-team-a-staging', 'checkout', 'tenant-team-a-staging', ['tenants/team-a-staging/services/checkout'], []],
    ]);
  });

  it('renders one ApplicationSet per tenant, in the tenant\'s project, with a git directories generator over its services folder', () => {
    const { files } = checkout();
    const set = get(files, 'clusters/mgmt/argocd/applicationset-tenant-team-a-prod-services.yaml');
    expect(set.spec.generators).toEqual([{ git: { repoURL: 'https://github.com/acme/platform-gitops.git', revision: 'main', directories: [{ path: 'dist/tenants/team-a-prod/services/*' }] } }]);
    expect(set.spec.goTemplateOptions).toEqual(['missingkey=error']);
    expect(set.spec.template.metadata.name).toBe('team-a-prod-{{ .path.basename }}');
    expect(set.spec.template.spec).toMatchObject({
      project: 'tenant-team-a-prod',
      source: { repoURL: 'https://github.com/acme/platform-gitops.git', targetRevision: 'main', path: '{{ .path.path }}' },
      destination: { name: 'vc-team-a-prod', namespace: '{{ .path.basename }}' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    });
    // every folder the generator finds is one the library writes
    expect([...files.keys()].some((f) => f.startsWith('tenants/team-a-prod/services/checkout/'))).toBe(true);
  });

  it('lets the tenant\'s project read the platform repository and nothing wider, and turns on the vCluster syncs the services need', () => {
    const { files, tProd } = checkout(full);
    const project = get(files, 'clusters/mgmt/argocd/appproject-tenant-team-a-prod.yaml');
    expect(project.spec.sourceRepos).toEqual(['https://github.com/acme/platform-gitops.git']);
    expect(project.spec.destinations).toEqual([{ name: 'vc-team-a-prod', namespace: '*' }]);
    const v = tProd._values() as any;
    expect(v.sync.toHost.gatewayApi).toEqual({ httpRoutes: { enabled: true } });
    // no custom resource sync (a vCluster Pro feature): the ServiceMonitor and the claim are the host's, the
    // database's Secret is mapped from the tenant's host namespace ("/<name>") into the service's namespace
    expect(v.sync.toHost.customResources).toBeUndefined();
    expect(v.sync.fromHost.customResources).toBeUndefined();
    expect(v.sync.fromHost.secrets).toEqual({ enabled: true, mappings: { byName: { '/checkout-db': 'checkout/checkout-db' } } });
    // the host's metrics server for the autoscalers; External Secrets because the service reads secrets
    expect(v.integrations).toEqual({ metricsServer: { enabled: true }, externalSecrets: { enabled: true, sync: { toHost: { stores: { enabled: true } } } } });
  });

  it('turns on the External Secrets integration only for services that read secrets, and warns what needs a vCluster license or a metrics server', () => {
    const { platform, tProd } = checkout({ env: { LOG_LEVEL: 'info' } });
    expect((tProd._values() as any).integrations).toEqual({ metricsServer: { enabled: true } });
    const warned = (p: typeof platform) => p.validate().filter((x) => x.severity === 'warning').map((x) => x.message);
    // nothing but open-source syncers: no license warning
    expect(warned(platform).filter((m) => m.includes('vCluster Pro'))).toEqual([]);
    // metrics and a database need only open-source syncers: no license warning either
    const { platform: withMetricsAndDatabase } = checkout({ metrics: {}, database: full.database, migration: full.migration });
    expect(warned(withMetricsAndDatabase).filter((m) => m.includes('vCluster Pro'))).toEqual([]);
    const withAll = checkout(full).platform;
    expect(withAll.validate().filter((x) => x.message.includes('vCluster Pro')).map((x) => `${x.severity} [${x.path}] ${x.message}`)).toEqual([
      'warning [platform/mgmt/team-a-prod/checkout] team service "checkout" needs vCluster Pro features in its tenants\' virtual clusters: secrets (its ExternalSecret reaches the host\'s External Secrets through the External Secrets integration). '
      + 'They need a vCluster license (vCluster Platform): the open-source vCluster has none of them, and without them the objects stay inside the virtual cluster, so its pods wait for a Secret that never comes. '
      + 'Fix: connect the tenants\' vClusters to a licensed vCluster Platform (the vcluster values\' `platform` settings, TenantVCluster vcluster.rawValues), or leave out secrets.',
    ]);
  });

  it('warns when the autoscaler\'s host is an EKS cluster without a metrics server, until a metrics-server entry targets it', () => {
    const metricsWarnings = (p: { validate(): { severity?: string; message: string }[] }) => p.validate().filter((x) => x.severity === 'warning' && x.message.includes('metrics server of host')).map((x) => x.message);
    const { platform } = checkout({ env: { LOG_LEVEL: 'info' } });
    expect(metricsWarnings(platform)).toEqual([
      expect.stringContaining('team service "checkout" (staging, in "vc-team-a-staging") scales with a HorizontalPodAutoscaler, which reads CPU through the metrics server of host "staging-eu"'),
      'team service "checkout" (prod, in "vc-team-a-prod") scales with a HorizontalPodAutoscaler, which reads CPU through the metrics server of host "mgmt", an EKS cluster that runs none: '
      + 'the autoscaler reports FailedGetResourceMetric, stays at its minimum, and Argo CD shows the Application Degraded (AKS runs a metrics server by itself). '
      + 'Fix: install metrics-server on "mgmt": a ServiceCatalogEntry of the metrics-server chart, release "metrics-server" in namespace "kube-system" (the Service the vCluster proxies), that targets it.',
    ]);
    // in another namespace the vCluster would not find it: still warned
    new ServiceCatalogEntry(platform, 'metrics-server-elsewhere', {
      chart: HelmChart.fromRepository({ repository: 'https://kubernetes-sigs.github.io/metrics-server', chart: 'metrics-server', version: '3.12.2' }), namespace: 'monitoring', releaseName: 'metrics-server', targets: ClusterSelector.labels({}),
    });
    expect(metricsWarnings(platform)).toHaveLength(2);
    new ServiceCatalogEntry(platform, 'metrics-server', {
      chart: HelmChart.fromRepository({ repository: 'https://kubernetes-sigs.github.io/metrics-server', chart: 'metrics-server', version: '3.12.2' }), namespace: 'kube-system', targets: ClusterSelector.labels({}),
    });
    expect(metricsWarnings(platform)).toEqual([]);
  });

  it('leaves tenants without services as they were', () => {
    const { platform, tProd } = teamPlatform();
    const files = platform.render();
    expect([...files.keys()].filter((f) => f.includes('services'))).toEqual([]);
    expect((tProd._values() as any).integrations).toBeUndefined();
  });
});

describe('TeamService: pin files are checked at construction', () => {
  const make = (pins: Record<string, unknown>, extra: Partial<TeamServiceProps> = {}) => () => {
    const { tProd } = teamPlatform();
    return new TeamService(tProd, 'checkout', { ...base, repositoryRoot: pinsRepo(pins), ...extra });
  };
  const at = '[platform/mgmt/team-a-prod/checkout] ';

  it('names the missing file', () => {
    expect(make({ 'services/team-a/checkout/staging.json': STAGING_PIN })).toThrow(`${at}services/team-a/checkout/prod.json: file not found. Fix: create it with { "cluster": "vc-team-a-prod", "imageTag": "1.4.2-3f9c2ab", "targetRevision": "<40-hex commit>" }, or remove "prod" from the service's environments.`);
  });

  it('suggests, for a missing file, the cluster of the team\'s tenant in that environment', () => {
    expect(make({ 'services/team-a/checkout/prod.json': PROD_PIN })).toThrow(`${at}services/team-a/checkout/staging.json: file not found. Fix: create it with { "cluster": "vc-team-a-staging", "imageTag": "1.4.2-3f9c2ab", "targetRevision": "<40-hex commit>" }, or remove "staging" from the service's environments.`);
  });

  it('suggests the tenant of that environment by the tenant\'s own environment, not its host\'s', () => {
    const platform = awsPlatform({ environments: ['staging', 'prod'] });
    const mgmt = awsMgmt(platform, { labels: secure });
    const staging = new FleetCluster(mgmt, 'staging-eu', { environment: 'staging', cloud: eksCloud('10.20.0.0/16'), labels: secure });
    Catalog.externalSecrets(platform);
    const owners = Group.named('team-a');
    // on the staging host, but in prod; and the staging tenant runs on the prod host
    new TenantVCluster(staging, 'team-a-pre', { owners, environment: 'prod' });
    const tProd = new TenantVCluster(mgmt, 'team-a-prod', { owners });
    new TenantVCluster(mgmt, 'team-a-qa', { owners, environment: 'staging' });
    expect(() => new TeamService(tProd, 'checkout', { ...base, repositoryRoot: pinsRepo({ 'services/team-a/checkout/prod.json': PROD_PIN }) }))
      .toThrow(`${at}services/team-a/checkout/staging.json: file not found. Fix: create it with { "cluster": "vc-team-a-qa", "imageTag": "1.4.2-3f9c2ab", "targetRevision": "<40-hex commit>" }, or remove "staging" from the service's environments.`);
  });

  it('names the file and the field of a malformed pin', () => {
    const withProd = (prod: unknown) => make({ 'services/team-a/checkout/staging.json': STAGING_PIN, 'services/team-a/checkout/prod.json': prod });
    expect(withProd('{ "cluster": ')).toThrow(`${at}services/team-a/checkout/prod.json: not valid JSON (`);
    expect(withProd({ ...PROD_PIN, imageTag: 'latest' })).toThrow(`${at}services/team-a/checkout/prod.json: imageTag: got "latest". Allowed: a digest "sha256:<64 lower-case hex>", or a tag (letters, digits, "_", "." and "-", up to 128 characters) with a segment between "-", "_" or "." that is a 7 to 40 lower-case hex commit SHA, e.g. "1.4.2-3f9c2ab" or "main-3f9c2ab5d1e0". Fix: set "imageTag" to the tag CI pushed for the commit (never "latest" or a moving tag).`);
    expect(withProd({ ...PROD_PIN, imageTag: '1.4.2' })).toThrow(`${at}services/team-a/checkout/prod.json: imageTag: got "1.4.2".`);
    expect(withProd({ ...PROD_PIN, targetRevision: 'main' })).toThrow(`${at}services/team-a/checkout/prod.json: targetRevision: got "main". Allowed: a full 40-character lower-case hex commit SHA. Fix: set "targetRevision" to the commit the image was built from (git rev-parse HEAD).`);
    expect(withProd({ ...PROD_PIN, cluster: 'VC_Prod' })).toThrow(`${at}services/team-a/checkout/prod.json: cluster: got "VC_Prod". Allowed: the Argo CD cluster name of a tenant's virtual cluster, a DNS label such as "vc-team-a-prod".`);
    expect(withProd({ ...PROD_PIN, replicas: 3 })).toThrow(`${at}services/team-a/checkout/prod.json: field "replicas": got 3. Allowed: only cluster, imageTag, targetRevision. Fix: remove "replicas" (a pin holds the image tag, the revision and the target cluster, nothing else).`);
    expect(withProd({ imageTag: PROD_PIN.imageTag, targetRevision: PROD_PIN.targetRevision })).toThrow(`${at}services/team-a/checkout/prod.json: cluster: got nothing.`);
    expect(withProd([PROD_PIN])).toThrow(`${at}services/team-a/checkout/prod.json: content: got [`);
  });

  it('checks that each pin targets one of the team\'s tenants of that environment, before rendering', () => {
    const { platform, tProd } = teamPlatform();
    new TenantVCluster(tProd.host, 'team-b-prod', { owners: Group.named('team-b') });
    new TeamService(tProd, 'checkout', {
      ...base,
      repositoryRoot: pinsRepo({
        'services/team-a/checkout/staging.json': { ...STAGING_PIN, cluster: 'vc-team-a-prod' },
        'services/team-a/checkout/prod.json': { ...PROD_PIN, cluster: 'vc-team-b-prod' },
      }),
    });
    new TeamService(tProd, 'other', {
      ...base, name: 'checkout', environments: ['prod'],
      repositoryRoot: pinsRepo({ 'services/team-a/checkout/prod.json': { ...PROD_PIN, cluster: 'vc-nobody' } }),
    });
    expect(platform.validate().filter((p) => p.severity !== 'warning').map((p) => `[${p.path}] ${p.message}`)).toEqual([
      `${at}services/team-a/checkout/staging.json: cluster: got "vc-team-a-prod". Allowed: a tenant in environment "staging" (this one is in "prod"): "vc-team-a-staging". Fix: point the pin at the tenant of this environment.`,
      `${at}services/team-a/checkout/prod.json: cluster: got "vc-team-b-prod". Allowed: a tenant owned by the team (team-a): "vc-team-a-prod". Fix: deploy only into the team's own tenants.`,
      '[platform/mgmt/team-a-prod/other] services/team-a/checkout/prod.json: cluster: got "vc-nobody". Allowed: the virtual cluster of one of the team\'s tenants in "prod": "vc-team-a-prod". Fix: set "cluster" to the vc-<tenant> name of the tenant that runs this environment.',
    ]);
  });

  it('rejects two services of the same name in one tenant', () => {
    const { platform, tProd } = teamPlatform();
    const root = goodPins();
    new TeamService(tProd, 'checkout', { ...base, repositoryRoot: root });
    new TeamService(tProd, 'again', { ...base, name: 'checkout', repositoryRoot: root });
    expect(() => platform.render()).toThrow('duplicate service "checkout" in virtual cluster "vc-team-a-staging": also declared at platform/mgmt/team-a-prod/checkout. Fix: give each service of a tenant a unique name.');
  });

  it('rejects bad props with the construct path and the fix', () => {
    const root = goodPins();
    const make2 = (extra: Partial<TeamServiceProps>) => () => new TeamService(teamPlatform().tProd, 'checkout', { ...base, repositoryRoot: root, ...extra });
    expect(make2({ image: 'ghcr.io/acme/checkout:latest' })).toThrow(`${at}image: got "ghcr.io/acme/checkout:latest". Allowed: an image repository without tag or digest, e.g. "ghcr.io/acme/checkout". Fix: remove the ":<tag>" or "@<digest>" (the pin files give the tag).`);
    expect(make2({ port: 80 })).toThrow(`${at}port: got 80. Allowed: a whole number from 1024 to 65535`);
    expect(make2({ secrets: [{ name: 'TOKEN', key: 'team-b/x' }] })).toThrow(`${at}secrets[0].key: got "team-b/x". Allowed: a key of the team's store under "team-a/". Fix: name it "team-a/checkout/<secret>".`);
    expect(make2({ environments: ['dev'] })).toThrow(`${at}environments: got ["dev"]. Allowed: the platform's environments: staging, prod. Fix: remove "dev".`);
    expect(make2({ migration: { command: [] } })).toThrow(`${at}migration.command: got []. Allowed: a non-empty command`);
  });
});

describe('TeamService: HTTPS on the shared Gateway', () => {
  const gatewayFile = 'catalog/envoy-gateway/manifests/all/gateway-public.yaml';

  it('adds a terminating HTTPS listener for *.apps.<platform domain> beside the TLS passthrough listener, with a wildcard certificate and an HTTP redirect', () => {
    const { files } = checkout();
    const listeners = get(files, gatewayFile).spec.listeners;
    expect(listeners).toEqual([
      { name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' }, kinds: [{ kind: 'HTTPRoute' }] } },
      { name: 'tls-passthrough', protocol: 'TLS', port: 443, tls: { mode: 'Passthrough' }, allowedRoutes: { namespaces: { from: 'All' }, kinds: [{ kind: 'TLSRoute' }] } },
      {
        name: 'https', protocol: 'HTTPS', port: 443, hostname: '*.apps.platform.acme.dev',
        tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'public-apps-tls' }] },
        allowedRoutes: { namespaces: { from: 'All' }, kinds: [{ kind: 'HTTPRoute' }] },
      },
    ]);
    expect(get(files, 'catalog/envoy-gateway/manifests/all/certificate-public-apps-tls.yaml')).toEqual({
      // cert-manager's CRD comes with another entry's Application: the dry run is skipped
      apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'public-apps-tls', namespace: 'envoy-gateway-system', annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' } },
      spec: { secretName: 'public-apps-tls', dnsNames: ['*.apps.platform.acme.dev'], issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt-production' } },
    });
    expect(get(files, 'catalog/envoy-gateway/manifests/all/httproute-public-apps-https-redirect.yaml').spec).toEqual({
      parentRefs: [{ name: 'public', sectionName: 'http' }],
      hostnames: ['*.apps.platform.acme.dev'],
      rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
    });
  });

  it('keeps the listeners on port 443 apart: distinct hostnames, and no virtual cluster API name falls under the HTTPS wildcard', () => {
    const { files, tProd, tStaging } = checkout();
    const on443 = get(files, gatewayFile).spec.listeners.filter((l: any) => l.port === 443);
    expect(on443.map((l: any) => [l.protocol, l.hostname])).toEqual([['TLS', undefined], ['HTTPS', '*.apps.platform.acme.dev']]);
    // a Gateway API wildcard is a suffix match: "*.apps.<domain>" must not match "<tenant>.<domain>"
    for (const t of [tProd, tStaging]) {
      const apiHost = (t._values() as any).controlPlane.ingress?.host ?? (t._values() as any).controlPlane.proxy?.extraSANs?.[0];
      expect(apiHost).toBe(`${t.name}.platform.acme.dev`);
      expect(apiHost.endsWith('.apps.platform.acme.dev')).toBe(false);
    }
  });

  it('lets a platform use its own DNS-01 issuer, and renders no HTTPS listener unless asked', () => {
    const platform = awsPlatform();
    Catalog.gatewayApi(platform, { https: { clusterIssuer: 'letsencrypt-dns' } });
    const files = platform.render();
    expect(get(files, 'catalog/envoy-gateway/manifests/all/certificate-public-apps-tls.yaml').spec.issuerRef).toEqual({ kind: 'ClusterIssuer', name: 'letsencrypt-dns' });
    const plain = awsPlatform();
    Catalog.gatewayApi(plain);
    const plainFiles = plain.render();
    expect(get(plainFiles, gatewayFile).spec.listeners.map((l: any) => l.name)).toEqual(['http', 'tls-passthrough']);
    expect([...plainFiles.keys()].filter((f) => f.startsWith('catalog/envoy-gateway/manifests/all/'))).toEqual([
      'catalog/envoy-gateway/manifests/all/gateway-public.yaml', 'catalog/envoy-gateway/manifests/all/gatewayclass-envoy.yaml',
    ]);
    expect(() => Catalog.gatewayApi(awsPlatform(), { https: { clusterIssuer: 'Lets Encrypt' } })).toThrow('[platform/envoy-gateway] https.clusterIssuer: got "Lets Encrypt".');
  });

  it('imports the host Gateway into the tenant\'s virtual cluster under the same namespace and name, so the synced route still points at it on the host', () => {
    const { tProd } = checkout();
    const v = tProd._values() as any;
    expect(v.sync.fromHost.gateways).toEqual({
      enabled: true,
      mappings: { byName: { 'envoy-gateway-system/public': 'envoy-gateway-system/public' } },
      // the tenant's own services' hosts only: vCluster refuses to sync a route for any other host
      allowedRoutes: {
        defaultVirtualNamespacePolicy: { from: 'All' },
        overrides: [{ hostNamespace: 'envoy-gateway-system', name: 'public', virtualNamespacePolicy: { from: 'All' }, allowedHostnames: ['checkout-team-a.apps.platform.acme.dev'] }],
      },
    });
    // the budgets guard the pods where they run, on the host
    expect(v.sync.toHost.podDisruptionBudgets).toEqual({ enabled: true });
  });

  it('fences each tenant\'s routes to its own services\' hosts, so no tenant can claim another\'s (vCluster\'s imported-Gateway hostname policy)', () => {
    const { files, tProd } = checkout();
    const route = get(files, 'tenants/team-a-prod/services/checkout/httproute-checkout.yaml');
    const [override] = (tProd._values() as any).sync.fromHost.gateways.allowedRoutes.overrides;
    // vCluster 0.35's policy (gatewayroutes/translate/policy.go): a route attached to an imported Gateway
    // with allowedHostnames syncs only when it names hostnames and each is one of them (or under a "*." pattern)
    const allowed = (hostnames: string[]) => hostnames.length > 0 && hostnames.every((h) => override.allowedHostnames.some((p: string) => p === h || (p.startsWith('*.') && h.endsWith(p.slice(1)) && h !== p.slice(2))));
    expect([route.spec.parentRefs[0].namespace, route.spec.parentRefs[0].name]).toEqual([override.hostNamespace, override.name]);
    expect(allowed(route.spec.hostnames)).toBe(true);
    // another tenant's host, or a route with no hostname (every host), is refused
    expect(allowed(['checkout-team-b.apps.platform.acme.dev'])).toBe(false);
    expect(allowed([])).toBe(false);
  });

  it('attaches to a Gateway of the platform team\'s choice, and imports that one', () => {
    const { files, tProd } = checkout({ host: 'checkout.acme.dev', gateway: { name: 'edge', namespace: 'gateways', sectionName: 'checkout' } });
    expect(get(files, 'tenants/team-a-prod/services/checkout/httproute-checkout.yaml').spec.parentRefs).toEqual([{ name: 'edge', namespace: 'gateways', sectionName: 'checkout' }]);
    expect(get(files, 'tenants/team-a-staging/services/checkout/httproute-checkout.yaml').spec.hostnames).toEqual(['checkout-staging.acme.dev']);
    expect((tProd._values() as any).sync.fromHost.gateways.mappings).toEqual({ byName: { 'gateways/edge': 'gateways/edge' } });
  });

  it('warns when the metrics share the service port, where the public route reaches them', () => {
    const warned = (extra: Partial<TeamServiceProps>) => checkout(extra).platform.validate().filter((x) => x.severity === 'warning' && x.message.includes('serves its metrics')).map((x) => `[${x.path}] ${x.message}`);
    expect(warned({ metrics: {} })).toEqual(['[platform/mgmt/team-a-prod/checkout] team service "checkout" serves its metrics on its service port 8080, where its HTTPRoute sends every path: '
      + 'https://checkout-team-a-staging.apps.platform.acme.dev/metrics, https://checkout-team-a.apps.platform.acme.dev/metrics answer anyone who asks. '
      + 'Fix: serve the metrics on a port of their own (metrics.port, e.g. 9090): the Service names it "metrics", Prometheus scrapes it there, and the route never reaches it.']);
    // the route's only backend is the Service's http port, which targets the container's http port
    const { files } = checkout({ metrics: { port: 9090 } });
    const dir = 'tenants/team-a-prod/services/checkout';
    const route = get(files, `${dir}/httproute-checkout.yaml`);
    const service = get(files, `${dir}/service-checkout.yaml`);
    const reached = route.spec.rules.flatMap((r: any) => r.backendRefs).map((b: any) => service.spec.ports.find((x: any) => x.port === b.port).targetPort);
    expect(reached).toEqual(['http']);
    expect(warned({ metrics: { port: 9090 } })).toEqual([]);
  });

  it('refuses a Gateway in a namespace vCluster will not import it into (its control plane would not start, for the whole tenant)', () => {
    const at = '[platform/mgmt/team-a-prod/checkout] ';
    const own = (namespace: string) => ({ host: 'checkout.acme.dev', gateway: { name: 'edge', namespace } });
    for (const ns of ['kube-system', 'kube-public', 'kube-node-lease']) {
      expect(() => checkout(own(ns))).toThrow(`${at}gateway.namespace: got "${ns}". Allowed: a namespace other than kube-system, kube-public and kube-node-lease: vCluster imports the Gateway under the same namespace`);
    }
    // the tenant's own host namespace: known once the pins say which tenant runs the service
    expect(() => checkout(own('vcluster-team-a-prod'))).toThrow(`${at}team service "checkout" (prod, in "vc-team-a-prod") attaches to Gateway "vcluster-team-a-prod/edge", in the tenant's own host namespace "vcluster-team-a-prod": `
      + 'vCluster imports the Gateway under the same namespace, and refuses its own host namespace as the target of sync.fromHost.gateways');
    expect(() => checkout(own('vcluster-team-a-staging'))).toThrow('(staging, in "vc-team-a-staging") attaches to Gateway "vcluster-team-a-staging/edge"');
  });

  it('refuses a host the shared Gateway does not terminate, and a host cluster whose Gateway has no HTTPS listener', () => {
    const at = '[platform/mgmt/team-a-prod/checkout] ';
    expect(() => checkout({ host: 'checkout.acme.dev' })).toThrow(`${at}host: got "checkout.acme.dev". Allowed: one DNS label under "apps.platform.acme.dev" (the shared Gateway terminates HTTPS for "*.apps.platform.acme.dev" only). Fix: use e.g. "checkout-team-a.apps.platform.acme.dev", or set gateway to a Gateway with a listener and certificate for this host.`);
    expect(() => checkout({ host: 'a.b.apps.platform.acme.dev' })).toThrow(`${at}host: got "a.b.apps.platform.acme.dev". Allowed: one DNS label under "apps.platform.acme.dev"`);
    expect(() => checkout({ host: `${'x'.repeat(60)}.apps.platform.acme.dev` })).toThrow(`${at}host: got "${'x'.repeat(60)}.apps.platform.acme.dev". Allowed: a first label that still is a DNS label (63 characters at most) with "-staging" appended`);

    const platform = awsPlatform({ environments: ['staging', 'prod'] });
    const mgmt = awsMgmt(platform, { labels: secure });
    const staging = new FleetCluster(mgmt, 'staging-eu', { environment: 'staging', cloud: eksCloud('10.20.0.0/16'), labels: { 'security-basic': 'enabled' } });
    Catalog.externalSecrets(platform);
    Catalog.gatewayApi(platform, { https: {} });
    Catalog.certManager(platform); // the HTTPS listener's wildcard Certificate
    const owners = Group.named('team-a');
    new TenantVCluster(staging, 'team-a-staging', { owners });
    const tProd = new TenantVCluster(mgmt, 'team-a-prod', { owners });
    new TeamService(tProd, 'checkout', { ...base, repositoryRoot: goodPins() });
    expect(platform.validate().filter((p) => p.severity !== 'warning').map((p) => `[${p.path}] ${p.message}`)).toEqual([
      `${at}environment "staging": the shared Gateway "envoy-gateway-system/public" of cluster "staging-eu" (host of "vc-team-a-staging") has no HTTPS listener for "*.apps.platform.acme.dev", so "checkout-team-a-staging.apps.platform.acme.dev" would not be served over HTTPS. Fix: declare Catalog.gatewayApi(platform, { https: {} }) (or Catalog.coreBasic(platform, { https: {} })) targeting that cluster, or set gateway to a Gateway that terminates TLS for the host.`,
    ]);
  });
});

describe('TeamService: the first sync with a migration', () => {
  it('puts the ExternalSecret in wave -2, the migration hook in wave -1 and the rollout in wave 0, as ordinary (tracked, never hook-deleted) resources', () => {
    const { files } = checkout(full);
    const annotations = (kind: string) => get(files, `tenants/team-a-prod/services/checkout/${kind}.yaml`).metadata.annotations ?? {};
    const wave = (kind: string) => Number(annotations(kind)['argocd.argoproj.io/sync-wave'] ?? '0');
    expect(wave('externalsecret-checkout-secrets')).toBe(-2);
    expect(wave('job-checkout-migrate')).toBe(-1);
    for (const k of ['deployment-checkout', 'service-checkout', 'httproute-checkout', 'horizontalpodautoscaler-checkout', 'poddisruptionbudget-checkout']) expect([k, wave(k)]).toEqual([k, 0]);
    // only the Job is a hook: the ExternalSecret (whose Secret it owns) is never deleted between syncs
    const hooks = serviceFiles(files, 'team-a-prod').filter((f) => annotations(f!.replace(/\.yaml$/, ''))['argocd.argoproj.io/hook'] !== undefined);
    expect(hooks).toEqual(['job-checkout-migrate.yaml']);
    expect(get(files, 'tenants/team-a-prod/services/checkout/externalsecret-checkout-secrets.yaml').spec.target.creationPolicy).toBe('Owner');
    // the Job reads exactly the Secrets made in wave -2
    const c = get(files, 'tenants/team-a-prod/services/checkout/job-checkout-migrate.yaml').spec.template.spec.containers[0];
    expect(c.envFrom).toEqual([{ secretRef: { name: 'checkout-db' } }]);
    expect(c.env.filter((e: any) => e.valueFrom).map((e: any) => e.valueFrom.secretKeyRef.name)).toEqual(['checkout-secrets']);
  });
});

describe('TeamService: the database claim\'s plural', () => {
  it('is optional (the claim is rendered on the host, no custom resource sync needs it) and checked when given', () => {
    const at = '[platform/mgmt/team-a-prod/checkout] ';
    const database = { apiVersion: 'platform.acme.dev/v1alpha1', kind: 'PostgreSQLPolicy' };
    const { files } = checkout({ database });
    expect(get(files, 'clusters/mgmt/vcluster-team-a-prod/postgresqlpolicy-checkout-db.yaml').kind).toBe('PostgreSQLPolicy');
    expect(() => checkout({ database: { ...database, plural: 'PostgreSQLPolicies' } })).toThrow(`${at}database.plural: got "PostgreSQLPolicies". Allowed: the claim's plural resource name in lower case, e.g. "postgresqlinstances". Fix: leave it out (nothing needs it since the claim is rendered on the host), or copy spec.claimNames.plural from the platform team's XRD.`);
    expect(get(checkout({ database: { ...database, plural: 'postgresqlpolicies' } }).files, 'clusters/mgmt/vcluster-team-a-prod/postgresqlpolicy-checkout-db.yaml').kind).toBe('PostgreSQLPolicy');
  });
});

describe('TeamService: Argo CD syncs what is delivered', () => {
  it('the tenant project permits exactly the Namespaces its services create (CreateNamespace=true), and every Application is permitted', () => {
    const { files, platform } = checkout();
    const project = parse(files.get('clusters/mgmt/argocd/appproject-tenant-team-a-prod.yaml')!);
    expect(project.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace', name: 'checkout' }]);
    expectPlatform(platform).toBePermittedByProjects();
    expectPlatform(platform).toHaveIsolatedTenants();
    // without that entry, Argo CD refuses the service's sync: defect 1 cannot come back unnoticed
    const withoutNamespaces = new Map(files);
    withoutNamespaces.set('clusters/mgmt/argocd/appproject-tenant-team-a-prod.yaml', stringify({ ...project, spec: { ...project.spec, clusterResourceWhitelist: [] } }));
    expect(checkOutputPermissions(withoutNamespaces).denials.map((d) => `${d.application}: ${d.object} from ${d.origin}: ${d.reason}`))
      .toEqual(['team-a-prod-checkout: core/Namespace checkout from syncOptions CreateNamespace=true: resource :Namespace is not permitted in project tenant-team-a-prod']);
  });
});

/** The tenants' host folders: prod's on the management cluster, staging's on its fleet cluster. */
const HOST_FOLDERS = { 'team-a-prod': 'clusters/mgmt/vcluster-team-a-prod', 'team-a-staging': 'clusters/staging-eu/vcluster-team-a-staging' } as const;

describe('TeamService: the host side (what the open-source vCluster does not sync)', () => {
  it('renders the ServiceMonitor and the database claim into each tenant\'s host namespace, on its host', () => {
    const { files } = checkout(full);
    for (const [tenant, folder] of Object.entries(HOST_FOLDERS)) {
      const env = tenant === 'team-a-prod' ? 'prod' : 'staging';
      const labels = { 'app.kubernetes.io/name': 'checkout', 'app.kubernetes.io/part-of': 'team-a', 'app.kubernetes.io/managed-by': 'cdk8s-gitops-platform', 'environment': env, tenant };
      const annotations = { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true', 'argocd.argoproj.io/sync-wave': '3' };
      expect(get(files, `${folder}/servicemonitor-checkout.yaml`)).toEqual({
        apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor',
        metadata: { name: 'checkout', namespace: `vcluster-${tenant}`, labels, annotations },
        spec: {
          // the Service vCluster syncs from the virtual namespace "checkout" (test/service-traffic.test.ts selects it)
          selector: { matchLabels: { 'app.kubernetes.io/name': 'checkout', 'vcluster.loft.sh/managed-by': `vcluster-${tenant}`, 'vcluster.loft.sh/namespace': 'checkout' } },
          jobLabel: 'app.kubernetes.io/name',
          endpoints: [{ port: 'http', path: '/metrics', interval: '30s' }],
        },
      });
      expect(get(files, `${folder}/postgresqlinstance-checkout-db.yaml`)).toEqual({
        apiVersion: 'platform.acme.dev/v1alpha1', kind: 'PostgreSQLInstance',
        // never pruned: the service removed from code (or renamed) leaves the claim, which Crossplane would delete the database with
        metadata: { name: 'checkout-db', namespace: `vcluster-${tenant}`, labels, annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true,Prune=false,Delete=false', 'argocd.argoproj.io/sync-wave': '3' } },
        spec: { parameters: { storageGB: 20 }, writeConnectionSecretToRef: { name: 'checkout-db' } },
      });
    }
    // without metrics or a database, nothing of the service on the host but its traffic allowances
    const plain = checkout().files;
    expect([...plain.keys()].filter((f) => f.startsWith(`${HOST_FOLDERS['team-a-prod']}/`) && /servicemonitor|checkout-db/.test(f))).toEqual([]);
    expect((checkout().tProd._values() as any).sync.fromHost.secrets).toBeUndefined();
  });

  it('the connection Secret the claim writes on the host is the one vCluster maps into the service\'s namespace, under the name the pods read', () => {
    const { files, tProd, tStaging } = checkout(full);
    for (const [t, tenant] of [[tProd, 'team-a-prod'], [tStaging, 'team-a-staging']] as const) {
      const claim = get(files, `${HOST_FOLDERS[tenant]}/postgresqlinstance-checkout-db.yaml`);
      const mappings: Record<string, string> = (t._values() as any).sync.fromHost.secrets.mappings.byName;
      // a key "/<name>" is a Secret of the vCluster's own host namespace, which is the claim's (the vCluster's release name)
      const vclusterApp = get(files, `clusters/mgmt/argocd/application-vcluster-${tenant}.yaml`);
      expect(vclusterApp.spec.destination.namespace).toBe(claim.metadata.namespace);
      const mapped = mappings[`/${claim.spec.writeConnectionSecretToRef.name}`];
      for (const kind of ['deployment-checkout', 'job-checkout-migrate']) {
        const o = get(files, `tenants/${tenant}/services/checkout/${kind}.yaml`);
        const read = o.spec.template.spec.containers[0].envFrom.map((e: any) => e.secretRef.name);
        expect([kind, read.map((n: string) => `${o.metadata.namespace}/${n}`)]).toEqual([kind, [mapped]]);
      }
    }
  });

  it('only the platform\'s project deploys them: the host folder\'s Application permits them, the tenant\'s project could not', () => {
    const { platform, files } = checkout(full);
    expect(checkOutputPermissions(files).denials).toEqual([]);
    expectPlatform(platform).toBePermittedByProjects();
    expectPlatform(platform).toHaveIsolatedTenants();
    const apps = expand(platform);
    for (const [tenant, folder] of Object.entries(HOST_FOLDERS)) {
      for (const f of ['servicemonitor-checkout.yaml', 'postgresqlinstance-checkout-db.yaml']) {
        const file = `${folder}/${f}`;
        const deployers = apps.filter((a) => a.paths.some((p) => file.startsWith(`${p}/`)));
        expect([file, deployers.map((a) => [a.name, a.project, a.cluster])]).toEqual([file, [[tenant === 'team-a-prod' ? 'root' : 'cluster-staging-eu', 'platform', tenant === 'team-a-prod' ? 'mgmt' : 'staging-eu']]]);
        const o = get(files, file);
        const [group] = o.apiVersion.split('/');
        const project = (name: string) => projectPermissions(get(files, `clusters/mgmt/argocd/appproject-${name}.yaml`));
        expect(resourceDenial(project('platform'), 'platform', group, o.kind, o.metadata.name, o.metadata.namespace, { name: deployers[0].cluster })).toBeUndefined();
        // the tenant's project deploys into its virtual cluster only
        expect(resourceDenial(project(`tenant-${tenant}`), `tenant-${tenant}`, group, o.kind, o.metadata.name, o.metadata.namespace, { name: deployers[0].cluster }))
          .toBe(`namespace vcluster-${tenant} is not permitted in project 'tenant-${tenant}'`);
      }
    }
    // the policy pass and the rules accept them (render ran them): no error
    expect(platform.validate().filter((p) => p.severity !== 'warning')).toEqual([]);
  });

  it('warns when a target\'s host runs no kube-prometheus-stack or no Crossplane for them, and when the tenant\'s owners are admins of the host namespace of a database', () => {
    const hostWarnings = (p: { validate(): { severity?: string; path: string; message: string }[] }) => p.validate()
      .filter((x) => x.severity === 'warning' && /rendered on host|list and watch every Secret/.test(x.message)).map((x) => `[${x.path}] ${x.message}`);
    const at = '[platform/mgmt/team-a-prod/checkout] ';
    const { platform } = checkout(full);
    expect(hostWarnings(platform)).toEqual([
      `${at}team service "checkout" (staging, in "vc-team-a-staging") has its ServiceMonitor "checkout" rendered on host "staging-eu", which runs no kube-prometheus-stack: `
      + 'the kind does not exist there, so the host folder\'s sync fails on it, and nothing scrapes the service. '
      + 'Fix: target "staging-eu" with Catalog.kubePrometheusStack(platform) (or Catalog.monitoringBasic), or leave out metrics.',
      `${at}team service "checkout" (staging, in "vc-team-a-staging") has its database claim (PostgreSQLInstance) rendered on host "staging-eu", which runs no Crossplane: `
      + 'no database is created, the host folder\'s sync fails on the claim, and the service\'s pods wait for the Secret "checkout-db". '
      + 'Fix: target "staging-eu" with Catalog.crossplane(platform) and the platform team\'s XRD of PostgreSQLInstance, or leave out database.',
      expect.stringContaining(`${at}team service "checkout" (prod, in "vc-team-a-prod") has its ServiceMonitor "checkout" rendered on host "mgmt", which runs no kube-prometheus-stack`),
      expect.stringContaining(`${at}team service "checkout" (prod, in "vc-team-a-prod") has its database claim (PostgreSQLInstance) rendered on host "mgmt", which runs no Crossplane`),
    ]);
    // Crossplane on the management cluster only (its default): staging's host is still warned about
    Catalog.crossplane(platform);
    Catalog.kubePrometheusStack(platform, { targets: ClusterSelector.clusters(['mgmt', 'staging-eu']) });
    expect(hostWarnings(platform)).toEqual([expect.stringContaining('rendered on host "staging-eu", which runs no Crossplane')]);
    // without metrics or a database, nothing to warn about
    expect(hostWarnings(checkout({ secrets: full.secrets }).platform)).toEqual([]);

    // owners who are admins of the host namespace can exec into the vCluster's pods, whose syncer may list the host's Secrets
    const withAdmins = (hostRole: HostRole, database?: TeamServiceProps['database']) => {
      const p = awsPlatform({ environments: ['prod'] });
      const mgmt = awsMgmt(p, { labels: { ...secure, 'monitoring-basic': 'enabled' } });
      Catalog.externalSecrets(p);
      Catalog.gatewayApi(p, { https: {} });
      Catalog.certManager(p);
      Catalog.crossplane(p);
      const tenant = new TenantVCluster(mgmt, 'team-a', { owners: Group.named('team-a'), hostRole });
      new TeamService(tenant, 'checkout', { ...base, database, repositoryRoot: pinsRepo({ 'services/team-a/checkout/prod.json': { ...PROD_PIN, cluster: 'vc-team-a' } }) });
      return p;
    };
    expect(hostWarnings(withAdmins(HostRole.ADMIN, full.database))).toEqual([
      '[platform/mgmt/team-a/checkout] team service "checkout" (prod, in "vc-team-a") maps its database\'s Secret from the host, for which the vcluster chart lets the vCluster\'s syncer list and watch every Secret of host "mgmt"; '
      + 'the owners of tenant "team-a" (platform/mgmt/team-a) are admins of its host namespace "vcluster-team-a" (hostRole: admin), so they can run commands in the vCluster\'s pods with that access. '
      + 'Fix: give the tenant hostRole: HostRole.VIEW (the default), or leave out database.',
    ]);
    expect(hostWarnings(withAdmins(HostRole.VIEW, full.database))).toEqual([]);
    expect(hostWarnings(withAdmins(HostRole.ADMIN))).toEqual([]);
  });

  it('refuses secrets on a tenant whose owners are admins of its host namespace: the fence refuses External Secrets\' objects to that namespace\'s service accounts, the vCluster syncer\'s too', () => {
    const make = (hostRole: HostRole) => {
      const p = awsPlatform({ environments: ['prod'] });
      const mgmt = awsMgmt(p, { labels: secure });
      Catalog.externalSecrets(p);
      Catalog.gatewayApi(p, { https: {} });
      Catalog.certManager(p);
      const tenant = new TenantVCluster(mgmt, 'team-a', { owners: Group.named('team-a'), hostRole });
      new TeamService(tenant, 'checkout', { ...base, secrets: full.secrets, repositoryRoot: pinsRepo({ 'services/team-a/checkout/prod.json': { ...PROD_PIN, cluster: 'vc-team-a' } }) });
      return p;
    };
    expect(() => make(HostRole.ADMIN).render()).toThrow('[platform/mgmt/team-a/checkout] team service "checkout" (prod, in "vc-team-a") reads secrets through the ExternalSecret vCluster syncs to host "mgmt", but the owners of tenant "team-a" (platform/mgmt/team-a) are admins of its host namespace "vcluster-team-a" (hostRole: admin)');
    // what the fence's admission would do with the syncer's write of the ExternalSecret
    const files = (() => {
      const p = make(HostRole.VIEW);
      return p.render();
    })();
    expect(refusals(admissionObjects(files), { namespace: 'vcluster-team-a', operation: 'CREATE', group: 'external-secrets.io', resource: 'externalsecrets', username: 'system:serviceaccount:vcluster-team-a:vc-vcluster-team-a', groups: ['system:serviceaccounts'] })).toEqual([]);
  });

  it('applies the host-side objects after every tenant\'s PushSecret: a kind missing on the host fails the last wave only', () => {
    const { files } = checkout(full);
    for (const folder of Object.values(HOST_FOLDERS)) {
      const wave = (f: string) => Number(get(files, f).metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
      const objects = [...files.keys()].filter((f) => f.startsWith(`${folder}/`) || f.startsWith(folder.replace(/\/[^/]+$/, '/_cluster/')));
      const push = objects.filter((f) => f.includes('/pushsecret-'));
      const mine = [`${folder}/servicemonitor-checkout.yaml`, `${folder}/postgresqlinstance-checkout-db.yaml`];
      expect(push.length).toBeGreaterThan(0);
      const others = objects.filter((f) => !mine.includes(f));
      for (const f of mine) expect([f, wave(f)]).toEqual([f, Math.max(...others.map(wave)) + 1]);
    }
  });

  const chartMissing = chartToolsMissing();
  it.skipIf(chartMissing !== undefined)('the vcluster chart, rendered by the real helm with the tenant\'s values, passes the mapping to the syncer\'s configuration, with no vCluster Pro setting', async () => {
    const { files } = checkout(full);
    const c = preparedCharts();
    const [r] = await renderApplications(files, { helm: helmBinary(), chartsDir: c.chartsDir, standIns: c.standIns, cacheDir: CACHE_DIR, filter: (a) => a.name === 'vcluster-team-a-prod' });
    const objects = r.objects.map((o) => o.object);
    // the syncer reads its configuration from this Secret (the StatefulSet mounts vc-config-<release>)
    const sts = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'vcluster-team-a-prod');
    expect(sts.spec.template.spec.volumes).toEqual(expect.arrayContaining([expect.objectContaining({ secret: expect.objectContaining({ secretName: 'vc-config-vcluster-team-a-prod' }) })]));
    const env = sts.spec.template.spec.containers.flatMap((x: any) => x.env ?? []);
    expect(env).toEqual(expect.arrayContaining([{ name: 'VCLUSTER_NAME', value: 'vcluster-team-a-prod' }]));
    const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'vc-config-vcluster-team-a-prod');
    const text = secret.data ? Buffer.from(secret.data['config.yaml'], 'base64').toString('utf8') : secret.stringData['config.yaml'];
    const config = parse(text);
    expect(config.sync.fromHost.secrets).toEqual({ enabled: true, mappings: { byName: { '/checkout-db': 'checkout/checkout-db' } } });
    // the services' budgets go to the host, whose pods name the vCluster's Service as their controller
    // (setOwner): why a service's budget has an integer minAvailable (see the budget's test above)
    expect(config.sync.toHost.podDisruptionBudgets.enabled).toBe(true);
    expect(config.experimental.syncSettings.setOwner).toBe(true);
    // what vCluster 0.35.3 counts as a Pro feature (config/config.go, IsProFeatureEnabled) and the library could set: none
    expect(config.sync.toHost.customResources ?? {}).toEqual({});
    expect(config.sync.fromHost.customResources ?? {}).toEqual({});
    expect(config.sync.toHost.namespaces?.enabled ?? false).toBe(false);
    expect(config.platform ?? undefined).toBeUndefined();
    // the syncer reads the Secret with the Role of its namespace (its mappings name no other namespace, so it keeps its own cache);
    // the chart also grants, through its ClusterRole, list and watch of Secrets in every namespace (docs/team-services.md says so)
    const role = objects.find((o) => o.kind === 'Role' && o.metadata.namespace === 'vcluster-team-a-prod');
    expect(role.rules.some((x: any) => x.resources.includes('secrets') && ['get', 'list', 'watch'].every((v) => x.verbs.includes(v)))).toBe(true);
    const clusterRole = objects.find((o) => o.kind === 'ClusterRole');
    expect(clusterRole.rules).toEqual(expect.arrayContaining([
      { apiGroups: [''], resources: ['namespaces'], resourceNames: ['vcluster-team-a-prod'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['list', 'watch'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['checkout-db'] },
    ]));
  }, 120_000);
});
