import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../src';

// The layout of src/catalog/ (issue 14): one built-in entry per file, every message in the
// messages module, and files small enough to read.
const CATALOG = path.join(__dirname, '..', 'src', 'catalog');
const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
  .flatMap((d) => (d.isDirectory() ? files(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : []));
const STACKS = ['coreBasic', 'securityBasic', 'monitoringBasic', 'monitoringMedium', 'storageBasic'];

describe('the layout of src/catalog/', () => {
  it('has one file per built-in entry in entries/, each defining the function its Catalog method calls', () => {
    const helpers = Object.getOwnPropertyNames(Catalog).filter((n) => typeof (Catalog as any)[n] === 'function' && !STACKS.includes(n));
    expect(helpers).toHaveLength(19);
    const entryFiles = files(path.join(CATALOG, 'entries')).filter((f) => !f.endsWith('common.ts'));
    expect(entryFiles).toHaveLength(helpers.length);
    const defined = entryFiles.map((f) => /^export function (\w+)\(scope: Construct/m.exec(readFileSync(f, 'utf8'))?.[1]);
    expect(defined.sort()).toEqual([...helpers].sort());
    const facade = readFileSync(path.join(CATALOG, 'catalog.ts'), 'utf8');
    for (const h of helpers) expect(facade).toContain(`return ${h}(scope`);
  });

  it('writes no message inline: badValue, Problem messages and fail() texts come from messages.catalog', () => {
    const inline: string[] = [];
    for (const f of files(CATALOG)) {
      readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
        if (/\bbadValue\(|message: [`'"]|\bfail\([^,]+, [`'"]|deprecation: [`'"]/.test(line)) inline.push(`${path.relative(CATALOG, f)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(inline).toEqual([]);
  });

  it('keeps every file at 350 lines or fewer', () => {
    const long = files(CATALOG).map((f) => [path.relative(CATALOG, f), readFileSync(f, 'utf8').split('\n').length - 1] as const).filter(([, n]) => n > 350);
    expect(long).toEqual([]);
  });
});
