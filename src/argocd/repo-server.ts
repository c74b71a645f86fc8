/* eslint-disable @typescript-eslint/no-explicit-any -- parsed manifests of any shape */
import { loadAll } from 'js-yaml';
import { fail, messages } from '../core/errors';
import { isPlainObject } from '../core/data';
import { inlineHelmValuesText } from '../core/helm-values';
import { ExpandedApplication, ExpandOptions, ExpansionError, expandTree, parseOutputFile, readPlatformData } from '../testing/applications';
import { PLATFORM_JSON, PlatformData } from '../report/platform-data';
import { ChartRenderError, ChartSourceOptions, Helm, LocatedChart } from './helm';
import { FolderIndex, libraryObjects, OutputObjects } from './output-permissions';
import { DeployedObject } from './permissions';
import { checkStringArg } from '../core/arguments';

/** Options of {@link renderApplications}. */
export interface RenderApplicationsOptions extends ChartSourceOptions {
  /**
   * `--api-versions` passed to every `helm template` (Argo CD passes the API versions the
   * destination cluster serves; charts test them with `.Capabilities.APIVersions.Has`).
   * @default - none beyond helm's built-in ones
   */
  readonly apiVersions?: readonly string[];
  /**
   * The Kubernetes version (`1.N`) of clusters whose version the platform does not know
   * (imported clusters); tenants use their host's.
   * @default '1.33'
   */
  readonly defaultKubeVersion?: string;
  /**
   * Sample Terraform outputs for the offline expansion (see {@link ExpandOptions.outputs}).
   * @default - the `<output:NAME>` placeholders
   */
  readonly outputs?: ExpandOptions['outputs'];
  /**
   * Render only the Applications this returns true for.
   * @default - every Application
   */
  readonly filter?: (app: ExpandedApplication) => boolean;
  /**
   * When helm or a chart is missing: `error` throws; `skip` renders the Application without
   * its chart and says why in {@link RenderedApplication.chartSkipped}.
   * @default 'error'
   */
  readonly onMissing?: 'error' | 'skip';
  /**
   * Pass each cluster's custom resource API versions to `--api-versions` (those of the
   * CustomResourceDefinitions its Applications install), as Argo CD passes the versions the
   * destination serves: charts then render what they gate on them (ServiceMonitors, ...).
   * Costs a second render of each chart whose cluster has custom resources.
   * @default true
   */
  readonly clusterApiVersions?: boolean;
}

/** One Application rendered as Argo CD's repo server would. */
export interface RenderedApplication {
  /** The Application (ApplicationSets expanded offline). */
  readonly application: ExpandedApplication;
  /** Everything it deploys: the library's manifests from the repository, then the chart's output. */
  readonly objects: readonly DeployedObject[];
  /** The chart it renders, when it has a Helm source. */
  readonly chart?: LocatedChart;
  /** The values helm rendered the chart with (value files in order, then `values`/`valuesObject`), as YAML layers. */
  readonly valuesLayers: readonly string[];
  /** The Kubernetes version passed to `--kube-version`. */
  readonly kubeVersion?: string;
  /** The API versions passed to `--api-versions` (beyond helm's built-in ones). */
  readonly apiVersions?: readonly string[];
  /** Why the chart was not rendered (`onMissing: 'skip'`): its objects are missing from `objects`. */
  readonly chartSkipped?: string;
}

/** The Kubernetes version of a cluster: its own, its host's for a tenant, else the default. */
function kubeVersionOf(data: PlatformData, cluster: string, fallback: string): string {
  const c = data.clusters.find((x) => x.name === cluster);
  if (c?.kubernetesVersion) return c.kubernetesVersion;
  const host = c?.host ? data.clusters.find((x) => x.name === c.host) : undefined;
  return host?.kubernetesVersion ?? fallback;
}

/**
 * Helm test hooks (`helm.sh/hook: test`, `test-success`, `test-failure`) without an Argo CD
 * hook annotation: Argo CD never applies them (no equivalent hook), so they are left out.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/helm/#helm-hooks
 */
function isHelmTestHook(object: any): boolean {
  const a = object?.metadata?.annotations ?? {};
  if (a['argocd.argoproj.io/hook'] !== undefined || typeof a['helm.sh/hook'] !== 'string') return false;
  return a['helm.sh/hook'].split(',').every((h: string) => /^test(-success|-failure)?$/.test(h.trim()));
}

/**
 * Splits `helm template` output into objects, each with the template it came from (helm
 * writes `---` and `# Source: <template>` before each). js-yaml reads it: several times
 * faster than the `yaml` package on the megabytes of CRDs some charts render.
 */
export function parseRendered(text: string, chart: string): DeployedObject[] {
  checkStringArg('parseRendered', 'text', text, 'the output of helm template');
  return parseChunks(text, chart, new Map());
}

/**
 * {@link parseRendered} with the objects of each template shared through `seen` (template text
 * -> its objects): the renders of one chart for several clusters repeat most templates (the
 * CRDs above all, megabytes each) word for word, and a shared object is read, copied and
 * written once. The objects are never changed after this.
 */
function parseChunks(text: string, chart: string, seen: Map<string, readonly DeployedObject[]>): DeployedObject[] {
  const out: DeployedObject[] = [];
  for (const chunk of text.split(/^---[ \t]*$/m)) {
    const key = `${chart}\u0000${chunk}`;
    let objects = seen.get(key);
    if (!objects) {
      const source = /^# Source: (.+)$/m.exec(chunk)?.[1];
      let docs: unknown[];
      try {
        docs = loadAll(chunk);
      } catch (e) {
        throw new ChartRenderError(messages.renderedYamlInvalid(chart, source, e));
      }
      objects = docs.filter((o) => o !== null && typeof o === 'object' && !isHelmTestHook(o)).map((object) => ({ object, origin: `${chart}: ${source ?? 'template'}` }));
      seen.set(key, objects);
    }
    out.push(...objects);
  }
  return out;
}

const EXPANDED_FILE = /^clusters\/[^/]+\/(?:.+\/)?application(?:set)?-[^/]+\.yaml$/;

/**
 * Checks what a JavaScript caller passed, and that `platform.json` and every Application and
 * ApplicationSet file parse: a corrupt file is one line naming it and the fix (the library's
 * `ExpansionError`), never the JSON or YAML parser's error.
 */
function checkRenderInput(files: unknown, options: unknown): asserts files is ReadonlyMap<string, string> {
  if (!(files instanceof Map)) fail('renderApplications', messages.renderFiles(files));
  if (options !== undefined && !isPlainObject(options)) fail('renderApplications', messages.renderOptions(options));
  for (const [file, text] of files as Map<unknown, unknown>) {
    if (typeof file !== 'string' || typeof text !== 'string') fail('renderApplications', messages.renderFileText(file, text));
    if (file === PLATFORM_JSON) {
      try {
        JSON.parse(text);
      } catch (e) {
        throw new ExpansionError(messages.outputFileInvalid(PLATFORM_JSON, 'JSON', e));
      }
    } else if (EXPANDED_FILE.test(file)) {
      try {
        parseOutputFile(files as ReadonlyMap<string, string>, file, text);
      } catch (e) {
        throw new ExpansionError(messages.outputFileInvalid(file, 'YAML', e));
      }
    }
  }
}

/**
 * Renders every Application of a synthesized output as Argo CD's repo server would: the
 * platform repository's manifests of its directory sources, and its Helm chart through the
 * real `helm template` (release name, namespace, the destination cluster's Kubernetes
 * version, the value files in order, then `values`/`valuesObject`, then parameters, CRDs
 * included). Runs outside synthesis (child processes); each distinct render runs once.
 * @throws ChartRenderError when helm or a chart is missing, or helm fails
 */
export async function renderApplications(files: ReadonlyMap<string, string>, options: RenderApplicationsOptions = {}): Promise<RenderedApplication[]> {
  checkRenderInput(files, options);
  const data = readPlatformData(files);
  const apps = expandTree(files, { values: false, ...(options.outputs ? { outputs: options.outputs } : {}) }).filter((a) => options.filter?.(a) ?? true);
  const helm = new Helm(options);
  const objects = new OutputObjects(files);
  const index = new FolderIndex(files.keys());
  const located = new Map<string, Promise<LocatedChart>>();
  // a template rendered word for word again (by other Applications, on other clusters) is parsed once
  const parsedTemplates = new Map<string, readonly DeployedObject[]>();
  const apiVersionsOf = (h: any, clusterApis: readonly string[]): readonly string[] => h.apiVersions ?? [...new Set([...options.apiVersions ?? [], ...clusterApis])].sort();
  const renderOne = async (application: ExpandedApplication, clusterApis: readonly string[]): Promise<RenderedApplication> => {
    const own = libraryObjects(application, index, objects);
    const spec = application.manifest?.spec ?? {};
    const sources: any[] = spec.sources ?? (spec.source ? [spec.source] : []);
    const source = sources.find((s) => typeof s?.chart === 'string' || String(s?.repoURL ?? '').startsWith('oci://'));
    if (!application.chart || !source) return { application, objects: own, valuesLayers: [] };
    const { chart: name, version, repoURL } = application.chart;
    const key = `${name}\u0000${version}\u0000${repoURL}`;
    if (!located.has(key)) located.set(key, helm.locate(name, version, repoURL));
    const where = (e: unknown): never => {
      throw e instanceof ChartRenderError ? new ChartRenderError(messages.inApplication(application.name, application.file, e.message), e.missing) : e;
    };
    const skip = (e: unknown): RenderedApplication => {
      if (options.onMissing === 'skip' && e instanceof ChartRenderError && e.missing) return { application, objects: own, valuesLayers: [], chartSkipped: e.message };
      return where(e);
    };
    let chart: LocatedChart;
    try {
      chart = await located.get(key)!;
    } catch (e) {
      return skip(e);
    }
    const h = source.helm ?? {};
    const valuesLayers = application.valueFiles.map((f) => files.get(f) ?? '');
    // Argo CD: valuesObject takes precedence over values, both over the value files
    const inline = inlineHelmValuesText(h);
    if (inline !== undefined) valuesLayers.push(inline);
    const kubeVersion = h.kubeVersion ?? kubeVersionOf(data, application.cluster, options.defaultKubeVersion ?? '1.33');
    const parameters = (h.parameters ?? []).map((p: any) => ({ name: String(p.name), value: String(p.value), forceString: p.forceString === true }));
    let rendered: string;
    try {
      rendered = await helm.template({
      chart,
      releaseName: h.releaseName ?? application.name,
      namespace: h.namespace ?? spec.destination?.namespace ?? 'default',
      kubeVersion,
      apiVersions: apiVersionsOf(h, clusterApis),
      valuesLayers,
      parameters,
      skipCrds: h.skipCrds === true,
      });
    } catch (e) {
      return skip(e);
    }
    // templates are shared by chart, version and text: two versions of a chart can render the same text, and each object names its own
    const chartObjects = parseChunks(rendered, `${name} ${version}`, parsedTemplates);
    return { application, objects: [...own, ...chartObjects], chart, valuesLayers, kubeVersion, apiVersions: apiVersionsOf(h, clusterApis) };
  };
  const first = await Promise.all(apps.map((a) => renderOne(a, [])));
  if (options.clusterApiVersions === false) return first;
  // Argo CD passes the API versions the destination serves: the custom resources installed
  // there change what charts render (`.Capabilities.APIVersions.Has "monitoring.coreos.com/v1"`)
  const apis = new Map<string, Set<string>>();
  for (const r of first) {
    const set = apis.get(r.application.cluster) ?? apis.set(r.application.cluster, new Set()).get(r.application.cluster)!;
    for (const { object } of r.objects) {
      if (object?.kind !== 'CustomResourceDefinition' || !object.spec?.group) continue;
      for (const v of object.spec.versions ?? []) {
        if (v?.served === false || !v?.name) continue;
        set.add(`${object.spec.group}/${v.name}`);
        if (object.spec.names?.kind) set.add(`${object.spec.group}/${v.name}/${object.spec.names.kind}`);
      }
    }
  }
  return Promise.all(first.map((r, i) => {
    const clusterApis = [...apis.get(r.application.cluster) ?? []];
    return r.chart && clusterApis.length ? renderOne(apps[i], clusterApis) : r;
  }));
}

/** The objects each cluster would run, by cluster then Application name. */
export function objectsByCluster(rendered: readonly RenderedApplication[]): Map<string, Map<string, readonly DeployedObject[]>> {
  const out = new Map<string, Map<string, readonly DeployedObject[]>>();
  for (const r of rendered) {
    const byApp = out.get(r.application.cluster) ?? out.set(r.application.cluster, new Map()).get(r.application.cluster)!;
    byApp.set(r.application.name, r.objects);
  }
  return out;
}
