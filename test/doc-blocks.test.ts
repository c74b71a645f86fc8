import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { docBlocks, isSubset, program, textPattern } from './support/doc-blocks';

describe('the docs test\'s reading of Markdown', () => {
  it('finds fenced blocks, indented ones too, with the directive written above them', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'doc-')), 'a.md');
    fs.writeFileSync(file, [
      '# A', '', '<!-- test: setup', 'const x = 1;', '-->', '```ts', 'x;', '```', '',
      '1. a list item:', '', '   <!-- test: skip shown for the reader -->', '   ```', '   indented', '   ```', '',
      '```yaml', 'kind: A', '```', '', '```', 'plain', '```', '',
    ].join('\n'));
    expect(docBlocks(file).map((b) => [b.line, b.lang, b.kind, b.args, b.body, b.code])).toEqual([
      [6, 'ts', 'setup', '', 'const x = 1;', 'x;\n'],
      [13, '', 'skip', 'shown for the reader', '', 'indented\n'],
      [17, 'yaml', 'subset', '', '', 'kind: A\n'],
      [21, '', 'unchecked', '', '', 'plain\n'],
    ]);
  });

  it('compares a block with what is rendered: a subset, in order, "..." for the rest of a string', () => {
    const rendered = { kind: 'A', spec: { list: [{ a: 1, b: 2 }, { a: 3 }], text: 'one two three' } };
    expect(isSubset({ spec: { list: [{ a: 3 }], text: 'one ...' } }, rendered)).toBe(true);
    const why: string[] = [];
    expect(isSubset({ spec: { list: [{ a: 3 }, { a: 1 }] } }, rendered, '', why)).toBe(false);
    expect(why[0]).toContain('spec.list[1]');
    expect(isSubset({ spec: { text: 'one three' } }, rendered)).toBe(false);
    expect('[p] a   message\n  on two lines. Fix: do it.').toMatch(textPattern('[p] a message on two lines. Fix: ...'));
    expect('[p] another message').not.toMatch(textPattern('[p] a message'));
  });

  it('makes one program of snippets, imports merged and pointed at the library', () => {
    const text = program(["import { A } from 'cdk8s-gitops-platform';\nnew A();", "import { B, A } from 'cdk8s-gitops-platform';\nimport { C } from 'cdk8s';\nB; C;"], '../src');
    expect(text).toBe("import { A, B } from '../src';\nimport { C } from 'cdk8s';\n\nexport function run(): unknown {\n\nnew A();\n\n\nB; C;\n  return platform;\n}\n");
  });
});
