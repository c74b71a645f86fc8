import { Construct } from 'constructs';
import { catalogOptions } from '../catalog-options';
import { ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, hardened, management, nonRoot, resources } from './common';

/** GitHub Actions Runner Controller (scale-set controller). */
export function actionsRunnerController(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
  options = catalogOptions(scope, 'actionsRunnerController', options);
  return entry(scope, 'arc-controller', options, {
    chart: CHARTS.actionsRunnerController, namespace: 'arc-systems', targets: management(), serverSideApply: true,
    values: { replicaCount: 1, resources: resources('50m', '128Mi', '256Mi'), podSecurityContext: nonRoot, securityContext: hardened },
  });
}
