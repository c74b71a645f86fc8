import { ApiObjectProps } from 'cdk8s';
import { checkPolicyExceptions, PolicyException } from '../policy/policy-exception';
import { Construct } from 'constructs';
import { ARGOCD_API_VERSION, ARGOCD_NAMESPACE } from '../argocd/types';
import { badValue, fail, messages, Problem } from '../core/errors';
import { layerValues } from '../core/merge';
import { checkChild, checkData, checkInstance, checkProps, checkRecord } from '../core/data';
import { checkAnnotationMap, checkApiVersion, checkDnsLabel, checkHelmReleaseName, checkKind, checkLabelMap, checkNoTemplate, checkSyncOptions } from '../core/validate';
import { ClusterOutput, targetableClusters } from '../cluster/fleet-cluster';
import { Platform } from '../platform';
import { ClusterSelector, SelectorOperator } from './cluster-selector';
import { impliedDependencies, impliedDependencyProblems } from './implied-dependencies';
import { HelmChart, isExactVersion } from './helm-chart';
import { toYaml } from '../synth/yaml';
import { TemplateActionError, templatePatch } from './template-patch';
import { analyseGraph, GraphAnalysis } from './dependency-graph';
import { AddonIdentity } from './addon-identity';
import { CloudProvider } from '../model/cloud';

/** A Kubernetes object applied with the chart (e.g. a ClusterIssuer), as plain data. */
export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly [key: string]: unknown;
}

/** Props of {@link ServiceCatalogEntry}. */
export interface ServiceCatalogEntryProps {
  /**
   * The pinned chart. Its version is the default pin of every environment.
   * @default - none: a manifest-only entry, the folder of `manifests` (and `environmentManifests`)
   *   synced from this repository at its revision; `manifests` is then required and the chart
   *   props (`values`, `environmentValues`, `clusterValues`, `versions`, `releaseName`) are refused
   */
  readonly chart?: HelmChart;
  /** The namespace the chart is installed into on each cluster. */
  readonly namespace: string;
  /** Which clusters get the entry, by their registration labels. */
  readonly targets: ClusterSelector;
  /**
   * Entry name: ApplicationSet name, Application suffix, `catalog/<name>/` folder.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The cloud identity the add-on needs to call a cloud API. The library creates it in the
   * state of every declared cluster the entry targets (AKS: a user-assigned identity with a
   * federated credential for the service account and the roles; EKS: an IAM role with the
   * policy and a Pod Identity association); put its outputs (`identity.clientId`,
   * `identity.roleArn`) into `values` where the chart needs them.
   * @default - none (the add-on calls no cloud API)
   * @see docs/day-one.md
   */
  readonly identity?: AddonIdentity;
  /**
   * Default values (`catalog/<name>/values.yaml`). A {@link ClusterOutput} anywhere in
   * them becomes that cluster's annotation, templated per cluster.
   * @default - none
   */
  readonly values?: Record<string, unknown>;
  /**
   * Values per environment (`catalog/<name>/env/<env>.yaml`), layered over the defaults.
   * @default - none
   */
  readonly environmentValues?: Record<string, Record<string, unknown>>;
  /**
   * Values per cluster name (`catalog/<name>/clusters/<cluster>.yaml`), layered last.
   * @default - none
   */
  readonly clusterValues?: Record<string, Record<string, unknown>>;
  /**
   * Chart version per environment; promotion is changing the pin of the next environment.
   * @default - `chart.version` everywhere
   */
  readonly versions?: Record<string, string>;
  /**
   * Sync wave of the ApplicationSet (lower first).
   * @default - one more than the highest wave of `dependsOn`, else 0
   */
  readonly syncWave?: number;
  /**
   * Extra sync options of the generated Applications.
   * @default - none
   */
  readonly syncOptions?: string[];
  /**
   * Server-side apply (charts with large CRDs need it).
   * @default false
   */
  readonly serverSideApply?: boolean;
  /**
   * Let Argo CD create the namespace.
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Prune resources removed from the chart (off for shared tools, on for owned ones).
   * @default false
   */
  readonly prune?: boolean;
  /**
   * Give the entry its own AppProject (sources: the chart and this repository; destinations:
   * the entry's namespace on the clusters it targets) instead of the platform's.
   * @default false
   */
  readonly ownProject?: boolean;
  /**
   * Security rules the entry's chart output may break, each with its reason: the policy pass
   * over rendered charts (`renderApplications` + `checkChartPolicies`, the `render` and
   * `preview` commands) skips what they cover, and PLATFORM.md lists them.
   * @default - none: every rule applies to the chart's output
   */
  readonly policyExceptions?: PolicyException[];
  /**
   * Roll out across environments in the platform's order with an ApplicationSet RollingSync.
   * @default false
   * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Progressive-Syncs/
   */
  readonly progressiveSync?: boolean;
  /**
   * Entries that must be installed on every cluster this one targets.
   * @default - none
   */
  readonly dependsOn?: ServiceCatalogEntry[];
  /**
   * Helm release name.
   * @default - the entry name
   */
  readonly releaseName?: string;
  /**
   * Objects applied with the chart on every targeted cluster (`catalog/<name>/manifests/`).
   * @default - none
   */
  readonly manifests?: ManifestObject[];
  /**
   * Objects applied with the chart in one environment only (`catalog/<name>/manifests/<env>/`); replaces `manifests` there.
   * @default - none
   */
  readonly environmentManifests?: Record<string, ManifestObject[]>;
  /**
   * A synth-time warning for users of this entry (e.g. a retired upstream project).
   * @default - none
   */
  readonly deprecation?: string;
}

const PART_OF = 'platform-catalog';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ClusterOutput.isClusterOutput(v);
}

/** Splits values into the static part (value files) and the cluster-output part (templated per cluster). */
function splitOutputs(values: Record<string, unknown>): { static: Record<string, unknown>; templated: Record<string, unknown>; outputs: string[]; templates: string[]; templatedKeys: string[] } {
  const outputs: string[] = [];
  const templates: string[] = [];
  const templatedKeys: string[] = [];
  const walk = (v: Record<string, unknown>): [Record<string, unknown>, Record<string, unknown>] => {
    const s: Record<string, unknown> = {};
    const t: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (ClusterOutput.isClusterOutput(x)) {
        t[k] = x.goTemplate;
        templates.push(x.goTemplate);
        templatedKeys.push(k);
        if (!x._builtin) outputs.push(x.name);
      } else if (isPlainObject(x)) {
        const [ss, tt] = walk(x);
        if (Object.keys(ss).length || !Object.keys(tt).length) s[k] = ss;
        if (Object.keys(tt).length) {
          t[k] = tt;
          templatedKeys.push(k);
        }
      } else {
        s[k] = x;
      }
    }
    return [s, t];
  };
  const [s, t] = walk(values);
  return { static: s, templated: t, outputs, templates, templatedKeys };
}

/**
 * One tool offered to the fleet: a pinned Helm chart rendered as an ApplicationSet in
 * each management cluster's folder. Cluster generators select clusters by label (one
 * generator per environment, carrying that environment's version pin and value files);
 * Go templates run with `missingkey=error`; values are layered
 * `catalog/<name>/values.yaml` -> `env/<env>.yaml` -> `clusters/<cluster>.yaml`, and only
 * layers with content are written and referenced.
 */
export class ServiceCatalogEntry extends Construct {
  /** Entry name. */
  public readonly name: string;
  /** The pinned chart; `undefined` for a manifest-only entry. */
  public readonly chart?: HelmChart;
  /** Target namespace. */
  public readonly namespace: string;
  /** The selector. */
  public readonly targets: ClusterSelector;
  /** The platform. */
  public readonly platform: Platform;
  private readonly props: ServiceCatalogEntryProps;
  private readonly _policyExceptions: PolicyException[];
  private readonly split: ReturnType<typeof splitOutputs>;

  constructor(scope: Construct, id: string, props: ServiceCatalogEntryProps) {
    super(checkChild(scope, id), id);
    const here = this.node.path;
    checkProps(here, props, '{ chart, namespace, targets }');
    this.platform = Platform.of(this);
    this.name = checkDnsLabel(here, 'name', props.name ?? id);
    if (props.chart === undefined) {
      if (!props.manifests?.length) fail(here, badValue('manifests', props.manifests, 'one or more objects for an entry without a chart (a manifest-only entry)', 'add the manifests, or a chart'));
      for (const p of ['values', 'environmentValues', 'clusterValues', 'versions', 'releaseName'] as const) {
        if (props[p] !== undefined) fail(here, badValue(p, props[p], 'nothing for a manifest-only entry (it has no chart)', `remove ${p}, or add a chart`));
      }
    } else {
      if (props.releaseName === undefined) checkHelmReleaseName(here, 'name (the default releaseName)', this.name);
      else checkHelmReleaseName(here, 'releaseName', props.releaseName);
      if (!(props.chart instanceof HelmChart)) fail(here, badValue('chart', props.chart, 'HelmChart.fromRepository({...}) or HelmChart.oci({...})', 'declare the chart with a factory'));
      const chartProblems = props.chart._problems('chart');
      if (chartProblems.length) fail(here, chartProblems[0]);
    }
    if (props.syncOptions !== undefined) checkSyncOptions(here, 'syncOptions', props.syncOptions);
    if (!(props.targets instanceof ClusterSelector)) fail(here, badValue('targets', props.targets, 'a ClusterSelector', 'use ClusterSelector.labels({...}) and friends'));
    const selectorProblems = props.targets._problems('targets');
    if (selectorProblems.length) fail(here, selectorProblems[0]);
    this.namespace = checkDnsLabel(here, 'namespace', props.namespace);
    this.checkValues(props);
    const envs = this.platform.environments;
    for (const [prop, map] of [['versions', props.versions], ['environmentValues', props.environmentValues], ['environmentManifests', props.environmentManifests]] as const) {
      for (const env of Object.keys(map ?? {})) {
        if (!envs.includes(env)) fail(here, badValue(`${prop}.${env}`, env, `one of the platform's environments: ${envs.join(', ')}`, 'use a declared environment'));
      }
    }
    for (const [env, v] of Object.entries(props.versions ?? {})) {
      if (!isExactVersion(v)) fail(here, badValue(`versions.${env}`, v, 'an exact chart version such as "1.21.1" (no ranges)', 'pin one upstream release'));
    }
    for (const c of Object.keys(props.clusterValues ?? {})) checkDnsLabel(here, `clusterValues key`, c);
    if (props.syncWave !== undefined && !Number.isInteger(props.syncWave)) fail(here, badValue('syncWave', props.syncWave, 'a whole number', 'use an integer wave'));
    for (const o of [...(props.manifests ?? []), ...Object.values(props.environmentManifests ?? {}).flat()]) {
      if (typeof o?.apiVersion !== 'string' || typeof o?.kind !== 'string') fail(here, badValue('manifests[]', o, 'Kubernetes objects with apiVersion, kind and metadata.name', 'complete the object'));
      checkApiVersion(here, 'manifests[] apiVersion', o.apiVersion);
      checkKind(here, 'manifests[] kind', o.kind);
      checkDnsLabel(here, `manifests ${o.kind} metadata.name`, o.metadata?.name);
      if (o.metadata.namespace !== undefined) checkDnsLabel(here, `manifests ${o.kind} ${o.metadata.name} metadata.namespace`, o.metadata.namespace);
      checkLabelMap(here, `manifests ${o.kind} ${o.metadata.name} metadata.labels`, o.metadata.labels);
      checkAnnotationMap(here, `manifests ${o.kind} ${o.metadata.name} metadata.annotations`, o.metadata.annotations);
      if (o.kind === 'Secret') fail(here, badValue('manifests[]', 'Secret', 'no Secret (credentials come through the secret store)', 'use an ExternalSecret'));
    }
    if (props.identity !== undefined) {
      if (!(props.identity instanceof AddonIdentity)) fail(here, badValue('identity', props.identity, 'AddonIdentity.azure({...}) or AddonIdentity.aws({...})', 'declare the identity with a factory'));
      props.identity._validate(here);
    }
    this.chart = props.chart;
    this.targets = props.targets;
    this.props = props;
    this._policyExceptions = checkPolicyExceptions(here, 'policyExceptions', props.policyExceptions);
    this.split = splitOutputs(props.values ?? {});
    for (const k of this.split.templatedKeys) checkNoTemplate(here, 'values key (on the path to a ClusterOutput)', k);
    if (Object.values(props.environmentValues ?? {}).some((v) => splitOutputs(v).outputs.length) || Object.values(props.clusterValues ?? {}).some((v) => splitOutputs(v).outputs.length)) {
      fail(here, badValue('environmentValues / clusterValues', 'a ClusterOutput', 'cluster outputs in `values` only', 'move the output reference into values'));
    }
    this.platform.addRule(() => this.rules());
  }

  /** Values, manifests and dependencies are data and entries (JavaScript callers may pass anything). */
  private checkValues(props: ServiceCatalogEntryProps): void {
    const here = this.node.path;
    if (props.values !== undefined) checkRecord(here, 'values', props.values);
    checkData(here, 'values', props.values ?? {}, ClusterOutput.isClusterOutput);
    for (const prop of ['environmentValues', 'clusterValues'] as const) {
      if (props[prop] === undefined) continue;
      for (const [k, v] of Object.entries(checkRecord(here, prop, props[prop], '{ prod: { replicas: 3 } }'))) {
        checkRecord(here, `${prop}.${k}`, v, '{ replicas: 3 }');
        checkData(here, `${prop}.${k}`, v);
      }
    }
    if (props.environmentManifests !== undefined) checkRecord(here, 'environmentManifests', props.environmentManifests, '{ prod: [ ... ] }');
    const lists: [string, unknown][] = [['manifests', props.manifests], ...Object.entries(props.environmentManifests ?? {}).map(([e, l]): [string, unknown] => [`environmentManifests.${e}`, l])];
    for (const [prop, list] of lists) {
      if (list === undefined) continue;
      if (!Array.isArray(list)) fail(here, badValue(prop, list, 'a list of Kubernetes objects', `set ${prop} to a list`));
      checkData(here, prop, list);
    }
    if (props.dependsOn !== undefined) {
      if (!Array.isArray(props.dependsOn)) fail(here, badValue('dependsOn', props.dependsOn, 'a list of ServiceCatalogEntry', 'list the entries this one needs'));
      props.dependsOn.forEach((d, i) => checkInstance(here, `dependsOn[${i}]`, d, ServiceCatalogEntry, 'a ServiceCatalogEntry of this platform'));
    }
  }

  /** The cloud identity the add-on runs with, if any. */
  public get identity(): AddonIdentity | undefined {
    return this.props.identity;
  }

  /** The version pinned for an environment (a manifest-only entry: the repository revision it syncs). */
  public versionFor(environment: string): string {
    return this.props.versions?.[environment] ?? this.chart?.version ?? this.platform.repository.revision;
  }

  /**
   * The entries this one depends on (a copy): those declared with `dependsOn`, and those its
   * own manifests imply (an ExternalSecret needs External Secrets, a Certificate cert-manager,
   * a Gateway the Gateway API implementation, a ServiceMonitor the Prometheus operator).
   */
  public get dependencies(): ServiceCatalogEntry[] {
    const declared = this.props.dependsOn ?? [];
    const implied = impliedDependencies(this, this.platform._cached('catalog-entries-all', () => this.platform._all().filter((c): c is ServiceCatalogEntry => c instanceof ServiceCatalogEntry)));
    // an implied dependency that itself declares this entry (e.g. cert-manager's HTTP-01 solver on the Gateway) is checked, not ordered
    return [...declared, ...implied.filter((e) => !declared.includes(e) && !(e.props.dependsOn ?? []).includes(this))];
  }

  /** The outputs this entry's values use. */
  public get outputsUsed(): string[] {
    return [...new Set(this.split.outputs)];
  }

  /** The Go templates of the cluster outputs this entry's values use. */
  private get outputTemplates(): string[] {
    return [...new Set(this.split.templates)];
  }

  /** The sync wave (explicit, or after the dependencies). */
  public get syncWave(): number {
    return this.props.syncWave ?? this.graph().waves.get(this) ?? 0;
  }

  /** The catalog's dependency graph, analysed once per validate/render pass (linear time). */
  private graph(): GraphAnalysis<ServiceCatalogEntry> {
    return this.platform._cached('catalog-graph', () => {
      const entries = this.platform._all().filter((c): c is ServiceCatalogEntry => c instanceof ServiceCatalogEntry);
      return analyseGraph(entries.includes(this) ? entries : [this, ...entries], (e) => e.dependencies, (e) => e.props.syncWave);
    });
  }

  /** True when progressive sync is on. */
  public get progressiveSync(): boolean {
    return this.props.progressiveSync ?? false;
  }

  /** The security rules the entry's chart output may break, with their reasons (a copy). */
  public get policyExceptions(): PolicyException[] {
    return this._policyExceptions.map((e) => ({ ...e, ...(e.objects ? { objects: [...e.objects] } : {}) }));
  }

  /** The AppProject the entry's Applications use. */
  public get project(): string {
    return this.props.ownProject ? this.name : 'platform';
  }

  /** The clusters of the platform this entry targets (declared and imported). */
  public get targetedClusters(): string[] {
    // once per entry and pass (rules, rendering and the report all ask); a copy each time
    return [...this.platform._cached(`targeted-clusters-${this.node.path}`, () => targetableClusters(this).filter((c) => this.targets.matches(c.labels)).map((c) => c.name))];
  }

  private rules(): Problem[] {
    const here = this.node.path;
    const problems: Problem[] = [];
    const clusters = targetableClusters(this);
    const matched = clusters.filter((c) => this.targets.matches(c.labels));
    if (matched.length === 0) {
      problems.push({ path: here, severity: 'warning', message: `catalog entry "${this.name}" matches no declared cluster (it may target clusters registered elsewhere). Fix: check the selector ${JSON.stringify(this.targets.toSpec())}.` });
    }
    const first = this.platform._cached('catalog-by-name', () => {
      const byName = new Map<string, ServiceCatalogEntry>();
      for (const c of this.platform._all()) if (c instanceof ServiceCatalogEntry && !byName.has(c.name)) byName.set(c.name, c);
      return byName;
    }).get(this.name);
    if (first && first !== this) {
      problems.push({ path: here, message: `duplicate catalog entry name "${this.name}": also declared at ${first.node.path}. Fix: give each entry a unique name.` });
    }
    if (this.props.deprecation) problems.push({ path: here, severity: 'warning', message: `catalog entry "${this.name}": ${this.props.deprecation}` });
    const all = this.platform._cached('catalog-entries-all', () => this.platform._all().filter((c): c is ServiceCatalogEntry => c instanceof ServiceCatalogEntry));
    problems.push(...impliedDependencyProblems(here, this, all, clusters));
    for (const cycle of this.graph().cycles.get(this) ?? []) {
      problems.push({ path: here, message: `catalog entries depend on each other in a cycle: ${cycle.map((x) => x.name).join(' -> ')}. Fix: remove one of the dependencies.` });
    }
    for (const c of matched) {
      for (const dep of this.props.dependsOn ?? []) {
        if (!dep.targets.matches(c.labels)) {
          problems.push({ path: here, message: `catalog entry "${this.name}" targets cluster "${c.name}" (${c.path}), but its dependency "${dep.name}" is not installed there. Fix: label the cluster so "${dep.name}" selects it too, or narrow the targets of "${this.name}".` });
        }
      }
      const identity = this.props.identity;
      const clusterCloud = c.labels['platform-role'] === 'management' || c.labels['platform-role'] === 'fleet' ? c.labels.cloud : undefined;
      if (identity && identity.cloud && clusterCloud && clusterCloud !== identity.cloud && !identity._crossCloudCapable) {
        problems.push({ path: here, message: messages.crossCloudIdentity(this.name, identity.cloud === CloudProvider.AZURE ? 'Azure' : 'AWS', c.name, clusterCloud === CloudProvider.AZURE ? 'AKS' : 'EKS', identity.cloud) });
        continue;
      }
      if (c.outputs) {
        for (const o of this.outputsUsed.filter((x) => !c.outputs!.includes(x))) {
          problems.push({ path: here, message: `catalog entry "${this.name}" uses the cluster output "${o}", which cluster "${c.name}" (${c.path}) does not provide. Fix: declare it with addOutput("${o}", ...) on that cluster, or exclude the cluster from the targets.` });
        }
      }
    }
    for (const c of Object.keys(this.props.clusterValues ?? {})) {
      if (!matched.some((m) => m.name === c)) {
        problems.push({ path: here, message: `clusterValues names cluster "${c}", which catalog entry "${this.name}" does not target. Fix: remove those values or target the cluster.` });
      }
    }
    return problems;
  }

  private folder(): string {
    return `catalog/${this.name}`;
  }

  private repoPath(rel: string): string {
    return [this.platform.repository.path, rel].filter((s) => s !== '').join('/');
  }

  private manifestsFor(env: string): ManifestObject[] | undefined {
    return this.props.environmentManifests?.[env] ?? this.props.manifests;
  }

  /** @internal The objects the entry applies with its chart in an environment (a copy). */
  public _manifestsFor(env: string | undefined): ManifestObject[] {
    return [...((env ? this.manifestsFor(env) : undefined) ?? this.props.manifests ?? [])];
  }

  /** @internal Every object the entry applies in any environment. */
  public get _allManifests(): ManifestObject[] {
    return [...(this.props.manifests ?? []), ...Object.values(this.props.environmentManifests ?? {}).flat()];
  }

  /** @internal The entry's values on one cluster: values, then its environment's, then its own (maps merged). */
  public _valuesFor(env: string | undefined, cluster: string): Record<string, unknown> {
    return [this.props.values ?? {}, (env ? this.props.environmentValues?.[env] : undefined) ?? {}, this.props.clusterValues?.[cluster] ?? {}]
      .reduce<Record<string, unknown>>((a, b) => layerValues(a, b) as Record<string, unknown>, {});
  }

  /** @internal The files this entry writes, relative to the output root. */
  public _files(): Map<string, string> {
    const files = new Map<string, string>();
    const yaml = (v: unknown) => toYaml(v);
    if (Object.keys(this.split.static).length) files.set(`${this.folder()}/values.yaml`, yaml(this.split.static));
    for (const [env, v] of Object.entries(this.props.environmentValues ?? {})) if (Object.keys(v).length) files.set(`${this.folder()}/env/${env}.yaml`, yaml(v));
    for (const [c, v] of Object.entries(this.props.clusterValues ?? {})) if (Object.keys(v).length) files.set(`${this.folder()}/clusters/${c}.yaml`, yaml(v));
    const put = (dir: string, objs: ManifestObject[]) => {
      // kind and name name the file; the namespace too when another object has the same kind and name
      const count = new Map<string, number>();
      for (const o of objs) count.set(`${o.kind.toLowerCase()}-${o.metadata.name}`, (count.get(`${o.kind.toLowerCase()}-${o.metadata.name}`) ?? 0) + 1);
      for (const o of objs) {
        const base = `${o.kind.toLowerCase()}-${o.metadata.name}`;
        const file = `${dir}/${count.get(base)! > 1 && o.metadata.namespace ? `${base}.${o.metadata.namespace}` : base}.yaml`;
        if (files.has(file)) fail(this.node.path, messages.duplicateOutputPath(file, [`${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name} and another ${o.kind} of that name`]));
        files.set(file, yaml(o));
      }
    };
    if (this.props.manifests?.length) put(`${this.folder()}/manifests/all`, this.props.manifests);
    for (const [env, objs] of Object.entries(this.props.environmentManifests ?? {})) put(`${this.folder()}/manifests/${env}`, objs);
    return files;
  }

  private valueFiles(env: string, cluster?: string): string[] {
    const files = this._files();
    const candidates = [`${this.folder()}/values.yaml`, `${this.folder()}/env/${env}.yaml`, ...(cluster ? [`${this.folder()}/clusters/${cluster}.yaml`] : [])];
    return candidates.filter((f) => files.has(f)).map((f) => `$values/${this.repoPath(f)}`);
  }

  private manifestsPath(env: string): string {
    if (this.props.environmentManifests?.[env]?.length) return this.repoPath(`${this.folder()}/manifests/${env}`);
    return this.manifestsFor(env)?.length ? this.repoPath(`${this.folder()}/manifests/all`) : '';
  }

  /** @internal The generators: one per environment, plus one per cluster with its own values. */
  public _generators(): Record<string, unknown>[] {
    const envs = this.targets.environments?.filter((e) => this.platform.environments.includes(e)) ?? this.platform.environments;
    const clustersWithValues = Object.keys(this.props.clusterValues ?? {}).filter((c) => Object.keys(this.props.clusterValues![c]).length);
    const envOf = new Map(targetableClusters(this).map((c) => [c.name, c.environment]));
    const gens: Record<string, unknown>[] = [];
    for (const env of envs) {
      const own = clustersWithValues.filter((c) => envOf.get(c) === env);
      gens.push({
        clusters: {
          selector: this.targets.toSpec({ environment: env }, own.length ? [{ key: 'cluster_name', operator: SelectorOperator.NOT_IN, values: own }] : []),
          values: { version: this.versionFor(env), valueFiles: this.valueFiles(env).join(','), manifestsPath: this.manifestsPath(env) },
        },
      });
      for (const c of own) {
        gens.push({
          clusters: {
            selector: this.targets.toSpec({ environment: env, cluster_name: c }),
            values: { version: this.versionFor(env), valueFiles: this.valueFiles(env, c).join(','), manifestsPath: this.manifestsPath(env) },
          },
        });
      }
    }
    return gens;
  }

  /** The `templatePatch`, built as data; a value that would become a template action is the library's error. */
  private templatePatch(chartSource: Record<string, unknown>, releaseName: string, valuesObject: Record<string, unknown> | undefined): string {
    const expressions = ['{{ .values.version }}', ...this.outputTemplates];
    try {
      return templatePatch({ chartSource, releaseName, valuesObject, repository: this.platform.repository, expressions });
    } catch (e) {
      if (!(e instanceof TemplateActionError)) throw e;
      return fail(this.node.path, messages.templateDelimiters('values, releaseName, chart or repository', e.action));
    }
  }

  /** @internal The ApplicationSet (plain object) for a management cluster's folder. */
  public _applicationSet(): ApiObjectProps {
    const repo = this.platform.repository;
    if (!this.chart) {
      // a manifest-only entry: one directory source, this repository's manifests folder
      return this.applicationSetOf('.', { source: { repoURL: repo.url, targetRevision: repo.revision, path: '{{ .values.manifestsPath }}', directory: { recurse: true } } });
    }
    const chartSource = { ...this.chart._source(), targetRevision: '{{ .values.version }}' };
    const release = this.props.releaseName ?? this.name;
    const templated = Object.keys(this.split.templated).length ? this.split.templated : undefined;
    // the entry's value files and manifests, from the repository root: a commit elsewhere does not refresh it
    return this.applicationSetOf(`/${this.repoPath(this.folder())}`,
      { sources: [{ ...chartSource, helm: { releaseName: release } }, { repoURL: repo.url, targetRevision: repo.revision, ref: 'values' }] },
      this.templatePatch(chartSource, release, templated));
  }

  /** The ApplicationSet around the Applications' sources, the same for chart and manifest-only entries. */
  private applicationSetOf(generatePaths: string, sources: Record<string, unknown>, templatePatch?: string): ApiObjectProps {
    const spec: Record<string, unknown> = {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: this._generators(),
      syncPolicy: { preserveResourcesOnDeletion: true },
      template: {
        metadata: {
          name: `{{ .name }}-${this.name}`,
          labels: { 'app.kubernetes.io/part-of': PART_OF, 'platform.catalog/entry': this.name, 'environment': '{{ index .metadata.labels "environment" }}' },
          annotations: { 'argocd.argoproj.io/manifest-generate-paths': generatePaths },
        },
        spec: {
          project: this.project,
          ...sources,
          destination: { name: '{{ .name }}', namespace: this.namespace },
          syncPolicy: {
            ...(this.progressiveSync ? {} : { automated: { prune: this.props.prune ?? false, selfHeal: true } }),
            syncOptions: this.syncOptions(),
          },
        },
      },
      ...(templatePatch === undefined ? {} : { templatePatch }),
    };
    if (this.progressiveSync) {
      const envs = this.targets.environments?.filter((e) => this.platform.environments.includes(e)) ?? this.platform.environments;
      spec.strategy = { type: 'RollingSync', rollingSync: { steps: envs.map((e) => ({ matchExpressions: [{ key: 'environment', operator: 'In', values: [e] }] })) } };
    }
    return {
      apiVersion: ARGOCD_API_VERSION,
      kind: 'ApplicationSet',
      metadata: { name: this.name, namespace: ARGOCD_NAMESPACE, annotations: { 'argocd.argoproj.io/sync-wave': String(this.syncWave) } },
      spec,
    };
  }

  /** Argo CD sync options of the entry's Applications. */
  private syncOptions(): string[] {
    return [
      ...(this.props.createNamespace ?? true ? ['CreateNamespace=true'] : []),
      ...(this.props.serverSideApply ? ['ServerSideApply=true'] : []),
      ...(this.props.syncOptions ?? []),
    ];
  }

  /** @internal The entry's own AppProject, when it asked for one. */
  public _appProject(): ApiObjectProps | undefined {
    if (!this.props.ownProject) return undefined;
    return {
      apiVersion: ARGOCD_API_VERSION,
      kind: 'AppProject',
      metadata: { name: this.name, namespace: ARGOCD_NAMESPACE },
      spec: {
        description: `Catalog entry ${this.name}`,
        sourceRepos: [...(this.chart ? [this.chart.repoURL] : []), this.platform.repository.url],
        destinations: this.targetedClusters.map((name) => ({ name, namespace: this.namespace })),
        clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      },
    };
  }
}
