import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { KEEP_ON_REMOVAL, SKIP_DRY_RUN, SYNC_OPTIONS_ANNOTATION } from '../argocd/types';
import { HTTPS_LISTENER, PUBLIC_GATEWAY, PUBLIC_GATEWAY_NAMESPACE } from '../catalog/public-gateway';
import type { ServiceTarget } from '../service/service-index';
import { databaseSecretName } from '../service/service-names';
import { ServiceSize, SIZES } from '../service/service-size';
import type { TeamService } from '../service/team-service';
import type { GatewayRef } from '../service/team-service-props';
import { VCLUSTER_MANAGED_BY, VCLUSTER_NAMESPACE } from '../tenant/vcluster-host-names';

const RUN_AS = 10001;
/** The names of the container ports (and of the Service ports that target them): the service's, and the metrics' when on a port of their own. */
const HTTP_PORT = 'http';
const METRICS_PORT = 'metrics';
/** The startup probe: every 10 s, restarted after 30 failures, so a service has 5 minutes to start (see TeamServiceProps.healthPath). */
const STARTUP_PERIOD_SECONDS = 10;
const STARTUP_FAILURES = 30;

/** The scope of each environment's chart the render stage replaces on every pass. */
const RENDERED = 'rendered';

/** The label that sets the migration Job's pods apart from the Deployment's (both carry the service's name). */
const COMPONENT_LABEL = 'app.kubernetes.io/component';
const MIGRATION_COMPONENT = 'migration';

/** The labels of every object of a service in an environment (inside the virtual cluster and on the host). */
function serviceLabels(s: Pick<ServiceTarget, 'name' | 'team'>, env: string): Record<string, string> {
  return { 'app.kubernetes.io/name': s.name, 'app.kubernetes.io/part-of': s.team, 'app.kubernetes.io/managed-by': 'cdk8s-gitops-platform', 'environment': env };
}

/**
 * Renders a team service into its charts, one per environment: a hardened Deployment with
 * spread, probes and a writable /tmp, its Service, HPA and PDB, the HTTPRoute on the Gateway,
 * and, when declared, its ExternalSecret and migration Job (its ServiceMonitor and database
 * claim go to the host: {@link renderTeamServiceHostSide}). Each chart's objects live in a scope
 * created afresh (rendering twice gives the same bytes).
 */
export function renderTeamService(s: TeamService): void {
  for (const [env, chart] of s._charts) {
    chart.node.tryRemoveChild(RENDERED);
    renderEnvironment(s, new Construct(chart, RENDERED), env);
  }
}

function renderEnvironment(s: TeamService, scope: Construct, env: string): void {
  const kp = plus();
  const p = s._props;
  const size = SIZES[p.size ?? ServiceSize.SMALL];
  const name = s.name;
  const pin = s.pin(env);
  const image = s.image(env);
  const host = s.hostFor(env);
  const labels = serviceLabels(s, env);
  const selector = { 'app.kubernetes.io/name': name };
  const secretName = `${name}-secrets`;
  // written on the host and mapped into the service's namespace (renderTeamServiceHostSide)
  const dbSecret = databaseSecretName(name);
  const secrets = p.secrets ?? [];
  const healthPath = p.healthPath ?? '/healthz';
  // metrics on a port of their own get a named container port and Service port `metrics`; on the service port, `http` is scraped
  const ownMetricsPort = metricsPortOfItsOwn(s);

  const containerSecurity: kplus.ContainerSecurityContextProps = {
    ensureNonRoot: true, user: RUN_AS, group: RUN_AS, privileged: false, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false,
    capabilities: { drop: [kp.Capability.ALL] },
    seccompProfile: { type: kp.SeccompProfileType.RUNTIME_DEFAULT },
  };
  const resources: kplus.ContainerResources = {
    cpu: { request: kp.Cpu.millis(size.cpuRequestMillis), limit: kp.Cpu.millis(size.cpuLimitMillis) },
    memory: { request: Size.mebibytes(size.memoryRequestMi), limit: Size.mebibytes(size.memoryLimitMi) },
  };
  const serviceSecret = secrets.length ? kp.Secret.fromSecretName(scope, 'service-secret', secretName) : undefined;
  const envVariables = (): Record<string, kplus.EnvValue> => {
    const vars: Record<string, kplus.EnvValue> = {};
    for (const k of Object.keys(p.env ?? {}).sort()) vars[k] = kp.EnvValue.fromValue(p.env![k]);
    for (const x of secrets) vars[x.name] = kp.EnvValue.fromSecretValue({ secret: serviceSecret!, key: x.name });
    return vars;
  };
  const envFrom = p.database ? [kp.Env.fromSecret(kp.Secret.fromSecretName(scope, 'db-secret', dbSecret))] : [];
  const podSecurity: kplus.PodSecurityContextProps = { ensureNonRoot: true, user: RUN_AS, group: RUN_AS, fsGroup: RUN_AS };
  const annotations = { 'cdk8s-gitops-platform/source-revision': pin.targetRevision };

  const deployment = new kp.Deployment(scope, 'deployment', {
    metadata: { name, labels, annotations: { ...annotations, 'reloader.stakater.com/auto': 'true' } },
    podMetadata: { labels, annotations },
    select: false,
    spread: false,
    securityContext: podSecurity,
    automountServiceAccountToken: false,
    containers: [{
      name,
      image,
      ports: [{ number: p.port, name: HTTP_PORT }, ...(ownMetricsPort !== undefined ? [{ number: ownMetricsPort, name: METRICS_PORT }] : [])],
      envVariables: envVariables(),
      envFrom,
      securityContext: containerSecurity,
      resources,
      // explicit, or cdk8s-plus adds a TCP startup probe with 3 failures (30 s): a slow start restarted in a loop.
      // The kubelet runs readiness and liveness only once the startup probe has passed.
      startup: kp.Probe.fromHttpGet(healthPath, { port: p.port, periodSeconds: Duration.seconds(STARTUP_PERIOD_SECONDS), failureThreshold: STARTUP_FAILURES }),
      readiness: kp.Probe.fromHttpGet(healthPath, { port: p.port, periodSeconds: Duration.seconds(10) }),
      liveness: kp.Probe.fromHttpGet(healthPath, { port: p.port, initialDelaySeconds: Duration.seconds(10), periodSeconds: Duration.seconds(20) }),
      volumeMounts: [{ path: '/tmp', volume: kp.Volume.fromEmptyDir(scope, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }) }],
    }],
  });
  deployment.select(kp.LabelSelector.of({ labels: selector }));
  ApiObject.of(deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [
    { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } },
    { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } },
  ]));

  // cdk8s-plus selects by a label derived from the construct path; select by the service name instead
  ApiObject.of(deployment).addJsonPatch(JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));
  // each Service port targets the container port of its name (cdk8s-plus's Service takes numbers only)
  new ApiObject(scope, 'service', {
    apiVersion: 'v1', kind: 'Service', metadata: { name, labels },
    spec: {
      type: 'ClusterIP',
      selector,
      ports: [{ name: HTTP_PORT, port: 80, targetPort: HTTP_PORT }, ...(ownMetricsPort !== undefined ? [{ name: METRICS_PORT, port: ownMetricsPort, targetPort: METRICS_PORT }] : [])],
    },
  });
  new kp.HorizontalPodAutoscaler(scope, 'hpa', {
    metadata: { name, labels },
    target: deployment,
    minReplicas: size.minReplicas,
    maxReplicas: size.maxReplicas,
    metrics: [kp.Metric.resourceCpu(kp.MetricTarget.averageUtilization(70))],
  });
  // vCluster syncs the budget to the host, where its pods run and the nodes are drained. There each pod's
  // controller is the vCluster's Service (the chart's experimental.syncSettings.setOwner), which has no
  // scale subresource: Kubernetes' disruption controller can evaluate a budget on those pods only with an
  // integer minAvailable (maxUnavailable or a percentage needs the controller's scale, and without it the
  // budget allows no eviction at all, so every drain of the node hangs). At the autoscaler's minimum it
  // allows one eviction at a time; the migration Job's pods carry the service's name too and are left out.
  new ApiObject(scope, 'pdb', {
    apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, labels },
    spec: {
      minAvailable: size.minReplicas - 1,
      selector: { matchLabels: selector, ...(p.migration ? { matchExpressions: [{ key: COMPONENT_LABEL, operator: 'NotIn', values: [MIGRATION_COMPONENT] }] } : {}) },
    },
  });
  // the Gateway lives on the host; the virtual cluster imports it under the same namespace/name (sync.fromHost.gateways)
  const gateway: GatewayRef = p.gateway ?? { name: PUBLIC_GATEWAY, namespace: PUBLIC_GATEWAY_NAMESPACE, sectionName: HTTPS_LISTENER };
  new ApiObject(scope, 'route', {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute',
    metadata: { name, labels, annotations: { 'external-dns.alpha.kubernetes.io/hostname': host } },
    spec: {
      parentRefs: [{ name: gateway.name, namespace: gateway.namespace, ...(gateway.sectionName ? { sectionName: gateway.sectionName } : {}) }],
      hostnames: [host],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name, port: 80 }] }],
    },
  });
  // Sync waves (see MigrationJob): the ExternalSecret's Secret comes first, then the migration hook, then the rollout.
  // The database's Secret comes from the host (renderTeamServiceHostSide): the pods wait for it (see DatabaseClaim)
  const beforeMigration = { 'argocd.argoproj.io/sync-wave': '-2' };
  if (secrets.length) {
    new ApiObject(scope, 'external-secret', {
      apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: secretName, labels, annotations: beforeMigration },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'SecretStore', name: p.secretStore ?? 'team-secrets' },
        target: { name: secretName, creationPolicy: 'Owner' },
        data: secrets.map((x) => ({ secretKey: x.name, remoteRef: { key: x.key, ...(x.property ? { property: x.property } : {}) } })),
      },
    });
  }
  if (p.migration) {
    const job = new kp.Job(scope, 'migration', {
      metadata: {
        name: `${name}-migrate`, labels,
        annotations: { 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/sync-wave': '-1', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation', ...annotations },
      },
      podMetadata: { labels: { ...labels, [COMPONENT_LABEL]: MIGRATION_COMPONENT } },
      securityContext: podSecurity,
      automountServiceAccountToken: false,
      backoffLimit: 2,
      activeDeadline: p.migration.timeout ?? Duration.minutes(10),
      containers: [{
        name: 'migrate', image, command: [...p.migration.command], envVariables: envVariables(), envFrom,
        securityContext: containerSecurity, resources,
        volumeMounts: [{ path: '/tmp', volume: kp.Volume.fromEmptyDir(scope, 'migrate-tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }) }],
      }],
    });
    ApiObject.of(job).addJsonPatch(JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));
  }
}

/**
 * Renders, into the tenant's host namespace (`scope` is the tenant's host side), what a team
 * service needs of the host that the open-source vCluster does not sync there (its sync of
 * custom resources to the host is a vCluster Pro feature). Both objects skip the dry run: their
 * kinds come with other Applications (kube-prometheus-stack; Crossplane and the platform team's XRD).
 *
 * - With `metrics`, the ServiceMonitor of the Service vCluster syncs from the service's
 *   namespace. vCluster 0.35 (pkg/util/translate/labels.go, `HostLabelsMap`) copies the
 *   virtual labels to the host Service (only `release` and its own `vcluster.loft.sh/*` keys are
 *   rewritten), then sets its two labels, so the tenant cannot forge them: the selector names the
 *   service's label and both of vCluster's, and matches that Service whatever its host name
 *   (`<name>-x-<namespace>-x-<vCluster>`, hashed past 63 characters). The Service's ports keep
 *   their names; `jobLabel` names the job after the service, not the host name.
 * - With `database`, the claim, whose connection Secret is written into the host namespace and
 *   mapped by vCluster into the service's namespace under the same name (`sync.fromHost.secrets`,
 *   see serviceIntegrationValues).
 *
 * @param tenant the tenant: its name, and its host namespace, which is also its vCluster's name (the release name)
 * @param wave their sync wave in the host folder's Application: after every tenant's PushSecret, so
 *   a kind missing on the host (a Crossplane claim whose definition is not installed yet) fails the
 *   last wave only, and holds back no virtual cluster's registration
 */
export function renderTeamServiceHostSide(scope: Construct, s: ServiceTarget, env: string, tenant: { readonly name: string; readonly namespace: string }, wave: number): void {
  const p = s._props;
  const labels = { ...serviceLabels(s, env), tenant: tenant.name };
  const metadata = (name: string, ...options: string[]) => ({
    name, namespace: tenant.namespace, labels,
    annotations: { [SYNC_OPTIONS_ANNOTATION]: [SKIP_DRY_RUN, ...options].join(','), 'argocd.argoproj.io/sync-wave': String(wave) },
  });
  if (p.metrics) {
    new ApiObject(scope, 'service-monitor', {
      apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: metadata(s.name),
      spec: {
        selector: { matchLabels: { 'app.kubernetes.io/name': s.name, [VCLUSTER_MANAGED_BY]: tenant.namespace, [VCLUSTER_NAMESPACE]: s.name } },
        jobLabel: 'app.kubernetes.io/name',
        endpoints: [{ port: metricsPortOfItsOwn(s) !== undefined ? METRICS_PORT : HTTP_PORT, path: p.metrics.path ?? '/metrics', interval: `${(p.metrics.interval ?? Duration.seconds(30)).toSeconds()}s` }],
      },
    });
  }
  if (p.database) {
    const secret = databaseSecretName(s.name);
    new ApiObject(scope, 'database', {
      // removed from code (or renamed), the claim stays: pruned, Crossplane deletes the database
      apiVersion: p.database.apiVersion, kind: p.database.kind, metadata: metadata(secret, KEEP_ON_REMOVAL),
      spec: {
        ...(p.database.parameters ? { parameters: sortKeys(p.database.parameters) } : {}),
        writeConnectionSecretToRef: { name: secret },
      },
    });
  }
}

/** The port of the service's metrics when it is one of their own (a named port `metrics`), not the service port (`http`). */
function metricsPortOfItsOwn(s: Pick<ServiceTarget, '_podPorts' | '_props'>): number | undefined {
  const port = s._podPorts.metrics;
  return port !== undefined && port !== s._props.port ? port : undefined;
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

/**
 * cdk8s-plus, loaded when a service renders: most platforms declare no TeamService and
 * should not pay its import (about 0.1 s) on every synth.
 */
function plus(): typeof import('cdk8s-plus-28') {
  return require('cdk8s-plus-28') as typeof import('cdk8s-plus-28');
}
