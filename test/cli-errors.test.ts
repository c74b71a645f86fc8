import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli';

// The command line answers bad input with one line on stderr naming the path and the fix:
// never a parser's multi-line error, a TypeError or an errno stack.

const platformJson = { schemaVersion: 1, generator: 'test', repository: { url: 'https://github.com/acme/platform-gitops.git', revision: 'main', path: 'dist' }, domain: 'platform.acme.dev', environments: ['dev', 'prod'], secretStore: { kind: 'vault' }, clusters: [{ name: 'mgmt', role: 'management', labels: {}, annotations: {} }], catalog: [], applicationSets: [], matrix: {}, warnings: [] };

function output(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-errors-'));
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

/** Exactly one line on stderr, starting with "error: " and holding "Fix: ". */
function oneLine(r: { code: number; err: string }): string {
  expect(r.code).toBe(1);
  expect(r.err.endsWith('\n')).toBe(true);
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(/^error: .*Fix: /);
  return r.err;
}

describe('command-line errors are one line with the fix', () => {
  it('a file where a folder is expected (ENOTDIR)', async () => {
    const dir = output({ 'plain.txt': 'not a folder\n' });
    expect(oneLine(await runCli(['explain', 'mgmt', '--output', 'plain.txt'], dir)))
      .toBe(`error: "plain.txt": a file stands where a folder is expected (${path.join(dir, 'plain.txt')}). Fix: pass a folder, or move the file out of the way.\n`);
    expect(oneLine(await runCli(['diff', '--base', 'plain.txt', '--head', 'plain.txt'], dir))).toMatch(/^error: "plain\.txt": a file stands where a folder is expected/);
  });

  it('a corrupt or empty platform.json', async () => {
    const corrupt = output({ 'platform.json': '{"schemaVersion": 1, "clusters": [' });
    expect(oneLine(await runCli(['explain', 'mgmt', '--output', '.'], corrupt))).toMatch(/^error: platform\.json is not valid JSON \(.*\)\. Fix: synthesize the platform again \(npx cdk8s synth\) so the library rewrites it\.\n$/);
    const empty = output({ 'platform.json': '' });
    expect(oneLine(await runCli(['explain', 'mgmt', '--output', '.'], empty))).toBe('error: platform.json is empty. Fix: synthesize the platform again (npx cdk8s synth) so the library rewrites it.\n');
    const hollow = output({ 'platform.json': '{}' });
    expect(oneLine(await runCli(['explain', 'mgmt', '--output', '.'], hollow)))
      .toBe('error: platform.json has no valid "environments" list: it is not a platform report this version wrote. Fix: synthesize the platform again (npx cdk8s synth) so the library rewrites it.\n');
  });

  it('an invalid Application YAML', async () => {
    const dir = output({ 'platform.json': JSON.stringify(platformJson), 'clusters/mgmt/argocd/application-x.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: x\nspec: [\n' });
    expect(oneLine(await runCli(['explain', 'mgmt', '--output', '.'], dir)))
      .toMatch(/^error: clusters\/mgmt\/argocd\/application-x\.yaml is not valid YAML \([^\n]*\)\. Fix: synthesize the output again, or correct the file by hand\.\n$/);
  });

  it('init onto an existing file (EEXIST), and a starter path blocked by a file', async () => {
    const dir = output({ 'taken': 'a file\n', 'repo/.github': 'a file where the workflows folder goes\n' });
    expect(oneLine(await runCli(['init', 'taken', '--cloud', 'azure'], dir))).toBe('error: init: "taken" is a file, not a folder. Fix: pass a new or empty folder, e.g. "platform-gitops".\n');
    expect(oneLine(await runCli(['init', 'repo', '--cloud', 'azure'], dir))).toMatch(/^error: "repo": .*\.github.* Fix: /);
  });

  it('render and preview: a file where a folder is expected, a missing folder, a corrupt platform.json, an invalid Application', async () => {
    const dir = output({
      'plain.txt': 'not a folder\n',
      'corrupt/platform.json': '{"schemaVersion": 1, "clusters": [',
      'badyaml/platform.json': JSON.stringify(platformJson),
      'badyaml/clusters/mgmt/argocd/application-x.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: x\nspec: [\n',
    });
    const notFolder = `error: "plain.txt": a file stands where a folder is expected (${path.join(dir, 'plain.txt')}). Fix: pass a folder, or move the file out of the way.\n`;
    const corrupt = /^error: corrupt\/platform\.json is not valid JSON \(.*\)\. Fix: synthesize the platform again \(npx cdk8s synth\) so the library rewrites it\.\n$/;
    const badYaml = /^error: badyaml\/clusters\/mgmt\/argocd\/application-x\.yaml is not valid YAML \([^\n]*\)\. Fix: synthesize the output again, or correct the file by hand\.\n$/;
    expect(oneLine(await runCli(['render', '--from', 'plain.txt'], dir))).toBe(notFolder);
    expect(oneLine(await runCli(['render', '--from', 'missing'], dir))).toBe('error: "missing" does not exist. Fix: synthesize first, or pass --from <the folder the synth wrote>.\n');
    expect(oneLine(await runCli(['render', '--from', 'corrupt'], dir))).toMatch(corrupt);
    expect(oneLine(await runCli(['render', '--from', 'badyaml'], dir))).toMatch(badYaml);
    expect(oneLine(await runCli(['preview', '--base', 'plain.txt', '--head', 'plain.txt'], dir))).toBe(notFolder);
    expect(oneLine(await runCli(['preview', '--base', 'missing', '--head', 'corrupt'], dir))).toBe('error: "missing" does not exist. Fix: pass the folder the synth wrote (e.g. dist).\n');
    expect(oneLine(await runCli(['preview', '--base', 'corrupt', '--head', 'corrupt'], dir))).toMatch(corrupt);
    expect(oneLine(await runCli(['preview', '--base', 'badyaml', '--head', 'badyaml'], dir))).toMatch(badYaml);
  });

  it('render never deletes an --out that it did not write: a file, the working folder, a folder of other files', async () => {
    const dir = output({ 'platform.json': JSON.stringify(platformJson), 'keep.txt': 'mine\n', 'mine/notes.md': '# notes\n', 'old/mgmt/root.yaml': '# Source: an earlier render\nkind: X\n' });
    expect(oneLine(await runCli(['render', '--from', '.', '--out', 'keep.txt'], dir)))
      .toBe('error: --out "keep.txt" is not a folder; render replaces its --out folder. Fix: pass a new folder (e.g. rendered), or remove that one first.\n');
    expect(oneLine(await runCli(['render', '--from', '.', '--out', '.'], dir)))
      .toBe('error: --out "." holds "keep.txt", which render did not write; render replaces its --out folder. Fix: pass a new folder (e.g. rendered), or remove that one first.\n');
    expect(oneLine(await runCli(['render', '--from', '.', '--out', 'mine'], dir)))
      .toBe('error: --out "mine" holds "notes.md", which render did not write; render replaces its --out folder. Fix: pass a new folder (e.g. rendered), or remove that one first.\n');
    expect(fs.readFileSync(path.join(dir, 'keep.txt'), 'utf8')).toBe('mine\n');
    expect(fs.readFileSync(path.join(dir, 'mine', 'notes.md'), 'utf8')).toBe('# notes\n');
    // a folder an earlier render wrote is replaced (the render itself then has nothing to render here)
    const r = await runCli(['render', '--from', '.', '--out', 'old'], dir);
    expect(r.err).not.toMatch(/--out/);
  });
});
