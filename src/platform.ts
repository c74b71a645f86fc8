import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk8s from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { fail, messages, PlatformValidationError, Problem } from './core/errors';
import { checkLabelMap } from './core/validate';
import { SecretStore } from './model/secret-store';
import { PolicySeverities } from './policy/policy-pass';
import { TerraformBackend } from './model/terraform-backend';
import { TerraformApp, TerraformStack } from './terraform/cdktf';
import { FileSink, resolveOutdir, writeTree } from './synth/writer';
import { cacheFileOf, codeFingerprint, readSynthCache, recordSynthCache } from './synth/synth-cache';
import { withoutCreationStacks } from './terraform/creation-stacks';
import { nextDeclaration } from './graph/kinds';
import { PlatformGraph } from './graph/platform-graph';
import { AddedRule, runRules } from './rules';
import { Incremental, renderOutput } from './synth/render-pass';
import { PlatformProps, PlatformRepository, platformSettings, RepositoryProps } from './model/platform-props';

export type { PlatformProps, PlatformRepository, RepositoryProps };

/**
 * A model construct that renders into its charts and stacks at synth time.
 * @deprecated the render stage (`src/render/`) renders every kind of object; nothing implements it.
 */
export interface IRenderable extends IConstruct {
  /** @internal */ _render(): void;
}

/** A cross-object rule: returns every problem it finds. */
export type PlatformRule = () => Problem[];


/** Checks Kubernetes label keys and values; throws naming the construct path. */
export function checkLabels(scopePath: string, prop: string, labels: Record<string, string> | undefined): Record<string, string> {
  return checkLabelMap(scopePath, prop, labels);
}

/**
 * The root of a platform: the repository settings, the domain, the secret store
 * and the Terraform backend, and the two synthesis roots (a cdk8s `App` and a
 * cdktf `App`, which never mix). `synth()` writes the GitOps repository.
 */
export class Platform extends Construct {
  /** The Platform a construct belongs to. */
  public static of(scope: IConstruct): Platform {
    if (!Construct.isConstruct(scope)) fail('platform', messages.declaration.platformOfScope(scope));
    const root = scope.node.root;
    if (!(root instanceof Platform)) {
      fail(scope.node.path, messages.notInPlatform(scope.node.path));
    }
    return root;
  }

  /** The repository Argo CD reads. */
  public readonly repository: PlatformRepository;
  /** Base DNS domain. */
  public readonly domain: string;
  /** The platform's secret store. */
  public readonly secretStore: SecretStore;
  /** The Terraform backend. */
  public readonly terraformBackend: TerraformBackend;
  /** The cdk8s synthesis root: each cluster's Chart lives under it. */
  public readonly cdk8sApp: cdk8s.App;
  /** The cdktf synthesis root: each cluster's TerraformStack lives under it. */
  public readonly cdktfApp: TerraformApp;
  private readonly _environments: readonly string[];
  private readonly _labels: Record<string, string>;
  private readonly _tags: Record<string, string>;
  private readonly _outdir: string | undefined;
  private readonly rules: AddedRule[] = [];
  private memo: Map<string | symbol, unknown> | undefined;
  private _sink: FileSink | undefined;
  private _incremental: Incremental | undefined;
  /** @internal What the last synth did with the render units: how many had a key, how many it kept. */
  public _lastSynth: { readonly units: number; readonly kept: number } | undefined;
  private readonly _stackDependencies: Record<string, string[]>;
  private _warnings: Problem[] = [];
  private readonly _policies: PolicySeverities;
  /** @internal */
  public readonly _requireSecurityBasic: boolean;

  constructor(props: PlatformProps) {
    super(undefined as unknown as Construct, 'platform');
    const here = this.node.path || 'platform';
    const settings = platformSettings(here, props);
    this.repository = settings.repository;
    this.domain = settings.domain;
    this.secretStore = settings.secretStore;
    this.terraformBackend = settings.terraformBackend;
    this._environments = settings.environments;
    this._labels = settings.labels;
    this._tags = settings.tags;
    this._outdir = settings.outdir;
    this._policies = settings.policies;
    this._stackDependencies = settings.stackDependencies;
    this._requireSecurityBasic = settings.requireSecurityBasic;
    this.cdk8sApp = new cdk8s.App({ outdir: path.join(os.tmpdir(), 'cdk8s-gitops-platform-cdk8s') });
    // cdktf's App makes its folder if it is missing, by a check then a create: two platforms
    // declared at once (parallel CI jobs, test workers) could race to EEXIST; made here, it exists
    const cdktfOut = path.join(os.tmpdir(), 'cdk8s-gitops-platform-cdktf');
    fs.mkdirSync(cdktfOut, { recursive: true });
    this.cdktfApp = new TerraformApp({ outdir: cdktfOut, stackTraces: false });
  }

  /** The environments in promotion order (a copy). */
  public get environments(): string[] {
    return [...this._environments];
  }

  /** Labels added to every cluster registration (a copy). */
  public get labels(): Record<string, string> {
    return { ...this._labels };
  }

  /** Cloud tags added to every taggable resource (a copy). */
  public get tags(): Record<string, string> {
    return { ...this._tags };
  }

  /** Stack dependencies in force (a copy). */
  public get stackDependencies(): Record<string, string[]> {
    return Object.fromEntries(Object.entries(this._stackDependencies).map(([k, v]) => [k, [...v]]));
  }

  /** The warnings of the last `render()`/`synth()` (a copy). */
  public get warnings(): Problem[] {
    return [...this._warnings];
  }

  /** The folder `synth()` writes to. */
  public get outdir(): string {
    return this._outdir ?? process.env.CDK8S_OUTDIR ?? 'dist';
  }

  /** The platform's clusters (management and fleet), in declaration order. */
  public get clusters(): IPlatformCluster[] {
    return [...this._graph().clusters];
  }

  /** Adds a rule that spans objects; rules run once before rendering and report together. */
  public addRule(rule: PlatformRule): void {
    this.rules.push({ order: nextDeclaration(this), rule });
  }

  /** Runs every cross-object rule; returns all problems found, errors and warnings (empty when valid). */
  public validate(): Problem[] {
    return this.memoized(() => runRules(this._graph(), this.rules));
  }

  /**
   * @internal Every construct of the platform, computed once per validate/render pass
   * (rules that each walked the tree would make synthesis quadratic).
   */
  public _all(): IConstruct[] {
    return this._cached('all', () => this.node.findAll());
  }

  /**
   * @internal The typed index of the platform (graph stage): one walk of the tree, built once
   * per validate/render pass (and afresh on every call outside one).
   */
  public _graph(): PlatformGraph {
    return this._cached(GRAPH, () => new PlatformGraph(this._all()));
  }

  /**
   * @internal A value computed once per validate/render pass (uncached outside one). Kept for
   * modules that cache a value of their own; the platform's index is {@link _graph}.
   */
  public _cached<T>(key: string | symbol, compute: () => T): T {
    if (!this.memo) return compute();
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }

  private memoized<T>(fn: () => T): T {
    if (this.memo) return fn();
    this.memo = new Map();
    try {
      return fn();
    } finally {
      this.memo = undefined;
    }
  }

  /**
   * Renders the whole repository in memory: output-relative path -> file content,
   * in sorted order. Throws a {@link PlatformValidationError} listing every problem.
   */
  public render(): Map<string, string> {
    return this.memoized(() => withoutCreationStacks(() => this.renderPass()));
  }

  private renderPass(): Map<string, string> {
    const problems = this.validate();
    const errors = problems.filter((p) => p.severity !== 'warning');
    if (errors.length > 0) throw new PlatformValidationError(errors);
    this._warnings = problems.filter((p) => p.severity === 'warning');
    // render -> files -> report -> policy and AppProject permissions (src/synth/render-pass.ts)
    return renderOutput(this, this._graph(), this._warnings, this._policies, () => this.memo?.delete('all'), this._sink, this._incremental);
  }

  /**
   * Validates, renders and writes the repository into {@link outdir}: atomically
   * (a failure leaves the previous output as it was), removing generated files that
   * are no longer generated and keeping files the library did not generate. A re-synth
   * renders only the tenants (with their team services) whose declaration changed and keeps
   * the others' files, which are on disk as the last synth left them: the same bytes as a
   * full synth. The synth cache that makes it possible lives in
   * `node_modules/.cache/cdk8s-gitops-platform/`; the environment variable
   * `CDK8S_GITOPS_PLATFORM_CACHE` names another folder, or `off`.
   */
  public synth(): void {
    const abs = resolveOutdir(this.outdir);
    let incremental: Incremental | undefined;
    const cacheWarnings: string[] = [];
    // each file goes to the writer as soon as it is rendered (a first write stages it at once); the
    // tenants whose files are on disk as the last synth left them, and whose declarations did not
    // change, are not rendered again (the synth cache, src/synth/synth-cache.ts; decision 0006)
    const written = writeTree(this.outdir, (sink) => {
      this._sink = sink;
      // (a missing output folder has nothing to keep; with the cache off, nothing is recorded either)
      this._incremental = incremental = cacheFileOf(abs) === undefined ? undefined
        : { outdir: abs, cache: fs.existsSync(abs) ? readSynthCache(abs, codeFingerprint()) : undefined };
      try {
        return this.render();
      } finally {
        this._sink = undefined;
        this._incremental = undefined;
      }
    }, {
      committed: (stats) => {
        if (!incremental?.records) return;
        try {
          recordSynthCache(abs, incremental.records, stats);
        } catch (e) {
          cacheWarnings.push(messages.output.synthCacheNotWritten(e instanceof Error ? e.message : String(e), cacheFileOf(abs) ?? ''));
        }
      },
    });
    const records = incremental?.records;
    this._lastSynth = { units: records ? records.kept.size + records.rendered.size : 0, kept: records?.kept.size ?? 0 };
    // a fleet can warn thousands of times (a warning per tenant): the first ones, then how many more
    const shown = Math.min(this._warnings.length, PRINTED_WARNINGS);
    for (const w of this._warnings.slice(0, shown)) process.stderr.write(`warning: [${w.path}] ${w.message}\n`);
    if (shown < this._warnings.length) process.stderr.write(`warning: [${this.node.path || 'platform'}] ${messages.output.moreWarnings(this._warnings.length - shown)}\n`);
    for (const w of [...written.warnings, ...cacheWarnings]) process.stderr.write(`warning: [platform] ${w}\n`);
  }

}

/** A cluster of the platform, as other constructs see it. */
export interface IPlatformCluster extends IConstruct {
  /** The cluster name: its Argo CD cluster name, folder and state key. */
  readonly name: string;
  /** The cdk8s Chart of everything written to `clusters/<name>/`. */
  readonly chart: cdk8s.Chart;
  /** The cluster's own Terraform state, when the platform provisions it. */
  readonly stack?: TerraformStack;
}

const CLUSTER_SYMBOL = Symbol.for('cdk8s-gitops-platform.Cluster');

/** @internal Marks a construct as a platform cluster. */
export function markCluster(c: IPlatformCluster): void {
  Object.defineProperty(c, CLUSTER_SYMBOL, { value: true });
}


const GRAPH = Symbol('platform graph');

/** How many of a synth's warnings it prints (all of them are in PLATFORM.md, platform.json and `warnings`). */
const PRINTED_WARNINGS = 20;



