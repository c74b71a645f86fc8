import type { ApplicationSource } from './types';

/** A pinned Helm chart. */
export interface PinnedChart {
  /** Helm repository URL. */
  readonly repoURL: string;
  /** Chart name. */
  readonly chart: string;
  /** Exact chart version (an upstream release). */
  readonly version: string;
}

/**
 * The argo-cd chart (Argo CD v3.4.4): the one place its version lives.
 * @see https://github.com/argoproj/argo-helm/tree/main/charts/argo-cd
 */
export const ARGO_CD_CHART: PinnedChart = {
  repoURL: 'https://argoproj.github.io/argo-helm',
  chart: 'argo-cd',
  version: '10.1.1',
};

/** An Application source installing Argo CD from {@link ARGO_CD_CHART}, as release `argocd` with these values. */
export function argoCdChartSource(valuesObject: Record<string, unknown>): ApplicationSource {
  return {
    repoURL: ARGO_CD_CHART.repoURL,
    chart: ARGO_CD_CHART.chart,
    targetRevision: ARGO_CD_CHART.version,
    helm: { releaseName: 'argocd', valuesObject },
  };
}

/**
 * The Service of the Argo CD server as {@link argoCdChartSource} installs it (release `argocd`):
 * its name, the port that serves plain HTTP when `server.insecure` is set (the chart's
 * `server.service.servicePortHttp`), and the server's container port behind it
 * (`server.containerPorts.server`), which NetworkPolicies on the pod must admit.
 */
export const ARGOCD_SERVER_SERVICE = { name: 'argocd-server', httpPort: 80, containerPort: 8080 } as const;

/**
 * The argocd-apps chart, used once by Terraform to create the root Application
 * and the platform AppProject at bootstrap.
 * @see https://github.com/argoproj/argo-helm/tree/main/charts/argocd-apps
 */
export const ARGOCD_APPS_CHART: PinnedChart = {
  repoURL: 'https://argoproj.github.io/argo-helm',
  chart: 'argocd-apps',
  version: '2.0.7',
};

/**
 * The external-secrets chart: the management cluster reads the platform secret
 * store through it (cluster registrations, tenant credentials).
 * @see https://github.com/external-secrets/external-secrets/tree/main/deploy/charts/external-secrets
 */
export const EXTERNAL_SECRETS_CHART: PinnedChart = {
  repoURL: 'https://charts.external-secrets.io',
  chart: 'external-secrets',
  version: '2.9.0',
};

/**
 * The vcluster chart (schema of this release validated in the tests).
 * @see https://github.com/loft-sh/vcluster/tree/main/chart
 */
export const VCLUSTER_CHART: PinnedChart = {
  repoURL: 'https://charts.loft.sh',
  chart: 'vcluster',
  version: '0.35.3',
};
