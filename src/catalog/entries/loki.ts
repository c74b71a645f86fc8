import { Construct } from 'constructs';
import { BUILT_IN_EXCEPTIONS } from '../../policy/built-in-exceptions';
import { catalogOptions } from '../catalog-options';
import { ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, label, resources } from './common';

/** Loki (single binary) for logs; needs storage-basic. */
export function loki(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
  options = catalogOptions(scope, 'loki', options);
  return entry(scope, 'loki', options, {
    chart: CHARTS.loki, policyExceptions: [...BUILT_IN_EXCEPTIONS.loki],
    namespace: 'loki',
    targets: label('monitoring-medium'),
    values: {
      deploymentMode: 'SingleBinary',
      loki: { auth_enabled: false, commonConfig: { replication_factor: 1 }, storage: { type: 'filesystem' }, schemaConfig: { configs: [{ from: '2024-04-01', store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'index_', period: '24h' } }] } },
      singleBinary: { replicas: 1, resources: resources('100m', '256Mi', '1Gi') },
      read: { replicas: 0 }, write: { replicas: 0 }, backend: { replicas: 0 },
    },
  });
}
