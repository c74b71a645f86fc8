import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Everything observable in a folder: each file's content and modification time, each
 * folder (empty ones too) and each link's target (never followed).
 */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const p = path.join(dir, r);
      if (e.isSymbolicLink()) out[r] = `link -> ${fs.readlinkSync(p)}`;
      else if (e.isDirectory()) {
        out[`${r}/`] = 'folder';
        walk(r);
      } else if (e.isFile()) out[r] = `${fs.statSync(p).mtimeMs} ${fs.readFileSync(p, 'utf8')}`;
      else out[r] = 'special';
    }
  };
  walk('');
  return out;
}
