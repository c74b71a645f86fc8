import { messages } from '../../core/errors';
import { SecurityRule } from '../security-rule';
import { at, named, obj, PolicyFinding, PolicyRule, show } from './rule';

const RULE = SecurityRule.NO_DEFAULT_PROJECT;

function checkProject(out: PolicyFinding[], file: string, what: string, project: unknown): void {
  if (project === undefined || project === '' || project === 'default') {
    out.push({ rule: RULE, file, message: messages.policy.defaultProject(RULE, file, what, project ?? 'default') });
  }
}

/** No Application or ApplicationSet (nor an application of the argocd-apps chart's values) uses the `default` AppProject, or none. */
export const noDefaultProject: PolicyRule = {
  rule: RULE,
  kinds: ['Application', 'ApplicationSet'],
  create: (out) => ({
    object(f, kind, name, o) {
      if (kind !== 'Application' && kind !== 'ApplicationSet') return;
      const spec = kind === 'Application' ? at(o, 'spec') : at(o, 'spec', 'template', 'spec');
      checkProject(out, f.file, named(kind, name), at(spec, 'project'));
    },
    argocdApps(file, what, values) {
      for (const [aname, a] of Object.entries(obj(at(values, 'applications')) ?? {})) checkProject(out, file, `${what} application ${show(aname)}`, at(a, 'project'));
    },
  }),
};
