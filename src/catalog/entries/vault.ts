import { Construct } from 'constructs';
import { catalogOptions } from '../catalog-options';
import { ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, management, resources, SERVERS_ONE_PER_NODE } from './common';

/** HashiCorp Vault, HA with integrated storage (Raft); the injector is off. */
export function vault(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
  options = catalogOptions(scope, 'vault', options);
  return entry(scope, 'vault', options, {
    chart: CHARTS.vault, namespace: 'vault', targets: management(),
    values: { injector: { enabled: false }, server: { ha: { enabled: true, replicas: 3, raft: { enabled: true } }, resources: resources('250m', '256Mi', '512Mi'), dataStorage: { enabled: true, size: '10Gi' } } },
  // the chart's server affinity is a required anti-affinity on the host name: one server per node
  })._spreadOnePerNode(SERVERS_ONE_PER_NODE);
}
