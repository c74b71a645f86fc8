import { messages } from '../../core/errors';
import { SecurityRule } from '../security-rule';
import { arr, at, obj, PolicyFinding, PolicyOptions, PolicyRule } from './rule';

const RULE = SecurityRule.NO_WILDCARD_APPPROJECT;

function checkProject(out: PolicyFinding[], options: PolicyOptions, file: string, name: string, spec: unknown): void {
  if (options.platformProjects.has(name)) return;
  const wild: string[] = [];
  for (const r of arr(at(spec, 'sourceRepos'))) if (String(r).includes('*')) wild.push(messages.policy.wildcardSource(r));
  for (const d of arr(at(spec, 'destinations'))) {
    for (const k of ['server', 'name']) if (String(at(d, k) ?? '').includes('*')) wild.push(messages.policy.wildcardDestination(k, at(d, k)));
  }
  if (wild.length > 0) out.push({ rule: RULE, file, message: messages.policy.wildcardProject(RULE, file, name, wild) });
}

/** No AppProject but the platform's own allows `*` in a source repository or a destination cluster (also those of the argocd-apps chart's values). */
export const noWildcardAppProject: PolicyRule = {
  rule: RULE,
  kinds: ['AppProject'],
  create: (out, options) => ({
    object(f, kind, name, o) {
      if (kind === 'AppProject') checkProject(out, options, f.file, name, at(o, 'spec'));
    },
    argocdApps(file, _what, values) {
      for (const [pname, p] of Object.entries(obj(at(values, 'projects')) ?? {})) checkProject(out, options, file, pname, p);
    },
  }),
};

