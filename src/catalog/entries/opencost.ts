import { Construct } from 'constructs';
import { BUILT_IN_EXCEPTIONS } from '../../policy/built-in-exceptions';
import { catalogOptions } from '../catalog-options';
import { PROMETHEUS_NAMESPACE } from '../monitoring';
import { ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, label, resources } from './common';

/** OpenCost, reading the kube-prometheus-stack Prometheus. */
export function openCost(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
  options = catalogOptions(scope, 'openCost', options);
  return entry(scope, 'opencost', options, {
    chart: CHARTS.openCost, policyExceptions: [...BUILT_IN_EXCEPTIONS.openCost],
    namespace: 'opencost',
    targets: label('monitoring-basic'),
    values: {
      opencost: {
        exporter: { resources: resources('10m', '55Mi', '1Gi') },
        ui: { enabled: true },
        // kube-prometheus-stack's Prometheus (its release's Service), not the chart's default prometheus-server.prometheus-system
        prometheus: { internal: { enabled: true, serviceName: 'kube-prometheus-stack-prometheus', namespaceName: PROMETHEUS_NAMESPACE, port: 9090 } },
        // OpenCost computes costs from the metrics it exports itself (node_cpu_hourly_cost, ...), read back from
        // that Prometheus: without the chart's ServiceMonitor (off by default) nothing scrapes them and every cost is empty
        metrics: { serviceMonitor: { enabled: true } },
      },
    },
  });
}
