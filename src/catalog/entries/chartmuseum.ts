import { Construct } from 'constructs';
import { catalogOptions } from '../catalog-options';
import { ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, management, nonRoot, resources } from './common';

/** ChartMuseum, the platform's chart repository (API write access disabled by default). */
export function chartMuseum(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
  options = catalogOptions(scope, 'chartMuseum', options);
  return entry(scope, 'chartmuseum', options, {
    chart: CHARTS.chartMuseum, namespace: 'chartmuseum', targets: management(),
    values: {
      env: { open: { DISABLE_API: true, STORAGE: 'local' } }, persistence: { enabled: true, size: '10Gi' }, resources: resources('50m', '64Mi', '256Mi'), securityContext: { enabled: true, ...nonRoot },
      // its volume attaches to one node at a time (Azure Disk, EBS): a rolling update's new pod on another node
      // waits on the attachment the old one holds, until the rollout's deadline (Degraded)
      strategy: { type: 'Recreate' },
    },
  });
}
