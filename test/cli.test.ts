import { execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessApp, runCli } from './support/cli';
import { docBlocks, textPattern } from './support/doc-blocks';
import type { AppRunner } from '../src/cli/project';

/** The block of docs/cli.md whose first line starts so. */
function documented(start: string): { at: string; code: string } {
  const file = path.resolve(__dirname, '..', 'docs', 'cli.md');
  const found = docBlocks(file).filter((b) => b.code.startsWith(start));
  expect(found.length, `docs/cli.md has one block starting "${start}"`).toBe(1);
  return { at: `docs/cli.md:${found[0].line}`, code: found[0].code };
}

describe('command line', () => {
  it('prints its usage with --help and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: cdk8s-gitops-platform');
  });

  it('rejects an unknown command with a non-zero exit and a hint', async () => {
    const r = await runCli(['no-such-command']);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('run with --help for usage');
  });
});

describe('check, diff and explain on an example project', () => {
  // a temporary copy of examples/aws: its own output folder, and a version we can change
  const root = path.resolve(__dirname, '..');
  let work: string;
  let project: string;
  const synth = (outdir: string) => execSync('npx tsx main.ts', { cwd: project, env: { ...process.env, CDK8S_OUTDIR: outdir }, stdio: 'pipe' });

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-e2e-'));
    project = path.join(work, 'aws');
    fs.cpSync(path.join(root, 'examples/aws'), project, { recursive: true, filter: (src) => !src.includes(`${path.sep}dist`) });
    const main = path.join(project, 'main.ts');
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace("'../../src'", JSON.stringify(path.join(root, 'src'))));
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(work, 'node_modules'));
    synth('dist');
  });

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  // the command in a shell, as users run it
  it('check passes when the committed output matches a fresh synth', async () => {
    const r = await runCli(['check', '--dir', 'aws'], work);
    expect(r.err).toBe('');
    // (the temporary copy is in no Git repository)
    expect(r.out).toMatch(/^aws\/dist is up to date: \d+ generated files match a fresh synth\.\n\(no Git repository above "aws": whether aws\/dist is repository\.path "dist" was not checked\)\n$/);
    expect(r.code).toBe(0);
  });

  it('explain says what a cluster runs and which selector and value files apply', async () => {
    const r = await runCli(['explain', 'staging'], project);
    expect(r.code).toBe(0);
    expect(r.out).toContain('cluster staging: fleet, environment staging, aws eu-west-1; registered in the Argo CD of mgmt');
    expect(r.out).toContain('  staging-kyverno: kyverno ');
    expect(r.out).toContain('    why: ApplicationSet kyverno (clusters/mgmt/argocd/applicationset-kyverno.yaml), generator 1 selects ');
    expect(r.out).toContain('    value files: catalog/kyverno/values.yaml');
    const bad = await runCli(['explain', 'nope'], project);
    expect(bad.code).toBe(1);
    expect(bad.err).toBe('error: no cluster named "nope". Allowed: mgmt, dev, staging, prod, prod-azure, vc-team-a, vc-team-b, vc-team-a-staging, vc-team-a-prod. Fix: use one of these names.\n');
  });

  it('check fails, listing the files, and diff shows the new version per cluster, after a version changes', async () => {
    const main = path.join(project, 'main.ts');
    // a synthetic pin, only in this temporary copy
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace("versions: { dev: 'v1.21.1' }", "versions: { dev: 'v1.21.2' }"));
    // the changed main.ts runs in this process (the test above runs the command in a shell)
    const app = await inProcessApp(project);
    const check = await runCli(['check'], project, app);
    expect(check.code).toBe(1);
    expect(check.out).toBe([
      'dist differs from a fresh synth in 3 file(s):',
      '  changed  PLATFORM.md',
      '  changed  clusters/mgmt/argocd/applicationset-cert-manager.yaml',
      '  changed  platform.json',
      '(no Git repository above ".": whether dist is repository.path "dist" was not checked)',
      '',
    ].join('\n'));
    expect(check.err).toBe('error: the committed output is stale or was edited by hand. Fix: run "npx tsx main.ts" in "." and commit dist.\n');
    // docs/cli.md shows these outputs of this change
    const stale = documented('dist differs from a fresh synth');
    expect(check.out + check.err, stale.at).toMatch(textPattern(stale.code));
    const text = await runCli(['diff'], project, app);
    expect(text).toMatchObject({ code: 0, err: '' });
    const shown = documented('cluster dev: Applications');
    expect(text.out, shown.at).toMatch(textPattern(shown.code));
    const diff = await runCli(['diff', '--format', 'markdown'], project, app);
    expect(diff.code).toBe(0);
    expect(diff.out).toBe([
      '## Platform diff',
      '',
      '### Cluster `dev`',
      '',
      '| | Application | change |',
      '|---|---|---|',
      '| changed | `dev-cert-manager` | version v1.21.1 -> v1.21.2 |',
      '',
    ].join('\n'));
    const markdown = documented('## Platform diff');
    expect(diff.out, markdown.at).toMatch(textPattern(markdown.code));
  });
});

describe('check compares the output folder with repository.path in its Git repository', () => {
  /** A project in `root`/`sub` with cdk8s.yaml output `output`, committed as a synth of an app whose platform.json says `repository.path`. */
  const project = (sub: string, output: string, repositoryPath: string, git: boolean) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-repo-path-'));
    if (git) fs.mkdirSync(path.join(root, '.git'));
    const dir = path.join(root, sub);
    const platformJson = JSON.stringify({ environments: ['dev'], clusters: [], repository: { url: 'https://github.com/acme/platform-gitops.git', revision: 'main', path: repositoryPath } });
    const app: AppRunner = (_p, outdir) => {
      fs.mkdirSync(outdir, { recursive: true });
      fs.writeFileSync(path.join(outdir, 'platform.json'), platformJson);
    };
    fs.mkdirSync(dir, { recursive: true });
    fs.mkdirSync(path.join(dir, output), { recursive: true });
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), `app: npx tsx main.ts\noutput: ${output}\n`);
    app({ dir: '.', absDir: dir, app: '', output }, path.join(dir, output));
    return { root, dir, app };
  };
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

  it('fails when the output folder is not repository.path, naming both and the fix', async () => {
    const { root, dir, app } = project('.', 'gitops', 'dist', true);
    roots.push(root);
    const r = await runCli(['check'], dir, app);
    expect(r).toMatchObject({ code: 1, out: '' });
    expect(r.err).toBe('error: the output folder gitops is "gitops" in its Git repository, but repository.path in platform.json is "dist": the root Application syncs "dist", where this output is not. '
      + 'Fix: set repository.path to "gitops" in the Platform\'s props, or output: dist in cdk8s.yaml (and commit that folder).\n');
    const shown = documented('error: the output folder gitops');
    expect(r.err, shown.at).toMatch(textPattern(shown.code));
    // a project in a folder of the repository: the path from the repository's root
    const nested = project('platform', 'dist', 'dist', true);
    roots.push(nested.root);
    const n = await runCli(['check', '--dir', 'platform'], nested.root, nested.app);
    expect(n.err).toBe('error: the output folder platform/dist is "platform/dist" in its Git repository, but repository.path in platform.json is "dist": the root Application syncs "dist", where this output is not. '
      + 'Fix: set repository.path to "platform/dist" in the Platform\'s props, or output: ../dist in cdk8s.yaml (and commit that folder).\n');
  });

  it('compares in the output\'s own Git repository when it is another than the code\'s (output: ../gitops/dist)', async () => {
    const { root, dir, app } = project('code', '../gitops/dist', 'dist', true);
    roots.push(root);
    // the code and the GitOps repository, each a Git repository of its own
    fs.mkdirSync(path.join(root, 'code', '.git'));
    fs.mkdirSync(path.join(root, 'gitops', '.git'));
    expect(await runCli(['check'], dir, app)).toEqual({ code: 0, out: '../gitops/dist is up to date: 1 generated files match a fresh synth.\n', err: '' });
  });

  it('passes when they agree, and says it did not compare them outside Git', async () => {
    const same = project('platform', 'gitops', 'platform/gitops', true);
    roots.push(same.root);
    expect(await runCli(['check'], same.dir, same.app)).toEqual({ code: 0, out: 'gitops is up to date: 1 generated files match a fresh synth.\n', err: '' });
    const none = project('.', 'gitops', 'dist', false);
    roots.push(none.root);
    expect(await runCli(['check'], none.dir, none.app)).toEqual({
      code: 0, out: 'gitops is up to date: 1 generated files match a fresh synth.\n(no Git repository above ".": whether gitops is repository.path "dist" was not checked)\n', err: '',
    });
  });
});

describe('command-line errors are one line with the fix', () => {
  it('check without a cdk8s.yaml', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-empty-'));
    try {
      const r = await runCli(['check'], empty);
      expect(r.code).toBe(1);
      expect(r.err).toBe('error: no cdk8s.yaml in ".". Fix: run the command in your synth project\'s folder, or pass --dir <folder>.\n');
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('check when the app command fails, leaving no temporary folder behind', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-failing-'));
    // a temporary folder of this test's own (other test files run check at the same time in the shared one)
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-failing-tmp-'));
    const tmpdir = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'app: node fail.js\n');
      fs.writeFileSync(path.join(dir, 'fail.js'), 'console.error("Error: boom"); process.exit(3);\n');
      const r = await runCli(['check'], dir);
      expect(r.code).toBe(1);
      expect(r.err).toBe('error: the app command "node fail.js" failed (exit 3): Error: boom. Fix: run "node fail.js" in "." to see the whole error.\n');
      expect(fs.readdirSync(tmp)).toEqual([]);
    } finally {
      if (tmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpdir;
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
