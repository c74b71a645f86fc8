import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { messages } from '../core/errors';
import { MANIFEST_FILE } from '../synth/writer';
import { CliError } from './io';
import { compareCodeUnits } from '../core/order';

/** A synth project: the folder of `cdk8s.yaml`, its app command and output folder. */
export interface SynthProject {
  /** The folder, as given (relative paths stay relative in messages). */
  readonly dir: string;
  /** The absolute folder. */
  readonly absDir: string;
  /** The command that synthesizes (`app` in cdk8s.yaml). */
  readonly app: string;
  /** The committed output folder, relative to `dir` (`output` in cdk8s.yaml, default `dist`). */
  readonly output: string;
}

/** Reads `cdk8s.yaml` of a folder. */
export function readProject(cwd: string, dir = '.'): SynthProject {
  const absDir = path.resolve(cwd, dir);
  const file = path.join(absDir, 'cdk8s.yaml');
  if (!fs.existsSync(file)) throw new CliError(messages.cli.noProject(dir));
  let config: { app?: unknown; output?: unknown };
  try {
    config = parse(fs.readFileSync(file, 'utf8')) ?? {};
  } catch (e) {
    throw new CliError(messages.cli.projectYaml(dir, e));
  }
  if (typeof config.app !== 'string' || config.app.trim() === '') throw new CliError(messages.cli.projectApp(dir));
  return { dir, absDir, app: config.app, output: typeof config.output === 'string' ? config.output : 'dist' };
}

/** The root of the Git repository holding `dir` (the nearest folder above it with a `.git`, a folder or a worktree's file), or undefined. */
export function gitRoot(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** Runs a synth project's app so that it writes into `outdir` (as `CDK8S_OUTDIR`). */
export type AppRunner = (project: SynthProject, outdir: string) => void;

/** The app command in a shell, in the project's folder, as `cdk8s synth` runs it. */
export const spawnApp: AppRunner = (project, outdir) => {
  const r = spawnSync(project.app, { shell: true, cwd: project.absDir, env: { ...process.env, CDK8S_OUTDIR: outdir }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error || r.status !== 0) {
    const lines = `${r.stderr ?? ''}${r.error?.message ?? ''}`.split('\n').map((l) => l.trim()).filter((l) => l && !/^npm warn/i.test(l));
    const last = lines.find((l) => /error/i.test(l)) ?? lines[lines.length - 1] ?? 'no output';
    throw new CliError(messages.cli.appFailed(project.app, project.dir, r.status, last));
  }
};

/**
 * Runs the project's app command with `CDK8S_OUTDIR` set to a new temporary folder and
 * hands that folder to `use`; the folder is removed afterwards, whatever happens.
 */
export function withFreshSynth<T>(project: SynthProject, use: (outdir: string) => T, runApp: AppRunner = spawnApp): T {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-gitops-platform-check-'));
  try {
    const outdir = path.join(tmp, 'out');
    runApp(project, outdir);
    if (!fs.existsSync(outdir)) throw new CliError(messages.cli.appWroteNothing(project.app));
    return use(outdir);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** A synthesized output folder, read into memory. */
export interface OutputTree {
  /** Every file except the writer's manifest (output-relative path -> content), sorted. */
  readonly files: Map<string, string>;
  /** The files the writer's manifest lists as generated; undefined without a manifest. */
  readonly generated?: Set<string>;
}

/** Reads an output folder (an absent folder reads as empty). */
export function readOutput(dir: string): OutputTree {
  const files = new Map<string, string>();
  if (!fs.existsSync(dir)) return { files };
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile() && r !== MANIFEST_FILE) files.set(r, fs.readFileSync(path.join(dir, r), 'utf8'));
    }
  };
  walk('');
  let generated: Set<string> | undefined;
  const manifest = path.join(dir, MANIFEST_FILE);
  if (fs.existsSync(manifest)) {
    try {
      generated = new Set((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { files?: string[] }).files ?? []);
    } catch {
      generated = undefined;
    }
  }
  return { files: new Map([...files].sort(([a], [b]) => compareCodeUnits(a, b))), generated };
}
