import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  ApiExposure, Catalog, CHARTS, ClusterOutput, expand, ExternalDnsProvider, ClusterSelector, expandApplicationSet, FleetCluster, Group, HelmChart, NetworkAllowance, PodSecurityLevel, renderGoTemplate,
  Platform, renderApplications, ServiceCatalogEntry, TenantVCluster, VCLUSTER_CHART,
} from '../src';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { ARGO_CD_CHART, SecretStore, Sso } from '../src';
import { aksCloud, awsMgmt, awsPlatform, azureMgmt, azurePlatform, eksCloud, expectResource, manifests, terraform } from './support/fixtures';
import { CACHE_DIR, chartToolsMissing, helmBinary, preparedCharts } from './support/helm';
import { modelOf } from './support/models';
import { admits, egressAdmits, External, Pod } from './support/network-policy';
import { compileValuesSchema, crdErrors, HAS_SCHEMAS } from './support/schemas';

const secure = { 'security-basic': 'enabled' };

function onManagement() {
  const platform = azurePlatform();
  const mgmt = azureMgmt(platform, { labels: secure });
  const tenant = new TenantVCluster(mgmt, 'team-a', {
    owners: Group.anyOf(['team-a', 'team-a-leads']),
    repositories: ['https://github.com/acme/team-a-apps.git'],
    networkAllowances: [NetworkAllowance.egressToCidr('10.99.0.0/24', [{ port: 5432 }])],
  });
  return { platform, mgmt, tenant, files: platform.render() };
}

const get = (files: Map<string, string>, f: string) => {
  const text = files.get(f);
  if (!text) throw new Error(`${f} not rendered; have: ${[...files.keys()].filter((k) => k.includes('team')).join(', ')}`);
  return parse(text);
};

describe('TenantVCluster: the host side', () => {
  it('creates the namespace with Pod Security labels, the book\'s quota, a LimitRange and a RoleBinding for the tenant\'s groups', () => {
    const { files } = onManagement();
    const ns = get(files, 'clusters/mgmt/_cluster/namespace-vcluster-team-a.yaml');
    expect(ns.metadata.labels).toEqual({
      'tenant': 'team-a',
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    const quota = get(files, 'clusters/mgmt/vcluster-team-a/resourcequota-tenant-quota.yaml');
    expect(quota.spec.hard).toEqual({
      'requests.cpu': '10', 'requests.memory': '20Gi', 'limits.cpu': '20', 'limits.memory': '40Gi', 'requests.storage': '100Gi',
      'requests.ephemeral-storage': '50Gi', 'limits.ephemeral-storage': '150Gi', 'pods': '30', 'services': '30', 'services.loadbalancers': '1',
      // Kubernetes' quota counts each port of a LoadBalancer Service as a node port: the one load balancer may serve 80 and 443
      'services.nodeports': '2', 'persistentvolumeclaims': '20', 'count/secrets': '100', 'count/configmaps': '100', 'count/endpoints': '40',
    });
    expect(get(files, 'clusters/mgmt/vcluster-team-a/limitrange-tenant-limits.yaml').spec.limits[0].defaultRequest).toEqual({ cpu: '100m', memory: '128Mi' });
    const rb = get(files, 'clusters/mgmt/vcluster-team-a/rolebinding-tenant-viewers.yaml');
    expect(rb.roleRef.name).toBe('view');
    expect(rb.subjects.map((s: any) => s.name)).toEqual(['team-a', 'team-a-leads']);
  });

  it('denies all traffic by default and allows DNS, the namespace itself, the gateway, the host API and the declared allowances', () => {
    const { files } = onManagement();
    const policies = [...files.keys()].filter((f) => f.startsWith('clusters/mgmt/vcluster-team-a/networkpolicy-')).map((f) => get(files, f));
    expect(policies.map((p) => p.metadata.name).sort()).toEqual([
      'allow-dns', 'allow-ingress-controller', 'allow-kube-apiserver', 'allow-same-namespace', 'default-deny-all', 'tenant-allow-0',
    ]);
    const deny = policies.find((p) => p.metadata.name === 'default-deny-all');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const dns = policies.find((p) => p.metadata.name === 'allow-dns');
    expect(dns.spec.egress[0].ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
    const gw = policies.find((p) => p.metadata.name === 'allow-ingress-controller');
    expect(gw.spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'envoy-gateway-system' });
    expect(policies.find((p) => p.metadata.name === 'tenant-allow-0').spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.99.0.0/24' } }], ports: [{ protocol: 'TCP', port: 5432 }] }]);
  });

  it('pushes the exported kubeconfig\'s certificates to the platform secret store', () => {
    const { files } = onManagement();
    const push = get(files, 'clusters/mgmt/vcluster-team-a/pushsecret-vc-team-a-kubeconfig.yaml');
    expect(push.spec.selector).toEqual({ secret: { name: 'vc-vcluster-team-a' } });
    // Azure Key Vault: vCluster's whole Secret as one JSON document (its push ignores a property)
    expect(push.spec.data).toEqual([{ match: { remoteRef: { remoteKey: 'platform-vcluster-team-a' } } }]);
  });

  /**
   * What External Secrets' push leaves in each store, and what a read of a property gets back
   * (external-secrets 2.x): Azure Key Vault writes the pushed value as the whole secret and never
   * reads `property` (providers/v1/azure/keyvault: PushSecret, getSecretKey); AWS Secrets Manager
   * and Vault merge a property into the entry's JSON document (Vault: reconcileSecretProperty).
   * Without `secretKey`, the value is the whole Secret as JSON. A read with a property takes
   * that key of the entry's JSON document.
   */
  function pushAndRead(store: 'azure' | 'merging', secret: Record<string, string>, push: any, registration: any): Record<string, string> {
    const entries = new Map<string, string>();
    for (const d of push.spec.data) {
      const { remoteKey, property } = d.match.remoteRef;
      const value = d.match.secretKey === undefined ? JSON.stringify(secret) : secret[d.match.secretKey];
      if (store === 'azure' || property === undefined) entries.set(remoteKey, value);
      else entries.set(remoteKey, JSON.stringify({ ...JSON.parse(entries.get(remoteKey) ?? '{}'), [property]: value }));
    }
    return Object.fromEntries(registration.spec.data.map((d: any) => {
      const entry = entries.get(d.remoteRef.key);
      if (entry === undefined) throw new Error(`no entry ${d.remoteRef.key}`);
      let doc: any;
      try {
        doc = JSON.parse(entry);
      } catch {
        throw new Error(`entry ${d.remoteRef.key} is not a JSON document, so property "${d.remoteRef.property}" does not exist`);
      }
      if (typeof doc?.[d.remoteRef.property] !== 'string') throw new Error(`entry ${d.remoteRef.key} has no property "${d.remoteRef.property}"`);
      return [d.secretKey, doc[d.remoteRef.property]];
    }));
  }

  it.each([
    ['Azure Key Vault', 'azure', () => [azurePlatform(), azureMgmt] as const],
    ['AWS Secrets Manager', 'merging', () => [awsPlatform(), awsMgmt] as const],
    ['Vault', 'merging', () => [awsPlatform({ secretStore: SecretStore.vault({ server: 'https://vault.acme.dev:8200' }) }), awsMgmt] as const],
  ] as const)('on %s, the registration reads back the three certificates the host pushed (each store\'s push semantics)', (_name, store, make) => {
    const [platform, mgmtOf] = make();
    mgmtOf(platform as any, { labels: secure });
    const mgmt = platform.node.findChild('mgmt') as any;
    new TenantVCluster(mgmt, 'team-a', { owners: Group.anyOf(['team-a']) });
    const files = platform.render();
    const push = get(files, 'clusters/mgmt/vcluster-team-a/pushsecret-vc-team-a-kubeconfig.yaml');
    const registration = get(files, 'clusters/mgmt/argocd/externalsecret-cluster-vc-team-a.yaml');
    // the keys of the Secret vCluster exports (exportKubeConfig), with a kubeconfig beside them
    const secret = { 'certificate-authority': 'CA PEM', 'client-certificate': 'CERT PEM', 'client-key': 'KEY PEM', 'config': 'apiVersion: v1' };
    const read = pushAndRead(store, secret, push, registration);
    const config = JSON.parse(renderGoTemplate(registration.spec.target.template.data.config, read));
    const b64 = (x: string) => Buffer.from(x).toString('base64');
    expect(config).toEqual({ tlsClientConfig: { insecure: false, caData: b64('CA PEM'), certData: b64('CERT PEM'), keyData: b64('KEY PEM') } });
  });

  it('the simulated Azure push would lose two certificates with three properties of one entry (what the registration relied on before)', () => {
    const push = { spec: { data: [['certificate-authority', 'caData'], ['client-certificate', 'certData'], ['client-key', 'keyData']].map(([secretKey, property]) => ({ match: { secretKey, remoteRef: { remoteKey: 'k', property } } })) } };
    const registration = { spec: { data: ['caData', 'certData', 'keyData'].map((f) => ({ secretKey: f, remoteRef: { key: 'k', property: f } })) } };
    const secret = { 'certificate-authority': 'CA', 'client-certificate': 'CERT', 'client-key': 'KEY' };
    expect(() => pushAndRead('azure', secret, push, registration)).toThrow('entry k is not a JSON document, so property "caData" does not exist');
    expect(pushAndRead('merging', secret, push, registration)).toEqual({ caData: 'CA', certData: 'CERT', keyData: 'KEY' });
  });
});

describe('TenantVCluster: the virtual cluster and its registration', () => {
  it('prunes the registrations last: a tenant (or fleet cluster) removed goes with its Applications in one sync, and their finalizers need the destination to delete what they deployed', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: secure });
    new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: secure });
    Catalog.externalSecrets(platform);
    new TenantVCluster(mgmt, 'team-a', { owners: Group.named('team-a'), repositories: ['https://github.com/acme/team-a.git'] });
    const files = platform.render();
    const registrations = [...files.keys()].filter((f) => /^clusters\/mgmt\/argocd\/externalsecret-cluster-[^/]+\.yaml$/.test(f));
    expect(registrations.sort()).toEqual(['clusters/mgmt/argocd/externalsecret-cluster-dev.yaml', 'clusters/mgmt/argocd/externalsecret-cluster-vc-team-a.yaml']);
    for (const f of registrations) {
      // gitops-engine prunes a PruneLast object in a wave after every other, once the Applications pruned before it are gone
      expect([f, get(files, f).metadata.annotations['argocd.argoproj.io/sync-options'].split(',')]).toEqual([f, expect.arrayContaining(['PruneLast=true'])]);
    }
    // the tenant's team Application, which deploys through that registration, deletes what it deployed (its finalizer)
    const team = [...files.keys()].find((f) => /application-tenant-team-a-[0-9a-f]{8}\.yaml$/.test(f))!;
    expect(get(files, team).metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
  });

  it('installs the pinned vcluster chart with non-root, TLS passthrough and the exported kubeconfig pointing at <tenant>.<domain>', () => {
    const { files } = onManagement();
    const app = get(files, 'clusters/mgmt/argocd/application-vcluster-team-a.yaml');
    const src = app.spec.sources[0];
    expect(src).toMatchObject({ repoURL: VCLUSTER_CHART.repoURL, chart: 'vcluster', targetRevision: VCLUSTER_CHART.version, helm: { releaseName: 'vcluster-team-a' } });
    expect(app.spec.destination).toEqual({ name: 'mgmt', namespace: 'vcluster-team-a' });
    const v = src.helm.valuesObject;
    expect(v.controlPlane.statefulSet.security.containerSecurityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false });
    expect(v.controlPlane.tlsRoute).toEqual({ enabled: true, host: 'team-a.platform.acme.dev', parentRefs: [{ name: 'public', namespace: 'envoy-gateway-system' }] });
    expect(v.controlPlane.proxy.extraSANs).toEqual(['team-a.platform.acme.dev']);
    expect(v.exportKubeConfig).toEqual({ server: 'https://team-a.platform.acme.dev', context: 'vc-team-a' });
    expect(v.policies).toMatchObject({ podSecurityStandard: 'baseline', resourceQuota: { enabled: false } });
  });

  it('registers the virtual cluster in Argo CD from the store, labelled environment, tenant and vcluster', () => {
    const { files } = onManagement();
    const es = get(files, 'clusters/mgmt/argocd/externalsecret-cluster-vc-team-a.yaml');
    const tpl = es.spec.target.template;
    expect(tpl.metadata.labels).toMatchObject({ 'argocd.argoproj.io/secret-type': 'cluster', 'environment': 'prod', 'tenant': 'team-a', 'vcluster': 'true' });
    expect(tpl.data.server).toBe('https://team-a.platform.acme.dev');
    const config = JSON.parse(renderGoTemplate(tpl.data.config, { caData: 'CA', certData: 'CERT', keyData: 'KEY' }));
    expect(config).toEqual({ tlsClientConfig: { insecure: false, caData: 'Q0E=', certData: 'Q0VSVA==', keyData: 'S0VZ' } });
    // Azure Key Vault: the keys of vCluster's Secret, pushed whole (see the PushSecret's tests)
    expect(es.spec.data.map((d: any) => [d.secretKey, d.remoteRef])).toEqual([['caData', 'certificate-authority'], ['certData', 'client-certificate'], ['keyData', 'client-key']]
      .map(([secretKey, property]) => [secretKey, { key: 'platform-vcluster-team-a', property }]));
  });

  it('fences the tenant\'s AppProject: its repositories only, its virtual cluster only, no cluster-scoped resources, dangerous kinds blacklisted', () => {
    const { files } = onManagement();
    const p = get(files, 'clusters/mgmt/argocd/appproject-tenant-team-a.yaml');
    expect(p.spec.sourceRepos).toEqual(['https://github.com/acme/team-a-apps.git']);
    expect(p.spec.destinations).toEqual([{ name: 'vc-team-a', namespace: '*' }]);
    expect(p.spec.clusterResourceWhitelist).toBeUndefined();
    expect(p.spec.namespaceResourceBlacklist.map((g: any) => g.kind)).toEqual(['AppProject', 'Application', 'ApplicationSet', 'ResourceQuota', 'LimitRange', 'NetworkPolicy']);
    expect(p.spec.roles[0]).toMatchObject({ name: 'owners', groups: ['team-a', 'team-a-leads'] });
    // named after the repository (its place in the list would retarget it when another is removed)
    const appFiles = [...files.keys()].filter((f) => /^clusters\/mgmt\/argocd\/application-tenant-team-a-[0-9a-f]{8}\.yaml$/.test(f));
    expect(appFiles).toHaveLength(1);
    const app = get(files, appFiles[0]);
    expect(app.spec).toMatchObject({ project: 'tenant-team-a', destination: { name: 'vc-team-a' }, source: { repoURL: 'https://github.com/acme/team-a-apps.git', path: 'deploy' } });
    expect(app.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'PruneLast=true', 'FailOnSharedResource=true']);
  });

  it('names each repository\'s Application after the repository: removing one keeps the other\'s name, and a repository twice is refused', () => {
    const appsOf = (repositories: string[]) => {
      const platform = awsPlatform();
      new TenantVCluster(awsMgmt(platform), 'team-a', { owners: Group.named('team-a'), repositories });
      return [...platform.render()].filter(([f]) => f.startsWith('clusters/mgmt/argocd/application-tenant-team-a-')).map(([f, text]) => [f, parse(text).spec.source.repoURL]);
    };
    const both = appsOf(['https://github.com/acme/a.git', 'https://github.com/acme/b.git']);
    const onlyB = appsOf(['https://github.com/acme/b.git']);
    expect(both).toHaveLength(2);
    // b's Application keeps its name (by position it was "-1" and would have become "-0", retargeting a's)
    expect(onlyB).toEqual(both.filter(([, url]) => url === 'https://github.com/acme/b.git'));
    expect(() => appsOf(['https://github.com/acme/b.git', 'https://github.com/acme/b'])).toThrow(
      '[platform/mgmt/team-a] repositories[1]: got "https://github.com/acme/b". Allowed: a repository no other entry lists: repositories[0] is "https://github.com/acme/b.git", which Argo CD takes for the same repository '
      + '(the tenant\'s repositories share one folder, repositoryPath, and each one\'s Application is named after its URL). Fix: remove repositories[1].');
  });

  it('isolation holds for every tenant: quota, LimitRange and default-deny present; no AppProject with a wildcard source or cluster', () => {
    const { files } = onManagement();
    const objs = manifests(files).map((m) => m.obj);
    for (const ns of objs.filter((o) => o.kind === 'Namespace' && o.metadata.labels?.tenant)) {
      const inNs = objs.filter((o) => o.metadata.namespace === ns.metadata.name);
      expect(inNs.some((o) => o.kind === 'ResourceQuota')).toBe(true);
      expect(inNs.some((o) => o.kind === 'LimitRange')).toBe(true);
      expect(inNs.some((o) => o.kind === 'NetworkPolicy' && o.spec.policyTypes.length === 2 && Object.keys(o.spec.podSelector).length === 0 && !o.spec.ingress && !o.spec.egress)).toBe(true);
    }
    for (const p of objs.filter((o) => o.kind === 'AppProject' && o.metadata.name !== 'platform')) {
      expect(p.spec.sourceRepos).not.toContain('*');
      for (const d of p.spec.destinations) expect([d.name, d.server]).not.toContain('*');
    }
  });

  it.skipIf(!HAS_SCHEMAS)('the vcluster values pass the chart\'s values.schema.json and every object its schema (needs ../shared/schemas)', () => {
    const { files, tenant } = onManagement();
    const validate = compileValuesSchema('vcluster/values.schema.json');
    expect(validate(tenant._values()) ? [] : validate.errors).toEqual([]);
    const pooled = new TenantVCluster(azureMgmt(azurePlatform(), { labels: secure }), 'team-b', {
      owners: Group.named('b'), nodePool: {}, vcluster: { kubernetesVersion: 'v1.33.4', replicas: 3, rawValues: { controlPlane: { backingStore: { etcd: { deploy: { enabled: true } } } } } },
    });
    expect(validate(pooled._values()) ? [] : validate.errors).toEqual([]);
    for (const { obj } of manifests(files)) {
      if (['argoproj.io/v1alpha1', 'external-secrets.io/v1', 'external-secrets.io/v1alpha1'].includes(obj.apiVersion)) expect([obj.kind, crdErrors(obj)]).toEqual([obj.kind, []]);
      expect(() => modelOf(obj).validate()).not.toThrow();
    }
  });
});

describe('TenantVCluster on a fleet cluster', () => {
  function fleet(withEso: boolean) {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: secure });
    const dev = new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: secure, tenantCapacity: { cpu: '25', memory: '100Gi' } });
    if (withEso) Catalog.externalSecrets(platform);
    return { platform, mgmt, dev };
  }

  it('writes the host side into the fleet folder, creates a dedicated node pool and schedules the virtual cluster there', () => {
    const { platform, dev } = fleet(true);
    const t = new TenantVCluster(dev, 'team-c', { owners: Group.named('team-c'), nodePool: { machineType: 'm7i.xlarge' }, podSecurity: PodSecurityLevel.RESTRICTED });
    const files = platform.render();
    expect(get(files, 'clusters/dev/_cluster/namespace-vcluster-team-c.yaml').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(get(files, 'clusters/mgmt/argocd/application-cluster-dev.yaml').spec.source.path).toBe('dist/clusters/dev');
    expect(get(files, 'clusters/mgmt/argocd/externalsecret-cluster-vc-team-c.yaml').spec.target.template.metadata.labels.environment).toBe('dev');
    const ng = terraform(files, 'dev').resource.aws_eks_node_group['node-group-tteamc'];
    expect(ng).toMatchObject({ instance_types: ['m7i.xlarge'], labels: { tenant: 'team-c' }, taint: [{ key: 'tenant', value: 'team-c', effect: 'NO_SCHEDULE' }] });
    const v = t._values() as any;
    expect(v.controlPlane.statefulSet.scheduling.nodeSelector).toEqual({ tenant: 'team-c' });
    expect(v.sync.toHost.pods.enforceTolerations).toEqual(['tenant=team-c:NoSchedule']);
    expect(v.sync.fromHost.nodes).toEqual({ enabled: true, selector: { labels: { tenant: 'team-c' } } });
    expect(v.policies.podSecurityStandard).toBe('restricted');
  });

  it('needs External Secrets on a fleet host (its PushSecret registers the virtual cluster)', () => {
    const { platform, dev } = fleet(false);
    new TenantVCluster(dev, 'team-c', { owners: Group.named('team-c') });
    expect(() => platform.render()).toThrow('[platform/mgmt/dev/team-c] tenant "team-c" is hosted on fleet cluster "dev", which does not run External Secrets (its PushSecret registers the virtual cluster). Fix: add Catalog.externalSecrets(platform) and label "dev" with "security-basic": "enabled".');
  });

  it('checks the sum of quotas against the host capacity, and tenant names and namespaces for duplicates', () => {
    const { platform, dev, mgmt } = fleet(true);
    new TenantVCluster(dev, 'a', { owners: Group.named('a') });
    new TenantVCluster(dev, 'b', { owners: Group.named('b'), namespace: 'vcluster-a' });
    new TenantVCluster(dev, 'c', { owners: Group.named('c'), quota: { cpu: '6', memory: '10Gi' } });
    new TenantVCluster(mgmt, 'a2', { owners: Group.named('a'), name: 'a' });
    expect(platform.validate().filter((p) => p.severity !== 'warning').map((p) => `[${p.path}] ${p.message}`)).toEqual([
      '[platform/mgmt/dev/b] tenant "b" uses namespace "vcluster-a" on host "dev", as does platform/mgmt/dev/a. Fix: give each tenant its own namespace.',
      '[platform/mgmt/dev] the CPU quotas of the tenants on host "dev" add up to more than its tenantCapacity.cpu "25" (a: 10, b: 10, c: 6). Fix: lower the quotas or raise the capacity.',
      '[platform/mgmt/a2] duplicate tenant name "a": also declared at platform/mgmt/dev/a. Fix: give each tenant a unique name.',
    ]);
  });
});

describe('TenantVCluster: catalog entries selected with tenant=<name>', () => {
  const demo = HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'demo', version: '1.2.3' });

  function tenantPlatform() {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: secure });
    const dev = new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: secure });
    Catalog.externalSecrets(platform);
    new TenantVCluster(dev, 'team-a', { owners: Group.named('team-a') });
    new TenantVCluster(dev, 'team-b', { owners: Group.named('team-b') });
    return { platform, mgmt, dev };
  }

  /** The Argo CD clusters of a rendered management folder, as the cluster generator sees their Secrets. */
  const registeredClusters = (files: Map<string, string>) => manifests(files)
    .filter(({ file, obj }) => file.startsWith('clusters/mgmt/') && obj.kind === 'ExternalSecret' && obj.spec.target.template?.metadata?.labels?.['argocd.argoproj.io/secret-type'] === 'cluster')
    .map(({ obj }) => ({ name: obj.spec.target.template.data.name, labels: obj.spec.target.template.metadata.labels }));

  it('expands an entry selected by tenant=team-a to one Application whose destination is the tenant\'s virtual cluster', () => {
    const { platform } = tenantPlatform();
    const entry = new ServiceCatalogEntry(platform, 'team-tools', { chart: demo, namespace: 'tools', targets: ClusterSelector.labels({ tenant: 'team-a' }) });
    const files = platform.render();
    expect(platform.warnings.filter((w) => w.path === 'platform/team-tools')).toEqual([]);
    expect(entry.targetedClusters).toEqual(['vc-team-a']);
    const apps = expandApplicationSet(get(files, 'clusters/mgmt/argocd/applicationset-team-tools.yaml'), registeredClusters(files));
    expect(apps.map((a) => [a.metadata.name, a.spec.destination, a.spec.project])).toEqual([['vc-team-a-team-tools', { name: 'vc-team-a', namespace: 'tools' }, 'platform']]);
  });

  it('lets the platform project deploy the entry into that virtual cluster only, in the entry\'s namespace', () => {
    const { platform } = tenantPlatform();
    new ServiceCatalogEntry(platform, 'team-tools', { chart: demo, namespace: 'tools', targets: ClusterSelector.labels({ tenant: 'team-a' }) });
    const project = get(platform.render(), 'clusters/mgmt/argocd/appproject-platform.yaml');
    expect(project.spec.destinations).toEqual([{ name: 'mgmt', namespace: '*' }, { name: 'dev', namespace: '*' }, { name: 'vc-team-a', namespace: 'tools' }]);
  });

  it('gives an entry with its own project exactly the targeted virtual clusters as destinations', () => {
    const { platform } = tenantPlatform();
    new ServiceCatalogEntry(platform, 'team-tools', { chart: demo, namespace: 'tools', targets: ClusterSelector.labels({ vcluster: 'true' }), ownProject: true });
    const files = platform.render();
    expect(get(files, 'clusters/mgmt/argocd/appproject-team-tools.yaml').spec.destinations).toEqual([{ name: 'vc-team-a', namespace: 'tools' }, { name: 'vc-team-b', namespace: 'tools' }]);
    expect(get(files, 'clusters/mgmt/argocd/appproject-platform.yaml').spec.destinations).toEqual([{ name: 'mgmt', namespace: '*' }, { name: 'dev', namespace: '*' }]);
  });

  it('checks dependencies and cluster outputs against the virtual clusters an entry targets', () => {
    const { platform } = tenantPlatform();
    const base = new ServiceCatalogEntry(platform, 'base', { chart: demo, namespace: 'base', targets: ClusterSelector.labels({ tenant: 'team-b' }) });
    new ServiceCatalogEntry(platform, 'team-tools', {
      chart: demo, namespace: 'tools', targets: ClusterSelector.labels({ tenant: 'team-a' }), dependsOn: [base], values: { role: ClusterOutput.named('tools_role') },
    });
    expect(platform.validate().filter((p) => p.severity !== 'warning').map((p) => `[${p.path}] ${p.message}`)).toEqual([
      '[platform/team-tools] catalog entry "team-tools" targets cluster "vc-team-a" (platform/mgmt/dev/team-a), but its dependency "base" is not installed there. Fix: label the cluster so "base" selects it too, or narrow the targets of "team-tools".',
      '[platform/team-tools] catalog entry "team-tools" uses the cluster output "tools_role", which cluster "vc-team-a" (platform/mgmt/dev/team-a) does not provide. Fix: declare it with addOutput("tools_role", ...) on that cluster, or exclude the cluster from the targets.',
    ]);
  });
});

describe('TenantVCluster: the PushSecret may write to the platform store', () => {
  it('gives the management cluster\'s External Secrets identity Key Vault Secrets Officer on the vault when it hosts tenants', () => {
    const { files } = onManagement();
    const tf = files.get('terraform/mgmt/cdk.tf.json')!;
    expectResource(tf, RoleAssignment, {
      scope: '${data.azurerm_key_vault.platform-key-vault.id}',
      role_definition_name: 'Key Vault Secrets Officer',
      principal_id: '${azurerm_user_assigned_identity.external-secrets-identity.principal_id}',
    });
    const bare = azurePlatform();
    azureMgmt(bare, { labels: secure });
    const roles = Object.values(terraform(bare.render(), 'mgmt').resource.azurerm_role_assignment).map((r: any) => r.role_definition_name);
    expect(roles).not.toContain('Key Vault Secrets Officer');
  });

  it('lets the EKS management cluster\'s External Secrets role create, write and tag only its tenants\' secrets, and delete only those it created', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: secure });
    new TenantVCluster(mgmt, 'team-a', { owners: Group.named('team-a') });
    const files = platform.render();
    const resource = ['arn:${data.aws_partition.partition.partition}:secretsmanager:eu-west-1:*:secret:platform/vcluster-team-a-??????'];
    expectResource(files.get('terraform/mgmt/cdk.tf.json')!, IamRolePolicy, {
      role: '${aws_iam_role.external-secrets-role.name}',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          // External Secrets 2.2+ deletes the resource policy of an existing pushed secret on every write (external-secrets#6806)
          { Effect: 'Allow', Action: ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:TagResource', 'secretsmanager:DescribeSecret', 'secretsmanager:DeleteResourcePolicy'], Resource: resource },
          { Effect: 'Allow', Action: ['secretsmanager:DeleteSecret'], Resource: resource, Condition: { StringEquals: { 'secretsmanager:ResourceTag/managed-by': 'external-secrets' } } },
        ],
      }),
    });
    expect(platform.warnings.filter((w) => !w.message.includes(' is exposed through ') && !w.message.includes(' gets no DNS record') && !w.message.includes('no one signs in to it with a group') && !w.message.includes('not Entra ID object ids'))).toEqual([]);
  });

  it('grants a fleet host\'s External Secrets identity (created by the library) the tenants\' PushSecret writes, so nothing is left to the user', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: secure });
    const dev = new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: secure });
    Catalog.externalSecrets(platform);
    new TenantVCluster(dev, 'team-a', { owners: Group.named('team-a') });
    new TenantVCluster(dev, 'team-b', { owners: Group.named('team-b') });
    const files = platform.render();
    expect(platform.warnings.filter((w) => !w.message.includes(' is exposed through ') && !w.message.includes(' gets no DNS record') && !w.message.includes('no one signs in to it with a group') && !w.message.includes('not Entra ID object ids'))).toEqual([]);
    const policy = terraform(files, 'dev').data.aws_iam_policy_document['addon-external-secrets-policy-document'];
    const arn = (k: string) => `arn:\${data.aws_partition.partition.partition}:secretsmanager:eu-west-1:*:secret:${k}`;
    expect(policy.statement).toEqual([
      { effect: 'Allow', actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: [arn('platform/*')] },
      {
        effect: 'Allow',
        actions: ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:TagResource', 'secretsmanager:DeleteSecret', 'secretsmanager:DeleteResourcePolicy'],
        resources: [arn('platform/vcluster-team-a-??????'), arn('platform/vcluster-team-b-??????')],
      },
    ]);
    expect(terraform(files, 'mgmt').resource.aws_iam_role_policy['external-secrets-tenant-push']).toBeUndefined();
  });

  /** An AWS platform with a fleet host `dev` running External Secrets (the host's push grant is its identity's). */
  const fleetHost = () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: secure });
    const dev = new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: secure });
    Catalog.externalSecrets(platform);
    return { platform, dev };
  };
  /** Tenants `team-<from>` to `team-<to - 1>` on `host`. */
  const addTenants = (host: FleetCluster, from: number, to: number) => {
    for (let i = from; i < to; i++) new TenantVCluster(host, `team-${i}`, { owners: Group.named(`team-${i}`) });
  };
  /** What IAM counts of a policy document: its characters other than whitespace, with the longest partition name. */
  const iamSize = (policy: string) => policy.replace(/\$\{data\.aws_partition\.partition\.partition\}/g, 'aws-us-gov').replace(/\s/g, '').length;
  const tenantArns = (n: number) => Array.from({ length: n }, (_, i) => `arn:\${data.aws_partition.partition.partition}:secretsmanager:eu-west-1:*:secret:platform/vcluster-team-${i}-??????`);

  it('past what a role\'s inline policies hold (10,240 characters), the management cluster\'s grant becomes managed policies of at most 6,144 each, every tenant\'s entry in them', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: secure });
    for (let i = 0; i < 150; i++) new TenantVCluster(mgmt, `team-${i}`, { owners: Group.named(`team-${i}`) });
    const tf = terraform(platform.render(), 'mgmt');
    expect(tf.resource.aws_iam_role_policy['external-secrets-tenant-push']).toBeUndefined();
    const policies = Object.entries<any>(tf.resource.aws_iam_policy).filter(([id]) => id.startsWith('external-secrets-tenant-push-'));
    expect(policies.length).toBeGreaterThan(1);
    const written = new Set<string>();
    const deletable = new Set<string>();
    for (const [id, p] of policies) {
      expect([id, iamSize(p.policy) <= 6144]).toEqual([id, true]);
      expect(p.name).toBe(`${tf.resource.aws_iam_role['external-secrets-role'].name}-tenant-push-${id.split('-').pop()}`);
      expect(tf.resource.aws_iam_role_policy_attachment[`${id}-attachment`]).toMatchObject({ role: '${aws_iam_role.external-secrets-role.name}', policy_arn: `\${aws_iam_policy.${id}.arn}` });
      for (const st of JSON.parse(p.policy).Statement) {
        const into = st.Action.includes('secretsmanager:DeleteSecret') ? deletable : written;
        if (into === deletable) expect(st.Condition).toEqual({ StringEquals: { 'secretsmanager:ResourceTag/managed-by': 'external-secrets' } });
        for (const r of st.Resource) into.add(r);
      }
    }
    expect([...written].sort()).toEqual(tenantArns(150).sort());
    expect([...deletable].sort()).toEqual(tenantArns(150).sort());
    // the role's inline policies (its read grant) stay well inside their quota
    const inline = Object.values<any>(tf.resource.aws_iam_role_policy).filter((p) => p.role === '${aws_iam_role.external-secrets-role.name}');
    expect(inline.reduce((n, p) => n + iamSize(p.policy), 0)).toBeLessThan(10240);
    // a second render gives the same state (the managed policies are replaced, not added to)
    expect(terraform(platform.render(), 'mgmt')).toEqual(tf);
  });

  it('a fleet host\'s External Secrets identity with many tenants gets managed policies too, its read grant and every tenant\'s writes in them', () => {
    const { platform, dev } = fleetHost();
    addTenants(dev, 0, 150);
    const tf = terraform(platform.render(), 'dev');
    expect(tf.resource.aws_iam_role_policy?.['addon-external-secrets-policy']).toBeUndefined();
    expect(tf.data.aws_iam_policy_document?.['addon-external-secrets-policy-document']).toBeUndefined();
    const policies = Object.entries<any>(tf.resource.aws_iam_policy).filter(([id]) => id.startsWith('addon-external-secrets-policy-'));
    expect(policies.length).toBeGreaterThan(1);
    const resources = new Set<string>();
    for (const [id, p] of policies) {
      expect([id, iamSize(p.policy) <= 6144]).toEqual([id, true]);
      expect(tf.resource.aws_iam_role_policy_attachment[`${id}-attachment`].role).toBe('${aws_iam_role.addon-external-secrets-role.name}');
      for (const st of JSON.parse(p.policy).Statement) for (const r of st.Resource) resources.add(r);
    }
    expect([...resources].sort()).toEqual([...tenantArns(150), 'arn:${data.aws_partition.partition.partition}:secretsmanager:eu-west-1:*:secret:platform/*'].sort());
  });

  it('refuses a host whose tenants\' grant needs more managed policies than IAM attaches to a role (10), naming the count and the fix', () => {
    const { platform, dev } = fleetHost();
    addTenants(dev, 0, 600);
    // 600 fit in 10
    expect(platform.validate().filter((p) => p.severity !== 'warning')).toEqual([]);
    addTenants(dev, 600, 800);
    expect(platform.validate().filter((p) => p.severity !== 'warning').map((p) => `[${p.path}] ${p.message}`)).toEqual([
      '[platform/mgmt/dev] cluster "dev" hosts 800 tenants, and the IAM grant of its External Secrets names each tenant\'s entry in the secret store (their kubeconfigs\' PushSecrets): '
      + 'it needs 13 managed policies, and IAM attaches at most 10 to a role by default, so the apply would fail (LimitExceeded). Fix: host the tenants on more clusters.',
    ]);
  });

  it('with a Vault store, the management state gives its External Secrets a JWT role and a policy that writes the hosted tenants\' entries (no warning)', () => {
    const platform = azurePlatform({ secretStore: SecretStore.vault({ server: 'https://vault.acme.dev:8200' }) });
    const mgmt = azureMgmt(platform, { labels: secure });
    new TenantVCluster(mgmt, 'team-a', { owners: Group.named('team-a') });
    const files = platform.render();
    expect(platform.warnings.filter((w) => !w.message.includes(' is exposed through ') && !w.message.includes(' gets no DNS record') && !w.message.includes('no one signs in to it with a group') && !w.message.includes('not Entra ID object ids')).map((w) => w.message)).toEqual([]);
    const tf = terraform(files, 'mgmt');
    expect(tf.provider.vault).toEqual([{ address: 'https://vault.acme.dev:8200' }]);
    expect(tf.resource.vault_jwt_auth_backend['addon-external-secrets-vault-auth']).toMatchObject({
      path: 'jwt-mgmt', type: 'jwt', oidc_discovery_url: '${azurerm_kubernetes_cluster.cluster.oidc_issuer_url}', bound_issuer: '${azurerm_kubernetes_cluster.cluster.oidc_issuer_url}',
    });
    expect(tf.resource.vault_jwt_auth_backend_role['addon-external-secrets-vault-role']).toMatchObject({
      role_name: 'external-secrets', bound_subject: 'system:serviceaccount:external-secrets:external-secrets', bound_audiences: ['vault'],
      token_policies: ['${vault_policy.addon-external-secrets-vault-policy.name}'],
    });
    const policy = tf.resource.vault_policy['addon-external-secrets-vault-policy'];
    expect(policy.name).toBe('external-secrets-mgmt');
    expect(policy.policy).toContain('path "secret/data/platform/*" {\n  capabilities = ["read"]\n}');
    expect(policy.policy).toContain('path "secret/data/platform/vcluster-team-a" {\n  capabilities = ["create", "read", "update"]\n}');
    expect(policy.policy).toContain('path "secret/metadata/platform/vcluster-team-a" {\n  capabilities = ["read", "update", "delete"]\n}');
    // the management cluster's store authenticates there
    const store = parse(files.get('clusters/mgmt/_cluster/clustersecretstore-platform.yaml')!);
    expect(store.spec.provider.vault.auth).toEqual({ jwt: { path: 'jwt-mgmt', role: 'external-secrets', kubernetesServiceAccountToken: { serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets', audiences: ['vault'] } } } });
  });
});

describe('TenantVCluster: a dedicated Argo CD inside the virtual cluster', () => {
  function withArgoCd(sso?: Sso) {
    const platform = azurePlatform();
    const mgmt = azureMgmt(platform, { labels: secure });
    new TenantVCluster(mgmt, 'team-a', { owners: Group.anyOf(['team-a', 'team-a-leads']), argocd: { sso } });
    return platform.render();
  }

  it('installs the platform\'s pinned argo-cd chart into the virtual cluster, local admin off, read-only by default, the tenant\'s groups as admins with SSO', () => {
    const files = withArgoCd(Sso.oidc({ issuer: 'https://idp.acme.dev', clientId: 'team-a-argocd' }));
    const app = get(files, 'clusters/mgmt/argocd/application-vcluster-team-a-argocd.yaml');
    expect(app.spec.project).toBe('platform');
    expect(app.spec.destination).toEqual({ name: 'vc-team-a', namespace: 'argocd' });
    const src = app.spec.sources[0];
    expect([src.repoURL, src.chart, src.targetRevision]).toEqual([ARGO_CD_CHART.repoURL, 'argo-cd', ARGO_CD_CHART.version]);
    const v = src.helm.valuesObject;
    expect(v.configs.cm).toMatchObject({ 'url': 'https://argocd-team-a.platform.acme.dev', 'admin.enabled': false, 'exec.enabled': false });
    expect(parse(v.configs.cm['oidc.config'])).toMatchObject({ issuer: 'https://idp.acme.dev', clientID: 'team-a-argocd', enablePKCEAuthentication: true });
    expect(v.configs.rbac).toEqual({ 'policy.default': '', 'policy.csv': 'g, team-a, role:admin\ng, team-a-leads, role:admin\n', 'scopes': '[groups]' });
    expect(get(files, 'clusters/mgmt/argocd/appproject-platform.yaml').spec.destinations).toContainEqual({ name: 'vc-team-a', namespace: 'argocd' });
  });

  it('makes nobody admin without SSO, and is absent unless asked for', () => {
    const v = get(withArgoCd(), 'clusters/mgmt/argocd/application-vcluster-team-a-argocd.yaml').spec.sources[0].helm.valuesObject;
    expect(v.configs.rbac['policy.csv']).toBe('');
    expect(v.configs.cm['oidc.config']).toBeUndefined();
    const { files } = onManagement();
    expect(files.has('clusters/mgmt/argocd/application-vcluster-team-a-argocd.yaml')).toBe(false);
  });

  it('rejects a malformed host name', () => {
    expect(() => new TenantVCluster(azureMgmt(azurePlatform()), 'a', { owners: Group.named('a'), argocd: { hostname: 'Argo CD' } })).toThrow(
      '[platform/mgmt/a] argocd.hostname: got "Argo CD". Allowed: a DNS name of two or more labels, e.g. "platform.acme.dev". Fix: set argocd.hostname to the platform\'s base domain.');
  });
});

describe('TenantVCluster props are checked at construction', () => {
  const mgmt = () => azureMgmt(azurePlatform());
  it('rejects bad names, repositories, quotas and Pod Security levels', () => {
    expect(() => new TenantVCluster(mgmt(), 'Team A', { owners: Group.named('a') })).toThrow('[platform/mgmt/Team A] name: got "Team A". Allowed: a DNS-1123 label');
    expect(() => new TenantVCluster(mgmt(), 'a', { owners: Group.named('a'), repositories: ['*'] })).toThrow('[platform/mgmt/a] repositories[0]: got "*". Allowed: an https:// or ssh (git@host:org/repo.git) repository URL.');
    expect(() => new TenantVCluster(mgmt(), 'a', { owners: Group.named('a'), quota: { memory: '20 GB' } })).toThrow('[platform/mgmt/a] quota.memory: got "20 GB". Allowed: a Kubernetes quantity such as "10", "500m" or "20Gi". Fix: fix the quantity.');
    expect(() => new TenantVCluster(mgmt(), 'a', { owners: Group.named('a'), podSecurity: 'privileged' as PodSecurityLevel })).toThrow('[platform/mgmt/a] podSecurity: got "privileged". Allowed: PodSecurityLevel.BASELINE or PodSecurityLevel.RESTRICTED.');
    expect(() => new TenantVCluster(mgmt(), 'a', { owners: Group.anyOf([]) })).toThrow('[platform/mgmt/a] owners: got []. Allowed: one or more group names');
    expect(() => new FleetCluster(mgmt(), 'f', { environment: 'dev', cloud: aksCloud('10.20.0.0/16'), tenantCapacity: { cpu: 'lots' } })).toThrow('[platform/mgmt/f] tenantCapacity.cpu: got "lots"');
  });
});

describe('TenantVCluster: the host runs what the API exposure needs', () => {
  const exposureWarnings = (p: Platform) => {
    p.render();
    return p.warnings.filter((w) => w.message.includes(' is exposed through ') || w.message.includes('gets no DNS record')).map((w) => `[${w.path}] ${w.message}`);
  };

  it('warns when no entry on the host applies the Gateway with a passthrough listener or publishes the API host, and not once Catalog.coreBasic targets the host', () => {
    const p = azurePlatform();
    const mgmt = azureMgmt(p, { labels: { 'security-basic': 'enabled', 'core-basic': 'enabled' } });
    new TenantVCluster(mgmt, 'team-a', { owners: Group.named('team-a') });
    expect(exposureWarnings(p)).toEqual([
      '[platform/mgmt/team-a] the API of tenant "team-a" is exposed through the Gateway envoy-gateway-system/public, but no catalog entry on its host "mgmt" applies it: the virtual cluster\'s API (and Argo CD\'s access to it) is unreachable. Fix: target the host with Catalog.gatewayApi (its Gateway "public" has the passthrough listener), or use ApiExposure.ingress(...).',
      '[platform/mgmt/team-a] the API host of tenant "team-a" gets no DNS record: no external-dns runs on its host "mgmt". Fix: target the host with Catalog.externalDns (or Catalog.coreBasic), whose sources include "gateway-tlsroute", or publish the record yourself.',
    ]);
    // not silent: PLATFORM.md lists them (committed, so a pull request shows them), as synth prints them
    const md = p.render().get('PLATFORM.md')!;
    for (const w of p.warnings.filter((x) => x.message.includes(' is exposed through ') || x.message.includes('gets no DNS record'))) expect(md).toContain(`- \`${w.path}\`: ${w.message}`);
    Catalog.coreBasic(p, { dns: { provider: ExternalDnsProvider.AZURE, domainFilters: ['platform.acme.dev'], azure: { subscriptionId: 'sub', resourceGroupName: 'dns' } } });
    expect(exposureWarnings(p)).toEqual([]);
  });

  it('warns when the host\'s external-dns manages other domains only (it drops every record outside its domainFilters)', () => {
    const p = azurePlatform();
    const mgmt = azureMgmt(p, { labels: { 'security-basic': 'enabled', 'core-basic': 'enabled' } });
    new TenantVCluster(mgmt, 'team-a', { owners: Group.named('team-a') });
    Catalog.coreBasic(p, { dns: { provider: ExternalDnsProvider.AZURE, domainFilters: ['other.example'], azure: { subscriptionId: 'sub', resourceGroupName: 'dns' } } });
    expect(exposureWarnings(p)).toEqual([
      '[platform/mgmt/team-a] the API host "team-a.platform.acme.dev" of tenant "team-a" gets no DNS record: external-dns on its host "mgmt" manages only "other.example" (its domainFilters). '
      + 'Fix: add the platform domain to the domainFilters of Catalog.externalDns (or Catalog.coreBasic\'s dns), or publish the record yourself.',
    ]);
  });

  it('keeps the public name in the certificate\'s SANs when rawValues give extraSANs of their own (a list replaces the library\'s)', () => {
    const p = azurePlatform();
    const mgmt = azureMgmt(p, { labels: secure });
    const t = new TenantVCluster(mgmt, 'team-a', { owners: Group.named('team-a'), vcluster: { rawValues: { controlPlane: { proxy: { extraSANs: ['vc.internal.example'] } } } } });
    expect((t._values() as any).controlPlane.proxy.extraSANs).toEqual(['team-a.platform.acme.dev', 'vc.internal.example']);
    const plain = new TenantVCluster(mgmt, 'team-b', { owners: Group.named('team-b') });
    expect((plain._values() as any).controlPlane.proxy.extraSANs).toEqual(['team-b.platform.acme.dev']);
  });

  it('with an Ingress: needs ingress-nginx with SSL passthrough in the controller namespace, which the NetworkPolicy admits', () => {
    const p = azurePlatform();
    const mgmt = azureMgmt(p, { labels: { 'security-basic': 'enabled', 'core-basic': 'enabled' } });
    new TenantVCluster(mgmt, 'team-a', { owners: Group.named('team-a'), apiExposure: ApiExposure.ingress({ ingressClassName: 'nginx', controllerNamespace: 'edge' }) });
    const policy = parse(p.render().get('clusters/mgmt/vcluster-team-a/networkpolicy-allow-ingress-controller.yaml')!);
    expect(policy.spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edge' } } }] }]);
    // Ingresses only: no Gateway API on the host, so external-dns reads no Gateway API source
    Catalog.externalDns(p, { provider: ExternalDnsProvider.AZURE, domainFilters: ['platform.acme.dev'], azure: { subscriptionId: 'sub', resourceGroupName: 'dns' }, gatewayApi: false });
    expect(exposureWarnings(p)).toEqual(['[platform/mgmt/team-a] the API of tenant "team-a" is exposed through an Ingress with TLS passthrough (class "nginx"), but its host "mgmt" runs no ingress-nginx in namespace "edge": the virtual cluster\'s API is unreachable. Fix: install Catalog.ingressNginx on the host with values { controller: { extraArgs: { "enable-ssl-passthrough": true } } }, or pass the controller\'s namespace as ApiExposure.ingress({ controllerNamespace }).']);
    new ServiceCatalogEntry(p, 'edge', { chart: CHARTS.ingressNginx, namespace: 'edge', targets: ClusterSelector.labels({ 'core-basic': 'enabled' }), values: { controller: { extraArgs: { 'enable-ssl-passthrough': true } } } });
    expect(exposureWarnings(p)).toEqual([]);
  });

  it('with a Gateway of its own: the NetworkPolicy admits the Gateway\'s namespace and Envoy Gateway\'s, where its default mode runs every Gateway\'s proxies', () => {
    const p = azurePlatform();
    const mgmt = azureMgmt(p, { labels: { 'security-basic': 'enabled', 'core-basic': 'enabled' } });
    new TenantVCluster(mgmt, 'team-a', { owners: Group.named('team-a'), apiExposure: ApiExposure.gateway({ name: 'internal', namespace: 'gateways' }) });
    new TenantVCluster(mgmt, 'team-b', { owners: Group.named('team-b') });
    const from = (tenant: string) => parse(p.render().get(`clusters/mgmt/vcluster-${tenant}/networkpolicy-allow-ingress-controller.yaml`)!).spec.ingress;
    const peer = (ns: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } });
    expect(from('team-a')).toEqual([{ from: [peer('gateways'), peer('envoy-gateway-system')] }]);
    // the shared Gateway (the default) is in Envoy Gateway's namespace: one peer
    expect(from('team-b')).toEqual([{ from: [peer('envoy-gateway-system')] }]);
  });

  it('with a Gateway of its own: warns unless a passthrough listener admits the tenant\'s TLSRoute (its namespace, the kind, the API host)', () => {
    const gatewayWith = (listener: Record<string, unknown>) => {
      const p = azurePlatform();
      const mgmt = azureMgmt(p, { labels: { 'security-basic': 'enabled', 'core-basic': 'enabled' } });
      new TenantVCluster(mgmt, 'team-a', { owners: Group.named('team-a'), apiExposure: ApiExposure.gateway({ name: 'edge', namespace: 'edge' }) });
      Catalog.externalDns(p, { provider: ExternalDnsProvider.AZURE, domainFilters: ['platform.acme.dev'], azure: { subscriptionId: 'sub', resourceGroupName: 'dns' } });
      const gateway = Catalog.gatewayApi(p);
      new ServiceCatalogEntry(p, 'edge', {
        dependsOn: [gateway],
        namespace: 'edge', targets: ClusterSelector.labels({ 'core-basic': 'enabled' }),
        manifests: [{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'edge' }, spec: { gatewayClassName: 'envoy', listeners: [{ name: 'tls', port: 443, protocol: 'TLS', tls: { mode: 'Passthrough' }, ...listener }] } }],
      });
      return exposureWarnings(p);
    };
    const refused = '[platform/mgmt/team-a] the API of tenant "team-a" is exposed through the Gateway edge/edge, but no catalog entry on its host "mgmt" applies it with a TLS listener in Passthrough mode '
      + 'that admits TLSRoutes from namespace "vcluster-team-a" for "team-a.platform.acme.dev" (the listener\'s allowedRoutes and hostname): the virtual cluster\'s API (and Argo CD\'s access to it) is unreachable. '
      + 'Fix: target the host with Catalog.gatewayApi (its Gateway "public" has the passthrough listener), or use ApiExposure.ingress(...).';
    // Gateway API's default: routes from the Gateway's own namespace only
    expect(gatewayWith({})).toEqual([refused]);
    expect(gatewayWith({ allowedRoutes: { namespaces: { from: 'All' }, kinds: [{ kind: 'TLSRoute' }] }, hostname: '*.elsewhere.dev' })).toEqual([refused]);
    expect(gatewayWith({ allowedRoutes: { namespaces: { from: 'All' }, kinds: [{ kind: 'TCPRoute' }] } })).toEqual([refused]);
    expect(gatewayWith({ allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': 'vcluster-team-a' } } } }, hostname: '*.platform.acme.dev' })).toEqual([]);
    expect(gatewayWith({ allowedRoutes: { namespaces: { from: 'All' } } })).toEqual([]);
  });

  it('refuses a controller namespace that is not a DNS label', () => {
    const p = azurePlatform();
    const mgmt = azureMgmt(p);
    expect(() => new TenantVCluster(mgmt, 'team-a', { owners: Group.named('team-a'), apiExposure: ApiExposure.ingress({ ingressClassName: 'nginx', controllerNamespace: 'Edge_NS' }) }))
      .toThrow('[platform/mgmt/team-a] apiExposure.controllerNamespace: got "Edge_NS".');
  });
});

describe('TenantVCluster: its own registration labels and environment', () => {
  it('registers the virtual cluster with its own labels and environment; environment selectors leave it out unless they ask', () => {
    const p = azurePlatform();
    const mgmt = azureMgmt(p, { labels: { 'security-basic': 'enabled' } });
    const dev = new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: aksCloud('10.20.0.0/16'), labels: { 'security-basic': 'enabled' } });
    Catalog.externalSecrets(p);
    const t = new TenantVCluster(dev, 'book', { owners: Group.named('team-a'), labels: { env: 'vdev' }, environment: 'staging' });
    expect(t.labels).toEqual({ 'env': 'vdev', 'environment': 'staging', 'tenant': 'book', 'vcluster': 'true', 'cluster_name': 'vc-book', 'platform-role': 'tenant', 'host': 'dev' });
    new ServiceCatalogEntry(p, 'dev-tools', { chart: HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'tools', version: '1.0.0' }), namespace: 'tools', targets: ClusterSelector.environments(['dev', 'staging']) });
    new ServiceCatalogEntry(p, 'vdev-tools', { chart: HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'tools', version: '1.0.0' }), namespace: 'tools', targets: ClusterSelector.labels({ env: 'vdev' }) });
    new ServiceCatalogEntry(p, 'all-tools', { chart: HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'tools', version: '1.0.0' }), namespace: 'tools', targets: ClusterSelector.includingTenants(ClusterSelector.environments(['staging'])) });
    const runs = (entry: string) => expand(p).filter((a) => a.catalogEntry === entry).map((a) => a.cluster).sort();
    expect(runs('dev-tools')).toEqual(['dev']);
    // a label only a tenant carries does not ask for tenants by its key: tenants are matched only on request
    expect(runs('vdev-tools')).toEqual([]);
    expect(runs('all-tools')).toEqual(['vc-book']);
    expect(JSON.parse(p.render().get('platform.json')!).clusters.find((c: { name: string }) => c.name === 'vc-book').environment).toBe('staging');
  });

  it('refuses a reserved label and an environment the platform does not have', () => {
    const p = azurePlatform();
    const mgmt = azureMgmt(p);
    expect(() => new TenantVCluster(mgmt, 'a', { owners: Group.named('team-a'), labels: { environment: 'vdev' } }))
      .toThrow('[platform/mgmt/a] labels: got {"environment":"vdev"}. Allowed: labels other than "environment", "tenant", "vcluster", "cluster_name", "platform-role", "host" (the library sets those). Fix: set the environment with the environment prop.');
    expect(() => new TenantVCluster(mgmt, 'b', { owners: Group.named('team-a'), environment: 'vdev' }))
      .toThrow('[platform/mgmt/b] environment: got "vdev". Allowed: one of the platform\'s environments: dev, staging, prod. Fix: use one of them, or carry another name as a label (labels: { env: ... }).');
  });
});

const chartsMissing = chartToolsMissing();
if (chartsMissing) console.log(`skipping the vcluster chart rendering test: ${chartsMissing}`);

describe.skipIf(chartsMissing)('the virtual cluster resolves names outside it, through its host namespace\'s default-deny policies', () => {
  // vCluster 0.35 (pkg/coredns, pkg/controllers/resources/pods/translate): unless CoreDNS is embedded
  // (a Pro feature) or its Corefile is overwritten, the syncer deploys CoreDNS into the virtual
  // cluster's kube-system (pods labelled k8s-app: vcluster-kube-dns, dnsPolicy Default, port 1053),
  // and the pod is synced into the host namespace with its labels and dnsPolicy kept. Its Corefile
  // forwards what it does not serve to `networking.advanced.fallbackHostCluster` ? the host
  // cluster's DNS (the control plane pod's own resolver: the host's kube-dns Service) : its own
  // /etc/resolv.conf, which for dnsPolicy Default is the node's resolver.
  // Both AKS and EKS run the host's CoreDNS as kube-system pods labelled k8s-app: kube-dns; the
  // node's resolver is Azure DNS (168.63.129.16) on AKS and the VPC resolver (network base + 2) on EKS.
  const cases = [
    { cloud: 'AKS', make: () => azureMgmt(azurePlatform(), { labels: secure }), nodeResolver: '168.63.129.16' },
    { cloud: 'EKS', make: () => awsMgmt(awsPlatform(), { labels: secure }), nodeResolver: '10.10.0.2' },
  ];
  it.each(cases)('on $cloud: the synced CoreDNS forwards to the host\'s kube-dns, which allow-dns admits; the workloads reach CoreDNS', async ({ make, nodeResolver }) => {
    const mgmt = make();
    new TenantVCluster(mgmt, 'team-a', { owners: Group.named('team-a') });
    const files = mgmt.platform.render();
    const charts = preparedCharts();
    const [r] = await renderApplications(files, { helm: helmBinary(), chartsDir: charts.chartsDir, standIns: charts.standIns, cacheDir: CACHE_DIR, filter: (a) => a.name === 'vcluster-team-a' });
    // the configuration the chart hands the syncer
    const secret = r.objects.map((o) => o.object).find((o) => o.kind === 'Secret' && o.metadata.name === 'vc-config-vcluster-team-a');
    const config = parse(Buffer.from(secret.data['config.yaml'], 'base64').toString('utf8'));
    expect(config.controlPlane.coredns).toMatchObject({ enabled: true, embedded: false, overwriteConfig: '', overwriteManifests: '' });
    const upstream: Pod | External = config.networking.advanced.fallbackHostCluster
      ? { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }
      : { ip: nodeResolver };

    const policies = [...files].filter(([f]) => f.startsWith('clusters/mgmt/vcluster-team-a/networkpolicy-')).map(([, t]) => parse(t));
    const coredns: Pod = { namespace: 'vcluster-team-a', labels: { 'k8s-app': 'vcluster-kube-dns' }, ports: [{ name: 'dns', containerPort: 1053 }] };
    for (const protocol of ['UDP', 'TCP']) {
      expect([protocol, egressAdmits(policies, coredns, upstream, 53, protocol)]).toEqual([protocol, true]);
      // the node's resolver stays out of reach: nothing but the host's DNS is opened
      expect([protocol, egressAdmits(policies, coredns, { ip: nodeResolver }, 53, protocol)]).toEqual([protocol, false]);
    }
    // a team's pod (vCluster points its resolv.conf at the virtual cluster's DNS Service) reaches CoreDNS
    const workload: Pod = { namespace: 'vcluster-team-a', labels: { app: 'web' } };
    for (const protocol of ['UDP', 'TCP']) {
      expect(egressAdmits(policies, workload, coredns, 1053, protocol)).toBe(true);
      expect(admits(policies, workload, coredns, 1053, protocol)).toBe(true);
    }
  });
});
