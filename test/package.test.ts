// The library as its users get it: packed with `npm pack`, installed into a brand-new synth
// project, used the way the README and the starter say. One install serves both checks (it
// is the slowest step of the test command).
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
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
  // the commands run as written; npm's settings come through its environment: use the local cache
  env.npm_config_prefer_offline = 'true';
  env.npm_config_audit = 'false';
  env.npm_config_fund = 'false';
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
function readmeBlocks(heading: string, nth = 0): Record<string, string> {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf(`## ${heading}\n`);
  const seen: Record<string, number> = {};
  expect(start, `README section "${heading}"`).toBeGreaterThan(-1);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  const blocks: Record<string, string> = {};
  for (const m of section.matchAll(/```(\w+)\n([\s\S]*?)```/g)) {
    if ((seen[m[1]] = (seen[m[1]] ?? -1) + 1) === nth) blocks[m[1]] = m[2];
  }
  return blocks;
}

/** The commands of a README sh block, one per line, `a && b` split, comments and the named commands left out. */
function commands(block: string, skip: readonly string[]): string[] {
  return block.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter((l) => l && !l.startsWith('#'))
    .flatMap((l) => l.split(/\s*&&\s*/)).filter((c) => !skip.includes(c));
}

/** What the first hour printed: per command, its folder, output and seconds. */
const replay: { cmd: string; cwd: string; out: string; seconds: number }[] = [];
let checkout: string;
let starterDir: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-gitops-platform-consumer-'));
  // A never-compiled checkout: the files Git tracks (and new ones it would), without lib/. It
  // shares this checkout's node_modules instead of running `npm ci` again (the slowest step).
  checkout = path.join(work, 'checkout');
  const tracked = run('git', ['ls-files', '-co', '--exclude-standard', '-z'], root).split('\0').filter((f) => f && fs.existsSync(path.join(root, f)));
  for (const f of tracked) {
    fs.mkdirSync(path.dirname(path.join(checkout, f)), { recursive: true });
    fs.copyFileSync(path.join(root, f), path.join(checkout, f));
  }
  expect(fs.existsSync(path.join(checkout, 'lib'))).toBe(false);
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(checkout, 'node_modules'), 'dir');
  // The README's path from a checkout, command by command, exactly as written there.
  let cwd = checkout;
  for (const cmd of commands(readmeBlocks('Start a platform repository', 1).sh, ['npm ci'])) {
    if (cmd.startsWith('cd ')) {
      cwd = path.resolve(cwd, cmd.slice(3));
      continue;
    }
    const t0 = Date.now();
    const out = run('bash', ['-c', cmd], cwd);
    replay.push({ cmd, cwd: path.relative(work, cwd) || '.', out, seconds: (Date.now() - t0) / 1000 });
  }
  starterDir = cwd;
  const [packed0] = JSON.parse(run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], checkout));
  packed = packed0;
  tarball = path.join(checkout, packed0.filename);
  console.log(`package: the first hour from a checkout (npm ci not repeated):\n${replay.map((r) => `  ${r.seconds.toFixed(1).padStart(5)} s  (${r.cwd}) ${r.cmd}`).join('\n')}`);
}, 600_000);

// the checkout, the starter's installed dependencies and the tarball: over 600 MB per run
afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the package', () => {
  it('holds the compiled library, its types and the CLI, and no sources, tests, examples or fixtures', () => {
    const files = packed.files.map((f) => f.path);
    console.log(`package: tarball ${(packed.size / 1024).toFixed(0)} KiB, unpacked ${(packed.unpackedSize / 1024).toFixed(0)} KiB, ${files.length} files`);
    // the README's figures stay within 20% of what npm pack measures
    const stated = /about (\d+) KiB packed, ([\d.]+) MB unpacked/.exec(fs.readFileSync(path.join(root, 'README.md'), 'utf8'));
    expect(stated, 'the README states the package size').not.toBeNull();
    expect(Math.abs(packed.size / 1024 / Number(stated![1]) - 1), `README: about ${stated![1]} KiB packed`).toBeLessThan(0.2);
    expect(Math.abs(packed.unpackedSize / 1024 / 1024 / Number(stated![2]) - 1), `README: ${stated![2]} MB unpacked`).toBeLessThan(0.2);
    for (const f of ['lib/index.js', 'lib/index.d.ts', 'lib/cli/main.js', 'package.json', 'README.md', 'LICENSE']) expect(files).toContain(f);
    expect(files.filter((f) => /^(src|test|examples|bench|docs|projenrc|scripts)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(own.exports['.']).toEqual({ types: './lib/index.d.ts', default: './lib/index.js' });
    expect(Object.keys(own.peerDependencies)).toEqual(expect.arrayContaining(['constructs', 'cdk8s', 'cdktf']));
  });

  it('is made by `npm pack` in a checkout that was never compiled (prepack builds lib/)', () => {
    expect(own.scripts.prepack).toBe('tsc -p tsconfig.json');
    expect(fs.existsSync(tarball)).toBe(true);
    expect(fs.existsSync(path.join(checkout, 'lib', 'index.js'))).toBe(true);
  });

  it('scaffolds a starter from the checkout that passes its own tests and synthesizes right after npm install', () => {
    const dir = starterDir;
    expect(replay.map((r) => r.cmd)).toEqual([
      'npm pack', 'node lib/cli/main.js init ../my-platform --cloud azure --library ./cdk8s-gitops-platform-0.1.0.tgz', 'npm install', 'npm test', 'npm run synth',
    ]);
    const starter = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(starter.dependencies['cdk8s-gitops-platform']).toBe('file:../checkout/cdk8s-gitops-platform-0.1.0.tgz');
    const mb = (p: string) => (du(path.join(dir, 'node_modules', p)) / 1024 / 1024).toFixed(0);
    console.log(`package: a starter's install is ${mb('')} MB in node_modules, of which @cdktf providers ${mb('@cdktf')} MB, this library ${mb('cdk8s-gitops-platform')} MB`);
    const tests = replay.find((r) => r.cmd === 'npm test')!.out;
    expect(tests.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/Tests\s+3 passed/);
    expect(fs.existsSync(path.join(dir, 'dist', 'terraform', 'mgmt', 'cdk.tf.json'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'dist', 'terraform', 'dev', 'cdk.tf.json'))).toBe(true);
    expect(fs.readdirSync(path.join(dir, 'dist', 'clusters', 'mgmt'))).toContain('argocd');
  });

  it('installs nothing whose engines refuse the oldest Node the library supports', () => {
    const min = own.engines.node.replace(/^>=\s*/, '');
    const semver = createRequire(path.join(root, 'node_modules', 'npm-placeholder.js'))('semver') as { satisfies(v: string, r: string): boolean };
    const refused: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (!e.isDirectory() || e.name.startsWith('.')) continue;
        const p = path.join(dir, e.name);
        if (e.name.startsWith('@')) { walk(p); continue; }
        const pj = path.join(p, 'package.json');
        if (fs.existsSync(pj)) {
          const j = JSON.parse(fs.readFileSync(pj, 'utf8'));
          if (j.engines?.node && !semver.satisfies(min, j.engines.node)) refused.push(`${j.name}@${j.version} (${j.engines.node})`);
        }
        if (fs.existsSync(path.join(p, 'node_modules'))) walk(path.join(p, 'node_modules'));
      }
    };
    walk(path.join(starterDir, 'node_modules'));
    expect(refused).toEqual([]);
  });

  it('prints a declaration error once, as the list of problems, without the library\'s stack, and exits non-zero', () => {
    fs.writeFileSync(path.join(starterDir, 'broken.ts'), [
      "import { Cloud, FleetCluster, ManagementCluster } from 'cdk8s-gitops-platform';",
      "import { buildPlatform } from './platform';",
      'const platform = buildPlatform();',
      "const mgmt = platform.node.findChild('mgmt') as ManagementCluster;",
      "for (const id of ['dev-2', 'dev-3']) new FleetCluster(mgmt, id, { environment: 'dev', cloud: Cloud.aks({ location: 'westeurope', kubernetesVersion: '1.33', network: { cidr: '10.20.0.0/16' } }) });",
      'platform.synth();',
      '',
    ].join('\n'));
    const r = spawnSync('npx', ['tsx', 'broken.ts'], { cwd: starterDir, env: cleanEnv(), encoding: 'utf8' });
    console.log(`package: what a declaration error prints:\n${r.stderr}`);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('PlatformValidationError: 3 problems in the platform declaration:\n  [platform/mgmt/dev-2] ');
    expect(r.stderr.split('overlaps').length - 1).toBe(3);
    expect(r.stderr).not.toContain('problems: [');
    expect(r.stderr).not.toMatch(/node_modules[\\/]cdk8s-gitops-platform/);
    expect(r.stderr).toMatch(/at .*broken\.ts:6/);
  });

  it('installs only its cloud\'s providers, loads no other, and names a missing one in the library\'s error', () => {
    const cdktf = fs.readdirSync(path.join(starterDir, 'node_modules', '@cdktf')).filter((d) => d.startsWith('provider-')).sort();
    expect(cdktf).toEqual(['provider-azurerm', 'provider-helm', 'provider-kubernetes', 'provider-time']);
    fs.writeFileSync(path.join(starterDir, 'eks.ts'), [
      "import { Cloud, FleetCluster, ManagementCluster } from 'cdk8s-gitops-platform';",
      "import { buildPlatform } from './platform';",
      'const platform = buildPlatform();',
      "new FleetCluster(platform.node.findChild('mgmt') as ManagementCluster, 'dev-aws', { environment: 'dev', cloud: Cloud.eks({ region: 'eu-west-1', kubernetesVersion: '1.33', network: { cidr: '10.30.0.0/16' } }) });",
      'platform.synth();',
      '',
    ].join('\n'));
    const r = spawnSync('npx', ['tsx', 'eks.ts'], { cwd: starterDir, env: cleanEnv(), encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`PlatformValidationError: [platform/mgmt/dev-aws] cluster "dev-aws" needs the Terraform provider package @cdktf/provider-aws (EKS clusters, AWS Secrets Manager and AWS identities), which is not installed. Allowed: the provider packages of the clouds the platform uses are optional peer dependencies, installed by the platform repository. Fix: npm install @cdktf/provider-aws@${own.peerDependencies['@cdktf/provider-aws'].replace(/^\^/, '')}.`);
    // the Azure starter's own synth loaded no AWS module: it has none, and synthesized above
  });

  it('runs the README quick start, exactly as written there, with cdk8s synth', () => {
    const blocks = readmeBlocks('Use it from your own synth project');
    // the README installs what the starter depends on, so the two never drift apart
    const installed = blocks.sh.replace(/\\\n/g, ' ').split('\n').filter((l) => l.startsWith('npm install')).flatMap((l) => l.split(/\s+/).slice(2)).filter((w) => !w.startsWith('-'));
    const starter = JSON.parse(fs.readFileSync(path.join(starterDir, 'package.json'), 'utf8'));
    expect(installed.sort()).toEqual([...Object.keys(starter.dependencies), 'cdk8s-cli', 'tsx'].sort());
    const dir = path.join(starterDir, 'readme');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), blocks.yaml);
    fs.writeFileSync(path.join(dir, 'main.ts'), blocks.ts);
    run('npx', ['cdk8s', 'synth', '--check-upgrade=false'], dir);
    const cluster = JSON.parse(fs.readFileSync(path.join(dir, 'dist', 'terraform', 'mgmt', 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(cluster.resource)).toContain('azurerm_kubernetes_cluster');
    expect(fs.readdirSync(path.join(dir, 'dist', 'clusters', 'mgmt', 'argocd'))).toContain('application-root.yaml');
  });
});
