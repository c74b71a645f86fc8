import { Construct } from 'constructs';
import { BUILT_IN_EXCEPTIONS } from '../../policy/built-in-exceptions';
import { catalogOptions } from '../catalog-options';
import { ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, externalSecret, label, nonRoot, resources } from './common';

/** kube-prometheus-stack: Prometheus, Alertmanager, Grafana (admin credentials from the secret store), node-exporter. */
export function kubePrometheusStack(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
  options = catalogOptions(scope, 'kubePrometheusStack', options);
  return entry(scope, 'kube-prometheus-stack', options, {
    chart: CHARTS.kubePrometheusStack, policyExceptions: [...BUILT_IN_EXCEPTIONS.kubePrometheusStack],
    namespace: 'monitoring',
    targets: label('monitoring-basic'),
    serverSideApply: true,
    values: {
      prometheus: { prometheusSpec: { retention: '15d', resources: resources('200m', '1Gi', '2Gi'), securityContext: { ...nonRoot, runAsUser: 1000, fsGroup: 2000 } } },
      alertmanager: { alertmanagerSpec: { resources: resources('25m', '64Mi', '128Mi') } },
      grafana: { admin: { existingSecret: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' } },
    },
    manifests: [externalSecret('grafana-admin', 'monitoring', 'grafana-admin', { 'admin-user': 'user', 'admin-password': 'password' })],
  });
}
