// The baseline policies as Kyverno's admission applies them in the environment that enforces:
// what the library deploys into a tenant's namespace passes them, a team's Jobs and CronJobs are
// not refused for probes they cannot have, and a long-running workload without probes still is.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Catalog, CHARTS, Group, NamespaceTenant, renderApplications, TeamService, TenantVCluster } from '../src';
import { awsMgmt, awsPlatform } from './support/fixtures';
import { CACHE_DIR, chartToolsMissing, helmBinary, preparedCharts } from './support/helm';
import { autogenControllers, refusal } from './support/kyverno';
import { pinsRepo } from './support/pins';
import { podSpecOf } from './support/pod-security';
import { errorsAgainstCrd } from './support/schemas';

const secure = { 'security-basic': 'enabled', 'core-basic': 'enabled' };

/** A prod-only platform (its one environment enforces) with a vCluster tenant (its own Argo CD, a service with a migration), and a namespace tenant. */
function enforcingPlatform() {
  const platform = awsPlatform({ environments: ['prod'] });
  const mgmt = awsMgmt(platform, { labels: secure });
  Catalog.externalSecrets(platform);
  Catalog.gatewayApi(platform, { https: {} });
  Catalog.certManager(platform);
  Catalog.kyverno(platform);
  const tenant = new TenantVCluster(mgmt, 'team-a', { owners: Group.named('team-a'), argocd: {} });
  new NamespaceTenant(mgmt, 'devteam-b', { owners: Group.named('devteam-b'), repositories: [{ url: 'https://github.com/acme/devteam-b-apps.git' }] });
  const root = pinsRepo({ 'services/team-a/checkout/prod.json': { cluster: 'vc-team-a', imageTag: '1.4.2-aaaaaaa', targetRevision: 'a'.repeat(40) } });
  new TeamService(tenant, 'checkout', { image: 'ghcr.io/acme/checkout', port: 8080, repositoryRoot: root, migration: { command: ['./migrate', 'up'] } });
  const files = platform.render();
  const obj = (f: string) => {
    const text = files.get(f);
    if (text === undefined) throw new Error(`${f} not rendered`);
    return parse(text);
  };
  const policies = [...files].filter(([f]) => f.startsWith('catalog/kyverno/manifests/prod/clusterpolicy-')).map(([, t]) => parse(t));
  expect(policies.map((p) => p.metadata.name).sort()).toEqual(['disallow-latest-tag', 'disallow-privileged-containers', 'drop-all-capabilities', 'require-probes', 'require-requests-limits']);
  expect(new Set(policies.map((p) => p.spec.rules[0].validate.failureAction))).toEqual(new Set(['Enforce']));
  /** The labels of a namespace the library declares (with the one Kubernetes adds). */
  const nsLabels = (ns: string) => ({ ...obj(`clusters/mgmt/_cluster/namespace-${ns}.yaml`).metadata.labels, 'kubernetes.io/metadata.name': ns });
  const refusals = (resource: any, ns: string) => policies.map((p) => refusal(p, { ...resource, metadata: { ...resource.metadata, namespace: ns } }, nsLabels(ns))).filter((r) => r !== undefined);
  return { files, obj, policies, refusals };
}

/**
 * A container as the LimitRange admission plugin leaves it (before the webhooks run): a missing
 * limit takes the range's default, a missing request the explicit limit, else the default request.
 */
function withLimitRange(spec: any, limitRange: any): any {
  const range = limitRange.spec.limits.find((l: any) => l.type === 'Container');
  const fill = (c: any) => {
    const limits = { ...range.default, ...c.resources?.limits };
    const requests = { ...Object.fromEntries(Object.keys(range.defaultRequest).map((k) => [k, c.resources?.limits?.[k] ?? range.defaultRequest[k]])), ...c.resources?.requests };
    return { ...c, resources: { ...c.resources, limits, requests } };
  };
  return { ...spec, containers: spec.containers.map(fill), ...(spec.initContainers ? { initContainers: spec.initContainers.map(fill) } : {}) };
}

/** The pod the Job controller creates: the template, with the labels Kubernetes (1.27+) gives every pod of a Job. */
const jobPod = (job: any) => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { labels: { ...job.spec.template.metadata.labels, 'batch.kubernetes.io/job-name': job.metadata.name, 'job-name': job.metadata.name, 'batch.kubernetes.io/controller-uid': 'c0ffee', 'controller-uid': 'c0ffee' } },
  spec: job.spec.template.spec,
});

/** A team's container that passes every baseline policy but the probes one. */
const container = { name: 'web', image: 'ghcr.io/acme/web:1.0.0', resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } }, securityContext: { capabilities: { drop: ['ALL'] } } };

describe('the baseline policies in the environment that enforces them', () => {
  it('admit a team service\'s migration Job pod (no probes: it runs to completion) and its Deployment, in the tenant\'s host namespace', () => {
    const { obj, refusals } = enforcingPlatform();
    const job = obj('tenants/team-a/services/checkout/job-checkout-migrate.yaml');
    expect(job.spec.template.spec.containers[0].livenessProbe).toBeUndefined();
    // vCluster syncs the pod into the host namespace with its labels
    expect(refusals(jobPod(job), 'vcluster-team-a')).toEqual([]);
    const deployment = obj('tenants/team-a/services/checkout/deployment-checkout.yaml');
    expect(refusals(deployment, 'vcluster-team-a')).toEqual([]);
    expect(refusals({ apiVersion: 'v1', kind: 'Pod', metadata: deployment.spec.template.metadata, spec: deployment.spec.template.spec }, 'vcluster-team-a')).toEqual([]);
  });

  it('admit a namespace tenant\'s Job and CronJob without probes, and their pods; still refuse a Deployment without probes, and its pods', () => {
    const { policies, refusals } = enforcingPlatform();
    const probes = policies.find((p) => p.metadata.name === 'require-probes');
    // Kyverno generates the probe rule for the long-running controllers only
    expect(autogenControllers(probes).sort()).toEqual(['DaemonSet', 'Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet']);
    const template = { metadata: { labels: { app: 'report' } }, spec: { restartPolicy: 'Never', containers: [container] } };
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'report' }, spec: { template } };
    const cronJob = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly' }, spec: { schedule: '0 2 * * *', jobTemplate: { spec: { template } } } };
    for (const r of [job, cronJob, jobPod(job), jobPod({ ...job, metadata: { name: 'nightly-29000000' } })]) expect([r.kind, refusals(r, 'devteam-b')]).toEqual([r.kind, []]);

    const web = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container] } } } };
    const refusedFor = 'require-probes/%s: Set liveness and readiness probes on every container (Jobs\' pods excepted).';
    expect(refusals(web, 'devteam-b')).toEqual([refusedFor.replace('%s', 'autogen-require-probes')]);
    expect(refusals({ apiVersion: 'v1', kind: 'Pod', metadata: { labels: { app: 'web' } }, spec: web.spec.template.spec }, 'devteam-b')).toEqual([refusedFor.replace('%s', 'require-probes')]);
    // a pod labelled as a Job's but not a Job's is no way around the other policies
    const bare = { apiVersion: 'v1', kind: 'Pod', metadata: { labels: { 'batch.kubernetes.io/job-name': 'x' } }, spec: { containers: [{ name: 'web', image: 'ghcr.io/acme/web:latest' }] } };
    expect(refusals(bare, 'devteam-b').map((r) => r.split('/')[0]).sort()).toEqual(['disallow-latest-tag', 'drop-all-capabilities', 'require-requests-limits']);
  });

  it('admit a namespace tenant\'s Deployment that relies on the namespace\'s LimitRange for its requests and limits, and its pods once the defaults are in; refuse a pod left without them', () => {
    const { obj, policies, refusals } = enforcingPlatform();
    // the rule reads Pods, after the LimitRange admission plugin: no rule generated for their controllers
    expect(autogenControllers(policies.find((p) => p.metadata.name === 'require-requests-limits'))).toEqual([]);
    const probed = { ...container, resources: undefined, livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 }, readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 10 } };
    const web = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [probed] } } } };
    expect(refusals(web, 'devteam-b')).toEqual([]);
    const limitRange = obj('clusters/mgmt/devteam-b/limitrange-tenant-limits.yaml');
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { labels: { app: 'web' } }, spec: withLimitRange(web.spec.template.spec, limitRange) };
    expect(pod.spec.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } });
    expect(refusals(pod, 'devteam-b')).toEqual([]);
    expect(refusals({ ...pod, spec: web.spec.template.spec }, 'devteam-b')).toEqual(['require-requests-limits/require-requests-limits: Set CPU and memory requests and a memory limit on every container.']);
  });

  const missing = chartToolsMissing();
  it.skipIf(missing)('admit the pods of the tenant\'s vcluster and of its dedicated Argo CD as they run in its host namespace (real helm)', async () => {
    const { files, obj, refusals } = enforcingPlatform();
    const charts = preparedCharts();
    const rendered = await renderApplications(files, { helm: helmBinary(), chartsDir: charts.chartsDir, standIns: charts.standIns, cacheDir: CACHE_DIR, filter: (a) => ['vcluster-team-a', 'vcluster-team-a-argocd'].includes(a.name) });
    expect(rendered.map((r) => r.application.name).sort()).toEqual(['vcluster-team-a', 'vcluster-team-a-argocd']);
    const limitRange = obj('clusters/mgmt/vcluster-team-a/limitrange-tenant-limits.yaml');
    const seen: string[] = [];
    for (const r of rendered) {
      for (const { object: o } of r.objects.filter(({ object }) => podSpecOf(object) && object.kind !== 'Pod')) {
        const template = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec.template;
        const labels = { ...template.metadata?.labels, ...(o.kind === 'Job' ? { 'batch.kubernetes.io/job-name': o.metadata.name } : {}) };
        // the vcluster chart's pods run in the host namespace itself; the Argo CD's are synced from
        // the virtual namespace argocd, labelled with it by the syncer
        if (r.application.name === 'vcluster-team-a-argocd') labels['vcluster.loft.sh/namespace'] = 'argocd';
        const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { labels }, spec: withLimitRange(podSpecOf(o), limitRange) };
        expect([`${o.kind}/${o.metadata.name}`, refusals(pod, 'vcluster-team-a')]).toEqual([`${o.kind}/${o.metadata.name}`, []]);
        seen.push(`${o.kind}/${o.metadata.name}`);
      }
    }
    expect(seen).toEqual(expect.arrayContaining(['StatefulSet/vcluster-team-a', 'StatefulSet/argocd-application-controller', 'Deployment/argocd-redis', 'Deployment/argocd-applicationset-controller']));
    // the exception is that controller in a virtual cluster's argocd namespace, nothing else
    const controller = rendered.find((r) => r.application.name === 'vcluster-team-a-argocd')!.objects.find(({ object }) => object.kind === 'StatefulSet')!.object;
    const elsewhere = { apiVersion: 'v1', kind: 'Pod', metadata: { labels: { ...controller.spec.template.metadata.labels, 'vcluster.loft.sh/namespace': 'default' } }, spec: withLimitRange(controller.spec.template.spec, limitRange) };
    expect(refusals(elsewhere, 'vcluster-team-a').map((x) => x.split('/')[0])).toEqual(['require-probes']);
  });

  it.skipIf(missing)('are valid ClusterPolicies for the CRD the pinned kyverno chart installs (real helm)', () => {
    const { policies } = enforcingPlatform();
    const chartDir = path.join(preparedCharts().chartsDir, `kyverno-${CHARTS.kyverno.version}`);
    const crd = parse(execFileSync(helmBinary(), ['template', 'kyverno', chartDir, '--set', 'crds.install=true', '--show-only', 'charts/crds/templates/kyverno.io/kyverno.io_clusterpolicies.yaml'], { maxBuffer: 64 * 1024 * 1024 }).toString('utf8'));
    expect(crd.spec.names.kind).toBe('ClusterPolicy');
    for (const p of policies) expect([p.metadata.name, errorsAgainstCrd(crd, p)]).toEqual([p.metadata.name, []]);
  });
});
