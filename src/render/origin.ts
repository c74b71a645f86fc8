import { Construct, IConstruct } from 'constructs';

/** The construct the user declared, for each scope (or object) the render stage makes for it. */
const ORIGINS = new WeakMap<IConstruct, IConstruct>();

/**
 * A scope of the render stage whose objects are reported under `origin`'s path: the tenant or
 * entry the user declared, not the pass's own scope (`platform/mgmt/platform-rendered/tenant-<addr>`)
 * that no declaration names.
 */
export function renderScope(parent: Construct, id: string, origin: IConstruct): Construct {
  return renderedFor(new Construct(parent, id), origin);
}

/** Marks `rendered` (a scope or an object of the render stage) as made for `origin`; returns it. */
export function renderedFor<T extends IConstruct>(rendered: T, origin: IConstruct): T {
  ORIGINS.set(rendered, origin);
  return rendered;
}

/** The path errors and findings name for `c`: that of the declared construct it was rendered for, else its own. */
export function originPath(c: IConstruct): string {
  for (let s: IConstruct | undefined = c; s !== undefined; s = s.node.scope) {
    const origin = ORIGINS.get(s);
    if (origin !== undefined) return origin.node.path;
  }
  return c.node.path;
}
