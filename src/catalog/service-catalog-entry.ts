import { ApiObjectProps } from 'cdk8s';
import { checkPolicyExceptions, PolicyException } from '../policy/policy-exception';
import { Construct } from 'constructs';
import { layerValues } from '../core/merge';
import { checkChild, checkProps } from '../core/data';
import { checkDnsLabel } from '../core/validate';
import { targetableClusters } from '../graph/targetable';
import { Platform } from '../platform';
import { markKind, NodeKind } from '../graph/kinds';
import { GraphSlot } from '../graph/platform-graph';
import { ClusterSelector } from './cluster-selector';
import { impliedDependencies } from './implied-dependencies';
import { HelmChart } from './helm-chart';
import { analyseGraph, GraphAnalysis } from './dependency-graph';
import { AddonIdentity } from './addon-identity';
import { checkEntryOutputs, checkEntryProps } from './entry-checks';
import { entryAppProject, entryApplicationSet, entryFiles, entryGenerators, EntryParts, manifestsFor } from './entry-application-set';
import { SplitValues } from './entry-values';
import type { ManifestObject, ServiceCatalogEntryProps } from './service-catalog-entry-props';
import type { ICatalogEntry } from '../model/references';

export type { ManifestObject, ServiceCatalogEntryProps } from './service-catalog-entry-props';

/**
 * One tool offered to the fleet: a pinned Helm chart rendered as an ApplicationSet in
 * each management cluster's folder. Cluster generators select clusters by label (one
 * generator per environment, carrying that environment's version pin and value files);
 * Go templates run with `missingkey=error`; values are layered
 * `catalog/<name>/values.yaml` -> `env/<env>.yaml` -> `clusters/<cluster>.yaml`, and only
 * layers with content are written and referenced.
 */
/** @internal Pods a chart keeps one per node: where the values give their number, and the affinity that keeps them apart. */
export interface OnePerNode {
  readonly replicas: readonly string[];
  readonly defaultReplicas: number;
  readonly affinity: readonly string[];
}

export class ServiceCatalogEntry extends Construct implements ICatalogEntry {
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
  private readonly split: SplitValues;
  private readonly watched: { readonly apiVersion: string; readonly kind: string }[] = [];
  private watchAlternative: string | undefined;
  private onePerNode: OnePerNode | undefined;

  constructor(scope: Construct, id: string, props: ServiceCatalogEntryProps) {
    super(checkChild(scope, id), id);
    const here = this.node.path;
    checkProps(here, props, '{ chart, namespace, targets }');
    this.platform = Platform.of(this);
    this.name = checkDnsLabel(here, 'name', props.name ?? id);
    this.namespace = checkEntryProps(here, props, this.name, this.platform.environments, ServiceCatalogEntry);
    this.chart = props.chart;
    this.targets = props.targets;
    this.props = props;
    this._policyExceptions = checkPolicyExceptions(here, 'policyExceptions', props.policyExceptions);
    this.split = checkEntryOutputs(here, props);
    markKind(this, NodeKind.CATALOG_ENTRY);
  }

  /** The Helm release name of the entry's chart (`releaseName`, else the entry's name). */
  public get releaseName(): string {
    return this.props.releaseName ?? this.name;
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
    const implied = impliedDependencies(this, this.platform._graph().catalogEntries);
    // an implied dependency that itself declares this entry (e.g. cert-manager's HTTP-01 solver on the Gateway) is checked, not ordered
    return [...declared, ...implied.filter((e) => !declared.includes(e) && !(e.props.dependsOn ?? []).includes(this))];
  }

  /** The outputs this entry's values use. */
  public get outputsUsed(): string[] {
    return [...new Set(this.split.outputs)];
  }

  /** The sync wave (explicit, or after the dependencies). */
  public get syncWave(): number {
    return this.props.syncWave ?? this.graph().waves.get(this) ?? 0;
  }

  /** The catalog's dependency graph, analysed once per validate/render pass (linear time). */
  private graph(): GraphAnalysis<ServiceCatalogEntry> {
    const graph = this.platform._graph();
    return graph.derive(CATALOG_GRAPH, () => {
      const entries = graph.catalogEntries;
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
    const byEntry = this.platform._graph().derive(TARGETED_CLUSTERS, () => new Map<ServiceCatalogEntry, string[]>());
    let names = byEntry.get(this);
    if (!names) {
      names = targetableClusters(this.platform._graph()).filter((c) => this.targets.matches(c.labels)).map((c) => c.name);
      byEntry.set(this, names);
    }
    return [...names];
  }

  /** @internal Why the entry is deprecated, if it is (the rules stage warns). */
  public get _deprecation(): string | undefined {
    return this.props.deprecation;
  }

  /** @internal The entries declared with `dependsOn` (a copy; the implied ones aside). */
  public get _declaredDependencies(): ServiceCatalogEntry[] {
    return [...(this.props.dependsOn ?? [])];
  }

  /** @internal The cycles of the catalog's dependency graph this entry closes. */
  public get _dependencyCycles(): ServiceCatalogEntry[][] {
    return this.graph().cycles.get(this) ?? [];
  }

  /** @internal The cluster names of `clusterValues`, in declaration order. */
  public get _clusterValueNames(): string[] {
    return Object.keys(this.props.clusterValues ?? {});
  }

  /** The entry and its checked parts, for the rendering (entry-application-set.ts). */
  private parts(): EntryParts {
    return { entry: this, props: this.props, split: this.split };
  }

  /** @internal The objects the entry applies with its chart in an environment (a copy). */
  public _manifestsFor(env: string | undefined): ManifestObject[] {
    return [...((env ? manifestsFor(this.props, env) : undefined) ?? this.props.manifests ?? [])];
  }

  /**
   * @internal The kinds the entry's controller watches, as its values set it up, that another chart
   * serves (a built-in entry's): checked on every cluster it targets, as its manifests' kinds are.
   */
  public get _watchedKinds(): readonly { readonly apiVersion: string; readonly kind: string }[] {
    return this.watched;
  }

  /** @internal What else the user may do where the kinds it watches are missing (a fix of the check's error). */
  public get _watchAlternative(): string | undefined {
    return this.watchAlternative;
  }

  /**
   * @internal Pods the chart keeps one per node (a required pod anti-affinity): the values path of
   * their replica count, its default, and the values path of the affinity that sets the rule (a user's
   * own affinity there lifts the check).
   */
  public get _onePerNode(): OnePerNode | undefined {
    return this.onePerNode;
  }

  /** @internal Declares {@link _onePerNode}. */
  public _spreadOnePerNode(spread: OnePerNode): this {
    this.onePerNode = spread;
    return this;
  }

  /** @internal Declares kinds the entry's controller watches (see {@link _watchedKinds}), and the other fix where they are missing. */
  public _watch(kinds: readonly { readonly apiVersion: string; readonly kind: string }[], alternative?: string): this {
    this.watched.push(...kinds);
    this.watchAlternative = alternative;
    return this;
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
    return entryFiles(this.parts());
  }

  /** @internal The generators: one per environment, plus one per cluster with its own values. */
  public _generators(): Record<string, unknown>[] {
    return entryGenerators(this.parts());
  }

  /** @internal The ApplicationSet (plain object) for a management cluster's folder. */
  public _applicationSet(): ApiObjectProps {
    return entryApplicationSet(this.parts());
  }

  /** @internal The entry's own AppProject, when it asked for one. */
  public _appProject(): ApiObjectProps | undefined {
    return entryAppProject(this.parts());
  }
}

/** The catalog's dependency graph, analysed once per pass. */
const CATALOG_GRAPH = new GraphSlot<GraphAnalysis<ServiceCatalogEntry>>('catalog dependency graph');
/** Each entry's targeted cluster names, once per entry and pass (rules, rendering and the report all ask). */
const TARGETED_CLUSTERS = new GraphSlot<Map<ServiceCatalogEntry, string[]>>('clusters each catalog entry targets');
