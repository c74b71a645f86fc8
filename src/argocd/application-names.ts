import type { ExpandedApplication } from '../testing/applications';
import { compareCodeUnits } from '../core/order';

/** Applications that share one name in one namespace of one management cluster's Argo CD. */
/** What the check reads of an Application (an expanded one, or a kept unit's record of one). */
export type NamedApplication = Pick<ExpandedApplication, 'name' | 'managedBy' | 'file' | 'applicationSet'> & { readonly manifest?: { readonly metadata?: { readonly namespace?: unknown } } };

export interface ApplicationNameClash {
  readonly name: string;
  readonly namespace: string;
  readonly management: string;
  /** Each Application's file (its ApplicationSet's, for a generated one) and its ApplicationSet, in file order. */
  readonly origins: { readonly file: string; readonly applicationSet?: string }[];
}

/**
 * Every name that two or more Applications of the output share in one namespace of one management
 * cluster, plain ones and those ApplicationSets generate alike. Argo CD keeps one Application per
 * namespace and name, and nothing in Argo CD refuses a second ApplicationSet that generates a name
 * another one owns: the two controllers overwrite it in turn. The duplicates inside one
 * ApplicationSet are the expansion's own error.
 */
export function applicationNameClashes(apps: readonly NamedApplication[]): ApplicationNameClash[] {
  const byKey = new Map<string, { namespace: string; same: NamedApplication[] }>();
  for (const a of apps) {
    const namespace = String(a.manifest?.metadata?.namespace ?? '');
    const key = `${a.managedBy}\u0000${namespace}\u0000${a.name}`;
    const group = byKey.get(key);
    if (group) group.same.push(a);
    else byKey.set(key, { namespace, same: [a] });
  }
  const clashes: ApplicationNameClash[] = [];
  for (const { namespace, same } of byKey.values()) {
    if (same.length < 2) continue;
    const origins = same.map((a) => ({ file: a.file, ...(a.applicationSet !== undefined ? { applicationSet: a.applicationSet } : {}) })).sort((x, y) => compareCodeUnits(x.file, y.file));
    clashes.push({ name: same[0].name, namespace, management: same[0].managedBy, origins });
  }
  return clashes.sort((x, y) => compareCodeUnits(x.origins[0].file, y.origins[0].file) || compareCodeUnits(x.name, y.name));
}
