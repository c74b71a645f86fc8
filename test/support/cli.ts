import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import { AppRunner } from '../../src/cli/project';

/**
 * Runs the command line in-process and captures what it prints. With `runApp`, the synth
 * project's app (for check, diff and preview) runs through it instead of its command in a shell.
 */
export async function runCli(argv: string[], cwd = process.cwd(), runApp?: AppRunner): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd, runApp };
  const code = await main(argv, io);
  return { code, out, err };
}

let prepared = 0;

/**
 * The app of a synth project whose `cdk8s.yaml` says `app: npx tsx main.ts`, run in this
 * process: its main.ts as it is now, made into a function (imports kept, the statements in its
 * body) and called in the project's folder with `CDK8S_OUTDIR` set, as the command would run it.
 * The library is this worker's copy, already loaded, so a synth costs the synth only, not a new
 * Node process loading the library (for tests about the files and the output, not the process;
 * test/cli.test.ts keeps the command in a shell for `check`). The runner refuses to run once
 * main.ts has changed: prepare it again after editing main.ts.
 */
export async function inProcessApp(projectDir: string): Promise<AppRunner> {
  const app = /^app:\s*(.*)$/m.exec(fs.readFileSync(path.join(projectDir, 'cdk8s.yaml'), 'utf8'))?.[1].trim();
  if (app !== 'npx tsx main.ts') throw new Error(`inProcessApp runs "npx tsx main.ts" only; ${projectDir}/cdk8s.yaml says "${app}"`);
  const mainFile = path.join(projectDir, 'main.ts');
  const source = fs.readFileSync(mainFile, 'utf8');
  // beside main.ts, so that its relative imports resolve as they do for main.ts
  const wrapper = path.join(projectDir, `main.in-process-${process.pid}-${++prepared}.ts`);
  const imports = /^(?:\s*(?:\/\/[^\n]*|import\b[^;]*;))*/.exec(source)![0];
  fs.writeFileSync(wrapper, `${imports}\n\nexport function run(): void {\n${source.slice(imports.length)}\n}\n`);
  let run: () => unknown;
  try {
    ({ run } = await import(wrapper) as { run(): unknown });
  } finally {
    fs.rmSync(wrapper, { force: true });
  }
  return (project, outdir) => {
    if (project.absDir !== path.resolve(projectDir)) throw new Error(`this in-process app is ${projectDir}'s, not ${project.absDir}'s`);
    if (fs.readFileSync(mainFile, 'utf8') !== source) throw new Error(`${mainFile} changed after its in-process app was prepared: call inProcessApp again`);
    const before = process.env.CDK8S_OUTDIR;
    const cwd = process.cwd();
    const write = process.stderr.write;
    process.env.CDK8S_OUTDIR = outdir;
    process.chdir(projectDir);
    process.stderr.write = (() => true) as typeof process.stderr.write; // the synth's warnings, as the shell command's stderr
    try {
      run();
    } finally {
      process.stderr.write = write;
      process.chdir(cwd);
      if (before === undefined) delete process.env.CDK8S_OUTDIR;
      else process.env.CDK8S_OUTDIR = before;
    }
  };
}
