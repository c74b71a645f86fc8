/**
 * Go `text/template` as Argo CD's ApplicationSet controller runs it (`goTemplate: true`):
 * the parser of go-template-parse.ts, the functions of go-functions.ts, Go's printing of
 * non-string values, and the `missingkey` options. What is accepted is evaluated exactly;
 * anything else throws a {@link GoTemplateError} naming the construct.
 * @see https://pkg.go.dev/text/template
 */
import { FUNCTIONS, paramTypeName, ParamType, REMOVED_FUNCTIONS, UNMODELLED_FUNCTIONS } from './go-functions';
import { Node, Operand, parseTemplate, Pipeline } from './go-template-parse';
import { checkStringArg } from '../core/arguments';
import { badValue, fail } from '../core/errors';
import { goCompare, GoInt, GoTemplateError, goType, isMap, isStringMap, printValue, truth } from './go-values';

export { GoTemplateError } from './go-values';

/** What a missing map key gives (`goTemplateOptions: ["missingkey=..."]`). */
export type MissingKey = 'default' | 'invalid' | 'zero' | 'error';
const MISSING_KEYS: readonly MissingKey[] = ['default', 'invalid', 'zero', 'error'];

/** Reads Argo CD's `goTemplateOptions`; options `text/template` does not know are an error, as in Go. */
export function missingKeyOption(options: readonly string[] | undefined): MissingKey {
  let mode: MissingKey = 'default';
  for (const o of options ?? []) {
    const m = /^missingkey=(default|invalid|zero|error)$/.exec(o);
    if (!m) throw new GoTemplateError(`unrecognized goTemplateOptions option "${o}" (text/template knows missingkey=default|invalid|zero|error)`);
    mode = m[1] as MissingKey;
  }
  return mode;
}

type ControlNode = { kind: 'if' | 'with' | 'range'; pipe: Pipeline; list: Node[]; elseList?: Node[] };

const MISSING = Symbol('no piped value');
type Value = unknown;

const parsed = new Map<string, Node[]>();

function parseCached(template: string): Node[] {
  let nodes = parsed.get(template);
  if (!nodes) {
    nodes = parseTemplate(template);
    checkFunctions(nodes);
    if (parsed.size > 5000) parsed.clear();
    parsed.set(template, nodes);
  }
  return nodes;
}

/** Like Go, an unknown function is a parse error, before anything runs. */
function checkFunctions(nodes: Node[]): void {
  const operand = (o: Operand): void => {
    if (o.kind === 'ident') {
      if (o.name === 'and' || o.name === 'or' || FUNCTIONS.has(o.name)) return;
      if (UNMODELLED_FUNCTIONS.has(o.name)) throw new GoTemplateError(`the template function "${o.name}" is not modelled by the offline expansion`);
      throw new GoTemplateError(`function "${o.name}" not defined${REMOVED_FUNCTIONS.has(o.name) ? ' (Argo CD removes it from sprig)' : ''}`);
    }
    if (o.kind === 'pipe') pipe(o.pipe);
    if (o.kind === 'field' && o.base) operand(o.base);
  };
  const pipe = (p: Pipeline): void => p.cmds.forEach((c) => c.forEach(operand));
  for (const n of nodes) {
    if (n.kind === 'action') pipe(n.pipe);
    if (n.kind === 'if' || n.kind === 'with' || n.kind === 'range') {
      pipe(n.pipe);
      checkFunctions(n.list);
      if (n.elseList) checkFunctions(n.elseList);
    }
  }
}

class State {
  private readonly vars: { name: string; value: Value }[];

  constructor(data: Value, private readonly missing: MissingKey) {
    this.vars = [{ name: '$', value: data }];
  }

  public walk(dot: Value, nodes: Node[]): string {
    let out = '';
    for (const n of nodes) {
      if (n.kind === 'text') out += n.text;
      else if (n.kind === 'action') {
        const v = this.pipeline(dot, n.pipe);
        if (n.pipe.decl.length === 0) out += printValue(v);
      } else {
        const mark = this.vars.length;
        const v = this.pipeline(dot, n.pipe, n.kind === 'range');
        if (n.kind === 'if') out += this.walk(dot, truth(v) ? n.list : n.elseList ?? []);
        else if (n.kind === 'with') out += truth(v) ? this.walk(v, n.list) : this.walk(dot, n.elseList ?? []);
        else out += this.range(dot, n, v);
        this.vars.length = mark;
      }
    }
    return out;
  }

  private range(dot: Value, n: ControlNode, v: Value): string {
    let items: [Value, Value][];
    if (Array.isArray(v)) items = v.map((x, i) => [new GoInt(i), x]);
    else if (isMap(v)) items = Object.keys(v).sort(goCompare).map((k) => [k, v[k]]);
    else if (v instanceof GoInt) {
      if (n.pipe.decl.length > 1) throw new GoTemplateError(`can't use ${v.value} to iterate over more than one variable`);
      items = Array.from({ length: Math.max(0, v.value) }, (_, i) => [new GoInt(i), new GoInt(i)]);
    } else if (v === undefined || v === null) items = [];
    else throw new GoTemplateError(`range can't iterate over ${printValue(v)}`);
    if (items.length === 0) return this.walk(dot, n.elseList ?? []);
    let out = '';
    const decl = n.pipe.decl;
    for (const [key, item] of items) {
      const mark = this.vars.length;
      if (decl.length === 1) this.setVar(decl[0], item, n.pipe.assign);
      if (decl.length === 2) {
        this.setVar(decl[0], key, n.pipe.assign);
        this.setVar(decl[1], item, n.pipe.assign);
      }
      out += this.walk(item, n.list);
      this.vars.length = mark;
    }
    return out;
  }

  private setVar(name: string, value: Value, assign: boolean): void {
    if (!assign) {
      this.vars.push({ name, value });
      return;
    }
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    }
    throw new GoTemplateError(`undefined variable: ${name}`);
  }

  private varValue(name: string): Value {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i].value;
    throw new GoTemplateError(`undefined variable: ${name}`);
  }

  private pipeline(dot: Value, pipe: Pipeline, isRange = false): Value {
    let value: Value | typeof MISSING = MISSING;
    for (const cmd of pipe.cmds) value = this.command(dot, cmd, value);
    // an interface holding nil becomes Go's invalid value
    const v = value === null || value === MISSING ? undefined : value;
    if (!isRange && pipe.decl.length > 0) {
      if (pipe.decl.length > 1) throw new GoTemplateError(`too many declarations in "{{${pipe.text}}}"`);
      this.setVar(pipe.decl[0], v, pipe.assign);
    }
    return v;
  }

  private command(dot: Value, cmd: Operand[], final: Value | typeof MISSING): Value {
    const [first, ...args] = cmd;
    const notAFunction = (): void => {
      if (args.length > 0 || final !== MISSING) throw new GoTemplateError(`can't give argument to non-function in "${describe(first)}"`);
    };
    switch (first.kind) {
      case 'field': {
        const hasArgs = args.length > 0 || final !== MISSING;
        let receiver: Value = first.base ? this.operand(dot, first.base) : dot;
        for (let i = 0; i < first.fields.length; i++) receiver = this.field(receiver, first.fields[i], i === first.fields.length - 1 && hasArgs);
        return receiver;
      }
      case 'ident':
        return this.call(dot, first.name, args, final);
      case 'nil':
        throw new GoTemplateError('nil is not a command');
      default:
        notAFunction();
        return this.operand(dot, first);
    }
  }

  private operand(dot: Value, o: Operand): Value {
    switch (o.kind) {
      case 'dot': return dot;
      case 'var': return this.varValue(o.name);
      case 'string': return o.value;
      case 'number': return o.value;
      case 'bool': return o.value;
      case 'nil': return null;
      case 'pipe': return this.pipeline(dot, o.pipe);
      case 'ident': return this.call(dot, o.name, [], MISSING);
      case 'field': return this.command(dot, [o], MISSING);
    }
  }

  private field(receiver: Value, name: string, hasArgs: boolean): Value {
    if (receiver === undefined) {
      if (this.missing === 'error') throw new GoTemplateError(`nil data; no entry for key "${name}"`);
      return undefined;
    }
    if (receiver === null) throw new GoTemplateError(`nil pointer evaluating interface {}.${name}`);
    if (isMap(receiver)) {
      if (hasArgs) throw new GoTemplateError(`${name} is not a method but has arguments`);
      if (Object.prototype.hasOwnProperty.call(receiver, name)) return receiver[name];
      if (this.missing === 'error') throw new GoTemplateError(`map has no entry for key "${name}"`);
      if (this.missing === 'zero') return isStringMap(receiver) ? '' : null;
      return undefined;
    }
    throw new GoTemplateError(`can't evaluate field ${name} in type ${typeof receiver === 'string' ? 'interface {}' : goType(receiver)}`);
  }

  private call(dot: Value, name: string, args: Operand[], final: Value | typeof MISSING): Value {
    if (name === 'and' || name === 'or') {
      if (args.length + (final === MISSING ? 0 : 1) === 0) throw new GoTemplateError(`wrong number of args for ${name}: want at least 1 got 0`);
      let v: Value;
      for (const a of args) {
        v = this.arg(dot, 'value', a);
        if (truth(v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = validate(final, 'value');
      return v;
    }
    const f = FUNCTIONS.get(name)!;
    const numIn = args.length + (final === MISSING ? 0 : 1);
    if (f.variadic ? numIn < f.params.length : numIn !== f.params.length) {
      throw new GoTemplateError(`wrong number of args for ${name}: want ${f.variadic ? 'at least ' : ''}${f.params.length} got ${numIn}`);
    }
    const typeAt = (i: number): ParamType => (i < f.params.length ? f.params[i] : f.variadic!);
    const argv = args.map((a, i) => this.arg(dot, typeAt(i), a));
    if (final !== MISSING) argv.push(validate(final, typeAt(args.length)));
    try {
      return f.fn(...argv);
    } catch (e) {
      if (e instanceof GoTemplateError && /not modelled/.test(e.message)) throw e;
      throw new GoTemplateError(`error calling ${name}: ${(e as Error).message}`);
    }
  }

  private arg(dot: Value, type: ParamType, a: Operand): Value {
    switch (a.kind) {
      case 'nil':
        if (type === 'any' || type === 'map') return null;
        throw new GoTemplateError(`cannot assign nil to ${paramTypeName(type)}`);
      case 'string':
        if (type === 'string' || type === 'any' || type === 'value') return a.value;
        throw new GoTemplateError(`expected ${type === 'int' ? 'integer' : paramTypeName(type)}; found ${JSON.stringify(a.value)}`);
      case 'number':
        if (type === 'int') {
          const n = a.value instanceof GoInt ? a.value.value : a.value;
          if (Number.isInteger(n)) return new GoInt(n);
          throw new GoTemplateError(`expected integer; found ${a.text}`);
        }
        if (type === 'any' || type === 'value') return a.value;
        throw new GoTemplateError(`expected ${paramTypeName(type)}; found ${a.text}`);
      case 'bool':
        if (type === 'bool' || type === 'any' || type === 'value') return a.value;
        throw new GoTemplateError(`expected ${paramTypeName(type)}; found ${a.value}`);
      default:
        return validate(this.operand(dot, a), type);
    }
  }
}

/** text/template's validateType: an absent value may become a nil interface or map, nothing else. */
function validate(v: Value, type: ParamType): Value {
  if (v === undefined) {
    // builtins take reflect.Value, which may be the invalid value itself
    if (type === 'value') return undefined;
    if (type === 'any' || type === 'map') return null;
    throw new GoTemplateError(`invalid value; expected ${paramTypeName(type)}`);
  }
  const ok = type === 'any' || type === 'value'
    || (type === 'string' && typeof v === 'string')
    || (type === 'int' && v instanceof GoInt)
    || (type === 'bool' && typeof v === 'boolean')
    || (type === 'map' && (v === null || (isMap(v) && !isStringMap(v))));
  if (!ok) throw new GoTemplateError(`wrong type for value; expected ${paramTypeName(type)}; got ${goType(v)}`);
  return v;
}

function describe(o: Operand): string {
  switch (o.kind) {
    case 'string': return JSON.stringify(o.value);
    case 'number': return o.text;
    case 'var': return o.name;
    case 'dot': return '.';
    case 'bool': return String(o.value);
    default: return o.kind;
  }
}

/**
 * Renders a template string with `data` (the generator's parameters), as Argo CD's
 * `Render.Replace` with `goTemplate: true`.
 */
export function renderGoTemplate(template: string, data: unknown, missingKey: MissingKey = 'default'): string {
  if (typeof template !== 'string') checkStringArg('renderGoTemplate', 'template', template, '"{{ .name }}"');
  if (!MISSING_KEYS.includes(missingKey)) fail('renderGoTemplate', badValue('missingKey', missingKey, MISSING_KEYS.map((k) => `"${k}"`).join(', '), 'use one of Go\'s missingkey options'));
  // text without actions renders as itself
  if (!template.includes('{{')) return template;
  const nodes = parseCached(template);
  return new State(data, missingKey).walk(data, nodes);
}

/**
 * Renders every string of a structure (an ApplicationSet `template`) and every map key,
 * as Argo CD does. Two keys of one map that render to the same text are an error (Argo
 * CD would keep one of them at random).
 */
export function renderGoTemplateDeep<T>(value: T, data: unknown, missingKey: MissingKey = 'default'): T {
  if (typeof value === 'string') return renderGoTemplate(value, data, missingKey) as unknown as T;
  if (Array.isArray(value)) return value.map((v) => renderGoTemplateDeep(v, data, missingKey)) as unknown as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null) continue; // Argo CD skips nil map values
      const key = k.includes('{{') ? renderGoTemplate(k, data, missingKey) : k;
      if (Object.prototype.hasOwnProperty.call(out, key)) throw new GoTemplateError(`two keys of one map render to "${key}": Argo CD would keep one of them at random`);
      out[key] = renderGoTemplateDeep(v, data, missingKey);
    }
    return out as T;
  }
  return value;
}
