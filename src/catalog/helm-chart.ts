import { messages } from '../core/errors';

/** Props of {@link HelmChart.fromRepository}. */
export interface HelmRepositoryChartProps {
  /** The Helm repository URL, e.g. `https://charts.jetstack.io`. */
  readonly repository: string;
  /** The chart name. */
  readonly chart: string;
  /** The exact chart version (an upstream release). */
  readonly version: string;
}

/** Props of {@link HelmChart.oci}. */
export interface OciChartProps {
  /** The registry path without scheme, e.g. `ghcr.io/actions/actions-runner-controller-charts`. */
  readonly registry: string;
  /** The chart name. */
  readonly chart: string;
  /** The exact chart version. */
  readonly version: string;
}

const SEMVER = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** A pinned Helm chart: from a Helm repository or an OCI registry. */
export class HelmChart {
  /** A chart from a classic Helm repository. */
  public static fromRepository(props: HelmRepositoryChartProps): HelmChart {
    return new HelmChart(props?.repository, props?.chart, props?.version, false);
  }

  /** A chart from an OCI registry (Argo CD 3.1+ reads `oci://` sources natively, no repository registration). */
  public static oci(props: OciChartProps): HelmChart {
    const registry = props?.registry;
    // a registry that is not a string is kept as it is, so the entry's check reports it
    const repoURL = typeof registry === 'string' ? `oci://${registry.replace(/^oci:\/\//, '').replace(/\/$/, '')}/${props.chart}` : registry;
    return new HelmChart(repoURL, props?.chart, props?.version, true);
  }

  private constructor(
    /** The repository URL Argo CD uses (`oci://...` for OCI). */
    public readonly repoURL: string,
    /** The chart name. */
    public readonly chart: string,
    /** The pinned version. */
    public readonly version: string,
    /** True for an OCI registry. */
    public readonly isOci: boolean,
  ) {}

  /** @internal The chart part of an Argo CD source: `chart` for a Helm repository, `path: .` for OCI. */
  public _source(): { repoURL: string; chart?: string; path?: string } {
    return this.isOci ? { repoURL: this.repoURL, path: '.' } : { repoURL: this.repoURL, chart: this.chart };
  }

  /** @internal */
  public _problems(prop: string): string[] {
    const out: string[] = [];
    const urlOk = typeof this.repoURL === 'string'
      && (this.isOci ? /^oci:\/\/[a-z0-9.-]+(:\d+)?(\/[\w.-]+)+$/.test(this.repoURL) : /^https:\/\/[a-zA-Z0-9.-]+(:\d+)?(\/[\w.~%+-]+)*\/?$/.test(this.repoURL));
    if (!urlOk) out.push(messages.catalog.chartRepository(prop, this.repoURL, this.isOci));
    if (typeof this.chart !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(this.chart)) out.push(messages.catalog.chartName(prop, this.chart));
    if (typeof this.version !== 'string' || !SEMVER.test(this.version)) out.push(messages.catalog.chartVersion(prop, this.version));
    return out;
  }
}

/** True for an exact chart version. */
export function isExactVersion(v: unknown): v is string {
  return typeof v === 'string' && SEMVER.test(v);
}
