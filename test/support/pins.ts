import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** A throw-away repository root holding the given files (objects are written as JSON). */
export function pinsRepo(pins: Record<string, unknown>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'pins-'));
  for (const [file, content] of Object.entries(pins)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n');
  }
  return root;
}
