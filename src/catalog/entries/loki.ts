import { Construct } from 'constructs';
import { catalogOptions } from '../catalog-options';
import { ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, label, resources } from './common';

/** Loki (single binary) for logs; needs storage-basic. */
export function loki(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
  options = catalogOptions(scope, 'loki', options);
  return entry(scope, 'loki', options, {
    chart: CHARTS.loki,
    namespace: 'loki',
    targets: label('monitoring-medium'),
    values: {
      deploymentMode: 'SingleBinary',
      loki: { auth_enabled: false, commonConfig: { replication_factor: 1 }, storage: { type: 'filesystem' }, schemaConfig: { configs: [{ from: '2024-04-01', store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'index_', period: '24h' } }] } },
      singleBinary: { replicas: 1, resources: resources('100m', '256Mi', '1Gi') },
      read: { replicas: 0 }, write: { replicas: 0 }, backend: { replicas: 0 },
      // The chart's memcached caches are sized for a scaled-out Loki on object storage: the chunks
      // cache requests 1.2 x `chunksCache.allocatedMemory` (8192 MB: 9830Mi, more than the EKS
      // default node, m7i.large, can allocate) and the results cache 1229Mi, against 256Mi for Loki
      // itself. The single binary reads its chunks from its own volume (the filesystem store),
      // where a cache saves little: both are off. Turn one on with its size through `values`
      // (`chunksCache: { enabled: true, allocatedMemory: 1024 }`): the exporter beside it is sized here.
      chunksCache: { enabled: false },
      resultsCache: { enabled: false },
      memcachedExporter: { resources: resources('10m', '32Mi', '64Mi') },
      // requests for the pods the chart leaves unsized: the gateway, the canary (a DaemonSet: on
      // every node) and the rules sidecar beside Loki
      gateway: { resources: resources('10m', '32Mi', '128Mi') },
      lokiCanary: { resources: resources('10m', '32Mi', '128Mi') },
      sidecar: { resources: resources('10m', '64Mi', '256Mi') },
    },
  });
}
