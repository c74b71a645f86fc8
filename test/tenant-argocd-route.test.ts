// A tenant's dedicated Argo CD, reached on its host name as the clusters would route it: the host's
// shared Gateway gets an HTTPS listener for the name (a ListenerSet it accepts) with a certificate
// for it, an HTTPRoute sends the requests to the argocd-server Service under the name vCluster gives
// it on the host, through the tenant's default-deny NetworkPolicies, to a server that speaks plain
// HTTP behind the TLS-terminating Gateway. The charts are rendered with the real helm.
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  AcmeSolver, ApiExposure, Catalog, ClusterSelector, ExternalDnsProvider, FleetCluster, Group, Platform, renderApplications, RenderedApplication, ServiceCatalogEntry, Sso, TenantVCluster, TenantVClusterProps,
} from '../src';
import { vclusterHostName } from '../src/tenant/vcluster-host-names';
import { awsMgmt, awsPlatform, eksCloud } from './support/fixtures';
import { CACHE_DIR, chartToolsMissing, helmBinary, preparedCharts } from './support/helm';
import { admits, matches, nsLabels, Pod, policiesIn } from './support/network-policy';
import { admissionObjects, creating, refusals } from './support/admission';
import { crdErrors, HAS_SCHEMAS } from './support/schemas';
import * as vclusterSource from './support/vcluster';

const secure = { 'security-basic': 'enabled', 'core-basic': 'enabled' };
const owners = Group.named('team-a');
/** The tenants' API through an Ingress: its allow-ingress-controller policy then admits ingress-nginx, not the Gateway's namespace. */
const ingress = ApiExposure.ingress({ ingressClassName: 'nginx' });

/** A fleet host `dev` running the shared Gateway (with HTTPS for services), cert-manager with Let's Encrypt, and a tenant with a dedicated Argo CD. */
function platformWith(name = 'team-a', props: Partial<TenantVClusterProps> = {}): { platform: Platform; tenant: TenantVCluster } {
  const platform = awsPlatform();
  const mgmt = awsMgmt(platform, { labels: secure });
  const dev = new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: secure });
  const [gateway] = Catalog.coreBasic(platform, { https: {}, dns: { provider: ExternalDnsProvider.AWS, domainFilters: ['platform.acme.dev'] } });
  // DNS-01: the HTTPS listener's certificate is a wildcard
  Catalog.certManager(platform, { acme: { email: 'platform@acme.dev', solver: AcmeSolver.dns01Route53({ region: 'eu-west-1', hostedZoneId: 'Z0123456789ABC' }) }, dependsOn: [gateway] });
  Catalog.externalSecrets(platform);
  const tenant = new TenantVCluster(dev, name, { owners, apiExposure: ingress, argocd: { sso: Sso.oidc({ issuer: 'https://idp.acme.dev', clientId: `${name}-argocd` }) }, ...props });
  return { platform, tenant };
}

const get = (files: Map<string, string>, f: string) => {
  const text = files.get(f);
  if (text === undefined) throw new Error(`${f} not rendered`);
  return parse(text);
};
/** Every object of a folder of the output. */
const objectsIn = (files: Map<string, string>, dir: string) => [...files].filter(([f]) => f.startsWith(`${dir}/`) && f.endsWith('.yaml')).map(([, t]) => parse(t));
/** Whether a Gateway API listener hostname matches a host (a `*.` wildcard matches one or more leading labels). */
const hostMatches = (listener: string | undefined, host: string) =>
  listener === undefined || listener === host || (listener.startsWith('*.') && host.endsWith(listener.slice(1)) && host.length > listener.length - 1);

describe('the host name vCluster gives the Service it syncs to the host', () => {
  it('is <name>-x-<namespace>-x-<release>; past 63 characters, its first 52, a dash and 10 hex digits of its SHA-256', () => {
    // the library's rule, and the tests' own reading of vCluster's source (test/support/vcluster.ts), agree
    for (const release of ['vcluster-team-a', `r${'e'.repeat(37)}`, 'vcluster-payments-and-billing-platform-team', `v${'a.'.repeat(30)}`]) {
      expect(vclusterHostName('argocd-server', 'argocd', release)).toBe(vclusterSource.vclusterHostName('argocd-server', 'argocd', release));
    }
    expect(vclusterHostName('argocd-server', 'argocd', 'vcluster-team-a')).toBe('argocd-server-x-argocd-x-vcluster-team-a');
    // 63 characters exactly: kept
    const release63 = `r${'e'.repeat(37)}`;
    expect(vclusterHostName('argocd-server', 'argocd', release63)).toBe(`argocd-server-x-argocd-x-${release63}`);
    expect(vclusterHostName('argocd-server', 'argocd', release63)).toHaveLength(63);
    // 68 characters: the digest computed apart from the library (sha256 of the whole name, hex)
    expect(vclusterHostName('argocd-server', 'argocd', 'vcluster-payments-and-billing-platform-team')).toBe('argocd-server-x-argocd-x-vcluster-payments-and-billi-cae5393cba');
  });
});

describe('a tenant\'s dedicated Argo CD is routed on its host name', () => {
  it('an HTTPS listener for the name on the shared Gateway, with a certificate for it, and an HTTPRoute in the tenant\'s host namespace', () => {
    const files = platformWith().platform.render();
    const host = 'argocd-team-a.platform.acme.dev';
    const route = get(files, 'clusters/dev/vcluster-team-a/httproute-argocd-server.yaml');
    expect(route.spec.hostnames).toEqual([host]);
    expect(route.metadata.annotations['external-dns.alpha.kubernetes.io/hostname']).toBe(host);
    // the route's parent: a ListenerSet of the host's folder, whose listener has the host and admits routes from the tenant's namespace
    const [ref] = route.spec.parentRefs;
    expect(ref).toMatchObject({ group: 'gateway.networking.k8s.io', kind: 'ListenerSet' });
    const listenerSet = objectsIn(files, `clusters/dev/${ref.namespace}`).find((o) => o.kind === 'ListenerSet' && o.metadata.name === ref.name);
    expect(listenerSet, `ListenerSet ${ref.namespace}/${ref.name}`).toBeDefined();
    const listener = listenerSet.spec.listeners.find((l: any) => l.name === ref.sectionName);
    expect([listener.protocol, listener.port, listener.hostname, listener.tls.mode]).toEqual(['HTTPS', 443, host, 'Terminate']);
    expect(listener.allowedRoutes.kinds).toEqual([{ kind: 'HTTPRoute' }]);
    expect(listener.allowedRoutes.namespaces.from).toBe('Selector');
    expect(matches(listener.allowedRoutes.namespaces.selector, nsLabels('vcluster-team-a'))).toBe(true);
    expect(matches(listener.allowedRoutes.namespaces.selector, nsLabels('vcluster-team-b'))).toBe(false);
    // its parent is the shared Gateway, which accepts ListenerSets from that namespace
    const gateway = get(files, 'catalog/envoy-gateway/manifests/all/gateway-public.yaml');
    expect([listenerSet.spec.parentRef.namespace ?? listenerSet.metadata.namespace, listenerSet.spec.parentRef.name]).toEqual([gateway.metadata.namespace, gateway.metadata.name]);
    expect(gateway.spec.allowedListeners.namespaces.from).toBe('Selector');
    expect(matches(gateway.spec.allowedListeners.namespaces.selector, nsLabels(listenerSet.metadata.namespace))).toBe(true);
    // and only the platform's namespaces: not the tenant's, whose owners may administer it
    expect(matches(gateway.spec.allowedListeners.namespaces.selector, nsLabels('vcluster-team-a'))).toBe(false);
    // the Gateway's wildcard certificate (*.apps.<domain>, team services) does not cover the host: the listener has its own
    const wildcard = gateway.spec.listeners.find((l: any) => l.name === 'https');
    expect(hostMatches(wildcard.hostname, host)).toBe(false);
    const [secretRef] = listener.tls.certificateRefs;
    const certificate = objectsIn(files, `clusters/dev/${listenerSet.metadata.namespace}`).find((o) => o.kind === 'Certificate' && o.spec.secretName === secretRef.name);
    expect(certificate, `Certificate of Secret ${secretRef.name}`).toBeDefined();
    expect(certificate.spec.dnsNames).toEqual([host]);
    // an issuer that cert-manager's catalog entry creates
    const issuer = get(files, `catalog/cert-manager/manifests/all/clusterissuer-${certificate.spec.issuerRef.name}.yaml`);
    expect([issuer.kind, certificate.spec.issuerRef.kind]).toEqual(['ClusterIssuer', 'ClusterIssuer']);
    // the host Argo CD names as its url (SSO's redirect) is the one routed
    const values = get(files, 'clusters/mgmt/argocd/application-vcluster-team-a-argocd.yaml').spec.sources[0].helm.valuesObject;
    expect(values.configs.cm.url).toBe(`https://${host}`);
    if (HAS_SCHEMAS) {
      for (const o of [route, listenerSet, certificate, gateway]) expect(crdErrors(o), o.kind).toEqual([]);
    } else {
      console.log('tenant-argocd-route: ../shared/schemas not found, CRD validation skipped');
    }
  });

  it('the listener, certificate and route skip the dry run, after the catalog\'s waves (their CRDs come with catalog entries)', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: secure });
    const [gateway] = Catalog.coreBasic(platform);
    Catalog.certManager(platform, { acme: { email: 'platform@acme.dev', solver: AcmeSolver.http01Gateway({ gatewayName: 'public', gatewayNamespace: 'envoy-gateway-system' }) }, dependsOn: [gateway] });
    new TenantVCluster(mgmt, 'team-a', { owners, argocd: {} });
    const files = platform.render();
    // on the management cluster, the root syncs them with the catalog's ApplicationSets
    const lastCatalogWave = Math.max(...objectsIn(files, 'clusters/mgmt/argocd').filter((o) => o.kind === 'ApplicationSet').map((o) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0)));
    const objects = [...objectsIn(files, 'clusters/mgmt/envoy-gateway-system'), get(files, 'clusters/mgmt/vcluster-team-a/httproute-argocd-server.yaml')];
    expect(objects.map((o) => o.kind).sort()).toEqual(['Certificate', 'HTTPRoute', 'ListenerSet']);
    for (const o of objects) {
      expect(o.metadata.annotations['argocd.argoproj.io/sync-options'], o.kind).toBe('SkipDryRunOnMissingResource=true');
      expect(Number(o.metadata.annotations['argocd.argoproj.io/sync-wave']), o.kind).toBeGreaterThan(lastCatalogWave);
      expect(o.metadata.labels, o.kind).toEqual({ tenant: 'team-a' });
    }
  });

  it('two tenants on one host get listeners, certificates and routes of their own; a tenant without a dedicated Argo CD gets none', () => {
    const { platform } = platformWith();
    const dev = platform.node.findAll().find((c) => c instanceof FleetCluster)! as FleetCluster;
    new TenantVCluster(dev, 'team-b', { owners: Group.named('team-b'), apiExposure: ingress, argocd: { hostname: 'cd.team-b.acme.dev', clusterIssuer: 'letsencrypt-staging' } });
    new TenantVCluster(dev, 'team-c', { owners: Group.named('team-c'), apiExposure: ingress });
    const files = platform.render();
    const gatewayNs = objectsIn(files, 'clusters/dev/envoy-gateway-system');
    expect(gatewayNs.map((o) => `${o.kind} ${o.metadata.name}`).sort()).toEqual([
      'Certificate argocd-team-a-tls', 'Certificate argocd-team-b-tls', 'ListenerSet argocd-team-a', 'ListenerSet argocd-team-b',
    ]);
    const b = gatewayNs.find((o) => o.metadata.name === 'argocd-team-b-tls');
    expect([b.spec.dnsNames, b.spec.issuerRef.name]).toEqual([['cd.team-b.acme.dev'], 'letsencrypt-staging']);
    expect(get(files, 'clusters/dev/vcluster-team-b/httproute-argocd-server.yaml').spec.parentRefs[0].name).toBe('argocd-team-b');
    expect(files.has('clusters/dev/vcluster-team-c/httproute-argocd-server.yaml')).toBe(false);
    expect(admits(policiesIn(files, 'clusters/dev/vcluster-team-c'), { namespace: 'envoy-gateway-system', labels: {} }, { namespace: 'vcluster-team-c', labels: {} }, 8080)).toBe(false);
  });

  it('refuses a cluster issuer that is not a name', () => {
    expect(() => platformWith('team-a', { argocd: { clusterIssuer: 'Lets Encrypt' } })).toThrow(
      '[platform/mgmt/dev/team-a] argocd.clusterIssuer: got "Lets Encrypt". Allowed: a DNS-1123 label');
  });
});

/** The warnings of the dedicated Argo CD's route rule, with their paths. */
const routeWarnings = (p: Platform) => p.validate().filter((x) => x.severity === 'warning' && /dedicated Argo CD/.test(x.message)).map((x) => `[${x.path}] ${x.message}`);

describe('synth warns when the host lacks what the route needs (a Gateway, issuer or DNS record made elsewhere is invisible to it)', () => {
  it('no warning when the host runs the shared Gateway, cert-manager with Let\'s Encrypt and external-dns', () => {
    expect(routeWarnings(platformWith().platform)).toEqual([]);
  });

  it('names the Gateway, the issuer and external-dns when the host runs none of them, each with its fix', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: { 'security-basic': 'enabled' } });
    Catalog.externalSecrets(platform);
    new TenantVCluster(mgmt, 'team-a', { owners, argocd: {} });
    expect(routeWarnings(platform)).toEqual([
      '[platform/mgmt/team-a] the dedicated Argo CD of tenant "team-a" is served at "argocd-team-a.platform.acme.dev" by an HTTPS listener its ListenerSet adds to the Gateway envoy-gateway-system/public, '
      + 'but no catalog entry on its host "mgmt" applies that Gateway: nothing routes the host name, so the team can neither open the UI nor log in with SSO. '
      + 'Fix: target the host with Catalog.gatewayApi (or Catalog.coreBasic), whose Gateway "public" accepts the listener.',
      '[platform/mgmt/team-a] the certificate of "argocd-team-a.platform.acme.dev", the host of tenant "team-a"\'s dedicated Argo CD, names the ClusterIssuer "letsencrypt-production", which no catalog entry on its host "mgmt" applies (no cert-manager runs there): '
      + 'the Gateway\'s listener for the name gets no certificate and refuses TLS connections. '
      + 'Fix: target the host with Catalog.certManager({ acme: {...} }) (it creates "letsencrypt-production" and "letsencrypt-staging"), or set argocd.clusterIssuer to an issuer the host has.',
      '[platform/mgmt/team-a] the host "argocd-team-a.platform.acme.dev" of tenant "team-a"\'s dedicated Argo CD gets no DNS record: no external-dns runs on its host "mgmt". '
      + 'Fix: target the host with Catalog.externalDns (or Catalog.coreBasic with dns), whose sources include "gateway-httproute" and which follows ListenerSet parents, '
      + 'with a domain filter that covers the name; or publish the record yourself.',
    ]);
  });

  it('a Gateway that accepts no ListenerSet from its namespace, an issuer the host lacks, external-dns that skips ListenerSet parents or another domain', () => {
    const cases: [Partial<TenantVClusterProps>, RegExp][] = [
      [{ argocd: { clusterIssuer: 'internal-ca' } }, /names the ClusterIssuer "internal-ca", which no catalog entry on its host "dev" applies: the Gateway/],
      [{ argocd: { hostname: 'cd.team-a.acme.dev' } }, /gets no DNS record: external-dns on its host "dev" manages only "platform\.acme\.dev"\. Fix: /],
    ];
    for (const [props, expected] of cases) expect(routeWarnings(platformWith('team-a', props).platform)).toEqual([expect.stringMatching(expected)]);
    // a Gateway "public" of the platform team's own, which accepts no ListenerSet; external-dns told not to follow ListenerSet parents
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: secure });
    new ServiceCatalogEntry(platform, 'edge', {
      namespace: 'envoy-gateway-system', targets: ClusterSelector.clusters(['mgmt']),
      manifests: [{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'envoy-gateway-system' }, spec: { gatewayClassName: 'envoy', listeners: [] } }],
    });
    Catalog.externalDns(platform, { provider: ExternalDnsProvider.AWS, domainFilters: ['platform.acme.dev'], values: { enableGatewayListenerSets: false } });
    Catalog.certManager(platform, { acme: { email: 'platform@acme.dev', solver: AcmeSolver.http01Gateway({ gatewayName: 'public', gatewayNamespace: 'envoy-gateway-system' }) } });
    new TenantVCluster(mgmt, 'team-a', { owners, argocd: {} });
    expect(routeWarnings(platform)).toEqual([
      expect.stringContaining('but no catalog entry on its host "mgmt" applies that Gateway accepting ListenerSets from namespace "envoy-gateway-system": nothing routes the host name'),
      expect.stringContaining('gets no DNS record: external-dns on its host "mgmt" skips HTTPRoutes attached through a ListenerSet (its value enableGatewayListenerSets is not true). Fix: '),
    ]);
  });
});

const missing = chartToolsMissing();
if (missing) console.log(`skipping the dedicated Argo CD route tests through the real helm: ${missing}`);

describe.skipIf(missing)('through the real helm: the route reaches the server vCluster syncs to the host', () => {
  const rendered = new Map<string, { files: Map<string, string>; apps: RenderedApplication[] }>();
  const tenants = ['team-a', 'payments-and-billing-platform-team'];

  beforeAll(async () => {
    const charts = preparedCharts();
    for (const name of tenants) {
      const files = platformWith(name).platform.render();
      const apps = await renderApplications(files, {
        helm: helmBinary(), chartsDir: charts.chartsDir, standIns: charts.standIns, cacheDir: CACHE_DIR,
        filter: (a) => [`vcluster-${name}`, `vcluster-${name}-argocd`, 'dev-external-dns'].includes(a.name),
      });
      rendered.set(name, { files, apps });
    }
  }, 600_000);

  it.each(tenants)('%s: the HTTPRoute\'s backend is the argocd-server Service under its host name, on a port that serves plain HTTP, admitted from the Gateway\'s namespace', (name) => {
    const { files, apps } = rendered.get(name)!;
    const vcluster = apps.find((a) => a.application.name === `vcluster-${name}`)!;
    const argocd = apps.find((a) => a.application.name === `vcluster-${name}-argocd`)!;
    const hostNamespace = vcluster.application.manifest.spec.destination.namespace;
    const route = get(files, `clusters/dev/${hostNamespace}/httproute-argocd-server.yaml`);
    expect(route.metadata.namespace).toBe(hostNamespace);
    const [backend] = route.spec.rules[0].backendRefs;
    // the virtual cluster's name, as the chart hands it to vCluster (VCLUSTER_NAME, the suffix of every synced name)
    const statefulSet = vcluster.objects.map((o) => o.object).find((o) => o.kind === 'StatefulSet');
    const env = statefulSet.spec.template.spec.containers.flatMap((c: any) => c.env ?? []);
    const vclusterName = env.find((e: any) => e.name === 'VCLUSTER_NAME').value;
    expect(vclusterName).toBe(vcluster.application.manifest.spec.sources[0].helm.releaseName);
    // the Service the argo-cd chart renders into the virtual cluster's namespace argocd, whose port the route names
    const objects = argocd.objects.map((o) => o.object);
    const services = objects.filter((o) => o.kind === 'Service');
    const destinationNamespace = argocd.application.manifest.spec.destination.namespace;
    const service = services.find((s) => vclusterSource.vclusterHostName(s.metadata.name, s.metadata.namespace ?? destinationNamespace, vclusterName) === backend.name);
    expect(service, `a Service synced to the host as ${backend.name} (rendered: ${services.map((s) => s.metadata.name).join(', ')})`).toBeDefined();
    expect([service.metadata.name, service.metadata.namespace ?? destinationNamespace]).toEqual(['argocd-server', 'argocd']);
    expect(backend.name.length).toBeLessThanOrEqual(63);
    const port = service.spec.ports.find((p: any) => p.port === backend.port);
    expect(port, `Service port ${backend.port}`).toBeDefined();
    expect(port.appProtocol).toBeUndefined();
    // the pods it selects, and the container port behind the Service port
    const server = objects.find((o) => o.kind === 'Deployment' && matches({ matchLabels: service.spec.selector }, o.spec.template.metadata.labels));
    expect(server.metadata.name).toBe('argocd-server');
    const container = server.spec.template.spec.containers[0];
    const containerPort = typeof port.targetPort === 'number' ? port.targetPort : container.ports.find((p: any) => p.name === port.targetPort).containerPort;
    expect(container.ports.some((p: any) => p.containerPort === containerPort)).toBe(true);
    // plain HTTP behind the Gateway: server.insecure, which the server reads from argocd-cmd-params-cm
    const params = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'argocd-cmd-params-cm');
    expect(params.data['server.insecure']).toBe('true');
    expect(container.env.find((e: any) => e.name === 'ARGOCD_SERVER_INSECURE').valueFrom.configMapKeyRef).toMatchObject({ name: 'argocd-cmd-params-cm', key: 'server.insecure' });
    // the Gateway's proxies (Envoy Gateway runs them in its namespace) reach that port of the synced pod through the fence
    const pod: Pod = { namespace: hostNamespace, labels: server.spec.template.metadata.labels, ports: container.ports };
    const policies = policiesIn(files, `clusters/dev/${hostNamespace}`);
    const proxy: Pod = { namespace: 'envoy-gateway-system', labels: { 'app.kubernetes.io/name': 'envoy' } };
    expect(admits(policies, proxy, pod, containerPort)).toBe(true);
    // nothing more: the server's metrics port, or another namespace
    const metricsPort = container.ports.find((p: any) => p.name === 'metrics').containerPort;
    expect(admits(policies, proxy, pod, metricsPort)).toBe(false);
    expect(admits(policies, { namespace: 'default', labels: {} }, pod, containerPort)).toBe(false);
  });
  it.each(tenants)('%s: what the vcluster chart puts in the host namespace (its Ingress for the API host among them) passes the tenant\'s hostname fence', (name) => {
    const { files, apps } = rendered.get(name)!;
    const vcluster = apps.find((a) => a.application.name === `vcluster-${name}`)!;
    const hostNamespace = vcluster.application.manifest.spec.destination.namespace;
    const admission = admissionObjects(files);
    const objects = vcluster.objects.map((o) => o.object).map((o) => ({ ...o, metadata: { ...o.metadata, namespace: o.metadata.namespace ?? hostNamespace } }))
      .filter((o) => o.metadata.namespace === hostNamespace);
    const ingress = objects.filter((o) => o.kind === 'Ingress');
    expect(ingress.flatMap((o) => o.spec.rules.map((r: any) => r.host))).toEqual([`${name}.platform.acme.dev`]);
    for (const o of objects) expect([o.kind, o.metadata.name, refusals(admission, creating(o, { username: 'system:serviceaccount:argocd:argocd-application-controller' }))]).toEqual([o.kind, o.metadata.name, []]);
  });

  it('external-dns on the host publishes the host name: it reads HTTPRoutes and follows a ListenerSet parent to the Gateway', () => {
    const { files, apps } = rendered.get('team-a')!;
    const route = get(files, 'clusters/dev/vcluster-team-a/httproute-argocd-server.yaml');
    expect(route.spec.parentRefs.map((r: any) => r.kind)).toEqual(['ListenerSet']);
    const dns = apps.find((a) => a.application.name === 'dev-external-dns');
    expect(dns, 'external-dns on dev').toBeDefined();
    const objects = dns!.objects.map((o) => o.object);
    const args: string[] = objects.find((o) => o.kind === 'Deployment').spec.template.spec.containers[0].args;
    // without --gateway-listener-sets, external-dns skips a route whose parent is a ListenerSet: no record
    expect(args).toEqual(expect.arrayContaining(['--source=gateway-httproute', '--gateway-listener-sets', '--domain-filter=platform.acme.dev']));
    expect(route.spec.hostnames.every((h: string) => h.endsWith('.platform.acme.dev'))).toBe(true);
    const rules = objects.find((o) => o.kind === 'ClusterRole').rules;
    for (const resource of ['httproutes', 'listenersets', 'gateways']) {
      expect([resource, rules.some((r: any) => r.apiGroups.includes('gateway.networking.k8s.io') && r.resources.includes(resource) && ['list', 'watch'].every((x) => r.verbs.includes(x)))]).toEqual([resource, true]);
    }
  });
});
