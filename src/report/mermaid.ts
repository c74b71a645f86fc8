import { ClusterData, ClusterRole, PlatformData } from './platform-data';

/** Beyond this many tenants on one host, the diagram shows one node with their count. */
export const TENANTS_SHOWN_PER_HOST = 5;
/** Beyond this many fleet clusters of one environment and cloud, the diagram shows one node with their count. */
export const FLEET_SHOWN_PER_GROUP = 12;

const STORE_NAMES: Record<string, string> = {
  'azure-key-vault': 'Azure Key Vault',
  'aws-secrets-manager': 'AWS Secrets Manager',
  'vault': 'Vault / OpenBao',
};

function label(text: string): string {
  return `"${text.replace(/"/g, '#quot;')}"`;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) {
    const k = key(i);
    if (!m.has(k)) m.set(k, []);
    m.get(k)!.push(i);
  }
  return m;
}

/**
 * The topology as a Mermaid flowchart: the secret store, each management cluster, its
 * fleet grouped by environment then cloud, and tenant vClusters under their host. Large
 * groups are summarised (a count), so the diagram stays readable with thousands of tenants.
 */
export function topologyDiagram(data: PlatformData): string {
  const lines = ['flowchart LR'];
  const ids = new Map<string, string>();
  let next = 0;
  const id = (key: string) => {
    if (!ids.has(key)) ids.set(key, `n${next++}`);
    return ids.get(key)!;
  };
  const store = id('store');
  lines.push(`  ${store}[(${label(`secret store: ${STORE_NAMES[data.secretStore.kind] ?? data.secretStore.kind}`)})]`);
  const byRole = groupBy(data.clusters, (c) => c.role);
  const tenantsByHost = groupBy(byRole.get(ClusterRole.TENANT) ?? [], (c) => c.host ?? '');
  const edges: string[] = [];
  const tenantNodes = (host: ClusterData, indent: string) => {
    const ts = tenantsByHost.get(host.name) ?? [];
    if (ts.length === 0) return;
    if (ts.length > TENANTS_SHOWN_PER_HOST) {
      const n = id(`tenants:${host.name}`);
      lines.push(`${indent}${n}{{${label(`${ts.length} tenant vClusters`)}}}`);
      edges.push(`  ${id(`cluster:${host.name}`)} -.-> ${n}`);
      return;
    }
    for (const t of ts) {
      const n = id(`cluster:${t.name}`);
      lines.push(`${indent}${n}{{${label(`${t.name}<br/>tenant vCluster`)}}}`);
      edges.push(`  ${id(`cluster:${host.name}`)} -.-> ${n}`);
    }
  };
  const fleet = byRole.get(ClusterRole.FLEET) ?? [];
  for (const m of byRole.get(ClusterRole.MANAGEMENT) ?? []) {
    const mid = id(`cluster:${m.name}`);
    lines.push(`  subgraph ${id(`sub:${m.name}`)}[${label(`management cluster ${m.name}`)}]`);
    lines.push(`    ${mid}[${label(`${m.name}<br/>Argo CD · ${m.cloud} ${m.region}`)}]`);
    tenantNodes(m, '    ');
    lines.push('  end');
    edges.push(`  ${mid} -. reads .-> ${store}`);
    const own = fleet.filter((f) => f.management === m.name);
    const byEnv = groupBy(own, (f) => f.environment ?? '');
    for (const env of data.environments.filter((e) => byEnv.has(e))) {
      lines.push(`  subgraph ${id(`env:${m.name}:${env}`)}[${label(`${env}`)}]`);
      for (const [cloud, members] of groupBy(byEnv.get(env)!, (f) => f.cloud ?? '')) {
        lines.push(`    subgraph ${id(`cloud:${m.name}:${env}:${cloud}`)}[${label(cloud)}]`);
        if (members.length > FLEET_SHOWN_PER_GROUP) {
          const n = id(`fleet:${m.name}:${env}:${cloud}`);
          lines.push(`      ${n}[${label(`${members.length} fleet clusters`)}]`);
          edges.push(`  ${mid} --> ${n}`);
          const hosted = members.reduce((sum, f) => sum + (tenantsByHost.get(f.name)?.length ?? 0), 0);
          if (hosted > 0) {
            const tn = id(`tenants:${m.name}:${env}:${cloud}`);
            lines.push(`      ${tn}{{${label(`${hosted} tenant vClusters`)}}}`);
            edges.push(`  ${n} -.-> ${tn}`);
          }
        } else {
          for (const f of members) {
            lines.push(`      ${id(`cluster:${f.name}`)}[${label(`${f.name}<br/>${f.region}`)}]`);
            tenantNodes(f, '      ');
            edges.push(`  ${mid} --> ${id(`cluster:${f.name}`)}`);
          }
        }
        lines.push('    end');
      }
      lines.push('  end');
    }
  }
  const imported = byRole.get(ClusterRole.IMPORTED) ?? [];
  if (imported.length) {
    lines.push(`  ${id('imported')}[${label(`${imported.length} cluster(s) registered elsewhere`)}]`);
  }
  return [...lines, ...edges].join('\n');
}
