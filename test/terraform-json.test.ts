import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { App, DataTerraformRemoteStateLocal, Fn, Lazy, S3Backend, TerraformLocal, TerraformOutput, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { Platform } from '../src';
import { prepareStacks, stackJson } from '../src/terraform/cdktf';
import { referencePlatform, writePins } from '../bench/reference-platform';
import { crossStatePlatform, mixedPlatform } from './support/platforms';
import { teamServicesPlatform } from './support/rendered-platforms';

// A state's `cdk.tf.json` is made from the elements resolved while the states are prepared,
// instead of cdktf resolving each again in `toTerraform()` and the whole document once more
// (docs/decisions/0006-performance.md, round seven). It must be exactly what cdktf makes.

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'terraform-json-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/**
 * Prepares the stacks as the render does, then serializes each one both ways: cdktf's own
 * `toTerraform()`, and `stackJson`. Returns how many stacks `stackJson` made without asking
 * cdktf to serialize them.
 */
function compare(stacks: TerraformStack[]): number {
  prepareStacks(stacks);
  const toTerraform = vi.spyOn(TerraformStack.prototype, 'toTerraform');
  let fast = 0;
  for (const stack of stacks) {
    const expected = JSON.stringify(stack.toTerraform(), null, 2) + '\n';
    const before = toTerraform.mock.calls.length;
    expect(stackJson(stack), stack.node.path).toBe(expected);
    if (toTerraform.mock.calls.length === before) fast++;
  }
  toTerraform.mockRestore();
  return fast;
}

const stacksOf = (platform: Platform) => platform.clusters.map((c) => c.stack).filter((s): s is TerraformStack => s !== undefined);

describe('a Terraform state serialized from its prepared elements', () => {
  it.each([
    ['the mixed platform', () => mixedPlatform()],
    ['a fleet cluster\'s state reading its management cluster\'s resource', () => crossStatePlatform('cockpit-aks', 'eks-of-aks').platform],
    ['a management cluster\'s state reading its fleet cluster\'s resource', () => crossStatePlatform('eks-of-eks', 'cockpit-eks').platform],
    ['the team services platform', () => teamServicesPlatform()],
    ['the benchmark\'s platform (8 tenants, 121 clusters)', () => {
      writePins(path.join(tmp, 'pins'), 8);
      return referencePlatform(8, undefined, path.join(tmp, 'pins'));
    }],
  ])('is cdktf\'s own JSON, byte for byte, for every state of %s', (_, make) => {
    const platform = make();
    platform.render();
    const stacks = stacksOf(platform);
    expect(stacks.length).toBeGreaterThan(0);
    // each of these states has the backend's plain override and no other token than Terraform expressions
    expect(compare(stacks)).toBe(stacks.length);
  });

  it.each([
    ['cockpit-aks', 'eks-of-aks'],
    ['eks-of-eks', 'cockpit-eks'],
  ])('prepares as cdktf\'s own prepareStack() does: the states read across (%s to %s) come out the same', (from, to) => {
    const { platform } = crossStatePlatform(from, to);
    const ours = platform.render();
    // cdktf's own preparation once more, then its own serialization: whatever ours left out
    // (an output another state reads, a remote state), cdktf would add here
    const stacks = platform.clusters.filter((c) => c.stack);
    for (const c of stacks) c.stack!.prepareStack();
    for (const c of stacks) {
      expect(ours.get(`terraform/${c.name}/cdk.tf.json`), c.name).toBe(JSON.stringify(c.stack!.toTerraform(), null, 2) + '\n');
    }
  });

  /** A stack of its own app, with a provider, an S3 backend and a bucket referenced by an output. */
  function stack(): { stack: TerraformStack; bucket: S3Bucket; output: TerraformOutput } {
    const s = new TerraformStack(new App({ outdir: path.join(tmp, 'cdktf') }), 'edge');
    new AwsProvider(s, 'aws', { region: 'eu-west-1' });
    new S3Backend(s, { bucket: 'state', key: 'edge.tfstate', region: 'eu-west-1' });
    const bucket = new S3Bucket(s, 'bucket', { bucket: 'b', tags: { purpose: Fn.lower('EDGE') } });
    const output = new TerraformOutput(new Construct(s, 'nested'), 'arn', { value: bucket.arn });
    return { stack: s, bucket, output };
  }

  it('resolves again an element holding a token that is not a Terraform expression (a Lazy whose value changes after preparing)', () => {
    const { stack: s, bucket } = stack();
    let produced = 0;
    bucket.addOverride('force_destroy', Lazy.anyValue({ produce: () => ++produced > 1 }));
    const expected = () => JSON.parse(JSON.stringify(s.toTerraform()));
    prepareStacks([s]);
    const tf = JSON.parse(stackJson(s));
    // cdktf's value is the one produced when it serializes, not while preparing
    expect(tf.resource.aws_s3_bucket.bucket.force_destroy).toBe(true);
    expect(tf).toEqual(expected());
    expect(compare([s])).toBe(1);
  });

  it('resolves what may hold a token as cdktf does: escapes, text cdktf could read as a number token, token lists, numbers and maps', () => {
    const { stack: s, bucket } = stack();
    new TerraformLocal(s, 'mixed', {
      escaped: '${var.region}-$${literal}',
      numberish: ['v1e5', '-e-', '1.5e+3', 'release 2e9', 'plain'],
      // a number token written into text is read back by cdktf's number pattern
      numberInText: `replicas ${Token.asNumber(Lazy.numberValue({ produce: () => 3 }))}`,
      joined: `arn/${bucket.arn}/x`,
      list: Token.asList(Lazy.listValue({ produce: () => ['a', 'b'] })),
      numbers: [1, -2.5, 0, 1e300, -1e279, Token.asNumber(Lazy.numberValue({ produce: () => 7 }))],
      numberList: Token.asNumberList(Lazy.listValue({ produce: () => ['8'] })),
      map: Token.asStringMap(Lazy.anyValue({ produce: () => ({ k: 'v' }) })),
      nested: { deep: [[{ a: undefined, b: null, c: true }], undefined, 'x'] },
      when: new Date(0),
      expression: Fn.join('-', [bucket.bucket, 'suffix']),
    });
    expect(compare([s])).toBe(1);
    prepareStacks([s]);
    const locals = JSON.parse(stackJson(s)).locals.mixed;
    expect(locals.numbers).toEqual([1, -2.5, 0, 1e300, -1e279, 7]);
    expect(locals.numberInText).toBe('replicas 3');
    expect(locals.nested).toEqual({ deep: [[{ b: null, c: true }], 'x'] });
  });

  it('fails as cdktf fails, naming the same key path', () => {
    const make = () => {
      const { stack: s, bucket } = stack();
      bucket.addOverride('lifecycle.broken', () => 1);
      return s;
    };
    const cdktf = (() => {
      try {
        make().prepareStack();
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    })();
    expect(cdktf).toMatch(/lifecycle\/broken/);
    expect(() => prepareStacks([make()])).toThrow(cdktf);
  });

  it('merges the stack\'s plain overrides, deletions included, as cdktf does', () => {
    const { stack: s, output } = stack();
    s.addOverride('terraform.required_version', '>= 1.9');
    s.addOverride('terraform.backend.s3.use_lockfile', true);
    s.addOverride('terraform.backend.s3.key', undefined);
    expect(compare([s])).toBe(1);
    prepareStacks([s]);
    const tf = JSON.parse(stackJson(s));
    expect(tf.terraform.required_version).toBe('>= 1.9');
    expect(tf.terraform.backend.s3).toEqual({ bucket: 'state', region: 'eu-west-1', use_lockfile: true });
    expect(tf['//'].metadata.overrides).toEqual({ stack: ['terraform'] });
    expect(tf['//'].outputs).toEqual({ edge: { nested: { arn: output.friendlyUniqueId } } });
  });

  it('leaves to cdktf a stack whose overrides hold a token, and one not prepared', () => {
    const { stack: s, bucket } = stack();
    s.addOverride('locals.bucket', bucket.bucket);
    s.addOverride('locals.count', Token.asNumber(Lazy.numberValue({ produce: () => 3 })));
    expect(compare([s])).toBe(0);
    const { stack: unprepared } = stack();
    prepareStacks([unprepared]);
    stackJson(unprepared);
    // each preparation serves one serialization: the next one is cdktf's own
    const toTerraform = vi.spyOn(TerraformStack.prototype, 'toTerraform');
    expect(JSON.parse(stackJson(unprepared))).toEqual(JSON.parse(JSON.stringify(unprepared.toTerraform())));
    expect(toTerraform).toHaveBeenCalledTimes(2);
  });
});

/** Each side builds its own app: cdktf's own preparation and serialization, and the library's. */
function bothWays(make: (app: App) => TerraformStack[], target = 0): { cdktf: string; ours: string } {
  const { invokeAspects } = require('cdktf/lib/synthesize/synthesizer') as { invokeAspects: (s: TerraformStack) => void };
  const run = (f: () => string) => {
    try {
      return f();
    } catch (e) {
      return `error: ${(e as Error).message.split('\n')[0]}`;
    }
  };
  const a = make(new App({ outdir: path.join(tmp, 'cdktf') }));
  const cdktf = run(() => {
    for (const st of a) {
      invokeAspects(st);
      st.prepareStack();
    }
    return JSON.stringify(a[target].toTerraform(), null, 2) + '\n';
  });
  const b = make(new App({ outdir: path.join(tmp, 'cdktf') }));
  const ours = run(() => {
    prepareStacks(b);
    return stackJson(b[target]);
  });
  return { cdktf, ours };
}

const one = (build: (s: TerraformStack) => void) => (app: App) => {
  const s = new TerraformStack(app, 'edge');
  build(s);
  return [s];
};

class InjectingStack extends TerraformStack {
  public toTerraform(): any {
    return { ...super.toTerraform(), locals: { injected: 'by the subclass' } };
  }
}

class PreparingStack extends TerraformStack {
  public prepareStack(): void {
    new TerraformLocal(this, 'from-prepare', 'x');
    super.prepareStack();
  }
}

// cases a review found where an earlier version of the fast path gave other bytes than cdktf
describe('a Terraform state serialized from its prepared elements, where cdktf\'s last resolve or its own class matters', () => {
  it.each([
    ['a token map in the stack\'s overrides', one((s) => s.addOverride('locals.tags', Token.asStringMap(Lazy.anyValue({ produce: () => ({ team: 'a' }) }))))],
    ['a token number map in the stack\'s overrides', one((s) => s.addOverride('locals.sizes', Token.asNumberMap(Lazy.anyValue({ produce: () => ({ small: 1 }) }))))],
    ['a token in an override\'s key', one((s) => s.addOverride('locals', { [Lazy.stringValue({ produce: () => 'k' })]: 'v' }))],
    ['the string map token value as an override', one((s) => s.addOverride('locals.x', Token.STRING_MAP_TOKEN_VALUE))],
    ['the number map token value as an override', one((s) => s.addOverride('locals.x', Token.NUMBER_MAP_TOKEN_VALUE))],
    ['an override array with a hole', one((s) => {
      const holes: number[] = [1];
      holes[2] = 3;
      s.addOverride('locals.x', holes);
    })],
    ['an override 205 levels deep', one((s) => s.addOverride(Array.from({ length: 205 }, (_, i) => `k${i}`).join('.'), 1))],
    ['a value cdktf takes for a construct', one((s) => new TerraformLocal(s, 'l', { _children: 1, _metadata: 2 }))],
    ['an output 199 constructs deep', one((s) => {
      let scope: Construct = s;
      for (let i = 0; i < 198; i++) scope = new Construct(scope, 'c');
      new TerraformOutput(scope, 'o', { value: 1 });
    })],
    ['an element whose own override merges into the user\'s object on every call', one((s) => {
      new DataTerraformRemoteStateLocal(s, 'rs', { path: 'x.tfstate', defaults: { list: ['a'] } }).addOverride('defaults.list', ['b']);
    })],
    ['a stack class that adds to toTerraform()', (app: App) => {
      const s = new InjectingStack(app, 'edge');
      new TerraformLocal(s, 'l', 1);
      return [s];
    }],
    ['a stack class that adds to prepareStack()', (app: App) => {
      const s = new PreparingStack(app, 'edge');
      new TerraformLocal(s, 'l', 1);
      return [s];
    }],
  ])('%s: the same bytes or the same error as cdktf', (_, make) => {
    const { cdktf, ours } = bothWays(make);
    expect(ours).toBe(cdktf);
  });

  // (the token's number is part of the output's name, so both sides are the same app here)
  it.each([
    ['under a construct whose id holds a token', (s: TerraformStack) => new TerraformOutput(new Construct(s, `team-${Lazy.stringValue({ produce: () => 'x' })}`), 'o', { value: 1 }), ['team-x', 'o']],
    ['whose id holds a number token\'s text', (s: TerraformStack) => new TerraformOutput(s, `o ${Token.asNumber(Lazy.numberValue({ produce: () => 3 }))}`, { value: 1 }), ['o 3']],
  ])('an output %s: its path in the outputs map is resolved, as cdktf does', (_, add, keys) => {
    const s = new TerraformStack(new App({ outdir: path.join(tmp, 'cdktf') }), 'edge');
    add(s);
    expect(compare([s])).toBe(0);
    prepareStacks([s]);
    let at = JSON.parse(stackJson(s))['//'].outputs.edge;
    for (const k of keys) at = at[k];
    expect(typeof at).toBe('string');
  });

  it('keeps the output another state reads when only some of the app\'s states are prepared again', () => {
    const app = new App({ outdir: path.join(tmp, 'cdktf') });
    const a = new TerraformStack(app, 'a');
    const b = new TerraformStack(app, 'b');
    const origin = new TerraformLocal(a, 'la', 'va');
    new TerraformLocal(b, 'lb', Fn.upper(origin.asString));
    prepareStacks([a, b]);
    const first = stackJson(a);
    expect(Object.keys(JSON.parse(first).output)).toHaveLength(1);
    prepareStacks([a]);
    expect(stackJson(a)).toBe(first);
  });
});
