import * as path from 'path';
import { ApiObject, Chart, Duration, JsonPatch, Size } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { badValue, fail, Problem } from '../core/errors';
import { checkDnsLabel, checkDomain } from '../core/validate';
import { hasHttpsListener, HTTPS_LISTENER, PUBLIC_GATEWAY, PUBLIC_GATEWAY_NAMESPACE, servicesDomain } from '../catalog/public-gateway';
import { ServiceCatalogEntry } from '../catalog/service-catalog-entry';
import { Platform } from '../platform';
import { objectFileName } from '../synth/serialize';
import { TenantVCluster } from '../tenant/tenant-vcluster';
import { firstDeclaredTenant } from '../tenant/tenant-index';
import { PinFile, PinFileError, pinFilePath, readPin } from './pin-file';
import { ServiceSize, SIZES } from './service-size';
import { ServiceTarget, servicesByCluster } from './service-index';
import { toYaml } from '../synth/yaml';
import { checkChild, checkProps } from '../core/data';
import { checkServiceEndpoints } from './team-service-checks';

/** A secret value the service reads as an environment variable, fetched by External Secrets. */
export interface ServiceSecret {
  /** The environment variable (and key of the service's Secret), e.g. `DB_PASSWORD`. */
  readonly name: string;
  /** The key in the team's secret store; must start with `<team>/`. */
  readonly key: string;
  /**
   * The property of a structured secret (a JSON field).
   * @default - the whole value
   */
  readonly property?: string;
}

/** Prometheus scraping through a ServiceMonitor (Prometheus operator). */
export interface ServiceMetrics {
  /**
   * The container port serving metrics.
   * @default - the service port
   */
  readonly port?: number;
  /** @default '/metrics' */
  readonly path?: string;
  /** @default Duration.seconds(30) */
  readonly interval?: Duration;
}

/**
 * A database through a Crossplane composite resource claim (the XRD the platform
 * team publishes). The claim writes its connection details to the Secret
 * `<service>-db`, which the service reads as environment variables.
 * @see https://docs.crossplane.io/latest/concepts/claims/
 */
export interface DatabaseClaim {
  /** The claim's apiVersion, e.g. `platform.acme.dev/v1alpha1`. */
  readonly apiVersion: string;
  /** The claim's kind, e.g. `PostgreSQLInstance`. */
  readonly kind: string;
  /**
   * The claim's plural resource name, `spec.claimNames.plural` of the XRD (e.g.
   * `postgresqlinstances`): the virtual cluster syncs the claims to the host by
   * `<plural>.<group>`. Required, because English plurals are not derivable from a
   * kind (`Policy` -> `policies`, `Redis` -> `redises` or `redis`).
   * @see https://docs.crossplane.io/latest/concepts/composite-resource-definitions/
   */
  readonly plural: string;
  /**
   * `spec.parameters` of the claim.
   * @default - none
   */
  readonly parameters?: Record<string, string | number | boolean>;
}

/**
 * A database migration run before each rollout: an Argo CD `Sync` hook Job with the
 * service's image, in sync wave -1, after the service's ExternalSecret and database
 * claim (wave -2) and before the Deployment (wave 0), so it also works on the very
 * first sync.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/
 */
export interface MigrationJob {
  /** The command, e.g. `['./migrate', 'up']`. */
  readonly command: string[];
  /** @default Duration.minutes(10) */
  readonly timeout?: Duration;
}

/** The shared Gateway API Gateway the service's HTTPRoute attaches to (a Gateway of the host cluster). */
export interface GatewayRef {
  /** The Gateway's name on the host. */
  readonly name: string;
  /** The Gateway's namespace on the host. */
  readonly namespace: string;
  /**
   * The listener the route attaches to (`parentRefs[].sectionName`): the one that terminates HTTPS for the service's host.
   * @default - every listener whose hostname matches the service's host
   */
  readonly sectionName?: string;
}

/** Props of {@link TeamService}. */
export interface TeamServiceProps {
  /** The image repository, without tag or digest (the pin files give the tag), e.g. `ghcr.io/acme/checkout`. */
  readonly image: string;
  /** The container port serving HTTP. */
  readonly port: number;
  /**
   * The public host name in the last (production) environment; other environments insert
   * the environment into the first label (`checkout-team-a.apps.acme.dev` ->
   * `checkout-team-a-staging.apps.acme.dev`). On the shared Gateway (no `gateway` given)
   * it must be one label under `apps.<platform domain>`, the names its wildcard HTTPS
   * listener terminates.
   * @default `<service>-<team>.apps.<platform domain>`
   */
  readonly host?: string;
  /**
   * The service name (DNS label): namespace, object names, pin folder.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The team: the folder of its pin files (`services/<team>/...`) and the prefix of its secret keys.
   * @default - the tenant's name
   */
  readonly team?: string;
  /**
   * Plain environment variables.
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * Secret environment variables, fetched by an ExternalSecret from the team's SecretStore.
   * @default - none
   * @see https://external-secrets.io/latest/api/externalsecret/
   */
  readonly secrets?: ServiceSecret[];
  /**
   * The name of the team's SecretStore in its virtual cluster (the team owns it and its credentials; the platform store is never exposed to tenants).
   * @default 'team-secrets'
   */
  readonly secretStore?: string;
  /** @default ServiceSize.SMALL */
  readonly size?: ServiceSize;
  /**
   * The HTTP path of the liveness and readiness probes.
   * @default '/healthz'
   */
  readonly healthPath?: string;
  /**
   * Scrape metrics with a ServiceMonitor.
   * @default - no ServiceMonitor
   * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.ServiceMonitor
   */
  readonly metrics?: ServiceMetrics;
  /**
   * A database claimed through Crossplane.
   * @default - none
   */
  readonly database?: DatabaseClaim;
  /**
   * A migration Job run before each rollout.
   * @default - none
   * @see https://argo-cd.readthedocs.io/en/stable/user-guide/resource_hooks/
   */
  readonly migration?: MigrationJob;
  /**
   * The environments the service runs in (each needs its pin file).
   * @default - the platform's environments
   */
  readonly environments?: string[];
  /**
   * The folder holding `services/<team>/<service>/<env>.json` (usually the repository root). Read once, at construction; never written to the output.
   * @default - the process's working folder
   */
  readonly repositoryRoot?: string;
  /**
   * The host cluster's Gateway the HTTPRoute attaches to. The Gateway terminates TLS: a
   * Gateway other than the default must have a listener (and certificate) for the
   * service's host names in every environment; the library does not check it.
   * @default - the shared Gateway `public` in `envoy-gateway-system`, listener `https` (`Catalog.gatewayApi({ https })`)
   * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
   */
  readonly gateway?: GatewayRef;
}

const IMAGE_REPO = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RUN_AS = 10001;

/**
 * A team's service on the golden path: developers declare the image, port, host,
 * environment variables, secrets and size; the library renders, for each
 * environment, a hardened Deployment (non-root, read-only root file system, no
 * capabilities, requests and limits, probes, topology spread), a Service, an
 * HTTPRoute on the shared Gateway's HTTPS listener with external-dns, a
 * HorizontalPodAutoscaler, a PodDisruptionBudget and, when asked, an
 * ExternalSecret, a ServiceMonitor, a Crossplane claim and a migration Job (a
 * Sync hook that runs after the Secrets exist and before the Deployment rolls out).
 *
 * Each environment's image tag, revision and target cluster come from the pin file
 * `services/<team>/<service>/<env>.json`; the manifests are written to
 * `tenants/<tenant>/services/<service>/` of the tenant the pin targets, which an
 * ApplicationSet in the tenant's project delivers.
 */
export class TeamService extends Construct implements ServiceTarget {
  /** @internal */ public readonly _teamService = true as const;
  /** The service name. */
  public readonly name: string;
  /** The team. */
  public readonly team: string;
  /** The tenant the service is declared in. */
  public readonly tenant: TenantVCluster;
  /** The production host name. */
  public readonly host: string;
  /** @internal */ public readonly _pins: ReadonlyMap<string, PinFile>;
  /** @internal */ public readonly _customResources: readonly string[];
  /** @internal */ public readonly _gateway: string;
  private readonly props: TeamServiceProps;
  private readonly platform: Platform;
  private readonly charts = new Map<string, Chart>();

  constructor(tenant: TenantVCluster, id: string, props: TeamServiceProps) {
    super(checkChild(tenant, id), id);
    const here = this.node.path;
    checkProps(here, props, '{ image, port }');
    if (!(tenant instanceof TenantVCluster)) fail(here, badValue('scope', String(tenant), 'a TenantVCluster', 'declare the service inside its team\'s tenant'));
    this.platform = Platform.of(this);
    this.tenant = tenant;
    this.name = checkDnsLabel(here, 'name', props.name ?? id);
    this.team = checkDnsLabel(here, 'team', props.team ?? tenant.name);
    if (typeof props.image !== 'string' || !IMAGE_REPO.test(props.image)) {
      fail(here, badValue('image', props.image, 'an image repository without tag or digest, e.g. "ghcr.io/acme/checkout"', 'remove the ":<tag>" or "@<digest>" (the pin files give the tag)'));
    }
    if (!Number.isInteger(props.port) || props.port < 1024 || props.port > 65535) {
      fail(here, badValue('port', props.port, 'a whole number from 1024 to 65535 (the service runs as non-root and cannot bind lower ports)', 'listen on an unprivileged port such as 8080'));
    }
    const apps = servicesDomain(this.platform.domain);
    this.host = checkDomain(here, 'host', props.host ?? `${this.name}-${this.team}.${apps}`);
    if (props.gateway === undefined && !(this.host.endsWith(`.${apps}`) && !this.host.slice(0, -apps.length - 1).includes('.'))) {
      fail(here, badValue('host', this.host, `one DNS label under "${apps}" (the shared Gateway terminates HTTPS for "*.${apps}" only)`,
        `use e.g. "${this.name}-${this.team}.${apps}", or set gateway to a Gateway with a listener and certificate for this host`));
    }
    if (props.gateway !== undefined) {
      checkDnsLabel(here, 'gateway.name', props.gateway.name);
      checkDnsLabel(here, 'gateway.namespace', props.gateway.namespace);
      if (props.gateway.sectionName !== undefined) checkDnsLabel(here, 'gateway.sectionName', props.gateway.sectionName);
    }
    if (props.size !== undefined && !Object.values(ServiceSize).includes(props.size)) {
      fail(here, badValue('size', props.size, Object.values(ServiceSize).map((s) => `ServiceSize.${s.toUpperCase()}`).join(', '), 'pick a size'));
    }
    for (const k of Object.keys(props.env ?? {})) {
      if (!ENV_NAME.test(k)) fail(here, badValue(`env key`, k, 'letters, digits and "_", not starting with a digit', 'rename the variable'));
    }
    const secretNames = new Set<string>();
    (props.secrets ?? []).forEach((s, i) => {
      if (!ENV_NAME.test(s.name ?? '')) fail(here, badValue(`secrets[${i}].name`, s.name, 'letters, digits and "_", not starting with a digit', 'rename the variable'));
      if (secretNames.has(s.name) || Object.prototype.hasOwnProperty.call(props.env ?? {}, s.name)) fail(here, badValue(`secrets[${i}].name`, s.name, 'a variable set once (in env or secrets)', 'remove the duplicate'));
      secretNames.add(s.name);
      if (typeof s.key !== 'string' || !s.key.startsWith(`${this.team}/`) || s.key.length <= this.team.length + 1) {
        fail(here, badValue(`secrets[${i}].key`, s.key, `a key of the team's store under "${this.team}/"`, `name it "${this.team}/${this.name}/<secret>"`));
      }
    });
    checkServiceEndpoints(here, props);
    if (props.database) {
      if (!/^[a-z0-9.-]+\/v[0-9a-z]+$/.test(props.database.apiVersion ?? '')) fail(here, badValue('database.apiVersion', props.database.apiVersion, '"<group>/<version>" of the claim, e.g. "platform.acme.dev/v1alpha1"', 'copy it from the platform team\'s XRD'));
      if (!/^[A-Z][A-Za-z0-9]*$/.test(props.database.kind ?? '')) fail(here, badValue('database.kind', props.database.kind, 'the claim kind, e.g. "PostgreSQLInstance"', 'copy it from the platform team\'s XRD'));
      if (typeof props.database.plural !== 'string' || !/^[a-z][a-z0-9]*$/.test(props.database.plural)) {
        fail(here, badValue('database.plural', props.database.plural, 'the claim\'s plural resource name in lower case, e.g. "postgresqlinstances"', 'copy spec.claimNames.plural from the platform team\'s XRD (plurals are not derived from the kind)'));
      }
    }
    const envs = props.environments ?? this.platform.environments;
    const known = this.platform.environments;
    if (envs.length === 0) fail(here, badValue('environments', envs, 'one or more of the platform\'s environments', 'list where the service runs'));
    for (const e of envs) {
      if (!known.includes(e)) fail(here, badValue('environments', envs, `the platform's environments: ${known.join(', ')}`, `remove "${e}"`));
    }
    if (new Set(envs).size !== envs.length) fail(here, badValue('environments', envs, 'each environment once', 'remove the duplicate'));
    const root = path.resolve(props.repositoryRoot ?? process.cwd());
    const pins = new Map<string, PinFile>();
    for (const env of known.filter((e) => envs.includes(e))) {
      try {
        pins.set(env, readPin(root, this.team, this.name, env, this.suggestedCluster(env)));
      } catch (e) {
        if (e instanceof PinFileError) fail(here, e.message);
        throw e;
      }
    }
    this._pins = pins;
    for (const env of pins.keys()) {
      const h = this.hostFor(env);
      if (h.split('.')[0].length > 63) {
        fail(here, badValue('host', this.host, `a first label that still is a DNS label (63 characters at most) with "-${env}" appended, as "${h}" is the host in "${env}"`, 'shorten the first label of host (or the service name)'));
      }
    }
    this._customResources = [
      ...(props.metrics ? ['servicemonitors.monitoring.coreos.com'] : []),
      ...(props.database ? [`${props.database.plural}.${props.database.apiVersion.split('/')[0]}`] : []),
    ];
    this._gateway = props.gateway ? `${props.gateway.namespace}/${props.gateway.name}` : `${PUBLIC_GATEWAY_NAMESPACE}/${PUBLIC_GATEWAY}`;
    this.props = props;
    for (const env of pins.keys()) {
      this.charts.set(env, new Chart(this.platform.cdk8sApp, `service.${here.split('/').slice(1).join('.')}.${env}`, { namespace: this.name, disableResourceNameHashes: true }));
    }
    this.platform.addRule(() => this.rules());
  }

  /** The environments the service runs in, in promotion order. */
  public get environments(): string[] {
    return [...this._pins.keys()];
  }

  /** The pin of an environment (a copy). */
  public pin(env: string): PinFile {
    const p = this._pins.get(env);
    if (!p) throw new Error(`[${this.node.path}] has no environment "${env}". Fix: use one of ${this.environments.join(', ')}.`);
    return { ...p };
  }

  /** The image reference deployed in an environment (`<repo>:<tag>` or `<repo>@sha256:...`). */
  public image(env: string): string {
    const tag = this.pin(env).imageTag;
    return tag.startsWith('sha256:') ? `${this.props.image}@${tag}` : `${this.props.image}:${tag}`;
  }

  /** The public host name in an environment. */
  public hostFor(env: string): string {
    const envs = this.platform.environments;
    if (env === envs[envs.length - 1]) return this.host;
    const dot = this.host.indexOf('.');
    return `${this.host.slice(0, dot)}-${env}${this.host.slice(dot)}`;
  }

  /** The pin file's repository-relative path for an environment. */
  public pinFile(env: string): string {
    return pinFilePath(this.team, this.name, env);
  }

  /**
   * The team's tenant in `env` declared so far (the service's own first), for the fix of a
   * missing pin file: the tenant's own environment, which may differ from its host's.
   */
  private suggestedCluster(env: string): string | undefined {
    const own = this.tenant;
    if (own.environment === env) return own.clusterName;
    // the tenants declared so far, first in tree order (no walk of the whole tree per service)
    return firstDeclaredTenant<TenantVCluster>(this.platform, (c) => c.environment === env && c.owners.some((o) => own.owners.includes(o)))?.clusterName;
  }

  private tenants(): Map<string, TenantVCluster> {
    return this.platform._cached('tenants-by-cluster-name', () => {
      const m = new Map<string, TenantVCluster>();
      for (const c of this.platform._all()) if (c instanceof TenantVCluster && !m.has(c.clusterName)) m.set(c.clusterName, c);
      return m;
    });
  }

  /** The tenant an environment's pin targets (after validation). */
  public target(env: string): TenantVCluster | undefined {
    return this.tenants().get(this.pin(env).cluster);
  }

  /** The clusters targeted by a gateway entry with the HTTPS listener (one walk per pass). */
  private httpsClusters(): ReadonlySet<string> {
    return this.platform._cached('clusters-with-https-listener', () => new Set(this.platform._all()
      .filter((c): c is ServiceCatalogEntry => c instanceof ServiceCatalogEntry && hasHttpsListener(c))
      .flatMap((e) => e.targetedClusters)));
  }

  private rules(): Problem[] {
    const here = this.node.path;
    const problems: Problem[] = [];
    const tenants = this.tenants();
    for (const [env, pin] of this._pins) {
      const file = this.pinFile(env);
      const t = tenants.get(pin.cluster);
      // valid pins are the rule: list the team's tenants (a scan of every tenant) only for a message
      if (t && t.environment === env && t.owners.some((o) => this.tenant.owners.includes(o))) continue;
      const candidates = [...tenants.values()].filter((x) => x.environment === env && x.owners.some((o) => this.tenant.owners.includes(o))).map((x) => `"${x.clusterName}"`);
      const allowed = candidates.length ? candidates.join(', ') : `none yet: declare a TenantVCluster for the team on a host of environment "${env}"`;
      if (!t) {
        problems.push({ path: here, message: `${file}: ${badValue('cluster', pin.cluster, `the virtual cluster of one of the team's tenants in "${env}": ${allowed}`, 'set "cluster" to the vc-<tenant> name of the tenant that runs this environment')}` });
      } else if (t.environment !== env) {
        problems.push({ path: here, message: `${file}: ${badValue('cluster', pin.cluster, `a tenant in environment "${env}" (this one is in "${t.environment}"): ${allowed}`, 'point the pin at the tenant of this environment')}` });
      } else if (!t.owners.some((o) => this.tenant.owners.includes(o))) {
        problems.push({ path: here, message: `${file}: ${badValue('cluster', pin.cluster, `a tenant owned by the team (${this.tenant.owners.join(', ')}): ${allowed}`, 'deploy only into the team\'s own tenants')}` });
      }
    }
    // the shared Gateway must terminate HTTPS for the service's names on each target's host
    if (this.props.gateway === undefined) {
      const https = this.httpsClusters();
      for (const [env, pin] of this._pins) {
        const t = tenants.get(pin.cluster);
        if (!t || https.has(t.host.name)) continue;
        const apps = servicesDomain(this.platform.domain);
        problems.push({ path: here, message: `environment "${env}": the shared Gateway "${PUBLIC_GATEWAY_NAMESPACE}/${PUBLIC_GATEWAY}" of cluster "${t.host.name}" (host of "${pin.cluster}") has no HTTPS listener for "*.${apps}", so "${this.hostFor(env)}" would not be served over HTTPS. Fix: declare Catalog.gatewayApi(platform, { https: {} }) (or Catalog.coreBasic(platform, { https: {} })) targeting that cluster, or set gateway to a Gateway that terminates TLS for the host.` });
      }
    }
    // two services rendered into the same tenant folder
    const index = servicesByCluster(this.platform);
    for (const cluster of new Set([...this._pins.values()].map((pin) => pin.cluster))) {
      const first = (index.get(cluster) ?? []).find((e) => e.service.name === this.name);
      if (first && first.service !== this) {
        problems.push({ path: here, message: `duplicate service "${this.name}" in virtual cluster "${cluster}": also declared at ${first.service.node.path}. Fix: give each service of a tenant a unique name.` });
      }
    }
    return problems;
  }

  /** @internal Re-creates the rendered objects (rendering twice gives the same bytes). */
  public _render(): void {
    for (const [env, chart] of this.charts) {
      chart.node.tryRemoveChild('rendered');
      this.renderEnv(new Construct(chart, 'rendered'), env);
    }
  }

  /** @internal `tenants/<tenant>/services/<service>/<kind>-<name>.yaml` per environment. */
  public _files(): Map<string, string> {
    return new Map([...this._fileObjects()].map(([f, json]) => [f, toYaml(json)]));
  }

  /** @internal The object of each of {@link _files} (the render's checks read them instead of parsing the YAML back). */
  public _fileObjects(): Map<string, unknown> {
    const files = new Map<string, unknown>();
    for (const [env, chart] of this.charts) {
      const t = this.target(env);
      if (!t) continue;
      const folder = `tenants/${t.name}/services/${this.name}`;
      for (const c of chart.node.findAll()) {
        if (!ApiObject.isApiObject(c)) continue;
        const json = c.toJson();
        files.set(`${folder}/${objectFileName(json).split('/').pop()}`, json);
      }
    }
    return files;
  }

  private renderEnv(scope: Construct, env: string): void {
    const kp = plus();
    const p = this.props;
    const size = SIZES[p.size ?? ServiceSize.SMALL];
    const name = this.name;
    const pin = this.pin(env);
    const image = this.image(env);
    const host = this.hostFor(env);
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': this.team, 'app.kubernetes.io/managed-by': 'cdk8s-gitops-platform', 'environment': env };
    const selector = { 'app.kubernetes.io/name': name };
    const secretName = `${name}-secrets`;
    const dbSecret = `${name}-db`;
    const secrets = p.secrets ?? [];

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
      for (const s of secrets) vars[s.name] = kp.EnvValue.fromSecretValue({ secret: serviceSecret!, key: s.name });
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
        portNumber: p.port,
        envVariables: envVariables(),
        envFrom,
        securityContext: containerSecurity,
        resources,
        readiness: kp.Probe.fromHttpGet(p.healthPath ?? '/healthz', { port: p.port, periodSeconds: Duration.seconds(10) }),
        liveness: kp.Probe.fromHttpGet(p.healthPath ?? '/healthz', { port: p.port, initialDelaySeconds: Duration.seconds(10), periodSeconds: Duration.seconds(20) }),
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
    new kp.Service(scope, 'service', {
      metadata: { name, labels },
      ports: [{ name: 'http', port: 80, targetPort: p.port }],
    }).selectLabel('app.kubernetes.io/name', name);
    new kp.HorizontalPodAutoscaler(scope, 'hpa', {
      metadata: { name, labels },
      target: deployment,
      minReplicas: size.minReplicas,
      maxReplicas: size.maxReplicas,
      metrics: [kp.Metric.resourceCpu(kp.MetricTarget.averageUtilization(70))],
    });
    new ApiObject(scope, 'pdb', {
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, labels },
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
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
    // Sync waves (see MigrationJob): the Secrets the pods read come first, then the migration hook, then the rollout
    const beforeMigration = { 'argocd.argoproj.io/sync-wave': '-2' };
    if (secrets.length) {
      new ApiObject(scope, 'external-secret', {
        apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: secretName, labels, annotations: beforeMigration },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: { kind: 'SecretStore', name: p.secretStore ?? 'team-secrets' },
          target: { name: secretName, creationPolicy: 'Owner' },
          data: secrets.map((s) => ({ secretKey: s.name, remoteRef: { key: s.key, ...(s.property ? { property: s.property } : {}) } })),
        },
      });
    }
    if (p.metrics) {
      const metricsPort = p.metrics.port ?? p.port;
      new ApiObject(scope, 'service-monitor', {
        apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name, labels },
        spec: {
          selector: { matchLabels: selector },
          endpoints: [metricsPort === p.port
            ? { port: 'http', path: p.metrics.path ?? '/metrics', interval: `${(p.metrics.interval ?? Duration.seconds(30)).toSeconds()}s` }
            : { targetPort: metricsPort, path: p.metrics.path ?? '/metrics', interval: `${(p.metrics.interval ?? Duration.seconds(30)).toSeconds()}s` }],
        },
      });
    }
    if (p.database) {
      new ApiObject(scope, 'database', {
        apiVersion: p.database.apiVersion, kind: p.database.kind, metadata: { name: dbSecret, labels, annotations: beforeMigration },
        spec: {
          ...(p.database.parameters ? { parameters: sortKeys(p.database.parameters) } : {}),
          writeConnectionSecretToRef: { name: dbSecret },
        },
      });
    }
    if (p.migration) {
      const job = new kp.Job(scope, 'migration', {
        metadata: {
          name: `${name}-migrate`, labels,
          annotations: { 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/sync-wave': '-1', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation', ...annotations },
        },
        podMetadata: { labels: { ...labels, 'app.kubernetes.io/component': 'migration' } },
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
