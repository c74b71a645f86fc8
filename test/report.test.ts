import { describe, expect, it } from 'vitest';
import {
  Catalog, ClusterSelector, expand, FleetCluster, Group, HelmChart, PLATFORM_JSON, PLATFORM_MD, PlatformData, ServiceCatalogEntry, TenantVCluster, Testing,
} from '../src';
import { awsMgmt, awsPlatform, eksCloud } from './support/fixtures';

const secure = { 'security-basic': 'enabled' };
const chart = HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'demo', version: '1.2.3' });

/** The Mermaid block of PLATFORM.md. */
function mermaidOf(md: string): string {
  const m = /```mermaid\n([\s\S]*?)\n```/.exec(md);
  if (!m) throw new Error('no mermaid block');
  return m[1];
}

/**
 * A structural check of a Mermaid flowchart (no Mermaid parser is installed): a header,
 * balanced subgraphs, one definition per node id, quoted labels, and edges between defined nodes only.
 */
function checkFlowchart(text: string): { nodes: Map<string, string>; edges: [string, string][] } {
  const lines = text.split('\n');
  expect(lines[0]).toBe('flowchart LR');
  const nodes = new Map<string, string>();
  const edges: [string, string][] = [];
  let depth = 0;
  for (const raw of lines.slice(1)) {
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^subgraph (\w+)\["([^"]*)"\]$/.exec(line))) {
      depth++;
      expect(nodes.has(m[1]), `duplicate id ${m[1]}`).toBe(false);
      nodes.set(m[1], m[2]);
    } else if (line === 'end') {
      depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
    } else if ((m = /^(\w+)(\[\("[^"]*"\)\]|\["[^"]*"\]|\{\{"[^"]*"\}\})$/.exec(line))) {
      expect(nodes.has(m[1]), `duplicate id ${m[1]}`).toBe(false);
      nodes.set(m[1], m[2].replace(/^[[({]+"|"[\])}]+$/g, ''));
    } else if ((m = /^(\w+) (-->|-\.->|-\. [\w ]+ \.->) (\w+)$/.exec(line))) {
      edges.push([m[1], m[3]]);
    } else {
      throw new Error(`not a flowchart statement: ${JSON.stringify(line)}`);
    }
  }
  expect(depth).toBe(0);
  for (const [a, b] of edges) {
    expect(nodes.has(a), `edge from undefined ${a}`).toBe(true);
    expect(nodes.has(b), `edge to undefined ${b}`).toBe(true);
  }
  return { nodes, edges };
}

/** The "What runs where" table: cluster -> entry -> version. */
function matrixOf(md: string): Record<string, Record<string, string>> {
  const section = md.split('## What runs where')[1].split('## ')[0];
  const rows = section.split('\n').filter((l) => l.startsWith('| ')).map((l) => l.slice(2, -2).split(' | ').map((c) => c.trim()));
  const [header, ...body] = rows;
  const out: Record<string, Record<string, string>> = {};
  for (const r of body) {
    for (let i = 2; i < header.length; i++) if (r[i]) (out[r[0]] ??= {})[header[i]] = r[i];
  }
  return out;
}

function platformWithCatalog() {
  const platform = awsPlatform();
  const mgmt = awsMgmt(platform, { labels: secure });
  const dev = new FleetCluster(mgmt, 'dev-1', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: { ...secure, 'core-basic': 'enabled' } });
  new FleetCluster(mgmt, 'stg-1', { environment: 'staging', cloud: eksCloud('10.30.0.0/16'), labels: { ...secure, 'core-basic': 'enabled' } });
  new FleetCluster(mgmt, 'prod-1', { environment: 'prod', cloud: eksCloud('10.40.0.0/16', { region: 'us-east-1' }), labels: secure });
  Catalog.externalSecrets(platform);
  new ServiceCatalogEntry(platform, 'demo', { chart, namespace: 'demo', targets: ClusterSelector.labels({ 'core-basic': 'enabled' }), versions: { dev: '1.3.0' } });
  new ServiceCatalogEntry(platform, 'lonely', { chart, namespace: 'lonely', targets: ClusterSelector.labels({ nobody: 'here' }) });
  new TenantVCluster(dev, 'team-a', { owners: Group.named('team-a') });
  return platform;
}

describe('PLATFORM.md and platform.json', () => {
  it('are written at the output root by every render, deterministically', () => {
    const a = platformWithCatalog().render();
    const b = platformWithCatalog().render();
    expect(a.has(PLATFORM_MD) && a.has(PLATFORM_JSON)).toBe(true);
    expect(a.get(PLATFORM_MD)).toBe(b.get(PLATFORM_MD));
    expect(a.get(PLATFORM_JSON)).toBe(b.get(PLATFORM_JSON));
  });

  it('draw the topology as a Mermaid flowchart that parses: store, management, fleet per environment and cloud, tenants', () => {
    const md = Testing.render(platformWithCatalog()).files.get(PLATFORM_MD)!;
    const { nodes, edges } = checkFlowchart(mermaidOf(md));
    const labels = [...nodes.values()];
    expect(labels).toEqual(expect.arrayContaining([
      'secret store: AWS Secrets Manager', 'management cluster mgmt', 'dev', 'staging', 'prod', 'aws', 'dev-1<br/>eu-west-1', 'vc-team-a<br/>tenant vCluster',
    ]));
    const id = (label: string) => [...nodes].find(([, l]) => l === label)![0];
    expect(edges).toContainEqual([id('mgmt<br/>Argo CD · aws eu-west-1'), id('dev-1<br/>eu-west-1')]);
    expect(edges).toContainEqual([id('dev-1<br/>eu-west-1'), id('vc-team-a<br/>tenant vCluster')]);
  });

  it('have a clusters x entries matrix equal to the offline expansion', () => {
    const platform = platformWithCatalog();
    const md = Testing.render(platform).files.get(PLATFORM_MD)!;
    const fromExpansion: Record<string, Record<string, string>> = {};
    for (const a of expand(platform)) if (a.catalogEntry) (fromExpansion[a.cluster] ??= {})[a.catalogEntry] = a.chart!.version;
    expect(matrixOf(md)).toEqual(fromExpansion);
    expect(fromExpansion['dev-1']).toEqual({ 'demo': '1.3.0', 'external-secrets': expect.any(String) });
    expect(fromExpansion['stg-1'].demo).toBe('1.2.3');
    const data = JSON.parse(Testing.render(platform).files.get(PLATFORM_JSON)!) as PlatformData;
    expect(data.matrix).toEqual(fromExpansion);
  });

  it('list the pins per environment with the next promotion, and every synth warning', () => {
    const md = Testing.render(platformWithCatalog()).files.get(PLATFORM_MD)!;
    expect(md).toContain('| demo | demo | 1.3.0 | 1.2.3 | 1.2.3 | staging: 1.2.3 -> 1.3.0 |');
    expect(md).toContain('| lonely | demo | 1.2.3 | 1.2.3 | 1.2.3 | (all environments agree) |');
    expect(md).toContain('- `platform/lonely`: catalog entry "lonely" matches no declared cluster');
  });

  it('carry every cluster\'s registration labels and annotations (Terraform outputs as placeholders) and the ApplicationSets', () => {
    const data = Testing.render(platformWithCatalog()).data;
    const dev = data.clusters.find((c) => c.name === 'dev-1')!;
    expect(dev).toMatchObject({ role: 'fleet', environment: 'dev', cloud: 'aws', region: 'eu-west-1', management: 'mgmt' });
    expect(dev.labels).toMatchObject({ 'core-basic': 'enabled', 'environment': 'dev', 'cluster_name': 'dev-1' });
    expect(dev.annotations).toMatchObject({ oidc_issuer_url: '<output:oidc_issuer_url>', aws_vpc_id: '<output:aws_vpc_id>', aws_cluster_name: 'dev-1' });
    expect(data.clusters.find((c) => c.name === 'vc-team-a')).toMatchObject({ role: 'tenant', host: 'dev-1', namespace: 'vcluster-team-a', management: 'mgmt' });
    expect(data.applicationSets.map((s) => `${s.management}:${s.file}`)).toEqual([
      'mgmt:clusters/mgmt/argocd/applicationset-demo.yaml', 'mgmt:clusters/mgmt/argocd/applicationset-external-secrets.yaml', 'mgmt:clusters/mgmt/argocd/applicationset-lonely.yaml',
    ]);
    expect(data.environments).toEqual(['dev', 'staging', 'prod']);
  });

  it('stay readable at scale: many tenants on one host and many clusters of one environment and cloud are summarised', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: secure });
    Catalog.externalSecrets(platform);
    const hosts = Array.from({ length: 14 }, (_, i) => new FleetCluster(mgmt, `dev-${i}`, { environment: 'dev', cloud: eksCloud(`10.${20 + i}.0.0/16`), labels: secure }));
    for (let i = 0; i < 40; i++) new TenantVCluster(hosts[i % 2], `team-${i}`, { owners: Group.named(`team-${i}`) });
    const md = Testing.render(platform).files.get(PLATFORM_MD)!;
    const { nodes } = checkFlowchart(mermaidOf(md));
    const labels = [...nodes.values()];
    expect(labels).toContain('14 fleet clusters');
    expect(labels).toContain('40 tenant vClusters');
    expect(labels.some((l) => l.startsWith('team-'))).toBe(false);
    expect(nodes.size).toBeLessThan(12);
  });
});
