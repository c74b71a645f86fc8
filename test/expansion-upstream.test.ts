/**
 * Argo CD's own ApplicationSet tests, run against the offline expansion. Each case names
 * its upstream file, Go test function and sub-case (see test/upstream/). A case passes
 * when the expansion gives Argo CD's answer (or fails where Argo CD fails, with the same
 * error); a case Argo CD accepts but the expansion does not model is "refused by design"
 * and must fail with the exact refusal message. Anything else fails the test run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CLUSTER_CASES } from './upstream/cluster.cases';
import { GENERATOR_CASES } from './upstream/generators.cases';
import { GIT_CASES } from './upstream/git.cases';
import { ARGO_CD_VERSION, typed, UpstreamCase } from './upstream/support';
import { TEMPLATE_CASES } from './upstream/template.cases';

const ALL: UpstreamCase[] = [...TEMPLATE_CASES, ...CLUSTER_CASES, ...GENERATOR_CASES, ...GIT_CASES];
const counts = { ported: ALL.length, passing: 0, refused: 0 };

/** JSON with sorted keys: a stable sort key for set comparison. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'undefined';
}

function canonical(v: unknown): unknown {
  const t = typed(v);
  return Array.isArray(t) ? [...t].sort((a, b) => (stable(a) < stable(b) ? -1 : 1)) : t;
}

describe(`Argo CD ${ARGO_CD_VERSION} ApplicationSet tests, run against the offline expansion`, () => {
  for (const c of ALL) {
    it(`${c.file} ${c.test} / ${c.name}`, () => {
      if (c.refused !== undefined) {
        expect(c.run).toThrow(c.refused);
        counts.refused++;
      } else if (c.upstreamError !== undefined) {
        expect(c.run).toThrow(c.upstreamError);
        counts.passing++;
      } else {
        const got = c.run();
        expect(c.unordered ? canonical(got) : typed(got)).toEqual(c.unordered ? canonical(c.expected) : typed(c.expected));
        counts.passing++;
      }
    });
  }

  afterAll(() => {
    console.log(`upstream expansion cases: ported ${counts.ported}, passing ${counts.passing}, refused by design ${counts.refused}`);
  });
});
