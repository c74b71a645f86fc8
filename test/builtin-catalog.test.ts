import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  AcmeSolver, ApiAccess, ManagementCluster, ARGO_CD_CHART, ARGOCD_APPS_CHART, Catalog, CHARTS, ClusterSelector, HelmChart, expandApplicationSet, ExternalDnsProvider, EXTERNAL_SECRETS_CHART, FleetCluster, ServiceCatalogEntry,
} from '../src';
import { aksCloud, awsMgmt, awsPlatform, azureMgmt, azurePlatform, eksCloud, manifests } from './support/fixtures';
import { compileValuesSchema, crdErrors, HAS_SCHEMAS } from './support/schemas';

const stacks = { 'security-basic': 'enabled', 'core-basic': 'enabled', 'monitoring-basic': 'enabled' };

function fullPlatform() {
  const platform = awsPlatform();
  const mgmt = awsMgmt(platform, { labels: { 'security-basic': 'enabled', 'core-basic': 'enabled' } });
  new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: stacks });
  new FleetCluster(mgmt, 'prod', { environment: 'prod', cloud: eksCloud('10.30.0.0/16', { region: 'us-east-1' }), labels: { ...stacks, 'monitoring-medium': 'enabled', 'storage-basic': 'enabled' } });
  const [gateway] = Catalog.coreBasic(platform, { dns: { provider: ExternalDnsProvider.AWS, domainFilters: ['acme.dev'] } });
  Catalog.securityBasic(platform, {
    acme: { email: 'platform@acme.dev', solver: AcmeSolver.http01Gateway({ gatewayName: 'public', gatewayNamespace: 'envoy-gateway-system' }) },
    certManagerDependsOn: [gateway],
  });
  Catalog.monitoringBasic(platform);
  Catalog.monitoringMedium(platform);
  Catalog.storageBasic(platform, { server: 'nfs.acme.internal', path: '/exports/k8s' });
  Catalog.reloader(platform);
  Catalog.openBao(platform);
  Catalog.vault(platform, { targets: undefined, values: { server: { ha: { replicas: 3 } } } });
  Catalog.crossplane(platform);
  Catalog.atlantis(platform, { orgAllowlist: 'github.com/acme/*', githubUser: 'acme-atlantis', url: 'https://atlantis.acme.dev' });
  Catalog.argoWorkflows(platform);
  Catalog.actionsRunnerController(platform);
  Catalog.gitlabRunner(platform, { gitlabUrl: 'https://gitlab.com/' });
  Catalog.chartMuseum(platform);
  return { platform, mgmt, files: platform.render() };
}

function clustersOf(files: Map<string, string>, mgmtLabels: Record<string, string>) {
  return manifests(files).filter(({ obj }) => obj.kind === 'ExternalSecret' && obj.metadata.name.startsWith('cluster-') && obj.spec.target.creationPolicy === 'Owner').map(({ obj }) => ({
    name: obj.spec.target.template.data.name,
    labels: obj.spec.target.template.metadata.labels,
    annotations: { ...obj.spec.target.template.metadata.annotations, ...outputSamples(obj) },
  })).concat([{ name: 'mgmt', labels: mgmtLabels, annotations: outputSamples(manifests(files).find(({ obj }) => obj.metadata.name === 'cluster-mgmt-outputs')?.obj) }]);
}

/** Sample values for the Terraform-produced annotations an ExternalSecret templates (`templateFrom`). */
function outputSamples(es: any): Record<string, string> {
  const literal = es?.spec.target.template.templateFrom?.[0]?.literal;
  return literal ? Object.fromEntries(Object.keys(parse(literal)).map((k) => [k, `sample-${k}`])) : {};
}

function applications(files: Map<string, string>, mgmtLabels: Record<string, string>) {
  const clusters = clustersOf(files, mgmtLabels);
  return manifests(files).filter(({ obj }) => obj.kind === 'ApplicationSet').flatMap(({ obj }) => expandApplicationSet(obj, clusters));
}

describe('the built-in catalog', () => {
  it('turns stacks on by label: each cluster gets exactly the entries of its stacks', () => {
    const { files, mgmt } = fullPlatform();
    const apps = applications(files, mgmt.labels);
    const on = (cluster: string) => apps.filter((a) => a.spec.destination.name === cluster).map((a) => a.metadata.labels['platform.catalog/entry']).sort();
    expect(on('dev')).toEqual(['cert-manager', 'envoy-gateway', 'external-dns', 'external-secrets', 'kube-prometheus-stack', 'kyverno', 'opencost']);
    expect(on('prod')).toEqual(['cert-manager', 'envoy-gateway', 'external-dns', 'external-secrets', 'kube-prometheus-stack', 'kyverno', 'loki', 'nfs-provisioner', 'opencost']);
    // management pillars on the cockpit; External Secrets there is the management cluster's own install
    expect(on('mgmt')).toEqual(['arc-controller', 'argo-workflows', 'atlantis', 'cert-manager', 'chartmuseum', 'crossplane', 'envoy-gateway', 'external-dns', 'gitlab-runner', 'kyverno', 'openbao', 'reloader', 'vault']);
  });

  it('gives Atlantis its GitHub user, which turns on the chart\'s token and webhook secret from atlantis-vcs; refuses none', () => {
    const platform = awsPlatform();
    awsMgmt(platform);
    const entry = Catalog.atlantis(platform, { orgAllowlist: 'github.com/acme/*', githubUser: 'acme-atlantis', url: 'https://atlantis.acme.dev' });
    expect(parse(platform.render().get('catalog/atlantis/values.yaml')!)).toMatchObject({ github: { user: 'acme-atlantis' }, vcsSecretName: 'atlantis-vcs' });
    expect(entry.name).toBe('atlantis');
    const refusal = (githubUser: unknown) => {
      try {
        Catalog.atlantis(awsPlatform(), { orgAllowlist: 'github.com/acme/*', githubUser: githubUser as string });
        return 'no error';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(refusal(undefined)).toBe('[platform/atlantis] githubUser: got nothing. Allowed: the GitHub user Atlantis comments as (the chart passes the token and webhook secret of the store entry atlantis-vcs only with it: without one Atlantis has no VCS and does not start). Fix: set githubUser, e.g. "acme-atlantis".');
    expect(refusal('acme atlantis')).toMatch(/^\[platform\/atlantis\] githubUser: got "acme atlantis"\./);
  });

  it('orders dependencies with sync waves', () => {
    const { files } = fullPlatform();
    const wave = (n: string) => parse(files.get(`clusters/mgmt/argocd/applicationset-${n}.yaml`)!).metadata.annotations['argocd.argoproj.io/sync-wave'];
    // kube-prometheus-stack after External Secrets (wave 0): its Grafana admin is an ExternalSecret
    expect([wave('envoy-gateway'), wave('external-dns'), wave('cert-manager'), wave('kube-prometheus-stack'), wave('opencost')]).toEqual(['0', '1', '1', '1', '2']);
  });

  it('has external-dns publish the TLSRoutes of the virtual cluster APIs (<tenant>.<domain>) as well as HTTPRoutes', () => {
    const { files } = fullPlatform();
    expect(parse(files.get('catalog/external-dns/values.yaml')!).sources).toEqual(['service', 'ingress', 'gateway-httproute', 'gateway-tlsroute']);
    // and follows HTTPRoutes attached through a ListenerSet to its Gateway (the Argo CD UIs' routes)
    expect(parse(files.get('catalog/external-dns/values.yaml')!).enableGatewayListenerSets).toBe(true);
  });

  it('requires the Gateway API where a controller watches it: external-dns\'s Gateway sources, cert-manager with the HTTP-01 Gateway solver (both exit without the CRDs)', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: { 'security-basic': 'enabled', 'core-basic': 'enabled' } });
    new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: { 'security-basic': 'enabled', 'core-basic': 'enabled' } });
    const dns = Catalog.externalDns(platform, { provider: ExternalDnsProvider.AWS, domainFilters: ['acme.dev'] });
    const [certManager] = Catalog.securityBasic(platform, { acme: { email: 'platform@acme.dev', solver: AcmeSolver.http01Gateway({ gatewayName: 'public', gatewayNamespace: 'envoy-gateway-system' }) } });
    const errors = () => platform.validate().filter((p) => p.severity !== 'warning').map((p) => `[${p.path}] ${p.message}`);
    expect(errors()).toEqual(['mgmt', 'dev'].map((c) => `[platform/external-dns] catalog entry "external-dns" is set up to watch Gateway, HTTPRoute, ListenerSet, TLSRoute (gateway.networking.k8s.io) on cluster "${c}" (platform/mgmt${c === 'dev' ? '/dev' : ''}), `
      + 'whose CRDs come with gateway-helm, but no catalog entry installs it: without them its controller does not start there. Fix: add Catalog.gatewayApi(platform), set gatewayApi: false on Catalog.externalDns (Services and Ingresses only), or narrow the targets of "external-dns".').concat(
      ['mgmt', 'dev'].map((c) => `[platform/cert-manager] catalog entry "cert-manager" is set up to watch Gateway, HTTPRoute (gateway.networking.k8s.io) on cluster "${c}" (platform/mgmt${c === 'dev' ? '/dev' : ''}), `
        + 'whose CRDs come with gateway-helm, but no catalog entry installs it: without them its controller does not start there. Fix: add Catalog.gatewayApi(platform), answer the challenges another way (AcmeSolver.http01Ingress or a DNS-01 solver), or narrow the targets of "cert-manager".')));
    // checked, not ordered (the controllers retry until the CRDs are there; with https the Gateway's own
    // Certificate needs cert-manager first, so an order would be a cycle)
    Catalog.gatewayApi(platform, { targets: ClusterSelector.labels({ 'core-basic': 'enabled' }) });
    expect(errors()).toEqual([]);
    expect([dns.dependencies, certManager.dependencies]).toEqual([[], []]);
    // Services and Ingresses only: no Gateway API source, nothing watched
    const ingressOnly = awsPlatform();
    awsMgmt(ingressOnly, { labels: { 'core-basic': 'enabled' } });
    Catalog.externalDns(ingressOnly, { provider: ExternalDnsProvider.AWS, domainFilters: ['acme.dev'], gatewayApi: false });
    expect(ingressOnly.validate().filter((p) => p.severity !== 'warning')).toEqual([]);
    const values = parse(ingressOnly.render().get('catalog/external-dns/values.yaml')!);
    expect([values.sources, values.enableGatewayListenerSets]).toEqual([['service', 'ingress'], undefined]);
    // another solver watches no Gateway API
    const other = awsPlatform();
    awsMgmt(other, { labels: { 'security-basic': 'enabled' } });
    Catalog.securityBasic(other, { acme: { email: 'platform@acme.dev', solver: AcmeSolver.dns01Route53({ region: 'us-east-1', hostedZoneId: 'Z123' }) } });
    expect(other.validate().filter((p) => p.severity !== 'warning')).toEqual([]);
  });

  it('requires what an entry\'s own manifests need on every cluster it targets: kube-prometheus-stack\'s ExternalSecret needs External Secrets', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: { 'security-basic': 'enabled', 'monitoring-basic': 'enabled' } });
    new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: { 'monitoring-basic': 'enabled' } });
    const prom = Catalog.kubePrometheusStack(platform);
    expect(() => platform.render()).toThrow('[platform/kube-prometheus-stack] catalog entry "kube-prometheus-stack" applies ExternalSecret (external-secrets.io) on cluster "dev" (platform/mgmt/dev), which needs external-secrets there, but no catalog entry installs it. Fix: add Catalog.externalSecrets(platform), or narrow the targets of "kube-prometheus-stack".');
    const eso = Catalog.externalSecrets(platform);
    // declared through its manifests: ordered after External Secrets, and checked per cluster (management clusters run it built in)
    expect(prom.dependencies).toEqual([eso]);
    expect(() => platform.render()).toThrow('catalog entry "kube-prometheus-stack" applies ExternalSecret (external-secrets.io) on cluster "dev" (platform/mgmt/dev), which needs external-secrets there, but "external-secrets" does not target it. Fix: label the cluster so "external-secrets" selects it too, or narrow the targets of "kube-prometheus-stack".');
  });

  it('gives external-dns one TXT owner id per cluster: its name', () => {
    const { files, mgmt } = fullPlatform();
    const dns = applications(files, mgmt.labels).filter((a) => a.metadata.labels['platform.catalog/entry'] === 'external-dns');
    expect(dns.map((a) => [a.spec.destination.name, a.spec.sources[0].helm.valuesObject.txtOwnerId])).toEqual([['dev', 'dev'], ['prod', 'prod'], ['mgmt', 'mgmt']]);
  });

  it('audits the Kyverno baseline in dev and staging and enforces it in prod', () => {
    const { files, mgmt } = fullPlatform();
    const kyverno = applications(files, mgmt.labels).filter((a) => a.metadata.labels['platform.catalog/entry'] === 'kyverno');
    const actions = Object.fromEntries(kyverno.map((a) => {
      const dir = a.spec.sources[2].path.replace(/^dist\//, '');
      const policies = [...files.keys()].filter((f) => f.startsWith(`${dir}/`)).map((f) => parse(files.get(f)!));
      expect(policies.map((p) => p.metadata.name).sort()).toEqual(['disallow-latest-tag', 'disallow-privileged-containers', 'drop-all-capabilities', 'require-probes', 'require-requests-limits']);
      return [a.spec.destination.name, [...new Set(policies.map((p) => p.spec.rules[0].validate.failureAction))]];
    }));
    expect(actions).toEqual({ dev: ['Audit'], prod: ['Enforce'], mgmt: ['Enforce'] });
    const values = parse(files.get('catalog/kyverno/values.yaml')!);
    for (const c of ['admissionController', 'backgroundController', 'cleanupController', 'reportsController']) expect(values[c].replicas).toBeGreaterThan(0);
  });

  it('creates Let\'s Encrypt staging and production ClusterIssuers', () => {
    const { files } = fullPlatform();
    const issuers = [...files.keys()].filter((f) => f.startsWith('catalog/cert-manager/manifests/')).map((f) => parse(files.get(f)!));
    expect(issuers.map((i) => [i.metadata.name, i.spec.acme.server])).toEqual([
      ['letsencrypt-production', 'https://acme-v02.api.letsencrypt.org/directory'],
      ['letsencrypt-staging', 'https://acme-staging-v02.api.letsencrypt.org/directory'],
    ]);
    expect(issuers[0].spec.acme.solvers).toEqual([{ http01: { gatewayHTTPRoute: { parentRefs: [{ name: 'public', namespace: 'envoy-gateway-system', kind: 'Gateway' }] } } }]);
  });

  it('creates the shared Gateway "public" that the HTTP-01 solver and the tenants\' API routes attach to', () => {
    const { files } = fullPlatform();
    const gateway = parse(files.get('catalog/envoy-gateway/manifests/all/gateway-public.yaml')!);
    expect(gateway.metadata).toEqual({ name: 'public', namespace: 'envoy-gateway-system' });
    expect(gateway.spec.gatewayClassName).toBe('envoy');
    expect(gateway.spec.listeners.map((l: any) => [l.name, l.protocol, l.port, l.tls?.mode ?? null, l.allowedRoutes.kinds[0].kind])).toEqual([
      ['http', 'HTTP', 80, null, 'HTTPRoute'],
      ['tls-passthrough', 'TLS', 443, 'Passthrough', 'TLSRoute'],
    ]);
    expect(files.has('catalog/envoy-gateway/manifests/all/gatewayclass-envoy.yaml')).toBe(true);
  });

  it('warns that ingress-nginx is retired upstream', () => {
    const platform = azurePlatform();
    azureMgmt(platform, { labels: { 'security-basic': 'enabled', 'core-basic': 'enabled' } });
    Catalog.ingressNginx(platform);
    platform.render();
    expect(platform.warnings.map((w) => w.message)).toEqual([
      'catalog entry "ingress-nginx": ingress-nginx is retired upstream (no releases after March 2026). Fix: move to Catalog.gatewayApi() (Envoy Gateway).',
    ]);
  });

  it('with Key Vault, fleet External Secrets gets its workload identity from the library: no output to declare', () => {
    const platform = azurePlatform();
    const mgmt = azureMgmt(platform, { labels: { 'security-basic': 'enabled' } });
    const dev = new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: aksCloud('10.20.0.0/16'), labels: { 'security-basic': 'enabled' } });
    Catalog.externalSecrets(platform);
    const files = platform.render();
    expect(files.has('catalog/external-secrets/manifests/all/clustersecretstore-platform.yaml')).toBe(true);
    expect(Object.keys(dev.outputs)).toEqual(expect.arrayContaining(['external_secrets_client_id', 'external_secrets_tenant_id']));
  });

  it('DNS-01 with Azure DNS uses the workload identity the library creates, and Cloudflare reads its token from the store', () => {
    const platform = azurePlatform();
    azureMgmt(platform, { labels: { 'security-basic': 'enabled' } });
    const e = Catalog.certManager(platform, { acme: { email: 'a@acme.dev', solver: AcmeSolver.dns01AzureDns({ subscriptionId: 's', resourceGroupName: 'rg', hostedZoneName: 'acme.dev' }) } });
    expect(e.outputsUsed).toEqual(['cert_manager_client_id']);
    expect(e.identity!.outputNames).toEqual(['cert_manager_client_id', 'cert_manager_tenant_id']);
    const p2 = azurePlatform();
    azureMgmt(p2, { labels: { 'security-basic': 'enabled' } });
    Catalog.certManager(p2, { acme: { email: 'a@acme.dev', solver: AcmeSolver.dns01Cloudflare({ storeKey: 'cloudflare' }) } });
    const es = parse(p2.render().get('catalog/cert-manager/manifests/all/externalsecret-cloudflare-api-token.yaml')!);
    expect(es.spec.data).toEqual([{ secretKey: 'api-token', remoteRef: { key: 'platform-cloudflare', property: 'api-token' } }]); // the store's name for entry "cloudflare"
  });

  it('refuses the HTTPS listener\'s wildcard certificate from an issuer that solves HTTP-01 only (Let\'s Encrypt gives wildcards through DNS-01)', () => {
    const make = (solver: AcmeSolver, https: { clusterIssuer?: string } = {}) => {
      const platform = azurePlatform();
      azureMgmt(platform, { labels: { 'security-basic': 'enabled', 'core-basic': 'enabled' } });
      const [gateway] = Catalog.coreBasic(platform, { https, dns: { provider: ExternalDnsProvider.AZURE, domainFilters: ['platform.acme.dev'], azure: { subscriptionId: 's', resourceGroupName: 'rg' } } });
      Catalog.certManager(platform, { acme: { email: 'platform@acme.dev', solver }, dependsOn: [gateway] });
      return platform.validate().filter((p) => p.severity !== 'warning').map((p) => `[${p.path}] ${p.message}`);
    };
    const http01 = AcmeSolver.http01Gateway({ gatewayName: 'public', gatewayNamespace: 'envoy-gateway-system' });
    expect(make(http01)).toEqual([
      '[platform/envoy-gateway] catalog entry "envoy-gateway" has its certificate for "*.apps.platform.acme.dev" issued by ClusterIssuer "letsencrypt-production" (catalog entry "cert-manager"), whose ACME solvers answer HTTP-01 only: '
      + 'Let\'s Encrypt issues a wildcard name through the DNS-01 challenge only, so the certificate is never issued and the HTTPS listener serves nothing. '
      + 'Fix: give cert-manager a DNS-01 solver (acme.solver: AcmeSolver.dns01Route53, dns01AzureDns or dns01Cloudflare), or name a DNS-01 ClusterIssuer of your own in https.clusterIssuer.',
    ]);
    expect(make(AcmeSolver.dns01AzureDns({ subscriptionId: 's', resourceGroupName: 'rg', hostedZoneName: 'platform.acme.dev' }))).toEqual([]);
    // an issuer of the user's own: the platform does not know its solvers
    expect(make(http01, { clusterIssuer: 'letsencrypt-dns' })).toEqual([]);
  });

  it('warns when several clusters answer the wildcard\'s DNS-01 challenge through Route 53, whose solver replaces the record\'s values', () => {
    const make = (solver: AcmeSolver, fleet: boolean) => {
      const platform = awsPlatform();
      const mgmt = awsMgmt(platform, { labels: { 'security-basic': 'enabled', 'core-basic': 'enabled' } });
      if (fleet) new FleetCluster(mgmt, 'prod', { environment: 'prod', cloud: eksCloud('10.30.0.0/16'), labels: { 'security-basic': 'enabled', 'core-basic': 'enabled' } });
      const [gateway] = Catalog.coreBasic(platform, { https: {}, dns: { provider: ExternalDnsProvider.AWS, domainFilters: ['platform.acme.dev'] } });
      Catalog.securityBasic(platform, { acme: { email: 'platform@acme.dev', solver }, certManagerDependsOn: [gateway] });
      return platform.validate().filter((p) => p.message.includes('_acme-challenge')).map((p) => `[${p.path}] ${p.severity} ${p.message}`);
    };
    const route53 = AcmeSolver.dns01Route53({ region: 'us-east-1', hostedZoneId: 'Z123' });
    expect(make(route53, true)).toEqual([
      '[platform/envoy-gateway] warning catalog entry "envoy-gateway" has each of its 2 clusters (mgmt, prod) request a certificate for "*.apps.platform.acme.dev" from ClusterIssuer "letsencrypt-production", which answers DNS-01 through Route 53: '
      + 'every cert-manager writes its value to the same record "_acme-challenge.apps.platform.acme.dev", and cert-manager\'s Route 53 solver replaces the record\'s values with its own, '
      + 'so when two clusters issue or renew at once, one waits for a value that is gone and its HTTPS listener can go without a certificate until the authorization expires (up to 7 days). '
      + 'Fix: answer DNS-01 with a solver that adds its value beside the others (AcmeSolver.dns01AzureDns or dns01Cloudflare), or give the HTTPS listener to one cluster (the targets of its entry).',
    ]);
    expect(make(route53, false)).toEqual([]);
    expect(make(AcmeSolver.dns01Cloudflare({ storeKey: 'cloudflare' }), true)).toEqual([]);
  });

  it('exposes Atlantis at atlantis.apps.<platform domain> through the shared Gateway\'s https listener, where GitHub reaches it, or at the url of an exposure of your own', () => {
    const make = (opts: { https?: boolean; url?: string; hubs?: number } = {}) => {
      const platform = awsPlatform();
      const labels = { 'core-basic': 'enabled', 'security-basic': 'enabled' };
      awsMgmt(platform, { labels });
      if ((opts.hubs ?? 1) > 1) new ManagementCluster(platform, 'mgmt-us', { cloud: eksCloud('10.50.0.0/16', { region: 'us-east-1', apiAccess: ApiAccess.private() }), labels, argocd: { adminGroups: ['platform-admins'], hostname: 'argocd-us.platform.acme.dev' } });
      const [gateway] = Catalog.coreBasic(platform, { ...(opts.https === false ? {} : { https: {} }), dns: { provider: ExternalDnsProvider.AWS, domainFilters: ['platform.acme.dev'] } });
      Catalog.certManager(platform, { acme: { email: 'platform@acme.dev', solver: AcmeSolver.dns01Route53({ region: 'eu-west-1', hostedZoneId: 'Z1' }) }, dependsOn: [gateway] });
      Catalog.externalSecrets(platform);
      Catalog.atlantis(platform, { orgAllowlist: 'github.com/acme/*', githubUser: 'acme-atlantis', ...(opts.url ? { url: opts.url } : {}) });
      return platform;
    };
    const files = make().render();
    const values = parse(files.get('catalog/atlantis/values.yaml')!);
    expect([values.atlantisUrl, values.ingress, values.service]).toEqual(['https://atlantis.apps.platform.acme.dev', { enabled: false }, { type: 'ClusterIP', port: 80 }]);
    const route = parse(files.get('catalog/atlantis/manifests/all/httproute-atlantis.yaml')!);
    expect(route.spec).toEqual({
      parentRefs: [{ name: 'public', namespace: 'envoy-gateway-system', sectionName: 'https' }],
      hostnames: ['atlantis.apps.platform.acme.dev'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'atlantis', port: 80 }] }],
    });
    // the listener admits it: the wildcard covers its host, any namespace may attach
    const gatewayObject = parse(files.get('catalog/envoy-gateway/manifests/all/gateway-public.yaml')!);
    const listener = gatewayObject.spec.listeners.find((l: any) => l.name === 'https');
    expect([listener.hostname, listener.allowedRoutes.namespaces.from]).toEqual(['*.apps.platform.acme.dev', 'All']);
    const errors = (p: ReturnType<typeof make>) => p.validate().filter((x) => x.severity !== 'warning').map((x) => x.message);
    expect(errors(make({ https: false }))).toEqual(['catalog entry "atlantis" routes "atlantis.apps.platform.acme.dev" through the shared Gateway\'s https listener on cluster "mgmt" (platform/mgmt), whose shared Gateway has none: '
      + 'the route attaches to nothing and the host is unreachable. Fix: give the cluster the listener (Catalog.gatewayApi(platform, { https: {} }) or Catalog.coreBasic(platform, { https: {} }) targeting it), or narrow the targets of "atlantis".']);
    expect(errors(make({ hubs: 2 }))).toEqual([expect.stringContaining('catalog entry "atlantis" routes "atlantis.apps.platform.acme.dev" on 2 clusters (mgmt, mgmt-us): one name gets one DNS record')]);
    // an exposure of your own: no route, its URL on the links and webhooks
    const own = make({ https: false, url: 'https://atlantis.acme.dev' });
    expect(errors(own)).toEqual([]);
    const ownFiles = own.render();
    expect([parse(ownFiles.get('catalog/atlantis/values.yaml')!).atlantisUrl, ownFiles.has('catalog/atlantis/manifests/all/httproute-atlantis.yaml')]).toEqual(['https://atlantis.acme.dev', false]);
    expect(() => make({ url: 'http://atlantis' })).toThrow('[platform/atlantis] url: got "http://atlantis". Allowed: the https:// URL where GitHub reaches Atlantis');
  });

  it('updates ChartMuseum by recreating its pod: its volume (Azure Disk, EBS) attaches to one node at a time', () => {
    const { files } = fullPlatform();
    const values = parse(files.get('catalog/chartmuseum/values.yaml')!);
    expect([values.replicaCount ?? 1, values.persistence.enabled, values.strategy]).toEqual([1, true, { type: 'Recreate' }]);
  });

  it('refuses Vault and OpenBao servers past the nodes of an EKS cluster: the chart keeps one per node, and nothing scales an EKS node group', () => {
    const make = (argocd: { highAvailability?: boolean }, values?: Record<string, unknown>, openBao = false) => {
      const platform = awsPlatform();
      awsMgmt(platform, { argocd: { adminGroups: ['platform-admins'], ...argocd } });
      (openBao ? Catalog.openBao : Catalog.vault)(platform, values ? { values } : {});
      return platform.validate().filter((p) => p.severity !== 'warning').map((p) => `[${p.path}] ${p.message}`);
    };
    // Argo CD's HA raises the system node group to 3 nodes: room for 3 servers
    expect(make({})).toEqual([]);
    expect(make({ highAvailability: false })).toEqual(['[platform/vault] catalog entry "vault" runs 3 servers, each on a node of its own (the chart\'s required pod anti-affinity), on EKS cluster "mgmt" (platform/mgmt), '
      + 'whose node groups start with 2 nodes for workloads and never scale: the server past them stays Pending, and the Application Progressing. '
      + 'Fix: give the cluster at least 3 nodes (systemNodePool.minCount, or a node pool), or lower server.ha.replicas in the entry\'s values.']);
    expect(make({}, { server: { ha: { replicas: 5 } } }, true)).toEqual([expect.stringMatching(/^\[platform\/openbao\] catalog entry "openbao" runs 5 servers, .* start with 3 nodes .* the servers past them stay Pending/)]);
    // an affinity of the user's own: the user's call
    expect(make({ highAvailability: false }, { server: { affinity: '' } })).toEqual([]);
    expect(make({ highAvailability: false }, { server: { ha: { replicas: 1 } } })).toEqual([]);
  });

  it('rejects bad options with the construct path', () => {
    expect(() => Catalog.certManager(azurePlatform(), { acme: { email: 'nope', solver: AcmeSolver.http01Ingress({ ingressClassName: 'x' }) } })).toThrow(
      '[platform/cert-manager] acme.email: got "nope". Allowed: an e-mail address.');
    expect(() => Catalog.externalDns(azurePlatform(), { provider: ExternalDnsProvider.AZURE, domainFilters: [] })).toThrow('[platform/external-dns] domainFilters: got []. Allowed: one or more DNS domains');
    expect(() => Catalog.externalDns(awsPlatform(), { provider: ExternalDnsProvider.AWS, domainFilters: ['acme.dev'], gatewayApi: 'no' as never })).toThrow(
      '[platform/external-dns] gatewayApi: got "no". Allowed: true or false. Fix: leave it out to publish Gateway API routes, or set false for Services and Ingresses only.');
    expect(() => Catalog.gitlabRunner(azurePlatform(), { gitlabUrl: 'gitlab.com' })).toThrow('[platform/gitlab-runner] gitlabUrl: got "gitlab.com". Allowed: an https:// GitLab URL');
  });

  it('pins each chart version in exactly one place in the source', () => {
    const src = path.resolve(__dirname, '../src');
    const files: string[] = [];
    const walk = (d: string) => readdirSync(d).forEach((f) => (statSync(path.join(d, f)).isDirectory() ? walk(path.join(d, f)) : f.endsWith('.ts') && files.push(path.join(d, f))));
    walk(src);
    const text = files.map((f) => readFileSync(f, 'utf8')).join('\n');
    const pins = [...Object.values(CHARTS).map((c) => c.version), ARGO_CD_CHART.version, ARGOCD_APPS_CHART.version, EXTERNAL_SECRETS_CHART.version];
    for (const v of pins) expect([v, text.split(`'${v}'`).length - 1]).toEqual([v, 1]);
  });

  it.skipIf(!HAS_SCHEMAS)('every object with an upstream schema passes it strictly (needs ../shared/schemas)', () => {
    const { files } = fullPlatform();
    const known = ['argoproj.io/', 'external-secrets.io/', 'cert-manager.io/'];
    const objs = manifests(files).map((m) => m.obj).filter((o) => known.some((k) => o.apiVersion.startsWith(k)));
    expect(objs.length).toBeGreaterThan(20);
    for (const o of objs) expect([o.kind, o.metadata.name, crdErrors(o)]).toEqual([o.kind, o.metadata.name, []]);
  });

  it.skipIf(!HAS_SCHEMAS)('cert-manager, external-dns and External Secrets values pass their charts\' values schemas (needs ../shared/schemas)', () => {
    const { files, mgmt } = fullPlatform();
    const apps = applications(files, mgmt.labels);
    for (const [entry, schemaFile] of [['cert-manager', 'cert-manager'], ['external-dns', 'external-dns'], ['external-secrets', 'external-secrets']]) {
      const validate = compileValuesSchema(`${schemaFile}/chart-values.schema.json`);
      const app = apps.find((a) => a.metadata.labels['platform.catalog/entry'] === entry)!;
      const layered = (app.spec.sources[0].helm.valueFiles ?? []).map((f: string) => parse(files.get(f.replace('$values/dist/', ''))!));
      const values = Object.assign({}, ...layered, app.spec.sources[0].helm.valuesObject ?? {});
      expect([entry, validate(values) ? [] : validate.errors]).toEqual([entry, []]);
    }
  });
});

describe('ServiceCatalogEntry is exported for your own tools', () => {
  it('a custom entry sits next to the built-in ones', () => {
    const { platform } = fullPlatform();
    const builtIn = platform.node.findAll().filter((c) => c instanceof ServiceCatalogEntry).length;
    new ServiceCatalogEntry(platform, 'podinfo', {
      chart: HelmChart.fromRepository({ repository: 'https://stefanprodan.github.io/podinfo', chart: 'podinfo', version: '6.9.2' }),
      namespace: 'podinfo', targets: ClusterSelector.environments(['dev']),
    });
    expect(platform.node.findAll().filter((c) => c instanceof ServiceCatalogEntry)).toHaveLength(builtIn + 1);
    expect(platform.render().has('clusters/mgmt/argocd/applicationset-podinfo.yaml')).toBe(true);
  });
});
