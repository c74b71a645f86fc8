import { describe, expect, it } from 'vitest';
import { ClusterSelector, SelectorOperator } from '../src/catalog/cluster-selector';
import { labelsMatch } from '../src/core/selector';
import { selectorMatches } from '../src/testing/selector';

describe('core/selector: one label-selector matcher', () => {
  const labels = { env: 'prod', tier: 'web' };
  it('applies matchLabels and each operator', () => {
    const never = () => { throw new Error('unexpected'); };
    expect(labelsMatch({ env: 'prod' }, [{ key: 'tier', operator: 'In', values: ['web', 'api'] }], labels, never)).toBe(true);
    expect(labelsMatch({ env: 'dev' }, [], labels, never)).toBe(false);
    expect(labelsMatch(undefined, [{ key: 'tier', operator: 'NotIn', values: ['web'] }], labels, never)).toBe(false);
    expect(labelsMatch(undefined, [{ key: 'zone', operator: 'NotIn', values: ['a'] }], labels, never)).toBe(true);
    expect(labelsMatch(undefined, [{ key: 'env', operator: 'Exists' }, { key: 'zone', operator: 'DoesNotExist' }], labels, never)).toBe(true);
    expect(labelsMatch(undefined, [{ key: 'env', operator: 'Gt' }], labels, (op, has) => op === 'Gt' && has)).toBe(true);
  });

  it('the catalog selector and the offline expansion answer the same', () => {
    const catalog = ClusterSelector.allOf(ClusterSelector.labels({ env: 'prod' }), ClusterSelector.expression('tier', SelectorOperator.NOT_IN, ['db']));
    const k8s = { matchLabels: { env: 'prod' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] };
    for (const l of [labels, { env: 'prod', tier: 'db' }, { env: 'dev' }, { env: 'prod' }]) expect(catalog.matches(l)).toBe(selectorMatches(k8s, l));
    expect(() => selectorMatches({ matchExpressions: [{ key: 'a', operator: 'Gt' }] }, {})).toThrow('"Gt" is not a valid label selector operator');
  });
});
