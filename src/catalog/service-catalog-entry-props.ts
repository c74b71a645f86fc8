import type { PolicyException } from '../policy/policy-exception';
import type { AddonIdentity } from './addon-identity';
import type { ClusterSelector } from './cluster-selector';
import type { HelmChart } from './helm-chart';
import type { ServiceCatalogEntry } from './service-catalog-entry';

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
   * The Applications then have no automated sync (RollingSync starts each sync) and keep the
   * catalog's retry, which the syncs RollingSync starts use.
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
