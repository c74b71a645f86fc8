import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AcmeSolver, Catalog, ExternalDnsProvider, FleetCluster, Group, TenantVCluster } from '../src';
import { resources } from '../src/catalog/entries/common';
import { Quantity } from '../src/model/quantity';
import { awsMgmt, awsPlatform, eksCloud } from './support/fixtures';

const q = (text: string) => Quantity.parse(text)!;

describe('Quantity: a Kubernetes quantity parsed once, exact', () => {
  it('reads decimal and binary suffixes to the same amounts the API server counts', () => {
    for (const [a, b] of [['1Gi', '1024Mi'], ['0.5', '500m'], ['1k', '1000'], ['1.5Ki', '1536'], ['2', '2000m'], ['1M', '1000k'], ['1Ei', '1024Pi'], ['0.001', '1m']]) {
      expect(q(a).compare(q(b)), `${a} = ${b}`).toBe(0);
    }
    expect(q('1Gi').compare(q('1G'))).toBe(1);
    expect(q('999m').compare(q('1'))).toBe(-1);
    expect(q('20Gi').text).toBe('20Gi');
    expect(q('250m').approximate).toBe(0.25);
  });

  it('refuses what is not the library\'s quantity form (the same texts as before)', () => {
    for (const bad of ['', '1.', '.5', '-1', '+1', '5x', '1e3', '1 Gi', '1gi', 'Mi', ' 1']) expect(Quantity.parse(bad), bad).toBeUndefined();
    for (const bad of [5, null, undefined, {}, ['1']]) expect(Quantity.parse(bad)).toBeUndefined();
    expect(() => Quantity.of('lots')).toThrow('internal: "lots" is not a Kubernetes quantity');
    expect(Quantity.of(10).compare(q('10'))).toBe(0);
  });

  it('adds up exactly: 0.1 + 0.2 CPUs are 0.3 (floating point makes them 0.30000000000000004)', () => {
    expect(0.1 + 0.2 > 0.3).toBe(true);
    expect(Quantity.sum([q('0.1'), q('0.2')]).compare(q('0.3'))).toBe(0);
    expect(Quantity.sum([q('100m'), q('0.2')]).text).toBe('0.3');
    expect(Quantity.sum([q('1Gi'), q('512Mi')]).compare(q('1536Mi'))).toBe(0);
    expect(Quantity.sum([]).compare(q('0'))).toBe(0);
    expect(Quantity.sum([q('10'), q('10'), q('6')]).text).toBe('26');
  });
});

describe('tenant quotas against a host\'s tenantCapacity, added up exactly', () => {
  function host(capacity: string, quotas: string[]) {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: { 'security-basic': 'enabled' } });
    const dev = new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: { 'security-basic': 'enabled' }, tenantCapacity: { cpu: capacity } });
    Catalog.externalSecrets(platform);
    quotas.forEach((cpu, i) => new TenantVCluster(dev, `t${i}`, { owners: Group.named(`t${i}`), quota: { cpu } }));
    return platform.validate().filter((p) => p.severity !== 'warning').map((p) => `[${p.path}] ${p.message}`);
  }

  it('accepts quotas that add up to the capacity exactly (0.1 + 0.2 of 0.3 CPUs was refused before)', () => {
    expect(host('0.3', ['0.1', '0.2'])).toEqual([]);
    expect(host('300m', ['0.1', '200m'])).toEqual([]);
  });

  it('refuses quotas over the capacity, with the same message', () => {
    expect(host('0.3', ['0.1', '201m'])).toEqual([
      '[platform/mgmt/dev] the CPU quotas of the tenants on host "dev" add up to more than its tenantCapacity.cpu "0.3" (t0: 0.1, t1: 201m). Fix: lower the quotas or raise the capacity.',
    ]);
  });
});

describe('the built-in catalog\'s resources', () => {
  it('are quantities with each memory limit at least its request, rendered as written', () => {
    const platform = awsPlatform();
    awsMgmt(platform, { labels: { 'security-basic': 'enabled', 'core-basic': 'enabled' } });
    Catalog.coreBasic(platform, { dns: { provider: ExternalDnsProvider.AWS, domainFilters: ['acme.dev'] } });
    Catalog.securityBasic(platform, { acme: { email: 'platform@acme.dev', solver: AcmeSolver.http01Gateway({ gatewayName: 'public', gatewayNamespace: 'envoy-gateway-system' }) } });
    Catalog.monitoringBasic(platform);
    Catalog.monitoringMedium(platform);
    Catalog.storageBasic(platform, { server: 'nfs.acme.internal', path: '/exports/k8s' });
    Catalog.ingressNginx(platform);
    for (const helper of ['reloader', 'openBao', 'vault', 'crossplane', 'argoWorkflows', 'actionsRunnerController', 'chartMuseum'] as const) Catalog[helper](platform);
    Catalog.atlantis(platform, { orgAllowlist: 'github.com/acme/*', githubUser: 'acme-atlantis', url: 'https://atlantis.acme.dev' });
    Catalog.gitlabRunner(platform, { gitlabUrl: 'https://gitlab.com/' });
    const found: string[] = [];
    const walk = (v: unknown, where: string): void => {
      if (typeof v !== 'object' || v === null) return;
      const r = v as { requests?: { cpu?: unknown; memory?: unknown }; limits?: { memory?: unknown } };
      if (r.requests && typeof r.requests.memory === 'string' && r.limits) {
        found.push(where);
        expect(Quantity.parse(r.requests.cpu), where).toBeDefined();
        expect(q(String(r.limits.memory)).compare(q(r.requests.memory)), where).toBeGreaterThanOrEqual(0);
      }
      for (const [k, x] of Object.entries(v)) walk(x, `${where}.${k}`);
    };
    for (const [file, text] of platform.render()) if (/^catalog\/[^/]+\/values\.yaml$/.test(file)) walk(parse(text), file);
    // every built-in entry sets its containers' resources: 37 in 19 entries
    expect(found.length).toBe(37);
    expect(found).toContain('catalog/opencost/values.yaml.opencost.exporter.resources');
  });

  it('refuses a built-in default whose memory limit is below its request', () => {
    expect(resources('50m', '128Mi', '256Mi')).toEqual({ requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } });
    expect(resources('10m', '55Mi', '1Gi').limits.memory).toBe('1Gi');
    expect(() => resources('10m', '256Mi', '128Mi')).toThrow('internal: a built-in entry\'s memory limit 128Mi is below its request 256Mi');
  });
});
