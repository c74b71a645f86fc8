import { Construct } from 'constructs';
import { catalogOptions } from '../catalog-options';
import { ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, management, resources, SERVERS_ONE_PER_NODE } from './common';

/** OpenBao (the open-source Vault fork), HA with Raft; the injector is off. */
export function openBao(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
  options = catalogOptions(scope, 'openBao', options);
  return entry(scope, 'openbao', options, {
    chart: CHARTS.openBao, namespace: 'openbao', targets: management(),
    values: { injector: { enabled: false }, server: { ha: { enabled: true, replicas: 3, raft: { enabled: true } }, resources: resources('250m', '256Mi', '512Mi'), dataStorage: { enabled: true, size: '10Gi' } } },
  // the chart's server affinity is a required anti-affinity on the host name: one server per node
  })._spreadOnePerNode(SERVERS_ONE_PER_NODE);
}
