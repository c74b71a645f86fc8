import { Construct } from 'constructs';
import { fail, messages } from '../core/errors';
import { checkData, checkInstance, checkList, checkProps, checkRecord } from '../core/data';
import { ClusterOutput } from '../cluster/fleet-cluster';
import { ClusterSelector } from './cluster-selector';
import { ServiceCatalogEntry } from './service-catalog-entry';

/**
 * Checks the options of a `Catalog` helper before they are merged into the entry's defaults
 * (JavaScript callers may pass anything): an object whose values are data, `targets` a
 * ClusterSelector, `dependsOn` a list of entries, and the helper's own lists. Returns the
 * options (`{}` when left out). Each problem is the library's error naming the field.
 */
export function catalogOptions<T>(scope: Construct, helper: string, options: T, lists: readonly string[] = []): T {
  if (!Construct.isConstruct(scope)) fail(`Catalog.${helper}`, messages.catalog.helperScope(scope));
  const here = `${scope.node.path || 'platform'}/Catalog.${helper}`;
  if (options === undefined) return {} as T;
  const o = checkProps(here, options as Record<string, unknown>, '{ values: { ... } }');
  if (o.values !== undefined) checkData(here, 'values', checkRecord(here, 'values', o.values), ClusterOutput.isClusterOutput);
  for (const prop of ['environmentValues', 'clusterValues', 'versions']) {
    if (o[prop] === undefined) continue;
    for (const [k, v] of Object.entries(checkRecord(here, prop, o[prop]))) checkData(here, `${prop}.${k}`, v);
  }
  if (o.targets !== undefined) checkInstance(here, 'targets', o.targets, ClusterSelector, 'a ClusterSelector, e.g. ClusterSelector.labels({...})');
  if (o.dependsOn !== undefined) checkList(here, 'dependsOn', o.dependsOn).forEach((d, i) => checkInstance(here, `dependsOn[${i}]`, d, ServiceCatalogEntry, 'a ServiceCatalogEntry'));
  for (const prop of lists) if (o[prop] !== undefined) checkList(here, prop, o[prop]);
  return options;
}
