import { Construct } from 'constructs';
import { BUILT_IN_EXCEPTIONS } from '../../policy/built-in-exceptions';
import { catalogOptions } from '../catalog-options';
import { PROMETHEUS_NAMESPACE } from '../monitoring';
import { ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, externalSecret, label, nonRoot, resources } from './common';

/** Prometheus's volume, and the size its database is kept under (room for the write-ahead log and compaction). */
const PROMETHEUS_VOLUME = '50Gi';
const PROMETHEUS_RETENTION_SIZE = '40GB';

/**
 * kube-prometheus-stack: Prometheus, Alertmanager, Grafana (admin credentials from the secret
 * store), node-exporter. Prometheus selects the ServiceMonitors, PodMonitors, Probes and
 * PrometheusRules of every namespace, whatever their labels (the chart's default selects only
 * those labelled `release: <release name>`, which team services' ServiceMonitors do not carry).
 * It leaves out what a managed control plane keeps out of reach (scheduler, controller manager,
 * etcd) and kube-proxy, whose alerts would fire from day one.
 */
export function kubePrometheusStack(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
  options = catalogOptions(scope, 'kubePrometheusStack', options);
  return entry(scope, 'kube-prometheus-stack', options, {
    chart: CHARTS.kubePrometheusStack, policyExceptions: [...BUILT_IN_EXCEPTIONS.kubePrometheusStack],
    namespace: PROMETHEUS_NAMESPACE,
    targets: label('monitoring-basic'),
    serverSideApply: true,
    values: {
      prometheus: {
        prometheusSpec: {
          retention: '15d', resources: resources('200m', '1Gi', '2Gi'), securityContext: { ...nonRoot, runAsUser: 1000, fsGroup: 2000 },
          // without a volume the chart keeps the database in an emptyDir on the node's disk: lost with the pod,
          // and 15 days of samples can fill the disk (the kubelet then evicts pods for DiskPressure). A claim of the
          // cluster's default class, and a size cap under it (the oldest blocks go first)
          storageSpec: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: PROMETHEUS_VOLUME } } } } },
          retentionSize: PROMETHEUS_RETENTION_SIZE,
          // an empty selector selects all (the namespace selectors already default to {}: every namespace)
          serviceMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelectorNilUsesHelmValues: false,
          probeSelectorNilUsesHelmValues: false,
          ruleSelectorNilUsesHelmValues: false,
        },
      },
      alertmanager: { alertmanagerSpec: { resources: resources('25m', '64Mi', '128Mi') } },
      // the chart and its subcharts request nothing for these: scheduled as if they took nothing.
      // The operator's memory follows the number of monitored objects: a request, no limit (the
      // platform team's, see its policy exception)
      prometheusOperator: { resources: { requests: { cpu: '50m', memory: '128Mi' } } },
      grafana: {
        admin: { existingSecret: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' },
        resources: resources('50m', '256Mi', '512Mi'),
        // the dashboard and datasource sidecars
        sidecar: { resources: resources('10m', '64Mi', '256Mi') },
      },
      // AKS and EKS run the scheduler, the controller manager and etcd where no pod selector reaches,
      // and kube-proxy is Cilium's on AKS and serves its metrics on 127.0.0.1 on EKS: scraped, they
      // have no target, and the chart's KubeSchedulerDown, KubeControllerManagerDown and
      // KubeProxyDown (absent(up{job=...})) fire from day one. Off, with their rules and dashboards
      // (an imported self-managed cluster may turn them on in the entry's values)
      kubeControllerManager: { enabled: false },
      kubeScheduler: { enabled: false },
      kubeEtcd: { enabled: false },
      kubeProxy: { enabled: false },
      'kube-state-metrics': { resources: resources('10m', '64Mi', '256Mi') },
      // a DaemonSet: one on every node
      'prometheus-node-exporter': { resources: resources('10m', '32Mi', '128Mi') },
    },
    manifests: [externalSecret(scope, 'grafana-admin', PROMETHEUS_NAMESPACE, 'grafana-admin', { 'admin-user': 'user', 'admin-password': 'password' })],
  });
}
