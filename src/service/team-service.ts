import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { fail, messages } from '../core/errors';
import { markKind, NodeKind } from '../graph/kinds';
import { checkDnsLabel, checkDomain } from '../core/validate';
import { PUBLIC_GATEWAY, PUBLIC_GATEWAY_NAMESPACE, servicesDomain } from '../catalog/public-gateway';
import { Platform } from '../platform';
import { defaultResolvers, objectFileName, objectJson } from '../synth/serialize';
import { TenantVCluster } from '../tenant/tenant-vcluster';
import { PinFile, pinFilePath, readServicePins } from './pin-file';
import { databaseSecretName } from './service-names';
import { ServiceSize } from './service-size';
import { ServiceTarget } from './service-index';
import { firstDeclaredTenant } from '../tenant/tenant-index';
import { toYaml } from '../synth/yaml';
import { checkChild, checkProps } from '../core/data';
import { checkServiceEndpoints } from './team-service-checks';
import { TeamServiceProps } from './team-service-props';

export * from './team-service-props';

const IMAGE_REPO = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The namespaces vCluster refuses as the target of a Gateway it imports from the host (pkg/config/validation.go), besides its own host namespace. */
const VCLUSTER_RESERVED_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'];

/**
 * A team's service on the golden path: developers declare the image, port, host,
 * environment variables, secrets and size; the library renders, for each
 * environment, a hardened Deployment (non-root, read-only root file system, no
 * capabilities, requests and limits, probes, topology spread), a Service, an
 * HTTPRoute on the shared Gateway's HTTPS listener with external-dns, a
 * HorizontalPodAutoscaler, a PodDisruptionBudget and, when asked, an
 * ExternalSecret and a migration Job (a Sync hook that runs after the Secrets exist
 * and before the Deployment rolls out).
 *
 * Each environment's image tag, revision and target cluster come from the pin file
 * `services/<team>/<service>/<env>.json`; the manifests are written to
 * `tenants/<tenant>/services/<service>/` of the tenant the pin targets, which an
 * ApplicationSet in the tenant's project delivers. What the host serves, the open-source
 * vCluster does not sync to it: the ServiceMonitor (metrics) and the Crossplane claim
 * (database) are rendered into the tenant's host namespace, with the host's folder, and
 * the claim's connection Secret is mapped from there into the service's namespace.
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
  /** @internal */ public readonly _hostSecrets: readonly string[];
  /** @internal */ public readonly _usesSecrets: boolean;
  /** @internal */ public readonly _gateway: string;
  /** @internal */ public readonly _podPorts: { readonly http: number; readonly metrics?: number };
  /** @internal The props as declared (checked in the constructor). */
  public readonly _props: TeamServiceProps;
  /** The platform this service belongs to. */
  public readonly platform: Platform;
  /** @internal One chart per environment, filled by the render stage. */
  public readonly _charts = new Map<string, Chart>();

  /**
   * @param scope the team's TenantVCluster, or any construct of the platform when `props.tenant` names the tenant
   */
  constructor(scope: Construct, id: string, props: TeamServiceProps) {
    super(checkChild(scope, id), id);
    const here = this.node.path;
    checkProps(here, props, '{ image, port }');
    const tenant: unknown = props.tenant ?? scope;
    if (!(tenant instanceof TenantVCluster)) {
      fail(here, props.tenant === undefined ? messages.service.scopeNotTenant(String(scope)) : messages.service.tenantNotTenant(String(tenant)));
    }
    this.platform = Platform.of(this);
    if (tenant.platform !== this.platform) fail(here, messages.service.tenantOfOtherPlatform(tenant.node.path));
    this.tenant = tenant;
    this.name = checkDnsLabel(here, 'name', props.name ?? id);
    if (!/^[a-z]/.test(this.name)) fail(here, messages.service.serviceName(this.name));
    if (props.migration !== undefined && this.name.length > 55) fail(here, messages.service.migrationJobName(this.name));
    this.team = checkDnsLabel(here, 'team', props.team ?? tenant.name);
    if (typeof props.image !== 'string' || !IMAGE_REPO.test(props.image)) {
      fail(here, messages.service.image(props.image));
    }
    if (!Number.isInteger(props.port) || props.port < 1024 || props.port > 65535) {
      fail(here, messages.service.port(props.port));
    }
    const apps = servicesDomain(this.platform.domain);
    this.host = checkDomain(here, 'host', props.host ?? `${this.name}-${this.team}.${apps}`);
    if (props.gateway === undefined && !(this.host.endsWith(`.${apps}`) && !this.host.slice(0, -apps.length - 1).includes('.'))) {
      fail(here, messages.service.hostOutsideGateway(this.host, apps, `${this.name}-${this.team}.${apps}`));
    }
    if (props.gateway !== undefined) {
      checkDnsLabel(here, 'gateway.name', props.gateway.name);
      checkDnsLabel(here, 'gateway.namespace', props.gateway.namespace);
      if (VCLUSTER_RESERVED_NAMESPACES.includes(props.gateway.namespace)) fail(here, messages.service.gatewayNamespaceReserved(props.gateway.namespace));
      if (props.gateway.sectionName !== undefined) checkDnsLabel(here, 'gateway.sectionName', props.gateway.sectionName);
    }
    if (props.size !== undefined && !Object.values(ServiceSize).includes(props.size)) {
      fail(here, messages.service.size(props.size, Object.values(ServiceSize)));
    }
    for (const k of Object.keys(props.env ?? {})) {
      if (!ENV_NAME.test(k)) fail(here, messages.service.envKey(k));
    }
    const secretNames = new Set<string>();
    (props.secrets ?? []).forEach((s, i) => {
      if (!ENV_NAME.test(s.name ?? '')) fail(here, messages.service.secretName(i, s.name));
      if (secretNames.has(s.name) || Object.prototype.hasOwnProperty.call(props.env ?? {}, s.name)) fail(here, messages.service.secretNameTwice(i, s.name));
      secretNames.add(s.name);
      if (typeof s.key !== 'string' || !s.key.startsWith(`${this.team}/`) || s.key.length <= this.team.length + 1) {
        fail(here, messages.service.secretKey(i, s.key, this.team, this.name));
      }
    });
    checkServiceEndpoints(here, props);
    if (props.database) {
      if (!/^[a-z0-9.-]+\/v[0-9a-z]+$/.test(props.database.apiVersion ?? '')) fail(here, messages.service.databaseApiVersion(props.database.apiVersion));
      if (!/^[A-Z][A-Za-z0-9]*$/.test(props.database.kind ?? '')) fail(here, messages.service.databaseKind(props.database.kind));
      if (props.database.plural !== undefined && (typeof props.database.plural !== 'string' || !/^[a-z][a-z0-9]*$/.test(props.database.plural))) {
        fail(here, messages.service.databasePlural(props.database.plural));
      }
    }
    const envs = props.environments ?? this.platform.environments;
    const known = this.platform.environments;
    if (envs.length === 0) fail(here, messages.service.noEnvironments(envs));
    for (const e of envs) {
      if (!known.includes(e)) fail(here, messages.service.undeclaredEnvironment(envs, e, known));
    }
    if (new Set(envs).size !== envs.length) fail(here, messages.service.environmentTwice(envs));
    // the one disk read of a construct: the pin files, at construction (the default root is explicit here)
    const root = props.repositoryRoot ?? process.cwd();
    this._pins = readServicePins(here, root, this.team, this.name, known.filter((e) => envs.includes(e)), (env) => this.suggestedCluster(env));
    for (const env of this._pins.keys()) {
      const h = this.hostFor(env);
      if (h.split('.')[0].length > 63) {
        fail(here, messages.service.hostTooLongIn(this.host, env, h));
      }
    }
    this._hostSecrets = props.database ? [databaseSecretName(this.name)] : [];
    this._usesSecrets = (props.secrets ?? []).length > 0;
    this._podPorts = { http: props.port, ...(props.metrics ? { metrics: props.metrics.port ?? props.port } : {}) };
    this._gateway = props.gateway ? `${props.gateway.namespace}/${props.gateway.name}` : `${PUBLIC_GATEWAY_NAMESPACE}/${PUBLIC_GATEWAY}`;
    this._props = props;
    for (const env of this._pins.keys()) {
      this._charts.set(env, new Chart(this.platform.cdk8sApp, `service.${here.split('/').slice(1).join('.')}.${env}`, { namespace: this.name, disableResourceNameHashes: true }));
    }
    // its rules (src/rules/service-rules.ts) run in this place of the declaration order
    markKind(this, NodeKind.TEAM_SERVICE);
  }

  /** @internal True when the service attaches to a Gateway of its own (not the shared one). */
  public get _ownGateway(): boolean {
    return this._props.gateway !== undefined;
  }

  /** The environments the service runs in, in promotion order. */
  public get environments(): string[] {
    return [...this._pins.keys()];
  }

  /** The pin of an environment (a copy). */
  public pin(env: string): PinFile {
    const p = this._pins.get(env);
    if (!p) throw new Error(messages.unknownEnvironment(this.node.path, env, this.environments));
    return { ...p };
  }

  /** The image reference deployed in an environment (`<repo>:<tag>` or `<repo>@sha256:...`). */
  public image(env: string): string {
    const tag = this.pin(env).imageTag;
    return tag.startsWith('sha256:') ? `${this._props.image}@${tag}` : `${this._props.image}:${tag}`;
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

  /** The tenant an environment's pin targets (after validation). */
  public target(env: string): TenantVCluster | undefined {
    return this.platform._graph().tenantsByClusterName.get(this.pin(env).cluster);
  }

  /** @internal `tenants/<tenant>/services/<service>/<kind>-<name>.yaml` per environment. */
  public _files(): Map<string, string> {
    return new Map([...this._fileObjects()].map(([f, json]) => [f, toYaml(json)]));
  }

  /** @internal The object of each of {@link _files} (the render's checks read them instead of parsing the YAML back). */
  public _fileObjects(): Map<string, unknown> {
    const files = new Map<string, unknown>();
    for (const [env, chart] of this._charts) {
      const t = this.target(env);
      if (!t) continue;
      const folder = `tenants/${t.name}/services/${this.name}`;
      const fast = defaultResolvers(chart);
      for (const c of chart.node.findAll()) {
        if (!ApiObject.isApiObject(c)) continue;
        const json = objectJson(c, fast);
        files.set(`${folder}/${objectFileName(json).split('/').pop()}`, json);
      }
    }
    return files;
  }
}
