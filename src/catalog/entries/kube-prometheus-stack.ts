import { Construct } from 'constructs';
import { BUILT_IN_EXCEPTIONS } from '../../policy/built-in-exceptions';
import { catalogOptions } from '../catalog-options';
import { PROMETHEUS_NAMESPACE } from '../monitoring';
import { ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, externalSecret, label, nonRoot, resources } from './common';

/**
 * kube-prometheus-stack: Prometheus, Alertmanager, Grafana (admin credentials from the secret
 * store), node-exporter. Prometheus selects the ServiceMonitors, PodMonitors, Probes and
 * PrometheusRules of every namespace, whatever their labels (the chart's default selects only
 * those labelled `release: <release name>`, which team services' ServiceMonitors do not carry).
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
      'kube-state-metrics': { resources: resources('10m', '64Mi', '256Mi') },
      // a DaemonSet: one on every node
      'prometheus-node-exporter': { resources: resources('10m', '32Mi', '128Mi') },
    },
    manifests: [externalSecret(scope, 'grafana-admin', PROMETHEUS_NAMESPACE, 'grafana-admin', { 'admin-user': 'user', 'admin-password': 'password' })],
  });
}
