import { badValue } from './format';

/**
 * Entra ID as a plain OIDC provider with PKCE: the sign-in for an Argo CD that holds no token
 * Entra ID trusts (`Sso.entraId` needs one, from Azure's workload identity).
 */
export const entraIdAsOidc = (tenantId: string, clientId: string) =>
  `use Entra ID as a plain OIDC provider with PKCE, Sso.oidc({ name: "Entra ID", issuer: "https://login.microsoftonline.com/${tenantId}/v2.0", clientId: ${JSON.stringify(clientId)} }) (its app registration a public client)`;

/** One Argo CD cluster name registered twice: `firstHub` and `hub` name the management clusters (`management cluster "hub-eu"`). */
const registeredTwice = (name: string, what: string, first: string, firstHub: string, hub: string) =>
  `Argo CD cluster name "${name}" of ${what} is already registered by ${first} in ${firstHub}; registering it again in ${hub} would put one cluster under two registrations. Fix: give each cluster (and each tenant, whose virtual cluster is "vc-<tenant>") a name unique across all management clusters of the platform.`;

/** An IAM role the library creates in a cluster's state, and what its name is made of (the IAM role rule's view, `cluster/iam-roles.ts`). */
export interface IamRoleText {
  /** The role name. */
  readonly name: string;
  /** How the name is made, e.g. `eks-<name>-cluster` (for an add-on identity's role: `<identity>-<cluster>`). */
  readonly pattern: string;
  /** The cluster whose state holds the role. */
  readonly cluster: string;
  /** The construct path of what makes the role: the cluster, or the catalog entry of an add-on identity. */
  readonly path: string;
  /** An add-on identity's role: the catalog entry and the identity's name. */
  readonly addon?: { readonly entry: string; readonly identity: string };
  /** The role an AKS management cluster's Argo CD assumes on this (EKS) cluster: the management cluster's name. */
  readonly management?: string;
}

/** Whose role it is, and how its name is made. */
const iamRoleText = (r: IamRoleText) => r.addon
  ? `add-on identity "${r.addon.identity}" of catalog entry "${r.addon.entry}" on cluster "${r.cluster}" (${r.pattern})`
  : r.management
    ? `the role management cluster "${r.management}"'s Argo CD assumes on cluster "${r.cluster}" (argocd-<management>-<cluster>)`
    : `cluster "${r.cluster}" (${r.pattern})`;

/** What renaming changes an IAM role's name (a cluster both roles are named after changes neither apart). */
const iamRoleRenames = (r: IamRoleText, other: IamRoleText) => [
  ...(r.addon ? [`the identity of catalog entry "${r.addon.entry}" (AddonIdentity name "${r.addon.identity}")`] : []),
  ...(r.cluster !== other.cluster ? [`cluster "${r.cluster}"`] : []),
  ...(r.management && r.management !== other.management ? [`management cluster "${r.management}"`] : []),
];

/** The clusters' messages (src/cluster/): the props of management and fleet clusters, and their registrations. */
export const clusterMessages = {
  /** A Terraform precondition's message (Terraform wants a sentence starting with a capital letter). */
  tooFewZones: (cluster: string, zones: number, region: string) =>
    `Cluster "${cluster}" spreads its subnets over ${zones} availability zones, and this account has fewer that EKS accepts in ${region}. Fix: set cloud.availabilityZoneCount to 2.`,
  cloudNameTooLong: (name: string, what: string, value: string, limit: number) =>
    `cluster name "${name}" is too long for ${what}: "${value}" is ${value.length} characters, and the cloud allows at most ${limit}, so the first terraform apply would fail. Fix: shorten the cluster name (the name prop, or the construct id)${what.includes('resource group') ? ', or name a shorter resource group with cloud.resourceGroupName' : ''}.`,
  // ---- every cluster (ClusterBase)
  cloudFactory: (value: unknown) => badValue('cloud', value, 'Cloud.aks({...}) or Cloud.eks({...})', 'declare where the cluster runs'),
  reservedRangeOverlap: (cidr: string, range: string, rangeCidr: string) =>
    badValue('cloud.network.cidr', cidr, `a range that does not overlap ${range} ${rangeCidr}`, 'pick a range in 10.0.0.0/8'),
  environment: (value: unknown, environments: readonly string[]) => badValue('environment', value,
    `one of the platform's environments: ${environments.join(', ')}`, 'use a declared environment or add it to the Platform\'s environments'),
  deletionProtection: (value: unknown) => badValue('deletionProtection', value, 'true or false', 'set deletionProtection to a boolean (or leave it out: true)'),
  tenantCapacity: (key: string, value: unknown) => badValue(`tenantCapacity.${key}`, value, 'a Kubernetes quantity such as "64" or "256Gi"', 'fix the quantity'),
  // ---- ManagementCluster
  /** Entra ID through Azure workload identity on a cluster without Azure's workload identity webhook. */
  entraIdOffAks: (tenantId: string, clientId: string) =>
    `argocd.sso: got Sso.entraId (tenant ${JSON.stringify(tenantId)}, client ${JSON.stringify(clientId)}) on an EKS management cluster. `
    + 'Allowed: Sso.entraId on an AKS management cluster only: Argo CD signs in to Entra ID with the token Azure\'s workload identity webhook projects into its server pod, and EKS runs no such webhook, so nobody could log in. '
    + `Fix: ${entraIdAsOidc(tenantId, clientId)}, or run the management cluster on AKS.`,
  /**
   * Two management clusters serve Argo CD at one host name (rules/platform-rules.ts): `hub` (at `path`, where the problem is
   * reported) after `first` (at `firstPath`); `defaulted`: both take the default `argocd.<platform domain>`.
   */
  argocdHostnameTaken: (hostname: string, hub: string, path: string, first: string, firstPath: string, domain: string, defaulted: boolean) =>
    badValue('argocd.hostname', hostname,
      `a host name no other management cluster's Argo CD has: management cluster "${first}" (${firstPath}) has it too${defaulted ? ' (the default, argocd.<platform domain>)' : ''}, `
      + 'so both hubs\' Argo CD would send SSO logins back to the same URL, and with ArgoCdUi.gateway() both would claim the host with a ListenerSet, HTTPRoute and certificate '
      + 'while external-dns (its own record owner on each cluster) publishes the record for only one of them',
      `set argocd.hostname of management cluster "${hub}" (${path}) to a host of its own, e.g. "argocd-${hub}.${domain}"`),
  ssoFactory: (value: unknown) => badValue('argocd.sso', value, 'Sso.oidc({...}) or Sso.entraId({...})', 'declare SSO with a factory'),
  adminGroups: (value: unknown) => badValue('argocd.adminGroups', value, 'group names without commas, double quotes, tabs or line breaks (Argo CD reads its RBAC policy as CSV)',
    'use the group name or object id as the identity provider sends it'),
  readOnlyGroups: (value: unknown) => badValue('argocd.readOnlyGroups', value, 'group names without commas, double quotes, tabs or line breaks (Argo CD reads its RBAC policy as CSV)',
    'use the group name or object id as the identity provider sends it'),
  uiFactory: (value: unknown) => badValue('argocd.ui', value, 'ArgoCdUi.gateway({...})', 'declare the exposure with the factory'),
  shardingAlgorithm: (value: unknown, algorithms: readonly string[]) => badValue('argocd.shardingAlgorithm', value,
    `one of ${algorithms.map((v) => `"${v}"`).join(', ')}`, 'use a ShardingAlgorithm value'),
  /** A management cluster on another cloud than its secret store (`azureKeyVault`: the store is Azure Key Vault, else AWS Secrets Manager). */
  secretStoreCloud: (provider: unknown, azureKeyVault: boolean) => badValue('cloud', provider,
    `a management cluster on the secret store's cloud (${azureKeyVault ? 'Azure Key Vault needs AKS' : 'AWS Secrets Manager needs EKS'}), or a Vault secret store`,
    'host the management cluster where the secret store is (its workload identity reads the store), or use SecretStore.vault()'),
  // ---- FleetCluster
  addonName: (index: number, value: unknown) => badValue(`addons[${index}]`, value,
    'a GitOps Bridge add-on name: lower-case letters, digits and "_" (e.g. "cert_manager")', 'rename the add-on'),
  argocdShard: (value: unknown) => badValue('argocdShard', value, 'a whole number from 0 (shards are numbered from 0)',
    'set the shard number, or leave argocdShard out to let the sharding algorithm assign the cluster'),
  outputName: (value: unknown) => badValue('output name', value,
    'lower-case letters, digits and "_", starting with a letter, not a reserved fact (server, caData, argocd*)', 'rename the output, e.g. "external_dns_role_arn"'),
  outputNameTaken: (value: unknown) => badValue('output name', value, 'a name not used by another output of this cluster', 'give each output its own name'),
  // ---- FleetCluster.fromName
  importedEnvironment: (value: unknown, label: string) => badValue('environment', value,
    `the value of its "environment" label (${JSON.stringify(label)}): the catalog's ApplicationSets select the cluster by that label of its Argo CD cluster Secret`, 'leave environment out, or make the two agree with what the Secret carries'),
  importedOutput: (index: number, value: unknown) => badValue(`outputs[${index}]`, value,
    'an output name: lower-case letters, digits and "_", starting with a letter (up to 63 characters)', 'list the annotation keys of its Argo CD cluster Secret that entries read with ClusterOutput.named(...)'),
  // ---- registrations across management clusters (hub.ts)
  /** `what` and `first` name the registering constructs (`fleet cluster platform/mgmt/a`). */
  registeredInTwoHubs: (name: string, what: string, first: string, firstHub: string, hub: string) =>
    registeredTwice(name, what, first, `management cluster "${firstHub}"`, `management cluster "${hub}"`),
  nameOfHubOutputs: (name: string, hub: string) => badValue('name', name, `a name other than "${hub}-outputs": the ExternalSecret that registers it, cluster-${name} in namespace argocd of management cluster "${hub}", `
    + `is the name of the one that merges "${hub}"'s own outputs into its registration`, 'rename the fleet cluster'),
  registeredTwiceInHub: (name: string, what: string, first: string, hub: string) =>
    registeredTwice(name, what, first, `management cluster "${hub}"`, 'the same management cluster'),
  // ---- IAM role names across the platform (rules/platform-rules.ts)
  /** Two IAM roles the library names alike: `role`, made after `first` (declared at `first.path`). */
  /** `nodes`: how many the cluster starts with; `maxCount`: the system group's maximum when it is below its minimum. */
  argocdHaNodes: (nodes: number, needed: number, maxCount?: number) =>
    `cloud.systemNodePool: the EKS management cluster ${maxCount === undefined ? `starts with ${nodes} node(s) ordinary workloads can run on` : `caps its system node group at maxCount ${maxCount}`}, and Argo CD's high availability needs ${needed}: `
    + `the argo-cd chart runs ${needed} Redis and ${needed} HAProxy replicas with required anti-affinity (one per node), nothing scales an EKS node group by itself, and the bootstrap's helm release waits for them. `
    + `Fix: set cloud.systemNodePool.minCount (and maxCount) to at least ${needed}, add an untainted node pool, or set argocd.highAvailability to false.`,
  argocdHaNodesAks: (nodes: number, needed: number) =>
    `cloud.nodePools: the AKS management cluster's pools that ordinary workloads run on (untainted, not Spot; the system pool runs critical add-ons only) scale to ${nodes} node(s) at most, and Argo CD's high availability needs ${needed}: `
    + `the argo-cd chart runs ${needed} Redis and ${needed} HAProxy replicas with required anti-affinity (one per node), so the last stay Pending and the bootstrap's helm release times out. `
    + `Fix: raise the maxCount of an untainted pool (or add one) so they reach at least ${needed} nodes, or set argocd.highAvailability to false.`,
  identityNameTaken: (identity: string, cluster: string, entry: string, firstEntry: string, firstPath: string, outputs: readonly string[]) =>
    `catalog entries "${firstEntry}" (${firstPath}) and "${entry}" both give cluster "${cluster}" an add-on identity named "${identity}": `
    + `the cluster's Terraform state names an identity's resources and its outputs (${outputs.join(', ')}) after the identity and the cluster, so the two cannot both exist there. `
    + 'Fix: give one of the two identities another name.',
  iamRoleNameTaken: (role: IamRoleText, first: IamRoleText) => {
    const renames = [...new Set([...iamRoleRenames(role, first), ...iamRoleRenames(first, role)])];
    return `IAM role name "${role.name}" is made twice: for ${iamRoleText(role)}, and for ${iamRoleText(first)}, declared at ${first.path}. `
      + 'IAM role names are unique per AWS account, so whichever of the two Terraform states is applied second fails with EntityAlreadyExists; '
      + 'the platform does not know which account each state is applied in, so it keeps every IAM role name it makes distinct across all clusters. '
      + `Fix: rename ${renames.length > 1 ? `${renames.slice(0, -1).join(', ')} or ${renames[renames.length - 1]}` : renames[0] ?? 'one of them'} so the two names differ.`;
  },
};
