import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManagementCluster, MANIFEST_FILE, PlatformValidationError, PlatformWriteError } from '../src';
import { writeTree, WriterFs } from '../src/synth/writer';
import { aksCloud, awsMgmt, azureMgmt, azurePlatform } from './support/fixtures';
import { readTree } from './support/tree';

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-test-'));
});
afterEach(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

const siblings = (dir: string) => fs.readdirSync(path.dirname(dir));

describe('synth() writes the GitOps repository', () => {
  it('lays out clusters/ and terraform/ and lists what it generated', () => {
    const outdir = path.join(work, 'dist');
    azureMgmt(azurePlatform({ outdir })).platform.synth();
    const tree = readTree(outdir);
    expect(Object.keys(tree).sort()).toEqual([
      MANIFEST_FILE,
      'PLATFORM.md',
      'clusters/mgmt/_cluster/clustersecretstore-platform.yaml',
      'clusters/mgmt/argocd/application-argo-cd.yaml',
      'clusters/mgmt/argocd/application-external-secrets.yaml',
      'clusters/mgmt/argocd/application-root.yaml',
      'clusters/mgmt/argocd/appproject-platform.yaml',
      'platform.json',
      'terraform/mgmt/cdk.tf.json',
    ]);
    expect(JSON.parse(tree[MANIFEST_FILE]).files).toEqual(Object.keys(tree).filter((f) => f !== MANIFEST_FILE).sort());
  });

  it('prints the first 20 warnings and how many more there are; the report and platform.warnings keep them all', () => {
    const printed = (count: number): string[] => {
      const outdir = path.join(work, `warn-${count}`);
      const { platform } = azureMgmt(azurePlatform({ outdir }), { labels: { 'security-basic': 'enabled' } });
      platform.addRule(() => Array.from({ length: count }, (_, i) => ({ path: `platform/w${i}`, message: `warning number ${i}`, severity: 'warning' as const })));
      const lines: string[] = [];
      const write = process.stderr.write;
      process.stderr.write = ((chunk: string) => {
        lines.push(String(chunk));
        return true;
      }) as typeof process.stderr.write;
      try {
        platform.synth();
      } finally {
        process.stderr.write = write;
      }
      expect(platform.warnings).toHaveLength(count);
      expect(fs.readFileSync(path.join(outdir, 'PLATFORM.md'), 'utf8').match(/warning number \d+/g)).toHaveLength(count);
      return lines;
    };
    expect(printed(20)).toEqual(Array.from({ length: 20 }, (_, i) => `warning: [platform/w${i}] warning number ${i}\n`));
    const many = printed(2000);
    expect(many).toHaveLength(21);
    expect(many.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => `warning: [platform/w${i}] warning number ${i}\n`));
    expect(many[20]).toBe('warning: [platform] 1980 more warning(s) not printed here. Fix: read every warning in PLATFORM.md (section Warnings) or platform.json, or from platform.warnings.\n');
  });

  it('is deterministic: two platforms synthesized from two working folders give the same bytes, with no absolute paths', () => {
    const a = path.join(work, 'a');
    const b = path.join(work, 'b');
    const cwd = process.cwd();
    try {
      fs.mkdirSync(path.join(work, 'elsewhere'));
      awsMgmt(undefined).platform.render(); // an unrelated render first must not change anything
      azureMgmt(azurePlatform({ outdir: a })).platform.synth();
      process.chdir(path.join(work, 'elsewhere'));
      azureMgmt(azurePlatform({ outdir: b })).platform.synth();
    } finally {
      process.chdir(cwd);
    }
    const ta = readTree(a);
    expect(readTree(b)).toEqual(ta);
    const all = Object.values(ta).join('\n');
    expect(all).not.toContain(work);
    expect(all).not.toContain(os.tmpdir());
    expect(all).not.toContain(cwd);
  });

  it('renders twice without changing anything (rendering does not mutate the model)', () => {
    const mgmt = awsMgmt();
    const first = mgmt.platform.render();
    const second = mgmt.platform.render();
    expect(second).toEqual(first);
  });

  it('removes generated files that are no longer generated and keeps files it did not generate', () => {
    const outdir = path.join(work, 'dist');
    const p1 = azurePlatform({ outdir });
    new ManagementCluster(p1, 'old', { cloud: aksCloud('10.1.0.0/16') });
    p1.synth();
    expect(fs.existsSync(path.join(outdir, 'terraform/old/cdk.tf.json'))).toBe(true);
    fs.writeFileSync(path.join(outdir, 'README.md'), 'ours\n');
    fs.mkdirSync(path.join(outdir, 'clusters/old/extra'), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'clusters/old/extra/hand-written.yaml'), 'kind: ConfigMap\n');

    azureMgmt(azurePlatform({ outdir })).platform.synth();
    const tree = readTree(outdir);
    expect(tree['README.md']).toBe('ours\n');
    expect(tree['clusters/old/extra/hand-written.yaml']).toBe('kind: ConfigMap\n');
    expect(Object.keys(tree).filter((f) => f.startsWith('terraform/'))).toEqual(['terraform/mgmt/cdk.tf.json']);
    expect(tree['clusters/old/argocd/application-root.yaml']).toBeUndefined();
    expect(siblings(outdir)).toEqual(['dist']);
  });

  it('refuses to overwrite a file it did not generate', () => {
    const outdir = path.join(work, 'dist');
    fs.mkdirSync(path.join(outdir, 'terraform/mgmt'), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'terraform/mgmt/cdk.tf.json'), '{"mine": true}');
    expect(() => azureMgmt(azurePlatform({ outdir })).platform.synth()).toThrow(
      '[platform] the output folder holds "terraform/mgmt/cdk.tf.json", which this library did not generate but would now write. Fix: move or delete that file, or rename the object that produces it.');
    expect(readTree(outdir)).toEqual({ 'terraform/mgmt/cdk.tf.json': '{"mine": true}' });
  });
});

describe('synth() is atomic', () => {
  function previousOutput(): { outdir: string; before: Record<string, string> } {
    const outdir = path.join(work, 'dist');
    azureMgmt(azurePlatform({ outdir })).platform.synth();
    fs.writeFileSync(path.join(outdir, 'notes.txt'), 'keep me\n');
    return { outdir, before: readTree(outdir) };
  }

  it('leaves the previous output as it was when the declaration is invalid', () => {
    const { outdir, before } = previousOutput();
    const platform = azurePlatform({ outdir });
    new ManagementCluster(platform, 'a', { cloud: aksCloud('10.0.0.0/16') });
    new ManagementCluster(platform, 'b', { cloud: aksCloud('10.0.0.0/16') });
    expect(() => platform.synth()).toThrow(PlatformValidationError);
    expect(readTree(outdir)).toEqual(before);
    expect(siblings(outdir)).toEqual(['dist']);
  });

  for (const failAt of ['writeFileSync', 'renameSync', 'mkdirSync'] as const) {
    it(`leaves the previous output as it was and no temporary folder when ${failAt} fails mid-write`, () => {
      const { outdir, before } = previousOutput();
      let calls = 0;
      const failing: WriterFs = {
        mkdtempSync: (p) => fs.mkdtempSync(p),
        mkdirSync: (p, o) => {
          if (failAt === 'mkdirSync' && ++calls === 2) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
          return fs.mkdirSync(p, o);
        },
        writeFileSync: (p, d) => {
          if (failAt === 'writeFileSync' && ++calls === 2) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
          fs.writeFileSync(p, d);
        },
        renameSync: (f, t) => {
          // the swap into place fails (e.g. the folder is locked); the first rename (old output aside) works
          if (failAt === 'renameSync' && ++calls === 2) throw Object.assign(new Error('EBUSY: resource busy or locked'), { code: 'EBUSY' });
          fs.renameSync(f, t);
        },
        rmSync: (p, o) => fs.rmSync(p, o),
        unlinkSync: (p) => fs.unlinkSync(p),
        rmdirSync: (p) => fs.rmdirSync(p),
      };
      const files = azureMgmt(azurePlatform({ outdir })).platform.render();
      files.set('clusters/mgmt/extra.yaml', 'new: true\n');
      let error: unknown;
      try {
        writeTree(outdir, files, failing);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PlatformWriteError);
      expect((error as Error).message).toMatch(/^writing the platform to ".*dist" failed: E[A-Z]+: .*\. The previous output is unchanged\. Fix: free space or permissions on that folder, then synth again\.$/);
      expect(readTree(outdir)).toEqual(before);
      expect(siblings(outdir)).toEqual(['dist']);
    });
  }

  it('refuses an output folder that is the working folder or one of its parents', () => {
    const platform = azurePlatform({ outdir: '.' });
    azureMgmt(platform);
    expect(() => platform.synth()).toThrow('[platform] outdir: got ".". Allowed: a folder that is not the file system root, the current folder or one of its parents.');
    expect(() => writeTree('..', new Map())).toThrow('outdir: got ".."');
    expect(() => writeTree('/', new Map())).toThrow('outdir: got "/"');
  });

  it('writes to CDK8S_OUTDIR when no outdir is given (how cdk8s synth passes it)', () => {
    const outdir = path.join(work, 'from-env');
    const previous = process.env.CDK8S_OUTDIR;
    process.env.CDK8S_OUTDIR = outdir;
    try {
      azureMgmt().platform.synth();
    } finally {
      if (previous === undefined) delete process.env.CDK8S_OUTDIR;
      else process.env.CDK8S_OUTDIR = previous;
    }
    expect(fs.existsSync(path.join(outdir, 'terraform/mgmt/cdk.tf.json'))).toBe(true);
  });
});
