// The fenced code blocks of the Markdown documents, with the test directive written in an
// HTML comment right above a block (invisible when the document is read):
//
//   <!-- test: setup            (ts code that runs before each program of the document: fixtures) -->
//   <!-- test: continue         this ts block runs in the same program as the previous one -->
//   <!-- test: object <file>    this yaml block is a subset of the rendered file's object -->
//   <!-- test: terraform <cluster>  this json excerpt is a subset of that cluster's state -->
//   <!-- test: error            (ts code) it throws the library's error whose message is the block -->
//   <!-- test: warning [with-setup]  (ts code) its render warns with the block (one warning) -->
//   <!-- test: files            every path of the block is rendered -->
//   <!-- test: sh               (optional JSON: files to create) the block's commands run in a fresh folder -->
//   <!-- test: sh examples/<name> [charts]   ... in a copy of that example synth project, its output
//                                 synthesized first; `charts`: charts/ and HELM_BIN are the upstream
//                                 chart sources and the real helm (skipped, and said, without them) -->
//   <!-- test: output           the block is what the previous sh block printed -->
//   <!-- test: skip <reason>    not checked, and why -->
//
// Without a directive, a ts block is a program of its own and a yaml block is a subset of the
// rendered object with the same kind and name; any other block must carry a directive.
import * as fs from 'node:fs';

/** One fenced block. */
export interface DocBlock {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  readonly code: string;
  /** The directive's kind (`run` or `subset` by default). */
  readonly kind: string;
  /** The words after the kind. */
  readonly args: string;
  /** The directive's body (the lines after its first). */
  readonly body: string;
}

/** Parses a Markdown file into its fenced blocks and their directives. */
export function docBlocks(file: string): DocBlock[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const out: DocBlock[] = [];
  let pending: { kind: string; args: string; body: string } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const comment = /^\s*<!-- test: (\S+)\s*(.*?)(\s*-->)?$/.exec(l);
    if (comment) {
      const body: string[] = [];
      let end = comment[3] ? i : -1;
      if (!comment[3]) {
        for (let j = i + 1; j < lines.length; j++) {
          if (lines[j].trim() === '-->') { end = j; break; }
          body.push(lines[j].trim());
        }
      }
      pending = { kind: comment[1], args: comment[2], body: body.join('\n') };
      i = end;
      continue;
    }
    // fences may be indented (inside a list item); the indentation is not part of the block
    const fence = /^(\s*)```(\w*)\s*$/.exec(l);
    if (fence) {
      const start = i;
      const code: string[] = [];
      const indent = fence[1].length;
      for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]); i++) code.push(lines[i].slice(Math.min(indent, lines[i].length - lines[i].trimStart().length)));
      const lang = fence[2];
      const kind = pending?.kind ?? (lang === 'ts' ? 'run' : lang === 'yaml' ? 'subset' : 'unchecked');
      out.push({ file, line: start + 1, lang, code: code.join('\n') + '\n', kind, args: pending?.args ?? '', body: pending?.body ?? '' });
      pending = undefined;
      continue;
    }
    if (l.trim() !== '' && pending) pending = undefined;
  }
  return out;
}

/** True when `actual` holds everything of `expected` (maps by key, arrays element by element, `...` strings match any rest). */
export function isSubset(expected: unknown, actual: unknown, at = '', why: string[] = []): boolean {
  if (typeof expected === 'string' && typeof actual === 'string' && expected.includes('...')) {
    const re = new RegExp(`^${expected.split('...').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*')}$`);
    if (!re.test(actual)) why.push(`${at}: ${JSON.stringify(actual)} does not match ${JSON.stringify(expected)}`);
    return why.length === 0;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) { why.push(`${at}: not a list`); return false; }
    // each expected element is a subset of a distinct actual element, in order
    let k = 0;
    for (const [i, e] of expected.entries()) {
      while (k < actual.length && !isSubset(e, actual[k], `${at}[${i}]`, [])) k++;
      if (k === actual.length) { why.push(`${at}[${i}]: ${JSON.stringify(e)} not found in ${JSON.stringify(actual).slice(0, 400)}`); return false; }
      k++;
    }
    return true;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) { why.push(`${at}: not a map (${JSON.stringify(actual)?.slice(0, 200)})`); return false; }
    for (const [k, v] of Object.entries(expected)) {
      if (k === '...') continue;
      if (!isSubset(v, (actual as Record<string, unknown>)[k], at ? `${at}.${k}` : k, why)) return false;
    }
    return true;
  }
  if (expected !== actual) why.push(`${at}: ${JSON.stringify(actual)} is not ${JSON.stringify(expected)}`);
  return why.length === 0;
}

/** A pattern for printed text: whitespace runs match any whitespace, `...` matches anything. */
export function textPattern(text: string): RegExp {
  const parts = text.trim().split('...').map((p) => p.split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'));
  return new RegExp(`^\\s*${parts.join('[\\s\\S]*?')}\\s*$`);
}

/**
 * One program from TypeScript snippets: their imports hoisted and merged (the package name
 * resolved to the library's sources), the rest in a function that returns `platform`.
 */
export function program(snippets: readonly string[], library: string): string {
  const named = new Map<string, Set<string>>();
  const body: string[] = [];
  for (const s of snippets) {
    const text = s.replace(/^import\s*\{([^}]*)\}\s*from\s*'([^']+)';\s*$/gm, (_m, names: string, mod: string) => {
      const set = named.get(mod) ?? new Set<string>();
      for (const n of names.split(',').map((x) => x.trim()).filter(Boolean)) set.add(n);
      named.set(mod, set);
      return '';
    });
    body.push(text);
  }
  const imports = [...named].map(([mod, names]) => `import { ${[...names].sort().join(', ')} } from '${mod === 'cdk8s-gitops-platform' ? library : mod}';`);
  return `${imports.join('\n')}\n\nexport function run(): unknown {\n${body.join('\n')}\n  return platform;\n}\n`;
}
