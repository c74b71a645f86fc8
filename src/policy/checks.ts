import { parse } from 'yaml';
import { layerValues } from '../core/merge';
import { CredentialScan, externalSecretLiterals, isListKind, LITERAL_CREDENTIAL_LINE, multilineStrings, nestedSecrets, parseYamlDocuments } from './secret-checks';
import { SecurityRule } from './security-rule';

/** A parsed object of the output: a Kubernetes manifest or a Terraform JSON document. */
type Obj = Record<string, unknown>;

/** One rule broken by one file of the output. */
export interface PolicyFinding {
  readonly rule: SecurityRule;
  /** The output file (relative to the output folder). */
  readonly file: string;
  /** What is wrong, with the value found, what is allowed and how to fix it. */
  readonly message: string;
  /** The Kubernetes object (`metadata.name` and kind), when the finding is about one. */
  readonly resource?: { readonly name: string; readonly kind: string };
}

/** One file of the output, as the policy pass reads it. */
export interface PolicyFile {
  /** The path relative to the output folder (or the manifest path for the cdk8s plugin). */
  readonly file: string;
  /** The text of the file. */
  readonly text: string;
  /** Namespaces are matched with their quota and policies inside one scope (one cluster). */
  readonly scope: string;
  /** The objects in the file, when already parsed (else parsed here, only when a rule needs them). */
  readonly objects?: readonly unknown[];
}

/** Options of the policy pass. */
export interface PolicyOptions {
  /** The rules to run. */
  readonly rules: ReadonlySet<SecurityRule>;
  /** AppProjects allowed to use wildcards (the platform's own). */
  readonly platformProjects: ReadonlySet<string>;
}

const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Obj : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const at = (v: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((o, k) => obj(o)?.[k], v);
const show = (v: unknown) => JSON.stringify(v) ?? 'nothing';

const POD_KINDS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob']);
const INTERESTING = new Set([...POD_KINDS, 'Secret', 'Namespace', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'AppProject', 'Application', 'ApplicationSet', 'ConfigMap', 'List']);
/** `kind:` at the top of any document of a file (quoted or not); files in JSON form are always parsed. */
const TOP_KIND = /^["']?kind["']?:\s*["']?(\w+)/gm;
const RISKY_VALUES = /privileged["']?:\s*["']?true|runAsUser["']?:\s*["']?0\b|runAsNonRoot["']?:\s*["']?false|allowPrivilegeEscalation["']?:\s*["']?true/;
const PSA_LEVELS = new Set(['baseline', 'restricted']);
const OPEN_RANGES = new Set(['0.0.0.0/0', '::/0', '*', '0.0.0.0/1', '128.0.0.0/1']);
/** `kind: Secret` anywhere in a text (nested in values, or in a YAML string). */
const NESTED_SECRET = /\bkind\\?["']?:\s*\\?["']?Secret\b/;
const isToken = (v: unknown) => typeof v === 'string' && v.includes('${');

function msg(rule: SecurityRule, file: string, got: string, allowed: string, fix: string): PolicyFinding {
  return { rule, file, message: `${rule} in ${show(file)}: got ${got}. Allowed: ${allowed}. Fix: ${fix}.` };
}

/** A Helm chart installed by an Application or ApplicationSet, checked once every file has been read. */
interface ChartInstall {
  readonly file: string;
  readonly what: string;
  readonly chart: string;
  /** valuesObject/values, then parameters: applied over the values files. */
  readonly inline: unknown;
  /** Each distinct list of values files (an ApplicationSet has one per generator). */
  readonly chains: readonly (readonly string[])[];
  readonly resource: { readonly name: string; readonly kind: string };
}

interface TenantFacts {
  file: string;
  name: string;
  psa?: unknown;
  quota: boolean;
  limitRange: boolean;
  denyIngress: boolean;
  denyEgress: boolean;
}

/**
 * Runs the security rules over the output, in one pass: each file is scanned once
 * for credentials and parsed at most once; tenant namespaces are matched with their
 * quota and policies through a map, so the pass is linear in the size of the output.
 */
export function runPolicyChecks(files: Iterable<PolicyFile>, options: PolicyOptions): PolicyFinding[] {
  const on = (r: SecurityRule) => options.rules.has(r);
  const findings: PolicyFinding[] = [];
  const namespaces = new Map<string, TenantFacts>();
  const facts = (scope: string, ns: string) => {
    const key = `${scope}\u0000${ns}`;
    let f = namespaces.get(key);
    if (!f) {
      f = { file: '', name: ns, quota: false, limitRange: false, denyIngress: false, denyEgress: false };
      namespaces.set(key, f);
    }
    return f;
  };

  const installs: ChartInstall[] = [];
  // YAML files by path, to resolve the values files that Applications reference in this repository
  const yamlFiles = new Map<string, string>();
  const credentials = new CredentialScan();
  for (const f of files) {
    if (/\.ya?ml$/.test(f.file)) yamlFiles.set(f.file, f.text);
    if (on(SecurityRule.NO_CREDENTIALS)) credentials.add(f.file, f.text);
    if (f.file.endsWith('.tf.json')) {
      let doc: unknown;
      try {
        doc = f.objects?.[0] ?? JSON.parse(f.text);
      } catch {
        continue;
      }
      if (on(SecurityRule.NO_CREDENTIALS)) {
        // JSON escapes line breaks: the strings that span lines (Helm values, scripts) are scanned as they are
        for (const s of multilineStrings(doc)) credentials.add(f.file, s, f.text.slice(0, Math.max(0, f.text.indexOf(JSON.stringify(s).slice(1, 60)))).split('\n').length);
      }
      checkTerraform(f.file, doc, on, options, findings);
      continue;
    }
    if (!/\.ya?ml$/.test(f.file)) continue;
    const kinds = [...f.text.matchAll(TOP_KIND)].map((m) => m[1]);
    const risky = on(SecurityRule.NO_PRIVILEGED_CONTAINERS) && RISKY_VALUES.test(f.text);
    const secretInside = on(SecurityRule.NO_SECRET_DATA) && (NESTED_SECRET.test(f.text) || (kinds.some(isListKind))
      || (kinds.includes('ExternalSecret') && LITERAL_CREDENTIAL_LINE.test(f.text)));
    if (!f.objects && !risky && !secretInside && !/^\s*[{[]/.test(f.text) && !kinds.some((k) => INTERESTING.has(k))) continue;
    let objects: unknown[];
    try {
      // every document of the file (a Secret may hide in the second one), and the items of a List
      // YAML 1.1 merge keys (`<<: *base`) applied, as Kubernetes reads them
      objects = [...(f.objects ?? parseYamlDocuments(f.text))];
    } catch {
      continue;
    }
    for (let i = 0; i < objects.length; i++) {
      const o = objects[i];
      if (isListKind(at(o, 'kind'))) objects.push(...arr(at(o, 'items')));
    }
    for (const o of objects) {
      const kind = at(o, 'kind');
      if (typeof kind !== 'string') {
        // Helm values files: the container rules, and Secrets held in values (extraObjects, manifests as text)
        if (risky) walkRiskyValues(f.file, 'values', o, findings);
        if (secretInside) secretsInValues(f.file, 'values', o, findings);
        continue;
      }
      const before = findings.length;
      checkManifest(f, kind, o as Obj, on, options, findings, facts, installs);
      const resource = { name: String(at(o, 'metadata', 'name') ?? ''), kind };
      for (let i = before; i < findings.length; i++) findings[i] = { ...findings[i], resource };
    }
  }

  checkChartInstalls(installs, yamlFiles, on, findings);
  for (const c of credentials.findings()) {
    findings.push(msg(SecurityRule.NO_CREDENTIALS, c.file, `${c.kind} on line ${c.line} (${show(c.preview)})`,
      'no credentials in the output: it is committed to Git', 'store the value in the platform secret store and reference it with an ExternalSecret, then rotate the exposed credential'));
  }

  if (on(SecurityRule.TENANT_ISOLATION)) {
    for (const t of namespaces.values()) {
      if (!t.file) continue; // a namespace that is not a tenant's
      const missing: string[] = [];
      if (!PSA_LEVELS.has(String(t.psa))) missing.push('the label pod-security.kubernetes.io/enforce: baseline or restricted');
      if (!t.quota) missing.push('a ResourceQuota');
      if (!t.limitRange) missing.push('a LimitRange');
      if (!t.denyIngress || !t.denyEgress) missing.push('a default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules)');
      if (missing.length > 0) {
        findings.push(msg(SecurityRule.TENANT_ISOLATION, t.file, `tenant namespace ${show(t.name)} without ${missing.join(', ')}`,
          'a tenant namespace fenced by Pod Security Admission, a quota, a LimitRange and default-deny policies', 'create tenants with TenantVCluster, or add the missing objects to the namespace'));
      }
    }
  }
  return findings;
}

type On = (r: SecurityRule) => boolean;

function checkManifest(f: PolicyFile, kind: string, o: Obj, on: On, options: PolicyOptions, out: PolicyFinding[],
  facts: (scope: string, ns: string) => TenantFacts, installs: ChartInstall[]): void {
  const name = String(at(o, 'metadata', 'name') ?? '');
  const ns = String(at(o, 'metadata', 'namespace') ?? '');
  const file = f.file;
  if (on(SecurityRule.NO_SECRET_DATA) && !isListKind(kind) && /Secret/.test(f.text)) {
    const nested = nestedSecrets(o);
    if (nested.length > 0) {
      out.push(msg(SecurityRule.NO_SECRET_DATA, file, `${kind} ${show(name)} holding a Secret with data at ${nested.join(', ')}`, 'Secrets without data only, also inside chart values and manifests held as text',
        'put the value in the platform secret store and create the Secret with an ExternalSecret'));
    }
  }
  switch (kind) {
    case 'ExternalSecret': {
      const literals = on(SecurityRule.NO_SECRET_DATA) ? externalSecretLiterals(o) : [];
      if (literals.length > 0) {
        out.push(msg(SecurityRule.NO_SECRET_DATA, file, `ExternalSecret ${show(name)} with literal credentials in its template (${literals.join(', ')})`,
          'template values that read from the store ({{ .key }}); literals are written into the Secret from Git', 'keep the value in the secret store and reference it in the template'));
      }
      break;
    }
    case 'Secret':
      if (on(SecurityRule.NO_SECRET_DATA) && (hasEntries(o.data) || hasEntries(o.stringData))) {
        out.push(msg(SecurityRule.NO_SECRET_DATA, file, `Secret ${show(name)} with data`, 'Secrets without data only (credentials never go to Git)',
          'put the value in the platform secret store and create the Secret with an ExternalSecret'));
      }
      break;
    case 'Namespace': {
      const labels = obj(at(o, 'metadata', 'labels')) ?? {};
      if (typeof labels.tenant === 'string') {
        const t = facts(f.scope, name);
        t.file = file;
        t.psa = labels['pod-security.kubernetes.io/enforce'];
      }
      break;
    }
    case 'ResourceQuota':
      facts(f.scope, ns).quota = true;
      break;
    case 'LimitRange':
      facts(f.scope, ns).limitRange = true;
      break;
    case 'NetworkPolicy': {
      const sel = obj(at(o, 'spec', 'podSelector'));
      const all = sel !== undefined && Object.values(sel).every((v) => arr(v).length === 0 && (obj(v) === undefined || Object.keys(obj(v)!).length === 0));
      const types = arr(at(o, 'spec', 'policyTypes'));
      if (all && types.includes('Ingress') && arr(at(o, 'spec', 'ingress')).length === 0) facts(f.scope, ns).denyIngress = true;
      if (all && types.includes('Egress') && arr(at(o, 'spec', 'egress')).length === 0) facts(f.scope, ns).denyEgress = true;
      break;
    }
    case 'AppProject':
      if (on(SecurityRule.NO_WILDCARD_APPPROJECT)) checkProject(file, name, at(o, 'spec'), options, out);
      break;
    case 'Application':
    case 'ApplicationSet': {
      const spec = kind === 'Application' ? at(o, 'spec') : at(o, 'spec', 'template', 'spec');
      if (on(SecurityRule.NO_DEFAULT_PROJECT)) checkAppProject(file, `${kind} ${show(name)}`, at(spec, 'project'), out);
      const sources = [at(spec, 'source'), ...arr(at(spec, 'sources'))].filter((s) => obj(s) !== undefined);
      for (const s of sources) {
        const chart = at(s, 'chart');
        if (typeof chart !== 'string') continue;
        // Argo CD passes `parameters` to Helm as --set (or --set-string with forceString), over the values
        const inline = layerValues(helmValues(s) ?? {}, setOverlay(arr(at(s, 'helm', 'parameters')), 'forceString', true));
        const own = arr(at(s, 'helm', 'valueFiles')).map(String);
        let chains: string[][] = [own];
        // the library's ApplicationSets give each generator its values files, spliced in by the templatePatch
        const patch = at(o, 'spec', 'templatePatch');
        if (kind === 'ApplicationSet' && typeof patch === 'string' && patch.includes('.values.valueFiles')) {
          const lists = arr(at(o, 'spec', 'generators')).map((g) => String(at(g, 'clusters', 'values', 'valueFiles') ?? ''));
          chains = [...new Set(lists)].map((l) => [...own, ...l.split(',').filter((x) => x !== '')]);
        }
        installs.push({ file, what: `${kind} ${show(name)}`, chart, inline, chains, resource: { name, kind } });
      }
      break;
    }
    case 'ConfigMap':
      if (on(SecurityRule.ARGOCD_HARDENED) && name === 'argocd-cm' && String(at(o, 'data', 'admin.enabled')) !== 'false') {
        out.push(msg(SecurityRule.ARGOCD_HARDENED, file, `ConfigMap argocd-cm with admin.enabled ${show(at(o, 'data', 'admin.enabled'))}`,
          '"admin.enabled": "false" (log in through SSO)', 'set data["admin.enabled"] to "false"'));
      }
      if (on(SecurityRule.ARGOCD_HARDENED) && name === 'argocd-rbac-cm' && !readOnlyDefault(at(o, 'data', 'policy.default'))) {
        out.push(msg(SecurityRule.ARGOCD_HARDENED, file, `ConfigMap argocd-rbac-cm with policy.default ${show(at(o, 'data', 'policy.default'))}`,
          '"role:readonly" or "" (no access)', 'set data["policy.default"] to "role:readonly" and grant more through group policies'));
      }
      break;
    default:
      if (POD_KINDS.has(kind) && on(SecurityRule.NO_PRIVILEGED_CONTAINERS)) checkPodSpec(file, `${kind} ${show(name)}`, podSpecOf(kind, o), out);
      if (POD_KINDS.has(kind)) checkPodResources(file, `${kind} ${show(name)}`, podSpecOf(kind, o), on, out);
  }
}

function secretsInValues(file: string, what: string, values: unknown, out: PolicyFinding[]): void {
  const nested = nestedSecrets(values);
  if (nested.length > 0) {
    out.push(msg(SecurityRule.NO_SECRET_DATA, file, `${what} holding a Secret with data at ${nested.join(', ')}`, 'Secrets without data only, also inside chart values and manifests held as text',
      'put the value in the platform secret store and create the Secret with an ExternalSecret'));
  }
}

function hasEntries(v: unknown): boolean {
  const o = obj(v);
  return o !== undefined && Object.keys(o).length > 0;
}

function checkAppProject(file: string, what: string, project: unknown, out: PolicyFinding[]): void {
  if (project === undefined || project === '' || project === 'default') {
    out.push(msg(SecurityRule.NO_DEFAULT_PROJECT, file, `${what} in project ${show(project ?? 'default')}`,
      'an explicit AppProject other than "default"', 'set spec.project to the platform\'s or the tenant\'s AppProject'));
  }
}

function checkProject(file: string, name: string, spec: unknown, options: PolicyOptions, out: PolicyFinding[]): void {
  if (options.platformProjects.has(name)) return;
  const wild: string[] = [];
  for (const r of arr(at(spec, 'sourceRepos'))) if (String(r).includes('*')) wild.push(`sourceRepos ${show(r)}`);
  for (const d of arr(at(spec, 'destinations'))) {
    for (const k of ['server', 'name']) if (String(at(d, k) ?? '').includes('*')) wild.push(`destination ${k} ${show(at(d, k))}`);
  }
  if (wild.length > 0) {
    out.push(msg(SecurityRule.NO_WILDCARD_APPPROJECT, file, `AppProject ${show(name)} with ${wild.join(', ')}`,
      'named source repositories and destination clusters (only the platform\'s own project may use "*")', 'list the repositories and clusters the project may use'));
  }
}

function helmValues(source: unknown): unknown {
  const vo = at(source, 'helm', 'valuesObject');
  if (vo !== undefined) return vo;
  const v = at(source, 'helm', 'values');
  if (typeof v !== 'string') return undefined;
  try {
    return parse(v, { merge: true }) as unknown;
  } catch {
    return undefined;
  }
}

function readOnlyDefault(v: unknown): boolean {
  return v === undefined || v === '' || v === 'role:readonly';
}

/** `complete`: the values are all there is (else values files may set what is missing, and only wrong values count). */
function checkArgoValues(file: string, what: string, values: unknown, out: PolicyFinding[], complete: boolean): void {
  const admin = at(values, 'configs', 'cm', 'admin.enabled');
  if (admin !== false && admin !== 'false' && (complete || admin !== undefined)) {
    out.push(msg(SecurityRule.ARGOCD_HARDENED, file, `${what} installs Argo CD with configs.cm["admin.enabled"] ${show(admin)}`,
      'false (the local admin is disabled; people log in through SSO)', 'set configs.cm["admin.enabled"] to false in the chart values'));
  }
  const def = at(values, 'configs', 'rbac', 'policy.default');
  if (!readOnlyDefault(def)) {
    out.push(msg(SecurityRule.ARGOCD_HARDENED, file, `${what} installs Argo CD with configs.rbac["policy.default"] ${show(def)}`,
      '"role:readonly" or "" (no access)', 'set configs.rbac["policy.default"] to "role:readonly" and grant more through group policies'));
  }
}

/** Finds `privileged: true`, `allowPrivilegeEscalation: true`, `runAsUser: 0` and `runAsNonRoot: false` anywhere in Helm values. */
function walkRiskyValues(file: string, what: string, values: unknown, out: PolicyFinding[]): void {
  const stack: { v: unknown; p: string }[] = [{ v: values, p: '' }];
  while (stack.length > 0) {
    const { v, p } = stack.pop()!;
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, p: `${p}[${i}]` }));
    const o = obj(v);
    if (!o) continue;
    for (const [k, x] of Object.entries(o)) {
      const here = p ? `${p}.${k}` : k;
      if ((k === 'privileged' && x === true) || (k === 'runAsUser' && x === 0) || (k === 'runAsNonRoot' && x === false) || (k === 'allowPrivilegeEscalation' && x === true)) {
        out.push(msg(SecurityRule.NO_PRIVILEGED_CONTAINERS, file, `${what} set ${here}: ${show(x)}`,
          'containers that run unprivileged and as a non-root user', `remove ${here} or set it to a non-root, unprivileged value`));
      }
      if (typeof x === 'object' && x !== null) stack.push({ v: x, p: here });
    }
  }
}

function podSpecOf(kind: string, o: Obj): unknown {
  if (kind === 'Pod') return o.spec;
  if (kind === 'CronJob') return at(o, 'spec', 'jobTemplate', 'spec', 'template', 'spec');
  return at(o, 'spec', 'template', 'spec');
}

function checkPodSpec(file: string, what: string, spec: unknown, out: PolicyFinding[]): void {
  const pod = obj(at(spec, 'securityContext')) ?? {};
  const containers = ['initContainers', 'containers', 'ephemeralContainers'].flatMap((k) => arr(at(spec, k)));
  for (const c of containers) {
    const sc = obj(at(c, 'securityContext')) ?? {};
    const cname = show(at(c, 'name'));
    const problems: string[] = [];
    if (sc.privileged === true) problems.push('privileged: true');
    if (sc.allowPrivilegeEscalation === true) problems.push('allowPrivilegeEscalation: true');
    const user = sc.runAsUser ?? pod.runAsUser;
    const nonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
    if (user === 0) problems.push('runAsUser: 0');
    else if (nonRoot !== true && (typeof user !== 'number')) problems.push('no runAsNonRoot: true and no runAsUser (the image may run as root)');
    if (problems.length > 0) {
      out.push(msg(SecurityRule.NO_PRIVILEGED_CONTAINERS, file, `${what} container ${cname} with ${problems.join(', ')}`,
        'containers that run unprivileged and as a non-root user', 'set securityContext.runAsNonRoot: true (and a non-zero runAsUser), allowPrivilegeEscalation: false, and remove privileged'));
    }
  }
}

/** hostPath volumes, and containers without a memory limit. */
function checkPodResources(file: string, what: string, spec: unknown, on: On, out: PolicyFinding[]): void {
  if (on(SecurityRule.NO_HOST_PATH)) {
    const host = arr(at(spec, 'volumes')).filter((v) => obj(at(v, 'hostPath')) !== undefined);
    if (host.length > 0) {
      out.push(msg(SecurityRule.NO_HOST_PATH, file, `${what} with hostPath volumes ${host.map((v) => `${show(at(v, 'name'))} (${show(at(v, 'hostPath', 'path'))})`).join(', ')}`,
        'volumes that do not reach into the node\'s file system', 'use an emptyDir, a ConfigMap, a Secret or a persistent volume claim, or declare a policy exception for the catalog entry that needs it'));
    }
  }
  if (on(SecurityRule.RESOURCE_LIMITS)) {
    // init containers run before the others: their limits count too
    const unbounded = ['initContainers', 'containers'].flatMap((k) => arr(at(spec, k))).filter((c) => at(c, 'resources', 'limits', 'memory') === undefined);
    if (unbounded.length > 0) {
      out.push(msg(SecurityRule.RESOURCE_LIMITS, file, `${what} with containers without a memory limit: ${unbounded.map((c) => show(at(c, 'name'))).join(', ')}`,
        'every container with resources.limits.memory', 'set the memory limit in the chart values (usually <component>.resources.limits.memory), or declare a policy exception for the catalog entry'));
    }
  }
}

function checkTerraform(file: string, doc: unknown, on: On, options: PolicyOptions, out: PolicyFinding[]): void {
  const resources = obj(at(doc, 'resource')) ?? {};
  const each = (type: string, fn: (name: string, r: unknown) => void) => {
    for (const [n, r] of Object.entries(obj(resources[type]) ?? {})) fn(n, r);
  };
  if (on(SecurityRule.RESTRICTED_API_ENDPOINT)) {
    each('aws_eks_cluster', (n, r) => {
      const vpc = block(at(r, 'vpc_config'));
      if (at(vpc, 'endpoint_public_access') === false) return;
      const ranges = at(vpc, 'public_access_cidrs');
      if (openRanges(ranges)) {
        out.push(msg(SecurityRule.RESTRICTED_API_ENDPOINT, file, `aws_eks_cluster.${n} with a public endpoint open to ${show(ranges ?? ['0.0.0.0/0'])}`,
          'a private endpoint, or a public one limited to listed ranges', 'use ApiAccess.private() or ApiAccess.authorizedRanges([...]) on the cluster'));
      }
    });
    each('azurerm_kubernetes_cluster', (n, r) => {
      if (at(r, 'private_cluster_enabled') === true) return;
      const ranges = at(block(at(r, 'api_server_access_profile')), 'authorized_ip_ranges');
      if (openRanges(ranges)) {
        out.push(msg(SecurityRule.RESTRICTED_API_ENDPOINT, file, `azurerm_kubernetes_cluster.${n} with a public API server open to ${show(ranges ?? ['0.0.0.0/0'])}`,
          'a private cluster, or authorized IP ranges', 'use ApiAccess.private() or ApiAccess.authorizedRanges([...]) on the cluster'));
      }
    });
  }
  if (on(SecurityRule.NO_SECRET_DATA)) {
    for (const type of ['kubernetes_secret', 'kubernetes_secret_v1']) {
      each(type, (n, r) => {
        if (hasEntries(at(r, 'data')) || hasEntries(at(r, 'binary_data'))) {
          out.push(msg(SecurityRule.NO_SECRET_DATA, file, `${type}.${n} with data`, 'Secrets without data only (the Terraform JSON is committed to Git)',
            'read the value from the secret store at apply time (a data source), never as a literal'));
        }
      });
    }
    each('kubernetes_manifest', (n, r) => secretsInValues(file, `kubernetes_manifest.${n}`, at(r, 'manifest'), out));
    each('kubernetes_manifest', (n, r) => {
      const m = at(r, 'manifest');
      if (at(m, 'kind') === 'Secret' && (hasEntries(at(m, 'data')) || hasEntries(at(m, 'stringData')))) {
        out.push(msg(SecurityRule.NO_SECRET_DATA, file, `kubernetes_manifest.${n} with a Secret with data`, 'Secrets without data only (the Terraform JSON is committed to Git)',
          'read the value from the secret store at apply time (a data source), never as a literal'));
      }
    });
    each('helm_release', (n, r) => {
      const literal = arr(at(r, 'set_sensitive')).filter((s) => typeof at(s, 'value') === 'string' && !isToken(at(s, 'value')));
      if (literal.length > 0) {
        out.push(msg(SecurityRule.NO_SECRET_DATA, file, `helm_release.${n} with literal set_sensitive values (${literal.map((s) => show(at(s, 'name'))).join(', ')})`,
          'sensitive values read at apply time', 'read them from the secret store with a data source'));
      }
    });
  }
  each('helm_release', (n, r) => {
    const values = arr(at(r, 'values')).filter((v): v is string => typeof v === 'string' && !v.startsWith('${')).map((v) => {
      try {
        return parse(v, { merge: true }) as unknown;
      } catch {
        return undefined;
      }
    });
    const what = `helm_release.${n}`;
    const chart = at(r, 'chart');
    if (on(SecurityRule.NO_SECRET_DATA)) values.forEach((v) => secretsInValues(file, `${what} values`, v, out));
    // Helm layers the values in order, then the `set` blocks over them (`set_sensitive` is checked above)
    const merged = layerValues(values.reduce<unknown>((a, v) => layerValues(a, v), {}), setOverlay(arr(at(r, 'set')), 'type', 'string'));
    checkChartValues(file, what, typeof chart === 'string' ? chart : '', merged, merged, on, out);
    for (const v of values) {
      if (chart !== 'argocd-apps') continue;
      for (const [pname, p] of Object.entries(obj(at(v, 'projects')) ?? {})) {
        if (on(SecurityRule.NO_WILDCARD_APPPROJECT)) checkProject(file, pname, p, options, out);
      }
      for (const [aname, a] of Object.entries(obj(at(v, 'applications')) ?? {})) {
        if (on(SecurityRule.NO_DEFAULT_PROJECT)) checkAppProject(file, `${what} application ${show(aname)}`, at(a, 'project'), out);
      }
    }
  });
}

/** A Terraform JSON block: an object, or a list holding one. */
function block(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : v;
}

/**
 * An API server allow-list that is missing, empty, open to everyone, or known only at
 * apply time (a `${...}` reference cannot be reviewed in Git).
 */
/**
 * The fleet endpoint wiring the library renders: the management state's egress addresses
 * (each a /32 of a NAT gateway or load balancer IP), optionally after literal ranges.
 */
const MANAGEMENT_EGRESS = /^\$\{(?:concat\(\[((?:"[^"]*"(?:, )?)*)\], )?data\.terraform_remote_state\.management-state\.outputs\.egress_cidrs\)?\}$/;

function openRanges(ranges: unknown): boolean {
  const egress = typeof ranges === 'string' ? MANAGEMENT_EGRESS.exec(ranges) : null;
  if (egress && (ranges as string).startsWith('${concat(') === (egress[1] !== undefined)) {
    const literal = [...(egress[1] ?? '').matchAll(/"([^"]*)"/g)].map((m) => m[1]);
    return literal.some((c) => OPEN_RANGES.has(c.trim()));
  }
  if (isToken(ranges)) return true;
  const list = arr(ranges);
  return list.length === 0 || list.some((c) => isToken(c) || OPEN_RANGES.has(String(c).trim()));
}

/**
 * Helm `--set name=value` entries (Terraform `set` blocks, Argo CD `parameters`) as a
 * values overlay: `a.b\\.c` is keys `a` and `b.c`, `a[0]` is key `0`; values are typed as
 * Helm types them (true, false, integers) unless the entry says it is a string.
 */
function setOverlay(entries: unknown[], stringKey: string, stringValue: unknown): unknown {
  const out: Obj = {};
  for (const e of entries) {
    const name = at(e, 'name');
    const raw = at(e, 'value');
    if (typeof name !== 'string' || raw === undefined || isToken(raw)) continue;
    let value: unknown = raw;
    if (typeof raw === 'string' && at(e, stringKey) !== stringValue) {
      if (raw === 'true' || raw === 'false') value = raw === 'true';
      else if (/^-?\d+$/.test(raw)) value = Number(raw);
    }
    const keys = name.split(/(?<!\\)\./).flatMap((k) => k.replace(/\\\./g, '.').split(/\[(\d+)\]/).filter((x) => x !== ''));
    let o = out;
    keys.forEach((k, i) => {
      if (i === keys.length - 1) o[k] = value;
      else o = (obj(o[k]) ?? (o[k] = {})) as Obj;
    });
  }
  return out;
}

/**
 * Charts whose defaults run a container as root: where their container security context
 * is, and the runAsUser the chart sets when the values do not.
 * @see https://github.com/loft-sh/vcluster/blob/main/chart/values.yaml (controlPlane.statefulSet.security)
 */
const ROOT_BY_DEFAULT: Readonly<Record<string, { readonly path: readonly string[]; readonly defaultUser: number }>> = {
  vcluster: { path: ['controlPlane', 'statefulSet', 'security', 'containerSecurityContext'], defaultUser: 0 },
};

/**
 * The checks on a chart's effective values (every layer, then --set entries): Argo CD
 * hardening, and charts that run as root by default (only when every values layer is
 * visible: `seesAll`); risky container settings anywhere in `walk`.
 */
function checkChartValues(file: string, what: string, chart: string, values: unknown, walk: unknown, on: On, out: PolicyFinding[], seesAll = true, valuesWord = ' values'): void {
  if (chart === 'argo-cd' && on(SecurityRule.ARGOCD_HARDENED)) checkArgoValues(file, what, values, out, seesAll);
  if (!on(SecurityRule.NO_PRIVILEGED_CONTAINERS)) return;
  if (walk !== undefined) walkRiskyValues(file, `${what}${valuesWord}`, walk, out);
  const root = ROOT_BY_DEFAULT[chart];
  if (!root || !seesAll) return;
  const csc = obj(at(values, ...root.path)) ?? {};
  // a key set to null removes the chart's default; the pod's runAsUser then applies
  const user = !('runAsUser' in csc) ? undefined : csc.runAsUser === null ? at(values, ...root.path.slice(0, -1), 'podSecurityContext', 'runAsUser') : csc.runAsUser;
  if (user === 0) return; // reported by walkRiskyValues
  if (typeof user !== 'number' || user < 1) {
    const where = root.path.join('.');
    out.push(msg(SecurityRule.NO_PRIVILEGED_CONTAINERS, file, `${what} installs ${chart} with ${where} runAsUser ${show(user)}${user === undefined ? ` (the chart's default is ${root.defaultUser}, root)` : ''}`,
      'containers that run unprivileged and as a non-root user', `set ${where}.runAsUser to a non-zero UID and runAsNonRoot: true in the chart values`));
  }
}

/**
 * Checks every chart install on its effective values: the values files it references in
 * this repository (`$values/<path>`, resolved against the output), then its inline values.
 * A values file that cannot be read here (another repository, a template) means the
 * chart's defaults cannot be judged: only wrong values count then.
 */
function checkChartInstalls(installs: readonly ChartInstall[], yamlFiles: ReadonlyMap<string, string>, on: On, out: PolicyFinding[]): void {
  const parsed = new Map<string, unknown>();
  const read = (ref: string): { file: string; found: boolean; values?: unknown } => {
    if (!ref.startsWith('$values/') || ref.includes('{{')) return { file: ref, found: false };
    // the reference starts with the repository path, which the output folder does not hold
    const segments = ref.slice('$values/'.length).split('/');
    for (let i = 0; i < segments.length; i++) {
      const candidate = segments.slice(i).join('/');
      const text = yamlFiles.get(candidate);
      if (text === undefined) continue;
      if (!parsed.has(candidate)) {
        try {
          parsed.set(candidate, parse(text, { merge: true }) as unknown);
        } catch {
          parsed.set(candidate, undefined);
        }
      }
      return { file: candidate, found: true, values: parsed.get(candidate) };
    }
    return { file: ref, found: false };
  };
  for (const ins of installs) {
    for (const [n, chain] of ins.chains.entries()) {
      let values: unknown = {};
      let seesAll = true;
      const layers = chain.map(read);
      for (const r of layers) {
        seesAll &&= r.found;
        values = layerValues(values, r.values ?? {});
      }
      values = layerValues(values, ins.inline);
      const before = out.length;
      const what = chain.length > 0 ? `${ins.what} (values files ${layers.map((r) => r.file).join(', ')})` : ins.what;
      // the values files are checked for risky settings on their own: here only the inline values
      checkChartValues(ins.file, what, ins.chart, values, n === 0 ? ins.inline : undefined, on, out, seesAll, ' Helm values');
      for (let i = before; i < out.length; i++) out[i] = { ...out[i], resource: ins.resource };
    }
  }
}
