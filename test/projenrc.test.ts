import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProject } from '../projenrc/project';

const ROOT = path.resolve(__dirname, '..');

describe('.projenrc.ts is the single source of the generated project files', () => {
  it('every file projen generates matches what .projenrc.ts produces now (run `npx projen` after editing it)', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'projen-drift-'));
    const before = process.env.PROJEN_DISABLE_POST;
    process.env.PROJEN_DISABLE_POST = 'true';
    try {
      buildProject(out).synth();
      const generated: string[] = JSON.parse(fs.readFileSync(path.join(out, '.projen/files.json'), 'utf8')).files;
      expect(generated).toContain('tsconfig.json');
      const drift = [...generated, 'package.json'].filter((f) => {
        const committed = path.join(ROOT, f);
        return !fs.existsSync(committed) || fs.readFileSync(committed, 'utf8') !== fs.readFileSync(path.join(out, f), 'utf8');
      });
      expect(drift).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.PROJEN_DISABLE_POST;
      else process.env.PROJEN_DISABLE_POST = before;
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('pins every dependency to an exact version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const loose = Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }).filter(([, v]) => !/^\d+\.\d+\.\d+$/.test(String(v)));
    expect(loose).toEqual([]);
    expect(Object.keys(pkg.peerDependencies)).toEqual(expect.arrayContaining(['constructs', 'cdk8s', 'cdktf']));
  });
});
