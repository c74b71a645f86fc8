import { fail, messages } from '../core/errors';
import { checkData, checkInstance, checkRecord } from '../core/data';
import { checkAnnotationMap, checkApiVersion, checkDnsLabel, checkHelmReleaseName, checkKind, checkLabelMap, checkNoTemplate, checkSyncOptions } from '../core/validate';
import { ClusterOutput } from '../model/cluster-output';
import { AddonIdentity } from './addon-identity';
import { ClusterSelector } from './cluster-selector';
import { splitOutputs, SplitValues } from './entry-values';
import { HelmChart, isExactVersion } from './helm-chart';
import type { ServiceCatalogEntryProps } from './service-catalog-entry-props';

/**
 * The checks of a catalog entry's props, run in its constructor (JavaScript callers may pass
 * anything): each bad prop is the library's error naming the entry's path, in the order the
 * props are checked.
 */

/**
 * Checks everything but the policy exceptions and the cluster outputs; returns the namespace.
 * `entryClass` is the ServiceCatalogEntry class (for `dependsOn`; passed in, so this file does
 * not import the construct).
 */
export function checkEntryProps(here: string, props: ServiceCatalogEntryProps, name: string, environments: readonly string[], entryClass: { prototype: unknown }): string {
  const m = messages.catalog;
  if (props.chart === undefined) {
    if (!props.manifests?.length) fail(here, m.manifestOnlyWithoutManifests(props.manifests));
    for (const p of ['values', 'environmentValues', 'clusterValues', 'versions', 'releaseName'] as const) {
      if (props[p] !== undefined) fail(here, m.manifestOnlyChartProp(p, props[p]));
    }
  } else {
    if (props.releaseName === undefined) checkHelmReleaseName(here, 'name (the default releaseName)', name);
    else checkHelmReleaseName(here, 'releaseName', props.releaseName);
    if (!(props.chart instanceof HelmChart)) fail(here, m.chartFactory(props.chart));
    const chartProblems = props.chart._problems('chart');
    if (chartProblems.length) fail(here, chartProblems[0]);
  }
  if (props.syncOptions !== undefined) checkSyncOptions(here, 'syncOptions', props.syncOptions);
  if (!(props.targets instanceof ClusterSelector)) fail(here, m.targetsSelector(props.targets));
  const selectorProblems = props.targets._problems('targets');
  if (selectorProblems.length) fail(here, selectorProblems[0]);
  const namespace = checkDnsLabel(here, 'namespace', props.namespace);
  checkValues(here, props, entryClass);
  for (const [prop, map] of [['versions', props.versions], ['environmentValues', props.environmentValues], ['environmentManifests', props.environmentManifests]] as const) {
    for (const env of Object.keys(map ?? {})) {
      if (!environments.includes(env)) fail(here, m.undeclaredEnvironment(prop, env, environments));
    }
  }
  for (const [env, v] of Object.entries(props.versions ?? {})) {
    if (!isExactVersion(v)) fail(here, m.environmentVersion(env, v));
  }
  for (const c of Object.keys(props.clusterValues ?? {})) checkDnsLabel(here, `clusterValues key`, c);
  if (props.syncWave !== undefined && !Number.isSafeInteger(props.syncWave)) fail(here, m.syncWave(props.syncWave));
  for (const o of [...(props.manifests ?? []), ...Object.values(props.environmentManifests ?? {}).flat()]) {
    if (typeof o?.apiVersion !== 'string' || typeof o?.kind !== 'string') fail(here, m.manifestObject(o));
    checkApiVersion(here, 'manifests[] apiVersion', o.apiVersion);
    checkKind(here, 'manifests[] kind', o.kind);
    checkDnsLabel(here, `manifests ${o.kind} metadata.name`, o.metadata?.name);
    if (o.metadata.namespace !== undefined) checkDnsLabel(here, `manifests ${o.kind} ${o.metadata.name} metadata.namespace`, o.metadata.namespace);
    checkLabelMap(here, `manifests ${o.kind} ${o.metadata.name} metadata.labels`, o.metadata.labels);
    checkAnnotationMap(here, `manifests ${o.kind} ${o.metadata.name} metadata.annotations`, o.metadata.annotations);
    if (o.kind === 'Secret') fail(here, m.manifestSecret());
  }
  if (props.identity !== undefined) {
    if (!(props.identity instanceof AddonIdentity)) fail(here, m.identityFactory(props.identity));
    props.identity._validate(here);
  }
  return namespace;
}

/** Values, manifests and dependencies are data and entries (JavaScript callers may pass anything). */
function checkValues(here: string, props: ServiceCatalogEntryProps, entryClass: { prototype: unknown }): void {
  if (props.values !== undefined) checkRecord(here, 'values', props.values);
  checkData(here, 'values', props.values ?? {}, ClusterOutput.isClusterOutput);
  for (const prop of ['environmentValues', 'clusterValues'] as const) {
    if (props[prop] === undefined) continue;
    for (const [k, v] of Object.entries(checkRecord(here, prop, props[prop], '{ prod: { replicas: 3 } }'))) {
      checkRecord(here, `${prop}.${k}`, v, '{ replicas: 3 }');
      checkData(here, `${prop}.${k}`, v);
    }
  }
  if (props.environmentManifests !== undefined) checkRecord(here, 'environmentManifests', props.environmentManifests, '{ prod: [ ... ] }');
  const lists: [string, unknown][] = [['manifests', props.manifests], ...Object.entries(props.environmentManifests ?? {}).map(([e, l]): [string, unknown] => [`environmentManifests.${e}`, l])];
  for (const [prop, list] of lists) {
    if (list === undefined) continue;
    if (!Array.isArray(list)) fail(here, messages.catalog.manifestList(prop, list));
    checkData(here, prop, list);
  }
  if (props.dependsOn !== undefined) {
    if (!Array.isArray(props.dependsOn)) fail(here, messages.catalog.dependsOnList(props.dependsOn));
    props.dependsOn.forEach((d, i) => checkInstance(here, `dependsOn[${i}]`, d, entryClass, 'a ServiceCatalogEntry of this platform'));
  }
}

/** Splits the values and checks where cluster outputs stand: only in `values`, under keys that are data. */
export function checkEntryOutputs(here: string, props: ServiceCatalogEntryProps): SplitValues {
  const split = splitOutputs(props.values ?? {});
  for (const k of split.templatedKeys) checkNoTemplate(here, 'values key (on the path to a ClusterOutput)', k);
  if (Object.values(props.environmentValues ?? {}).some((v) => splitOutputs(v).outputs.length) || Object.values(props.clusterValues ?? {}).some((v) => splitOutputs(v).outputs.length)) {
    fail(here, messages.catalog.outputOutsideValues());
  }
  return split;
}
