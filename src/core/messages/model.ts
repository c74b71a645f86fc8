import { badValue } from './format';

/**
 * The value types' messages (src/model/): the platform's props, clouds, API access, node pools,
 * backends, SSO and cluster outputs. `prop` is the prop as the message names it (`cloud.nodePools[0]`).
 */
export const modelMessages = {
  /** The platform domain leaves no room for the hostnames made under it (`longest`: the longest fixed one). */
  domainRoom: (domain: string, longest: string) => badValue('domain', domain,
    `a domain of at most 246 characters: the library serves names under it such as ${JSON.stringify(longest)}, and a DNS name is at most 253 characters`,
    'use a shorter base domain'),
  // ---- the Platform's props
  repositoryPath: (value: unknown) => badValue('repository.path', value, 'a relative folder inside the repository, such as "dist" ("" for the root)',
    'remove leading "/", "./" and ".." segments'),
  // ---- a secret store entry holding Git credentials (the platform's repository, a NamespaceTenant's repositories)
  credentialsKey: (prop: string, value: unknown) =>
    badValue(prop, value, 'a secret store key of letters, digits, "/", "_", "." and "-"', 'name the store entry holding the credentials'),
  credentialsKeyAzure: (prop: string, value: unknown) =>
    badValue(prop, value, 'with Azure Key Vault, 1 to 118 letters, digits and "-" (a Key Vault secret name of at most 127 characters with the "platform-" prefix; External Secrets also reads a "/" as an object type)',
      `name the Key Vault secret without "/", "_" or ".", e.g. ${JSON.stringify(String(value).replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 118) || 'team-repo-creds')}`),
  secretStoreFactory: (value: unknown) => badValue('secretStore', value, 'SecretStore.azureKeyVault(), .awsSecretsManager() or .vault()', 'declare the platform secret store'),
  terraformBackendFactory: (value: unknown) => badValue('terraformBackend', value, 'TerraformBackend.azurerm() or TerraformBackend.s3()', 'declare where the Terraform states live'),
  noEnvironments: (value: unknown) => badValue('environments', value, 'one or more environment names', 'list the environments in promotion order, e.g. ["dev", "prod"]'),
  duplicateEnvironment: (value: unknown) => badValue('environments', value, 'each environment once', 'remove the duplicate'),
  /** A name Azure or AWS checks at apply time (`rule`: what the cloud allows; `example`: a valid one). */
  cloudName: (prop: string, value: unknown, rule: string, example: string) => badValue(prop, value, rule, `rename it, e.g. ${JSON.stringify(example)}`),
  s3KeyPrefix: (value: string) => badValue('terraformBackend.keyPrefix', value,
    'a key prefix with no leading or trailing "/" and no "//" (each state\'s key is <keyPrefix>/<cluster>.tfstate, which Terraform\'s S3 backend refuses otherwise at init)',
    `write it as "${value.split('/').filter((p) => p !== '').join('/') || 'platform'}"`),
  useAzureadAuth: (value: unknown) => badValue('terraformBackend.useAzureadAuth', value, 'true or false', 'set useAzureadAuth to a boolean (or leave it out)'),
  ssoIssuer: (value: unknown) => badValue('argocd.sso.issuer', value, 'an https:// issuer URL', 'set the issuer your identity provider publishes'),
  // ---- ApiAccess
  authorizedRangesList: (value: unknown) => badValue('apiAccess.authorizedRanges', value, 'a list of CIDR ranges such as ["203.0.113.0/24"]', 'list the ranges that may reach the API'),
  noAuthorizedRange: () => badValue('apiAccess', [], 'ApiAccess.private() or ApiAccess.authorizedRanges() with at least one range',
    'list the CIDR ranges that may reach the API (a public endpoint open to 0.0.0.0/0 is never generated)'),
  authorizedRange: (prop: string, value: unknown) => badValue(prop, value, 'an IPv4 CIDR range such as "203.0.113.0/24" (not 0.0.0.0/0)', 'list the specific ranges that may reach the API'),
  unlimitedRange: (prop: string, value: unknown) => badValue(prop, value, 'a limited range', 'list specific ranges'),
  // ---- Cloud
  networkTooSmall: (value: unknown) => badValue('cloud.network.cidr', value, 'a range of /20 or larger (node subnets are carved out of it)', 'use e.g. a /16'),
  /** An EKS VPC range larger than AWS allows; `suggestion`: the first /16 of it. */
  eksNetworkTooLarge: (value: unknown, suggestion: string) => badValue('cloud.network.cidr', value,
    'on EKS a range of /16 to /20: the VPC takes the range, and AWS allows a VPC CIDR block of /16 (65,536 addresses) at most, so creating it would fail',
    `use a /16 or a smaller range, e.g. ${JSON.stringify(suggestion)}`),
  nodePoolsList: (value: unknown) => badValue('cloud.nodePools', value, 'a list of node pools', 'list the pools'),
  nodePool: (prop: string, value: unknown) => badValue(prop, value, 'a node pool such as { name: "workload" }', 'declare the pool'),
  spot: (prop: string, value: unknown) => badValue(`${prop}.spot`, value, 'true or false', 'set spot to a boolean'),
  poolName: (prop: string, value: unknown) => badValue(`${prop}.name`, value,
    'lower-case letters and digits, starting with a letter, at most 12 characters, not "system" nor "systemtmp" (the system pool\'s and its temporary name)', 'rename the pool, e.g. "workload"'),
  poolNameTaken: (prop: string, value: unknown) => badValue(`${prop}.name`, value, 'a name used by one pool only', 'give each node pool its own name'),
  taintEffect: (prop: string, value: unknown, effects: readonly string[]) => badValue(`${prop}.effect`, value, effects.join(', '), 'use TaintEffect'),
  taintKey: (prop: string, value: unknown) => badValue(`${prop}.key`, value,
    'a taint key: [prefix/]name of letters, digits, "-", "_" and "." (name up to 63 characters)', 'rename the taint key'),
  /** AKS node pools of which none takes workloads (`pools`: their names). */
  noWorkloadPool: (pools: readonly string[]) => badValue('cloud.nodePools', pools,
    'at least one pool without NoSchedule/NoExecute taints and not spot (the system pool runs critical add-ons only, so Argo CD and every add-on would stay Pending)',
    'add an untainted on-demand pool, e.g. { name: \'user\', minCount: 2, maxCount: 10 }, or leave nodePools unset for the default user pool'),
  eksInstanceType: (prop: string, value: unknown, why: string) => badValue(prop, value, `an instance type an Amazon Linux 2023 EKS AMI runs on (${why})`, 'pick another instance family, e.g. m7i (x86), m7g (Graviton) or g5 (NVIDIA GPUs)'),
  poolMinCount: (prop: string, min: number, max: number) => badValue(`${prop}.minCount`, min, `at most maxCount (${max})`, 'raise maxCount or lower minCount'),
  adminGroupObjectId: (index: number, value: unknown) => badValue(`cloud.adminGroupObjectIds[${index}]`, value, 'an Entra ID group object id (a GUID)',
    'copy the group\'s Object ID from Entra ID'),
  maintenanceWindow: (value: unknown) => badValue('cloud.maintenanceWindow', value, 'an object such as { dayOfWeek: "Sunday", startTime: "02:00" }', 'declare the window\'s day and start time (or leave it out)'),
  maintenanceDay: (value: unknown, days: readonly string[]) => badValue('cloud.maintenanceWindow.dayOfWeek', value, days.join(', '), 'name the day as AKS does, e.g. "Sunday"'),
  maintenanceStart: (value: unknown) => badValue('cloud.maintenanceWindow.startTime', value, 'a time "HH:mm" from 00:00 to 23:59', 'write the hour and minutes with two digits each, e.g. "02:00"'),
  maintenanceDuration: (value: unknown) => badValue('cloud.maintenanceWindow.durationHours', value, 'a whole number of hours from 4 to 24 (AKS\'s bounds)', 'give the window at least 4 hours'),
  maintenanceOffset: (value: unknown) => badValue('cloud.maintenanceWindow.utcOffset', value, 'a UTC offset "+HH:mm" or "-HH:mm", e.g. "+01:00"', 'write the sign, the hours and the minutes, e.g. "-05:00"'),
  longTermSupport: (value: unknown) => badValue('cloud.longTermSupport', value, 'true or false', 'set longTermSupport to a boolean (or leave it out)'),
  natGateways: (value: unknown, modes: readonly string[]) => badValue('cloud.natGateways', value, modes.join(', '), 'use NatGatewayMode.SINGLE or NatGatewayMode.PER_ZONE'),
  addonVersions: (value: unknown) => badValue('cloud.addonVersions', value, 'an object such as { coreDns: "v1.11.4-eksbuild.2" }', 'set addonVersions to an object (or leave it out)'),
  addonVersion: (key: string, value: unknown) => badValue(`cloud.addonVersions.${key}`, value, 'an EKS add-on version such as "v1.20.2-eksbuild.1"',
    'copy the version from `aws eks describe-addon-versions`, or leave it out for the library\'s build'),
  availabilityZoneCount: (value: unknown) => badValue('cloud.availabilityZoneCount', value, '2 or 3', 'EKS needs subnets in at least two zones; use 2 or 3'),
  adminRoleArn: (index: number, value: unknown) => badValue(`cloud.adminRoleArns[${index}]`, value, 'an IAM role ARN such as "arn:aws:iam::123456789012:role/platform-admins"',
    'use the role ARN (not a user or an assumed-role session ARN)'),
  availabilityZones: (value: unknown) => badValue('cloud.availabilityZones', value, 'a list of distinct zone numbers such as ["1", "2", "3"], or [] for regional pools',
    'list the zones the location offers (`az vm list-skus --location <location> --zone`), or leave it out'),
  identityProvider: (value: unknown) => badValue('cloud.identityProvider', value, 'an object such as { issuerUrl: "https://idp.acme.dev", clientId: "kubectl" }',
    'set identityProvider to the OIDC provider people sign in with (or leave it out)'),
  identityProviderIssuer: (value: unknown) => badValue('cloud.identityProvider.issuerUrl', value, 'an https:// URL without query or fragment, such as "https://idp.acme.dev"',
    'use the issuer exactly as the provider\'s discovery document states it (EKS accepts https only)'),
  // ---- ClusterOutput
  outputReference: (value: unknown) => badValue('name', value, 'an output name: lower-case letters, digits and "_", starting with a letter (up to 63 characters)',
    'use the name the cluster declares with addOutput'),
};
