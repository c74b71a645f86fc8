import { Construct } from 'constructs';
import { catalogOptions } from '../catalog-options';
import { ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, hardened, management, nonRoot, resources } from './common';

/** Reloader: restarts workloads when their ConfigMaps or Secrets change. */
export function reloader(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
  options = catalogOptions(scope, 'reloader', options);
  return entry(scope, 'reloader', options, {
    chart: CHARTS.reloader, namespace: 'reloader', targets: management(),
    values: { reloader: { readOnlyRootFileSystem: true, reloadOnCreate: false, deployment: { resources: resources('10m', '64Mi', '128Mi'), securityContext: nonRoot, containerSecurityContext: hardened } } },
  });
}
