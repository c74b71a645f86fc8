import { describe, expect, it } from 'vitest';
import { Tokenization } from 'cdktf';
import { withoutCreationStacks } from '../src/terraform/creation-stacks';
import { azureMgmt } from './support/fixtures';

describe('withoutCreationStacks', () => {
  it('formats no stack inside and puts the previous formatter back afterwards', () => {
    const before = Error.prepareStackTrace;
    const holder: { stack?: string } = {};
    // read inside, as cdktf does when it creates a token
    const inside = withoutCreationStacks(() => {
      Error.captureStackTrace(holder);
      return holder.stack;
    });
    expect(inside).toBe('');
    expect(Error.prepareStackTrace).toBe(before);
  });

  it('puts the formatter back when the function throws, and the error keeps its stack', () => {
    const before = Error.prepareStackTrace;
    let caught: Error | undefined;
    try {
      withoutCreationStacks(() => {
        throw new Error('boom');
      });
    } catch (e) {
      caught = e as Error;
    }
    expect(Error.prepareStackTrace).toBe(before);
    expect(caught?.stack).toContain('boom');
    expect(caught?.stack?.split('\n').length).toBeGreaterThan(1);
  });

  it('gives the tokens a cluster creates no creation stack, while tokens made elsewhere keep theirs', () => {
    const mgmt = azureMgmt();
    const creationStack = (value: string) => (Tokenization.reverseString(value).firstToken as unknown as { creationStack: string[] }).creationStack;
    const inside = withoutCreationStacks(() => mgmt.aks!.cluster.name);
    const outside = mgmt.aks!.cluster.location;
    expect(creationStack(inside)).toEqual([]);
    expect(creationStack(outside).length).toBeGreaterThan(0);
  });

  it('swaps cdktf\'s trace helper for one that walks no stack, only for the call, and puts it back even when the call throws', () => {
    const traces = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: () => string[] };
    const helper = traces.captureStackTrace;
    const inside = withoutCreationStacks(() => ({ swapped: traces.captureStackTrace !== helper, trace: traces.captureStackTrace() }));
    expect(inside).toEqual({ swapped: true, trace: [] });
    expect(traces.captureStackTrace).toBe(helper);
    expect(() => withoutCreationStacks(() => {
      throw new Error('boom');
    })).toThrow('boom');
    expect(traces.captureStackTrace).toBe(helper);
    expect(helper().length).toBeGreaterThan(0);
  });
});
