import { Construct } from 'constructs';
import { catalogOptions } from './catalog-options';
import { AcmeOptions } from './acme-solver';
import { ServiceCatalogEntry } from './service-catalog-entry';
import { certManager } from './entries/cert-manager';
import { externalDns, ExternalDnsOptions } from './entries/external-dns';
import { externalSecrets } from './entries/external-secrets';
import { gatewayApi, GatewayHttpsOptions } from './entries/envoy-gateway';
import { kubePrometheusStack } from './entries/kube-prometheus-stack';
import { kyverno } from './entries/kyverno';
import { loki } from './entries/loki';
import { nfsProvisioner, NfsOptions } from './entries/nfs-provisioner';
import { openCost } from './entries/opencost';

/**
 * `core-basic`: the Gateway API controller, and external-dns when a DNS provider is given
 * (`dns.targets` narrows external-dns, e.g. to the clusters of the DNS provider's cloud).
 */
export function coreBasic(scope: Construct, options: { readonly dns?: ExternalDnsOptions; readonly https?: GatewayHttpsOptions } = {}): ServiceCatalogEntry[] {
  options = catalogOptions(scope, 'coreBasic', options);
  const gw = gatewayApi(scope, { https: options.https });
  return options.dns ? [gw, externalDns(scope, { ...options.dns, dependsOn: [gw] })] : [gw];
}

/** `security-basic`: cert-manager (with issuers when `acme` is given), Kyverno and its baseline policies, External Secrets. */
export function securityBasic(scope: Construct, options: { readonly acme?: AcmeOptions; readonly certManagerDependsOn?: ServiceCatalogEntry[] } = {}): ServiceCatalogEntry[] {
  options = catalogOptions(scope, 'securityBasic', options);
  return [
    certManager(scope, { acme: options.acme, dependsOn: options.certManagerDependsOn }),
    kyverno(scope),
    externalSecrets(scope),
  ];
}

/** `monitoring-basic`: kube-prometheus-stack and OpenCost. */
export function monitoringBasic(scope: Construct): ServiceCatalogEntry[] {
  const kps = kubePrometheusStack(scope);
  return [kps, openCost(scope, { dependsOn: [kps] })];
}

/** `monitoring-medium`: Loki (the platform's stack rules require `storage-basic` too). */
export function monitoringMedium(scope: Construct): ServiceCatalogEntry[] {
  return [loki(scope)];
}

/** `storage-basic`: the NFS provisioner. */
export function storageBasic(scope: Construct, options: NfsOptions): ServiceCatalogEntry[] {
  options = catalogOptions(scope, 'storageBasic', options);
  return [nfsProvisioner(scope, options)];
}
