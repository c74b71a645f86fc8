import { badValue, show, suggestDnsLabel } from './format';

/** A team service's environment, as the messages about its objects on the tenant's host name it. */
export interface ServiceOnHost {
  readonly service: string;
  readonly env: string;
  /** The virtual cluster its pin targets. */
  readonly cluster: string;
  /** The tenant's host cluster. */
  readonly host: string;
}

/**
 * The messages of the platform declaration: the props every construct checks, the rules across
 * constructs, and writing the output folder (top-level names of `messages`).
 */
export const platformMessages = {
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
  pushGrantTooLarge: (cluster: string, tenants: number, policies: number, quota: number) =>
    `cluster ${show(cluster)} hosts ${tenants} tenants, and the IAM grant of its External Secrets names each tenant's entry in the secret store (their kubeconfigs' PushSecrets): `
    + `it needs ${policies} managed policies, and IAM attaches at most ${quota} to a role by default, so the apply would fail (LimitExceeded). `
    + 'Fix: host the tenants on more clusters.',
  resourceGroupTaken: (group: string, other: string, otherPath: string) =>
    `cloud.resourceGroupName: got ${show(group)}, which is also the resource group of cluster ${show(other)} (${otherPath}). Allowed: a resource group of this cluster's own: `
    + 'each AKS cluster\'s Terraform state creates its resource group, so the second apply would fail ("a resource with the ID ... already exists"). '
    + 'Fix: give each AKS cluster its own resourceGroupName, or leave it out for "rg-<cluster>".',
  awsRegionQuotas: (region: string, clusters: readonly string[], ips: number, vpcs: number, ipQuota: number, vpcQuota: number) =>
    `the EKS clusters in AWS Region ${show(region)} need ${ips} Elastic IPs, one per NAT gateway (${clusters.join(', ')}), and ${vpcs} VPCs, `
    + `while an AWS account starts with ${ipQuota} Elastic IPs and ${vpcQuota} VPCs per Region (the default VPC counts): the apply that crosses a quota fails (AddressLimitExceeded, VpcLimitExceeded). `
    + 'Fix: raise the quotas "EC2-VPC Elastic IPs" and "VPCs per Region" in Service Quotas before the first apply, or give clusters outside the last environment natGateways: NatGatewayMode.SINGLE.',
  ownersUnmapped: (cluster: string, tenants: readonly string[]) =>
    `EKS cluster ${show(cluster)} binds tenant owners' groups in RoleBindings of their namespaces there (${tenants.join('; ')}), but no one signs in to it with a group: `
    + 'EKS maps people only from access entries and an OIDC identity provider, so those RoleBindings grant nothing and the teams cannot use kubectl there. '
    + 'Fix: declare cloud.identityProvider ({ issuerUrl, clientId }) on the cluster, with the OIDC provider whose groups claim carries these group names.',
  ownersNotEntraGroups: (cluster: string, tenants: readonly string[]) =>
    `AKS cluster ${show(cluster)} binds tenant owners' groups in RoleBindings of their namespaces there by names that are not Entra ID object ids (${tenants.join('; ')}): `
    + 'AKS signs people in with Entra ID and names a group in RBAC by its object id, so those RoleBindings grant nothing and the teams cannot use kubectl there. '
    + 'Fix: add each team\'s Entra group object id to its owners, e.g. Group.anyOf([\'team-a\', \'<object id>\']) (Argo CD keeps matching the name).',
  aksVersionEnded: (cluster: string, version: string, end: string, lts: boolean, ltsEnd: string, asOf: string, newest: string) =>
    `AKS cluster ${show(cluster)} runs Kubernetes ${version}, whose ${lts ? 'long-term' : 'community'} support on AKS ended on ${end} (AKS's calendar as of ${asOf}): `
    + 'AKS no longer creates a cluster on it, so the first apply of a new cluster fails, and an existing one gets no fixes and is upgraded by AKS when the version leaves platform support (its state then differs from Git). '
    + (lts ? `Fix: set kubernetesVersion ${show(newest)}, one minor at a time for an existing cluster.`
      : `Fix: set kubernetesVersion ${show(newest)} (one minor at a time for an existing cluster), or longTermSupport: true (the Premium tier, supported until ${ltsEnd}).`),
  aksVersionEnding: (cluster: string, version: string, end: string, lts: boolean, asOf: string, newest: string) =>
    `AKS cluster ${show(cluster)} runs Kubernetes ${version}, whose ${lts ? 'long-term' : 'community'} support on AKS ends on ${end} (AKS's calendar as of ${asOf}); after it AKS creates no new cluster on it. `
    + `Fix: plan the upgrade to ${show(newest)}.`,
  eksVersionExtended: (cluster: string, version: string, standardEnd: string, extendedEnd: string, asOf: string, newest: string) =>
    `EKS cluster ${show(cluster)} runs Kubernetes ${version}, which left EKS's standard support on ${standardEnd} (EKS's calendar as of ${asOf}): `
    + `the cluster is in extended support, billed at a higher rate per cluster hour, and EKS upgrades it by itself after ${extendedEnd}. `
    + `Fix: set kubernetesVersion ${show(newest)}, one minor at a time for an existing cluster.`,
  eksVersionEnding: (cluster: string, version: string, standardEnd: string, asOf: string, newest: string) =>
    `EKS cluster ${show(cluster)} runs Kubernetes ${version}, whose standard support on EKS ends on ${standardEnd} (EKS's calendar as of ${asOf}); extended support after it is billed at a higher rate per cluster hour. `
    + `Fix: plan the upgrade to ${show(newest)}.`,
  bootstrapRunner: (cluster: string) =>
    `management cluster ${show(cluster)} declares no apiAccess, so its API endpoint is private and \`terraform apply\` installs Argo CD through it: the apply must run inside the cluster's network. `
    + 'That network is created by the same state, so its first apply takes two steps (the network first, then the rest from a runner in it: docs/bootstrap.md). '
    + 'Fix: declare ApiAccess.private() when your runner is in the network, or ApiAccess.authorizedRanges([...]) with your runners\' egress ranges.',
  notPermittedByProject: (denial: string) =>
    `Argo CD would refuse to sync: ${denial}. Allowed: what the Application's AppProject permits (source repositories, destinations, cluster-scoped and namespaced kinds). Fix: permit it in the AppProject, or deploy it through a project that does.`,
  notGeneratedConflict: (file: string) =>
    `the output folder holds ${show(file)}, which this library did not generate but would now write. Fix: move or delete that file, or rename the object that produces it.`,
  notAFile: (file: string, what: string) =>
    `the output folder holds ${what} at ${show(file)}, where this library writes a generated file; it is left as it is and never followed. Fix: move or delete it, then synth again.`,
  notAFolder: (dir: string, what: string) =>
    `the output folder holds ${what} at ${show(dir)}, where this library writes a folder of generated files; it is left as it is and never followed. Fix: move or delete it, then synth again.`,
  argoCdUiNeeds: (cluster: string, chart: string, what: string) =>
    `argocd.ui exposes Argo CD on the shared Gateway, but management cluster "${cluster}" does not run ${chart}. Fix: add ${what} and label "${cluster}" so it selects it ("core-basic" / "security-basic": "enabled").`,
  duplicateTenantName: (name: string, otherPath: string) =>
    `duplicate tenant name "${name}": also declared at ${otherPath}. Fix: give each tenant a unique name.`,
  tenantReservedNamespace: (name: string, namespace: string, host: string, owner: string) =>
    `tenant "${name}" uses namespace "${namespace}" on host "${host}", which ${owner}: the tenant's default-deny NetworkPolicies, quota, limit range, Pod Security labels and the team's RoleBinding would apply to it. `
    + 'Fix: give the tenant a namespace of its own (the namespace prop, or another tenant name).',
  tenantHostClash: (name: string, host: string, owner: string, exposed: boolean) =>
    `tenant "${name}" serves its virtual cluster's API at "${host}", which is ${owner}: `
    + (exposed ? 'DNS and the Gateway would send one name to two services, and Argo CD would dial the wrong one. '
      : 'the platform does not expose that Argo CD, but its links and SSO callbacks name that host, and exposing it there would send one name to two services. ')
    + 'Fix: rename the tenant, or give the other one another hostname.',
  /** `owner`: whose Argo CD has the host too (a management cluster's, or another tenant's dedicated one). */
  tenantArgocdHostClash: (name: string, host: string, owner: string) =>
    `tenant "${name}"'s dedicated Argo CD has the host "${host}", which is ${owner}: both Argo CDs would name it as their url, so SSO would send one's logins back to the other. `
    + 'Fix: set argocd.hostname of the tenant to a host of its own.',
  tenantNamespaceClash: (name: string, namespace: string, host: string, otherPath: string) =>
    `tenant "${name}" uses namespace "${namespace}" on host "${host}", as does ${otherPath}. Fix: give each tenant its own namespace.`,
  tenantCapacity: (host: string, label: string, key: string, limit: string, quotas: string) =>
    `the ${label} quotas of the tenants on host "${host}" add up to more than its tenantCapacity.${key} "${limit}" (${quotas}). Fix: lower the quotas or raise the capacity.`,
  tenantPushGrant: (host: string, tenants: string, grant: string) =>
    `the tenants on host "${host}" (${tenants}) push their kubeconfigs to the platform store through the host's External Secrets, whose identity the library does not manage. Fix: grant it ${grant} (see docs/tenant-vcluster.md).`,
  tenantHostWithoutExternalSecrets: (name: string, host: string) =>
    `tenant "${name}" is hosted on fleet cluster "${host}", which does not run External Secrets (its PushSecret registers the virtual cluster). Fix: add Catalog.externalSecrets(platform) and label "${host}" with "security-basic": "enabled".`,
  /** `features`: what the service uses, each with the vCluster feature it needs. */
  serviceProFeatures: (service: string, features: readonly string[]) =>
    `team service "${service}" needs vCluster Pro features in its tenants' virtual clusters: ${features.join('; ')}. `
    + 'They need a vCluster license (vCluster Platform): the open-source vCluster has none of them, and without them the objects stay inside the virtual cluster, so its pods wait for a Secret that never comes. '
    + 'Fix: connect the tenants\' vClusters to a licensed vCluster Platform (the vcluster values\' `platform` settings, TenantVCluster vcluster.rawValues), or leave out secrets.',
  /** The service's ServiceMonitor, rendered on the host of one of its environments' tenants. */
  serviceHostWithoutPrometheus: (on: ServiceOnHost, name: string) =>
    `team service "${on.service}" (${on.env}, in "${on.cluster}") has its ServiceMonitor "${name}" rendered on host "${on.host}", which runs no kube-prometheus-stack: `
    + 'the kind does not exist there, so the host folder\'s sync fails on it, and nothing scrapes the service. '
    + `Fix: target "${on.host}" with Catalog.kubePrometheusStack(platform) (or Catalog.monitoringBasic), or leave out metrics.`,
  /** The service's database claim, rendered on the host of one of its environments' tenants. */
  serviceHostWithoutCrossplane: (on: ServiceOnHost, kind: string, secret: string) =>
    `team service "${on.service}" (${on.env}, in "${on.cluster}") has its database claim (${kind}) rendered on host "${on.host}", which runs no Crossplane: `
    + `no database is created, the host folder's sync fails on the claim, and the service's pods wait for the Secret "${secret}". `
    + `Fix: target "${on.host}" with Catalog.crossplane(platform) and the platform team's XRD of ${kind}, or leave out database.`,
  /** A tenant whose owners are admins of its host namespace, where the vCluster's syncer may list the host's Secrets. */
  serviceDatabaseWithHostAdmin: (on: ServiceOnHost, tenant: string, tenantPath: string, namespace: string) =>
    `team service "${on.service}" (${on.env}, in "${on.cluster}") maps its database's Secret from the host, for which the vcluster chart lets the vCluster's syncer list and watch every Secret of host "${on.host}"; `
    + `the owners of tenant "${tenant}" (${tenantPath}) are admins of its host namespace "${namespace}" (hostRole: admin), so they can run commands in the vCluster's pods with that access. `
    + 'Fix: give the tenant hostRole: HostRole.VIEW (the default), or leave out database.',
  serviceSecretsWithHostAdmin: (on: ServiceOnHost, tenant: string, tenantPath: string, namespace: string) =>
    `team service "${on.service}" (${on.env}, in "${on.cluster}") reads secrets through the ExternalSecret vCluster syncs to host "${on.host}", but the owners of tenant "${tenant}" (${tenantPath}) are admins of its host namespace "${namespace}" (hostRole: admin), `
    + 'so the tenant fence refuses External Secrets objects to the service accounts of that namespace (the owners could impersonate them), the vCluster\'s syncer among them: the ExternalSecret would never reach the host and the service never get its Secret. '
    + 'Fix: give the tenant hostRole: HostRole.VIEW (the default), or leave out secrets.',
  serviceMetricsPublic: (service: string, hosts: readonly string[], path: string, port: number) =>
    `team service "${service}" serves its metrics on its service port ${port}, where its HTTPRoute sends every path: ${hosts.map((h) => `https://${h}${path}`).join(', ')} answer${hosts.length === 1 ? 's' : ''} anyone who asks. `
    + 'Fix: serve the metrics on a port of their own (metrics.port, e.g. 9090): the Service names it "metrics", Prometheus scrapes it there, and the route never reaches it.',
  serviceGatewayInTenantNamespace: (service: string, env: string, cluster: string, gateway: string, namespace: string) =>
    `team service "${service}" (${env}, in "${cluster}") attaches to Gateway "${gateway}", in the tenant's own host namespace "${namespace}": vCluster imports the Gateway under the same namespace, `
    + 'and refuses its own host namespace as the target of sync.fromHost.gateways, so the virtual cluster\'s control plane does not start (for every service of the tenant, not only this one). '
    + 'Fix: put the Gateway in a namespace of its own on the host, e.g. "gateways", or leave out gateway (the shared Gateway).',
  serviceWithoutMetricsServer: (service: string, env: string, host: string, cluster: string) =>
    `team service "${service}" (${env}, in "${cluster}") scales with a HorizontalPodAutoscaler, which reads CPU through the metrics server of host "${host}", an EKS cluster that runs none: `
    + 'the autoscaler reports FailedGetResourceMetric, stays at its minimum, and Argo CD shows the Application Degraded (AKS runs a metrics server by itself). '
    + `Fix: install metrics-server on "${host}": a ServiceCatalogEntry of the metrics-server chart, release "metrics-server" in namespace "kube-system" (the Service the vCluster proxies), that targets it.`,
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
  shardOutOfRange: (shard: number, replicas: number, hub: string) =>
    `argocdShard: got ${shard}. Allowed: a shard of management cluster "${hub}", 0 to ${replicas - 1} (its application controller runs ${replicas} replica${replicas === 1 ? '' : 's'}). Fix: lower argocdShard, or raise argocd.controllerReplicas on "${hub}".`,
  notInPlatform: (path: string) =>
    `${path || 'this construct'} is not inside a Platform. Fix: create it with a Platform (or a cluster of one) as its scope.`,
  unknownEnvironment: (path: string, env: string, environments: readonly string[]) =>
    `[${path}] has no environment "${env}". Fix: use one of ${environments.join(', ')}.`,
};
