import { describe, expect, it } from 'vitest';
import {
  expandApplicationSet, renderGoTemplate, formatPin, isCommitPinnedTag, listServices, parsePin, readPin, readPinFileText, unifiedDiff, checkProjectPermissions, describeDenial, isDestinationPermitted, isGroupKindNamePermitted, isSourcePermitted, KindScopes, projectPermissions, checkChartPolicies, checkOutputPermissions, findUnusedValues, parseRendered, plainManifestFiles, plainManifests, promote, ExpansionError, renderApplications, AcmeSolver, AddonIdentity, ApiExposure, ArgoCdUi, Catalog, TerraformBackend, Testing, Cloud, ClusterSelector, NamespaceTenant, TenantClusterResource, FleetCluster, Group, HelmChart, ManagementCluster, NetworkAllowance, Platform, PlatformValidationError, ServiceCatalogEntry,
  TaintEffect, TeamService, TenantVCluster,
} from '../src';
import { aksCloud, awsMgmt, awsPlatform, azureMgmt, azurePlatform, eksCloud } from './support/fixtures';
import { pinsRepo } from './support/pins';

// Every rejected input is the library's validation error naming the construct path and the
// field, never the constructs library's Error, a TypeError or a RangeError, and never a
// value written to a file that a tool would refuse (Helm, Kubernetes, Terraform).

const secure = { 'security-basic': 'enabled' };
const chart = HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'demo', version: '1.2.3' });

/** The message of the library's error thrown by `fn` (fails the test on any other outcome). */
function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof PlatformValidationError) return e.message;
    throw new Error(`not the library's error: ${(e as Error)?.name}: ${(e as Error)?.message}`);
  }
  throw new Error('no error');
}

/** JavaScript callers can pass anything: the props are typed as `any` here on purpose. */
const js = (v: unknown): any => v;

function entry(props: Record<string, unknown>) {
  const platform = azurePlatform();
  azureMgmt(platform, { labels: secure });
  new ServiceCatalogEntry(platform, 'demo', js({ chart, namespace: 'demo', targets: ClusterSelector.labels(secure), ...props }));
  return platform.render();
}

function tenant(props: Record<string, unknown>, name = 'a') {
  const platform = azurePlatform();
  const mgmt = azureMgmt(platform, { labels: secure });
  new TenantVCluster(mgmt, name, js({ owners: Group.named('g'), ...props }));
  return { platform, mgmt };
}

describe('errors that were not the library\'s', () => {
  it('duplicate construct ids and an empty id', () => {
    const platform = azurePlatform();
    azureMgmt(platform);
    expect(message(() => azureMgmt(platform))).toBe('[platform/mgmt] construct id: got "mgmt". Allowed: an id not yet used under platform (platform/mgmt is a ManagementCluster). Fix: give each construct its own id.');
    expect(message(() => new ServiceCatalogEntry(platform, '', { chart, namespace: 'demo', targets: ClusterSelector.labels(secure), name: 'x' })))
      .toBe('[platform] construct id: got "". Allowed: a non-empty string without "/". Fix: give the construct an id such as "mgmt" or "team-a".');
  });

  it('two tenants with the same name on one host, and node pool names that collide after truncation', () => {
    const { mgmt } = tenant({ name: 'same' });
    expect(message(() => new TenantVCluster(mgmt, 'b', { owners: Group.named('g'), name: 'same' })))
      .toBe('[platform/mgmt/b] duplicate tenant name "same": also declared at platform/mgmt/a. Fix: give each tenant a unique name.');
    const pools = tenant({ name: 'payments-team-a', nodePool: {} });
    expect(message(() => new TenantVCluster(pools.mgmt, 'b', { owners: Group.named('g'), name: 'payments-team-b', nodePool: {} })))
      .toMatch(/^\[platform\/mgmt\/b\] nodePool: got "a node pool named \\"tpaymentstea\\"". Allowed: a node pool name no other pool of host "mgmt" has/);
  });

  it('malformed props from JavaScript callers', () => {
    expect(message(() => new ManagementCluster(azurePlatform(), 'mgmt', js({ cloud: aksCloud(), argocd: { sso: { issuer: 'https://idp.acme.dev', clientId: 'argocd' } } }))))
      .toBe('[platform/mgmt] argocd.sso: got {"issuer":"https://idp.acme.dev","clientId":"argocd"}. Allowed: Sso.oidc({...}) or Sso.entraId({...}). Fix: declare SSO with a factory.');
    expect(message(() => entry({ environmentValues: { dev: null } })))
      .toBe('[platform/demo] environmentValues.dev: got null. Allowed: an object such as { replicas: 3 }. Fix: set environmentValues.dev to an object (or leave it out).');
    expect(message(() => entry({ dependsOn: [null] })))
      .toBe('[platform/demo] dependsOn[0]: got null. Allowed: a ServiceCatalogEntry of this platform. Fix: declare dependsOn[0] with a factory (a plain object is not one).');
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(message(() => entry({ values: cyclic })))
      .toBe('[platform/demo] values.self: got "a reference to an enclosing object (a cycle)". Allowed: a tree of data without cycles. Fix: copy the data instead of referring to values itself.');
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 2000; i++) deep = (deep.x = {}) as Record<string, unknown>;
    expect(message(() => entry({ values: root }))).toMatch(/^\[platform\/demo\] values(\.x){64}: got "data nested more than 64 levels"\. Allowed: at most 64 levels of nesting\. Fix: flatten the values\.$/);
    expect(message(() => tenant({ vcluster: { rawValues: { since: new Date(0) } } })))
      .toBe('[platform/mgmt/a] vcluster.rawValues.since: got a Date (1970-01-01T00:00:00.000Z). Allowed: data: strings, finite numbers, booleans, null, lists and plain objects. Fix: write the date as a string, e.g. "1970-01-01T00:00:00.000Z".');
    // an invalid Date has no ISO text to suggest (before, the message itself threw a RangeError)
    expect(message(() => tenant({ vcluster: { rawValues: { since: new Date(Number.NaN) } } })))
      .toBe('[platform/mgmt/a] vcluster.rawValues.since: got an invalid Date. Allowed: data: strings, finite numbers, booleans, null, lists and plain objects. Fix: write the date as a string.');
    expect(message(() => new ServiceCatalogEntry(azurePlatform(), 'x', js(undefined))))
      .toBe('[platform/x] props: got nothing. Allowed: an object of properties, e.g. { chart, namespace, targets }. Fix: pass the properties as the third argument.');
    expect(message(() => new Platform(js(undefined)))).toMatch(/^\[platform\] props: got nothing\./);
  });
});

describe('invalid values that were accepted and written', () => {
  it('annotation keys, sync options, release and entry names over 53 characters, tenant namespaces used as release names', () => {
    const platform = azurePlatform();
    const mgmt = azureMgmt(platform, { labels: secure });
    expect(message(() => new FleetCluster(mgmt, 'f', { environment: 'dev', cloud: eksCloud(), labels: secure, annotations: { 'not a key': 'v' } })))
      .toMatch(/^\[platform\/mgmt\/f\] annotations key: got "not a key"\. Allowed: a Kubernetes annotation key/);
    expect(message(() => entry({ syncOptions: ['Prune=maybe'] }))).toMatch(/^\[platform\/demo\] syncOptions\[0\]: got "Prune=maybe"\. Allowed: one of Validate=true\|false, /);
    expect(message(() => entry({ releaseName: 'r'.repeat(54) }))).toMatch(/^\[platform\/demo\] releaseName: got "r{54}"\. Allowed: a Helm release name: 1 to 53 characters/);
    expect(message(() => entry({ name: 'e'.repeat(54) }))).toMatch(/^\[platform\/demo\] name \(the default releaseName\): got "e{54}"\./);
    expect(message(() => tenant({ namespace: 'n'.repeat(60) }))).toMatch(/^\[platform\/mgmt\/a\] namespace \(the vCluster release name\): got "n{60}"\. Allowed: a Helm release name/);
  });

  it('catalog manifests: kind, namespace, labels, annotations; two of one kind and name in different namespaces stay two files', () => {
    const cm = (metadata: Record<string, unknown>, kind = 'ConfigMap') => ({ apiVersion: 'v1', kind, metadata: { name: 'settings', ...metadata } });
    expect(message(() => entry({ manifests: [cm({}, 'not a kind')] }))).toMatch(/^\[platform\/demo\] manifests\[\] kind: got "not a kind"\./);
    expect(message(() => entry({ manifests: [cm({ namespace: 'Not_DNS' })] }))).toMatch(/^\[platform\/demo\] manifests ConfigMap settings metadata\.namespace: got "Not_DNS"\./);
    expect(message(() => entry({ manifests: [cm({ labels: { 'a b': 'x' } })] }))).toMatch(/^\[platform\/demo\] manifests ConfigMap settings metadata\.labels key: got "a b"\./);
    expect(message(() => entry({ manifests: [cm({ annotations: { 'not a key': 'x' } })] }))).toMatch(/^\[platform\/demo\] manifests ConfigMap settings metadata\.annotations key: got "not a key"\./);
    const files = entry({ manifests: [cm({ namespace: 'a' }), cm({ namespace: 'b' }), cm({}, 'Secretless')] });
    expect([...files.keys()].filter((f) => f.startsWith('catalog/demo/manifests/')).sort()).toEqual([
      'catalog/demo/manifests/all/configmap-settings.a.yaml', 'catalog/demo/manifests/all/configmap-settings.b.yaml', 'catalog/demo/manifests/all/secretless-settings.yaml',
    ]);
    expect(message(() => entry({ manifests: [cm({ namespace: 'a' }), cm({ namespace: 'a' })] }))).toMatch(/^\[platform\/demo\] two objects would be written to the same file "catalog\/demo\/manifests\/all\/configmap-settings\.a\.yaml"/);
  });

  it('network allowances: CIDR /33, port -1, protocol ICMP', () => {
    const allow = (cidr: string, port: number, protocol?: string) => message(() => tenant({ networkAllowances: [NetworkAllowance.egressToCidr(cidr, [{ port, protocol }])] }));
    expect(allow('10.0.0.0/33', 5432)).toMatch(/^\[platform\/mgmt\/a\] networkAllowances\[0\] cidr: got "10\.0\.0\.0\/33"\. Allowed: an IPv4 or IPv6 CIDR block/);
    expect(allow('10.0.0.0/16', -1)).toBe('[platform/mgmt/a] networkAllowances[0] ports[0].port: got -1. Allowed: a port number from 1 to 65535. Fix: set networkAllowances[0] ports[0].port to the port.');
    expect(allow('10.0.0.0/16', 5432, 'ICMP')).toMatch(/^\[platform\/mgmt\/a\] networkAllowances\[0\] ports\[0\]\.protocol: got "ICMP"\. Allowed: TCP, UDP or SCTP/);
  });

  it('node pool counts -3 and NaN, vCluster replicas NaN', () => {
    expect(message(() => tenant({ nodePool: { minCount: -3 } }))).toBe('[platform/mgmt/a] nodePool.minCount: got -3. Allowed: a whole number of at least 1. Fix: set nodePool.minCount to a whole number.');
    expect(message(() => tenant({ nodePool: { maxCount: NaN } }))).toBe('[platform/mgmt/a] nodePool.maxCount: got NaN. Allowed: a whole number of at least 1. Fix: set nodePool.maxCount to a whole number.');
    expect(message(() => tenant({ vcluster: { replicas: NaN } }))).toBe('[platform/mgmt/a] vcluster.replicas: got NaN. Allowed: a whole number of at least 1. Fix: set vcluster.replicas to a whole number.');
  });

  it('vCluster replicas past 1 on the embedded database, which vCluster refuses (its control plane would exit at start)', () => {
    expect(message(() => tenant({ vcluster: { replicas: 3 } }))).toBe('[platform/mgmt/a] vcluster.replicas: got 3. Allowed: 1 on vCluster\'s default backing store, its embedded database, which refuses more replicas '
      + '(the control plane would exit at start, and the virtual cluster never be registered). Fix: leave replicas at 1, or choose a backing store the replicas share in vcluster.rawValues, '
      + 'e.g. { controlPlane: { backingStore: { etcd: { deploy: { enabled: true } } } } } (the open-source deployed etcd).');
    const explicitSqlite = { controlPlane: { backingStore: { database: { embedded: { enabled: true } } } } };
    expect(message(() => tenant({ vcluster: { replicas: 2, rawValues: explicitSqlite } }))).toMatch(/^\[platform\/mgmt\/a\] vcluster\.replicas: got 2\./);
    for (const store of [{ etcd: { deploy: { enabled: true } } }, { database: { external: { enabled: true } } }]) {
      expect(() => tenant({ vcluster: { replicas: 3, rawValues: { controlPlane: { backingStore: store } } } })).not.toThrow();
    }
  });

  it('cloud location, region, taints, node labels and tags; a revision with a space', () => {
    const mgmt = (cloud: Cloud, tags?: Record<string, string>) => message(() => new ManagementCluster(azurePlatform(), 'mgmt', { cloud, tags }));
    expect(mgmt(aksCloud('10.0.0.0/16', { location: 'West Europe' }))).toMatch(/^\[platform\/mgmt\] cloud\.location: got "West Europe"\. Allowed: an Azure location name/);
    // a sovereign cloud's location: its endpoints are not the public cloud's the platform uses
    for (const location of ['usgovvirginia', 'chinanorth3']) {
      expect(mgmt(aksCloud('10.0.0.0/16', { location }))).toBe(`[platform/mgmt] cloud.location: got "${location}". Allowed: a location of the Azure public cloud: the platform signs in with Entra ID, reads Key Vault and registers clusters with the public cloud's endpoints, which Azure Government and Azure in China do not serve. Fix: use a public cloud location, such as "westeurope" or "eastus2".`);
    }
    expect(message(() => new ManagementCluster(azurePlatform(), 'mgmt', { cloud: eksCloud('10.0.0.0/16', { region: 'Europe (Ireland)' }) }))).toMatch(/^\[platform\/mgmt\] cloud\.region: got "Europe \(Ireland\)"\. Allowed: an AWS region code/);
    expect(mgmt(aksCloud('10.0.0.0/16', { nodePools: [{ name: 'work', taints: [{ key: 'dedicated to', value: 'x', effect: TaintEffect.NO_SCHEDULE }] }] }))).toMatch(/^\[platform\/mgmt\] cloud\.nodePools\[0\]\.taints\[0\]\.key: got "dedicated to"\./);
    expect(mgmt(aksCloud('10.0.0.0/16', { nodePools: [{ name: 'work', taints: [{ key: 'dedicated', value: 'a b', effect: TaintEffect.NO_SCHEDULE }] }] }))).toMatch(/^\[platform\/mgmt\] cloud\.nodePools\[0\]\.taints\[0\]\["value"\]: got "a b"\./);
    expect(mgmt(aksCloud('10.0.0.0/16', { nodePools: [{ name: 'work', labels: { 'not a key': 'v' } }] }))).toMatch(/^\[platform\/mgmt\] cloud\.nodePools\[0\]\.labels key: got "not a key"\./);
    expect(mgmt(aksCloud(), { 'cost<center>': 'x' })).toMatch(/^\[platform\/mgmt\] tags key: got "cost<center>"\. Allowed: 1 to 128 letters/);
    expect(message(() => azurePlatform({ repository: { url: 'https://github.com/acme/platform-gitops.git', revision: 'a b' } }))).toMatch(/^\[platform\] repository\.revision: got "a b"\. Allowed: a branch, tag or commit git accepts/);
  });
});

describe('TeamService values that reach its manifests', () => {
  const root = pinsRepo({ 'services/team-a/checkout/prod.json': { cluster: 'vc-team-a-prod', imageTag: '1.4.2-aaaaaaa', targetRevision: 'a'.repeat(40) } });
  const service = (extra: Record<string, unknown>) => message(() => {
    const platform = awsPlatform({ environments: ['prod'] });
    const mgmt = awsMgmt(platform, { labels: { 'security-basic': 'enabled', 'core-basic': 'enabled' } });
    Catalog.externalSecrets(platform);
    Catalog.gatewayApi(platform, { https: {} });
    const tenant = new TenantVCluster(mgmt, 'team-a-prod', { owners: Group.named('team-a') });
    new TeamService(tenant, 'checkout', js({ team: 'team-a', image: 'ghcr.io/acme/checkout', port: 8080, repositoryRoot: root, ...extra }));
  });

  it('health path, metrics port and path, secret store and migration command', () => {
    const at = '[platform/mgmt/team-a-prod/checkout] ';
    expect(service({ healthPath: 'healthz now' })).toBe(`${at}healthPath: got "healthz now". Allowed: an absolute HTTP path such as "/healthz" (no spaces, query or fragment). Fix: set healthPath to the path the container serves.`);
    expect(service({ metrics: { port: 70000 } })).toBe(`${at}metrics.port: got 70000. Allowed: a port number from 1 to 65535. Fix: set metrics.port to the port.`);
    expect(service({ metrics: { path: 'metrics' } })).toMatch(/metrics\.path: got "metrics"\. Allowed: an absolute HTTP path/);
    expect(service({ secretStore: 'Team Secrets' })).toMatch(/secretStore: got "Team Secrets"\. Allowed: a DNS-1123 label/);
    expect(service({ migration: { command: ['./migrate', ''] } })).toMatch(/migration\.command: got \["\.\/migrate",""\]\. Allowed: a non-empty command/);
  });
});

describe('the public surfaces added with issues 15, 16 and 19 refuse malformed JavaScript input with the library\'s error', () => {
  const withEntry = (props: Record<string, unknown>) => () => entry(props);
  function namespaceTenant(props: Record<string, unknown>, id = 'nt') {
    const platform = azurePlatform();
    const mgmt = azureMgmt(platform);
    new NamespaceTenant(mgmt, id, js({ owners: Group.named('g'), ...props }));
    platform.render();
    return mgmt;
  }
  const repo = (extra: Record<string, unknown>) => ({ repositories: [{ url: 'https://github.com/acme/team-a.git', ...extra }] });

  it('AddonIdentity factories: props, roles and statements that are not what they say', () => {
    expect(message(withEntry({ identity: AddonIdentity.azure(js(null)) })))
      .toBe('[platform/demo] identity.name: got nothing. Allowed: lower-case letters, digits and "-", starting with a letter, at most 30 characters. Fix: name the identity after the add-on, e.g. "external-dns".');
    expect(message(withEntry({ identity: AddonIdentity.azure(js({ name: 'x-dns', serviceAccount: 'sa', roles: {} })) })))
      .toBe('[platform/demo] identity.roles: got {}. Allowed: one or more role grants. Fix: grant the roles the add-on needs, scoped to its resources.');
    expect(message(withEntry({ identity: AddonIdentity.azure(js({ name: 'x-dns', serviceAccount: 'sa', roles: [null] })) })))
      .toBe('[platform/demo] identity.roles[0]: got null. Allowed: a grant { roleDefinitionName, scope }. Fix: name the role, e.g. "DNS Zone Contributor".');
    expect(message(withEntry({ identity: AddonIdentity.aws(js({ name: 'x-dns', serviceAccount: 'sa', statements: [null] })) })))
      .toBe('[platform/demo] identity.statements[0]: got null. Allowed: a statement with actions and resources. Fix: complete the statement.');
    expect(message(withEntry({ identity: AddonIdentity.aws(js({ name: 'x-dns', serviceAccount: 'sa', statements: [{ actions: [5], resources: ['*'] }] })) })))
      .toMatch(/^\[platform\/demo\] identity\.statements\[0\]: got \{"actions":\[5\],"resources":\["\*"\]\}\. Allowed: a statement with actions and resources/);
  });

  it('ClusterSelector.includingTenants and allOf given something that is not a selector', () => {
    const expected = '[platform/demo] targets.matchExpressions[0].key: got null. Allowed: a Kubernetes label key. Fix: use a label of the cluster registrations.';
    expect(message(withEntry({ targets: ClusterSelector.includingTenants(js(null)) }))).toBe(expected);
    expect(message(withEntry({ targets: ClusterSelector.allOf(js(null)) }))).toBe(expected);
  });

  it('Cloud.eks addonVersions and ArgoCdUi.gateway options that are not objects', () => {
    expect(message(() => awsMgmt(awsPlatform(), js({ cloud: eksCloud('10.10.0.0/16', js({ addonVersions: null })) }))))
      .toBe('[platform/mgmt] cloud.addonVersions: got null. Allowed: an object such as { coreDns: "v1.11.4-eksbuild.2" }. Fix: set addonVersions to an object (or leave it out).');
    // null options mean the defaults, as undefined does
    expect(ArgoCdUi.gateway(js(null))._clusterIssuer).toBe('letsencrypt-production');
  });

  it('NamespaceTenant: scope, id, props, repositories, network allowances and a second tenant of one name on a host', () => {
    const platform = azurePlatform();
    const mgmt = azureMgmt(platform);
    expect(message(() => new NamespaceTenant(mgmt, 'nt', js(null))))
      .toBe('[platform/mgmt/nt] props: got null. Allowed: an object of properties, e.g. { owners: Group.named("team-a") }. Fix: pass the properties as the third argument.');
    expect(message(() => new NamespaceTenant(mgmt, '', js({ owners: Group.named('g') }))))
      .toBe('[platform/mgmt] construct id: got "". Allowed: a non-empty string without "/". Fix: give the construct an id such as "mgmt" or "team-a".');
    expect(message(() => new NamespaceTenant(js(platform), 'nt2', { owners: Group.named('g') })))
      .toBe('[platform/nt2] scope: got "a Platform". Allowed: a ManagementCluster or FleetCluster. Fix: declare the tenant inside its host cluster.');
    expect(message(() => namespaceTenant({ repositories: {} })))
      .toBe('[platform/mgmt/nt] repositories: got {}. Allowed: a list such as [{ url: "https://github.com/acme/team-a.git" }]. Fix: set repositories to a list.');
    expect(message(() => namespaceTenant({ repositories: [null] })))
      .toBe('[platform/mgmt/nt] repositories[0]: got null. Allowed: an object such as { url: "https://github.com/acme/team-a.git", path: "deploy" }. Fix: set repositories[0] to an object (or leave it out).');
    expect(message(() => namespaceTenant(repo({ path: 5 }))))
      .toBe('[platform/mgmt/nt] repositories[0].path: got 5. Allowed: a relative folder of the repository. Fix: remove leading "/" and ".." segments.');
    expect(message(() => namespaceTenant(repo({ revision: new Date(0) })))).toMatch(/^\[platform\/mgmt\/nt\] repositories\[0\]\.revision: got a Date \(1970-01-01T00:00:00\.000Z\)\. Allowed: a branch, tag or commit git accepts/);
    expect(message(() => namespaceTenant(repo({ credentialsKey: Symbol('k') })))).toMatch(/^\[platform\/mgmt\/nt\] repositories\[0\]\.credentialsKey: got Symbol\(k\)\./);
    expect(message(() => namespaceTenant({ networkAllowances: 'x' })))
      .toBe('[platform/mgmt/nt] networkAllowances: got "x". Allowed: a list such as [NetworkAllowance.egressToCidr(...)]. Fix: set networkAllowances to a list.');
    expect(message(() => namespaceTenant({ networkAllowances: [null] })))
      .toBe('[platform/mgmt/nt] networkAllowances[0]: got null. Allowed: NetworkAllowance.egressToCidr(...) or .ingressFromNamespace(...). Fix: declare networkAllowances[0] with a factory (a plain object is not one).');
    const host = namespaceTenant({}, 'a');
    expect(message(() => new NamespaceTenant(host, 'b', { owners: Group.named('g'), name: 'a' })))
      .toBe('[platform/mgmt/b] duplicate tenant name "a": also declared at platform/mgmt/a. Fix: give each tenant a unique name.');
  });

  it('NamespaceTenant repository revisions git would refuse, or holding template delimiters, are not written', () => {
    expect(message(() => namespaceTenant(repo({ revision: 'a b' }))))
      .toBe('[platform/mgmt/nt] repositories[0].revision: got "a b". Allowed: a branch, tag or commit git accepts (git check-ref-format): no spaces, "..", "~^:?*[\\{}", leading "-" or trailing "/", "." or ".lock". Fix: set repositories[0].revision to the branch Argo CD tracks, e.g. "main".');
    expect(message(() => namespaceTenant(repo({ revision: 'main{{ .name }}' })))).toMatch(/^\[platform\/mgmt\/nt\] repositories\[0\]\.revision: got "main\{\{ \.name \}\}"\./);
    expect(message(() => namespaceTenant(repo({ path: 'deploy/{{ .name }}' })))).toMatch(/^\[platform\/mgmt\/nt\] repositories\[0\]\.path: got "deploy\/\{\{ \.name \}\}"\./);
  });

  it('TenantVCluster clusterResources that is not a list, and TenantClusterResource.of with a value that is not a string', () => {
    expect(message(() => tenant({ clusterResources: 'x' })))
      .toBe('[platform/mgmt/a] clusterResources: got "x". Allowed: a list such as [TenantClusterResource.NAMESPACES]. Fix: set clusterResources to a list.');
    expect(message(() => tenant({ clusterResources: [TenantClusterResource.of(js(Symbol('s')), 'Foo')] })))
      .toMatch(/^\[platform\/mgmt\/a\] clusterResources\[0\]: got \{"group":Symbol\(s\),"kind":"Foo"\}\. Allowed: an API group/);
  });
});

describe('factories given null or an empty object, and helpers given something that is not a construct', () => {
  it('TerraformBackend, AcmeSolver and ApiExposure name the missing field instead of writing "undefined"', () => {
    expect(message(() => azurePlatform({ terraformBackend: TerraformBackend.azurerm(js(null)) })))
      .toBe('[platform] terraformBackend.resourceGroupName: got nothing. Allowed: a non-empty string. Fix: set terraformBackend.resourceGroupName.');
    expect(message(() => awsPlatform({ terraformBackend: TerraformBackend.s3(js({ bucket: 'acme-tfstate', region: 'eu-west-1', keyPrefix: '' })) })))
      .toBe('[platform] terraformBackend.keyPrefix: got "". Allowed: a non-empty string. Fix: set terraformBackend.keyPrefix.');
    expect(message(() => azurePlatform({ terraformBackend: TerraformBackend.azurerm(js({ resourceGroupName: 'rg', storageAccountName: 'acmetfstate', useAzureadAuth: 'yes' })) })))
      .toBe('[platform] terraformBackend.useAzureadAuth: got "yes". Allowed: true or false. Fix: set useAzureadAuth to a boolean (or leave it out).');
    const platform = azurePlatform();
    expect(message(() => Catalog.certManager(platform, { acme: { email: 'ops@acme.dev', solver: AcmeSolver.dns01AzureDns(js({ resourceGroupName: 'rg', hostedZoneName: 'acme.dev' })) } })))
      .toBe('[platform/cert-manager] acme.solver.subscriptionId: got nothing. Allowed: a name of letters, digits, ".", "_", "/" and "-". Fix: set subscriptionId in the AcmeSolver factory.');
    expect(message(() => Catalog.certManager(azurePlatform(), { acme: { email: 'ops@acme.dev', solver: AcmeSolver.http01Gateway(js(null)) } })))
      .toBe('[platform/cert-manager] acme.solver.gatewayName: got nothing. Allowed: a name of letters, digits, ".", "_", "/" and "-". Fix: set gatewayName in the AcmeSolver factory.');
    expect(message(() => tenant({ apiExposure: ApiExposure.ingress(js(null)) })))
      .toMatch(/^\[platform\/mgmt\/a\] apiExposure\.ingressClassName: got nothing\. Allowed: a DNS-1123 label/);
    expect(message(() => tenant({ apiExposure: { _kind: 'gateway', _name: 'public', _namespace: 'x' } })))
      .toBe('[platform/mgmt/a] apiExposure: got {"_kind":"gateway","_name":"public","_namespace":"x"}. Allowed: ApiExposure.gateway({...}) or ApiExposure.ingress({...}). Fix: declare apiExposure with a factory (a plain object is not one).');
  });

  it('Group.anyOf with something that is not a list, Platform.of, FleetCluster.fromName and Testing.render with something that is not a construct', () => {
    expect(message(() => tenant({ owners: Group.anyOf(js('team-a')) })))
      .toBe('[platform/mgmt/a] owners: got "team-a". Allowed: Group.anyOf([...]) with a list of group names. Fix: pass the group names as a list.');
    expect(message(() => Platform.of(js(null)))).toBe('[platform] scope: got null. Allowed: a construct of a Platform. Fix: pass the Platform or a construct inside it.');
    expect(message(() => FleetCluster.fromName(js(undefined), 'x', 'x')))
      .toBe('[platform] scope: got nothing. Allowed: a construct of the platform (the Platform, a cluster or a tenant). Fix: pass the Platform or a cluster as the first argument.');
    expect(message(() => Testing.render(js({})))).toBe('[platform] platform: got {}. Allowed: a Platform. Fix: pass the Platform to render.');
  });
});

describe('renderApplications given what is not an output tree, or a corrupt one', () => {
  it('files and options that are not what they say are the library\'s error; a corrupt platform.json or Application is one line naming the file', async () => {
    await expect(renderApplications(js(null))).rejects.toThrow(new PlatformValidationError([{ path: 'renderApplications', message: 'files: got null. Allowed: a Map of output paths to file text. Fix: pass what platform.render() returns (or the files of a synthesized output folder).' }]));
    const platform = azurePlatform();
    azureMgmt(platform);
    const files = platform.render();
    await expect(renderApplications(files, js(null))).rejects.toThrow('[renderApplications] options: got null. Allowed: an object of RenderApplicationsOptions. Fix: pass the options as an object (or leave them out).');
    const corrupt = new Map(files).set('platform.json', '{');
    await expect(renderApplications(corrupt)).rejects.toThrow(ExpansionError);
    await expect(renderApplications(corrupt)).rejects.toThrow(/^platform\.json is not valid JSON \([^\n]*\)\. Fix: synthesize the output again, or correct the file by hand\.$/);
    const badYaml = new Map(files).set('clusters/mgmt/argocd/application-root.yaml', 'a: [\n');
    await expect(renderApplications(badYaml)).rejects.toThrow(/^clusters\/mgmt\/argocd\/application-root\.yaml is not valid YAML \([^\n]*\)\. Fix: synthesize the output again, or correct the file by hand\.$/);
  });
});

describe('the exported analysis helpers given arguments of the wrong kind', () => {
  it('expandApplicationSet, renderGoTemplate, checkOutputPermissions, checkChartPolicies, findUnusedValues, plainManifests, plainManifestFiles, parseRendered, the AppProject checks, the pin file helpers and promote name the argument', () => {
    expect(message(() => checkOutputPermissions(js(null))))
      .toBe('[checkOutputPermissions] files: got null. Allowed: a Map, e.g. the files platform.render() returns. Fix: pass the files platform.render() returns.');
    expect(message(() => checkOutputPermissions(new Map(), js('x')))).toMatch(/^\[checkOutputPermissions\] options: got "x"\. Allowed: an object of options/);
    expect(message(() => checkChartPolicies(new Map(), js(null)))).toMatch(/^\[checkChartPolicies\] rendered: got null\. Allowed: a list, e\.g\. what renderApplications\(\) returns/);
    expect(message(() => checkChartPolicies(new Map([['platform.json', '{ "catalog": [']]), []))).toMatch(/^\[checkChartPolicies\] files\["platform\.json"\]: got "not valid JSON \(.*\)"\. Allowed: the platform\.json a synth wrote\. Fix: synthesize the output again, or correct the file by hand\.$/);
    expect(message(() => checkChartPolicies(new Map([['platform.json', '{}']]), []))).toMatch(/^\[checkChartPolicies\] files\["platform\.json"\]\.catalog: got nothing\./);
    expect(message(() => findUnusedValues(js({})))).toMatch(/^\[findUnusedValues\] rendered: got \{\}\. Allowed: a list/);
    expect(message(() => plainManifests(js(undefined)))).toMatch(/^\[plainManifests\] rendered: got nothing\. Allowed: a list/);
    expect(message(() => plainManifestFiles(js([])))).toMatch(/^\[plainManifestFiles\] manifests: got \[\]\. Allowed: a Map/);
    expect(message(() => parseRendered(js(null), 'demo'))).toMatch(/^\[parseRendered\] text: got null\. Allowed: a string/);
    expect(message(() => promote(js(null)))).toMatch(/^\[promote\] props: got null\. Allowed: an object of properties/);
    expect(message(() => isSourcePermitted(js(null), 'https://github.com/acme/app.git')))
      .toBe('[isSourcePermitted] project: got null. Allowed: an object, e.g. projectPermissions(appProject). Fix: pass projectPermissions(appProject).');
    expect(message(() => isSourcePermitted(projectPermissions({ spec: { sourceRepos: ['*'] } }), js(undefined)))).toMatch(/^\[isSourcePermitted\] repoURL: got nothing\. Allowed: a string/);
    expect(message(() => isDestinationPermitted(projectPermissions({ spec: {} }), js(null), 'x'))).toMatch(/^\[isDestinationPermitted\] cluster: got null\. Allowed: an object/);
    expect(message(() => isGroupKindNamePermitted(js('x'), '', 'ConfigMap', 'a', true))).toMatch(/^\[isGroupKindNamePermitted\] project: got "x"\. Allowed: an object/);
    expect(message(() => checkProjectPermissions(js(null), new Map(), new KindScopes()))).toMatch(/^\[checkProjectPermissions\] subjects: got null\. Allowed: a list/);
    expect(message(() => checkProjectPermissions([], js({}), new KindScopes()))).toMatch(/^\[checkProjectPermissions\] projects: got \{\}\. Allowed: a Map/);
    expect(message(() => describeDenial(js(undefined)))).toMatch(/^\[describeDenial\] denial: got nothing\. Allowed: an object/);
    expect(message(() => readPin(js(null), 'team-a', 'checkout', 'prod'))).toBe('[readPin] root: got null. Allowed: a string, e.g. the repository root. Fix: pass the repository root.');
    expect(message(() => readPinFileText('.', js({})))).toMatch(/^\[readPinFileText\] file: got \{\}\. Allowed: a string/);
    expect(message(() => parsePin('p.json', js(undefined)))).toMatch(/^\[parsePin\] text: got nothing\. Allowed: a string/);
    expect(message(() => formatPin(js(null)))).toMatch(/^\[formatPin\] pin: got null\. Allowed: an object/);
    expect(message(() => isCommitPinnedTag(js(5)))).toMatch(/^\[isCommitPinnedTag\] tag: got 5\. Allowed: a string/);
    expect(message(() => listServices(js(undefined)))).toMatch(/^\[listServices\] root: got nothing\. Allowed: a string/);
    expect(message(() => unifiedDiff('f', js(null), 'b'))).toMatch(/^\[unifiedDiff\] a: got null\. Allowed: a string/);
    expect(message(() => expandApplicationSet(js(null), []))).toBe('[expandApplicationSet] appSet: got null. Allowed: an object, e.g. an ApplicationSet object (parsed YAML). Fix: pass an ApplicationSet object (parsed YAML).');
    expect(message(() => expandApplicationSet({ spec: {} }, js(undefined)))).toMatch(/^\[expandApplicationSet\] clusters: got nothing\. Allowed: a list/);
    expect(message(() => expandApplicationSet({ spec: {} }, js([null])))).toMatch(/^\[expandApplicationSet\] clusters\[0\]: got null\. Allowed: an object/);
    expect(message(() => renderGoTemplate(js(5), {}))).toBe('[renderGoTemplate] template: got 5. Allowed: a string, e.g. "{{ .name }}". Fix: pass "{{ .name }}".');
    expect(message(() => renderGoTemplate('{{ .a }}', {}, js('strict')))).toMatch(/^\[renderGoTemplate\] missingKey: got "strict"\. Allowed: "default", "invalid", "zero", "error"/);
    expect(message(() => promote(js({ root: '.', service: 5, from: 'staging', to: 'prod', environments: ['staging', 'prod'] }))))
      .toBe('[promote] options.service: got 5. Allowed: a string, e.g. "team-a/checkout". Fix: pass "team-a/checkout".');
  });
});
