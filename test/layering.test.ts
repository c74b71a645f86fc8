import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, readSources, runtimeSpecifiers } from './support/import-graph';

// The layering of src/ is written down in docs/decisions/0014-import-layering.md.
const SRC = path.join(__dirname, '..', 'src');

describe('import layering', () => {
  it('src/ has no runtime import cycle', () => {
    const cycles = importCycles(importGraph(readSources(SRC)));
    // on failure the message lists every cycle: each strongly connected set of files
    expect(cycles.map((c) => c.join(' <-> '))).toEqual([]);
  });

  it('the graph of src/ is the real one (files and edges are found)', () => {
    const graph = importGraph(readSources(SRC));
    expect(graph.size).toBeGreaterThan(100);
    expect([...graph.get('platform.ts')!]).toContain('synth/render-pass.ts');
    expect([...graph.get('synth/render-pass.ts')!]).toContain('report/renderer.ts');
    expect([...graph.get('index.ts')!]).toContain('report/report.ts');
    // a type-only import is not an edge: it vanishes from the emitted JavaScript
    expect([...graph.get('cluster/fleet-cluster.ts')!]).not.toContain('cluster/management-cluster.ts');
  });

  it('the pipeline stages (graph, rules, render) never import a construct at runtime', () => {
    // the platform imports the stages, and the constructs import the platform: a stage that
    // imported a construct module would close a cycle (decision 0015 has the layering)
    const graph = importGraph(readSources(SRC));
    expect(stageImportsOfConstructs(graph)).toEqual([]);
    expect([...graph.keys()].filter((f) => /^(graph|rules|render)\//.test(f)).length).toBeGreaterThan(12);
    // every kind's rules are in rules/, the catalog entry's too, and the clusters they target come from graph/
    expect([...graph.get('rules/index.ts')!]).toContain('rules/catalog-entry.ts');
    expect([...graph.get('rules/catalog-entry.ts')!]).toContain('graph/targetable.ts');
    // and the check sees one: an injected edge from a render function to a construct module
    const sources = readSources(SRC);
    sources.set('render/names.ts', `${sources.get('render/names.ts')}\nimport { TenantVCluster } from '../tenant/tenant-vcluster';\n`);
    expect(stageImportsOfConstructs(importGraph(sources))).toEqual(['render/names.ts -> tenant/tenant-vcluster.ts']);
  });

  it('fails on a cycle introduced into src/ (one injected edge)', () => {
    const sources = readSources(SRC);
    sources.set('core/errors.ts', `${sources.get('core/errors.ts')}\nimport { Platform } from '../platform';\n`);
    const cycles = importCycles(importGraph(sources));
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toEqual(expect.arrayContaining(['core/errors.ts', 'platform.ts']));
  });

  it('finds every cycle of a small file set, a self-import included', () => {
    const sources = new Map([
      ['a.ts', "import { b } from './b';\nimport type { T } from './t';"],
      ['b.ts', "export { c } from './c.js';"],
      ['c.ts', "import './a';"],
      ['d.ts', "import { d } from './d';"],
      ['e.ts', "import { a } from './a';\nexport type { U } from './f';"],
      ['f.ts', "import { type E } from './e';\nimport('./e');"],
      ['t.ts', "import { a } from './a';"],
      ['x/index.ts', "import { y } from '../y';"],
      ['y.ts', "import { x } from './x';"],
    ]);
    expect(importCycles(importGraph(sources))).toEqual([
      ['a.ts', 'b.ts', 'c.ts'],
      ['d.ts'],
      ['x/index.ts', 'y.ts'],
    ]);
  });

  it('counts value imports and re-exports, not type-only ones or dynamic imports', () => {
    const text = [
      "import type { A } from './a';",
      "import { type B, type C } from './b';",
      "import { type D, E } from './d';",
      "import F from './f';",
      "import * as G from './g';",
      "import './h';",
      "export * from './i';",
      "export type { J } from './j';",
      "export { K } from './k';",
      "import { L } from 'cdk8s';",
      "const m = import('./m');",
    ].join('\n');
    expect(runtimeSpecifiers('x.ts', text)).toEqual(['./d', './f', './g', './h', './i', './k']);
  });
});

/** The construct modules (what users instantiate) and the platform root. */
const CONSTRUCT_MODULES = [
  'platform.ts', 'cluster/cluster-base.ts', 'cluster/management-cluster.ts', 'cluster/fleet-cluster.ts',
  'tenant/tenant-vcluster.ts', 'tenant/namespace-tenant.ts', 'service/team-service.ts', 'catalog/service-catalog-entry.ts', 'catalog/catalog.ts',
];

/** Runtime edges from a file of graph/, rules/ or render/ to a construct module, as "from -> to". */
function stageImportsOfConstructs(graph: Map<string, Set<string>>): string[] {
  return [...graph].filter(([f]) => /^(graph|rules|render)\//.test(f))
    .flatMap(([f, to]) => [...to].filter((t) => CONSTRUCT_MODULES.includes(t)).map((t) => `${f} -> ${t}`));
}
