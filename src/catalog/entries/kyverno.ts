import { Construct } from 'constructs';
import { Platform } from '../../platform';
import { catalogOptions } from '../catalog-options';
import { baselinePolicies, PolicyAction } from '../kyverno-policies';
import { ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, label, resources } from './common';

/** Kyverno (HA controllers) with the baseline policies: Audit before the last environment, Enforce in it. */
export function kyverno(scope: Construct, options: CatalogEntryOptions & { readonly enforceIn?: string[] } = {}): ServiceCatalogEntry {
  options = catalogOptions(scope, 'kyverno', options, ['enforceIn']);
  const envs = Platform.of(scope).environments;
  const enforce = options.enforceIn ?? [envs[envs.length - 1]];
  return entry(scope, 'kyverno', options, {
    chart: CHARTS.kyverno,
    namespace: 'kyverno',
    targets: label('security-basic'),
    serverSideApply: true,
    values: {
      admissionController: { replicas: 3, container: { resources: resources('100m', '256Mi', '512Mi') } },
      backgroundController: { replicas: 2, resources: resources('100m', '128Mi', '256Mi') },
      cleanupController: { replicas: 2, resources: resources('50m', '64Mi', '128Mi') },
      reportsController: { replicas: 2, resources: resources('100m', '128Mi', '256Mi') },
    },
    environmentManifests: Object.fromEntries(envs.map((e) => [e, baselinePolicies(enforce.includes(e) ? PolicyAction.ENFORCE : PolicyAction.AUDIT)])),
  });
}
