import * as path from 'path';

/**
 * Every user-facing message of the library is built here, so they read alike:
 * `[<construct path>] <what>: got <value>. Allowed: <what is allowed>. Fix: <how>.`
 */

/** One problem found in the platform declaration. */
export interface Problem {
  /** The construct path the problem belongs to (e.g. `platform/mgmt`). */
  readonly path: string;
  /** The problem, with the value received and how to fix it. */
  readonly message: string;
  /**
   * Warnings are reported (in `platform.warnings` and on stderr by `synth()`) but do not stop synthesis.
   * @default 'error'
   */
  readonly severity?: 'error' | 'warning';
}

/**
 * Thrown when a platform declaration is invalid. Carries every problem found,
 * so one run reports all of them together.
 */
export class PlatformValidationError extends Error {
  /** The problems, in declaration order. */
  declare public readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    const lines = problems.map((p) => `[${p.path}] ${p.message}`);
    super(problems.length === 1
      ? lines[0]
      : `${problems.length} problems in the platform declaration:\n  ${lines.join('\n  ')}`);
    this.name = 'PlatformValidationError';
    // not enumerable: an uncaught error prints the list once (the message), not again as a property
    Object.defineProperty(this, 'problems', { value: problems, enumerable: false, writable: false });
    // Deep enough to reach the caller's frames below the library's own; formatted when first
    // read (V8 formats lazily, and the Terraform rendering turns formatting off meanwhile).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 100;
    const trace: { stack?: string } = {};
    Error.captureStackTrace(trace, PlatformValidationError);
    Error.stackTraceLimit = limit;
    let assigned: string | undefined;
    Object.defineProperty(this, 'stack', {
      configurable: true,
      enumerable: false,
      get: () => assigned ?? `${this.name}: ${this.message}${userFrames(trace.stack)}`,
      set: (v: string) => { assigned = v; },
    });
  }
}

/** The library's own folders (src/ in a checkout, lib/ in the package). */
const OWN_FOLDERS = [path.join(__dirname, '..', path.sep), path.join(__dirname, '..', '..', 'lib', path.sep)];

/**
 * A declaration error is the user's, not a bug of the library: its stack shows the caller's
 * frames (where `synth()` was called), without the library's frames or Node's.
 */
function userFrames(stack: string | undefined): string {
  const frames = (stack ?? '').split('\n').filter((l) => /^\s+at /.test(l))
    .filter((l) => !OWN_FOLDERS.some((d) => l.includes(d)) && !/\(node:|at node:|[\\/]node_modules[\\/]/.test(l));
  return frames.slice(0, 3).map((l) => `\n${l}`).join('');
}

/** Thrown when writing the output fails; the previous output is left untouched. */
export class PlatformWriteError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PlatformWriteError';
  }
}

/** The longest quote of a received value in a message; longer ones are cut (a message never carries a whole file). */
export const MAX_QUOTED = 200;

/**
 * A received value as a message quotes it: JSON for data, cut to {@link MAX_QUOTED}
 * characters; cycles, deep nesting, NaN, functions and symbols are described, never thrown on.
 */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? JSON.stringify(value) : preview(value, 0, new Set());
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}... (${text.length} characters)` : text;
}

function preview(value: unknown, depth: number, seen: Set<object>): string {
  switch (typeof value) {
    case 'string': return JSON.stringify(value.length > MAX_QUOTED * 2 ? value.slice(0, MAX_QUOTED * 2) : value);
    case 'number': return String(value);
    case 'bigint': return `${value}n`;
    case 'function': return 'a function';
    case 'symbol': return value.toString();
    case 'undefined': return 'undefined';
    case 'boolean': return String(value);
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'an invalid Date' : `a Date (${obj.toISOString()})`;
  if (seen.has(obj)) return '[a cycle]';
  if (depth >= 8) return Array.isArray(obj) ? '[...]' : '{...}';
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      const items = obj.slice(0, 20).map((x) => (x === undefined ? 'null' : preview(x, depth + 1, seen)));
      return `[${items.join(',')}${obj.length > 20 ? ',...' : ''}]`;
    }
    const entries = Object.entries(obj).filter(([, x]) => x !== undefined);
    const items = entries.slice(0, 20).map(([k, x]) => `${JSON.stringify(k)}:${preview(x, depth + 1, seen)}`);
    return `{${items.join(',')}${entries.length > 20 ? ',...' : ''}}`;
  } finally {
    seen.delete(obj);
  }
}

/** The first line of an error's message (cut to `max` characters), for a message that quotes a parser. */
function firstLine(error: unknown, max?: number): string {
  const line = String(error instanceof Error ? error.message : error).split('\n')[0];
  return max === undefined ? line : line.slice(0, max);
}

/** Builds the message for a property with a bad value. */
export function badValue(prop: string, value: unknown, allowed: string, fix: string): string {
  return `${prop}: got ${show(value)}. Allowed: ${allowed}. Fix: ${fix}.`;
}

/** Throws a single-problem validation error for a construct. */
export function fail(path: string, message: string): never {
  throw new PlatformValidationError([{ path, message }]);
}

/** A value quoted whole in a policy finding: JSON, `nothing` for undefined (findings quote what they found, uncut). */
const quoted = (v: unknown) => JSON.stringify(v) ?? 'nothing';

/** A finding of the security policy pass: `<rule> in "<file>": got <what was found>. Allowed: <...>. Fix: <...>.` */
export function policyFinding(rule: string, file: string, got: string, allowed: string, fix: string): string {
  return `${rule} in ${quoted(file)}: got ${got}. Allowed: ${allowed}. Fix: ${fix}.`;
}

const NO_SECRET_DATA_INSIDE = 'Secrets without data only, also inside chart values and manifests held as text';
const STORE_AND_EXTERNAL_SECRET = 'put the value in the platform secret store and create the Secret with an ExternalSecret';
const NO_SECRET_DATA_TERRAFORM = 'Secrets without data only (the Terraform JSON is committed to Git)';
const READ_AT_APPLY = 'read the value from the secret store at apply time (a data source), never as a literal';
const UNPRIVILEGED = 'containers that run unprivileged and as a non-root user';
const RESTRICT_API = 'use ApiAccess.private() or ApiAccess.authorizedRanges([...]) on the cluster';
const READ_ONLY_DEFAULT = '"role:readonly" or "" (no access)';

/**
 * The findings of the security policy pass, one builder each; `rule` is the rule's id and
 * `file` the output file. `what` names the object or the values (`Deployment "x"`,
 * `helm_release.argocd values`).
 */
export const policyMessages = {
  credentials: (rule: string, file: string, kind: string, line: number, preview: string) => policyFinding(rule, file, `${kind} on line ${line} (${quoted(preview)})`,
    'no credentials in the output: it is committed to Git', 'store the value in the platform secret store and reference it with an ExternalSecret, then rotate the exposed credential'),
  /** What a tenant namespace lacks, in the order {@link policyMessages.tenantIsolation} lists them. */
  tenantFence: {
    podSecurity: 'the label pod-security.kubernetes.io/enforce: baseline or restricted',
    quota: 'a ResourceQuota',
    limitRange: 'a LimitRange',
    defaultDeny: 'a default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules)',
  },
  tenantIsolation: (rule: string, file: string, namespace: string, missing: readonly string[]) => policyFinding(rule, file, `tenant namespace ${quoted(namespace)} without ${missing.join(', ')}`,
    'a tenant namespace fenced by Pod Security Admission, a quota, a LimitRange and default-deny policies', 'create tenants with TenantVCluster, or add the missing objects to the namespace'),
  secretInside: (rule: string, file: string, what: string, at: readonly string[]) => policyFinding(rule, file, `${what} holding a Secret with data at ${at.join(', ')}`,
    NO_SECRET_DATA_INSIDE, STORE_AND_EXTERNAL_SECRET),
  externalSecretLiterals: (rule: string, file: string, name: string, literals: readonly string[]) => policyFinding(rule, file, `ExternalSecret ${quoted(name)} with literal credentials in its template (${literals.join(', ')})`,
    'template values that read from the store ({{ .key }}); literals are written into the Secret from Git', 'keep the value in the secret store and reference it in the template'),
  secretWithData: (rule: string, file: string, name: string) => policyFinding(rule, file, `Secret ${quoted(name)} with data`, 'Secrets without data only (credentials never go to Git)',
    STORE_AND_EXTERNAL_SECRET),
  terraformSecretWithData: (rule: string, file: string, what: string) => policyFinding(rule, file, `${what} with data`, NO_SECRET_DATA_TERRAFORM, READ_AT_APPLY),
  terraformManifestSecret: (rule: string, file: string, what: string) => policyFinding(rule, file, `${what} with a Secret with data`, NO_SECRET_DATA_TERRAFORM, READ_AT_APPLY),
  literalSetSensitive: (rule: string, file: string, what: string, names: readonly unknown[]) => policyFinding(rule, file, `${what} with literal set_sensitive values (${names.map(quoted).join(', ')})`,
    'sensitive values read at apply time', 'read them from the secret store with a data source'),
  argocdAdminEnabled: (rule: string, file: string, value: unknown) => policyFinding(rule, file, `ConfigMap argocd-cm with admin.enabled ${quoted(value)}`,
    '"admin.enabled": "false" (log in through SSO)', 'set data["admin.enabled"] to "false"'),
  argocdPolicyDefault: (rule: string, file: string, value: unknown) => policyFinding(rule, file, `ConfigMap argocd-rbac-cm with policy.default ${quoted(value)}`,
    READ_ONLY_DEFAULT, 'set data["policy.default"] to "role:readonly" and grant more through group policies'),
  argocdValuesAdmin: (rule: string, file: string, what: string, value: unknown) => policyFinding(rule, file, `${what} installs Argo CD with configs.cm["admin.enabled"] ${quoted(value)}`,
    'false (the local admin is disabled; people log in through SSO)', 'set configs.cm["admin.enabled"] to false in the chart values'),
  argocdValuesPolicyDefault: (rule: string, file: string, what: string, value: unknown) => policyFinding(rule, file, `${what} installs Argo CD with configs.rbac["policy.default"] ${quoted(value)}`,
    READ_ONLY_DEFAULT, 'set configs.rbac["policy.default"] to "role:readonly" and grant more through group policies'),
  defaultProject: (rule: string, file: string, what: string, project: unknown) => policyFinding(rule, file, `${what} in project ${quoted(project)}`,
    'an explicit AppProject other than "default"', 'set spec.project to the platform\'s or the tenant\'s AppProject'),
  wildcardProject: (rule: string, file: string, name: string, wildcards: readonly string[]) => policyFinding(rule, file, `AppProject ${quoted(name)} with ${wildcards.join(', ')}`,
    'named source repositories and destination clusters (only the platform\'s own project may use "*")', 'list the repositories and clusters the project may use'),
  /** One wildcard entry of an AppProject, for {@link policyMessages.wildcardProject}. */
  wildcardSource: (repo: unknown) => `sourceRepos ${quoted(repo)}`,
  wildcardDestination: (key: string, value: unknown) => `destination ${key} ${quoted(value)}`,
  riskyValue: (rule: string, file: string, what: string, at: string, value: unknown) => policyFinding(rule, file, `${what} set ${at}: ${quoted(value)}`,
    UNPRIVILEGED, `remove ${at} or set it to a non-root, unprivileged value`),
  /** A container's risky settings, for {@link policyMessages.privilegedContainer}. */
  containerRisk: {
    privileged: 'privileged: true',
    escalation: 'allowPrivilegeEscalation: true',
    root: 'runAsUser: 0',
    maybeRoot: 'no runAsNonRoot: true and no runAsUser (the image may run as root)',
  },
  privilegedContainer: (rule: string, file: string, what: string, container: unknown, problems: readonly string[]) => policyFinding(rule, file, `${what} container ${quoted(container)} with ${problems.join(', ')}`,
    UNPRIVILEGED, 'set securityContext.runAsNonRoot: true (and a non-zero runAsUser), allowPrivilegeEscalation: false, and remove privileged'),
  rootByDefault: (rule: string, file: string, what: string, chart: string, where: string, user: unknown, defaultUser: number) => policyFinding(rule, file,
    `${what} installs ${chart} with ${where} runAsUser ${quoted(user)}${user === undefined ? ` (the chart's default is ${defaultUser}, root)` : ''}`,
    UNPRIVILEGED, `set ${where}.runAsUser to a non-zero UID and runAsNonRoot: true in the chart values`),
  hostPath: (rule: string, file: string, what: string, volumes: readonly { readonly name: unknown; readonly path: unknown }[]) => policyFinding(rule, file,
    `${what} with hostPath volumes ${volumes.map((v) => `${quoted(v.name)} (${quoted(v.path)})`).join(', ')}`,
    'volumes that do not reach into the node\'s file system', 'use an emptyDir, a ConfigMap, a Secret or a persistent volume claim, or declare a policy exception for the catalog entry that needs it'),
  memoryLimit: (rule: string, file: string, what: string, containers: readonly unknown[]) => policyFinding(rule, file, `${what} with containers without a memory limit: ${containers.map(quoted).join(', ')}`,
    'every container with resources.limits.memory', 'set the memory limit in the chart values (usually <component>.resources.limits.memory), or declare a policy exception for the catalog entry'),
  openApiEndpoint: (rule: string, file: string, what: string, ranges: unknown) => policyFinding(rule, file, `${what} with a public endpoint open to ${quoted(ranges)}`,
    'a private endpoint, or a public one limited to listed ranges', RESTRICT_API),
  openApiServer: (rule: string, file: string, what: string, ranges: unknown) => policyFinding(rule, file, `${what} with a public API server open to ${quoted(ranges)}`,
    'a private cluster, or authorized IP ranges', RESTRICT_API),
};

export const messages = {
  /** The security policy pass's findings. */
  policy: policyMessages,
  dnsLabel: (prop: string, value: unknown) => badValue(prop, value,
    'a DNS-1123 label: 1 to 63 characters of lower-case letters, digits and "-", starting and ending with a letter or digit',
    `rename it, e.g. ${show(suggestDnsLabel(value))}`),
  requiredString: (prop: string, value: unknown) => badValue(prop, value, 'a non-empty string', `set ${prop}`),
  url: (prop: string, value: unknown) => badValue(prop, value,
    'an https:// or ssh (git@host:org/repo.git) repository URL', `set ${prop} to the URL Argo CD clones, e.g. "https://github.com/acme/platform-gitops.git"`),
  domain: (prop: string, value: unknown) => badValue(prop, value,
    'a DNS name of two or more labels, e.g. "platform.acme.dev"', `set ${prop} to the platform's base domain`),
  cidr: (prop: string, value: unknown) => badValue(prop, value,
    'an IPv4 CIDR block such as "10.0.0.0/16" (prefix /8 to /24, host bits zero)', `set ${prop} to a valid private range`),
  kubernetesVersion: (prop: string, value: unknown, min: string, max: string) => badValue(prop, value,
    `a supported Kubernetes minor version "1.N" from ${min} to ${max}`, `set ${prop} to a version in that range, e.g. "${max}"`),
  duplicateName: (kind: string, name: string, paths: readonly string[]) =>
    `duplicate ${kind} name ${show(name)}: also declared at ${paths.join(', ')}. Fix: give each ${kind} a unique name.`,
  cidrOverlap: (name: string, cidr: string, otherName: string, otherCidr: string, otherPath: string) =>
    `network.cidr ${show(cidr)} of cluster ${show(name)} overlaps ${show(otherCidr)} of cluster ${show(otherName)} (${otherPath}). Fix: give each cluster its own address range, e.g. a distinct /16.`,
  duplicateOutputPath: (file: string, paths: readonly string[]) =>
    `two objects would be written to the same file ${show(file)} (${paths.join(', ')}). Fix: give the objects distinct names.`,
  positiveInt: (prop: string, value: unknown) => badValue(prop, value, 'a whole number of at least 1', `set ${prop} to a whole number`),
  range: (prop: string, min: number, max: number) => badValue(`${prop}`, `${min}..${max}`, 'minCount <= maxCount', 'raise maxCount or lower minCount'),
  outdir: (value: unknown) => badValue('outdir', value, 'a folder that is not the file system root, the current folder or one of its parents',
    'set outdir (or CDK8S_OUTDIR) to a dedicated folder such as "dist"'),
  stackDependency: (cluster: string, stack: string, missing: string) =>
    `cluster ${show(cluster)} turns on the stack "${stack}: enabled", which needs "${missing}: enabled". Fix: add the label ${show(missing)}: "enabled" to the cluster, or remove "${stack}".`,
  securityBasic: (cluster: string) =>
    `cluster ${show(cluster)} does not turn on "security-basic" (cert-manager, policies, External Secrets). Fix: add the label "security-basic": "enabled".`,
  // an output path is the library's own (bounded by its segment rule): quoted whole
  outputPath: (file: unknown) => `output file path: got ${typeof file === 'string' ? JSON.stringify(file) : show(file)}. Allowed: `
    + 'a relative path inside the output folder: segments of 1 to 255 bytes joined by "/", no "..", ".", empty segment, leading "/", backslash, drive letter or NUL. '
    + 'Fix: rename the object or file that produces it (names become file names).',
  templateDelimiters: (prop: string, value: unknown) => badValue(prop, value,
    'a value without the Go template delimiters "{{" and "}}" (Argo CD evaluates them in ApplicationSet templates: a value holding them would run as template code)',
    `remove "{{" and "}}" from ${prop}`),
  privateFleetApi: (management: string, managementWhere: string, fleetWhere: string) => badValue('cloud.apiAccess', 'ApiAccess.private()',
    `an API the management cluster ${show(management)} (${managementWhere}) reaches: leave apiAccess unset (a public endpoint admitting only its egress addresses), `
    + 'ApiAccess.authorizedRanges([...]) (its egress addresses are added), or ApiAccess.privateConnected() when you provide the network path yourself',
    `the library connects no private network to this cluster (${fleetWhere}), so Argo CD could never reach it: leave apiAccess unset, or build the connectivity (Transit Gateway, VPN, peering with private DNS) and declare ApiAccess.privateConnected()`),
  crossCloudIdentity: (entry: string, api: string, cluster: string, clusterKind: string, apiCloud: string) =>
    `catalog entry ${show(entry)} calls ${api} APIs with an identity the library creates on each cluster it targets, but cluster ${show(cluster)} is ${clusterKind}: `
    + `nothing there issues a token ${api} trusts for this add-on, so it would fail in the cluster. Fix: narrow the entry's targets to ${api === 'Azure' ? 'AKS' : 'EKS'} clusters `
    + `(e.g. ClusterSelector.allOf(<its selector>, ClusterSelector.labels({ cloud: '${apiCloud}' }))), or give ${show(cluster)} an entry for its own cloud.`,
  /** The service catalog's messages (src/catalog/). */
  catalog: {
    // ---- ServiceCatalogEntry props
    manifestOnlyWithoutManifests: (value: unknown) => badValue('manifests', value, 'one or more objects for an entry without a chart (a manifest-only entry)', 'add the manifests, or a chart'),
    manifestOnlyChartProp: (prop: string, value: unknown) => badValue(prop, value, 'nothing for a manifest-only entry (it has no chart)', `remove ${prop}, or add a chart`),
    chartFactory: (value: unknown) => badValue('chart', value, 'HelmChart.fromRepository({...}) or HelmChart.oci({...})', 'declare the chart with a factory'),
    targetsSelector: (value: unknown) => badValue('targets', value, 'a ClusterSelector', 'use ClusterSelector.labels({...}) and friends'),
    undeclaredEnvironment: (prop: string, env: string, environments: readonly string[]) =>
      badValue(`${prop}.${env}`, env, `one of the platform's environments: ${environments.join(', ')}`, 'use a declared environment'),
    exactVersion: (prop: string, value: unknown, fix: string) => badValue(prop, value, 'an exact chart version such as "1.21.1" (no ranges)', fix),
    syncWave: (value: unknown) => badValue('syncWave', value, 'a whole number', 'use an integer wave'),
    manifestObject: (value: unknown) => badValue('manifests[]', value, 'Kubernetes objects with apiVersion, kind and metadata.name', 'complete the object'),
    manifestSecret: () => badValue('manifests[]', 'Secret', 'no Secret (credentials come through the secret store)', 'use an ExternalSecret'),
    identityFactory: (value: unknown) => badValue('identity', value, 'AddonIdentity.azure({...}) or AddonIdentity.aws({...})', 'declare the identity with a factory'),
    outputOutsideValues: () => badValue('environmentValues / clusterValues', 'a ClusterOutput', 'cluster outputs in `values` only', 'move the output reference into values'),
    manifestList: (prop: string, value: unknown) => badValue(prop, value, 'a list of Kubernetes objects', `set ${prop} to a list`),
    dependsOnList: (value: unknown) => badValue('dependsOn', value, 'a list of ServiceCatalogEntry', 'list the entries this one needs'),
    // ---- ServiceCatalogEntry rules
    matchesNoCluster: (entry: string, selector: unknown) =>
      `catalog entry "${entry}" matches no declared cluster (it may target clusters registered elsewhere). Fix: check the selector ${JSON.stringify(selector)}.`,
    duplicateEntry: (entry: string, otherPath: string) => `duplicate catalog entry name "${entry}": also declared at ${otherPath}. Fix: give each entry a unique name.`,
    deprecated: (entry: string, deprecation: string) => `catalog entry "${entry}": ${deprecation}`,
    dependencyCycle: (names: readonly string[]) => `catalog entries depend on each other in a cycle: ${names.join(' -> ')}. Fix: remove one of the dependencies.`,
    dependencyNotThere: (entry: string, cluster: string, clusterPath: string, dependency: string) =>
      `catalog entry "${entry}" targets cluster "${cluster}" (${clusterPath}), but its dependency "${dependency}" is not installed there. Fix: label the cluster so "${dependency}" selects it too, or narrow the targets of "${entry}".`,
    missingOutput: (entry: string, output: string, cluster: string, clusterPath: string) =>
      `catalog entry "${entry}" uses the cluster output "${output}", which cluster "${cluster}" (${clusterPath}) does not provide. Fix: declare it with addOutput("${output}", ...) on that cluster, or exclude the cluster from the targets.`,
    clusterValuesUntargeted: (cluster: string, entry: string) =>
      `clusterValues names cluster "${cluster}", which catalog entry "${entry}" does not target. Fix: remove those values or target the cluster.`,
    impliedDependency: (entry: string, kinds: readonly string[], group: string, cluster: string, clusterPath: string, chart: string, providers: readonly string[], how: string) =>
      `catalog entry "${entry}" applies ${kinds.join(', ')} (${group}) on cluster "${cluster}" (${clusterPath}), which needs ${chart} there, but ${providers.length ? `${providers.map((e) => `"${e}"`).join(', ')} does not target it` : 'no catalog entry installs it'}. `
      + `Fix: ${providers.length ? `label the cluster so ${providers.map((e) => `"${e}"`).join(', ')} selects it too` : `add ${how}`}, or narrow the targets of "${entry}".`,
    // ---- charts, selectors, identities
    chartRepository: (prop: string, value: unknown, oci: boolean) => badValue(`${prop}.repository`, value,
      oci ? 'a registry path such as "ghcr.io/org/charts"' : 'an https:// Helm repository URL (host, optional port and path; no query, spaces, quotes or "{{")', 'use the chart\'s published repository'),
    chartName: (prop: string, value: unknown) => badValue(`${prop}.chart`, value, 'a chart name (lower-case letters, digits and "-")', 'use the chart\'s name'),
    selectorLabels: (prop: string, value: unknown) => badValue(`${prop}.matchLabels`, value, 'an object of labels such as { "security-basic": "enabled" }', 'pass the labels as an object'),
    selectorKey: (prop: string, value: unknown) => badValue(prop, value, 'a Kubernetes label key', 'use a label of the cluster registrations'),
    selectorLabelValue: (prop: string, value: unknown) => badValue(prop, value, 'a Kubernetes label value', 'quote the value as a string'),
    selectorValues: (prop: string, value: unknown) => badValue(prop, value, 'a list of Kubernetes label values', 'list the values as strings'),
    selectorOperator: (prop: string, value: unknown, operators: readonly string[]) => badValue(prop, value, operators.join(', '), 'use SelectorOperator'),
    selectorValuesNeeded: (prop: string, value: unknown, operator: string) => badValue(prop, value, `one or more values for ${operator}`, 'list the values'),
    selectorValuesRefused: (prop: string, value: unknown, operator: string) => badValue(prop, value, `no values for ${operator}`, 'remove the values'),
    identityName: (value: unknown) => badValue('identity.name', value, 'lower-case letters, digits and "-", starting with a letter, at most 30 characters', 'name the identity after the add-on, e.g. "external-dns"'),
    identityServiceAccount: (value: unknown) => badValue('identity.serviceAccount', value, 'a service account name (DNS subdomain)', 'use the service account the chart creates'),
    identityRoles: (value: unknown) => badValue('identity.roles', value, 'one or more role grants', 'grant the roles the add-on needs, scoped to its resources'),
    identityRole: (prop: string, value: unknown) => badValue(prop, value, 'a grant { roleDefinitionName, scope }', 'name the role, e.g. "DNS Zone Contributor"'),
    identityRoleScope: (prop: string, value: unknown) => badValue(prop, value, 'an Azure resource id below a subscription ("/subscriptions/<id>/resourceGroups/...")', 'scope the role to the resource the add-on uses'),
    identityStatements: (value: unknown) => badValue('identity.statements', value, 'one or more policy statements', 'list the actions the add-on needs on its resources'),
    identityStatement: (prop: string, value: unknown) => badValue(prop, value, 'a statement with actions and resources', 'complete the statement'),
    // ---- the built-in entries (Catalog.*)
    helperScope: (value: unknown) => badValue('scope', value, 'the Platform (or a construct of it)', 'pass the platform as the first argument'),
    acmeSolverField: (field: string, value: unknown) => badValue(`acme.solver.${field}`, value, 'a name of letters, digits, ".", "_", "/" and "-"', `set ${field} in the AcmeSolver factory`),
    acmeEmail: (value: unknown) => badValue('acme.email', value, 'an e-mail address', 'set the address Let\'s Encrypt writes to about expiring certificates'),
    externalDnsProvider: (value: unknown, providers: readonly string[]) => badValue('provider', value, providers.join(', '), 'use ExternalDnsProvider'),
    externalDnsDomains: (value: unknown) => badValue('domainFilters', value, 'one or more DNS domains', 'list the zones external-dns may write to'),
    externalDnsAzure: (value: unknown) => badValue('azure', value, 'the subscription and resource group of the Azure DNS zones',
      'pass azure: { subscriptionId, resourceGroupName } (the identity is granted DNS Zone Contributor on those zones only)'),
    atlantisOrgAllowlist: (value: unknown) => badValue('orgAllowlist', value, 'the repositories Atlantis may serve, e.g. "github.com/acme/*"', 'set orgAllowlist'),
    gitlabUrl: (value: unknown) => badValue('gitlabUrl', value, 'an https:// GitLab URL', 'set gitlabUrl, e.g. "https://gitlab.com/"'),
    ingressNginxRetired: () => 'ingress-nginx is retired upstream (no releases after March 2026). Fix: move to Catalog.gatewayApi() (Envoy Gateway).',
  },
  bootstrapRunner: (cluster: string) =>
    `management cluster ${show(cluster)} declares no apiAccess, so its API endpoint is private and \`terraform apply\` installs Argo CD through it: the apply must run inside the cluster's network. `
    + 'Fix: declare ApiAccess.private() when your runner is in the network, or ApiAccess.authorizedRanges([...]) with your runners\' egress ranges.',
  argoCdUiNeeds: (cluster: string, chart: string, what: string) =>
    `argocd.ui exposes Argo CD on the shared Gateway, but management cluster "${cluster}" does not run ${chart}. Fix: add ${what} and label "${cluster}" so it selects it ("core-basic" / "security-basic": "enabled").`,
  duplicateTenantName: (name: string, otherPath: string) =>
    `duplicate tenant name "${name}": also declared at ${otherPath}. Fix: give each tenant a unique name.`,
  tenantNamespaceClash: (name: string, namespace: string, host: string, otherPath: string) =>
    `tenant "${name}" uses namespace "${namespace}" on host "${host}", as does ${otherPath}. Fix: give each tenant its own namespace.`,
  tenantCapacity: (host: string, label: string, key: string, limit: string, quotas: string) =>
    `the ${label} quotas of the tenants on host "${host}" add up to more than its tenantCapacity.${key} "${limit}" (${quotas}). Fix: lower the quotas or raise the capacity.`,
  tenantPushGrant: (host: string, tenants: string, grant: string) =>
    `the tenants on host "${host}" (${tenants}) push their kubeconfigs to the platform store through the host's External Secrets, whose identity the library does not manage. Fix: grant it ${grant} (see docs/tenant-vcluster.md).`,
  tenantHostWithoutExternalSecrets: (name: string, host: string) =>
    `tenant "${name}" is hosted on fleet cluster "${host}", which does not run External Secrets (its PushSecret registers the virtual cluster). Fix: add Catalog.externalSecrets(platform) and label "${host}" with "security-basic": "enabled".`,
  serviceWithoutHttps: (env: string, gateway: string, host: string, cluster: string, domain: string, serviceHost: string) =>
    `environment "${env}": the shared Gateway "${gateway}" of cluster "${host}" (host of "${cluster}") has no HTTPS listener for "*.${domain}", so "${serviceHost}" would not be served over HTTPS. Fix: declare Catalog.gatewayApi(platform, { https: {} }) (or Catalog.coreBasic(platform, { https: {} })) targeting that cluster, or set gateway to a Gateway that terminates TLS for the host.`,
  fleetOutputName: (name: string, cluster: string) =>
    badValue('output name', name, 'a name no add-on identity of this cluster provides', `remove addOutput("${name}", ...): the library creates that identity on "${cluster}" and provides the output itself`),
  servicePinUnknownCluster: (file: string, cluster: string, env: string, allowed: string) =>
    `${file}: ${badValue('cluster', cluster, `the virtual cluster of one of the team's tenants in "${env}": ${allowed}`, 'set "cluster" to the vc-<tenant> name of the tenant that runs this environment')}`,
  servicePinOtherEnvironment: (file: string, cluster: string, env: string, tenantEnv: string, allowed: string) =>
    `${file}: ${badValue('cluster', cluster, `a tenant in environment "${env}" (this one is in "${tenantEnv}"): ${allowed}`, 'point the pin at the tenant of this environment')}`,
  servicePinOtherTeam: (file: string, cluster: string, owners: string, allowed: string) =>
    `${file}: ${badValue('cluster', cluster, `a tenant owned by the team (${owners}): ${allowed}`, 'deploy only into the team\'s own tenants')}`,
  duplicateService: (name: string, cluster: string, otherPath: string) =>
    `duplicate service "${name}" in virtual cluster "${cluster}": also declared at ${otherPath}. Fix: give each service of a tenant a unique name.`,
  registeredTwice: (name: string, what: string, first: string, firstHub: string, hub: string) =>
    `Argo CD cluster name "${name}" of ${what} is already registered by ${first} in ${firstHub}; registering it again in ${hub} would put one cluster under two registrations. Fix: give each cluster (and each tenant, whose virtual cluster is "vc-<tenant>") a name unique across all management clusters of the platform.`,
  shardOutOfRange: (shard: number, replicas: number, hub: string) =>
    `argocdShard: got ${shard}. Allowed: a shard of management cluster "${hub}", 0 to ${replicas - 1} (its application controller runs ${replicas} replica${replicas === 1 ? '' : 's'}). Fix: lower argocdShard, or raise argocd.controllerReplicas on "${hub}".`,
  notInPlatform: (path: string) =>
    `${path || 'this construct'} is not inside a Platform. Fix: create it with a Platform (or a cluster of one) as its scope.`,
  unknownEnvironment: (path: string, env: string, environments: readonly string[]) =>
    `[${path}] has no environment "${env}". Fix: use one of ${environments.join(', ')}.`,
  notPermittedByProject: (denial: string) =>
    `Argo CD would refuse to sync: ${denial}. Allowed: what the Application's AppProject permits (source repositories, destinations, cluster-scoped and namespaced kinds). Fix: permit it in the AppProject, or deploy it through a project that does.`,
  notGeneratedConflict: (file: string) =>
    `the output folder holds ${show(file)}, which this library did not generate but would now write. Fix: move or delete that file, or rename the object that produces it.`,
  notAFile: (file: string, what: string) =>
    `the output folder holds ${what} at ${show(file)}, where this library writes a generated file; it is left as it is and never followed. Fix: move or delete it, then synth again.`,
  notAFolder: (dir: string, what: string) =>
    `the output folder holds ${what} at ${show(dir)}, where this library writes a folder of generated files; it is left as it is and never followed. Fix: move or delete it, then synth again.`,
  // the policy pass's settings (security rule severities, catalog entries' policy exceptions)
  policySeverities: (prop: string, value: unknown, exampleRule: string) => badValue(prop, value, 'an object mapping rule names to "error", "warning" or "off"',
    `e.g. { "${exampleRule}": PolicySeverity.WARNING }`),
  securityRuleName: (prop: string, value: unknown, rules: readonly string[]) => badValue(prop, value, rules.map((r) => `"${r}"`).join(', '), 'use a SecurityRule value'),
  policySeverity: (prop: string, value: unknown) => badValue(prop, value, '"error", "warning" or "off"', 'use a PolicySeverity value'),
  policyExceptions: (prop: string, value: unknown) => badValue(prop, value, 'a list of { rule, reason, objects? }', 'pass an array'),
  policyExceptionReason: (prop: string, value: unknown) => badValue(prop, value, 'a sentence of at least 10 characters saying why the chart needs it',
    'write the reason reviewers will read in PLATFORM.md'),
  policyExceptionObjects: (prop: string, value: unknown) => badValue(prop, value, 'a non-empty list of "Kind/name" patterns ("*" matches any run of characters)',
    'e.g. ["DaemonSet/node-exporter"], or leave objects out to cover the whole chart'),
  // reading a synthesized output back (render, chart policies)
  platformJsonInvalid: (file: string, error: unknown) => badValue(`files["${file}"]`, `not valid JSON (${firstLine(error, 120)})`,
    `the ${file} a synth wrote`, 'synthesize the output again, or correct the file by hand'),
  platformJsonCatalog: (file: string, value: unknown) => badValue(`files["${file}"].catalog`, value, 'the list of catalog entries a synth wrote', 'synthesize the output again'),
  outputFileInvalid: (file: string, format: 'JSON' | 'YAML', error: unknown) =>
    `${file} is not valid ${format} (${firstLine(error, 120)}). Fix: synthesize the output again, or correct the file by hand.`,
  renderFiles: (value: unknown) => badValue('files', value, 'a Map of output paths to file text', 'pass what platform.render() returns (or the files of a synthesized output folder)'),
  renderOptions: (value: unknown) => badValue('options', value, 'an object of RenderApplicationsOptions', 'pass the options as an object (or leave them out)'),
  renderFileText: (file: unknown, value: unknown) => badValue(`files[${JSON.stringify(String(file))}]`, value, 'the text of the file', 'map each output path to its text'),
  // rendering charts with helm, as Argo CD's repo server does
  helmNotFound: (bin: string) => `helm not found: "${bin}". Fix: install helm 3.8+ (or 4.x) on the PATH, or pass its path (option helm / HELM_BIN).`,
  helmFailed: (command: string, output: string) => `${command} failed: ${output}`,
  chartNotPulled: (chart: string, version: string, repoURL: string, candidates: readonly string[], said: string) =>
    `chart ${chart} ${version} (${repoURL}) not found: looked in ${candidates.join(', ')}, then helm pull said: ${said}. Fix: pin a version the repository publishes, or put the chart at ${candidates[0]}.`,
  chartPullEmpty: (chart: string, version: string, repoURL: string) => `helm pull ${chart} ${version} from ${repoURL} wrote no chart archive`,
  chartNotFound: (chart: string, version: string, repoURL: string, candidates: readonly string[]) =>
    `chart ${chart} ${version} (${repoURL}) not found: looked in ${candidates.join(', ')}. Fix: put the chart there (\`helm pull ${chart} --repo ${repoURL} --version ${version}\`), or allow pulling (option pull / --pull).`,
  renderedYamlInvalid: (chart: string, source: string | undefined, error: unknown) =>
    `${chart}: helm template produced YAML that does not parse${source ? ` (${source})` : ''}: ${firstLine(error)}`,
  inApplication: (name: string, file: string, message: string) => `Application ${name} (${file}): ${message}`,
  /** An AppProject glob Argo CD would not compile (caught where it is compiled: such a pattern matches nothing). */
  globPattern: (pattern: string, problem: string) => `AppProject pattern ${show(pattern)}: ${problem}`,
  clusterIssuer: (prop: string, value: unknown) => badValue(prop, value, 'a ClusterIssuer name', 'name the issuer'),
  // Terraform provider packages (optional peer dependencies)
  missingProvider: (usedBy: string | undefined, pkg: string, neededFor: string, version: string | undefined) =>
    `${usedBy ?? 'This platform'} needs the Terraform provider package ${pkg} (${neededFor}), which is not installed. `
    + 'Allowed: the provider packages of the clouds the platform uses are optional peer dependencies, installed by the platform repository. '
    + `Fix: npm install ${pkg}${version ? `@${version}` : ''}.`,
};

/** Lower-cases and strips a value into a DNS-1123 label, for suggestions in messages. */
export function suggestDnsLabel(value: unknown): string {
  const s = String(value ?? '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return s || 'my-name';
}
