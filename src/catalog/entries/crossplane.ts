import { Construct } from 'constructs';
import { catalogOptions } from '../catalog-options';
import { ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, management, resources } from './common';

/** Crossplane: infrastructure through Kubernetes APIs. */
export function crossplane(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
  options = catalogOptions(scope, 'crossplane', options);
  return entry(scope, 'crossplane', options, {
    chart: CHARTS.crossplane, namespace: 'crossplane-system', targets: management(), serverSideApply: true,
    values: { replicas: 2, resourcesCrossplane: resources('100m', '256Mi', '512Mi'), resourcesRBACManager: resources('50m', '128Mi', '256Mi') },
  });
}
