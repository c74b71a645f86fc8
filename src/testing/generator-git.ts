/* eslint-disable @typescript-eslint/no-explicit-any -- parsed YAML of any shape: the expansion checks what it reads */
/**
 * The git directories generator evaluated offline, as Argo CD's ApplicationSet controller
 * evaluates it (paths matched with Go's path.Match).
 * @see https://github.com/argoproj/argo-cd/blob/master/applicationset/generators/git.go
 */
import { asStringSlice, goCompare, GoTemplateError, sanitizeName } from './go-values';
import type { GeneratorContext, Params } from './generators';
import { failGenerator as fail, templatedValues } from './generator-common';

/** Compiled path patterns (a git generator matches each pattern against every folder of the repository). */
const PATH_PATTERNS = new Map<string, RegExp>();

/** Go's path.Match. */
export function pathMatch(pattern: string, name: string): boolean {
  let compiled = PATH_PATTERNS.get(pattern);
  if (compiled === undefined) {
    // only patterns that compile are kept: a bad one throws its error each time
    compiled = compilePathPattern(pattern);
    // bounded, yet above a fleet's count (a tenant's services ApplicationSet has a pattern of its own)
    if (PATH_PATTERNS.size >= 16384) PATH_PATTERNS.clear();
    PATH_PATTERNS.set(pattern, compiled);
  }
  return compiled.test(name);
}

function compilePathPattern(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      if (i + 1 >= pattern.length) throw new GoTemplateError('syntax error in pattern');
      re += `\\${pattern[++i]}`.replace(/^\\([A-Za-z0-9])$/, '$1');
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) throw new GoTemplateError('syntax error in pattern');
      let body = pattern.slice(i + 1, end);
      if (/\\/.test(body)) throw new GoTemplateError(`the escape in the pattern class "[${body}]" is not modelled`);
      if (body.startsWith('^')) body = `^${body.slice(1)}`;
      re += `(?!/)[${body.replace(/[\]]/g, '\\]')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|]/g, '\\$&');
  }
  return new RegExp(`${re}$`, 'u');
}

export function gitParams(ctx: GeneratorContext, g: any): Params[] {
  const repo = ctx.repo;
  if (!repo || g.repoURL !== repo.url || (g.revision ?? 'HEAD') !== repo.revision) {
    fail(ctx, `a git generator reading ${g.repoURL}@${g.revision ?? 'HEAD'} can only be expanded for the platform repository at the revision Argo CD tracks`);
  }
  if (g.template && Object.keys(g.template).length > 0) fail(ctx, 'a generator-level template is not modelled by the offline expansion; use spec.template and templatePatch');
  if (!Array.isArray(g.directories) || g.directories.length === 0) {
    fail(ctx, g.files ? 'the git files generator is not modelled by the offline expansion (only git directories)' : 'ApplicationSet is empty (a git generator without directories)');
  }
  const items: { path: string; exclude?: boolean }[] = g.directories;
  // every folder a pattern may match must be known: read below each pattern's literal leading folders
  const all = new Set<string>();
  for (const d of items) {
    const segments = String(d.path).split('/');
    const literal: string[] = [];
    for (const s of segments) {
      if (/[*?[\\]/.test(s)) break;
      literal.push(s);
    }
    const folder = literal.length === segments.length ? literal.slice(0, -1).join('/') : literal.join('/');
    for (const dir of repo!.directories(folder)) all.add(dir);
  }
  const visible = [...all].filter((d) => !d.split('/').some((s) => s.startsWith('.')));
  // each folder split once, not at every comparison of the sort
  const segmentsOf = new Map(visible.map((d) => [d, d.split('/')]));
  const walkOrder = (a: string, b: string): number => {
    const x = segmentsOf.get(a)!;
    const y = segmentsOf.get(b)!;
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return goCompare(x[i], y[i]);
    return x.length - y.length;
  };
  const selected = visible.sort(walkOrder).filter((dir) => {
    const matches = items.filter((d) => pathMatch(String(d.path), dir));
    return matches.some((d) => !d.exclude) && !matches.some((d) => d.exclude);
  });
  return selected.map((dir) => {
    const basename = dir.split('/').pop()!;
    const path = { path: dir, basename, basenameNormalized: sanitizeName(basename), segments: asStringSlice(dir.split('/')) };
    const params: Record<string, unknown> = g.pathParamPrefix ? { [g.pathParamPrefix]: { path } } : { path };
    templatedValues(ctx, 'git', g.values, params);
    return { params };
  });
}
