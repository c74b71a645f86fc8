import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { ServiceCatalogEntry } from '../catalog/service-catalog-entry';
import { renderedFor } from './origin';

/** Renders a catalog entry's ApplicationSet, and its own AppProject when it has one, into a management cluster's folder. */
export function renderCatalogEntryObjects(out: Construct, entry: ServiceCatalogEntry): void {
  renderedFor(new ApiObject(out, `catalog-${entry.node.addr}`, entry._applicationSet()), entry);
  const own = entry._appProject();
  if (own) renderedFor(new ApiObject(out, `catalog-project-${entry.node.addr}`, own), entry);
}
