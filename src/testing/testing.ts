/* eslint-disable @typescript-eslint/no-explicit-any -- parsed YAML and JSON of any shape */
import { Construct, IConstruct } from 'constructs';
import { badValue, fail } from '../core/errors';
import { parse } from 'yaml';
import { Platform } from '../platform';
import { ClusterData, PlatformData } from '../report/platform-data';
import { ExpandedApplication, ExpandOptions, expandTree, readPlatformData } from './applications';

/** What one cluster gets: the objects of its folder and its Terraform state. */
export interface RenderedCluster {
  /** The cluster's Argo CD name. */
  readonly name: string;
  /** Its registration and role (from `platform.json`). */
  readonly data: ClusterData;
  /** The objects of `clusters/<name>/`, parsed, in file order. */
  readonly manifests: any[];
  /** The files of `clusters/<name>/` (output-relative path -> content). */
  readonly files: Map<string, string>;
  /** Its `terraform/<name>/cdk.tf.json`, parsed, when the platform provisions it. */
  readonly terraform?: any;
}

/** A platform rendered in memory: the files `synth()` would write, and views on them. */
export class RenderedPlatform {
  private apps?: ExpandedApplication[];
  private dataCache?: PlatformData;

  constructor(
    /** Every file `synth()` would write (output-relative path -> content), sorted. */
    public readonly files: ReadonlyMap<string, string>,
  ) {}

  /** The file tree `synth()` would write (sorted paths). */
  public get tree(): string[] {
    return [...this.files.keys()];
  }

  /** The data of `platform.json`. */
  public get data(): PlatformData {
    return (this.dataCache ??= readPlatformData(this.files));
  }

  /** The names of every cluster (management, fleet, tenant, imported), in declaration order. */
  public get clusterNames(): string[] {
    return this.data.clusters.map((c) => c.name);
  }

  /** One cluster's folder and Terraform state; throws for an unknown name. */
  public cluster(name: string): RenderedCluster {
    const data = this.data.clusters.find((c) => c.name === name);
    if (!data) throw new Error(`no cluster named "${name}" in the platform. Allowed: ${this.clusterNames.join(', ') || 'none declared'}. Fix: use a declared cluster's name.`);
    const files = new Map([...this.files].filter(([f]) => f.startsWith(`clusters/${name}/`)));
    const tf = this.files.get(`terraform/${name}/cdk.tf.json`);
    return {
      name,
      data,
      files,
      manifests: [...files].filter(([f]) => f.endsWith('.yaml')).map(([, text]) => parse(text)),
      ...(tf ? { terraform: JSON.parse(tf) } : {}),
    };
  }

  /** Every Application of the platform: ApplicationSets expanded offline, plus the plain Applications. */
  public applications(options?: ExpandOptions): ExpandedApplication[] {
    if (options) return expandTree(this.files, options);
    return (this.apps ??= expandTree(this.files));
  }

  /** The Applications that deploy to one cluster. */
  public applicationsFor(cluster: string, options?: ExpandOptions): ExpandedApplication[] {
    this.cluster(cluster);
    return this.applications(options).filter((a) => a.cluster === cluster);
  }
}

/** A cluster construct, or a tenant (its Argo CD cluster is `clusterName`). */
export type ClusterLike = IConstruct & { readonly name: string; readonly clusterName?: string };

/**
 * Unit-testing helpers: render a platform in memory (no files written), look at each
 * cluster's manifests and Terraform, and expand ApplicationSets offline.
 */
export class Testing {
  /** Renders the platform in memory: the same files `synth()` writes, with views per cluster. */
  public static render(platform: Platform): RenderedPlatform {
    if (!(platform instanceof Platform)) fail('platform', badValue('platform', platform, 'a Platform', 'pass the Platform to render'));
    return new RenderedPlatform(platform.render());
  }

  /** The Applications that would run on a cluster (renders its platform). */
  public static applicationsFor(cluster: ClusterLike, options?: ExpandOptions): ExpandedApplication[] {
    if (!Construct.isConstruct(cluster)) fail('platform', badValue('cluster', cluster, 'a cluster or tenant of a Platform', 'pass the cluster construct'));
    return Testing.render(Platform.of(cluster)).applicationsFor(cluster.clusterName ?? cluster.name, options);
  }

  private constructor() {}
}

/** Every Application of a platform: its ApplicationSets expanded offline against its declared clusters, plus its plain Applications. */
export function expand(platform: Platform, options?: ExpandOptions): ExpandedApplication[] {
  return Testing.render(platform).applications(options);
}
