import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { messages } from '../src/core/errors';

// Every user-facing message has one home, the messages module (`messages` in src/core/errors.ts,
// its groups in src/core/messages/), so they all keep one format (path, value, allowed, fix).
// This test reads src/ with the TypeScript parser and lists each message written inline
// elsewhere: the argument of `new <X>Error(...)` and of `fail(path, ...)`, a `message:` property
// (a Problem, a policy finding), and any `badValue(...)` call, when it holds literal text outside
// a `messages.<name>(...)` call.

const SRC = path.resolve(__dirname, '..', 'src');
/** The messages module: `messages` in core/errors.ts, its groups and format helpers in core/messages/. */
const isMessagesModule = (file: string) => file === 'core/errors.ts' || file.startsWith('core/messages/');

/**
 * Files whose inline messages have not moved yet, with the reason; shrink this list as they move
 * (a folder ends with "/"). An entry that no longer holds an inline message fails the test, so
 * the list never keeps a stale entry.
 */
const NOT_YET_MOVED: Readonly<Record<string, string>> = {
  // not construct messages
  'testing/': 'the offline expansion\'s errors, worded as Argo CD words them',
};

const PROP_NAMES = new Set(['message']);

function isMessagesCall(node: ts.Node): boolean {
  if (!ts.isCallExpression(node)) return false;
  let e: ts.Expression = node.expression;
  while (ts.isPropertyAccessExpression(e)) e = e.expression;
  return ts.isIdentifier(e) && e.text === 'messages';
}

/** Literal text (a string or template part with a letter) in an expression, outside `messages.*(...)` calls and `typeof` tests. */
function inlineText(node: ts.Node): string | undefined {
  if (isMessagesCall(node)) return undefined;
  if (ts.isBinaryExpression(node) && (ts.isTypeOfExpression(node.left) || ts.isTypeOfExpression(node.right))) return undefined;
  if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && /[A-Za-z]/.test(node.text)) return node.text;
  if (ts.isTemplateExpression(node)) {
    const parts = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)];
    if (parts.some((p) => /[A-Za-z]/.test(p))) return parts.join('${...}');
  }
  let found: string | undefined;
  node.forEachChild((c) => {
    found ??= inlineText(c);
  });
  return found;
}

/** The inline messages of one source file, as `<file>:<line>: <text>`. */
function inlineMessages(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const report = (node: ts.Node, what: ts.Node | undefined) => {
    const t = what && inlineText(what);
    const line = t && `${file}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${t.slice(0, 80)}`;
    // one line per message (`fail(path, badValue(...))` is one message, seen twice)
    if (line && !out.includes(line)) out.push(line);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text.endsWith('Error') && !ts.isArrayLiteralExpression(node.arguments?.[0] ?? node)) {
      report(node, node.arguments?.[0]);
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'fail') {
      report(node, node.arguments[1]);
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'badValue') {
      report(node, node);
    } else if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && PROP_NAMES.has(node.name.text)) {
      report(node, node.initializer);
    }
    node.forEachChild(visit);
  };
  visit(sf);
  return out;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  }).sort();
}

const rel = (p: string) => path.relative(SRC, p).split(path.sep).join('/');
const allowed = (file: string) => Object.keys(NOT_YET_MOVED).find((k) => (k.endsWith('/') ? file.startsWith(k) : file === k));

describe('messages: one home for every user-facing message', () => {
  it('finds inline messages in each form it checks (the checker itself)', () => {
    const sample = [
      'throw new Error(`bad ${x}. Fix: do it.`);',
      'throw new PlatformValidationError([{ path, message: \'bad value\' }]);',
      'fail(path, badValue(\'prop\', v, \'a string\', \'set it\'));',
      'const f = { rule, file, message: `${rule} got ${x}` };',
      'reject(new ChartRenderError(\'helm not found\', \'helm\'));',
      // none of these is an inline message
      'throw new PlatformValidationError(problems);',
      'fail(path, messages.requiredString(\'name\', v));',
      'const p = { path, message: messages.policy.secretWithData(RULE, file, name) };',
      'const q = { message: typeof m === \'string\' ? m : m.text };',
      'throw new ExpansionError(e.message.split(\'\\n\')[0]);',
    ].join('\n');
    expect(inlineMessages('sample.ts', sample).map((l) => l.replace(/: .*$/, ''))).toEqual(['sample.ts:1', 'sample.ts:2', 'sample.ts:3', 'sample.ts:4', 'sample.ts:5']);
  });

  it('has no message written inline in src/ outside the messages module, but in the files listed as not moved yet', () => {
    const found = new Map<string, string[]>();
    for (const p of sourceFiles(SRC)) {
      const file = rel(p);
      if (isMessagesModule(file)) continue;
      const lines = inlineMessages(file, fs.readFileSync(p, 'utf8'));
      if (lines.length > 0) found.set(file, lines);
    }
    const outside = [...found.entries()].filter(([f]) => !allowed(f)).flatMap(([, lines]) => lines);
    expect(outside, 'inline messages: move them into `messages` (src/core/errors.ts, its groups in src/core/messages/)').toEqual([]);
    const stale = Object.keys(NOT_YET_MOVED).filter((k) => ![...found.keys()].some((f) => allowed(f) === k));
    expect(stale, 'entries of NOT_YET_MOVED without an inline message any more: remove them').toEqual([]);
    const counts = Object.keys(NOT_YET_MOVED).map((k) => `${k} ${[...found.entries()].filter(([f]) => allowed(f) === k).reduce((n, [, l]) => n + l.length, 0)}`);
    console.log(`inline messages not moved yet: ${counts.join(', ')}`);
  });

  it('builds every message with its fix, but for the parts, wrappers and internal errors it lists', () => {
    // builders whose text is not a whole message ending in "Fix: <how>.", with the reason
    const NO_FIX: Readonly<Record<string, string>> = {
      'helmFailed': 'helm\'s own error, passed on',
      'chartPullEmpty': 'helm pull exited 0 without an archive: helm\'s fault, not a setting to fix',
      'renderedYamlInvalid': 'the chart\'s output does not parse: the chart\'s fault',
      'inApplication': 'a prefix naming the Application of a message that has its fix',
      'globPattern': 'an AppProject glob Argo CD would not compile; the pattern matches nothing, as in Argo CD',
      'policy.wildcardSource': 'a part of policy.wildcardProject',
      'policy.wildcardDestination': 'a part of policy.wildcardProject',
      'catalog.deprecated': 'the entry\'s own deprecation text, which says what to move to',
      'catalog.templateAction': 'caught by the caller, which reports it with templateDelimiters',
      'catalog.lostFragmentMarker': 'the action catalog.templateAction names',
      'output.permissionsNotChecked': 'a warning that the AppProject check was skipped, with the reason why',
      'output.lockTakenOver': 'a reason output.writeFailed wraps, with its fix',
      'service.pinMissingFix': 'the fix service.pinNotFound states for a pin a service reads',
      'cli.noGitRepository': 'a note that check skipped a comparison (the output is in no Git repository), not a problem',
    };
    const builders: [string, (...args: unknown[]) => unknown][] = [];
    const walk = (o: object, at: string) => {
      for (const [k, v] of Object.entries(o)) {
        if (typeof v === 'function') builders.push([`${at}${k}`, v as (...args: unknown[]) => unknown]);
        else if (typeof v === 'object' && v !== null) walk(v, `${at}${k}.`);
        else expect(typeof v, `messages.${at}${k}: a text part (a table of words another builder joins)`).toBe('string');
      }
    };
    walk(messages, '');
    expect(builders.length).toBeGreaterThan(150);
    // each builder called with placeholders: a one-item list stands for a string or a list, else a string, else a number
    const built = (f: (...args: unknown[]) => unknown) => {
      for (const arg of [['value'], 'value', 1]) {
        try {
          return f(...Array<unknown>(f.length).fill(arg));
        } catch { /* try the next placeholder */ }
      }
      throw new Error('no placeholder builds it');
    };
    const wrong = builders.flatMap(([name, f]) => {
      const text = built(f);
      if (typeof text !== 'string') return [`${name}: not a string`];
      if (name.startsWith('internal.')) return /^internal\b/.test(text) ? [] : [`${name}: an internal error not saying so: ${text}`];
      if (name in NO_FIX) return /Fix: /.test(text) ? [`${name}: has a fix now; remove it from NO_FIX`] : [];
      return /Fix: \S.*\.$/s.test(text) ? [] : [`${name}: no "Fix: <how>." at the end: ${text}`];
    });
    expect(wrong).toEqual([]);
    expect(Object.keys(NO_FIX).filter((k) => !builders.some(([name]) => name === k)), 'entries of NO_FIX that are no builder').toEqual([]);
  });
});
