/**
 * A small evaluator for the Go template features this library emits in
 * ApplicationSets (`goTemplate: true`, `missingkey=error`): field paths
 * (`.name`, `.values.version`), `index .metadata.labels "key"`, `if`/`end`,
 * `range (splitList "," X)` with `.` inside, the `quote` and `b64enc` pipes, and `{{-`/`-}}`
 * whitespace trimming. Anything else is an error, never a silent wrong answer.
 */

/** Thrown for template syntax this evaluator does not support, or a missing key. */
export class GoTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoTemplateError';
  }
}

type Data = unknown;

interface Token { kind: 'text' | 'action'; value: string; trimLeft: boolean; trimRight: boolean }

function tokenize(template: string): Token[] {
  const tokens: Token[] = [];
  const re = /\{\{(-?)\s*([\s\S]*?)\s*(-?)\}\}/g;
  let last = 0;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    tokens.push({ kind: 'text', value: template.slice(last, m.index), trimLeft: false, trimRight: false });
    tokens.push({ kind: 'action', value: m[2], trimLeft: m[1] === '-', trimRight: m[3] === '-' });
    last = re.lastIndex;
  }
  tokens.push({ kind: 'text', value: template.slice(last), trimLeft: false, trimRight: false });
  // apply trimming to neighbouring text
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'action') continue;
    if (t.trimLeft && i > 0) tokens[i - 1].value = tokens[i - 1].value.replace(/\s+$/, '');
    if (t.trimRight && i + 1 < tokens.length) tokens[i + 1].value = tokens[i + 1].value.replace(/^\s+/, '');
  }
  return tokens;
}

function lookup(data: Data, path: string): unknown {
  if (path === '.') return data;
  let cur: unknown = data;
  for (const part of path.slice(1).split('.')) {
    if (cur === null || typeof cur !== 'object' || !(part in (cur as object))) {
      throw new GoTemplateError(`map has no entry for key "${part}" (in ${path}): missingkey=error`);
    }
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function evalExpr(expr: string, data: Data, dot: Data): unknown {
  const e = expr.trim();
  const pipe = splitTop(e, '|');
  if (pipe.length > 1) {
    let v = evalExpr(pipe[0], data, dot);
    for (const fn of pipe.slice(1).map((p) => p.trim())) {
      if (fn === 'quote') v = JSON.stringify(String(v ?? ''));
      else if (fn === 'b64enc') v = Buffer.from(String(v ?? ''), 'utf8').toString('base64');
      else throw new GoTemplateError(`unsupported template function "${fn}"`);
    }
    return v;
  }
  if (e.startsWith('(') && e.endsWith(')')) return evalExpr(e.slice(1, -1), data, dot);
  if (e === '.') return dot;
  if (/^\.[\w.]+$/.test(e)) return lookup(dot, e);
  if (/^"([^"\\]|\\.)*"$/.test(e)) return JSON.parse(e);
  const args = splitArgs(e);
  if (args[0] === 'index' && args.length === 3) {
    const m = evalExpr(args[1], data, dot) as Record<string, unknown>;
    const k = evalExpr(args[2], data, dot) as string;
    if (m === null || typeof m !== 'object' || !(k in m)) throw new GoTemplateError(`map has no entry for key "${k}" (index ${args[1]}): missingkey=error`);
    return m[k];
  }
  if (args[0] === 'splitList' && args.length === 3) {
    const sep = evalExpr(args[1], data, dot) as string;
    const s = String(evalExpr(args[2], data, dot) ?? '');
    return s === '' ? [] : s.split(sep);
  }
  throw new GoTemplateError(`unsupported template expression "${e}"`);
}

function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (const ch of s) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && ch === '(') depth++;
    if (!quoted && ch === ')') depth--;
    if (!quoted && depth === 0 && ch === sep) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function splitArgs(s: string): string[] {
  return splitTop(s.replace(/\s+/g, ' '), ' ').filter((x) => x !== '');
}

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === 'object') return Object.keys(v).length > 0;
  return v !== '' && v !== 0 && v !== false && v !== null && v !== undefined;
}

/** Renders a template string with `data` (the generator's parameters). */
export function renderGoTemplate(template: string, data: Data): string {
  const tokens = tokenize(template);
  let pos = 0;
  const block = (dot: Data, stopAt: string[], skip = false): { out: string; stop: string } => {
    let out = '';
    while (pos < tokens.length) {
      const t = tokens[pos++];
      if (t.kind === 'text') {
        out += t.value;
        continue;
      }
      const a = t.value;
      if (stopAt.includes(a)) return { out, stop: a };
      if (skip) {
        // a branch that does not run: only its nesting matters
        if (a.startsWith('if ') || a.startsWith('range ')) block(dot, ['end'], true);
        continue;
      }
      if (a.startsWith('if ')) {
        const cond = truthy(evalExpr(a.slice(3), data, dot));
        const inner = block(dot, ['end'], !cond);
        if (cond) out += inner.out;
        continue;
      }
      if (a.startsWith('range ')) {
        const list = evalExpr(a.slice(6), data, dot);
        if (!Array.isArray(list)) throw new GoTemplateError(`range over a non-list in "${a}"`);
        const start = pos;
        let body = '';
        if (list.length === 0) {
          block(dot, ['end'], true);
        } else {
          for (const item of list) {
            pos = start;
            body += block(item, ['end']).out;
          }
        }
        out += body;
        continue;
      }
      if (a === 'end' || a.startsWith('else') || a.startsWith('with ') || a.startsWith('define') || a.startsWith('template')) {
        throw new GoTemplateError(`unsupported or unbalanced template action "{{ ${a} }}"`);
      }
      const v = evalExpr(a, data, dot);
      out += typeof v === 'string' ? v : JSON.stringify(v);
    }
    if (stopAt.length) throw new GoTemplateError(`template ends before "{{ ${stopAt.join(' | ')} }}"`);
    return { out, stop: '' };
  };
  return block(data, []).out;
}

/** Renders every string of a structure (the ApplicationSet `template`), keys untouched. */
export function renderGoTemplateDeep<T>(value: T, data: Data): T {
  if (typeof value === 'string') return renderGoTemplate(value, data) as unknown as T;
  if (Array.isArray(value)) return value.map((v) => renderGoTemplateDeep(v, data)) as unknown as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderGoTemplateDeep(v, data)])) as T;
  }
  return value;
}
