/* eslint-disable @typescript-eslint/no-explicit-any -- parsed manifests of any shape */
import { loadAll } from 'js-yaml';
import { APP_FILE, APPSET_FILE, expandInput, ExpandedApplication, ExpansionError, ExpansionInput, readPlatformData } from '../testing/applications';
import { sharedExpansions } from '../testing/expand';
import { checkProjectPermissions, DeployedObject, KindScopes, PermissionDenial, PermissionSubject } from './permissions';
import { checkMapArg, checkOptionsArg } from '../core/arguments';

/** Objects of an output file, parsed once (the render's parsed objects are reused). */
export class OutputObjects {
  private readonly cache = new Map<string, any[]>();

  constructor(private readonly files: ReadonlyMap<string, string>, private readonly parsed?: ReadonlyMap<string, unknown>) {}

  /** The objects of one file (every YAML document; none for other files). */
  public of(file: string): any[] {
    let objs = this.cache.get(file);
    if (!objs) {
      const held = this.parsed?.get(file);
      if (held !== undefined) objs = [held];
      else if (!/\.ya?ml$/.test(file)) objs = [];
      else objs = loadAll(this.files.get(file) ?? '').filter((o) => o !== null && typeof o === 'object');
      this.cache.set(file, objs);
    }
    return objs;
  }
}

/** @internal The folders of the output and the files under each (recursively, and directly). */
export class FolderIndex {
  private readonly deep = new Map<string, string[]>();
  private readonly direct = new Map<string, string[]>();

  constructor(files: Iterable<string>) {
    const push = (m: Map<string, string[]>, k: string, f: string) => (m.get(k) ?? m.set(k, []).get(k)!).push(f);
    for (const f of files) {
      // every folder above the file, the output's root first
      push(this.deep, '', f);
      for (let slash = f.indexOf('/'); slash !== -1; slash = f.indexOf('/', slash + 1)) push(this.deep, f.slice(0, slash), f);
      const last = f.lastIndexOf('/');
      push(this.direct, last === -1 ? '' : f.slice(0, last), f);
    }
  }

  public files(folder: string, recurse: boolean): string[] {
    return (recurse ? this.deep : this.direct).get(folder) ?? [];
  }
}

/** The AppProjects of an output, by `<management cluster>/<name>`. */
export function outputProjects(files: ReadonlyMap<string, string>, objects: OutputObjects): Map<string, any> {
  const projects = new Map<string, any>();
  for (const f of files.keys()) {
    const m = /^clusters\/([^/]+)\/(?:.+\/)?appproject-[^/]+\.yaml$/.exec(f);
    if (!m) continue;
    for (const o of objects.of(f)) if (o.kind === 'AppProject') projects.set(`${m[1]}/${o.metadata?.name}`, o);
  }
  return projects;
}

/** The expansion's input, from the objects the render still holds (parsing thousands of files again would double a synth). */
function inputFrom(files: ReadonlyMap<string, string>, parsed?: ReadonlyMap<string, unknown>): ExpansionInput {
  const data = readPlatformData(files);
  const objects = new OutputObjects(files, parsed);
  const applicationSets: { file: string; management: string; object: any }[] = [];
  const applications: { file: string; management: string; object: any }[] = [];
  for (const file of files.keys()) {
    const set = APPSET_FILE.exec(file);
    const app = set ? undefined : APP_FILE.exec(file);
    if (!set && !app) continue;
    const [object] = objects.of(file);
    if (set && object?.kind === 'ApplicationSet') applicationSets.push({ file, management: set[1], object });
    if (app && object?.kind === 'Application') applications.push({ file, management: app[1], object });
  }
  return { repository: data.repository, clusters: data.clusters, applicationSets, applications };
}

/** What {@link checkOutputPermissions} found. */
export interface OutputPermissionCheck {
  readonly denials: PermissionDenial[];
  /** The Applications checked (ApplicationSets expanded); undefined when the check did not run. */
  readonly applications?: readonly ExpandedApplication[];
  /** Set when the output could not be expanded (the check did not run): why. */
  readonly skipped?: string;
}

/**
 * The objects each Application deploys from the platform repository: the files of its
 * directory sources (recursively when `directory.recurse` is set).
 */
export function libraryObjects(app: ExpandedApplication, index: { files(folder: string, recurse: boolean): string[] }, objects: OutputObjects): DeployedObject[] {
  const spec = app.manifest?.spec ?? {};
  const sources: any[] = spec.sources ?? (spec.source ? [spec.source] : []);
  const recurse = sources.some((s) => s?.directory?.recurse === true);
  return app.paths.flatMap((p) => index.files(p, recurse).flatMap((f) => objects.of(f).map((object) => ({ object, origin: f }))));
}

/**
 * Checks every Application of a rendered output (ApplicationSets expanded offline) against
 * its AppProject: the library's own manifests each one deploys, plus `extra` objects (chart
 * output, when rendered).
 */
export function checkOutputPermissions(files: ReadonlyMap<string, string>, options: {
  /**
   * The objects of the files the render still holds, by file (read instead of the YAML). They are
   * taken as unchanging: other readers of the same map share the ApplicationSet expansions.
   */
  readonly parsed?: ReadonlyMap<string, unknown>;
  readonly applications?: readonly ExpandedApplication[];
  readonly extra?: (app: ExpandedApplication) => readonly DeployedObject[];
} = {}): OutputPermissionCheck {
  checkMapArg('checkOutputPermissions', 'files', files, 'the files platform.render() returns');
  checkOptionsArg('checkOutputPermissions', 'options', options);
  let apps: readonly ExpandedApplication[];
  try {
    apps = options.applications ?? expandInput(inputFrom(files, options.parsed), files, { values: false, ...(options.parsed ? { _expansions: sharedExpansions(options.parsed) } : {}) });
  } catch (e) {
    if (e instanceof ExpansionError) return { denials: [], skipped: e.message };
    throw e;
  }
  const objects = new OutputObjects(files, options.parsed);
  const index = new FolderIndex(files.keys());
  const scopes = new KindScopes();
  // custom resource definitions of the output, by file name (objects are read only for Applications whose project restricts them)
  for (const f of files.keys()) if (/\/customresourcedefinition-[^/]+\.ya?ml$/.test(f)) scopes.learn(objects.of(f));
  const subjects: PermissionSubject[] = apps.map((a) => {
    const extra = options.extra?.(a) ?? [];
    scopes.learn(extra.map((o) => o.object));
    const server = a.manifest?.spec?.destination?.server;
    let own: DeployedObject[] | undefined;
    return {
      application: a.manifest, managedBy: a.managedBy, file: a.file, cluster: { name: a.cluster, ...(server ? { server } : {}) },
      get objects() {
        own ??= libraryObjects(a, index, objects);
        return [...own, ...extra];
      },
    };
  });
  return { denials: checkProjectPermissions(subjects, outputProjects(files, objects), scopes), applications: apps };
}
