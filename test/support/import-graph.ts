/**
 * The runtime import graph of a set of TypeScript files and its cycles.
 *
 * An edge is a value import or re-export between two files of the set: `import ... from`,
 * `import './x'`, `export ... from`. Imports that vanish from the emitted JavaScript are
 * not edges: `import type`, `export type`, and an import whose every name is `type`.
 * A dynamic `import()` is not an edge either: it runs after every module has loaded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/** file (relative to the root, with `/`) -> the files it imports at run time. */
export type ImportGraph = Map<string, Set<string>>;

/** The relative module specifiers a source text imports or re-exports at run time. */
export function runtimeSpecifiers(fileName: string, text: string): string[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      const clause = st.importClause;
      if (clause?.isTypeOnly) continue;
      if (clause && !clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings)) {
        const els = clause.namedBindings.elements;
        if (els.length > 0 && els.every((e) => e.isTypeOnly)) continue;
      }
      if (ts.isStringLiteral(st.moduleSpecifier)) out.push(st.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier) {
      if (st.isTypeOnly) continue;
      if (st.exportClause && ts.isNamedExports(st.exportClause)) {
        const els = st.exportClause.elements;
        if (els.length > 0 && els.every((e) => e.isTypeOnly)) continue;
      }
      if (ts.isStringLiteral(st.moduleSpecifier)) out.push(st.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(st) && !st.isTypeOnly
      && ts.isExternalModuleReference(st.moduleReference)
      && ts.isStringLiteral(st.moduleReference.expression)) {
      out.push(st.moduleReference.expression.text);
    }
  }
  return out.filter((s) => s.startsWith('.'));
}

/** Resolves a relative specifier against the set of known files, or undefined (outside). */
function resolve(from: string, spec: string, files: Set<string>): string | undefined {
  const base = path.posix.join(path.posix.dirname(from), spec.replace(/\.js$/, ''));
  for (const c of [base, `${base}.ts`, `${base}/index.ts`]) {
    if (files.has(c)) return c;
  }
  return undefined;
}

/** The graph of a set of sources given as relative file name -> text. */
export function importGraph(sources: Map<string, string>): ImportGraph {
  const files = new Set(sources.keys());
  const graph: ImportGraph = new Map();
  for (const [file, text] of sources) {
    const deps = new Set<string>();
    for (const spec of runtimeSpecifiers(file, text)) {
      const to = resolve(file, spec, files);
      if (to !== undefined) deps.add(to);
    }
    graph.set(file, deps);
  }
  return graph;
}

/** Reads every `.ts` file (not `.d.ts`) under a folder; names are relative to it. */
export function readSources(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
        out.set(path.relative(root, p).split(path.sep).join('/'), fs.readFileSync(p, 'utf8'));
      }
    }
  };
  walk(root);
  return out;
}

/**
 * The cycles of a graph: every strongly connected component of more than one file, and
 * every file that imports itself; each component sorted, the list sorted by its first file.
 */
export function importCycles(graph: ImportGraph): string[][] {
  // Tarjan's algorithm, iterative so a deep graph cannot overflow the stack.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const comps: string[][] = [];
  for (const start of [...graph.keys()].sort()) {
    if (idx.has(start)) continue;
    const work: Array<{ v: string; it: Iterator<string> }> = [];
    const visit = (v: string): void => {
      idx.set(v, index); low.set(v, index); index++;
      stack.push(v); onStack.add(v);
      work.push({ v, it: [...(graph.get(v) ?? [])].sort()[Symbol.iterator]() });
    };
    visit(start);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const n = top.it.next();
      if (!n.done) {
        const w = n.value;
        if (!idx.has(w)) visit(w);
        else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v)!, idx.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].v;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.v)!));
      }
      if (low.get(top.v) === idx.get(top.v)) {
        const comp: string[] = [];
        let w: string;
        do { w = stack.pop()!; onStack.delete(w); comp.push(w); } while (w !== top.v);
        if (comp.length > 1 || graph.get(top.v)?.has(top.v)) comps.push(comp.sort());
      }
    }
  }
  return comps.sort((a, b) => a[0].localeCompare(b[0]));
}
