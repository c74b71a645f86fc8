import { Construct } from 'constructs';
import { catalogOptions } from '../catalog-options';
import { ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, management, resources } from './common';

/**
 * Resources without a CPU limit, as every entry's: the chart's own defaults carry CPU limits
 * (500m for Crossplane, 100m for its RBAC manager) that Helm keeps beside ours unless set to null.
 */
function noCpuLimit<T extends { limits: object }>(r: T): T {
  return { ...r, limits: { ...r.limits, cpu: null } };
}

/** Crossplane: infrastructure through Kubernetes APIs. */
export function crossplane(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
  options = catalogOptions(scope, 'crossplane', options);
  return entry(scope, 'crossplane', options, {
    chart: CHARTS.crossplane, namespace: 'crossplane-system', targets: management(), serverSideApply: true,
    values: { replicas: 2, resourcesCrossplane: noCpuLimit(resources('100m', '256Mi', '512Mi')), resourcesRBACManager: noCpuLimit(resources('50m', '128Mi', '256Mi')) },
  });
}
