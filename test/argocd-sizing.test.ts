import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  ClusterSelector, FleetCluster, Group, HelmChart, ManagementCluster, PlatformValidationError, ServiceCatalogEntry, ShardingAlgorithm, TenantVCluster,
} from '../src';
import { awsMgmt, awsPlatform, eksCloud } from './support/fixtures';

/** A /20 per cluster: 4,096 of them fit in 10.0.0.0/8. */
const cidr = (i: number) => `10.${16 + Math.floor(i / 16)}.${(i % 16) * 16}.0/20`;

function fleetPlatform(fleet: number, entries = 0, argocd = {}) {
  const platform = awsPlatform();
  const mgmt = awsMgmt(platform, { argocd: { adminGroups: ['platform-admins'], ...argocd } });
  for (let i = 0; i < fleet; i++) new FleetCluster(mgmt, `fleet-${i}`, { environment: 'dev', cloud: eksCloud(cidr(i)), labels: { tier: 'all' } });
  for (let i = 0; i < entries; i++) {
    new ServiceCatalogEntry(platform, `tool-${i}`, {
      chart: HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: `tool-${i}`, version: '1.0.0' }),
      namespace: `tool-${i}`,
      targets: ClusterSelector.labels({ tier: 'all' }),
    });
  }
  return { platform, mgmt };
}

const argoValues = (files: Map<string, string>, hub = 'mgmt') => parse(files.get(`clusters/${hub}/argocd/application-argo-cd.yaml`)!).spec.sources[0].helm.valuesObject;

describe('the management Argo CD is sized from the fleet it steers', () => {
  it('a 3-cluster platform: one controller, no sharding, two repo servers, two ApplicationSet controllers with leader election', () => {
    const { platform, mgmt } = fleetPlatform(2);
    expect(mgmt.argoCdSizing).toEqual({
      clusters: 3, applications: 5, controllerReplicas: 1, shardingAlgorithm: ShardingAlgorithm.CONSISTENT_HASHING,
      repoServerReplicas: 2, applicationSetReplicas: 2, processors: { status: 20, operation: 10 },
    });
    const values = argoValues(platform.render());
    expect(values.controller.replicas).toBe(1);
    expect(values.configs.params).toEqual({ 'applicationsetcontroller.enable.leader.election': true });
    // fixed replicas: the chart's autoscalers scale on utilization no pod reports here (Degraded, FailedGetResourceMetric)
    // highly available: a drain evicts one replica at a time
    const pdb = { enabled: true, maxUnavailable: 1 };
    // requests (the chart has none: the first pods a node under memory pressure evicts), no limits
    expect(values.repoServer).toEqual({ replicas: 2, pdb, resources: { requests: { cpu: '100m', memory: '256Mi' } } });
    // each server divides the login rate limit by their number (Argo CD's HA guide)
    expect(values.server).toEqual({ replicas: 2, pdb, resources: { requests: { cpu: '50m', memory: '128Mi' } }, env: [{ name: 'ARGOCD_API_SERVER_REPLICAS', value: '2' }] });
    expect(values.controller.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' } });
    expect(values.applicationSet.replicas).toBe(2);
  });

  it('a 300-cluster platform: three controller shards with consistent hashing; Applications add shards and repo servers', () => {
    const small = fleetPlatform(299);
    expect(small.mgmt.argoCdSizing).toMatchObject({ clusters: 300, applications: 302, controllerReplicas: 3, repoServerReplicas: 2 });
    const v = small.mgmt.argoCdValues as any;
    expect(v.controller.replicas).toBe(3);
    expect(v.configs.params['controller.sharding.algorithm']).toBe('consistent-hashing');
    expect(v.configs.params['controller.status.processors']).toBeUndefined();

    // ten catalog entries on every fleet cluster: 2,990 more Applications
    for (let i = 0; i < 10; i++) {
      new ServiceCatalogEntry(small.platform, `tool-${i}`, {
        chart: HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: `tool-${i}`, version: '1.0.0' }),
        namespace: `tool-${i}`,
        targets: ClusterSelector.labels({ tier: 'all' }),
      });
    }
    expect(small.mgmt.argoCdSizing).toMatchObject({ clusters: 300, applications: 3292, controllerReplicas: 4, repoServerReplicas: 4, processors: { status: 50, operation: 25 } });
    const b = small.mgmt.argoCdValues as any;
    expect(b.controller.replicas).toBe(4);
    expect(b.repoServer).toMatchObject({ replicas: 4, pdb: { enabled: true, maxUnavailable: 1 } });
    expect(b.configs.params).toMatchObject({ 'controller.status.processors': 50, 'controller.operation.processors': 25 });
  });

  it('the thresholds, the algorithm and the replicas are props', () => {
    const tuned = fleetPlatform(99, 0, { clustersPerShard: 50, shardingAlgorithm: ShardingAlgorithm.ROUND_ROBIN });
    expect(tuned.mgmt.argoCdSizing).toMatchObject({ clusters: 100, controllerReplicas: 2, shardingAlgorithm: 'round-robin' });
    expect((tuned.mgmt.argoCdValues as any).configs.params['controller.sharding.algorithm']).toBe('round-robin');
    expect(fleetPlatform(2, 0, { controllerReplicas: 3 }).mgmt.argoCdSizing.controllerReplicas).toBe(3);
    expect(fleetPlatform(2, 0, { highAvailability: false }).mgmt.argoCdSizing).toMatchObject({ controllerReplicas: 1, repoServerReplicas: 1, applicationSetReplicas: 1 });
  });

  it('counts tenant virtual clusters and their Applications', () => {
    const { platform, mgmt } = fleetPlatform(1);
    const host = mgmt.fleet[0];
    for (let i = 0; i < 150; i++) new TenantVCluster(host, `team-${i}`, { owners: Group.named(`team-${i}`), repositories: [`https://github.com/acme/team-${i}.git`] });
    expect(platform.node.findAll().length).toBeGreaterThan(150);
    expect(mgmt.argoCdSizing).toMatchObject({ clusters: 152, applications: 4 + 300, controllerReplicas: 2 });
  });

  it('pins a cluster to a shard through its cluster Secret, and refuses a shard the controller does not run', () => {
    const { platform, mgmt } = fleetPlatform(0, 0, { controllerReplicas: 2 });
    new FleetCluster(mgmt, 'prod', { environment: 'prod', cloud: eksCloud(cidr(1)), argocdShard: 1 });
    const secret = parse(platform.render().get('clusters/mgmt/argocd/externalsecret-cluster-prod.yaml')!);
    expect(secret.spec.target.template.data.shard).toBe('1');

    const one = fleetPlatform(0);
    new FleetCluster(one.mgmt, 'prod', { environment: 'prod', cloud: eksCloud(cidr(1)), argocdShard: 1 });
    expect(() => one.platform.render()).toThrow('[platform/mgmt/prod] argocdShard: got 1. Allowed: a shard of management cluster "mgmt", 0 to 0 (its application controller runs 1 replica). Fix: lower argocdShard, or raise argocd.controllerReplicas on "mgmt".');
    expect(() => new FleetCluster(one.mgmt, 'bad', { environment: 'prod', cloud: eksCloud(cidr(2)), argocdShard: -1 })).toThrow(
      '[platform/mgmt/bad] argocdShard: got -1. Allowed: a whole number from 0 (shards are numbered from 0). Fix: set the shard number, or leave argocdShard out to let the sharding algorithm assign the cluster.');
    expect(() => fleetPlatform(0, 0, { controllerReplicas: 0 })).toThrow('[platform/mgmt] argocd.controllerReplicas: got 0. Allowed: a whole number of at least 1');
  });
});

describe('several management clusters in one platform (one per region)', () => {
  function twoHubs() {
    const platform = awsPlatform();
    const eu = new ManagementCluster(platform, 'hub-eu', { cloud: eksCloud('10.0.0.0/16') });
    const us = new ManagementCluster(platform, 'hub-us', { cloud: eksCloud('10.1.0.0/16', { region: 'us-east-1' }), argocd: { hostname: 'argocd-hub-us.platform.acme.dev' } });
    return { platform, eu, us };
  }

  it('each owns its part of the fleet: its folder registers only its own clusters and tenants, and it is sized for them', () => {
    const { platform, eu, us } = twoHubs();
    for (let i = 0; i < 3; i++) new FleetCluster(eu, `eu-${i}`, { environment: 'dev', cloud: eksCloud(cidr(i)) });
    new FleetCluster(us, 'us-0', { environment: 'dev', cloud: eksCloud(cidr(10), { region: 'us-east-1' }) });
    const files = [...platform.render().keys()];
    const registrations = (hub: string) => files.filter((f) => f.startsWith(`clusters/${hub}/argocd/externalsecret-cluster-`)).map((f) => f.replace(/.*externalsecret-cluster-|\.yaml$/g, ''));
    expect(registrations('hub-eu')).toEqual(['eu-0', 'eu-1', 'eu-2']);
    expect(registrations('hub-us')).toEqual(['us-0']);
    expect(eu.argoCdSizing.clusters).toBe(4);
    expect(us.argoCdSizing.clusters).toBe(2);
  });

  it('refuses a cluster registered twice: the same name under two hubs, or a tenant virtual cluster named like another hub\'s cluster', () => {
    const { platform, eu, us } = twoHubs();
    new FleetCluster(eu, 'edge', { environment: 'dev', cloud: eksCloud(cidr(1)) });
    new FleetCluster(us, 'vc-team-a', { environment: 'dev', cloud: eksCloud(cidr(2), { region: 'us-east-1' }) });
    const host = new FleetCluster(eu, 'eu-host', { environment: 'dev', cloud: eksCloud(cidr(3)) });
    new TenantVCluster(host, 'team-a', { owners: Group.named('team-a') });
    let error: PlatformValidationError | undefined;
    try {
      platform.validate();
      platform.render();
    } catch (e) {
      error = e as PlatformValidationError;
    }
    expect(error).toBeInstanceOf(PlatformValidationError);
    expect(error!.problems.map((p) => `[${p.path}] ${p.message}`)).toContain(
      '[platform/hub-us/vc-team-a] Argo CD cluster name "vc-team-a" of fleet cluster platform/hub-us/vc-team-a is already registered by tenant virtual cluster platform/hub-eu/eu-host/team-a in management cluster "hub-eu"; registering it again in management cluster "hub-us" would put one cluster under two registrations. Fix: give each cluster (and each tenant, whose virtual cluster is "vc-<tenant>") a name unique across all management clusters of the platform.');

    const again = twoHubs();
    new FleetCluster(again.eu, 'edge', { environment: 'dev', cloud: eksCloud(cidr(1)) });
    new FleetCluster(again.us, 'edge', { environment: 'dev', cloud: eksCloud(cidr(2), { region: 'us-east-1' }) });
    expect(() => again.platform.render()).toThrow('[platform/hub-us/edge] duplicate cluster name "edge": also declared at platform/hub-eu/edge. Fix: give each cluster a unique name.');
  });

  it('refuses a fleet cluster named like its hub\'s own outputs, whose ExternalSecret its registration\'s would be', () => {
    const { platform, eu, us } = twoHubs();
    new FleetCluster(eu, 'hub-eu-outputs', { environment: 'dev', cloud: eksCloud(cidr(1)) });
    // another hub's outputs are another folder's
    new FleetCluster(us, 'hub-eu-outputs2', { environment: 'dev', cloud: eksCloud(cidr(2), { region: 'us-east-1' }) });
    expect(platform.validate().filter((p) => p.severity !== 'warning').map((p) => `[${p.path}] ${p.message}`)).toEqual([
      '[platform/hub-eu/hub-eu-outputs] name: got "hub-eu-outputs". Allowed: a name other than "hub-eu-outputs": the ExternalSecret that registers it, cluster-hub-eu-outputs in namespace argocd of management cluster "hub-eu", '
      + 'is the name of the one that merges "hub-eu"\'s own outputs into its registration. Fix: rename the fleet cluster.',
    ]);
  });
});
