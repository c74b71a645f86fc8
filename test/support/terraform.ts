// Real Terraform on rendered states: `terraform init -backend=false` with a local
// filesystem mirror of hashicorp/aws, then `terraform validate`. Only the aws provider is
// available offline, so every state is checked twice, in one Terraform run for all states:
// - "full": the aws provider blocks and aws resources/data as rendered (their arguments are
//   checked against the provider schema), every other block turned into a local;
// - "provider-less": every resource and data block turned into a local.
// A block turned into a local keeps its body (so JSON structure, expression syntax and function
// names are checked); references to it become an input variable of unknown value, declared
// only for blocks that exist (so a reference to an undeclared block is an error).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The terraform CLI's version, or undefined when there is none on the PATH. */
export function terraformVersion(): string | undefined {
  const r = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  return (JSON.parse(r.stdout) as { terraform_version: string }).terraform_version;
}

/** A filesystem mirror holding hashicorp/aws: its root and the provider version in it. */
export interface AwsMirror {
  readonly dir: string;
  readonly version: string;
}

const platformDir = `${os.platform()}_${os.arch() === 'x64' ? 'amd64' : os.arch()}`;

function mirrorIn(root: string): AwsMirror | undefined {
  let hosts: string[];
  try {
    hosts = fs.readdirSync(root);
  } catch {
    return undefined;
  }
  for (const host of hosts) {
    const aws = path.join(root, host, 'hashicorp', 'aws');
    if (!fs.existsSync(aws)) continue;
    const versions = fs.readdirSync(aws).filter((v) => fs.existsSync(path.join(aws, v, platformDir))).sort(compareVersions);
    if (versions.length) return { dir: root, version: versions[versions.length - 1] };
  }
  return undefined;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/**
 * Finds a mirror in Terraform's layout `<host>/hashicorp/aws/<version>/<os_arch>/`:
 * `TF_PLUGIN_DIR`, Terraform's implied local mirror directories, then one level below `/opt`.
 */
export function findAwsMirror(): AwsMirror | undefined {
  const home = os.homedir();
  const roots = [
    process.env.TF_PLUGIN_DIR,
    path.join(home, '.terraform.d', 'plugins'),
    path.join(home, '.local', 'share', 'terraform', 'plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
  ].filter((r): r is string => !!r);
  for (const r of roots) {
    const m = mirrorIn(r);
    if (m) return m;
  }
  let opt: string[] = [];
  try {
    opt = fs.readdirSync('/opt').sort();
  } catch {
    // no /opt
  }
  for (const d of opt) {
    const m = mirrorIn(path.join('/opt', d));
    if (m) return m;
  }
  return undefined;
}

type Json = any;
const REF = /(^|[^\w.-])(data\.)?((?:aws|azurerm|helm|kubernetes|time|vault)_[a-z0-9_]+)\.([A-Za-z_][\w-]*)/g;

const BUILTIN = 'terraform_remote_state';
const varName = (data: boolean, type: string, name: string) => `${data ? 'd' : 'r'}__${type}__${name}`;

/** A state prepared for one check: the module's JSON and what it kept. */
interface Prepared {
  readonly json: Json;
  readonly vars: string[];
  readonly kept: number;
}

/** Turns blocks of the state into locals; `keep` says which resource types stay real. */
function prepare(state: Json, keep: (type: string) => boolean): Prepared {
  const declared = new Set<string>();
  const removed = new Set<string>();
  for (const [kind, isData] of [['resource', false], ['data', true]] as const) {
    for (const [type, blocks] of Object.entries(state[kind] ?? {})) {
      for (const name of Object.keys(blocks as object)) {
        declared.add(`${isData ? 'data.' : ''}${type}.${name}`);
        if (!keep(type)) removed.add(varName(isData, type, name));
      }
    }
  }
  const rewrite = (v: Json): Json => {
    if (typeof v === 'string') {
      if (!v.includes('${')) return v;
      return v.replace(REF, (m, pre: string, data: string | undefined, type: string, name: string) =>
        (keep(type) ? m : `${pre}var.${varName(!!data, type, name)}`));
    }
    if (Array.isArray(v)) return v.map(rewrite);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rewrite(x)]));
    return v;
  };
  const dependsOnRefs = (body: Json): Json => {
    if (!Array.isArray(body.depends_on)) return body;
    // a local's depends_on becomes references, so a dependency on an undeclared block fails
    return { ...body, depends_on: body.depends_on.map((d: string) => rewrite(`\${${d}}`)) };
  };
  const out: Json = { locals: {} };
  let kept = 0;
  for (const [kind, isData] of [['resource', false], ['data', true]] as const) {
    for (const [type, blocks] of Object.entries(state[kind] ?? {})) {
      for (const [name, body] of Object.entries(blocks as Record<string, Json>)) {
        if (keep(type)) {
          if (type !== BUILTIN) kept++;
          const b = rewrite(body);
          if (Array.isArray(b.depends_on)) {
            const missing = b.depends_on.filter((d: string) => !declared.has(d));
            // a kept block depending on an undeclared one: keep it, Terraform reports it
            b.depends_on = b.depends_on.filter((d: string) => missing.includes(d) || keep(d.replace(/^data\./, '').split('.')[0]));
          }
          ((out[kind] ??= {})[type] ??= {})[name] = b;
        } else {
          out.locals[`body__${varName(isData, type, name)}`] = rewrite(dependsOnRefs(body));
        }
      }
    }
  }
  const providers = Object.fromEntries(Object.entries(state.provider ?? {}).filter(([p]) => keep(`${p}_`)));
  if (Object.keys(providers).length) out.provider = providers;
  if (kept) out.terraform = { required_providers: { aws: { source: 'hashicorp/aws' } } };
  if (state.output) out.output = rewrite(state.output);
  if (state.locals) Object.assign(out.locals, rewrite(state.locals));
  const vars = [...removed].sort();
  if (vars.length) out.variable = Object.fromEntries(vars.map((v) => [v, {}]));
  return { json: out, vars, kept };
}

/** One rendered state to check. */
export interface StateToCheck {
  /** e.g. `examples/azure/prod-us`. */
  readonly label: string;
  /** The parsed `cdk.tf.json`. */
  readonly state: Json;
}

/** The outcome for one state. */
export interface StateResult {
  readonly label: string;
  /** aws resource and data blocks validated against the provider schema (0 without a mirror). */
  readonly awsBlocks: number;
  /** Error diagnostics of the full check (aws blocks real). */
  readonly fullErrors: string[];
  /** Error diagnostics of the provider-less check. */
  readonly providerlessErrors: string[];
  /** The aws version constraint the state pins, if any. */
  readonly awsPin?: string;
}

/** Runs the terraform CLI in `cwd`, offline (no CLI configuration, no checkpoint). */
export function runTerraform(cwd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('terraform', args, {
    cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: os.devNull },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function describe(d: Json): string {
  const where = d.range ? `${d.range.filename}:${d.range.start.line}` : '';
  const code = d.snippet?.code ? ` | ${String(d.snippet.code).trim().slice(0, 300)}` : '';
  return `${d.summary}: ${d.detail ?? ''} (${where})${code}`;
}

const CACHE = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'cdk8s-gitops-platform', 'terraform-validate');

/** Every file of a folder (relative path and content), sorted by path. */
function filesOf(dir: string, rel = ''): [string, string][] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1)).flatMap((e) => {
    const f = path.posix.join(rel, e.name);
    return e.isDirectory() ? filesOf(dir, f) : [[f, fs.readFileSync(path.join(dir, f), 'utf8')] as [string, string]];
  });
}

/**
 * `terraform init` and `terraform validate -json` in `root`: its output. Terraform runs once
 * per distinct input: the output is kept in node_modules/.cache under a hash of every file of
 * the root, the terraform version and the mirror's provider, and an identical later run reads
 * it from there (a fresh clone, as in CI, runs Terraform; delete the folder to run it again).
 */
function cachedValidate(root: string, mirror: AwsMirror | undefined): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ terraform: terraformVersion(), mirror: mirror ? `${mirror.dir} ${mirror.version}` : null, files: filesOf(root) }));
  const file = path.join(CACHE, `${hash.digest('hex')}.json`);
  if (fs.existsSync(file)) {
    console.log(`terraform validate: the same configuration as an earlier run: its result read from ${path.relative(path.join(__dirname, '..', '..'), file)}`);
    return fs.readFileSync(file, 'utf8');
  }
  const init = runTerraform(root, ['init', '-backend=false', '-input=false', '-no-color', ...(mirror ? [`-plugin-dir=${mirror.dir}`] : [])]);
  if (init.status !== 0) throw new Error(`terraform init failed:\n${init.stderr}${init.stdout}`);
  const v = runTerraform(root, ['validate', '-json', '-no-color']);
  JSON.parse(v.stdout); // only a complete report is kept
  fs.mkdirSync(CACHE, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, v.stdout);
  fs.renameSync(tmp, file);
  return v.stdout;
}

/**
 * Checks every state in one Terraform root (one module per state and check), so the aws
 * provider is started once: one `init` (the mirror's binary is linked, not copied) and one
 * `validate`. Diagnostics are attributed to their state by file name.
 */
export function validateStates(states: StateToCheck[], mirror: AwsMirror | undefined): StateResult[] {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-validate-'));
  try {
    const modules: Json = {};
    const owner = new Map<string, { label: string; full: boolean }>();
    const kept = new Map<string, number>();
    states.forEach((s, i) => {
      for (const full of mirror ? [true, false] : [false]) {
        // terraform_remote_state is built into Terraform: real in both checks
        const p = prepare(s.state, full ? (t) => t.startsWith('aws_') || t === BUILTIN : (t) => t === BUILTIN);
        if (full && p.kept === 0 && !s.state.provider?.aws) continue;
        const dir = `${full ? 'full' : 'bare'}-${i}`;
        fs.mkdirSync(path.join(root, dir));
        fs.writeFileSync(path.join(root, dir, 'main.tf.json'), JSON.stringify(p.json, null, 2));
        modules[dir] = { source: `./${dir}`, ...Object.fromEntries(p.vars.map((v) => [v, '${var.unknown}'])) };
        owner.set(dir, { label: s.label, full });
        if (full) kept.set(s.label, p.kept);
      }
    });
    const rootJson: Json = { variable: { unknown: {} }, module: modules };
    if (mirror) rootJson.terraform = { required_providers: { aws: { source: 'hashicorp/aws', version: mirror.version } } };
    fs.writeFileSync(path.join(root, 'main.tf.json'), JSON.stringify(rootJson, null, 2));
    const report = JSON.parse(cachedValidate(root, mirror)) as { diagnostics: Json[] };
    const errors = new Map<string, string[]>();
    for (const d of report.diagnostics.filter((x) => x.severity === 'error')) {
      const file: string = d.range?.filename ?? '';
      const context: string = d.snippet?.context ?? '';
      const dir = file.split('/')[0].startsWith('full-') || file.split('/')[0].startsWith('bare-') ? file.split('/')[0] : /module\.([\w-]+)/.exec(context)?.[1] ?? '';
      const key = owner.has(dir) ? dir : 'root';
      (errors.get(key) ?? errors.set(key, []).get(key)!).push(describe(d));
    }
    const rootErrors = errors.get('root') ?? [];
    return states.map((s, i) => ({
      label: s.label,
      awsBlocks: kept.get(s.label) ?? 0,
      fullErrors: [...(errors.get(`full-${i}`) ?? []), ...rootErrors],
      providerlessErrors: errors.get(`bare-${i}`) ?? [],
      awsPin: s.state.terraform?.required_providers?.aws?.version,
    }));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
