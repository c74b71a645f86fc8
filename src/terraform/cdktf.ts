/**
 * The only door to the Terraform CDK outside this folder: the rest of the library
 * imports its Terraform types from here, so moving from cdktf (archived upstream) to
 * its community continuation cdktn changes this folder only (see docs/upgrading.md).
 */
import { IConstruct } from 'constructs';
import { DefaultTokenResolver, IPostProcessor, IResolvable, IResolveContext, StringConcat, TerraformElement, TerraformOutput, TerraformStack, ref, Token, Tokenization } from 'cdktf';

export { App as TerraformApp, TerraformStack } from 'cdktf';

/** Serializes a Terraform stack to `cdk.tf.json` content (aspects, preparation and validations included). */
export function serializeStack(stack: TerraformStack): string {
  prepareStacks([stack]);
  return stackJson(stack);
}

/**
 * Runs the aspects of Terraform stacks of one app and prepares them, before any of them is
 * serialized ({@link stackJson}), as cdktf's own synth does: preparing a stack that reads another
 * stack's value adds an output to that other stack (and a remote state to this one), so a stack
 * serialized before the stacks that read it would lack the outputs they name.
 *
 * cdktf resolves every element three times on the way to `cdk.tf.json`: here (to find the
 * cross-stack references), again in `toTerraform()`, then the whole merged document once more.
 * The preparing resolve is kept per element, for {@link stackJson} to use instead of the second,
 * when the element's tokens are all of the kinds whose value does not change after preparation
 * (cdktf's Terraform expressions: see `TF_EXPRESSION`); an element holding any other
 * token (a user's `Lazy`, say) is resolved again, as cdktf does.
 */
export function prepareStacks(stacks: readonly TerraformStack[]): void {
  const { invokeAspects } = require('cdktf/lib/synthesize/synthesizer') as { invokeAspects: (s: TerraformStack) => void };
  // what cdktf added for cross-state reads on an earlier pass goes, when every state of the app is
  // prepared again: made again below, after what the render stage made afresh, it keeps the place
  // it had on the first pass (a state left out could still read what would be forgotten)
  if (allStacksOfTheirApp(stacks)) for (const stack of stacks) forgetCrossStackElements(stack);
  for (const stack of stacks) {
    invokeAspects(stack);
    if (!ownSerialization(stack)) {
      stack.prepareStack();
      continue;
    }
    // what `stack.prepareStack()` does, keeping each element's result
    stack.ensureBackendExists();
    const kept = new Map<TerraformElement, unknown>();
    for (const e of terraformElements(stack)) {
      const resolver = new WatchingResolver();
      const fragment = resolveFast(e.toTerraform(), stack, true, resolver);
      // cdktf calls `toTerraform()` again to serialize, and an element's own overrides are merged
      // into the attributes it returns (the user's objects among them): such an element is made again
      if (resolver.stable && Object.keys(rawOverrides(e)).length === 0) kept.set(e, fragment);
    }
    PREPARED.set(stack, kept);
  }
}

/** Whether the stacks are every Terraform stack of their app. */
function allStacksOfTheirApp(stacks: readonly TerraformStack[]): boolean {
  if (stacks.length === 0) return false;
  const given = new Set(stacks);
  const all = stacks[0].node.root.node.findAll().filter((c) => TerraformStack.isStack(c));
  return all.length === given.size && all.every((c) => given.has(c as TerraformStack));
}

/** Whether a stack prepares and serializes as cdktf's own class does (a subclass may add to either). */
function ownSerialization(stack: TerraformStack): boolean {
  return stack.prepareStack === TerraformStack.prototype.prepareStack && stack.toTerraform === TerraformStack.prototype.toTerraform;
}

/**
 * Removes the outputs and remote states cdktf added to a stack while preparing it on an earlier
 * pass (its `cross-stack-output-*` and `cross-stack-reference-input-*` children) and forgets
 * them, so that preparing again makes them anew, in the order the first pass made them.
 */
function forgetCrossStackElements(stack: TerraformStack): void {
  const own = stack as unknown as { crossStackOutputs: Record<string, TerraformElement>; crossStackDataSources: Record<string, TerraformElement> };
  for (const e of [...Object.values(own.crossStackOutputs), ...Object.values(own.crossStackDataSources)]) stack.node.tryRemoveChild(e.node.id);
  own.crossStackOutputs = {};
  own.crossStackDataSources = {};
}

/**
 * A prepared stack's `cdk.tf.json` content (validations included): what cdktf's
 * `toTerraform()` makes, from the elements resolved by {@link prepareStacks} (each preparation
 * serves one serialization). A stack not prepared that way, or one whose overrides or outputs'
 * paths cdktf's last resolve could change, is serialized by cdktf itself.
 * `test/terraform-json.test.ts` compares the two.
 */
export function stackJson(stack: TerraformStack): string {
  stack.runAllValidations();
  const kept = PREPARED.get(stack);
  PREPARED.delete(stack);
  const overrides = rawOverrides(stack);
  const elements = kept && terraformElements(stack);
  const tf = elements && isPlainJson(overrides, 0) && plainDocumentParts(stack, elements) ? stackDocument(stack, elements, kept, overrides) : stack.toTerraform();
  return JSON.stringify(tf, null, 2) + '\n';
}

/** cdktf's internal deep merge (the one its `toTerraform()` uses): arrays concatenate, objects merge. */
const { deepMerge } = require('cdktf/lib/util') as { deepMerge: (target: object, source: unknown) => object };

/** Each prepared stack's elements, resolved while preparing (the elements kept are those with stable tokens only). */
const PREPARED = new WeakMap<TerraformStack, Map<TerraformElement, unknown>>();

/**
 * Tokens whose resolved value is fixed once the stacks are prepared: cdktf's Terraform
 * expressions (references, whose cross-stack identifier is set while preparing, property
 * accesses, function calls, operators, conditions, dependencies), each resolving its arguments
 * as tokens in turn. Their common prototype, taken from a reference.
 */
const TF_EXPRESSION: object = Object.getPrototypeOf(Object.getPrototypeOf(ref('stable')));

/** cdktf's default token resolver, noting whether every token it meets is a Terraform expression. */
class WatchingResolver extends DefaultTokenResolver {
  public stable = true;
  constructor() {
    super(new StringConcat());
  }
  public resolveToken(t: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): unknown {
    if (!TF_EXPRESSION.isPrototypeOf(t)) this.stable = false;
    return super.resolveToken(t, context, postProcessor);
  }
}

/** The document `TerraformStack.toTerraform()` makes, with the prepared elements' resolved fragments. */
function stackDocument(stack: TerraformStack, elements: readonly TerraformElement[], kept: Map<TerraformElement, unknown>, overrides: Record<string, unknown>): object {
  const metadata: Record<string, unknown> = {
    version: cdktfVersion(stack), stackName: stack.node.id, backend: 'local', cloud: undefined,
    ...(Object.keys(overrides).length > 0 ? { overrides: { stack: Object.keys(overrides) } } : {}),
  };
  for (const e of elements) deepMerge(metadata, resolveFast(e.toMetadata(), stack, false, RESOLVER));
  const outputs: Record<string, unknown> = {};
  for (const e of elements) {
    if (!TerraformOutput.isTerraformOutput(e)) continue;
    deepMerge(outputs, e.node.path.split('/').reduceRight<unknown>((inner, part) => ({ [part]: inner }), e.friendlyUniqueId));
  }
  const tf: Record<string, unknown> = { '//': { metadata, outputs } };
  for (const e of elements) {
    deepMerge(tf, kept.has(e) ? kept.get(e) : resolveFast(e.toTerraform(), stack, false, RESOLVER));
  }
  deepMerge(tf, overrides);
  // cdktf resolves the merged document once more: it holds resolved values and plain overrides only
  return tf;
}

const RESOLVER = new DefaultTokenResolver(new StringConcat());

type Resolve = (obj: unknown, options: { scope: IConstruct; prefix: string[]; resolver: DefaultTokenResolver; preparing: boolean }) => unknown;
/** cdktf's own resolve, which takes the key path that its errors name (the public `Tokenization.resolve` starts it empty). */
const { resolve: cdktfResolve } = require('cdktf/lib/tokens/private/resolve') as { resolve: Resolve };

/**
 * What cdktf's resolve makes of `obj`, walking plain data itself: cdktf makes three contexts and
 * three tokenized strings per value it visits, and most values of a state hold no token. Anything
 * that may hold one (a string or key with a token marker or what cdktf could read as a number
 * token, a token number, a resolvable, a class instance, a function) is resolved by cdktf, at its
 * key path, so its value and its errors are cdktf's.
 */
function resolveFast(obj: unknown, scope: IConstruct, preparing: boolean, resolver: DefaultTokenResolver): unknown {
  const path: string[] = [];
  const cdktf = (v: unknown) => cdktfResolve(v, { scope, prefix: [...path], resolver, preparing });
  const walk = (v: unknown): unknown => {
    if (v === undefined || v === null || typeof v === 'boolean') return v;
    if (typeof v === 'string') return plainText(v) ? v : cdktf(v);
    if (typeof v === 'number') return plainNumber(v) ? v : cdktf(v);
    if (typeof v !== 'object' || path.length > MAX_DEPTH) return cdktf(v);
    if (Array.isArray(v)) {
      if (!v.every((x) => typeof x === 'string' ? plainText(x) : typeof x !== 'number' || plainNumber(x))) return cdktf(v);
      const out: unknown[] = [];
      for (let i = 0; i < v.length; i++) {
        path.push(String(i));
        const r = walk(v[i]);
        path.pop();
        if (r !== undefined) out.push(r);
      }
      return out;
    }
    if (!plainRecord(v)) return cdktf(v);
    const keys = Object.keys(v);
    if (!keys.every(plainText)) return cdktf(v);
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      path.push(k);
      const r = walk((v as Record<string, unknown>)[k]);
      path.pop();
      if (r !== undefined) out[k] = r;
    }
    return out;
  };
  return walk(obj);
}

/**
 * A string cdktf's resolve leaves as it is: no token marker (string, list or map) and nothing
 * its number-token pattern matches (a character of `-|0-9.+`, an `e`, a character of `-|0-9.eE+`).
 */
function plainText(s: string): boolean {
  return !s.includes('{TfToken[') && !NUMBER_LIKE.test(s) && s !== Token.STRING_MAP_TOKEN_VALUE && s !== Token.ANY_MAP_TOKEN_VALUE;
}
const NUMBER_LIKE = /[-|\d.+]e[-|\d.eE+]/;

/**
 * A number that is no token: cdktf encodes a number token (and a list of them) as a negative
 * double beyond -1e288 (its top bits are the marker), and a map of them as -123456789.
 */
function plainNumber(n: number): boolean {
  return n > -1e280 && n !== Token.NUMBER_MAP_TOKEN_VALUE;
}

/** The cdktf version a stack records in its metadata (from the app's context). */
function cdktfVersion(stack: TerraformStack): unknown {
  return (stack as unknown as { cdktfVersion: unknown }).cdktfVersion;
}

/** A stack's or an element's own overrides (`addOverride`), which cdktf merges last. */
function rawOverrides(c: TerraformStack | TerraformElement): Record<string, unknown> {
  return (c as unknown as { rawOverrides?: Record<string, unknown> }).rawOverrides ?? {};
}

/**
 * Whether the parts of the document cdktf takes as they are, not from a resolve, are text its
 * final resolve leaves as it is: the stack's name, cdktf's version, and each output's construct
 * path (its keys in the outputs map, within the depth cdktf allows).
 */
function plainDocumentParts(stack: TerraformStack, elements: readonly TerraformElement[]): boolean {
  const version = cdktfVersion(stack);
  if (!plainText(stack.node.id) || (typeof version === 'string' ? !plainText(version) : version !== undefined)) return false;
  return elements.every((e) => !TerraformOutput.isTerraformOutput(e)
    || (e.node.scopes.length < MAX_DEPTH && e.node.scopes.every((c) => plainText(c.node.id)) && plainText(e.friendlyUniqueId)));
}

/**
 * Whether overrides are JSON data that cdktf's final resolve leaves as it is: plain objects with
 * plain keys, arrays without holes or undefined items, text and numbers that hold no token (nor
 * what cdktf reads as one), nothing cdktf takes for a construct, within the depth cdktf allows.
 * Undefined as an object's value stays: merging it deletes the key, as in cdktf.
 */
function isPlainJson(v: unknown, depth: number): boolean {
  if (v === null || typeof v === 'boolean') return true;
  if (typeof v === 'string') return plainText(v);
  if (typeof v === 'number') return plainNumber(v);
  if (typeof v !== 'object' || depth > MAX_DEPTH) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!(i in v) || v[i] === undefined || !isPlainJson(v[i], depth + 1)) return false;
    return true;
  }
  if (!plainRecord(v)) return false;
  return Object.keys(v).every((k) => plainText(k) && ((v as Record<string, unknown>)[k] === undefined || isPlainJson((v as Record<string, unknown>)[k], depth + 1)));
}

/**
 * An object cdktf's resolve walks key by key and nothing else: of `Object`'s prototype or none,
 * not a resolvable, not what cdktf refuses as a construct (its own test: both fields present).
 */
function plainRecord(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && !Tokenization.isResolvable(v)
    && ((v as { _children?: unknown })._children === undefined || (v as { _metadata?: unknown })._metadata === undefined);
}

/** Well within the 200 levels cdktf's resolve allows before it reports a circular reference. */
const MAX_DEPTH = 100;

/** The Terraform elements of a stack, in cdktf's order: depth first, not into nested stacks. */
function terraformElements(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node);
  for (const child of node.node.children) {
    if (!TerraformStack.isStack(child)) terraformElements(child, into);
  }
  return into;
}
