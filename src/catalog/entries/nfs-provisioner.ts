import { Construct } from 'constructs';
import { BUILT_IN_EXCEPTIONS } from '../../policy/built-in-exceptions';
import { catalogOptions } from '../catalog-options';
import { ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, label, resources } from './common';

/** Options of {@link Catalog.nfsProvisioner} and the storage-basic stack. */
export interface NfsOptions extends CatalogEntryOptions {
  /** NFS server address. */
  readonly server: string;
  /** Exported path. */
  readonly path: string;
}

/** The NFS subdir provisioner (StorageClass `nfs-client`). */
export function nfsProvisioner(scope: Construct, options: NfsOptions): ServiceCatalogEntry {
  options = catalogOptions(scope, 'nfsProvisioner', options);
  return entry(scope, 'nfs-provisioner', options, {
    chart: CHARTS.nfsProvisioner, policyExceptions: [...BUILT_IN_EXCEPTIONS.nfsProvisioner],
    namespace: 'nfs-provisioner',
    targets: label('storage-basic'),
    values: { nfs: { server: options.server, path: options.path }, storageClass: { name: 'nfs-client', reclaimPolicy: 'Retain' }, resources: resources('10m', '32Mi', '64Mi') },
  });
}
