import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { messages } from '../core/errors';
import { realPath } from '../core/files';

/** Thrown when a chart cannot be rendered: helm missing, a chart missing, or `helm template` failing. */
export class ChartRenderError extends Error {
  constructor(message: string, /** What is missing, when the render could not start: `helm` or `chart`. */ public readonly missing?: 'helm' | 'chart') {
    super(message);
    this.name = 'ChartRenderError';
  }
}

/** Where charts come from, and where helm is. */
export interface ChartSourceOptions {
  /**
   * The helm 3.x/4.x binary.
   * @default - `HELM_BIN` from the environment, else `helm` on the PATH
   */
  readonly helm?: string;
  /**
   * A folder of charts: `<chart>-<version>/` (a chart folder, its dependencies under
   * `charts/`) or `<chart>-<version>.tgz` (what `helm pull` writes).
   * @default - none: charts come from the cache (and `helm pull` when `pull` is set)
   */
  readonly chartsDir?: string;
  /**
   * The cache folder: pulled charts (`<chart>-<version>.tgz`) and rendered templates.
   * @default - `node_modules/.cache/cdk8s-gitops-platform` under the current folder
   */
  readonly cacheDir?: string;
  /**
   * Pull a chart missing from `chartsDir` and the cache with `helm pull` (needs the network)
   * into the cache's `charts/`, where later renders find it. A pull that fails (a version the
   * repository does not publish, a repository that cannot be reached) throws a
   * {@link ChartRenderError} with `missing: 'chart'`, quoting helm.
   * @default false
   */
  readonly pull?: boolean;
  /**
   * Charts (`<chart>-<version>`) whose local folder is the nearest release standing in for
   * the pinned one: rendered, but keys the stand-in does not know are not reported as unused.
   * A folder whose Chart.yaml version differs from the pin is a stand-in too.
   * @default - none
   */
  readonly standIns?: readonly string[];
  /**
   * How many `helm template` processes run at once.
   * @default 2
   */
  readonly concurrency?: number;
}

/** A chart found on disk. */
export interface LocatedChart {
  readonly name: string;
  /** The pinned version. */
  readonly version: string;
  /** The chart folder or `.tgz`. */
  readonly path: string;
  /** True when the chart on disk is not the pinned release itself. */
  readonly standIn: boolean;
  /** A digest of the chart's content, for the render cache. */
  readonly digest: string;
}

/** One `helm template` invocation, as Argo CD's repo server makes it. */
export interface TemplateRequest {
  readonly chart: LocatedChart;
  readonly releaseName: string;
  readonly namespace: string;
  /** `1.N`: `--kube-version`. */
  readonly kubeVersion?: string;
  readonly apiVersions?: readonly string[];
  /** Values file contents, lowest precedence first (value files, then `values`/`valuesObject`). */
  readonly valuesLayers: readonly string[];
  /** `--set` (or `--set-string` when `forceString`) entries, applied last. */
  readonly parameters?: readonly { readonly name: string; readonly value: string; readonly forceString?: boolean }[];
  /** `skipCrds`: Argo CD passes `--include-crds` unless set. */
  readonly skipCrds?: boolean;
}

function run(bin: string, args: string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { cwd, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, HELM_CACHE_HOME: process.env.HELM_CACHE_HOME ?? path.join(os.tmpdir(), 'cdk8s-gitops-platform-helm-cache') } }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') reject(new ChartRenderError(messages.helmNotFound(bin), 'helm'));
        else reject(new ChartRenderError(messages.helmFailed(`${path.basename(bin)} ${args.slice(0, 3).join(' ')}`, String(stderr || err.message).trim())));
      } else resolve(stdout);
    });
  });
}

/** Runs helm with at most `concurrency` processes at once, and renders each distinct request once (memory and disk cache). */
export class Helm {
  private readonly bin: string;
  private readonly cacheDir: string;
  private readonly limit: number;
  private running = 0;
  private readonly queue: (() => void)[] = [];
  private readonly memo = new Map<string, Promise<string>>();
  private readonly digests = new Map<string, string>();

  constructor(private readonly options: ChartSourceOptions = {}) {
    this.bin = options.helm ?? process.env.HELM_BIN ?? 'helm';
    this.cacheDir = path.resolve(options.cacheDir ?? path.join('node_modules', '.cache', 'cdk8s-gitops-platform'));
    this.limit = Math.max(1, options.concurrency ?? 2);
  }

  private async slot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((r) => this.queue.push(r));
    this.running++;
    try {
      return await fn();
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }

  private digest(p: string): string {
    let d = this.digests.get(p);
    if (!d) {
      const h = createHash('sha256');
      const walk = (f: string) => {
        const st = statSync(f);
        if (st.isDirectory()) for (const c of readdirSync(f).sort()) walk(path.join(f, c));
        else h.update(`${path.relative(p, f)}\u0000${st.size}\u0000${st.mtimeMs}\n`);
      };
      walk(p);
      d = h.digest('hex');
      this.digests.set(p, d);
    }
    return d;
  }

  /**
   * Finds a chart: `chartsDir/<chart>-<version>/` or `.tgz`, then the cache, then (with
   * `pull`) `helm pull` into the cache. Throws a {@link ChartRenderError} naming where it looked.
   */
  public async locate(chart: string, version: string, repoURL: string): Promise<LocatedChart> {
    const key = `${chart}-${version}`;
    const candidates = [
      ...(this.options.chartsDir ? [path.join(this.options.chartsDir, key), path.join(this.options.chartsDir, `${key}.tgz`)] : []),
      path.join(this.cacheDir, 'charts', `${key}.tgz`),
    ];
    let found = candidates.find((c) => existsSync(c));
    if (!found && this.options.pull) {
      const dest = path.join(this.cacheDir, 'charts');
      mkdirSync(dest, { recursive: true });
      const tmp = mkdtempSync(path.join(dest, '.pull-'));
      try {
        const oci = repoURL.startsWith('oci://') || !/^https?:\/\//.test(repoURL);
        const ref = oci ? `${repoURL.startsWith('oci://') ? repoURL : `oci://${repoURL}`}/${chart}` : chart;
        try {
          await this.slot(() => run(this.bin, ['pull', ref, ...(oci ? [] : ['--repo', repoURL]), '--version', version, '--destination', tmp]));
        } catch (e) {
          // helm itself missing stays a `helm` error; anything else means the chart could not be obtained
          if (!(e instanceof ChartRenderError) || e.missing === 'helm') throw e;
          const said = e.message.replace(/^.*? failed: /s, '').replace(/^Error: /, '');
          throw new ChartRenderError(messages.chartNotPulled(chart, version, repoURL, candidates, said), 'chart');
        }
        const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
        if (!tgz) throw new ChartRenderError(messages.chartPullEmpty(chart, version, repoURL));
        renameSync(path.join(tmp, tgz), path.join(dest, `${key}.tgz`));
        found = path.join(dest, `${key}.tgz`);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    }
    if (!found) {
      throw new ChartRenderError(messages.chartNotFound(chart, version, repoURL, candidates), 'chart');
    }
    let standIn = (this.options.standIns ?? []).includes(key);
    if (statSync(found).isDirectory()) {
      const meta = parse(readFileSync(path.join(found, 'Chart.yaml'), 'utf8')) as { version?: unknown };
      if (String(meta?.version ?? '') !== version) standIn = true;
    }
    return { name: chart, version, path: found, standIn, digest: this.digest(found) };
  }

  /** `helm template` as Argo CD's repo server runs it; returns the rendered YAML (cached on disk by its inputs). */
  public template(req: TemplateRequest): Promise<string> {
    // the chart by its real folder: the same charts reached through a link share their renders
    const key = createHash('sha256').update(JSON.stringify({ ...req, chart: { path: realPath(req.chart.path), digest: req.chart.digest } })).digest('hex');
    let p = this.memo.get(key);
    if (!p) {
      p = this.templateUncached(req, key);
      this.memo.set(key, p);
    }
    return p;
  }

  private async templateUncached(req: TemplateRequest, key: string): Promise<string> {
    const cached = path.join(this.cacheDir, 'rendered', `${key}.yaml`);
    if (existsSync(cached)) return readFileSync(cached, 'utf8');
    const work = mkdtempSync(path.join(os.tmpdir(), 'cdk8s-gitops-platform-values-'));
    try {
      const args = ['template', req.releaseName, req.chart.path, '--namespace', req.namespace];
      if (!req.skipCrds) args.push('--include-crds');
      if (req.kubeVersion) args.push('--kube-version', req.kubeVersion);
      for (const v of req.apiVersions ?? []) args.push('--api-versions', v);
      req.valuesLayers.forEach((text, i) => {
        const f = path.join(work, `values-${i}.yaml`);
        writeFileSync(f, text);
        args.push('--values', f);
      });
      for (const p of req.parameters ?? []) args.push(p.forceString ? '--set-string' : '--set', `${p.name}=${p.value}`);
      const out = await this.slot(() => run(this.bin, args));
      mkdirSync(path.dirname(cached), { recursive: true });
      const tmp = `${cached}.${process.pid}.tmp`;
      writeFileSync(tmp, out);
      renameSync(tmp, cached);
      return out;
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
}
