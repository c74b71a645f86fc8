/* eslint-disable @typescript-eslint/no-explicit-any -- AppProject specs are parsed YAML of any shape */
/**
 * Argo CD's AppProject semantics, as the application controller applies them when it
 * syncs: which source repositories, destinations and resource kinds a project permits.
 * A port of the behaviour of `AppProject.IsSourcePermitted`, `IsDestinationPermitted`,
 * `IsGroupKindNamePermitted` and `IsResourcePermitted` (Argo CD 3.x, with `!` negation and
 * named cluster resources); the upstream tests are replayed as data in
 * `test/app-project.test.ts`.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/projects/
 * @see https://github.com/argoproj/argo-cd/blob/master/pkg/apis/application/v1alpha1/app_project_types.go
 */
import { checkObjectArg, checkStringArg } from '../core/arguments';
import { messages } from '../core/errors';

/** A group/kind entry of an AppProject list (`name` only in the cluster lists, Argo CD 3.3+). */
export interface ProjectResourceItem {
  readonly group?: string;
  readonly kind?: string;
  readonly name?: string;
}

/** The parts of an AppProject `spec` that decide what it permits. */
export interface ProjectPermissions {
  readonly sourceRepos?: readonly string[];
  readonly destinations?: readonly { readonly name?: string; readonly server?: string; readonly namespace?: string }[];
  readonly clusterResourceWhitelist?: readonly ProjectResourceItem[];
  readonly clusterResourceBlacklist?: readonly ProjectResourceItem[];
  /** `undefined` permits every namespaced kind; an empty list permits none. */
  readonly namespaceResourceWhitelist?: readonly ProjectResourceItem[];
  readonly namespaceResourceBlacklist?: readonly ProjectResourceItem[];
}

/** The cluster an Application deploys to, as Argo CD resolves it (name and/or server URL). */
export interface DestinationCluster {
  readonly name?: string;
  readonly server?: string;
}

const compiled = new Map<string, RegExp | null>();

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Compiles a glob in the syntax Argo CD's glob matching uses (gobwas/glob): `*` any run of
 * characters except the separators, `**` any run, `?` one character except a separator,
 * `[abc]`, `[a-z]`, `[!abc]`, `{alt1,alt2}` and `\` escapes. Returns null for a bad pattern
 * (Argo CD then matches nothing).
 */
function compileGlob(pattern: string, separators: string): RegExp | null {
  const key = `${separators}\u0000${pattern}`;
  if (compiled.has(key)) return compiled.get(key)!;
  const notSep = separators ? `[^${escape(separators)}]` : '[\\s\\S]';
  let i = 0;
  const parse = (inAlt: boolean): string => {
    let out = '';
    while (i < pattern.length) {
      const c = pattern[i];
      if (inAlt && (c === ',' || c === '}')) return out;
      i++;
      if (c === '\\') {
        if (i >= pattern.length) throw new SyntaxError(messages.globPattern(pattern, 'a dangling escape'));
        out += escape(pattern[i++]);
      } else if (c === '*') {
        if (pattern[i] === '*') {
          while (pattern[i] === '*') i++;
          out += '[\\s\\S]*';
        } else {
          out += `${notSep}*`;
        }
      } else if (c === '?') {
        out += notSep;
      } else if (c === '[') {
        const end = pattern.indexOf(']', i + 1);
        if (end < 0) throw new SyntaxError(messages.globPattern(pattern, 'an unclosed character class'));
        let body = pattern.slice(i, end);
        i = end + 1;
        const negated = body.startsWith('!');
        if (negated) body = body.slice(1);
        out += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      } else if (c === '{') {
        const alts: string[] = [];
        for (;;) {
          alts.push(parse(true));
          if (i >= pattern.length) throw new SyntaxError(messages.globPattern(pattern, 'unclosed alternatives'));
          if (pattern[i++] === '}') break;
        }
        out += `(?:${alts.join('|')})`;
      } else {
        out += escape(c);
      }
    }
    if (inAlt) throw new SyntaxError(messages.globPattern(pattern, 'unclosed alternatives'));
    return out;
  };
  let re: RegExp | null;
  try {
    re = new RegExp(`^${parse(false)}$`);
  } catch {
    re = null;
  }
  compiled.set(key, re);
  return re;
}

/** A glob without special characters matches itself only (no pattern to compile: tenants' names are thousands of them). */
const GLOB_SPECIAL = /[\\*?[{]/;

function globTest(pattern: string, value: string, separators: string): boolean {
  if (typeof pattern === 'string' && !GLOB_SPECIAL.test(pattern)) return pattern === String(value);
  return compileGlob(pattern, separators)?.test(value) ?? false;
}

/** Argo CD's `globMatch`: `*` alone matches anything; a leading `!` negates when allowed. */
export function globMatch(pattern: string | undefined, value: string, allowNegation: boolean, separators = ''): boolean {
  const p = pattern ?? '';
  if (allowNegation && p.startsWith('!')) return !globTest(p.slice(1), value, separators);
  if (p === '*') return true;
  return globTest(p, value, separators);
}

/**
 * Go's `filepath.Match`, which Argo CD uses for group, kind and name entries of the
 * resource lists: `*` and `?` never match `/`, `[...]` classes (`^` negates), `\` escapes.
 */
export function filepathMatch(pattern: string | undefined, value: string): boolean {
  const p = pattern ?? '';
  if (typeof p === 'string' && !/[\\*?[]/.test(p)) return p === String(value);
  const key = `filepath\u0000${p}`;
  if (!compiled.has(key)) {
    let re = '';
    let ok = true;
    for (let i = 0; i < p.length && ok; i++) {
      const c = p[i];
      if (c === '*') re += '[^/]*';
      else if (c === '?') re += '[^/]';
      else if (c === '\\') re += i + 1 < p.length ? escape(p[++i]) : ((ok = false), '');
      else if (c === '[') {
        const cls = goClass(p, i + 1);
        if (!cls) ok = false;
        else {
          re += cls.re;
          i = cls.end;
        }
      } else re += escape(c);
    }
    compiled.set(key, ok ? new RegExp(`^${re}$`) : null);
  }
  return compiled.get(key)?.test(value) ?? false;
}

/**
 * A character class of Go's `filepath.Match` starting after its `[`: an optional `^`, then items
 * read as Go's `getEsc` reads them (a `\\` escapes the next character; an unescaped `-` or `]`
 * where a character is due, or a class that never closes, is a bad pattern: `undefined`), each a
 * character or a `lo-hi` range, until a `]` after at least one item. Returns the RegExp class and
 * the index of the closing `]`.
 */
function goClass(p: string, start: number): { re: string; end: number } | undefined {
  let i = start;
  let negated = false;
  if (p[i] === '^') {
    negated = true;
    i++;
  }
  const esc = (): string | undefined => {
    let c = p[i];
    if (c === undefined || c === '-' || c === ']') return undefined;
    if (c === '\\') c = p[++i];
    if (c === undefined || i + 1 >= p.length) return undefined;
    i++;
    return c;
  };
  // each character as a \uXXXX escape, which a class reads literally whatever it is
  const hex = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  let body = '';
  for (let n = 0; ; n++) {
    if (p[i] === ']' && n > 0) return { re: `[${negated ? '^' : ''}${body}]`, end: i };
    const lo = esc();
    if (lo === undefined) return undefined;
    let hi = lo;
    if (p[i] === '-') {
      i++;
      const h = esc();
      if (h === undefined) return undefined;
      hi = h;
    }
    // a range whose ends are out of order matches no character (a RegExp would refuse it)
    if (lo <= hi) body += lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`;
  }
}

const isDeny = (p: string | undefined) => (p ?? '').startsWith('!');

/**
 * Argo CD's `NormalizeGitURL`: lower case, SSH `user@host:path` as `user@host/path`, no `.git`
 * suffix, then Go's `url.Parse(...).String()`: a path holding a character Go must escape there
 * (a brace, a space, ...) is written escaped, `*` and `[` `]` included, so such a pattern
 * matches only its own escaped text.
 */
export function normalizeGitUrl(repo: string): string {
  let r = repo.trim().toLowerCase();
  const scp = /^(?:ssh:\/\/)?[\w.-]+@[\w.-]+:/.test(r) || /^ssh:\/\//.test(r);
  if (scp && !r.startsWith('ssh://')) r = `ssh://${r.replace(':', '/')}`;
  r = r.replace(/\.git$/, '');
  const at = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/.exec(r)?.[0].length ?? 0;
  const end = r.slice(at).search(/[?#]/);
  const path = end < 0 ? r.slice(at) : r.slice(at, at + end);
  // url.Parse refuses a "%" that starts no escape (NormalizeGitURL then returns "")
  if (/%(?![0-9a-f]{2})/.test(path)) return '';
  // Go keeps a path as written when each character is one it leaves in a path, a sub-delimiter or an escape
  // (url.validEncoded); else it writes the decoded path again, escaping each byte a path may not hold
  if (/[^a-z0-9\-_.~$&+,/:;=@!'()*[\]%]/.test(path)) {
    const decoded = Buffer.concat(path.split(/(%[0-9a-f]{2})/).map((part) => (/^%[0-9a-f]{2}$/.test(part) ? Buffer.from([parseInt(part.slice(1), 16)]) : Buffer.from(part, 'utf8'))));
    const escaped = [...decoded].map((b) => (/[a-z0-9\-_.~$&+,/:;=@]/i.test(String.fromCharCode(b)) && b < 128 ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
    r = r.slice(0, at) + escaped + (end < 0 ? '' : r.slice(at + end));
  }
  return r.replace(/^ssh:\/\//, '');
}

/** Argo CD's `IsSourcePermitted`: some pattern matches and no negated pattern excludes the URL. */
export function isSourcePermitted(project: ProjectPermissions, repoURL: string): boolean {
  checkObjectArg('isSourcePermitted', 'project', project, 'projectPermissions(appProject)');
  checkStringArg('isSourcePermitted', 'repoURL', repoURL, '"https://github.com/acme/app.git"');
  const src = normalizeGitUrl(repoURL);
  let any = false;
  for (const pattern of project.sourceRepos ?? []) {
    const normalized = isDeny(pattern) ? `!${normalizeGitUrl(pattern.slice(1))}` : normalizeGitUrl(pattern);
    const matched = globMatch(normalized, src, true, '/');
    if (matched) any = true;
    else if (isDeny(normalized)) return false;
  }
  return any;
}

/** Argo CD's `IsDestinationPermitted` (without project-scoped clusters). */
export function isDestinationPermitted(project: ProjectPermissions, cluster: DestinationCluster, namespace: string): boolean {
  checkObjectArg('isDestinationPermitted', 'project', project, 'projectPermissions(appProject)');
  checkObjectArg('isDestinationPermitted', 'cluster', cluster, '{ name: "mgmt", server: "https://kubernetes.default.svc" }');
  let any = false;
  for (const item of project.destinations ?? []) {
    const nameMatched = !!cluster.name && globMatch(item.name, cluster.name, true);
    const serverMatched = !!cluster.server && globMatch(item.server, cluster.server, true);
    const nsMatched = globMatch(item.namespace, namespace, true);
    if ((serverMatched || nameMatched) && nsMatched) any = true;
    else if ((!nameMatched && isDeny(item.name)) || (!serverMatched && isDeny(item.server) && nsMatched)) return false;
    else if (!nsMatched && isDeny(item.namespace) && serverMatched) return false;
  }
  return any;
}

function inList(list: readonly ProjectResourceItem[], group: string, kind: string, name?: string): boolean {
  return list.some((item) => filepathMatch(item.kind, kind) && filepathMatch(item.group, group)
    && (name === undefined || !item.name || filepathMatch(item.name, name)));
}

/**
 * Argo CD's `IsGroupKindNamePermitted`: a cluster-scoped kind needs a whitelist entry (an
 * empty or missing whitelist permits none) and no blacklist entry; a namespaced kind is
 * permitted unless a whitelist is set without it, or the blacklist holds it.
 */
export function isGroupKindNamePermitted(project: ProjectPermissions, group: string, kind: string, name: string, namespaced: boolean): boolean {
  checkObjectArg('isGroupKindNamePermitted', 'project', project, 'projectPermissions(appProject)');
  if (namespaced) {
    const white = project.namespaceResourceWhitelist;
    const black = project.namespaceResourceBlacklist ?? [];
    const whiteListed = white === undefined || (white.length > 0 && inList(white, group, kind));
    return whiteListed && !(black.length > 0 && inList(black, group, kind));
  }
  const white = project.clusterResourceWhitelist ?? [];
  const black = project.clusterResourceBlacklist ?? [];
  return white.length > 0 && inList(white, group, kind, name) && !(black.length > 0 && inList(black, group, kind, name));
}

/** Why Argo CD would refuse one object (or the Application itself), in Argo CD's own words. */
export function resourceDenial(project: ProjectPermissions, projectName: string, group: string, kind: string, name: string,
  namespace: string | undefined, cluster: DestinationCluster): string | undefined {
  return denial(projectName, group, kind, namespace, () => isGroupKindNamePermitted(project, group, kind, name, namespace !== undefined),
    (ns) => isDestinationPermitted(project, cluster, ns));
}

function denial(projectName: string, group: string, kind: string, namespace: string | undefined, kindPermitted: () => boolean, namespacePermitted: (ns: string) => boolean): string | undefined {
  if (!kindPermitted()) return `resource ${group}:${kind} is not permitted in project ${projectName}`;
  if (namespace !== undefined && !namespacePermitted(namespace)) return `namespace ${namespace} is not permitted in project '${projectName}'`;
  return undefined;
}

/**
 * One AppProject's answers, each computed once per distinct question: a check of a whole
 * output asks the same project about the same repository, destination and kind for
 * thousands of objects. Same answers as the functions above.
 */
export class ProjectAnswers {
  private readonly sources = new Map<string, boolean>();
  private readonly destinations = new Map<string, boolean>();
  private readonly kinds = new Map<string, boolean>();

  constructor(public readonly permissions: ProjectPermissions) {}

  /** {@link isSourcePermitted}. */
  public sourcePermitted(repoURL: string): boolean {
    return remember(this.sources, repoURL, () => isSourcePermitted(this.permissions, repoURL));
  }

  /** {@link isDestinationPermitted}. */
  public destinationPermitted(cluster: DestinationCluster, namespace: string): boolean {
    // what is not a cluster gets the library's error from isDestinationPermitted
    if (cluster === null || typeof cluster !== 'object') return isDestinationPermitted(this.permissions, cluster, namespace);
    return remember(this.destinations, `${cluster.name ?? '\u0001'}\u0000${cluster.server ?? '\u0001'}\u0000${namespace}`, () => isDestinationPermitted(this.permissions, cluster, namespace));
  }

  /** {@link resourceDenial}. */
  public denial(projectName: string, group: string, kind: string, name: string, namespace: string | undefined, cluster: DestinationCluster): string | undefined {
    const namespaced = namespace !== undefined;
    // a namespaced kind's permission does not depend on the object's name
    const key = `${namespaced ? 'ns' : 'cluster'}\u0000${group}\u0000${kind}${namespaced ? '' : `\u0000${name}`}`;
    return denial(projectName, group, kind, namespace, () => remember(this.kinds, key, () => isGroupKindNamePermitted(this.permissions, group, kind, name, namespaced)),
      (ns) => this.destinationPermitted(cluster, ns));
  }
}

function remember<K, V>(cache: Map<K, V>, key: K, compute: () => V): V {
  if (cache.has(key)) return cache.get(key)!;
  const v = compute();
  cache.set(key, v);
  return v;
}

/** Reads the permission lists of a parsed AppProject. */
export function projectPermissions(appProject: any): ProjectPermissions {
  const spec = appProject?.spec ?? {};
  const list = (v: unknown) => (Array.isArray(v) ? v : undefined);
  return {
    sourceRepos: list(spec.sourceRepos) ?? [],
    destinations: list(spec.destinations) ?? [],
    clusterResourceWhitelist: list(spec.clusterResourceWhitelist) ?? [],
    clusterResourceBlacklist: list(spec.clusterResourceBlacklist) ?? [],
    namespaceResourceWhitelist: list(spec.namespaceResourceWhitelist),
    namespaceResourceBlacklist: list(spec.namespaceResourceBlacklist) ?? [],
  };
}

/**
 * True when a project permits every object in every namespace of a cluster: any kind,
 * cluster-scoped or not, and a plain `*` namespace destination with no negation anywhere.
 * The check skips reading such an Application's objects.
 */
export function permitsEverything(project: ProjectPermissions, cluster: DestinationCluster): boolean {
  const all = (l: readonly ProjectResourceItem[] | undefined) => (l ?? []).some((i) => i.group === '*' && i.kind === '*' && !i.name);
  const noDeny = (project.destinations ?? []).every((d) => !isDeny(d.name) && !isDeny(d.server) && !isDeny(d.namespace));
  return all(project.clusterResourceWhitelist) && (project.clusterResourceBlacklist ?? []).length === 0
    && project.namespaceResourceWhitelist === undefined && (project.namespaceResourceBlacklist ?? []).length === 0
    && noDeny && (project.destinations ?? []).some((d) => d.namespace === '*' && ((!!cluster.name && globMatch(d.name, cluster.name, false)) || (!!cluster.server && globMatch(d.server, cluster.server, false))));
}
