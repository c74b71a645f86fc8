// Kyverno's admission of a resource by a ClusterPolicy's validate rules, for tests that ask whether
// the baseline policies the platform enforces refuse what a team (or the library itself) deploys.
// The subset of Kyverno 1.17 the baseline policies use, as Kyverno documents it:
// - match/exclude (https://kyverno.io/docs/policy-types/cluster-policy/match-exclude/): `any` blocks
//   of kinds, namespaceSelector and namespaces;
// - preconditions (https://kyverno.io/docs/policy-types/cluster-policy/preconditions/): `all`/`any`
//   with Equals/NotEquals on `{{ <path> || '<default>' }}` (a dotted JMESPath path, quoted segments);
// - patterns (https://kyverno.io/docs/policy-types/cluster-policy/validate/#patterns): maps, arrays
//   (every element matches the pattern's one element), the `=(key)` equality anchor, string
//   patterns with `*`/`?` wildcards, `|`, `&`, `!` and the comparisons `>`, `>=`, `<`, `<=`;
// - auto-generated rules (https://kyverno.io/docs/policy-types/cluster-policy/autogen/): a rule
//   matching only Pods also applies to the pod template of each pod controller, unless a
//   match/exclude block names resources, uses a label selector or annotations, or mixes Pods
//   with other kinds; `pod-policies.kyverno.io/autogen-controllers` narrows the controllers
//   (`none`: no generated rule).
// Anything outside that subset throws, so a test never passes on a construct this file ignores.

type Obj = Record<string, any>;

const ALL_CONTROLLERS = ['DaemonSet', 'Deployment', 'Job', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'CronJob'];

/** The pod a resource stands for: a Pod itself, or the pod template of a controller (a CronJob's job template's). */
function podView(resource: Obj): Obj {
  if (resource.kind === 'Pod') return resource;
  const template = resource.kind === 'CronJob' ? resource.spec?.jobTemplate?.spec?.template : resource.spec?.template;
  return { apiVersion: 'v1', kind: 'Pod', metadata: template?.metadata ?? {}, spec: template?.spec ?? {} };
}

/** The controllers Kyverno generates a policy's rules for. */
export function autogenControllers(policy: Obj): string[] {
  const descriptions = (block: Obj | undefined) => [block?.resources, ...(block?.any ?? []).map((b: Obj) => b.resources), ...(block?.all ?? []).map((b: Obj) => b.resources)].filter(Boolean);
  for (const rule of policy.spec.rules) {
    for (const d of [...descriptions(rule.match), ...descriptions(rule.exclude)]) {
      if (d.name || d.names?.length || d.selector || d.annotations) return [];
      if ((d.kinds ?? []).length > 1 && d.kinds.includes('Pod')) return [];
    }
    if (!descriptions(rule.match).some((d) => (d.kinds ?? []).includes('Pod'))) return [];
  }
  const annotation = policy.metadata.annotations?.['pod-policies.kyverno.io/autogen-controllers'];
  if (annotation === undefined) return ALL_CONTROLLERS;
  return annotation === 'none' ? [] : annotation.split(',');
}

function matchesBlock(block: Obj | undefined, kind: string, namespace: string, nsLabels: Record<string, string>): boolean {
  if (!block) return false;
  if (block.all || block.resources) throw new Error('kyverno test support: only `any` match/exclude blocks are supported');
  return (block.any ?? []).some((b: Obj) => {
    const r = b.resources ?? {};
    for (const k of Object.keys(r)) if (!['kinds', 'namespaceSelector', 'namespaces'].includes(k)) throw new Error(`kyverno test support: resources.${k} is not supported`);
    if (r.kinds && !r.kinds.includes(kind)) return false;
    if (r.namespaces && !r.namespaces.some((p: string) => wildcard(p, namespace))) return false;
    if (r.namespaceSelector && !selectorMatches(r.namespaceSelector, nsLabels)) return false;
    return true;
  });
}

function selectorMatches(sel: Obj, labels: Record<string, string>): boolean {
  const okLabels = Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const okExpr = (sel.matchExpressions ?? []).every((e: Obj) => {
    switch (e.operator) {
      case 'Exists': return e.key in labels;
      case 'DoesNotExist': return !(e.key in labels);
      case 'In': return e.key in labels && e.values.includes(labels[e.key]);
      case 'NotIn': return !(e.key in labels) || !e.values.includes(labels[e.key]);
      default: throw new Error(`kyverno test support: selector operator ${e.operator}`);
    }
  });
  return okLabels && okExpr;
}

function wildcard(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))).join('')}$`, 's');
  return re.test(value);
}

/** A `{{ ... }}` expression of the supported form, evaluated on the admission request. */
function variable(expr: string, request: Obj): unknown {
  const m = /^\{\{\s*(.*?)\s*\}\}$/.exec(expr);
  if (!m) return expr;
  for (const alt of m[1].split('||').map((s) => s.trim())) {
    const literal = /^'(.*)'$/.exec(alt);
    if (literal) return literal[1];
    const segments = alt.match(/"[^"]*"|[^.]+/g);
    if (!segments || segments.join('.') !== alt) throw new Error(`kyverno test support: expression ${alt}`);
    let v: any = request;
    for (const s of segments) v = v === null || typeof v !== 'object' ? undefined : v[s.startsWith('"') ? s.slice(1, -1) : s];
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return null;
}

function preconditionsPass(pre: Obj | undefined, request: Obj): boolean {
  if (!pre) return true;
  const one = (c: Obj) => {
    const key = variable(c.key, request);
    const value = variable(String(c.value), request);
    if (c.operator === 'Equals') return String(key) === String(value);
    if (c.operator === 'NotEquals') return String(key) !== String(value);
    throw new Error(`kyverno test support: precondition operator ${c.operator}`);
  };
  for (const k of Object.keys(pre)) if (!['all', 'any'].includes(k)) throw new Error(`kyverno test support: preconditions.${k}`);
  return (pre.all ?? []).every(one) && (pre.any === undefined || pre.any.some(one));
}

/** One element of a string pattern (no `|` or `&`) against a scalar value. */
function scalarMatches(pattern: string, value: unknown): boolean {
  if (pattern.startsWith('!')) return !scalarMatches(pattern.slice(1), value);
  const cmp = /^(>=|<=|>|<)(.+)$/.exec(pattern);
  if (cmp) {
    const [a, b] = [Number(value), Number(cmp[2])];
    if (Number.isNaN(a) || Number.isNaN(b)) return false;
    return cmp[1] === '>' ? a > b : cmp[1] === '>=' ? a >= b : cmp[1] === '<' ? a < b : a <= b;
  }
  return wildcard(pattern, String(value));
}

/** Whether `value` matches `pattern`, as a Kyverno validate pattern. */
export function patternMatches(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) {
    if (pattern.length !== 1) throw new Error('kyverno test support: array patterns of one element only');
    return Array.isArray(value) && value.every((v) => patternMatches(pattern[0], v));
  }
  if (pattern !== null && typeof pattern === 'object') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    return Object.entries(pattern).every(([key, sub]) => {
      const equality = /^=\((.+)\)$/.exec(key);
      if (equality) return !(equality[1] in value) || patternMatches(sub, (value as Obj)[equality[1]]);
      if (/^(?:X|\^|\+|<)?\(.*\)$/.test(key)) throw new Error(`kyverno test support: anchor ${key}`);
      return key in value && patternMatches(sub, (value as Obj)[key]);
    });
  }
  if (value === undefined || value === null || (typeof value === 'object')) return false;
  if (typeof pattern !== 'string') return pattern === value;
  return pattern.split('|').some((alt) => alt.split('&').every((part) => scalarMatches(part.trim(), value)));
}

/**
 * Why a policy refuses a resource (Pod or pod controller) in a namespace with these labels, as
 * Kyverno's admission webhook would with `failureAction: Enforce`; undefined when it admits it.
 */
export function refusal(policy: Obj, resource: Obj, nsLabels: Record<string, string>): string | undefined {
  const namespace = resource.metadata?.namespace ?? nsLabels['kubernetes.io/metadata.name'];
  const viaController = resource.kind !== 'Pod';
  if (viaController && !autogenControllers(policy).includes(resource.kind)) return undefined;
  const pod = podView(resource);
  for (const rule of policy.spec.rules) {
    if (!matchesBlock(rule.match, 'Pod', namespace, nsLabels) || matchesBlock(rule.exclude, 'Pod', namespace, nsLabels)) continue;
    // a generated rule reads the pod template where the Pod rule reads the Pod
    if (!preconditionsPass(rule.preconditions, { request: { object: pod } })) continue;
    if (rule.validate?.failureAction !== 'Enforce') continue;
    if (!patternMatches(rule.validate.pattern, pod)) return `${policy.metadata.name}/${viaController ? `autogen-${rule.name}` : rule.name}: ${rule.validate.message}`;
  }
  return undefined;
}
