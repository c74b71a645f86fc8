import { entraIdAsOidc } from './cluster';
import { badValue, show } from './format';

const QUANTITY = 'a Kubernetes quantity';
const OWNERS = 'Group.named(...) or Group.anyOf([...])';
const POD_SECURITY = 'PodSecurityLevel.BASELINE or PodSecurityLevel.RESTRICTED';
const RELATIVE_FOLDER = 'remove leading "/" and ".." segments';

/** The tenants' messages (src/tenant/): TenantVCluster, NamespaceTenant, their groups, network allowances and API exposure. */
export const tenantMessages = {
  /** The refusal the API server gives a tenant's owners who change the fence's NetworkPolicies (a ValidatingAdmissionPolicy's message). */
  vclusterReplicas: (value: number) => badValue('vcluster.replicas', value,
    '1 on vCluster\'s default backing store, its embedded database, which refuses more replicas (the control plane would exit at start, and the virtual cluster never be registered)',
    'leave replicas at 1, or choose a backing store the replicas share in vcluster.rawValues, e.g. { controlPlane: { backingStore: { etcd: { deploy: { enabled: true } } } } } (the open-source deployed etcd)'),
  fenceNetworkPolicies: (tenant: string, namespace: string) =>
    `the NetworkPolicies, External Secrets objects, cert-manager Certificates and ACME orders, and Kyverno policies of namespace ${namespace} are tenant ${tenant}'s fence, kept by the platform (the platform's controllers carry them out with the host's identity, past the fence). `
    + 'Fix: ask for traffic with the tenant\'s networkAllowances; for secrets and certificates, use a store or Issuer of the team\'s own inside its virtual cluster; for policies, ask the platform team.',
  /** The API server's refusals of the hostname fence (ValidatingAdmissionPolicy messages). */
  fenceGateways: 'a tenant\'s namespace brings no Gateway or ListenerSet of its own: a Gateway there would get an address and DNS records of its own, past the platform\'s listeners. '
    + 'Fix: attach routes to the shared Gateway (its listeners admit routes from every namespace).',
  /** A hostname fence's refusal when its message expression cannot be evaluated. */
  fenceHostnames: (annotation: string, what: string) =>
    `the host names of this namespace are its tenant's own (annotation ${annotation} of the Namespace). ${what}. ${tenantMessages.fenceHostnamesFix}.`,
  /** The fix of the hostname fence's refusals (its messages are CEL: the namespace's names are the API server's to say). */
  fenceHostnamesFix: 'Fix: for a NamespaceTenant, add the name to its hostnames; a TenantVCluster has its API host, its dedicated Argo CD\'s host and the hosts of the TeamServices pinned to it',
  hostnames: (i: number, value: unknown) => badValue(`hostnames[${i}]`, value, 'a lowercase DNS name (no wildcard), e.g. "shop.team-a.example.com"', 'name each host the team\'s routes and Ingresses serve'),
  hostnameClaimed: (host: string, tenant: string, other: string) =>
    `host name "${host}" of namespace tenant "${tenant}" is already ${other}: the shared Gateway would merge both teams' routes for it. Fix: give the tenant a name of its own.`,
  servicesOverQuota: (tenant: string, services: readonly string[], over: readonly string[]) =>
    `the team services of tenant "${tenant}" (${services.join(', ')}) need, at their autoscalers' maximum, more than its ResourceQuota allows (${over.join('; ')}), `
    + 'besides the virtual cluster\'s own pods: the pods past it are refused on the host and stay Pending in the virtual cluster, so the service stops scaling there. '
    + 'Fix: raise the tenant\'s quota (quota.limitsCpu, quota.limitsMemory, quota.cpu, quota.memory, quota.pods), or give a service a smaller size.',
  // ---- the host of a tenant
  /** NamespaceTenant declared outside a cluster, without `host`. */
  namespaceTenantScope: (scopeClass: string) =>
    badValue('scope', `a ${scopeClass}`, 'a ManagementCluster or FleetCluster', 'declare the tenant inside its host cluster'),
  hostScope: (scopeClass: string) =>
    badValue('scope', `a ${scopeClass}`, 'a ManagementCluster or FleetCluster', 'declare the tenant inside its host cluster, or pass the host as the host prop'),
  /** `host` is not a cluster: an object is named by its class, anything else quoted. */
  hostNotCluster: (host: unknown) => badValue('host', typeof host === 'object' && host !== null ? `a ${host.constructor.name}` : host,
    'a ManagementCluster or FleetCluster of this platform', 'pass the cluster the tenant runs on'),
  hostOtherPlatform: (hostPath: string) =>
    badValue('host', hostPath, 'a cluster of the platform the tenant is declared in', 'declare the tenant in the host\'s platform'),
  // ---- owners (Group)
  /** `who` is the owner the group names: "team" (NamespaceTenant) or "tenant" (TenantVCluster). */
  owners: (value: unknown, who: string) => badValue('owners', value, OWNERS, `name the ${who}'s SSO group`),
  groupNotList: (prop: string, value: unknown) => badValue(prop, value, 'Group.anyOf([...]) with a list of group names', 'pass the group names as a list'),
  groupEmpty: (prop: string) => badValue(prop, [], 'one or more group names', 'name the tenant\'s SSO group'),
  groupName: (prop: string, value: unknown) =>
    badValue(prop, value, 'a group name without commas, double quotes, tabs or line breaks (Argo CD reads its RBAC policy as CSV, and its AppProject check refuses those in role groups)',
      'use the group name or object id as the identity provider sends it'),
  // ---- the tenants' props
  role: (value: unknown) => badValue('role', value, 'NamespaceRole.ADMIN, EDIT or VIEW', 'pick one of the user-facing roles'),
  podSecurity: (value: unknown) => badValue('podSecurity', value, POD_SECURITY, 'tenants never run privileged pods'),
  hostRole: (value: unknown) => badValue('hostRole', value, 'HostRole.VIEW or HostRole.ADMIN', 'pick one of them'),
  repositoryFolder: (index: number, value: unknown) =>
    badValue(`repositories[${index}].path`, value, 'a relative folder of the repository', RELATIVE_FOLDER),
  /** Entry `index` names another credentialsKey than entry `first`, whose URL Argo CD takes for the same repository. */
  repositoryCredentialsPerUrl: (index: number, value: unknown, url: string, first: number, firstKey: string | undefined, firstUrl: string) =>
    badValue(`repositories[${index}].credentialsKey`, value,
      `${firstKey === undefined ? `no credentialsKey, as repositories[${first}] has none` : `${show(firstKey)}, the credentialsKey of repositories[${first}]`}: `
      + `${url === firstUrl ? `both have the URL ${show(url)}` : `Argo CD takes the URL ${show(url)} for the same repository as ${show(firstUrl)}`}, `
      + 'and it keeps one repository Secret per URL and project (with two, which credentials it uses is undefined)',
      'name the same credentialsKey on every entry of the repository (a store entry whose credentials read every path deployed from it), or none on any for a public repository'),
  /** Entry `index` deploys the folder entry `first` deploys, from a URL Argo CD takes for the same repository. */
  /** A TenantVCluster's repository listed twice (`firstUrl`: the earlier entry Argo CD takes for the same repository). */
  repositoryTwice: (index: number, url: string, first: number, firstUrl: string) =>
    badValue(`repositories[${index}]`, url,
      `a repository no other entry lists: repositories[${first}] is ${url === firstUrl ? 'the same URL' : `${show(firstUrl)}, which Argo CD takes for the same repository`} (the tenant's repositories share one folder, repositoryPath, and each one's Application is named after its URL)`,
      `remove repositories[${index}]`),
  repositoryDuplicate: (index: number, url: string, path: string, first: number, firstUrl: string) =>
    badValue(`repositories[${index}]`, { url, path },
      `a repository folder no other entry deploys: repositories[${first}] deploys folder ${show(path)} of `
      + `${url === firstUrl ? 'the same URL' : `${show(firstUrl)}, which Argo CD takes for the same repository`} (the two Applications would fight over the same objects, `
      + 'and the Application of an entry is named after its URL and folder)',
      `remove repositories[${index}], or point it at another folder`),
  repositoryPath: (value: unknown) => badValue('repositoryPath', value, 'a relative folder of the tenant repositories', RELATIVE_FOLDER),
  limitRange: (key: string, value: unknown) => badValue(`limitRange.${key}`, value, QUANTITY, 'fix the quantity'),
  /** `whole`: the quota counts objects (a whole number), else it is a quantity. */
  quota: (key: string, value: unknown, whole: boolean) =>
    badValue(`quota.${key}`, value, whole ? 'a whole number' : `${QUANTITY} such as "10", "500m" or "20Gi"`, 'fix the quantity'),
  clusterResource: (index: number, value: unknown) => badValue(`clusterResources[${index}]`, value,
    'TenantClusterResource.NAMESPACES, .CUSTOM_RESOURCE_DEFINITIONS, .CLUSTER_RBAC or .of(group, kind)', 'use one of them'),
  clusterResourceGroupKind: (index: number, group: unknown, kind: unknown) => badValue(`clusterResources[${index}]`,
    typeof group === 'string' && typeof kind === 'string' ? `${group}/${kind}` : { group, kind }, 'an API group ("" for core) and a kind such as "Namespace" (or "*")', 'fix the group or kind'),
  /** Sso.entraId for a tenant's dedicated Argo CD (`host`: the tenant's host cluster, `eks`: an EKS one). */
  argocdEntraId: (tenantId: string, clientId: string, host: string, eks: boolean) =>
    `argocd.sso: got Sso.entraId (tenant ${JSON.stringify(tenantId)}, client ${JSON.stringify(clientId)}) for the tenant's dedicated Argo CD. `
    + 'Allowed: Sso.oidc({...}): Sso.entraId signs Argo CD in to Entra ID with its server\'s service account token, which Entra ID trusts only through a federated credential for the issuer of that token; '
    + 'the dedicated Argo CD runs in the virtual cluster, whose own API server issues the token, and no federated credential exists for it'
    + `${eks ? ` (and the host "${host}" is an EKS cluster, which runs no Azure workload identity webhook at all)` : ''}, so nobody could log in. `
    + `Fix: ${entraIdAsOidc(tenantId, clientId)}.`,
  argocdSso: (value: unknown) => badValue('argocd.sso', value, 'Sso.oidc({...}) (Sso.entraId is for a management cluster\'s Argo CD)', 'declare SSO with the factory'),
  /** `reserved`: the labels given that the library sets; `libraryLabels`: all the labels it sets. */
  reservedLabels: (labels: unknown, reserved: readonly string[], libraryLabels: readonly string[]) =>
    badValue('labels', labels, `labels other than ${libraryLabels.map((k) => `"${k}"`).join(', ')} (the library sets those)`,
      reserved.includes('environment') ? 'set the environment with the environment prop' : `rename or remove "${reserved[0]}"`),
  environment: (value: unknown, environments: readonly string[]) => badValue('environment', value, `one of the platform's environments: ${environments.join(', ')}`,
    'use one of them, or carry another name as a label (labels: { env: ... })'),
  /** A hostname the library makes from the tenant name and the platform domain (`what`: which one, `made`: how). */
  derivedHost: (what: string, made: string, host: string) => badValue(`${what} (${made})`, host,
    'a DNS name: labels of at most 63 characters, 253 characters in all (DNS, TLS certificates and Gateway API hostnames refuse longer ones)',
    'shorten the tenant name or the platform domain'),
  // ---- network allowances and node pools
  vclusterReleaseName: (value: string) => badValue('namespace (the vCluster release name)', value,
    'at most 52 characters, starting with a letter: the vcluster chart names its Services after the release (a Service name starts with a letter), '
    + 'and Kubernetes labels each pod of its StatefulSet with the StatefulSet\'s name a dash and a revision hash of up to 10 digits, 63 characters in all',
    `shorten the tenant name or set namespace to a name that starts with a letter, e.g. ${JSON.stringify((/^[a-z]/.test(value) ? value : `vc-${value}`).slice(0, 52).replace(/-+$/, ''))}`),
  networkAllowancesList: (value: unknown) => badValue('networkAllowances', value, 'a list of NetworkAllowance', 'list the allowances'),
  allowanceCidr: (prop: string, value: unknown) => badValue(`${prop} cidr`, value,
    'an IPv4 or IPv6 CIDR block such as "10.20.0.0/16" (prefix /0 to /32 for IPv4, /128 for IPv6)', 'fix the range'),
  allowancePorts: (prop: string, value: unknown) => badValue(`${prop} ports`, value, 'a list of { port, protocol }', 'list the ports'),
  allowanceProtocol: (prop: string, index: number, value: unknown) => badValue(`${prop} ports[${index}].protocol`, value,
    'TCP, UDP or SCTP (the protocols a NetworkPolicy matches)', 'use one of them; ICMP cannot be allowed by a NetworkPolicy'),
  poolMinCount: (min: unknown, max: number) => badValue('nodePool.minCount', min, `at most maxCount (${max})`, 'raise maxCount or lower minCount'),
  poolMachineType: (value: unknown) =>
    badValue('nodePool.machineType', value, 'a VM size or instance type such as "Standard_D4ds_v5" or "m6i.xlarge"', 'use the cloud\'s machine type name'),
  poolSpot: (value: unknown) => badValue('nodePool.spot', value, 'true or false', 'set spot to a boolean'),
  poolNameTaken: (poolName: string, host: string) => badValue('nodePool', `a node pool named "${poolName}"`,
    `a node pool name no other pool of host "${host}" has (tenant pools are "t" and the first 11 characters of the tenant name without "-")`,
    'rename the tenant so the first 11 characters of its name (without "-") differ from the other tenant\'s or pool\'s'),
  // ---- the API exposure rule (warnings)
  /** `hasExternalDns`: external-dns runs on the host, but does not read `source`. */
  /** `domains`: external-dns reads the source but manages only these domains, none covering `apiHost`. */
  exposureNoDns: (tenant: string, host: string, source: string, hasExternalDns: boolean, apiHost?: string, domains?: readonly string[]) =>
    domains && apiHost
      ? `the API host "${apiHost}" of tenant "${tenant}" gets no DNS record: external-dns on its host "${host}" manages only ${domains.map((d) => `"${d}"`).join(', ')} (its domainFilters). Fix: add the platform domain to the domainFilters of Catalog.externalDns (or Catalog.coreBasic's dns), or publish the record yourself.`
      : `the API host of tenant "${tenant}" gets no DNS record: ${hasExternalDns ? `external-dns on its host "${host}" does not read the source "${source}"` : `no external-dns runs on its host "${host}"`}. Fix: target the host with Catalog.externalDns (or Catalog.coreBasic), whose sources include "${source}", or publish the record yourself.`,
  /** `applied`: an entry applies the Gateway, but with no TLS passthrough listener that takes the tenant's TLSRoute (`routeNamespace`, `apiHost`). */
  exposureGateway: (tenant: string, namespace: string, name: string, host: string, applied: boolean, routeNamespace?: string, apiHost?: string) =>
    `the API of tenant "${tenant}" is exposed through the Gateway ${namespace}/${name}, but no catalog entry on its host "${host}" `
    + `${applied ? `applies it with a TLS listener in Passthrough mode that admits TLSRoutes from namespace "${routeNamespace}" for "${apiHost}" (the listener's allowedRoutes and hostname)` : 'applies it'}: `
    + 'the virtual cluster\'s API (and Argo CD\'s access to it) is unreachable. Fix: target the host with Catalog.gatewayApi (its Gateway "public" has the passthrough listener), or use ApiExposure.ingress(...).',
  /** `hasIngressNginx`: ingress-nginx runs in `namespace`, but without SSL passthrough. */
  exposureIngress: (tenant: string, className: string, host: string, namespace: string, hasIngressNginx: boolean) =>
    `the API of tenant "${tenant}" is exposed through an Ingress with TLS passthrough (class "${className}"), but its host "${host}" runs ${hasIngressNginx ? 'ingress-nginx without --enable-ssl-passthrough' : `no ingress-nginx in namespace "${namespace}"`}: the virtual cluster's API is unreachable. Fix: install Catalog.ingressNginx on the host with values { controller: { extraArgs: { "enable-ssl-passthrough": true } } }, or pass the controller's namespace as ApiExposure.ingress({ controllerNamespace }).`,
  // ---- the dedicated Argo CD's route rule (warnings)
  /** `applied`: an entry on the host applies the Gateway, but it accepts no ListenerSet from `namespace`. */
  argocdRouteGateway: (tenant: string, hostname: string, namespace: string, name: string, host: string, applied: boolean) =>
    `the dedicated Argo CD of tenant "${tenant}" is served at "${hostname}" by an HTTPS listener its ListenerSet adds to the Gateway ${namespace}/${name}, `
    + `but no catalog entry on its host "${host}" ${applied ? `applies that Gateway accepting ListenerSets from namespace "${namespace}"` : 'applies that Gateway'}: `
    + 'nothing routes the host name, so the team can neither open the UI nor log in with SSO. '
    + 'Fix: target the host with Catalog.gatewayApi (or Catalog.coreBasic), whose Gateway "public" accepts the listener.',
  /** `hasCertManager`: cert-manager runs on the host, but no entry there applies `issuer`. */
  argocdRouteIssuer: (tenant: string, hostname: string, issuer: string, host: string, hasCertManager: boolean) =>
    `the certificate of "${hostname}", the host of tenant "${tenant}"'s dedicated Argo CD, names the ClusterIssuer "${issuer}", which no catalog entry on its host "${host}" applies`
    + `${hasCertManager ? '' : ' (no cert-manager runs there)'}: the Gateway's listener for the name gets no certificate and refuses TLS connections. `
    + 'Fix: target the host with Catalog.certManager({ acme: {...} }) (it creates "letsencrypt-production" and "letsencrypt-staging"), or set argocd.clusterIssuer to an issuer the host has.',
  /**
   * What the external-dns entries on the host lack: none runs there (`none`), none reads HTTPRoutes
   * (`source`), none follows a ListenerSet parent (`listenerSets`), or the domain filters of those that do
   * (`domainFilters`) leave the name out (`domain`).
   */
  argocdRouteDns: (tenant: string, hostname: string, host: string, lack: 'none' | 'source' | 'listenerSets' | 'domain', domainFilters: readonly string[]) =>
    `the host "${hostname}" of tenant "${tenant}"'s dedicated Argo CD gets no DNS record: `
    + ({
      none: `no external-dns runs on its host "${host}"`,
      source: `external-dns on its host "${host}" does not read the source "gateway-httproute"`,
      listenerSets: `external-dns on its host "${host}" skips HTTPRoutes attached through a ListenerSet (its value enableGatewayListenerSets is not true)`,
      domain: `external-dns on its host "${host}" manages only ${domainFilters.map((d) => show(d)).join(', ')}`,
    })[lack] + '. '
    + 'Fix: target the host with Catalog.externalDns (or Catalog.coreBasic with dns), whose sources include "gateway-httproute" and which follows ListenerSet parents, '
    + 'with a domain filter that covers the name; or publish the record yourself.',
};
