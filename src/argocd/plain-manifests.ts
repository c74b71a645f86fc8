/* eslint-disable @typescript-eslint/no-explicit-any -- manifests of any shape */
import { toYaml } from '../synth/yaml';
import { RenderedApplication } from './repo-server';
import { checkListArg, checkMapArg } from '../core/arguments';

/** One object a cluster would run, as Argo CD would apply it. */
export interface PlainObject {
  /** `<Application>/<group>/<Kind>/<namespace>/<name>`: unique per cluster. */
  readonly key: string;
  /** The Application that deploys it. */
  readonly application: string;
  /** Where it comes from (an output file, or `<chart> <version>: <template>`). */
  readonly origin: string;
  /** The object, Secret values redacted, the namespace set as Argo CD sets it. */
  readonly object: any;
}

/** The text that replaces every Secret value in rendered manifests. */
export const REDACTED = '<redacted>';

/** A Secret with its `data` and `stringData` values replaced (keys kept: a changed key set is visible). */
export function redactSecret(object: any): any {
  if (object?.kind !== 'Secret' || String(object?.apiVersion ?? '') !== 'v1') return object;
  const redact = (m: unknown) => (m && typeof m === 'object' ? Object.fromEntries(Object.keys(m).map((k) => [k, REDACTED])) : m);
  return { ...object, ...(object.data ? { data: redact(object.data) } : {}), ...(object.stringData ? { stringData: redact(object.stringData) } : {}) };
}

function groupOf(apiVersion: unknown): string {
  const v = String(apiVersion ?? '');
  return v.includes('/') ? v.slice(0, v.indexOf('/')) : 'core';
}

/**
 * Every object each cluster would run, by cluster: keyed by Application, group, kind,
 * namespace and name, Secrets redacted, sorted by key.
 * @param namespaced tells whether a kind lives in a namespace (the destination namespace is set on those without one)
 */
export function plainManifests(rendered: readonly RenderedApplication[], namespaced: (group: string, kind: string) => boolean = () => true): Map<string, PlainObject[]> {
  checkListArg('plainManifests', 'rendered', rendered, 'what renderApplications() returns');
  const out = new Map<string, Map<string, PlainObject>>();
  // an object the renders share (parseRendered's templates repeated across clusters) gets one
  // copy per namespace it is given, so plainManifestFiles writes its YAML once
  const copies = new Map<object, Map<string, unknown>>();
  const withNamespace = (object: any, ns: string) => {
    const byNs = copies.get(object) ?? copies.set(object, new Map()).get(object)!;
    if (!byNs.has(ns)) byNs.set(ns, redactSecret({ ...object, metadata: { ...object.metadata, namespace: ns } }));
    return byNs.get(ns);
  };
  for (const r of rendered) {
    const cluster = out.get(r.application.cluster) ?? out.set(r.application.cluster, new Map()).get(r.application.cluster)!;
    const destNs = r.application.manifest?.spec?.destination?.namespace;
    for (const { object, origin } of r.objects) {
      if (!object || typeof object.kind !== 'string') continue;
      const group = groupOf(object.apiVersion);
      const isNs = namespaced(group === 'core' ? '' : group, object.kind);
      const ns = isNs ? object.metadata?.namespace ?? destNs : undefined;
      const obj = isNs && ns && !object.metadata?.namespace ? withNamespace(object, ns) : redactSecret(object);
      const key = `${r.application.name}/${group}/${object.kind}/${ns ?? '_'}/${object.metadata?.name ?? ''}`;
      cluster.set(key, { key, application: r.application.name, origin, object: obj });
    }
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, m]) => [c, [...m.values()].sort((a, b) => (a.key < b.key ? -1 : 1))]));
}

/** The files of a rendered platform: `<cluster>/<Application>.yaml`, one document per object. */
export function plainManifestFiles(manifests: ReadonlyMap<string, readonly PlainObject[]>): Map<string, string> {
  checkMapArg('plainManifestFiles', 'manifests', manifests, 'what plainManifests() returns');
  const files = new Map<string, string>();
  // the same object in several files (one chart's CRDs on every cluster) is written once
  const texts = new Map<unknown, string>();
  const yamlOf = (object: unknown) => {
    let text = texts.get(object);
    if (text === undefined) texts.set(object, text = toYaml(object));
    return text;
  };
  for (const [cluster, objects] of manifests) {
    const byApp = new Map<string, PlainObject[]>();
    for (const o of objects) (byApp.get(o.application) ?? byApp.set(o.application, []).get(o.application)!).push(o);
    for (const [app, objs] of byApp) files.set(`${cluster}/${app}.yaml`, objs.map((o) => `# Source: ${o.origin}\n${yamlOf(o.object)}`).join('---\n'));
  }
  return files;
}
