import { badValue, show } from './format';

const VARIABLE_NAME = 'letters, digits and "_", not starting with a digit';
const FROM_XRD = 'copy it from the platform team\'s XRD';
/** A pin file's content, as the messages about pin files show it. */
const PIN_EXAMPLE = '{ "cluster": "vc-team-a-prod", "imageTag": "1.4.2-3f9c2ab", "targetRevision": "<40-hex commit>" }';

/** A team's service and its pin files: TeamService's props, reading the pins, promoting them (src/service/). */
export const serviceMessages = {
  // ---- TeamService props
  scopeNotTenant: (scope: string) => badValue('scope', scope, 'a TenantVCluster', 'declare the service inside its team\'s tenant, or pass the tenant as the tenant prop'),
  tenantNotTenant: (tenant: string) => badValue('tenant', tenant, 'a TenantVCluster of this platform', 'pass the team\'s tenant'),
  tenantOfOtherPlatform: (tenantPath: string) => badValue('tenant', tenantPath, 'a tenant of the platform the service is declared in', 'declare the service in the tenant\'s platform'),
  image: (value: unknown) => badValue('image', value, 'an image repository without tag or digest, e.g. "ghcr.io/acme/checkout"', 'remove the ":<tag>" or "@<digest>" (the pin files give the tag)'),
  port: (value: unknown) => badValue('port', value, 'a whole number from 1024 to 65535 (the service runs as non-root and cannot bind lower ports)', 'listen on an unprivileged port such as 8080'),
  hostOutsideGateway: (host: string, apps: string, suggested: string) => badValue('host', host, `one DNS label under "${apps}" (the shared Gateway terminates HTTPS for "*.${apps}" only)`,
    `use e.g. "${suggested}", or set gateway to a Gateway with a listener and certificate for this host`),
  gatewayNamespaceReserved: (value: string) => badValue('gateway.namespace', value, 'a namespace other than kube-system, kube-public and kube-node-lease: vCluster imports the Gateway under the same namespace, and refuses one of those as the target of sync.fromHost.gateways (its control plane then does not start, for every service of the tenant)',
    'put the Gateway in a namespace of its own, e.g. "gateways"'),
  size: (value: unknown, sizes: readonly string[]) => badValue('size', value, sizes.map((s) => `ServiceSize.${s.toUpperCase()}`).join(', '), 'pick a size'),
  envKey: (key: string) => badValue('env key', key, VARIABLE_NAME, 'rename the variable'),
  secretName: (index: number, value: unknown) => badValue(`secrets[${index}].name`, value, VARIABLE_NAME, 'rename the variable'),
  secretNameTwice: (index: number, value: unknown) => badValue(`secrets[${index}].name`, value, 'a variable set once (in env or secrets)', 'remove the duplicate'),
  secretKey: (index: number, value: unknown, team: string, service: string) =>
    badValue(`secrets[${index}].key`, value, `a key of the team's store under "${team}/"`, `name it "${team}/${service}/<secret>"`),
  metrics: (value: unknown) => badValue('metrics', value, 'an object such as { port: 9090, path: "/metrics" }', 'set metrics to an object'),
  metricsPort: (value: unknown) => badValue('metrics.port', value, 'a whole number from 1024 to 65535 (the service runs as non-root and cannot bind lower ports)',
    'serve metrics on an unprivileged port such as 9090, or leave metrics.port unset to scrape the service port'),
  serviceName: (value: string) => badValue('name', value, 'a DNS label that starts with a letter: the Kubernetes Service is named after it, and a Service name must start with a letter',
    `rename it, e.g. ${JSON.stringify(`svc-${value}`.slice(0, 63).replace(/-+$/, ''))}`),
  migrationJobName: (value: string) => badValue('name', value, 'at most 55 characters with a migration: the Job is named "<name>-migrate", and a Job name is at most 63 characters (its pods carry it as a label)',
    `shorten the name to ${JSON.stringify(value.slice(0, 55).replace(/-+$/, ''))} or less`),
  migrationCommand: (value: unknown) => badValue('migration.command', value, 'a non-empty command, e.g. ["./migrate", "up"] (a list of non-empty strings)', 'set the command the image runs to migrate'),
  databaseApiVersion: (value: unknown) => badValue('database.apiVersion', value, '"<group>/<version>" of the claim, e.g. "platform.acme.dev/v1alpha1"', FROM_XRD),
  databaseKind: (value: unknown) => badValue('database.kind', value, 'the claim kind, e.g. "PostgreSQLInstance"', FROM_XRD),
  databasePlural: (value: unknown) => badValue('database.plural', value, 'the claim\'s plural resource name in lower case, e.g. "postgresqlinstances"',
    'leave it out (nothing needs it since the claim is rendered on the host), or copy spec.claimNames.plural from the platform team\'s XRD'),
  noEnvironments: (value: unknown) => badValue('environments', value, 'one or more of the platform\'s environments', 'list where the service runs'),
  undeclaredEnvironment: (value: unknown, env: string, known: readonly string[]) => badValue('environments', value, `the platform's environments: ${known.join(', ')}`, `remove "${env}"`),
  environmentTwice: (value: unknown) => badValue('environments', value, 'each environment once', 'remove the duplicate'),
  hostTooLongIn: (host: string, env: string, hostInEnv: string) =>
    badValue('host', host, `a first label that still is a DNS label (63 characters at most) with "-${env}" appended, as "${hostInEnv}" is the host in "${env}"`, 'shorten the first label of host (or the service name)'),

  // ---- pin files (the part after "<file>: ")
  pinContent: (value: unknown) => badValue('content', value, `one JSON object such as ${PIN_EXAMPLE}`, 'write the three fields as one object'),
  pinUnknownField: (key: string, value: unknown, fields: readonly string[]) =>
    badValue(`field ${show(key)}`, value, `only ${fields.join(', ')}`, `remove ${show(key)} (a pin holds the image tag, the revision and the target cluster, nothing else)`),
  pinCluster: (value: unknown) => badValue('cluster', value, 'the Argo CD cluster name of a tenant\'s virtual cluster, a DNS label such as "vc-team-a-prod"', 'set "cluster" to "vc-<tenant>" of the tenant that runs this environment'),
  pinImageTag: (value: unknown, rule: string) => badValue('imageTag', value, rule, 'set "imageTag" to the tag CI pushed for the commit (never "latest" or a moving tag)'),
  pinTargetRevision: (value: unknown) => badValue('targetRevision', value, 'a full 40-character lower-case hex commit SHA', 'set "targetRevision" to the commit the image was built from (git rev-parse HEAD)'),
  pinNotJson: (parserError: string) => `not valid JSON (${parserError}). Fix: write one JSON object such as ${PIN_EXAMPLE}.`,
  /** `fix` is a sentence with its final period (a reader of pins passes its own); one is added when it lacks it. */
  pinNotFound: (fix: string) => `file not found. Fix: ${String(fix).endsWith('.') ? fix : `${fix}.`}`,
  /** The fix of {@link pinNotFound} for a service's pin: the file to write, with the tenant's cluster when known. */
  pinMissingFix: (env: string, cluster: string | undefined) => {
    const example = cluster ? PIN_EXAMPLE.replace('vc-team-a-prod', cluster) : PIN_EXAMPLE.replace('"vc-team-a-prod"', `"<the vc-<tenant> cluster of the team's tenant in ${env}>"`);
    return `create it with ${example}, or remove "${env}" from the service's environments.`;
  },
  pinSymlink: () => 'a symbolic link. Allowed: a regular file in the repository. Fix: replace the link with the pin file itself.',
  pinUnreadable: (reason: string) => `cannot be read (${reason}). Fix: make it a readable file.`,
  pinOutsideServices: () => 'outside services/ (a folder on its path is a symbolic link that leads elsewhere). Allowed: real folders under services/. Fix: replace the link with the folder it points to.',
  pinNotRegularFile: () => 'not a regular file. Allowed: a regular file in the repository. Fix: replace it with the pin file.',
  pinTooLarge: (size: number, max: number) => `${size} bytes. Allowed: at most ${max} bytes (a pin holds three short fields). Fix: write only ${PIN_EXAMPLE}.`,
  pinGrewTooLarge: (max: number) => `more than ${max} bytes. Fix: write only ${PIN_EXAMPLE}.`,

  // ---- promotion
  promoteServiceName: (value: string) => `service: got ${JSON.stringify(value)}. Allowed: "<team>/<service>", two DNS labels. Fix: name the service as in services/<team>/<service>/, e.g. "team-a/checkout".`,
  promoteNoFolder: (value: string, team: string, service: string, known: readonly string[]) =>
    `service: got ${JSON.stringify(value)}, which has no folder services/${team}/${service}/. Allowed: ${known.length ? known.join(', ') : 'none found under services/'}. Fix: check the name, or run the command from the repository root (or pass --dir).`,
  promoteEnvironments: (value: unknown) => `environments: got ${JSON.stringify(value)}. Allowed: the platform's environments, DNS labels in promotion order. Fix: synthesize the platform again (platform.json lists them).`,
  promoteUnknownEnvironment: (flag: string, env: string, envs: readonly string[]) => `${flag}: got ${JSON.stringify(env)}. Allowed: the platform's environments ${envs.join(', ')}. Fix: use one of them.`,
  promoteSameEnvironment: (to: string) => `--to: got ${JSON.stringify(to)}, the same as --from. Allowed: another environment. Fix: promote to the next environment, e.g. --from staging --to prod.`,
  promoteBackwards: (from: string, to: string, envs: readonly string[], targetFile: string) =>
    `--to: got ${JSON.stringify(to)}, which comes before ${JSON.stringify(from)} (order: ${envs.join(', ')}). Allowed: a later environment. Fix: to roll back, revert the commit that changed ${targetFile}, or pass --force to copy the pin backwards.`,
  /** `to` comes after `skipped` (environments after `from` the service has the pin files `files` in). */
  promoteSkipsEnvironment: (from: string, to: string, skipped: readonly string[], envs: readonly string[], files: readonly string[]) =>
    `--to: got ${JSON.stringify(to)}, which skips ${skipped.map((e) => JSON.stringify(e)).join(' and ')} after ${JSON.stringify(from)} (order: ${envs.join(', ')}; the service runs there: ${files.join(', ')}). `
    + `Allowed: the next environment after ${JSON.stringify(from)} the service has a pin file for, ${JSON.stringify(skipped[0])}. `
    + `Fix: promote --from ${from} --to ${skipped[0]} first, then on from there; or pass --force to skip ${skipped.length > 1 ? 'them' : 'it'} on purpose.`,
};
