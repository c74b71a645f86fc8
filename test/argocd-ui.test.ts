import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AcmeSolver, ArgoCdUi, Catalog, Group, ManagementCluster, TenantVCluster, Testing } from '../src';
import { HAS_SCHEMAS, crdErrors } from './support/schemas';
import { awsMgmt, awsPlatform } from './support/fixtures';

const stacks = { 'security-basic': 'enabled', 'core-basic': 'enabled' };

function withUi(catalog = true) {
  const platform = awsPlatform();
  awsMgmt(platform, { labels: stacks, argocd: { adminGroups: ['platform-admins'], ui: ArgoCdUi.gateway() } });
  if (catalog) {
    const [gateway] = Catalog.coreBasic(platform);
    Catalog.certManager(platform, { acme: { email: 'platform@acme.dev', solver: AcmeSolver.http01Gateway({ gatewayName: 'public', gatewayNamespace: 'envoy-gateway-system' }) }, dependsOn: [gateway] });
  }
  return platform;
}

describe('ArgoCdUi.gateway', () => {
  it('adds an HTTPS listener for argocd.<domain> to the shared Gateway, a certificate for it and an HTTPRoute to argocd-server', () => {
    const files = Testing.render(withUi()).files;
    const get = (f: string) => parse(files.get(`clusters/mgmt/argocd/${f}`)!);
    const listeners = get('listenerset-argocd.yaml');
    expect(listeners.spec).toEqual({
      parentRef: { name: 'public', namespace: 'envoy-gateway-system' },
      listeners: [{
        name: 'argocd', protocol: 'HTTPS', port: 443, hostname: 'argocd.platform.acme.dev',
        tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'argocd-ui-tls' }] },
        allowedRoutes: { namespaces: { from: 'Same' }, kinds: [{ kind: 'HTTPRoute' }] },
      }],
    });
    expect(get('certificate-argocd-ui-tls.yaml').spec).toEqual({ secretName: 'argocd-ui-tls', dnsNames: ['argocd.platform.acme.dev'], issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt-production' } });
    const route = get('httproute-argocd-server.yaml');
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'ListenerSet', name: 'argocd', sectionName: 'argocd' }]);
    expect(route.spec.hostnames).toEqual(['argocd.platform.acme.dev']);
    expect(route.spec.rules[0].backendRefs).toEqual([{ name: 'argocd-server', port: 80 }]);
    // the Gateway accepts listeners from Argo CD's namespace and its own (tenants' dedicated Argo CDs) only
    const gateway = parse(files.get('catalog/envoy-gateway/manifests/all/gateway-public.yaml')!);
    expect(gateway.spec.allowedListeners).toEqual({ namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['argocd', 'envoy-gateway-system'] }] } } });
    // TLS ends at the Gateway: the server speaks HTTP, in the Application and in the Terraform bootstrap alike
    const app = get('application-argo-cd.yaml');
    expect(app.spec.sources[0].helm.valuesObject.configs.params['server.insecure']).toBe(true);
    const tf = JSON.parse(files.get('terraform/mgmt/cdk.tf.json')!);
    expect(Object.values<any>(tf.resource.helm_release).find((r) => r.name === 'argocd').values[0]).toContain('server.insecure: true');
    if (HAS_SCHEMAS) {
      for (const f of ['listenerset-argocd.yaml', 'httproute-argocd-server.yaml', 'certificate-argocd-ui-tls.yaml']) expect(crdErrors(get(f)), f).toEqual([]);
      expect(crdErrors(gateway)).toEqual([]);
    } else {
      console.log('argocd-ui: ../shared/schemas not found, CRD validation skipped');
    }
  });

  it('answers http:// on its host and on a tenant\'s dedicated Argo CD\'s with a redirect to https, on the Gateway\'s HTTP listener', () => {
    const platform = withUi();
    new TenantVCluster(platform.node.findChild('mgmt') as ManagementCluster, 'team-a', { owners: Group.named('team-a'), argocd: {} });
    const files = Testing.render(platform).files;
    const gateway = parse(files.get('catalog/envoy-gateway/manifests/all/gateway-public.yaml')!);
    const http = gateway.spec.listeners.find((l: any) => l.protocol === 'HTTP');
    expect(http).toMatchObject({ port: 80, allowedRoutes: { namespaces: { from: 'All' } } });
    const redirects = [...files].filter(([f]) => f.endsWith('/httproute-argocd-server-https-redirect.yaml')).map(([f, t]) => [f, parse(t)] as const);
    expect(redirects.map(([, r]) => r.spec.hostnames[0]).sort()).toEqual(['argocd-team-a.platform.acme.dev', 'argocd.platform.acme.dev']);
    for (const [f, r] of redirects) {
      expect(r.spec.parentRefs, f).toEqual([{ name: 'public', namespace: 'envoy-gateway-system', sectionName: http.name }]);
      // no matches: the lowest precedence, below an ACME HTTP-01 solver's exact path for the same name
      expect(r.spec.rules, f).toEqual([{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }]);
      if (HAS_SCHEMAS) expect(crdErrors(r), f).toEqual([]);
    }
  });

  it('is off by default: no route, and the server keeps its own TLS', () => {
    const platform = awsPlatform();
    awsMgmt(platform, { labels: stacks });
    const files = Testing.render(platform).files;
    expect([...files.keys()].filter((f) => /listenerset|httproute-argocd|argocd-ui-tls/.test(f))).toEqual([]);
    expect(parse(files.get('clusters/mgmt/argocd/application-argo-cd.yaml')!).spec.sources[0].helm.valuesObject.configs.params?.['server.insecure']).toBeUndefined();
  });

  it('needs the shared Gateway and cert-manager on the management cluster', () => {
    expect(() => Testing.render(withUi(false))).toThrow('2 problems in the platform declaration:\n  [platform/mgmt] argocd.ui exposes Argo CD on the shared Gateway, but management cluster "mgmt" does not run gateway-helm. Fix: add Catalog.gatewayApi(platform) (the shared Gateway) and label "mgmt" so it selects it ("core-basic" / "security-basic": "enabled").');
  });
});
