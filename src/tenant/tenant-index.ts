import type { IConstruct } from 'constructs';

/**
 * The tenants declared so far, per platform, in the order they were declared: kept as they
 * are constructed, so a construct that looks for a tenant while the platform is still being
 * declared (before any pass, when nothing is cached) need not walk the whole construct tree.
 */
const declared = new WeakMap<object, IConstruct[]>();

/** @internal Records a tenant of `platform` (called by the tenant's constructor). */
export function registerTenant(platform: object, tenant: IConstruct): void {
  const list = declared.get(platform);
  if (list) list.push(tenant);
  else declared.set(platform, [tenant]);
}

/**
 * @internal The first of `platform`'s declared tenants that `match` accepts, in the order of
 * the construct tree (a pre-order walk, as `node.findAll()`), whatever order they were declared in.
 */
export function firstDeclaredTenant<T extends IConstruct>(platform: object, match: (t: T) => boolean): T | undefined {
  let first: T | undefined;
  for (const t of (declared.get(platform) ?? []) as T[]) {
    if (match(t) && (first === undefined || precedes(t, first))) first = t;
  }
  return first;
}

/** Whether `a` comes before `b` in a pre-order walk of their tree. */
function precedes(a: IConstruct, b: IConstruct): boolean {
  const sa = a.node.scopes;
  const sb = b.node.scopes;
  let i = 0;
  while (i < sa.length && i < sb.length && sa[i] === sb[i]) i++;
  if (i === sa.length) return true; // a is b's ancestor (or b itself)
  if (i === sb.length) return false;
  const siblings = sa[i - 1].node.children;
  return siblings.indexOf(sa[i]) < siblings.indexOf(sb[i]);
}
