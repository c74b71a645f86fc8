import { SecurityRule } from '../security-rule';
import type { CleanTexts, TextScan } from '../text-scan';

/** A parsed object of the output: a Kubernetes manifest or a Terraform JSON document. */
export type Obj = Record<string, unknown>;

/** One rule broken by one file of the output. */
export interface PolicyFinding {
  readonly rule: SecurityRule;
  /** The output file (relative to the output folder). */
  readonly file: string;
  /** What is wrong, with the value found, what is allowed and how to fix it. */
  readonly message: string;
  /** The Kubernetes object (`metadata.name` and kind), when the finding is about one. */
  readonly resource?: { readonly name: string; readonly kind: string };
}

/** One file of the output, as the policy pass reads it. */
export interface PolicyFile {
  /** The path relative to the output folder (or the manifest path for the cdk8s plugin). */
  readonly file: string;
  /** The text of the file. */
  readonly text: string;
  /** Namespaces are matched with their quota and policies inside one scope (one cluster). */
  readonly scope: string;
  /** The objects in the file, when already parsed (else parsed here, only when a rule needs them). */
  readonly objects?: readonly unknown[];
  /**
   * The text's credential scan when it is made elsewhere (the YAML thread scans the texts it
   * made): asked for once, at the end of the pass; undefined when there is none after all.
   */
  readonly credentialScan?: () => TextScan | undefined;
}

/** Options of the policy pass. */
export interface PolicyOptions {
  /** The rules to run. */
  readonly rules: ReadonlySet<SecurityRule>;
  /** AppProjects allowed to use wildcards (the platform's own). */
  readonly platformProjects: ReadonlySet<string>;
  /** Texts an earlier synth found free of credentials (the synth cache): not scanned again. */
  readonly cleanTexts?: CleanTexts;
}

/** A Helm chart's effective values, as the chart checks see them. */
export interface ChartValues {
  readonly file: string;
  /** The install, e.g. `helm_release.argocd` or `Application "x" (values files a, b)`. */
  readonly what: string;
  readonly chart: string;
  /** The values after every layer (values files, inline values, `--set`). */
  readonly values: unknown;
  /** The values to search for risky container settings (the layers not checked elsewhere), if any. */
  readonly walk: unknown;
  /** Every values layer could be read: the chart's defaults can be judged. */
  readonly seesAll: boolean;
  /** How the walked values are named after `what` (` values`, ` Helm values`). */
  readonly valuesWord: string;
}

/** The resources of a Terraform JSON document, by type then name. */
export interface TerraformResources {
  readonly file: string;
  readonly text: string;
  readonly doc: unknown;
  /** Calls `fn` for each resource of a type, in document order. */
  each(type: string, fn: (name: string, resource: unknown) => void): void;
}

/**
 * What one rule checks, at the points of the walk over the output (each optional). The pass
 * calls each point's checks in the order of the rule list (rules/registry.ts).
 */
export interface RuleChecks {
  /** Every file's text, first. */
  file?(f: PolicyFile): void;
  /** A YAML file's text before parsing: true when the values documents (no `kind`) of the file must be checked. */
  wantsValues?(text: string, kinds: readonly string[]): boolean;
  /** A Kubernetes object's content, whatever its kind (before the kind checks of every rule). */
  contents?(f: PolicyFile, kind: string, name: string, o: Obj): void;
  /** A Kubernetes object. */
  object?(f: PolicyFile, kind: string, name: string, o: Obj): void;
  /** A Helm values document of a YAML file (only when `wantsValues` said so for the file). */
  values?(file: string, values: unknown): void;
  /** A Terraform JSON document. */
  terraform?(tf: TerraformResources): void;
  /** The parsed `values` of a Terraform `helm_release`. */
  helmRelease?(file: string, what: string, values: readonly unknown[]): void;
  /** The effective values of a chart install (a `helm_release`, an Application's Helm source). */
  chartValues?(c: ChartValues): void;
  /** One values document of a `helm_release` of the argocd-apps chart (its projects and applications). */
  argocdApps?(file: string, what: string, values: unknown): void;
  /** After every file: findings that need the whole output. */
  finish?(): void;
}

/** A security rule of the policy pass: the kinds whose files it parses, and its checks for one run. */
export interface PolicyRule {
  readonly rule: SecurityRule;
  /** Kubernetes kinds the rule reads: a YAML file holding one is parsed. */
  readonly kinds: readonly string[];
  /** The rule's checks for one run of the pass; findings go to `out`. */
  create(out: PolicyFinding[], options: PolicyOptions): RuleChecks;
}

export const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Obj : undefined);
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const at = (v: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((o, k) => obj(o)?.[k], v);
/** A value quoted in a finding's `what`: JSON, `nothing` for undefined. */
export const show = (v: unknown) => JSON.stringify(v) ?? 'nothing';
/** A Terraform reference (`${...}`), known only at apply time. */
export const isToken = (v: unknown) => typeof v === 'string' && v.includes('${');

export function hasEntries(v: unknown): boolean {
  const o = obj(v);
  return o !== undefined && Object.keys(o).length > 0;
}

/** The kinds that run pods. */
export const POD_KINDS: readonly string[] = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob'];
const POD_KIND_SET = new Set(POD_KINDS);
export const isPodKind = (kind: string) => POD_KIND_SET.has(kind);

export function podSpecOf(kind: string, o: Obj): unknown {
  if (kind === 'Pod') return o.spec;
  if (kind === 'CronJob') return at(o, 'spec', 'jobTemplate', 'spec', 'template', 'spec');
  return at(o, 'spec', 'template', 'spec');
}

/** `Kind "name"`, as findings name an object. */
export const named = (kind: string, name: string) => `${kind} ${show(name)}`;
