/**
 * The dependency graph of catalog entries, analysed once per validate/render pass in time
 * linear in entries plus dependencies: sync waves by Kahn's algorithm, cycles by one
 * iterative depth-first search. (Walking every path instead is exponential: each level of a
 * two-wide diamond doubles it.)
 */

/** The analysis of a graph. */
export interface GraphAnalysis<T> {
  /** The sync wave of each node: its explicit wave, else one more than its dependencies' highest (0 without any). */
  readonly waves: Map<T, number>;
  /** Each cycle found (its nodes in order, the first repeated at the end), keyed by the node it starts at. */
  readonly cycles: Map<T, T[][]>;
}

/** Analyses the graph of `roots` and every node they reach. */
export function analyseGraph<T>(roots: readonly T[], depsOf: (n: T) => readonly T[], explicitWave: (n: T) => number | undefined): GraphAnalysis<T> {
  // every node, each with its dependency list read once
  const deps = new Map<T, readonly T[]>();
  const order: T[] = [];
  for (const root of roots) {
    const pending = [root];
    while (pending.length) {
      const n = pending.pop()!;
      if (deps.has(n)) continue;
      const d = [...depsOf(n)];
      deps.set(n, d);
      order.push(n);
      for (const x of d) if (!deps.has(x)) pending.push(x);
    }
  }

  // Kahn's algorithm: a node is ready once all its dependencies have their wave
  const waiting = new Map<T, number>();
  const dependents = new Map<T, T[]>();
  for (const n of order) {
    const unique = new Set(deps.get(n));
    waiting.set(n, unique.size);
    for (const d of unique) (dependents.get(d) ?? dependents.set(d, []).get(d)!).push(n);
  }
  const waves = new Map<T, number>();
  const ready = order.filter((n) => waiting.get(n) === 0);
  while (ready.length) {
    const n = ready.pop()!;
    const ds = deps.get(n)!;
    waves.set(n, explicitWave(n) ?? (ds.length === 0 ? 0 : Math.max(...ds.map((d) => waves.get(d)!)) + 1));
    for (const m of dependents.get(n) ?? []) {
      const left = waiting.get(m)! - 1;
      waiting.set(m, left);
      if (left === 0) ready.push(m);
    }
  }
  // nodes on or behind a cycle (an error reported below): their explicit wave, else what their resolved dependencies give
  for (const n of order) {
    if (waves.has(n)) continue;
    const known = deps.get(n)!.map((d) => waves.get(d)).filter((w): w is number => w !== undefined);
    waves.set(n, explicitWave(n) ?? (known.length ? Math.max(...known) + 1 : 0));
  }

  // cycles: one iterative depth-first search; a dependency on the current path closes a cycle
  const cycles = new Map<T, T[][]>();
  const state = new Map<T, 'open' | 'done'>();
  for (const start of order) {
    if (state.has(start)) continue;
    const path: T[] = [start];
    const next: number[] = [0];
    state.set(start, 'open');
    while (path.length) {
      const n = path[path.length - 1];
      const ds = deps.get(n)!;
      const i = next[next.length - 1]++;
      if (i >= ds.length) {
        state.set(n, 'done');
        path.pop();
        next.pop();
        continue;
      }
      const d = ds[i];
      const s = state.get(d);
      if (s === 'open') {
        const cycle = [...path.slice(path.indexOf(d)), d];
        (cycles.get(d) ?? cycles.set(d, []).get(d)!).push(cycle);
      } else if (s === undefined) {
        state.set(d, 'open');
        path.push(d);
        next.push(0);
      }
    }
  }
  return { waves, cycles };
}
