/** The platform report's data: what `platform.json` holds, for other tools (and for `diff` and `explain`). */

/** File name of the report for people, at the output root. */
export const PLATFORM_MD = 'PLATFORM.md';
/** File name of the report for tools, at the output root. */
export const PLATFORM_JSON = 'platform.json';
/** Version of the `platform.json` layout; raised on incompatible changes. */
export const PLATFORM_JSON_SCHEMA_VERSION = 1;

/** What a cluster is to the platform. */
export enum ClusterRole {
  /** A management cluster (its Argo CD steers the fleet). */
  MANAGEMENT = 'management',
  /** A fleet (workload) cluster. */
  FLEET = 'fleet',
  /** A tenant's virtual cluster. */
  TENANT = 'tenant',
  /** A cluster registered by other means (`FleetCluster.fromName`). */
  IMPORTED = 'imported',
}

/** One cluster of the platform, as its Argo CD registration describes it. */
export interface ClusterData {
  /** The Argo CD cluster name. */
  readonly name: string;
  /** Its role. */
  readonly role: ClusterRole;
  /** Its environment, when known. */
  readonly environment?: string;
  /** `azure` or `aws`, for provisioned clusters. */
  readonly cloud?: string;
  /** Region / location, for provisioned clusters. */
  readonly region?: string;
  /** Kubernetes minor version, for provisioned clusters. */
  readonly kubernetesVersion?: string;
  /** The management cluster whose Argo CD has it registered (unknown for imported clusters). */
  readonly management?: string;
  /** For tenants: the host cluster. */
  readonly host?: string;
  /** For tenants: the host namespace. */
  readonly namespace?: string;
  /** Labels of the registration (what selectors see). */
  readonly labels: Record<string, string>;
  /**
   * Annotations of the registration. Values produced by Terraform are unknown before
   * `apply` and appear as `<output:NAME>`.
   */
  readonly annotations: Record<string, string>;
}

/** One catalog entry. */
export interface CatalogEntryData {
  readonly name: string;
  /** The chart (absent for a manifest-only entry). */
  readonly chart?: { readonly repoURL: string; readonly chart: string; readonly version: string };
  readonly namespace: string;
  readonly project: string;
  /** The pinned version per environment, in promotion order. */
  readonly versions: Record<string, string>;
  readonly syncWave: number;
  readonly dependsOn: string[];
  /** Security rules its chart output may break, with the reasons (absent when none). */
  readonly policyExceptions?: { readonly rule: string; readonly reason: string; readonly objects?: string[] }[];
}

/** Where an ApplicationSet of the output lives. */
export interface ApplicationSetData {
  readonly name: string;
  readonly namespace: string;
  /** The management cluster whose folder holds it. */
  readonly management: string;
  /** Output-relative file. */
  readonly file: string;
}

/** The whole `platform.json`. */
export interface PlatformData {
  readonly schemaVersion: number;
  readonly generator: string;
  readonly repository: { readonly url: string; readonly revision: string; readonly path: string };
  readonly domain: string;
  readonly environments: string[];
  readonly secretStore: { readonly kind: string };
  readonly clusters: ClusterData[];
  readonly catalog: CatalogEntryData[];
  readonly applicationSets: ApplicationSetData[];
  /** cluster name -> catalog entry -> resolved chart version (from the offline expansion). */
  readonly matrix: Record<string, Record<string, string>>;
  readonly warnings: { readonly path: string; readonly message: string }[];
}

/** The placeholder of a Terraform-produced annotation in `platform.json`. */
export function outputPlaceholder(name: string): string {
  return `<output:${name}>`;
}
