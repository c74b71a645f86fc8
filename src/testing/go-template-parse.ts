/**
 * A parser for Go `text/template` (the syntax of `goTemplate: true` ApplicationSets),
 * following the upstream lexer: `{{- `/` -}}` trim markers, comments, pipelines,
 * variables, `if`/`else if`/`else`, `range`/`else`, `with`/`else with`. Constructs the
 * offline expansion does not model (`define`, `template`, `block`, `break`, `continue`,
 * character, hexadecimal, octal and imaginary literals) are refused with their name.
 */
import { GoInt, GoTemplateError } from './go-values';

/** An operand of a command. */
export type Operand =
  | { kind: 'field'; base?: Operand; fields: string[] } // `.a.b`, `$x.a`, `(pipe).a`
  | { kind: 'dot' }
  | { kind: 'var'; name: string }
  | { kind: 'ident'; name: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: GoInt | number; text: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'nil' }
  | { kind: 'pipe'; pipe: Pipeline };

/** A pipeline with its optional variable declaration or assignment. */
export interface Pipeline { decl: string[]; assign: boolean; cmds: Operand[][]; text: string }

/** A template node. */
export type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: Pipeline }
  | { kind: 'if' | 'with' | 'range'; pipe: Pipeline; list: Node[]; elseList?: Node[] };

type Tok = { t: 'space' | 'field' | 'var' | 'ident' | 'string' | 'number' | 'pipe' | 'lparen' | 'rparen' | 'declare' | 'assign' | 'comma' | 'dot'; v: string };

const SPACE = ' \t\r\n';
const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);

function unquote(lit: string): string {
  if (lit.startsWith('`')) {
    if (lit.includes('\r')) throw new GoTemplateError('a raw string with a carriage return is not modelled');
    return lit.slice(1, -1);
  }
  let out = '';
  const body = lit.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = body[++i];
    const simple: Record<string, string> = { 'a': '\x07', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v', '\\': '\\', '"': '"' };
    if (n in simple) out += simple[n];
    else if (n === 'u' || n === 'U' || n === 'x') {
      const len = n === 'u' ? 4 : n === 'U' ? 8 : 2;
      const hex = body.slice(i + 1, i + 1 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new GoTemplateError(`malformed escape in string ${lit}`);
      const cp = parseInt(hex, 16);
      if (n === 'x' && cp >= 0x80) throw new GoTemplateError(`the byte escape \\x${hex} in ${lit} is not modelled (not UTF-8 text)`);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new GoTemplateError(`malformed escape in string ${lit}`);
      out += String.fromCodePoint(cp);
      i += len;
    } else throw new GoTemplateError(`the escape \\${n} in ${lit} is not modelled`);
  }
  return out;
}

function lexAction(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const ident = /[\p{L}_][\p{L}\p{Nd}_]*/uy;
  while (i < src.length) {
    const c = src[i];
    if (SPACE.includes(c)) {
      while (i < src.length && SPACE.includes(src[i])) i++;
      toks.push({ t: 'space', v: ' ' });
      continue;
    }
    if (c === '|') { toks.push({ t: 'pipe', v: c }); i++; continue; }
    if (c === '(') { toks.push({ t: 'lparen', v: c }); i++; continue; }
    if (c === ')') { toks.push({ t: 'rparen', v: c }); i++; continue; }
    if (c === ',') { toks.push({ t: 'comma', v: c }); i++; continue; }
    if (src.startsWith(':=', i)) { toks.push({ t: 'declare', v: ':=' }); i += 2; continue; }
    if (c === '=') { toks.push({ t: 'assign', v: '=' }); i++; continue; }
    if (c === '"' || c === '`') {
      const re = c === '"' ? /"(?:[^"\\\n]|\\.)*"/y : /`[^`]*`/y;
      re.lastIndex = i;
      const m = re.exec(src);
      if (!m) throw new GoTemplateError(`unterminated quoted string in "{{${src}}}"`);
      toks.push({ t: 'string', v: m[0] });
      i += m[0].length;
      continue;
    }
    if (c === '\'') throw new GoTemplateError(`character constants are not modelled ("{{${src}}}")`);
    if (c === '.' || c === '$') {
      ident.lastIndex = i + 1;
      const m = ident.exec(src);
      if (c === '.' && /[0-9]/.test(src[i + 1] ?? '')) {
        // a number such as .5
      } else {
        const name = m && m.index === i + 1 ? m[0] : '';
        toks.push(c === '.' ? (name ? { t: 'field', v: name } : { t: 'dot', v: '.' }) : { t: 'var', v: `$${name}` });
        i += 1 + name.length;
        continue;
      }
    }
    const num = /[+-]?(?:0[xXbBoO][0-9a-fA-F_]*|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eEpP][+-]?[0-9_]+)?|\.[0-9_]+(?:[eE][+-]?[0-9_]+)?)i?/y;
    num.lastIndex = i;
    const nm = /[+\-0-9.]/.test(c) ? num.exec(src) : null;
    if (nm && nm[0] !== '' && nm[0] !== '+' && nm[0] !== '-') {
      toks.push({ t: 'number', v: nm[0] });
      i += nm[0].length;
      continue;
    }
    ident.lastIndex = i;
    const id = ident.exec(src);
    if (id) {
      toks.push({ t: 'ident', v: id[0] });
      i += id[0].length;
      continue;
    }
    throw new GoTemplateError(`unexpected "${c}" in "{{${src}}}"`);
  }
  return toks;
}

function parseNumber(text: string): Operand {
  if (/^[+-]?(0[0-9]|0[xXbBoO])|_|[pPi]/.test(text)) throw new GoTemplateError(`the number literal ${text} is not modelled (only decimal numbers are)`);
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new GoTemplateError(`bad number syntax: "${text}"`);
  const f = Number(text);
  const floatText = /[.eE]/.test(text);
  return { kind: 'number', value: floatText ? f : new GoInt(f), text };
}

class ActionParser {
  private i = 0;
  constructor(private readonly toks: Tok[], private readonly text: string) {}

  private peek(skipSpace = true): Tok | undefined {
    let j = this.i;
    while (skipSpace && this.toks[j]?.t === 'space') j++;
    return this.toks[j];
  }

  private next(): Tok | undefined {
    while (this.toks[this.i]?.t === 'space') this.i++;
    return this.toks[this.i++];
  }

  public done(): boolean {
    return this.peek() === undefined;
  }

  public pipeline(allowDecl: 'none' | 'one' | 'two', inParen = false): Pipeline {
    const decl: string[] = [];
    let assign = false;
    // a declaration: $x :=  or  $i, $v :=  or  $x =
    const save = this.i;
    const v1 = this.next();
    if (v1?.t === 'var') {
      const after = this.next();
      if (after?.t === 'declare' || after?.t === 'assign') {
        decl.push(v1.v);
        assign = after.t === 'assign';
      } else if (after?.t === 'comma' && allowDecl === 'two') {
        const v2 = this.next();
        const d = this.next();
        if (v2?.t !== 'var' || (d?.t !== 'declare' && d?.t !== 'assign')) throw new GoTemplateError(`bad range declaration in "{{${this.text}}}"`);
        decl.push(v1.v, v2.v);
        assign = d.t === 'assign';
      } else this.i = save;
    } else this.i = save;
    const cmds: Operand[][] = [];
    for (;;) {
      const cmd: Operand[] = [];
      for (;;) {
        const p = this.peek();
        if (!p || p.t === 'pipe' || (inParen && p.t === 'rparen')) break;
        cmd.push(this.operand());
      }
      if (cmd.length === 0) throw new GoTemplateError(`missing value for command in "{{${this.text}}}"`);
      cmds.push(cmd);
      const p = this.peek();
      if (p?.t === 'pipe') {
        this.next();
        continue;
      }
      break;
    }
    if (decl.length > 0 && !assign && allowDecl === 'none' && decl.length > 1) throw new GoTemplateError(`too many declarations in "{{${this.text}}}"`);
    return { decl, assign, cmds, text: this.text };
  }

  private operand(): Operand {
    const t = this.next()!;
    let term: Operand;
    switch (t.t) {
      case 'field': {
        const fields = [t.v];
        while (this.toks[this.i]?.t === 'field') fields.push(this.toks[this.i++].v);
        return { kind: 'field', fields };
      }
      case 'dot': term = { kind: 'dot' }; break;
      case 'var': term = { kind: 'var', name: t.v }; break;
      case 'string': term = { kind: 'string', value: unquote(t.v) }; break;
      case 'number': term = parseNumber(t.v); break;
      case 'lparen': {
        const pipe = this.pipeline('none', true);
        if (this.next()?.t !== 'rparen') throw new GoTemplateError(`unclosed left paren in "{{${this.text}}}"`);
        term = { kind: 'pipe', pipe };
        break;
      }
      case 'ident':
        if (t.v === 'true' || t.v === 'false') term = { kind: 'bool', value: t.v === 'true' };
        else if (t.v === 'nil') term = { kind: 'nil' };
        else if (KEYWORDS.has(t.v)) throw new GoTemplateError(`unexpected "${t.v}" in operand of "{{${this.text}}}"`);
        else term = { kind: 'ident', name: t.v };
        break;
      default:
        throw new GoTemplateError(`unexpected "${t.v}" in "{{${this.text}}}"`);
    }
    if (this.toks[this.i]?.t === 'field') {
      if (term.kind === 'bool' || term.kind === 'string' || term.kind === 'number' || term.kind === 'nil' || term.kind === 'ident') {
        throw new GoTemplateError(`unexpected . after term in "{{${this.text}}}"`);
      }
      const fields: string[] = [];
      while (this.toks[this.i]?.t === 'field') fields.push(this.toks[this.i++].v);
      return { kind: 'field', base: term, fields };
    }
    return term;
  }
}

interface RawAction { text: string; keyword?: string; rest: string }

function splitTemplate(template: string): (string | RawAction)[] {
  const parts: (string | RawAction)[] = [];
  let pos = 0;
  let trimNext = false;
  for (;;) {
    const open = template.indexOf('{{', pos);
    let text = template.slice(pos, open < 0 ? undefined : open);
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, '');
    if (open < 0) {
      parts.push(text);
      return parts;
    }
    let start = open + 2;
    const trimLeft = template[start] === '-' && SPACE.includes(template[start + 1] ?? '');
    if (trimLeft) {
      text = text.replace(/[ \t\r\n]+$/, '');
      start += 2;
    }
    parts.push(text);
    // a comment starts right after the delimiter (and its trim marker) and ends right before the closing one
    if (template.startsWith('/*', start)) {
      const close = template.indexOf('*/', start + 2);
      if (close < 0) throw new GoTemplateError('unclosed comment');
      let after = close + 2;
      const trimRight = SPACE.includes(template[after] ?? '') && template[after + 1] === '-' && template.startsWith('}}', after + 2);
      if (trimRight) after += 2;
      if (!template.startsWith('}}', after)) throw new GoTemplateError('comment ends before closing delimiter');
      pos = after + 2;
      trimNext = trimRight;
      continue;
    }
    // find the closing delimiter outside quoted strings
    let i = start;
    let quote = '';
    for (; i < template.length; i++) {
      const c = template[i];
      if (quote) {
        if (c === '\\' && quote === '"') i++;
        else if (c === quote) quote = '';
        else if (c === '\n' && quote === '"') throw new GoTemplateError('unterminated quoted string');
        continue;
      }
      if (c === '"' || c === '`' || c === '\'') quote = c;
      else if (template.startsWith('}}', i)) break;
    }
    if (i >= template.length) throw new GoTemplateError(`unclosed action in "${template.slice(open)}"`);
    let inner = template.slice(start, i);
    trimNext = inner.length >= 2 && SPACE.includes(inner[inner.length - 2]) && inner.endsWith('-');
    if (trimNext) inner = inner.slice(0, -2);
    const m = /^[ \t\r\n]*([A-Za-z_]\w*)(?![\w.])/.exec(inner);
    const keyword = m && KEYWORDS.has(m[1]) ? m[1] : undefined;
    parts.push({ text: inner.trim(), keyword, rest: keyword ? inner.slice(m![0].length) : inner });
    pos = i + 2;
  }
}

function parseAction(src: string, decl: 'none' | 'one' | 'two'): Pipeline {
  const p = new ActionParser(lexAction(src), src.trim());
  const pipe = p.pipeline(decl);
  if (!p.done()) throw new GoTemplateError(`unexpected token in "{{${src.trim()}}}"`);
  return pipe;
}

/** Parses a template into nodes; throws for syntax errors and for constructs that are not modelled. */
export function parseTemplate(template: string): Node[] {
  const parts = splitTemplate(template);
  let pos = 0;
  const list = (stops: string[]): { nodes: Node[]; stop?: RawAction } => {
    const nodes: Node[] = [];
    while (pos < parts.length) {
      const p = parts[pos++];
      if (typeof p === 'string') {
        if (p !== '') nodes.push({ kind: 'text', text: p });
        continue;
      }
      if (p.keyword && stops.includes(p.keyword)) return { nodes, stop: p };
      if (p.keyword === 'if' || p.keyword === 'with' || p.keyword === 'range') nodes.push(control(p.keyword, p.rest));
      else if (p.keyword) throw new GoTemplateError(p.keyword === 'end' || p.keyword === 'else' ? `unexpected {{${p.keyword}}}` : `the template action "${p.keyword}" is not modelled by the offline expansion`);
      else if (p.text === '') throw new GoTemplateError('missing value for command');
      else nodes.push({ kind: 'action', pipe: parseAction(p.rest, 'one') });
    }
    if (stops.length) throw new GoTemplateError(`unexpected EOF: the template ends before {{end}}`);
    return { nodes };
  };
  const control = (keyword: 'if' | 'with' | 'range', rest: string): Node => {
    const pipe = parseAction(rest, keyword === 'range' ? 'two' : 'one');
    const body = list(['else', 'end']);
    if (body.stop!.keyword === 'end') {
      if (body.stop!.rest.trim() !== '') throw new GoTemplateError(`unexpected "${body.stop!.rest.trim()}" in end`);
      return { kind: keyword, pipe, list: body.nodes };
    }
    const elseRest = body.stop!.rest.trim();
    const chained = /^(if|with)(?![\w.])/.exec(elseRest);
    if (chained) {
      if (keyword === 'range' || chained[1] !== keyword) throw new GoTemplateError(`{{else ${chained[1]}}} after {{${keyword}}} is not valid`);
      // `else if` / `else with` chain: one shared {{end}}
      return { kind: keyword, pipe, list: body.nodes, elseList: [control(keyword, elseRest.slice(chained[1].length))] };
    }
    if (elseRest !== '') throw new GoTemplateError(`unexpected "${elseRest}" in else`);
    const elseBody = list(['end']);
    if (elseBody.stop!.keyword !== 'end' || elseBody.stop!.rest.trim() !== '') throw new GoTemplateError('expected end after else');
    return { kind: keyword, pipe, list: body.nodes, elseList: elseBody.nodes };
  };
  return list([]).nodes;
}
