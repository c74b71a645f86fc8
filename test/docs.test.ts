// Every code block of docs/ is checked as written: TypeScript compiled (one tsc run for all) and
// run against the library, its YAML and JSON compared with what the library renders, error
// messages with what it throws, commands run with the command line and their printed output
// compared. The directives are HTML comments above the blocks (see support/doc-blocks.ts).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { expand, Platform, PlatformValidationError, Testing } from '../src';
import { parsePin } from '../src/service/pin-file';
import { inProcessApp, runCli } from './support/cli';
import { AppRunner } from '../src/cli/project';
import { HAS_CHARTS, HAS_HELM_LAYER, helmBinary, preparedCharts } from './support/helm';
import { DocBlock, docBlocks, isSubset, program, textPattern } from './support/doc-blocks';

const root = path.resolve(__dirname, '..');
const docsDir = path.join(root, 'docs');
const genDir = path.join(root, '.vitest', 'docs');
const docs = fs.readdirSync(docsDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).sort();

interface Program { readonly id: string; readonly snippets: string[]; readonly expectError?: string; readonly block: DocBlock }
const counts: Record<string, number> = {};
const skipped: string[] = [];
let outdir: string;

/** The programs of one document, in order, and which block each check belongs to. */
function plan(doc: string): { programs: Program[]; steps: { block: DocBlock; program?: Program }[] } {
  const blocks = docBlocks(path.join(docsDir, doc));
  const programs: Program[] = [];
  const steps: { block: DocBlock; program?: Program }[] = [];
  let setup = '';
  const id = (b: DocBlock) => `${doc.replace(/[/.]/g, '-')}-${b.line}`;
  for (const b of blocks) {
    if (b.kind === 'setup') setup = b.body;
    if (b.kind === 'run' || b.kind === 'setup') {
      const p = { id: id(b), snippets: [setup, b.code], block: b };
      programs.push(p);
      steps.push({ block: b, program: p });
    } else if (b.kind === 'continue') {
      const last = programs[programs.length - 1];
      last.snippets.push(b.code);
      steps.push({ block: b });
    } else if (b.kind === 'error' || b.kind === 'warning') {
      const p = { id: id(b), snippets: b.args === 'with-setup' ? [setup, b.body] : [b.body], expectError: b.code, block: b };
      programs.push(p);
      steps.push({ block: b, program: p });
    } else {
      steps.push({ block: b });
    }
  }
  return { programs, steps };
}

const plans = new Map(docs.map((d) => [d, plan(d)]));

beforeAll(() => {
  fs.rmSync(genDir, { recursive: true, force: true });
  fs.mkdirSync(genDir, { recursive: true });
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-synth-'));
  const files: string[] = [];
  for (const { programs } of plans.values()) {
    for (const p of programs) {
      const file = path.join(genDir, `${p.id}.ts`);
      fs.writeFileSync(file, program(p.snippets, '../../src'));
      files.push(file);
    }
  }
  // compiled as written: strict, against the library's own declarations. Incremental: tsc keeps
  // what it checked (by content hash) in node_modules/.cache and checks again only the programs
  // and the library files that changed since the last run; errors are reported every run.
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const buildInfo = path.join(root, 'node_modules', '.cache', 'cdk8s-gitops-platform', 'docs.tsbuildinfo');
  try {
    execFileSync(process.execPath, [tsc, '--noEmit', '--incremental', '--tsBuildInfoFile', buildInfo, '--strict', '--skipLibCheck', '--esModuleInterop', '--target', 'ES2022', '--module', 'commonjs',
      '--moduleResolution', 'node', '--types', 'node', ...files], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    const out = (e as { stdout?: string }).stdout ?? String(e);
    throw new Error(`the docs' TypeScript blocks do not compile:\n${out}`);
  }
  console.log(`docs: ${files.length} programs from ${docs.length} documents compiled`);
}, 120_000);

afterAll(() => {
  console.log(`docs: blocks checked by kind: ${Object.entries(counts).sort().map(([k, n]) => `${k} ${n}`).join(', ')}; skipped ${skipped.length}${skipped.length ? `:\n  ${skipped.join('\n  ')}` : ''}`);
  fs.rmSync(outdir, { recursive: true, force: true });
});

const examples = new Map<string, { dir: string; app: AppRunner }>();
/**
 * A temporary copy of an example synth project (`sh examples/<name>`), the library resolved to
 * its sources, with its output synthesized once as the committed output the commands read, and
 * its app run in this process for the commands that synthesize (check, diff, preview): the
 * blocks check the docs, test/cli.test.ts runs the app command in a shell.
 */
async function exampleProject(name: string): Promise<{ dir: string; app: AppRunner }> {
  const known = examples.get(name);
  if (known) return known;
  expect(fs.existsSync(path.join(root, name, 'cdk8s.yaml')), `${name} is an example synth project`).toBe(true);
  const work = fs.mkdtempSync(path.join(outdir, 'example-'));
  const dir = path.join(work, path.basename(name));
  fs.cpSync(path.join(root, name), dir, { recursive: true, filter: (src) => !path.relative(path.join(root, name), src).split(path.sep).includes('dist') });
  const main = path.join(dir, 'main.ts');
  fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace("'../../src'", JSON.stringify(path.join(root, 'src'))));
  // the project's node_modules is the checkout's: `render` finds its chart cache there (the one
  // the render tests fill), as a project's own commands find the project's
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const app = await inProcessApp(dir);
  app({ dir: '.', absDir: dir, app: 'npx tsx main.ts', output: 'dist' }, 'dist');
  examples.set(name, { dir, app });
  return { dir, app };
}

/** Runs a generated program with synth writing into a temporary folder. */
async function runProgram(p: Program): Promise<unknown> {
  const mod = await import(path.join(genDir, `${p.id}.ts`)) as { run(): unknown };
  const previous = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = path.join(outdir, p.id, 'dist');
  // each program runs in a fresh folder: the repository root pin files are read from
  const cwd = process.cwd();
  fs.mkdirSync(path.join(outdir, p.id), { recursive: true });
  process.chdir(path.join(outdir, p.id));
  // what a program prints is kept out of the test's output
  const log = console.log;
  console.log = () => undefined;
  try {
    return mod.run();
  } finally {
    console.log = log;
    process.chdir(cwd);
    if (previous === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = previous;
  }
}

function where(b: DocBlock): string {
  return `${path.relative(root, b.file)}:${b.line}`;
}

function objectsOf(files: Map<string, string>): { file: string; obj: Record<string, any> }[] {
  return [...files].filter(([f]) => f.endsWith('.yaml')).flatMap(([file, text]) => {
    try {
      const obj = parse(text);
      return obj && typeof obj === 'object' ? [{ file, obj }] : [];
    } catch {
      return [];
    }
  });
}

describe.each(docs)('%s', (doc) => {
  it('every code block runs, compiles or matches what the library renders, as written', async () => {
    const { steps } = plans.get(doc)!;
    let rendered: Map<string, string> | undefined;
    let platform: Platform | undefined;
    let printed: string | undefined = '';
    for (const { block: b, program: p } of steps) {
      counts[b.kind] = (counts[b.kind] ?? 0) + 1;
      const at = where(b);
      switch (b.kind) {
        case 'setup':
        case 'run': {
          platform = await runProgram(p!) as Platform;
          expect(platform, `${at}: the program's platform`).toBeInstanceOf(Platform);
          rendered = Testing.render(platform).files;
          break;
        }
        case 'continue':
          // the previous program ran with this block included
          break;
        case 'error': {
          let thrown: unknown;
          try {
            await runProgram(p!);
          } catch (e) {
            thrown = e;
          }
          expect(thrown, `${at}: throws the library's error`).toBeInstanceOf(PlatformValidationError);
          expect((thrown as Error).message, at).toMatch(textPattern(b.code));
          break;
        }
        case 'warning': {
          const warned = await runProgram(p!) as Platform;
          expect(warned, `${at}: the program's platform`).toBeInstanceOf(Platform);
          warned.render();
          const texts = warned.warnings.map((w) => `[${w.path}] ${w.message}`);
          expect(texts.some((t) => textPattern(b.code).test(t)), `${at}: the block is one of the warnings ${JSON.stringify(texts)}`).toBe(true);
          break;
        }
        case 'subset':
        case 'object': {
          expect(rendered, `${at}: a program ran before this block`).toBeDefined();
          const expected = parse(b.code) as Record<string, any>;
          const candidates = b.kind === 'object'
            ? [{ file: b.args, obj: parse(rendered!.get(b.args) ?? 'null') }]
            : objectsOf(rendered!).filter(({ obj }) => obj.kind === expected.kind && obj.metadata?.name === expected.metadata?.name);
          expect(candidates.length, `${at}: the rendered ${b.kind === 'object' ? b.args : `${expected.kind} ${expected.metadata?.name}`}`).toBeGreaterThan(0);
          const why: string[] = [];
          const ok = candidates.some((c) => isSubset(expected, c.obj, '', why));
          expect(ok ? [] : why, `${at}: the block is what the library renders`).toEqual([]);
          break;
        }
        case 'expanded': {
          const expected = parse(b.code) as Record<string, any>;
          const app = expand(platform!).find((a) => a.name === expected.metadata?.name);
          expect(app, `${at}: the expanded Application ${expected.metadata?.name}`).toBeDefined();
          const why: string[] = [];
          const ok = isSubset(expected, app!.manifest, '', why);
          expect(ok ? [] : why, `${at}: the block is what the expansion computes`).toEqual([]);
          break;
        }
        case 'terraform': {
          const state = JSON.parse(rendered!.get(`terraform/${b.args}/cdk.tf.json`)!);
          const excerpt = JSON.parse(`{${b.code}}`);
          const why: string[] = [];
          const ok = isSubset(excerpt, { ...state.resource, data: state.data, ...Object.fromEntries(Object.entries(state.data ?? {}).map(([k, v]) => [`data.${k}`, v])) }, '', why);
          expect(ok ? [] : why, `${at}: the excerpt is in terraform/${b.args}/cdk.tf.json`).toEqual([]);
          break;
        }
        case 'files': {
          // an indented line is a file of the folder lines above it
          const paths: string[] = [];
          let folders: string[] = [];
          let lastWasFolder = false;
          for (const l of b.code.split('\n').filter((x) => x.trim())) {
            const f = l.trim().split(/\s+/)[0].replace(/^dist\//, '');
            if (/^\s/.test(l)) {
              for (const d of folders) paths.push(d + f);
              lastWasFolder = false;
            } else {
              if (f.endsWith('/')) folders = lastWasFolder ? [...folders, f] : [f];
              lastWasFolder = f.endsWith('/');
              if (!f.endsWith('/')) paths.push(f);
            }
          }
          for (const f of folders) if (!paths.some((x) => x.startsWith(f))) paths.push(f);
          for (const f of paths) {
            const found = f.endsWith('/') ? [...rendered!.keys()].some((k) => k.startsWith(f)) : rendered!.has(f);
            expect(found, `${at}: ${f} is rendered`).toBe(true);
          }
          break;
        }
        case 'sh': {
          // `sh examples/<name> [charts]`: the commands run in a copy of that example, its output
          // synthesized; with `charts`, charts/ holds the upstream chart sources and HELM_BIN is
          // the real helm (where ../shared/charts is missing, the block and its output are skipped)
          const [example, needs] = b.args.split(/\s+/);
          if (needs === 'charts' && !(HAS_CHARTS && HAS_HELM_LAYER)) {
            skipped.push(`${at} (sh): ../shared/charts or the helm layer not found here`);
            printed = undefined;
            break;
          }
          const { dir, app } = example ? await exampleProject(example) : { dir: fs.mkdtempSync(path.join(outdir, 'sh-')), app: undefined };
          if (needs === 'charts' && !fs.existsSync(path.join(dir, 'charts'))) fs.symlinkSync(preparedCharts().chartsDir, path.join(dir, 'charts'), 'dir');
          const helmBefore = process.env.HELM_BIN;
          if (needs === 'charts') process.env.HELM_BIN = helmBinary();
          for (const [f, content] of Object.entries<unknown>(b.body ? JSON.parse(b.body) : {})) {
            fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
            fs.writeFileSync(path.join(dir, f), typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n');
          }
          for (const line of b.code.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean)) {
            const m = /^npx cdk8s-gitops-platform\s*(.*)$/.exec(line);
            expect(m, `${at}: "${line}" is a command of this library`).not.toBeNull();
            const r = await runCli(m![1].split(/\s+/).filter(Boolean), dir, app);
            expect(r.err, `${at}: ${line}`).toBe('');
            expect(r.code, `${at}: ${line}`).toBe(0);
            printed = r.out;
          }
          if (helmBefore === undefined) delete process.env.HELM_BIN;
          else process.env.HELM_BIN = helmBefore;
          break;
        }
        case 'pin':
          expect(() => parsePin('example.json', b.code), at).not.toThrow();
          break;
        case 'output':
          if (printed === undefined) {
            skipped.push(`${at} (output): its command was skipped`);
            break;
          }
          expect(printed, `${at}: the printed output`).toMatch(textPattern(b.code));
          break;
        case 'skip':
          expect(b.args, `${at}: a skipped block says why`).not.toBe('');
          skipped.push(`${at} (${b.lang || 'text'}): ${b.args}`);
          break;
        default:
          throw new Error(`${at}: a ${b.lang || 'text'} block with no test directive (kind "${b.kind}"). Add one (see test/support/doc-blocks.ts).`);
      }
    }
  }, 240_000);
});
