import { badValue, policyFinding, quoted } from './format';

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
  terraformSecretWithData: (rule: string, file: string, what: string) => policyFinding(rule, file, `${what} with data`,
    'Secrets without data, or whose credentials are all read from the secret store by data sources at apply time (the Terraform JSON is committed to Git)', READ_AT_APPLY),
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

/** The policy pass's settings: security rule severities, catalog entries' policy exceptions. */
export const policySettingMessages = {
  policySeverities: (prop: string, value: unknown, exampleRule: string) => badValue(prop, value, 'an object mapping rule names to "error", "warning" or "off"',
    `e.g. { "${exampleRule}": PolicySeverity.WARNING }`),
  securityRuleName: (prop: string, value: unknown, rules: readonly string[]) => badValue(prop, value, rules.map((r) => `"${r}"`).join(', '), 'use a SecurityRule value'),
  policySeverity: (prop: string, value: unknown) => badValue(prop, value, '"error", "warning" or "off"', 'use a PolicySeverity value'),
  policyExceptions: (prop: string, value: unknown) => badValue(prop, value, 'a list of { rule, reason, objects? }', 'pass an array'),
  policyExceptionReason: (prop: string, value: unknown) => badValue(prop, value, 'a sentence of at least 10 characters saying why the chart needs it',
    'write the reason reviewers will read in PLATFORM.md'),
  policyExceptionObjects: (prop: string, value: unknown) => badValue(prop, value, 'a non-empty list of "Kind/name" patterns ("*" matches any run of characters)',
    'e.g. ["DaemonSet/node-exporter"], or leave objects out to cover the whole chart'),
};
