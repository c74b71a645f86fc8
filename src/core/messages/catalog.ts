import { badValue } from './format';

const EXACT_VERSION = 'an exact chart version such as "1.21.1" (no ranges)';

/** The service catalog's messages (src/catalog/). */
export const catalogMessages = {
  // ---- ServiceCatalogEntry props
  manifestOnlyWithoutManifests: (value: unknown) => badValue('manifests', value, 'one or more objects for an entry without a chart (a manifest-only entry)', 'add the manifests, or a chart'),
  manifestOnlyChartProp: (prop: string, value: unknown) => badValue(prop, value, 'nothing for a manifest-only entry (it has no chart)', `remove ${prop}, or add a chart`),
  chartFactory: (value: unknown) => badValue('chart', value, 'HelmChart.fromRepository({...}) or HelmChart.oci({...})', 'declare the chart with a factory'),
  targetsSelector: (value: unknown) => badValue('targets', value, 'a ClusterSelector', 'use ClusterSelector.labels({...}) and friends'),
  undeclaredEnvironment: (prop: string, env: string, environments: readonly string[]) =>
    badValue(`${prop}.${env}`, env, `one of the platform's environments: ${environments.join(', ')}`, 'use a declared environment'),
  chartVersion: (prop: string, value: unknown) => badValue(`${prop}.version`, value, EXACT_VERSION, 'pin the chart to one upstream release'),
  environmentVersion: (env: string, value: unknown) => badValue(`versions.${env}`, value, EXACT_VERSION, 'pin one upstream release'),
  syncWave: (value: unknown) => badValue('syncWave', value, 'a whole number from -9007199254740991 to 9007199254740991 (Argo CD reads the annotation as an integer; a larger number is rounded or written with an exponent, and Argo CD falls back to wave 0)', 'use a small integer wave'),
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
  // ---- ServiceCatalogEntry rules on imported clusters (FleetCluster.fromName): the library sees only the labels and outputs declared on import
  importedWithoutEnvironment: (entry: string, cluster: string, clusterPath: string, label: string | undefined, environments: readonly string[], known: string | undefined, withValues: boolean) =>
    `catalog entry "${entry}" selects the imported cluster "${cluster}" (${clusterPath}), whose declared labels have ${label === undefined ? 'no "environment" label' : `"environment": ${JSON.stringify(label)}, not one of ${environments.map((x) => `"${x}"`).join(', ')}`}: `
    + `the entry's ApplicationSet has one cluster generator per environment, each selecting "environment: <env>" on the Argo CD cluster Secret, and the library does not create the Secret of a cluster registered elsewhere, `
    + `so it cannot tell whether Argo CD would deploy the entry there${withValues ? ` (its clusterValues, catalog/${entry}/clusters/${cluster}.yaml, would be read by no generator)` : ''}. `
    + `Fix: declare the label its cluster Secret carries, FleetCluster.fromName(scope, id, "${cluster}", { labels: { environment: "${known ?? `<${environments.join('|')}>`}" } }) (add the label to the Secret if it lacks it), or narrow the targets of "${entry}".`,
  importedClusterValuesWithoutName: (entry: string, cluster: string, clusterPath: string) =>
    `clusterValues of catalog entry "${entry}" name the imported cluster "${cluster}" (${clusterPath}), whose declared labels have no "cluster_name": "${cluster}" label: `
    + `the generator that reads catalog/${entry}/clusters/${cluster}.yaml selects the cluster by that label of its Argo CD cluster Secret (which the library does not create for a cluster registered elsewhere), so Argo CD would deploy the entry there without these values. `
    + `Fix: declare the label its cluster Secret carries, labels: { cluster_name: "${cluster}" } in FleetCluster.fromName (add the label to the Secret if it lacks it), or move the values into values or environmentValues.`,
  /** `keys`: the labels the selector relies on; `labels`: the registration labels (`cluster_name`, `environment`) the declaration lacks, with the values a declared cluster would have. */
  importedSelectorLabels: (entry: string, cluster: string, clusterPath: string, keys: readonly string[], labels: Record<string, string>, withValues: boolean) =>
    `catalog entry "${entry}" would select the imported cluster "${cluster}" (${clusterPath}) only by the label(s) ${keys.map((k) => `"${k}"`).join(', ')}, which its declaration does not carry: `
    + `the library does not create the Argo CD cluster Secret of a cluster registered elsewhere, so it counts the cluster as not targeted (PLATFORM.md lists nothing there${withValues ? ', and its clusterValues would be read by no generator' : ''}), while Argo CD deploys the entry there only if that Secret carries them. `
    + `Fix: declare the labels its cluster Secret carries, FleetCluster.fromName(scope, id, "${cluster}", { labels: { ${Object.entries(labels).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')} } }) (add them to the Secret if it lacks them), or select the cluster by a label it declares.`,
  importedMissingOutput: (entry: string, output: string, cluster: string, clusterPath: string) =>
    `catalog entry "${entry}" uses the cluster output "${output}", which the imported cluster "${cluster}" (${clusterPath}) is not declared to provide: its value is read from the annotation "${output}" of the cluster's Argo CD cluster Secret, which the library does not create for a cluster registered elsewhere. `
    + `Fix: declare it on import, FleetCluster.fromName(scope, id, "${cluster}", { outputs: ["${output}"] }), once that Secret carries the annotation, or exclude the cluster from the targets of "${entry}".`,
  impliedDependency: (entry: string, kinds: readonly string[], group: string, cluster: string, clusterPath: string, chart: string, providers: readonly string[], how: string) =>
    `catalog entry "${entry}" applies ${kinds.join(', ')} (${group}) on cluster "${cluster}" (${clusterPath}), which needs ${chart} there, but ${providers.length ? `${providers.map((e) => `"${e}"`).join(', ')} does not target it` : 'no catalog entry installs it'}. `
    + `Fix: ${providers.length ? `label the cluster so ${providers.map((e) => `"${e}"`).join(', ')} selects it too` : `add ${how}`}, or narrow the targets of "${entry}".`,
  watchedApiMissing: (entry: string, kinds: readonly string[], group: string, cluster: string, clusterPath: string, chart: string, providers: readonly string[], how: string, alternative?: string) =>
    `catalog entry "${entry}" is set up to watch ${kinds.join(', ')} (${group}) on cluster "${cluster}" (${clusterPath}), whose CRDs come with ${chart}, but ${providers.length ? `${providers.map((e) => `"${e}"`).join(', ')} does not target it` : 'no catalog entry installs it'}: `
    + `without them its controller does not start there. Fix: ${providers.length ? `label the cluster so ${providers.map((e) => `"${e}"`).join(', ')} selects it too` : `add ${how}`}, ${alternative ? `${alternative}, ` : ''}or narrow the targets of "${entry}".`,
  externalDnsGatewayApi: (value: unknown) => badValue('gatewayApi', value, 'true or false', 'leave it out to publish Gateway API routes, or set false for Services and Ingresses only'),
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
  wildcardWithoutDns01: (entry: string, name: string, issuer: string, issuerEntry: string) =>
    `catalog entry "${entry}" has its certificate for "${name}" issued by ClusterIssuer "${issuer}" (catalog entry "${issuerEntry}"), whose ACME solvers answer HTTP-01 only: `
    + 'Let\'s Encrypt issues a wildcard name through the DNS-01 challenge only, so the certificate is never issued and the HTTPS listener serves nothing. '
    + 'Fix: give cert-manager a DNS-01 solver (acme.solver: AcmeSolver.dns01Route53, dns01AzureDns or dns01Cloudflare), or name a DNS-01 ClusterIssuer of your own in https.clusterIssuer.',
  routeWithoutHttpsListener: (entry: string, hosts: readonly string[], cluster: string, clusterPath: string) =>
    `catalog entry "${entry}" routes ${hosts.map((h) => `"${h}"`).join(', ')} through the shared Gateway's https listener on cluster "${cluster}" (${clusterPath}), whose shared Gateway has none: the route attaches to nothing and the host is unreachable. `
    + `Fix: give the cluster the listener (Catalog.gatewayApi(platform, { https: {} }) or Catalog.coreBasic(platform, { https: {} }) targeting it), or narrow the targets of "${entry}".`,
  routeOnSeveralClusters: (entry: string, hosts: readonly string[], clusters: readonly string[]) =>
    `catalog entry "${entry}" routes ${hosts.map((h) => `"${h}"`).join(', ')} on ${clusters.length} clusters (${clusters.join(', ')}): one name gets one DNS record, which external-dns publishes for one cluster only, so the others are unreachable by it. `
    + `Fix: narrow the targets of "${entry}" to one cluster.`,
  onePerNodeOnEks: (entry: string, replicas: number, path: string, cluster: string, clusterPath: string, nodes: number) =>
    `catalog entry "${entry}" runs ${replicas} servers, each on a node of its own (the chart's required pod anti-affinity), on EKS cluster "${cluster}" (${clusterPath}), `
    + `whose node groups start with ${nodes} node${nodes === 1 ? '' : 's'} for workloads and never scale: the server${replicas - nodes === 1 ? '' : 's'} past them stay${replicas - nodes === 1 ? 's' : ''} Pending, and the Application Progressing. `
    + `Fix: give the cluster at least ${replicas} nodes (systemNodePool.minCount, or a node pool), or lower ${path} in the entry's values.`,
  wildcardRoute53Race: (entry: string, name: string, issuer: string, clusters: readonly string[]) =>
    `catalog entry "${entry}" has each of its ${clusters.length} clusters (${clusters.join(', ')}) request a certificate for "${name}" from ClusterIssuer "${issuer}", which answers DNS-01 through Route 53: `
    + `every cert-manager writes its value to the same record "_acme-challenge.${name.slice(2)}", and cert-manager's Route 53 solver replaces the record's values with its own, `
    + 'so when two clusters issue or renew at once, one waits for a value that is gone and its HTTPS listener can go without a certificate until the authorization expires (up to 7 days). '
    + 'Fix: answer DNS-01 with a solver that adds its value beside the others (AcmeSolver.dns01AzureDns or dns01Cloudflare), or give the HTTPS listener to one cluster (the targets of its entry).',
  externalDnsCloudflare: (value: unknown) => badValue('cloudflare', value, 'the secret store entry holding the Cloudflare API token',
    'pass cloudflare: { storeKey } naming the entry, with the token in its property "api-token" (external-dns reads it as CF_API_TOKEN; without it the pod stops at start)'),
  externalDnsAzure: (value: unknown) => badValue('azure', value, 'the subscription and resource group of the Azure DNS zones',
    'pass azure: { subscriptionId, resourceGroupName } (the identity is granted DNS Zone Contributor on those zones and Reader on that resource group)'),
  atlantisOrgAllowlist: (value: unknown) => badValue('orgAllowlist', value, 'the repositories Atlantis may serve, e.g. "github.com/acme/*"', 'set orgAllowlist'),
  atlantisUrl: (value: unknown) => badValue('url', value, 'the https:// URL where GitHub reaches Atlantis, e.g. "https://atlantis.acme.dev"', 'set the URL of your own exposure, or leave url out for the shared Gateway\'s'),
  atlantisGithubUser: (value: unknown) => badValue('githubUser', value,
    'the GitHub user Atlantis comments as (the chart passes the token and webhook secret of the store entry atlantis-vcs only with it: without one Atlantis has no VCS and does not start)',
    'set githubUser, e.g. "acme-atlantis"'),
  gitlabUrl: (value: unknown) => badValue('gitlabUrl', value, 'an https:// GitLab URL', 'set gitlabUrl, e.g. "https://gitlab.com/"'),
  ingressNginxRetired: () => 'ingress-nginx is retired upstream (no releases after March 2026). Fix: move to Catalog.gatewayApi() (Envoy Gateway).',
  // ---- the templatePatch of an entry's ApplicationSet (the caller reports the action with templateDelimiters)
  templateAction: (action: string) => `unexpected template action ${JSON.stringify(action)}`,
  /** The action reported when a fragment marker of the templatePatch did not come back from the serializer. */
  lostFragmentMarker: () => 'a fragment marker',
};
