import * as os from 'os';
import * as path from 'path';
import * as cdk8s from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { badValue, fail, messages, PlatformValidationError, Problem } from './core/errors';
import { checkList, checkProps, checkRecord } from './core/data';
import { checkCloudTags, checkDnsLabel, checkDomain, checkGitRevision, checkLabelMap, checkRepoUrl } from './core/validate';
import { SecretStore } from './model/secret-store';
import { checkOutput, checkPolicySeverities, PolicySeverities } from './policy/policy-pass';
import { TerraformBackend } from './model/terraform-backend';
import { reportRenderer } from './report/renderer';
import { serializeChart } from './synth/serialize';
import { toYaml } from './synth/yaml';
import { serializeStack, TerraformApp, TerraformStack } from './terraform/cdktf';
import { FileSink, writeTree } from './synth/writer';
import { withoutCreationStacks } from './terraform/creation-stacks';
import { checkOutputPermissions } from './argocd/output-permissions';
import { describeDenial } from './argocd/permissions';

/** The Git repository Argo CD reads the synthesized output from. */
export interface RepositoryProps {
  /** Clone URL, e.g. `https://github.com/acme/platform-gitops.git`. */
  readonly url: string;
  /**
   * Branch, tag or commit Argo CD tracks.
   * @default 'main'
   */
  readonly revision?: string;
  /**
   * Folder of the repository that holds the synthesized output (where `dist/` is committed).
   * @default 'dist'
   */
  readonly path?: string;
}

/** Props of {@link Platform}. */
export interface PlatformProps {
  /** The GitOps repository. */
  readonly repository: RepositoryProps;
  /** The platform's base DNS domain, e.g. `platform.acme.dev` (Argo CD is `argocd.<domain>`). */
  readonly domain: string;
  /** Where credentials and connection facts live (never in Git). */
  readonly secretStore: SecretStore;
  /** Remote state for every cluster's Terraform (one state per cluster). */
  readonly terraformBackend: TerraformBackend;
  /**
   * The environments, in promotion order.
   * @default ['dev', 'staging', 'prod']
   */
  readonly environments?: string[];
  /**
   * Labels added to every cluster registration.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Cloud tags added to every resource that takes tags (cost allocation).
   * @default - `{ 'managed-by': 'cdk8s-gitops-platform' }` only
   */
  readonly tags?: Record<string, string>;
  /**
   * Stack dependencies: a cluster with label `<stack>: enabled` must also have
   * `<dependency>: enabled`. Merged over the defaults (a key you set replaces the default's list).
   * @default { 'monitoring-medium': ['storage-basic'] }
   */
  readonly stackDependencies?: Record<string, string[]>;
  /**
   * Make a cluster without `security-basic: enabled` an error instead of a warning.
   * @default false
   */
  readonly requireSecurityBasic?: boolean;
  /**
   * Severity of each rule of the security policy pass that runs on every render over
   * the manifests and Terraform (`SecurityRule` -> `PolicySeverity`).
   * @default - every rule is an error
   * @see https://github.com/cdk8s-team/cdk8s-cli (the same rules as a validation plugin: `SecurityPolicyValidation`)
   */
  readonly policies?: PolicySeverities;
  /**
   * Output folder of {@link Platform.synth}.
   * @default - `CDK8S_OUTDIR` (set by `cdk8s synth`), else `dist`
   */
  readonly outdir?: string;
}

/** A model construct that renders into its charts and stacks at synth time. */
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
    if (!Construct.isConstruct(scope)) fail('platform', badValue('scope', scope, 'a construct of a Platform', 'pass the Platform or a construct inside it'));
    const root = scope.node.root;
    if (!(root instanceof Platform)) {
      fail(scope.node.path, `${scope.node.path || 'this construct'} is not inside a Platform. Fix: create it with a Platform (or a cluster of one) as its scope.`);
    }
    return root;
  }

  /** The repository Argo CD reads. */
  public readonly repository: Required<RepositoryProps>;
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
  private readonly rules: PlatformRule[] = [];
  private memo: Map<string, unknown> | undefined;
  private _sink: FileSink | undefined;
  private readonly _stackDependencies: Record<string, string[]>;
  private _warnings: Problem[] = [];
  private readonly _policies: PolicySeverities;
  /** @internal */
  public readonly _requireSecurityBasic: boolean;

  constructor(props: PlatformProps) {
    super(undefined as unknown as Construct, 'platform');
    const here = this.node.path || 'platform';
    checkProps(here, props, '{ repository, domain, secretStore, terraformBackend }');
    checkRecord(here, 'repository', props.repository, '{ url: "https://github.com/acme/platform-gitops.git" }');
    checkRepoUrl(here, 'repository.url', props.repository?.url);
    const repoPath = props.repository.path ?? 'dist';
    if (typeof repoPath !== 'string' || repoPath !== '' && (!/^[\w.-]+(\/[\w.-]+)*$/.test(repoPath) || repoPath.split('/').some((s) => s === '..' || s === '.'))) {
      throw new PlatformValidationError([{ path: here, message: badValue('repository.path', repoPath, 'a relative folder inside the repository, such as "dist" ("" for the root)', 'remove leading "/", "./" and ".." segments') }]);
    }
    this.repository = {
      url: props.repository.url,
      revision: checkGitRevision(here, 'repository.revision', props.repository.revision ?? 'main'),
      path: repoPath,
    };
    this.domain = checkDomain(here, 'domain', props.domain);
    if (!(props.secretStore instanceof SecretStore)) {
      throw new PlatformValidationError([{ path: here, message: badValue('secretStore', props.secretStore, 'SecretStore.azureKeyVault(), .awsSecretsManager() or .vault()', 'declare the platform secret store') }]);
    }
    props.secretStore._validate(here);
    this.secretStore = props.secretStore;
    if (!(props.terraformBackend instanceof TerraformBackend)) {
      throw new PlatformValidationError([{ path: here, message: badValue('terraformBackend', props.terraformBackend, 'TerraformBackend.azurerm() or TerraformBackend.s3()', 'declare where the Terraform states live') }]);
    }
    props.terraformBackend._validate(here);
    this.terraformBackend = props.terraformBackend;
    const envs = checkList<string>(here, 'environments', props.environments ?? ['dev', 'staging', 'prod'], '["dev", "staging", "prod"]');
    if (envs.length === 0) {
      throw new PlatformValidationError([{ path: here, message: badValue('environments', envs, 'one or more environment names', 'list the environments in promotion order, e.g. ["dev", "prod"]') }]);
    }
    envs.forEach((e, i) => checkDnsLabel(here, `environments[${i}]`, e));
    if (new Set(envs).size !== envs.length) {
      throw new PlatformValidationError([{ path: here, message: badValue('environments', envs, 'each environment once', 'remove the duplicate') }]);
    }
    this._environments = [...envs];
    this._labels = checkLabels(here, 'labels', props.labels);
    this._tags = { 'managed-by': 'cdk8s-gitops-platform', ...checkCloudTags(here, 'tags', props.tags) };
    this._outdir = props.outdir;
    this._policies = checkPolicySeverities(here, 'policies', props.policies);
    this._stackDependencies = { 'monitoring-medium': ['storage-basic'], ...props.stackDependencies };
    this._requireSecurityBasic = props.requireSecurityBasic ?? false;
    this.cdk8sApp = new cdk8s.App({ outdir: path.join(os.tmpdir(), 'cdk8s-gitops-platform-cdk8s') });
    this.cdktfApp = new TerraformApp({ outdir: path.join(os.tmpdir(), 'cdk8s-gitops-platform-cdktf'), stackTraces: false });
    this.addRule(() => this.duplicateNames());
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
    return this._cached('clusters', () => this._all().filter(isPlatformCluster));
  }

  /** Adds a rule that spans objects; rules run once before rendering and report together. */
  public addRule(rule: PlatformRule): void {
    this.rules.push(rule);
  }

  /** Runs every cross-object rule; returns all problems found, errors and warnings (empty when valid). */
  public validate(): Problem[] {
    return this.memoized(() => this.rules.flatMap((r) => r()));
  }

  /**
   * @internal Every construct of the platform, computed once per validate/render pass
   * (rules that each walked the tree would make synthesis quadratic).
   */
  public _all(): IConstruct[] {
    return this._cached('all', () => this.node.findAll());
  }

  /** @internal A value computed once per validate/render pass (uncached outside one). */
  public _cached<T>(key: string, compute: () => T): T {
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
    // every render starts from the declaration: constructs replace what they rendered last time
    for (const c of this._all()) {
      if (isRenderable(c)) c._render();
    }
    this.memo?.delete('all');
    const files = new Map<string, string>();
    const sources = new Map<string, string>();
    const dup: Problem[] = [];
    const put = (file: string, content: string, source: string) => {
      if (files.has(file)) {
        dup.push({ path: source, message: messages.duplicateOutputPath(file, [sources.get(file)!, source]) });
        return;
      }
      files.set(file, content);
      sources.set(file, source);
      this._sink?.(file, content);
    };
    // the objects of the files the render still holds, so the checks need not parse them back
    const parsed = new Map<string, unknown>();
    for (const c of this._all()) {
      if (hasFileObjects(c)) {
        for (const [f, o] of c._fileObjects()) {
          if (!files.has(f)) parsed.set(f, o);
          put(f, toYaml(o), c.node.path);
        }
      } else if (hasFiles(c)) for (const [f, content] of c._files()) put(f, content, c.node.path);
    }
    for (const cluster of this.clusters) {
      for (const o of serializeChart(cluster.chart)) {
        const file = `clusters/${cluster.name}/${o.file}`;
        if (!files.has(file)) parsed.set(file, o.json);
        put(file, o.yaml, o.path);
      }
      if (cluster.stack) put(`terraform/${cluster.name}/cdk.tf.json`, serializeStack(cluster.stack), cluster.node.path);
    }
    for (const [f, content] of reportRenderer()(this, files, this._warnings, parsed)) put(f, content, this.node.path || 'platform');
    if (dup.length > 0) throw new PlatformValidationError(dup);
    const checked = checkOutput(files, (f) => sources.get(f) ?? here(this), this._policies, parsed);
    if (checked.some((p) => p.severity !== 'warning')) throw new PlatformValidationError(checked.filter((p) => p.severity !== 'warning'));
    this._warnings.push(...checked);
    // what Argo CD's controller would refuse at sync: every Application against its AppProject
    const permissions = checkOutputPermissions(files, { parsed });
    if (permissions.skipped) this._warnings.push({ path: here(this), message: `AppProject permissions not checked: ${permissions.skipped}`, severity: 'warning' });
    if (permissions.denials.length > 0) {
      throw new PlatformValidationError(permissions.denials.map((d) => ({ path: sources.get(d.file) ?? here(this), message: messages.notPermittedByProject(describeDenial(d)) })));
    }
    return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /**
   * Validates, renders and writes the repository into {@link outdir}: atomically
   * (a failure leaves the previous output as it was), removing generated files that
   * are no longer generated and keeping files the library did not generate.
   */
  public synth(): void {
    // each file goes to the writer as soon as it is rendered (a first write stages it at once)
    const written = writeTree(this.outdir, (sink) => {
      this._sink = sink;
      try {
        return this.render();
      } finally {
        this._sink = undefined;
      }
    });
    for (const w of this._warnings) process.stderr.write(`warning: [${w.path}] ${w.message}\n`);
    for (const w of written.warnings) process.stderr.write(`warning: [platform] ${w}\n`);
  }

  private duplicateNames(): Problem[] {
    const seen = new Map<string, string>();
    const problems: Problem[] = [];
    for (const c of this.clusters) {
      const first = seen.get(c.name);
      if (first) problems.push({ path: c.node.path, message: messages.duplicateName('cluster', c.name, [first]) });
      else seen.set(c.name, c.node.path);
    }
    return problems;
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

function isPlatformCluster(c: IConstruct): c is IPlatformCluster {
  return (c as unknown as Record<symbol, unknown>)[CLUSTER_SYMBOL] === true;
}

const here = (c: IConstruct) => c.node.path || 'platform';

function hasFiles(c: IConstruct): c is IConstruct & { _files(): Map<string, string> } {
  return typeof (c as { _files?: unknown })._files === 'function';
}

function hasFileObjects(c: IConstruct): c is IConstruct & { _fileObjects(): Map<string, unknown> } {
  return typeof (c as { _fileObjects?: unknown })._fileObjects === 'function';
}

function isRenderable(c: IConstruct): c is IRenderable {
  return typeof (c as Partial<IRenderable>)._render === 'function';
}
