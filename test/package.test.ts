// The library as its users get it: packed with `npm pack`, installed into a brand-new synth
// project, used the way the README and the starter say. One install serves both checks (it
// is the slowest step of the test command).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const own = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
let work: string;
let tarball: string;
let packed: { size: number; unpackedSize: number; files: { path: string }[] };

/** A child process's environment without this test run's own settings. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (k.startsWith('VITEST') || k.startsWith('npm_lifecycle') || k.startsWith('npm_package') || k === 'CDK8S_OUTDIR' || k === 'NODE_ENV' || k === 'INIT_CWD') delete env[k];
  }
  env.NO_COLOR = '1';
  delete env.FORCE_COLOR;
  return env;
}

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, env: cleanEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
  }
}

/** Bytes under a folder (files only, links not followed). */
function du(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += du(p);
    else if (e.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

/** The fenced blocks of one README section, by language. */
function readmeBlocks(heading: string): Record<string, string> {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf(`## ${heading}\n`);
  expect(start, `README section "${heading}"`).toBeGreaterThan(-1);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  const blocks: Record<string, string> = {};
  for (const m of section.matchAll(/```(\w+)\n([\s\S]*?)```/g)) blocks[m[1]] ??= m[2];
  return blocks;
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-gitops-platform-consumer-'));
  run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], root);
  const [info] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], root));
  packed = info;
  tarball = path.join(work, info.filename);
  // the starter, scaffolded by the CLI that was just built, with the packed library instead of the registry's
  run(process.execPath, [path.join(root, 'lib', 'cli', 'main.js'), 'init', 'platform', '--cloud', 'azure'], work);
  const pkgFile = path.join(work, 'platform', 'package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
  pkg.dependencies['cdk8s-gitops-platform'] = `file:${tarball}`;
  fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2) + '\n');
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], path.join(work, 'platform'));
}, 600_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the package', () => {
  it('holds the compiled library, its types and the CLI, and no sources, tests, examples or fixtures', () => {
    const files = packed.files.map((f) => f.path);
    console.log(`package: tarball ${(packed.size / 1024).toFixed(0)} KiB, unpacked ${(packed.unpackedSize / 1024).toFixed(0)} KiB, ${files.length} files`);
    for (const f of ['lib/index.js', 'lib/index.d.ts', 'lib/cli/main.js', 'package.json', 'README.md', 'LICENSE']) expect(files).toContain(f);
    expect(files.filter((f) => /^(src|test|examples|bench|docs|projenrc|scripts)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(own.exports['.']).toEqual({ types: './lib/index.d.ts', default: './lib/index.js' });
    expect(Object.keys(own.peerDependencies)).toEqual(expect.arrayContaining(['constructs', 'cdk8s', 'cdktf']));
  });

  it('scaffolds a starter that passes its own tests and synthesizes right after npm install', () => {
    const dir = path.join(work, 'platform');
    const mb = (p: string) => (du(path.join(dir, 'node_modules', p)) / 1024 / 1024).toFixed(0);
    console.log(`package: a starter's install is ${mb('')} MB in node_modules, of which @cdktf providers ${mb('@cdktf')} MB, this library ${mb('cdk8s-gitops-platform')} MB`);
    const tests = run('npm', ['test'], dir);
    expect(tests.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/Tests\s+3 passed/);
    run('npx', ['cdk8s', 'synth', '--check-upgrade=false'], dir);
    expect(fs.existsSync(path.join(dir, 'dist', 'terraform', 'mgmt', 'cdk.tf.json'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'dist', 'terraform', 'dev', 'cdk.tf.json'))).toBe(true);
    expect(fs.readdirSync(path.join(dir, 'dist', 'clusters', 'mgmt'))).toContain('argocd');
  });

  it('runs the README quick start, exactly as written there, with cdk8s synth', () => {
    const blocks = readmeBlocks('Use it from your own synth project');
    // the README installs what the starter depends on, so the two never drift apart
    const installed = blocks.sh.replace(/\\\n/g, ' ').split('\n').filter((l) => l.startsWith('npm install')).flatMap((l) => l.split(/\s+/).slice(2)).filter((w) => !w.startsWith('-'));
    const starter = JSON.parse(fs.readFileSync(path.join(work, 'platform', 'package.json'), 'utf8'));
    expect(installed.sort()).toEqual([...Object.keys(starter.dependencies), 'cdk8s-cli', 'tsx'].sort());
    const dir = path.join(work, 'platform', 'readme');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), blocks.yaml);
    fs.writeFileSync(path.join(dir, 'main.ts'), blocks.ts);
    run('npx', ['cdk8s', 'synth', '--check-upgrade=false'], dir);
    const cluster = JSON.parse(fs.readFileSync(path.join(dir, 'dist', 'terraform', 'mgmt', 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(cluster.resource)).toContain('azurerm_kubernetes_cluster');
    expect(fs.readdirSync(path.join(dir, 'dist', 'clusters', 'mgmt', 'argocd'))).toContain('application-root.yaml');
  });
});
