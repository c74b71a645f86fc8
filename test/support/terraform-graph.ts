// The order Terraform creates a rendered state's blocks in: a block waits for what its
// `depends_on` names and for every block its expressions reference.
type Json = any;

/** Terraform's address of a block: `type.name`, or `data.type.name` for a data source. */
const address = (data: boolean, type: string, name: string) => `${data ? 'data.' : ''}${type}.${name}`;

/** `type.name` or `data.type.name` at the start of a reference inside an expression. */
const REFERENCE = /(?:^|[^\w.-])(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][\w-]*)/g;

/** Every string of a JSON value. */
function strings(v: Json, into: string[] = []): string[] {
  if (typeof v === 'string') into.push(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, into));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => strings(x, into));
  return into;
}

/** The blocks of a state that a value references (inside its `${...}` expressions). */
export function referencedBlocks(value: Json, declared: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const s of strings(value)) {
    for (const expr of s.match(/\$\{[^}]*\}/g) ?? []) {
      for (const m of expr.matchAll(REFERENCE)) {
        const a = address(!!m[1], m[2], m[3]);
        if (declared.has(a)) out.add(a);
      }
    }
  }
  return out;
}

/** Each resource and data block of a state, by address, with its body. */
export function blocksOf(state: Json): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const [kind, data] of [['resource', false], ['data', true]] as const) {
    for (const [type, blocks] of Object.entries<Record<string, Json>>(state[kind] ?? {})) {
      for (const [name, body] of Object.entries(blocks)) out.set(address(data, type, name), body);
    }
  }
  return out;
}

/** What each block of a state waits for directly: its `depends_on` and the blocks it references. */
export function dependencyGraph(state: Json): Map<string, Set<string>> {
  const blocks = blocksOf(state);
  const declared = new Set(blocks.keys());
  return new Map([...blocks].map(([a, body]) => {
    const { depends_on: dependsOn, ...rest } = body;
    return [a, new Set([...(dependsOn ?? []), ...referencedBlocks(rest, declared)])];
  }));
}

/**
 * Whether `from` waits for `target`, directly or through other blocks, along a path that passes
 * through no block `stop` accepts (a stopped block is neither followed nor counted as `target`).
 */
export function waitsFor(graph: ReadonlyMap<string, ReadonlySet<string>>, from: string, target: string, stop: (block: string) => boolean = () => false): boolean {
  const seen = new Set<string>([from]);
  const todo = [from];
  while (todo.length) {
    for (const next of graph.get(todo.pop()!) ?? []) {
      if (seen.has(next) || stop(next)) continue;
      if (next === target) return true;
      seen.add(next);
      todo.push(next);
    }
  }
  return false;
}

/** A Terraform duration (`300s`, `5m`, `1h30m`) in seconds. */
export function durationSeconds(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)];
  if (parts.map((p) => p[0]).join('') !== text) throw new Error(`not a duration: ${text}`);
  return parts.reduce((n, [, v, unit]) => n + Number(v) * { h: 3600, m: 60, s: 1 }[unit as 'h' | 'm' | 's'], 0);
}
