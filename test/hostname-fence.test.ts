// The hostname fence of a tenant's namespace on its host, as the API server's admission would
// apply it (the rendered ValidatingAdmissionPolicy's CEL, evaluated): a team's routes, Ingresses and
// external-dns annotations name only the tenant's own hosts, for the team and for Argo CD alike, and
// what the platform itself puts in the namespace passes.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ApiExposure, Catalog, FleetCluster, Group, NamespaceTenant, NamespaceTenantProps, PlatformValidationError, Sso, TeamService, TenantVCluster } from '../src';
import { projectPermissions, resourceDenial } from '../src/argocd/app-project';
import { admissionObjects, creating, refusals } from './support/admission';
import { awsMgmt, awsPlatform, eksCloud } from './support/fixtures';
import { pinsRepo } from './support/pins';
import { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1';

const secure = { 'security-basic': 'enabled', 'core-basic': 'enabled' };
const SHOP = 'shop.devteam-a.example.com';
const ARGOCD_SA = { username: 'system:serviceaccount:argocd:argocd-application-controller', groups: ['system:serviceaccounts', 'system:serviceaccounts:argocd'] };
const OWNER = { groups: ['devteam-a'] };

function teamPlatform(props: Partial<NamespaceTenantProps> = {}) {
  const platform = awsPlatform();
  const mgmt = awsMgmt(platform, { labels: secure });
  Catalog.gatewayApi(platform, { https: {} });
  Catalog.certManager(platform);
  Catalog.externalSecrets(platform);
  const dev = new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: secure });
  new NamespaceTenant(dev, 'devteam-a', { owners: Group.named('devteam-a'), repositories: [{ url: 'https://github.com/acme/devteam-a-apps.git' }], hostnames: [SHOP], ...props });
  new TenantVCluster(dev, 'team-v', { owners: Group.named('team-v') });
  return { platform, files: platform.render() };
}

const route = (kind: string, hostnames: string[] | undefined, namespace = 'devteam-a') => ({
  apiVersion: kind === 'TLSRoute' ? 'gateway.networking.k8s.io/v1alpha2' : 'gateway.networking.k8s.io/v1', kind, metadata: { name: 'r', namespace },
  spec: { parentRefs: [{ name: 'public', namespace: 'envoy-gateway-system' }], ...(hostnames ? { hostnames } : {}), rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] },
});
const ingress = (spec: Record<string, unknown>) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i', namespace: 'devteam-a' }, spec });
const service = (annotations?: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'devteam-a', ...(annotations ? { annotations } : {}) }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } });

describe('the hostname fence of a namespace tenant', () => {
  it('admits routes, Ingresses and external-dns annotations for the tenant\'s hosts only, from the team and from Argo CD alike', () => {
    const admission = admissionObjects(teamPlatform().files);
    const verdict = (object: any, who: Record<string, unknown> = ARGOCD_SA) => refusals(admission, creating(object, who)).length === 0;
    for (const who of [ARGOCD_SA, OWNER]) {
      for (const kind of ['HTTPRoute', 'GRPCRoute', 'TLSRoute']) {
        expect([kind, verdict(route(kind, [SHOP]), who)]).toEqual([kind, true]);
        // another tenant's API host, the platform's Argo CD, a host among others, or every host (none named)
        for (const hosts of [['team-v.platform.acme.dev'], ['argocd.platform.acme.dev'], [SHOP, 'login.platform.acme.dev'], undefined, []]) {
          expect([kind, hosts, verdict(route(kind, hosts), who)]).toEqual([kind, hosts, false]);
        }
      }
      expect(verdict(ingress({ rules: [{ host: SHOP, http: { paths: [] } }], tls: [{ hosts: [SHOP], secretName: 'x' }] }), who)).toBe(true);
      expect(verdict(ingress({ rules: [{ host: 'argocd.platform.acme.dev' }] }), who)).toBe(false);
      expect(verdict(ingress({ rules: [{ http: { paths: [] } }] }), who)).toBe(false);
      expect(verdict(ingress({ defaultBackend: { service: { name: 'web', port: { number: 80 } } } }), who)).toBe(false);
      expect(verdict(ingress({ rules: [{ host: SHOP }], tls: [{ hosts: ['argocd.platform.acme.dev'], secretName: 'x' }] }), who)).toBe(false);
      // external-dns would publish any name it reads in its annotations (a comma-separated list)
      expect(verdict(service(), who)).toBe(true);
      expect(verdict(service({ 'external-dns.alpha.kubernetes.io/hostname': SHOP }), who)).toBe(true);
      expect(verdict(service({ 'external-dns.alpha.kubernetes.io/hostname': `${SHOP}, login.platform.acme.dev` }), who)).toBe(false);
      expect(verdict(service({ 'external-dns.alpha.kubernetes.io/internal-hostname': 'db.platform.acme.dev' }), who)).toBe(false);
      expect(verdict({ ...route('HTTPRoute', [SHOP]), metadata: { name: 'r', namespace: 'devteam-a', annotations: { 'external-dns.alpha.kubernetes.io/hostname': 'argocd.platform.acme.dev' } } }, who)).toBe(false);
    }
    // an object from before the fence may go; another namespace is not the tenant's
    expect(refusals(admission, { ...creating(route('HTTPRoute', undefined)), operation: 'DELETE' })).toEqual([]);
    expect(refusals(admission, creating(route('HTTPRoute', ['anything.example.org'], 'other')))).toEqual([]);
    // the refusal says what the tenant's names are and how to add one
    expect(refusals(admission, creating(route('HTTPRoute', ['x.example.org'])))).toEqual([expect.stringContaining(`the host names of namespace devteam-a are its tenant's own: ${SHOP}. A route names some`)]);
    expect(refusals(admission, creating(route('HTTPRoute', ['x.example.org'])))[0]).toContain('Fix: for a NamespaceTenant, add the name to its hostnames');
  });

  it('refuses the namespace a Gateway or ListenerSet of its own, through the team\'s project and admission', () => {
    const { files } = teamPlatform();
    const admission = admissionObjects(files);
    const gateway = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'devteam-a' }, spec: { gatewayClassName: 'envoy', listeners: [{ name: 'h', hostname: SHOP, port: 80, protocol: 'HTTP' }] } };
    expect(refusals(admission, creating(gateway, ARGOCD_SA))).toEqual([expect.stringContaining('brings no Gateway or ListenerSet of its own')]);
    expect(refusals(admission, creating({ ...gateway, kind: 'ListenerSet' }, OWNER))).toHaveLength(1);
    expect(refusals(admission, creating({ ...gateway, apiVersion: 'gateway.networking.x-k8s.io/v1alpha1', kind: 'XListenerSet' }, OWNER))).toHaveLength(1);
    const project = projectPermissions(parse(files.get('clusters/mgmt/argocd/appproject-team-devteam-a.yaml')!));
    for (const [group, kind] of [['gateway.networking.k8s.io', 'Gateway'], ['gateway.networking.k8s.io', 'ListenerSet'], ['gateway.networking.x-k8s.io', 'XListenerSet']]) {
      expect(resourceDenial(project, 'team-devteam-a', group, kind, 'g', 'devteam-a', { name: 'dev' })).toContain('is not permitted in project team-devteam-a');
    }
    expect(resourceDenial(project, 'team-devteam-a', 'gateway.networking.k8s.io', 'HTTPRoute', 'r', 'devteam-a', { name: 'dev' })).toBeUndefined();
  });

  it('is one policy per host with tenants, bound to their namespaces, each namespace\'s names on its Namespace', () => {
    const { files } = teamPlatform();
    const policies = [...files.keys()].filter((f) => /validatingadmissionpolicy-tenant-hostnames\.yaml$/.test(f));
    expect(policies).toEqual(['clusters/dev/_cluster/validatingadmissionpolicy-tenant-hostnames.yaml']);
    const policy = parse(files.get(policies[0])!);
    const binding = parse(files.get('clusters/dev/_cluster/validatingadmissionpolicybinding-tenant-hostnames.yaml')!);
    expect(() => new ValidatingAdmissionPolicy(policy).validate()).not.toThrow();
    expect(() => new ValidatingAdmissionPolicyBinding(binding).validate()).not.toThrow();
    expect(binding.spec.matchResources.namespaceSelector).toEqual({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['devteam-a', 'vcluster-team-v'] }] });
    expect(parse(files.get('clusters/dev/_cluster/namespace-devteam-a.yaml')!).metadata.annotations['cdk8s-gitops-platform/hostnames']).toBe(SHOP);
    expect(parse(files.get('clusters/dev/_cluster/namespace-vcluster-team-v.yaml')!).metadata.annotations['cdk8s-gitops-platform/hostnames']).toBe('team-v.platform.acme.dev');
    // the Namespace is cluster-scoped: the team's project cannot change its names
    const project = projectPermissions(parse(files.get('clusters/mgmt/argocd/appproject-team-devteam-a.yaml')!));
    expect(resourceDenial(project, 'team-devteam-a', '', 'Namespace', 'devteam-a', '', { name: 'dev' })).toBeDefined();
  });

  it('without hostnames, the namespace takes no route or Ingress at all', () => {
    const admission = admissionObjects(teamPlatform({ hostnames: undefined }).files);
    expect(refusals(admission, creating(route('HTTPRoute', [SHOP])))).toHaveLength(1);
    expect(refusals(admission, creating(service()))).toEqual([]);
  });

  it('checks the names: DNS names, once each, claimed by no Argo CD, virtual cluster API, team service or other namespace tenant', () => {
    const bad = (hostnames: unknown[]) => () => teamPlatform({ hostnames: hostnames as string[] });
    expect(bad(['*.devteam-a.example.com'])).toThrow(/hostnames\[0\].*a lowercase DNS name \(no wildcard\)/);
    expect(bad(['Shop.example.com'])).toThrow(/hostnames\[0\]/);
    expect(bad([SHOP, SHOP])).toThrow(/hostnames\[1\]/);
    const claimed = (host: string) => {
      try {
        teamPlatform({ hostnames: [host] });
      } catch (e) {
        return e instanceof PlatformValidationError ? e.message : String(e);
      }
      return 'no error';
    };
    expect(claimed('team-v.platform.acme.dev')).toMatch(/\[platform\/mgmt\/dev\/devteam-a\] host name "team-v.platform.acme.dev" of namespace tenant "devteam-a" is already the API host of tenant "team-v"'s virtual cluster/);
    expect(claimed('argocd.platform.acme.dev')).toContain('is already the Argo CD host of management cluster "mgmt"');
    // another namespace tenant's, and a team service's
    const platform = awsPlatform({ environments: ['prod'] });
    const mgmt = awsMgmt(platform, { labels: secure });
    Catalog.gatewayApi(platform, { https: {} });
    Catalog.certManager(platform);
    Catalog.externalSecrets(platform);
    const v = new TenantVCluster(mgmt, 'team-s', { owners: Group.named('team-s') });
    const root = pinsRepo({ 'services/team-s/checkout/prod.json': { cluster: 'vc-team-s', imageTag: '1.4.2-aaaaaaa', targetRevision: 'a'.repeat(40) } });
    const svc = new TeamService(v, 'checkout', { image: 'ghcr.io/acme/checkout', port: 8080, repositoryRoot: root });
    new NamespaceTenant(mgmt, 'ns-a', { owners: Group.named('a'), hostnames: ['a.example.com'] });
    new NamespaceTenant(mgmt, 'ns-b', { owners: Group.named('b'), hostnames: ['a.example.com', svc.hostFor('prod')] });
    expect(() => platform.render()).toThrow(new RegExp(`host name "a.example.com" of namespace tenant "ns-b" is already namespace tenant "ns-a"'s[\\s\\S]*host name "${svc.hostFor('prod').replace(/\./g, '\\.')}" of namespace tenant "ns-b" is already the host of team service "checkout" in prod`));
  });
});

describe('the hostname fence of a vCluster tenant\'s host namespace', () => {
  it('admits what the platform puts there and the routes vCluster syncs for the tenant\'s services, and no other host', () => {
    const platform = awsPlatform({ environments: ['prod'] });
    const mgmt = awsMgmt(platform, { labels: secure });
    Catalog.gatewayApi(platform, { https: {} });
    Catalog.certManager(platform);
    Catalog.externalSecrets(platform);
    const tenant = new TenantVCluster(mgmt, 'team-a', {
      owners: Group.named('team-a'), apiExposure: ApiExposure.gateway({ name: 'public', namespace: 'envoy-gateway-system' }),
      argocd: { sso: Sso.oidc({ issuer: 'https://idp.acme.dev', clientId: 'team-a-argocd' }) },
    });
    const root = pinsRepo({ 'services/team-a/checkout/prod.json': { cluster: 'vc-team-a', imageTag: '1.4.2-aaaaaaa', targetRevision: 'a'.repeat(40) } });
    const svc = new TeamService(tenant, 'checkout', { image: 'ghcr.io/acme/checkout', port: 8080, repositoryRoot: root });
    const files = platform.render();
    const admission = admissionObjects(files);
    const ns = tenant.namespace;
    // every object of the host folder in the tenant's namespace, as Argo CD applies it
    const own = [...files].filter(([f]) => f.endsWith('.yaml')).map(([, t]) => parse(t)).filter((o) => o?.metadata?.namespace === ns);
    expect(own.length).toBeGreaterThan(5);
    // the dedicated Argo CD's route and its redirect, with the external-dns annotation of its host
    expect(own.filter((o) => o.kind === 'HTTPRoute').map((o) => [o.metadata.name, o.spec.hostnames]).sort()).toEqual([
      ['argocd-server', ['argocd-team-a.platform.acme.dev']], ['argocd-server-https-redirect', ['argocd-team-a.platform.acme.dev']],
    ]);
    for (const o of own) expect([o.kind, o.metadata.name, refusals(admission, creating(o, ARGOCD_SA))]).toEqual([o.kind, o.metadata.name, []]);
    // the service's HTTPRoute, as vCluster's syncer creates it on the host (same host names, the host namespace)
    const synced = [...files].filter(([f]) => f.startsWith('tenants/team-a/services/checkout/') && f.includes('httproute')).map(([, t]) => parse(t));
    expect(synced.length).toBeGreaterThan(0);
    const syncer = { username: `system:serviceaccount:${ns}:vc-vcluster-team-a`, groups: ['system:serviceaccounts'] };
    for (const r of synced) {
      expect(r.spec.hostnames).toEqual([svc.hostFor('prod')]);
      expect(refusals(admission, creating({ ...r, metadata: { ...r.metadata, namespace: ns } }, syncer))).toEqual([]);
    }
    // the API's TLSRoute vCluster makes for its host
    expect(refusals(admission, creating(route('TLSRoute', [tenant.apiHost], ns), syncer))).toEqual([]);
    // a route or an annotated Service synced for another name
    expect(refusals(admission, creating(route('HTTPRoute', ['argocd.platform.acme.dev'], ns), syncer))).toHaveLength(1);
    expect(refusals(admission, creating({ ...service({ 'external-dns.alpha.kubernetes.io/hostname': 'login.platform.acme.dev' }), metadata: { name: 's', namespace: ns, annotations: { 'external-dns.alpha.kubernetes.io/hostname': 'login.platform.acme.dev' } } }, syncer))).toHaveLength(1);
  });
});
