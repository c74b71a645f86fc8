// Random small platforms and random edits of them (a seeded generator: runs are reproducible),
// declared with the public API: for the render units' keys and the incremental synth.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  AcmeSolver, Catalog, Cloud, ClusterSelector, FleetCluster, Group, HelmChart, NamespaceTenant, Platform, ServiceCatalogEntry, TeamService, TenantVCluster,
} from '../../src';
import { awsMgmt, awsPlatform } from './fixtures';

export interface TenantSpec { name: string; team: number; fleet: number; cpu: string; repos: number; argocd: boolean; labels: Record<string, string> }
export interface NsTenantSpec { name: string; fleet: number; hostnames: string[]; cpu: string }
export interface ServiceSpec { name: string; team: number; in: string; pins: { env: string; to: string; tag: string }[]; port: number }
export interface Spec { fleet: number; replicas: number; tenants: TenantSpec[]; ns: NsTenantSpec[]; services: ServiceSpec[] }

const ENVS = ['staging', 'prod'];
const fleetEnv = (i: number) => ENVS[i % 2];

/** A small random generator with a seed (the test is reproducible). */
export function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)], chance: (p: number) => next() < p };
}
export type Rng = ReturnType<typeof rng>;

export function randomSpec(r: Rng): Spec {
  const fleet = 2 + r.int(2);
  const tenants: TenantSpec[] = [];
  const teams = 2 + r.int(2);
  let n = 0;
  for (let team = 0; team < teams; team++) {
    for (const env of ENVS) {
      const count = 1 + (r.chance(0.3) ? 1 : 0);
      for (let k = 0; k < count; k++) tenants.push(newTenant(r, `t${n++}`, team, env, fleet));
    }
  }
  const ns = Array.from({ length: r.int(3) }, (_, i) => ({ name: `ns${i}`, fleet: r.int(fleet), hostnames: r.chance(0.5) ? [`ns${i}.apps.acme.dev`] : [], cpu: r.pick(['1', '2']) }));
  const services: ServiceSpec[] = [];
  for (let team = 0; team < teams; team++) {
    for (let k = 0; k < r.int(3); k++) services.push(newService(r, `svc${team}x${k}`, team, tenants)!);
  }
  return { fleet, replicas: 2, tenants, ns, services: services.filter(Boolean) };
}

function newTenant(r: Rng, name: string, team: number, env: string, fleet: number): TenantSpec {
  const hosts = Array.from({ length: fleet }, (_, i) => i).filter((i) => fleetEnv(i) === env);
  return { name, team, fleet: r.pick(hosts), cpu: r.pick(['1', '2', '4']), repos: 1 + r.int(2), argocd: r.chance(0.2), labels: r.chance(0.3) ? { tier: r.pick(['gold', 'silver']) } : {} };
}

function newService(r: Rng, name: string, team: number, tenants: TenantSpec[]): ServiceSpec | undefined {
  const mine = tenants.filter((t) => t.team === team);
  const prod = mine.filter((t) => fleetEnv(t.fleet) === 'prod');
  if (!prod.length) return undefined;
  const pins = ENVS.map((env) => ({ env, to: r.pick(mine.filter((t) => fleetEnv(t.fleet) === env)).name, tag: '1.0.0-aaaaaaa' }));
  return { name, team, in: r.pick(prod).name, pins, port: r.pick([8080, 9000]) };
}

/** One random edit of a spec, and what it is (for the failure message). */
export function edit(r: Rng, spec: Spec): { spec: Spec; what: string; kind: string } {
  const s: Spec = structuredClone(spec);
  const targeted = new Set(s.services.flatMap((x) => [x.in, ...x.pins.map((p) => p.to)]));
  const kinds = ['bump', 'retarget', 'quota', 'add-tenant', 'remove-tenant', 'argocd', 'labels', 'hostnames', 'replicas', 'add-fleet', 'add-service', 'remove-service', 'port'];
  for (;;) {
    const kind = r.pick(kinds);
    switch (kind) {
      case 'bump': {
        if (!s.services.length) continue;
        const svc = r.pick(s.services);
        const pin = r.pick(svc.pins);
        pin.tag = `1.0.${1 + r.int(9)}-bbbbbbb`;
        return { spec: s, what: `bump ${svc.name}/${pin.env}`, kind };
      }
      case 'retarget': {
        const svc = s.services.find((x) => x.pins.some((p) => s.tenants.some((t) => t.team === x.team && t.name !== p.to && fleetEnv(t.fleet) === p.env)));
        if (!svc) continue;
        const pin = svc.pins.find((p) => s.tenants.some((t) => t.team === svc.team && t.name !== p.to && fleetEnv(t.fleet) === p.env))!;
        pin.to = s.tenants.find((t) => t.team === svc.team && t.name !== pin.to && fleetEnv(t.fleet) === pin.env)!.name;
        return { spec: s, what: `retarget ${svc.name}/${pin.env} to ${pin.to}`, kind };
      }
      case 'quota': {
        const t = r.pick(s.tenants);
        t.cpu = t.cpu === '8' ? '1' : '8';
        return { spec: s, what: `quota of ${t.name}`, kind };
      }
      case 'add-tenant': {
        const t = newTenant(r, `t${s.tenants.length + 10}`, r.int(2), r.pick(ENVS), s.fleet);
        s.tenants.splice(r.int(s.tenants.length + 1), 0, t);
        return { spec: s, what: `add tenant ${t.name}`, kind };
      }
      case 'remove-tenant': {
        const free = s.tenants.filter((t) => !targeted.has(t.name));
        if (!free.length) continue;
        const t = r.pick(free);
        s.tenants = s.tenants.filter((x) => x !== t);
        return { spec: s, what: `remove tenant ${t.name}`, kind };
      }
      case 'argocd': {
        const t = r.pick(s.tenants);
        t.argocd = !t.argocd;
        return { spec: s, what: `dedicated Argo CD of ${t.name}`, kind };
      }
      case 'labels': {
        const t = r.pick(s.tenants);
        t.labels = t.labels.tier ? {} : { tier: 'bronze' };
        return { spec: s, what: `labels of ${t.name}`, kind };
      }
      case 'hostnames': {
        if (!s.ns.length) continue;
        const t = r.pick(s.ns);
        t.hostnames = t.hostnames.length ? [] : [`${t.name}.apps.acme.dev`, `${t.name}-b.apps.acme.dev`];
        return { spec: s, what: `hostnames of ${t.name}`, kind };
      }
      case 'replicas':
        s.replicas += 1;
        return { spec: s, what: 'a catalog entry\'s values', kind };
      case 'add-fleet':
        s.fleet += 1;
        return { spec: s, what: 'a fleet cluster', kind };
      case 'add-service': {
        const svc = newService(r, `svc-new${r.int(100)}`, r.int(2), s.tenants);
        if (!svc || s.services.some((x) => x.name === svc.name)) continue;
        s.services.push(svc);
        return { spec: s, what: `add service ${svc.name}`, kind };
      }
      case 'remove-service': {
        if (!s.services.length) continue;
        const svc = r.pick(s.services);
        s.services = s.services.filter((x) => x !== svc);
        return { spec: s, what: `remove service ${svc.name}`, kind };
      }
      case 'port': {
        if (!s.services.length) continue;
        const svc = r.pick(s.services);
        svc.port = svc.port === 8080 ? 9000 : 8080;
        return { spec: s, what: `port of ${svc.name}`, kind };
      }
      default: throw new Error(kind);
    }
  }
}

/** The platform a spec declares (its pins written to the one repository root the test reuses, as a real repository's is). */
export function build(spec: Spec, pinsRoot: string, outdir?: string): Platform {
  fs.rmSync(pinsRoot, { recursive: true, force: true });
  for (const svc of spec.services) {
    for (const pin of svc.pins) {
      const file = path.join(pinsRoot, 'services', `team-${svc.team}`, svc.name, `${pin.env}.json`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify({ cluster: `vc-${pin.to}`, imageTag: pin.tag, targetRevision: 'a'.repeat(40) }) + '\n');
    }
  }
  const platform = awsPlatform({ environments: ['dev', ...ENVS], ...(outdir ? { outdir } : {}) });
  const labels = { 'security-basic': 'enabled', 'core-basic': 'enabled' };
  const mgmt = awsMgmt(platform, { labels });
  Catalog.coreBasic(platform, { https: {} });
  Catalog.securityBasic(platform, { acme: { email: 'ops@acme.dev', solver: AcmeSolver.dns01Cloudflare({ storeKey: 'cloudflare' }) } });
  const fleet = Array.from({ length: spec.fleet }, (_, i) => new FleetCluster(mgmt, `fleet-${i}`, {
    environment: fleetEnv(i), labels, cloud: Cloud.eks({ region: 'eu-west-1', kubernetesVersion: '1.35', network: { cidr: `10.${20 + i}.0.0/16` } }),
  }));
  new ServiceCatalogEntry(platform, 'tool', {
    chart: HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'tool', version: '1.0.0' }),
    namespace: 'tool', targets: ClusterSelector.includingTenants(ClusterSelector.environments(ENVS)), values: { replicas: spec.replicas },
  });
  const tenants = new Map<string, TenantVCluster>();
  for (const t of spec.tenants) {
    tenants.set(t.name, new TenantVCluster(fleet[t.fleet], t.name, {
      owners: Group.named(`team-${t.team}`),
      repositories: Array.from({ length: t.repos }, (_, i) => `https://github.com/acme/team-${t.team}-${i}.git`),
      quota: { cpu: t.cpu, limitsCpu: '16' },
      labels: t.labels,
      ...(t.argocd ? { argocd: {} } : {}),
    }));
  }
  for (const t of spec.ns) {
    new NamespaceTenant(fleet[t.fleet], t.name, { owners: Group.named(`ns-${t.name}`), quota: { cpu: t.cpu }, ...(t.hostnames.length ? { hostnames: t.hostnames } : {}) });
  }
  for (const svc of spec.services) {
    new TeamService(tenants.get(svc.in)!, svc.name, { team: `team-${svc.team}`, image: `ghcr.io/acme/${svc.name}`, port: svc.port, environments: ENVS, repositoryRoot: pinsRoot });
  }
  return platform;
}
