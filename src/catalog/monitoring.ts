/**
 * The namespace of kube-prometheus-stack (`Catalog.kubePrometheusStack`), where Prometheus runs:
 * the tenants' NetworkPolicies admit scrapes from it to their services' metrics ports.
 */
export const PROMETHEUS_NAMESPACE = 'monitoring';
