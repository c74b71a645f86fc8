/* eslint-disable @typescript-eslint/no-explicit-any -- manifests of any shape */
import { PlainObject } from '../argocd/plain-manifests';
import { syncOptionsOf } from '../argocd/types';
import { cascadesOnDeletion } from '../testing/expand';

/** One field that differs between two versions of an object. */
export interface FieldChange {
  /** `spec.template.spec.containers[0].image` */
  readonly path: string;
  /** JSON of the value before (undefined: the field is new). */
  readonly before?: string;
  /** JSON of the value after (undefined: the field is gone). */
  readonly after?: string;
}

/** One object added, removed or changed on a cluster. */
export interface ObjectChange {
  readonly kind: 'added' | 'removed' | 'changed';
  /** The Application that deploys it. */
  readonly application: string;
  /** `<Kind> <namespace>/<name>` */
  readonly object: string;
  /** Where it comes from (after the change, or before for a removal). */
  readonly origin: string;
  /** For changed objects: the fields. */
  readonly fields: FieldChange[];
  /** For a removed object Argo CD leaves on the cluster: why. */
  readonly kept?: string;
  /** For a changed object: Argo CD applies it with Replace (its or its Application's sync option `Replace=true`). */
  readonly replaced?: boolean;
}

/**
 * The fields of a live object Kubernetes refuses to change (the API server's update validation):
 * per kind, a test of a changed path and the rule as Kubernetes states it.
 */
const IMMUTABLE: Readonly<Record<string, { readonly refused: (path: string) => boolean; readonly rule: string }>> = {
  StatefulSet: {
    refused: (p) => p.startsWith('spec.') && !['replicas', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds', 'ordinals'].some((f) => p === `spec.${f}` || p.startsWith(`spec.${f}.`) || p.startsWith(`spec.${f}[`)),
    rule: 'updates to a StatefulSet\'s spec for fields other than replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy and minReadySeconds are forbidden',
  },
  Deployment: { refused: (p) => p.startsWith('spec.selector'), rule: 'a Deployment\'s selector is immutable' },
  DaemonSet: { refused: (p) => p.startsWith('spec.selector'), rule: 'a DaemonSet\'s selector is immutable' },
  ReplicaSet: { refused: (p) => p.startsWith('spec.selector'), rule: 'a ReplicaSet\'s selector is immutable' },
  Job: { refused: (p) => p.startsWith('spec.selector') || p.startsWith('spec.template'), rule: 'a Job\'s selector and pod template are immutable' },
  Service: { refused: (p) => p === 'spec.clusterIP' || p.startsWith('spec.clusterIPs'), rule: 'a Service\'s cluster IP is immutable' },
};

/** The changes Kubernetes would refuse to apply to the live objects (none applied with Replace). */
export function immutableChanges(d: ObjectDiff): { object: string; application: string; paths: string[]; rule: string }[] {
  const out: { object: string; application: string; paths: string[]; rule: string }[] = [];
  for (const changes of d.clusters.values()) {
    for (const c of changes) {
      const kind = c.object.split(' ')[0];
      const rule = IMMUTABLE[kind];
      if (c.kind !== 'changed' || c.replaced || !rule) continue;
      const paths = c.fields.map((f) => f.path).filter((p) => rule.refused(p));
      if (paths.length) out.push({ object: c.object, application: c.application, paths, rule: rule.rule });
    }
  }
  return out;
}

/** The Applications on each side of a change, by name: whether one still exists, and how it syncs. */
export type ApplicationsByName = ReadonlyMap<string, any>;

/**
 * Why Argo CD leaves an object that the change removes on its cluster, if it does: the object
 * says `Prune=false` (sync options); its Application goes with it and either does not cascade
 * (no resources finalizer) or the object says `Delete=false`; or its Application stays but does not
 * prune on its own (automated sync without `prune`, or manual sync), so the object stays until a
 * sync with pruning. gitops-engine's sync and Argo CD's finalizer are the source.
 */
export function keptOnRemoval(o: PlainObject, before: ApplicationsByName, after: ApplicationsByName): string | undefined {
  const options = syncOptionsOf(o.object?.metadata?.annotations);
  if (options.includes('Prune=false')) return 'Argo CD does not prune it (Prune=false)';
  const stays = after.get(o.application);
  if (stays === undefined) {
    if (!cascadesOnDeletion(before.get(o.application))) return `its Application ${o.application} goes without deleting what it deployed (no resources finalizer)`;
    if (options.includes('Delete=false')) return `Argo CD does not delete it with its Application (Delete=false)`;
    return undefined;
  }
  if (stays.spec?.syncPolicy?.automated?.prune !== true) return `its Application ${o.application} does not prune on its own: it stays until a sync with pruning`;
  return undefined;
}

/** What a change does on each cluster, object by object. */
export interface ObjectDiff {
  /** cluster -> changes, sorted by Application then object. */
  readonly clusters: Map<string, ObjectChange[]>;
  /** Notes on what could not be rendered (charts not available). */
  readonly notes: string[];
}

const show = (v: unknown) => (v === undefined ? undefined : JSON.stringify(v));

/** The leaf fields that differ (lists compared by index). */
export function fieldChanges(a: unknown, b: unknown, at = '', out: FieldChange[] = []): FieldChange[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return out;
  const map = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x);
  if (map(a) && map(b)) {
    for (const k of [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort()) {
      fieldChanges((a as any)[k], (b as any)[k], at ? `${at}.${k}` : k, out);
    }
  } else if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) fieldChanges(a[i], b[i], `${at}[${i}]`, out);
  } else {
    out.push({ path: at || '(root)', ...(a !== undefined ? { before: show(a) } : {}), ...(b !== undefined ? { after: show(b) } : {}) });
  }
  return out;
}

function label(o: PlainObject): string {
  const ns = o.object.metadata?.namespace;
  return `${o.object.kind} ${ns ? `${ns}/` : ''}${o.object.metadata?.name ?? ''}`;
}

/** Compares what each cluster runs before and after, object by object. */
export function diffObjects(base: ReadonlyMap<string, readonly PlainObject[]>, head: ReadonlyMap<string, readonly PlainObject[]>, notes: string[] = [],
  applications?: { before: ApplicationsByName; after: ApplicationsByName }): ObjectDiff {
  const clusters = new Map<string, ObjectChange[]>();
  for (const cluster of [...new Set([...base.keys(), ...head.keys()])].sort()) {
    const before = new Map((base.get(cluster) ?? []).map((o) => [o.key, o]));
    const after = new Map((head.get(cluster) ?? []).map((o) => [o.key, o]));
    const changes: ObjectChange[] = [];
    for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
      const a = before.get(key);
      const b = after.get(key);
      if (a && !b) {
        const kept = applications ? keptOnRemoval(a, applications.before, applications.after) : undefined;
        changes.push({ kind: 'removed', application: a.application, object: label(a), origin: a.origin, fields: [], ...(kept ? { kept } : {}) });
      }
      else if (!a && b) changes.push({ kind: 'added', application: b.application, object: label(b), origin: b.origin, fields: [] });
      else if (a && b) {
        const fields = fieldChanges(a.object, b.object);
        const replaced = syncOptionsOf(b.object?.metadata?.annotations).includes('Replace=true')
          || (applications?.after.get(b.application)?.spec?.syncPolicy?.syncOptions ?? []).includes('Replace=true');
        if (fields.length) changes.push({ kind: 'changed', application: b.application, object: label(b), origin: b.origin, fields, ...(replaced ? { replaced } : {}) });
      }
    }
    if (changes.length) clusters.set(cluster, changes);
  }
  return { clusters, notes };
}

const SIGN = { added: '+', removed: '-', changed: '~' } as const;
const MAX_FIELDS = 12;

function fieldLine(f: FieldChange): string {
  if (f.before === undefined) return `${f.path}: ${f.after} (new)`;
  if (f.after === undefined) return `${f.path}: ${f.before} (removed)`;
  return `${f.path}: ${f.before} -> ${f.after}`;
}

function summary(changes: readonly ObjectChange[]): string {
  const n = (k: ObjectChange['kind']) => changes.filter((c) => c.kind === k).length;
  const kept = changes.filter((c) => c.kept).length;
  return `${n('added')} added, ${n('removed')} removed${kept ? ` (${kept} kept on the cluster)` : ''}, ${n('changed')} changed`;
}

/** The diff for a terminal. */
export function formatObjectDiffText(d: ObjectDiff): string {
  const out: string[] = [];
  if (d.clusters.size === 0) out.push('No change on any cluster.');
  for (const [cluster, changes] of d.clusters) {
    out.push(`cluster ${cluster}: ${summary(changes)}`);
    let app = '';
    for (const c of changes) {
      if (c.application !== app) out.push(`  Application ${app = c.application}`);
      out.push(`    ${SIGN[c.kind]} ${c.object}  (${c.origin})${c.kept ? `  kept on the cluster: ${c.kept}` : ''}`);
      for (const f of c.fields.slice(0, MAX_FIELDS)) out.push(`        ${fieldLine(f)}`);
      if (c.fields.length > MAX_FIELDS) out.push(`        ... and ${c.fields.length - MAX_FIELDS} more fields`);
    }
  }
  for (const n of d.notes) out.push(`note: ${n}`);
  return `${out.join('\n')}\n`;
}

/** The diff as a pull request comment (one collapsible section per cluster). */
export function formatObjectDiffMarkdown(d: ObjectDiff): string {
  const out: string[] = ['### What this change does on each cluster', ''];
  if (d.clusters.size === 0) out.push('No change on any cluster.', '');
  for (const [cluster, changes] of d.clusters) {
    out.push(`<details><summary><b>${cluster}</b>: ${summary(changes)}</summary>`, '', '| | Application | object | fields |', '|---|---|---|---|');
    for (const c of changes) {
      const fields = c.fields.slice(0, MAX_FIELDS).map((f) => `\`${fieldLine(f).replace(/\|/g, '\\|').replace(/`/g, "'")}\``);
      if (c.fields.length > MAX_FIELDS) fields.push(`and ${c.fields.length - MAX_FIELDS} more`);
      out.push(`| ${SIGN[c.kind]} | ${c.application} | ${c.object} | ${fields.join('<br>') || (c.kept ? `kept on the cluster: ${c.kept}` : c.kind === 'changed' ? '' : c.kind)} |`);
    }
    out.push('', '</details>', '');
  }
  for (const n of d.notes) out.push(`> ${n}`, '');
  return `${out.join('\n')}`;
}
