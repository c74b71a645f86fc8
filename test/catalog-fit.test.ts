// Would every pod of the built-in catalog be scheduled on the node pools the library declares by
// default? Each built-in entry whose chart is among the upstream chart sources is rendered once
// through the real helm, with exactly the values the library gives it, and each pod template's
// requests are compared with the allocatable capacity of the smallest node a catalog pod lands on
// by default: the machine types are read from the Terraform the library renders for clusters
// with default node pools, so a smaller default would be checked too.
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { AcmeSolver, Catalog, ExternalDnsProvider, FleetCluster, renderApplications, RenderedApplication } from '../src';
import { Quantity } from '../src/model/quantity';
import { awsMgmt, awsPlatform, azureMgmt, azurePlatform, eksCloud, terraform } from './support/fixtures';
import { CACHE_DIR, chartToolsMissing, helmBinary, preparedCharts } from './support/helm';

/**
 * The default machine types: vCPUs, memory and the pods one node takes (which sizes the
 * memory the cloud reserves). A new default machine type needs its row here.
 */
const MACHINES: Record<string, { readonly cloud: 'aks' | 'eks'; readonly cpus: number; readonly memoryGiB: number; readonly maxPods: number }> = {
  // Azure CNI Overlay (the library's network plugin mode) takes 250 pods a node by default
  // https://learn.microsoft.com/azure/aks/azure-cni-overlay
  Standard_D4ds_v5: { cloud: 'aks', cpus: 4, memoryGiB: 16, maxPods: 250 },
  // the VPC CNI without prefix delegation: 3 ENIs x (10 IPv4 addresses - 1) + 2 = 29 pods
  // (amazon-eks-ami, eni-max-pods.txt)
  'm7i.large': { cloud: 'eks', cpus: 2, memoryGiB: 8, maxPods: 29 },
};

/** What the kubelet reports: capacity less the memory the kernel keeps, a conservative 6% of the nominal size. */
const KERNEL_SHARE = 0.06;
/** The hard eviction threshold both clouds set (`memory.available<100Mi`). */
const EVICTION_MIB = 100;

/**
 * A machine's allocatable CPU (millicores) and memory (MiB) on its cloud, from the documented
 * reservations:
 * - AKS (Kubernetes 1.29 and later): kube-reserved memory is the lesser of 20 MB per pod the node
 *   takes plus 50 MB, and 25% of the memory; kube-reserved CPU by cores: 1 -> 60m, 2 -> 100m,
 *   4 -> 140m, 8 -> 180m, 16 -> 260m, 32 -> 420m, 64 -> 740m; eviction below 100 Mi.
 *   https://learn.microsoft.com/azure/aks/node-resource-reservations
 * - EKS (the EKS-optimized AMIs' kubelet configuration, amazon-eks-ami): kube-reserved memory
 *   11 MiB per pod the node takes plus 255 MiB; kube-reserved CPU 6% of the first core, 1% of the
 *   second, 0.5% of the third and fourth, 0.25% of each further one; eviction below 100 Mi.
 *   https://github.com/awslabs/amazon-eks-ami
 * Both are taken off the nominal size less {@link KERNEL_SHARE}: lower than a node reports.
 */
function allocatable(machine: string): { cpu: number; memory: number } {
  const m = MACHINES[machine];
  if (!m) throw new Error(`no size known for the default machine type "${machine}": add it to MACHINES in this test`);
  const nominal = m.memoryGiB * 1024;
  const capacity = nominal * (1 - KERNEL_SHARE);
  if (m.cloud === 'aks') {
    const cpuReserved: Record<number, number> = { 1: 60, 2: 100, 4: 140, 8: 180, 16: 260, 32: 420, 64: 740 };
    const memReserved = Math.min((20 * m.maxPods + 50) * 1e6 / 2 ** 20, 0.25 * nominal);
    return { cpu: m.cpus * 1000 - cpuReserved[m.cpus], memory: capacity - memReserved - EVICTION_MIB };
  }
  const cores = [0.06, 0.01, 0.005, 0.005];
  const cpuReserved = Array.from({ length: m.cpus }, (_, i) => 1000 * (cores[i] ?? 0.0025)).reduce((a, b) => a + b, 0);
  return { cpu: m.cpus * 1000 - cpuReserved, memory: capacity - (11 * m.maxPods + 255) - EVICTION_MIB };
}

/**
 * The machine types of the pools a catalog pod lands on by default: the untainted ones. On AKS
 * the system pool takes critical add-ons only (`only_critical_addons_enabled`: the
 * `CriticalAddonsOnly` taint), so catalog pods go to the user pool.
 */
function defaultWorkloadMachines(): { cloud: string; machine: string; pool: string }[] {
  const aws = awsPlatform();
  awsMgmt(aws);
  const eks = terraform(aws.render(), 'mgmt').resource;
  const azure = azurePlatform();
  azureMgmt(azure);
  const aks = terraform(azure.render(), 'mgmt').resource;
  const untainted = (taints: unknown[] | undefined, effect: (t: any) => string) => !(taints ?? []).some((t) => /^(NO_SCHEDULE|NO_EXECUTE|NoSchedule|NoExecute)$/.test(effect(t)));
  return [
    ...Object.values<any>(eks.aws_eks_node_group).filter((g) => untainted(g.taint, (t) => t.effect)).flatMap((g) => g.instance_types.map((machine: string) => ({ cloud: 'EKS', machine, pool: g.node_group_name_prefix.replace(/-$/, '') }))),
    ...Object.values<any>(aks.azurerm_kubernetes_cluster).map((c) => c.default_node_pool).filter((p) => !p.only_critical_addons_enabled && untainted(p.node_taints, (t) => t.split(':')[1])).map((p) => ({ cloud: 'AKS', machine: p.vm_size, pool: p.name })),
    ...Object.values<any>(aks.azurerm_kubernetes_cluster_node_pool).filter((p) => untainted(p.node_taints, (t) => t.split(':')[1])).map((p) => ({ cloud: 'AKS', machine: p.vm_size, pool: p.name })),
  ];
}

/** Every built-in entry, each on exactly one cluster: the management pillars on mgmt, the fleet stacks on prod. */
function catalogPlatform(): Map<string, string> {
  const platform = awsPlatform();
  const mgmt = awsMgmt(platform);
  new FleetCluster(mgmt, 'prod', {
    environment: 'prod', cloud: eksCloud('10.30.0.0/16'),
    labels: { 'security-basic': 'enabled', 'core-basic': 'enabled', 'monitoring-basic': 'enabled', 'monitoring-medium': 'enabled', 'storage-basic': 'enabled' },
  });
  const [gateway] = Catalog.coreBasic(platform, { dns: { provider: ExternalDnsProvider.AWS, domainFilters: ['acme.dev'] } });
  Catalog.securityBasic(platform, {
    acme: { email: 'platform@acme.dev', solver: AcmeSolver.http01Gateway({ gatewayName: 'public', gatewayNamespace: 'envoy-gateway-system' }) },
    certManagerDependsOn: [gateway],
  });
  Catalog.monitoringBasic(platform);
  Catalog.monitoringMedium(platform);
  Catalog.storageBasic(platform, { server: 'nfs.acme.internal', path: '/exports/k8s' });
  Catalog.ingressNginx(platform);
  Catalog.reloader(platform);
  Catalog.vault(platform);
  Catalog.openBao(platform);
  Catalog.crossplane(platform);
  Catalog.atlantis(platform, { orgAllowlist: 'github.com/acme/*', githubUser: 'acme-atlantis', url: 'https://atlantis.acme.dev' });
  Catalog.argoWorkflows(platform);
  Catalog.actionsRunnerController(platform);
  Catalog.gitlabRunner(platform, { gitlabUrl: 'https://gitlab.com/' });
  Catalog.chartMuseum(platform);
  return platform.render();
}

type Resources = { cpu?: string; memory?: string };
interface Container { name: string; restartPolicy?: string; resources?: { requests?: Resources; limits?: Resources } }

/** A container's request of a resource in base units (cores, bytes): the request, else the limit (the API server copies it), else none. */
function requestOf(c: Container, resource: 'cpu' | 'memory'): number | undefined {
  const text = c.resources?.requests?.[resource] ?? c.resources?.limits?.[resource];
  return text === undefined ? undefined : Quantity.of(String(text)).approximate;
}

/**
 * A pod's effective request, by Kubernetes' rules: its containers and its sidecars (init
 * containers with `restartPolicy: Always`) add up; each other init container runs alone beside
 * the sidecars started before it, so the pod needs the largest of those sums too.
 * https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/#resource-sharing-within-containers
 */
function podRequest(spec: { containers?: Container[]; initContainers?: Container[] }, resource: 'cpu' | 'memory'): number {
  let sidecars = 0;
  let initPeak = 0;
  for (const c of spec.initContainers ?? []) {
    if (c.restartPolicy === 'Always') sidecars += requestOf(c, resource) ?? 0;
    else initPeak = Math.max(initPeak, sidecars + (requestOf(c, resource) ?? 0));
  }
  const running = (spec.containers ?? []).reduce((sum, c) => sum + (requestOf(c, resource) ?? 0), 0) + sidecars;
  return Math.max(running, initPeak);
}

interface PodTemplate {
  readonly entry: string;
  /** `Kind/name`. */
  readonly object: string;
  readonly kind: string;
  readonly origin: string;
  /** Millicores and MiB. */
  readonly cpu: number;
  readonly memory: number;
  /** Long-running containers with no CPU or no memory request. */
  readonly unrequested: string[];
}

const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];

/** The pod templates of the charts' output; Prometheus and Alertmanager are the operator's StatefulSets, sized by `spec.resources`. */
function podTemplates(r: RenderedApplication): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const { object: o, origin } of r.objects.filter((x) => x.origin.startsWith(`${r.chart!.name} ${r.chart!.version}: `))) {
    let spec: { containers?: Container[]; initContainers?: Container[] } | undefined;
    if (WORKLOADS.includes(o?.kind)) spec = o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template?.spec : o.spec?.template?.spec;
    else if (['Prometheus', 'Alertmanager'].includes(o?.kind) && String(o.apiVersion).startsWith('monitoring.coreos.com/')) spec = { containers: [{ name: o.kind.toLowerCase(), resources: o.spec?.resources }] };
    if (!spec) continue;
    const longRunning = ['Deployment', 'StatefulSet', 'DaemonSet', 'Prometheus', 'Alertmanager'].includes(o.kind);
    const unrequested = longRunning
      ? [...spec.initContainers?.filter((c) => c.restartPolicy === 'Always') ?? [], ...spec.containers ?? []].filter((c) => requestOf(c, 'cpu') === undefined || requestOf(c, 'memory') === undefined).map((c) => c.name)
      : [];
    out.push({
      entry: r.application.catalogEntry ?? r.application.name, object: `${o.kind}/${o.metadata.name}`, kind: o.kind, origin,
      cpu: podRequest(spec, 'cpu') * 1000, memory: podRequest(spec, 'memory') / 2 ** 20, unrequested,
    });
  }
  return out;
}

const missing = chartToolsMissing();
if (missing) console.log(`skipping the catalog fit tests through the real helm: ${missing}`);

describe.skipIf(missing)('every pod of the built-in catalog fits the smallest node the library declares by default', () => {
  let rendered: RenderedApplication[] = [];
  let pods: PodTemplate[] = [];
  let nodes: { cloud: string; machine: string; pool: string; cpu: number; memory: number }[] = [];
  const fmt = (p: { cpu: number; memory: number }) => `${Math.round(p.cpu)}m CPU, ${Math.round(p.memory)} MiB`;

  beforeAll(async () => {
    const c = preparedCharts();
    // one render per chart: each entry targets one cluster; no second pass with the clusters' API versions (it changes no pod)
    rendered = (await renderApplications(catalogPlatform(), {
      helm: helmBinary(), chartsDir: c.chartsDir, standIns: c.standIns, cacheDir: CACHE_DIR,
      // and the management cluster's Argo CD, which shares its nodes with the catalog there
      onMissing: 'skip', clusterApiVersions: false, filter: (a) => a.catalogEntry !== undefined || a.name === 'argo-cd',
    }));
    const skipped = rendered.filter((r) => r.chartSkipped).map((r) => r.application.catalogEntry);
    if (skipped.length) console.log(`catalog fit: not rendered (chart not among the upstream sources): ${skipped.join(', ')}`);
    const absent = Object.entries(c.missingDependencies).map(([chart, deps]) => `${chart} (${deps.join(', ')})`);
    if (absent.length) console.log(`catalog fit: subcharts missing from the upstream sources, not rendered: ${absent.join('; ')}`);
    pods = rendered.filter((r) => r.chart).flatMap(podTemplates);
    nodes = defaultWorkloadMachines().map((n) => ({ ...n, ...allocatable(n.machine) }));
  }, 300_000);

  it('renders each entry whose chart is available once, and finds the default workload pools of both clouds', () => {
    const entries = rendered.map((r) => r.application.catalogEntry ?? r.application.name);
    expect(new Set(entries).size).toBe(entries.length);
    expect(rendered.filter((r) => r.chart).map((r) => r.application.catalogEntry ?? r.application.name).sort()).toEqual(expect.arrayContaining([
      'argo-cd', 'argo-workflows', 'atlantis', 'cert-manager', 'crossplane', 'envoy-gateway', 'external-dns', 'external-secrets', 'kube-prometheus-stack', 'kyverno', 'loki', 'nfs-provisioner', 'opencost', 'reloader',
    ]));
    expect(pods.length).toBeGreaterThan(30);
    expect(nodes.map((n) => `${n.cloud} ${n.pool}: ${n.machine}`)).toEqual(['EKS system: m7i.large', 'AKS user: Standard_D4ds_v5']);
  });

  it('Atlantis: the chart renders no Ingress and a ClusterIP Service, the one the entry\'s default route sends to, and gets its URL for links and webhooks', () => {
    const r = rendered.find((x) => x.application.catalogEntry === 'atlantis' && x.chart);
    expect(r).toBeDefined();
    const objects = r!.objects.map((o) => o.object);
    // the chart's own Ingress has no class and no host: no controller would take it (Progressing for ever)
    expect(objects.filter((o) => o.kind === 'Ingress')).toEqual([]);
    const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'atlantis');
    expect(service.spec.type).toBe('ClusterIP');
    // the route of the default exposure (shared Gateway, no url) names this Service and one of its ports
    const platform = awsPlatform();
    awsMgmt(platform, { labels: { 'core-basic': 'enabled', 'security-basic': 'enabled' } });
    const [gateway] = Catalog.coreBasic(platform, { https: {}, dns: { provider: ExternalDnsProvider.AWS, domainFilters: ['acme.dev'] } });
    Catalog.certManager(platform, { acme: { email: 'a@acme.dev', solver: AcmeSolver.dns01Route53({ region: 'eu-west-1', hostedZoneId: 'Z1' }) }, dependsOn: [gateway] });
    Catalog.atlantis(platform, { orgAllowlist: 'github.com/acme/*', githubUser: 'acme-atlantis' });
    const route = parse(platform.render().get('catalog/atlantis/manifests/all/httproute-atlantis.yaml')!);
    for (const b of route.spec.rules.flatMap((x: any) => x.backendRefs)) {
      expect([b.name, service.spec.ports.some((p: any) => p.port === b.port)]).toEqual([service.metadata.name, true]);
    }
    // the URL of its comments' links and of the webhook GitHub calls
    const pod = objects.find((o) => o.kind === 'StatefulSet' || o.kind === 'Deployment').spec.template.spec;
    expect(pod.containers.flatMap((c: any) => c.env ?? []).find((e: any) => e.name === 'ATLANTIS_ATLANTIS_URL')?.value).toBe('https://atlantis.acme.dev');
  });

  it('kube-prometheus-stack keeps Prometheus\'s database on a volume of the cluster\'s default class, under a size cap, not in an emptyDir on the node\'s disk', () => {
    const stack = rendered.find((r) => r.application.catalogEntry === 'kube-prometheus-stack' && r.chart);
    const prometheus = stack!.objects.map((o) => o.object).find((o) => o.kind === 'Prometheus');
    const claim = prometheus.spec.storage?.volumeClaimTemplate?.spec;
    expect(claim?.storageClassName).toBeUndefined();
    expect(claim?.resources?.requests?.storage).toBe('50Gi');
    // the cap stays under the volume (Quantity: Gi are 2^30 bytes, GB 10^9), with room for the write-ahead log
    const capBytes = Number(/^(\d+)GB$/.exec(prometheus.spec.retentionSize)![1]) * 1e9;
    expect(capBytes).toBeLessThan(0.85 * Quantity.of(claim.resources.requests.storage).approximate);
    expect(prometheus.spec.retention).toBe('15d');
  });

  it('kube-prometheus-stack watches only what a managed cluster lets it reach: no Service selects the control plane\'s pods or kube-proxy, no alert waits for their metrics', () => {
    const stack = rendered.find((r) => r.application.catalogEntry === 'kube-prometheus-stack' && r.chart);
    expect(stack).toBeDefined();
    const objects = stack!.objects.map((o) => o.object);
    // AKS and EKS run the scheduler, the controller manager and etcd where no pod selector reaches; kube-proxy
    // is Cilium's on AKS (the library's data plane) and serves its metrics on 127.0.0.1 on EKS: an alert
    // that waits for their metrics fires on day one and never stops (KubeSchedulerDown, KubeControllerManagerDown, KubeProxyDown)
    const unreachable = /kube-scheduler|kube-controller-manager|etcd|kube-proxy/;
    const selecting = objects.filter((o) => o.kind === 'Service' && Object.values<string>(o.spec?.selector ?? {}).some((v) => unreachable.test(v)));
    expect(selecting.map((o) => `Service/${o.metadata.name}`)).toEqual([]);
    const alerts = objects.filter((o) => o.kind === 'PrometheusRule').flatMap((o) => o.spec.groups.flatMap((g: { rules: { alert?: string; expr: string }[] }) => g.rules)).filter((r) => r.alert);
    expect(alerts.filter((r) => /job="[^"]*(scheduler|controller-manager|etcd|proxy)/.test(r.expr)).map((r) => r.alert)).toEqual([]);
    // what it can reach is still watched
    expect(alerts.map((r) => r.alert)).toEqual(expect.arrayContaining(['KubeAPIDown', 'KubeletDown', 'TargetDown', 'KubeNodeNotReady']));
  });

  it('every pod template\'s requests fit the allocatable capacity of the smallest default node of each cloud', () => {
    const tooLarge: string[] = [];
    for (const n of nodes) {
      for (const p of pods.filter((x) => x.cpu > n.cpu || x.memory > n.memory)) {
        tooLarge.push(`${p.entry}: ${p.object} requests ${fmt(p)}, more than a ${n.machine} node (${n.cloud} pool "${n.pool}") can allocate, ${fmt(n)} (${p.origin})`);
      }
    }
    expect(tooLarge).toEqual([]);
  });

  it('no pod template takes more than half of that node: the default pools start with two nodes, which every stack and the cloud\'s own add-ons share', () => {
    const crowding: string[] = [];
    for (const n of nodes) {
      for (const p of pods.filter((x) => x.cpu > n.cpu / 2 || x.memory > n.memory / 2)) {
        crowding.push(`${p.entry}: ${p.object} requests ${fmt(p)}, more than half of a ${n.machine} node (${fmt(n)})`);
      }
    }
    expect(crowding).toEqual([]);
  });

  it('the DaemonSets (one pod on every node) take together at most a tenth of the smallest default node', () => {
    const daemonSets = pods.filter((p) => p.kind === 'DaemonSet');
    expect(daemonSets.map((p) => p.object)).toContain('DaemonSet/loki-canary');
    const perNode = { cpu: daemonSets.reduce((a, p) => a + p.cpu, 0), memory: daemonSets.reduce((a, p) => a + p.memory, 0) };
    for (const n of nodes) {
      expect(perNode.cpu <= n.cpu / 10 && perNode.memory <= n.memory / 10, `${daemonSets.map((p) => `${p.entry}: ${p.object} ${fmt(p)}`).join('; ')} on a ${n.machine} node (${fmt(n)})`).toBe(true);
    }
  });

  it('Argo CD\'s servers divide the login rate limit by their number, which the chart does not tell them', () => {
    const argocd = rendered.find((r) => r.application.name === 'argo-cd' && r.chart)!;
    const server = argocd.objects.map((o) => o.object).find((o) => o.kind === 'Deployment' && o.metadata.name === 'argocd-server');
    const env = server.spec.template.spec.containers.find((c: Container & { env?: { name: string; value?: string }[] }) => c.name === 'server').env;
    expect(env.find((e: { name: string }) => e.name === 'ARGOCD_API_SERVER_REPLICAS')?.value).toBe(String(server.spec.replicas));
    expect(server.spec.replicas).toBe(2);
  });

  it('every long-running container (Deployments, StatefulSets, DaemonSets, Prometheus, Alertmanager) requests CPU and memory: a pod without is scheduled as if it took nothing', () => {
    // the charts' install hooks (Jobs) run to completion and are left to their charts
    expect(pods.filter((p) => p.unrequested.length).map((p) => `${p.entry}: ${p.object} (${p.unrequested.join(', ')})`)).toEqual([]);
  });
});

describe.skipIf(missing)('the catalog\'s sizes stay overridable', () => {
  it('Loki\'s chunks cache comes back through values, at the size given (1.2 x allocatedMemory MB, the chart\'s rule), with its exporter sized', async () => {
    const platform = awsPlatform();
    awsMgmt(platform, { labels: { 'monitoring-medium': 'enabled', 'storage-basic': 'enabled' } });
    Catalog.storageBasic(platform, { server: 'nfs.acme.internal', path: '/exports/k8s' });
    Catalog.loki(platform, { values: { chunksCache: { enabled: true, allocatedMemory: 1024 } } });
    const c = preparedCharts();
    const [r] = await renderApplications(platform.render(), {
      helm: helmBinary(), chartsDir: c.chartsDir, standIns: c.standIns, cacheDir: CACHE_DIR, clusterApiVersions: false, filter: (a) => a.catalogEntry === 'loki',
    });
    const caches = r.objects.map((o) => o.object).filter((o) => o.kind === 'StatefulSet' && /-cache$/.test(o.metadata.name));
    expect(caches.map((o) => o.metadata.name)).toEqual(['loki-chunks-cache']);
    expect(Object.fromEntries(caches[0].spec.template.spec.containers.map((x: Container) => [x.name, x.resources]))).toEqual({
      'memcached': { requests: { cpu: '500m', memory: '1229Mi' }, limits: { memory: '1229Mi' } },
      'exporter': { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
    });
  });
});
