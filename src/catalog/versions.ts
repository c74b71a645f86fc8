import { HelmChart } from './helm-chart';

/**
 * Every chart the built-in catalog installs, pinned to an upstream release, each in
 * exactly ONE place: an upgrade is a one-line change here (a test proves each version
 * string appears once in the source). The Argo CD and External Secrets charts of the
 * management cluster live in `src/argocd/charts.ts`.
 */
export const CHARTS = {
  certManager: HelmChart.fromRepository({ repository: 'https://charts.jetstack.io', chart: 'cert-manager', version: 'v1.21.1' }),
  externalDns: HelmChart.fromRepository({ repository: 'https://kubernetes-sigs.github.io/external-dns', chart: 'external-dns', version: '1.21.1' }),
  reloader: HelmChart.fromRepository({ repository: 'https://stakater.github.io/stakater-charts', chart: 'reloader', version: '2.2.17' }),
  vault: HelmChart.fromRepository({ repository: 'https://helm.releases.hashicorp.com', chart: 'vault', version: '0.34.1' }),
  openBao: HelmChart.fromRepository({ repository: 'https://openbao.github.io/openbao-helm', chart: 'openbao', version: '0.28.6' }),
  crossplane: HelmChart.fromRepository({ repository: 'https://charts.crossplane.io/stable', chart: 'crossplane', version: '2.4.3' }),
  atlantis: HelmChart.fromRepository({ repository: 'https://runatlantis.github.io/helm-charts', chart: 'atlantis', version: '6.14.1' }),
  argoWorkflows: HelmChart.fromRepository({ repository: 'https://argoproj.github.io/argo-helm', chart: 'argo-workflows', version: '2.0.1' }),
  actionsRunnerController: HelmChart.oci({ registry: 'ghcr.io/actions/actions-runner-controller-charts', chart: 'gha-runner-scale-set-controller', version: '0.15.0' }),
  gitlabRunner: HelmChart.fromRepository({ repository: 'https://charts.gitlab.io', chart: 'gitlab-runner', version: '0.92.1' }),
  chartMuseum: HelmChart.fromRepository({ repository: 'https://chartmuseum.github.io/charts', chart: 'chartmuseum', version: '3.9.2' }),
  kyverno: HelmChart.fromRepository({ repository: 'https://kyverno.github.io/kyverno/', chart: 'kyverno', version: '3.7.2' }),
  kubePrometheusStack: HelmChart.fromRepository({ repository: 'https://prometheus-community.github.io/helm-charts', chart: 'kube-prometheus-stack', version: '91.5.0' }),
  openCost: HelmChart.fromRepository({ repository: 'https://opencost.github.io/opencost-helm-chart', chart: 'opencost', version: '2.5.34' }),
  envoyGateway: HelmChart.oci({ registry: 'docker.io/envoyproxy', chart: 'gateway-helm', version: 'v1.9.2' }),
  ingressNginx: HelmChart.fromRepository({ repository: 'https://kubernetes.github.io/ingress-nginx', chart: 'ingress-nginx', version: '4.15.1' }),
  loki: HelmChart.fromRepository({ repository: 'https://grafana.github.io/helm-charts', chart: 'loki', version: '6.29.0' }),
  nfsProvisioner: HelmChart.fromRepository({ repository: 'https://kubernetes-sigs.github.io/nfs-subdir-external-provisioner/', chart: 'nfs-subdir-external-provisioner', version: '4.0.18' }),
} as const;
