import { describe, expect, it } from 'vitest';
import { diffTrees, formatDiffMarkdown, formatDiffText } from '../src/cli/tree-diff';
import { ClusterSelector, FleetCluster, HelmChart, ServiceCatalogEntry, Testing } from '../src';
import { awsMgmt, awsPlatform, eksCloud } from './support/fixtures';

const secure = { 'security-basic': 'enabled' };

function tree(opts: { version?: string; replicas?: number; withProd?: boolean } = {}) {
  const platform = awsPlatform();
  const mgmt = awsMgmt(platform, { labels: secure });
  new FleetCluster(mgmt, 'dev-1', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: { ...secure, 'core-basic': 'enabled' } });
  if (opts.withProd) new FleetCluster(mgmt, 'prod-1', { environment: 'prod', cloud: eksCloud('10.40.0.0/16'), labels: { ...secure, 'core-basic': 'enabled' } });
  new ServiceCatalogEntry(platform, 'demo', {
    chart: HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'demo', version: opts.version ?? '1.2.3' }),
    namespace: 'demo',
    targets: ClusterSelector.labels({ 'core-basic': 'enabled' }),
    values: { replicas: opts.replicas ?? 1, image: { tag: 'a' } },
  });
  return Testing.render(platform).files;
}

describe('diff of two output trees', () => {
  it('reports nothing for an unchanged tree', () => {
    const d = diffTrees(tree(), tree());
    expect(formatDiffText(d)).toBe('No changes.\n');
    expect(formatDiffMarkdown(d)).toBe('## Platform diff\n\nNo changes.\n');
  });

  it('shows changed versions and values per cluster', () => {
    const d = diffTrees(tree(), tree({ version: '1.2.4', replicas: 2 }));
    expect(formatDiffText(d)).toBe('cluster dev-1: Applications\n  ~ dev-1-demo: version 1.2.3 -> 1.2.4; values changed at replicas\n');
  });

  it('shows Applications and Terraform states and resources added by a new cluster', () => {
    const d = diffTrees(tree(), tree({ withProd: true }));
    // an EKS cluster's folder (its default StorageClass) comes with its own Application
    expect(d.applications.get('prod-1')).toEqual([{ kind: 'added', name: 'cluster-prod-1', details: [] }, { kind: 'added', name: 'prod-1-demo', details: ['demo 1.2.3'] }]);
    const tf = d.terraform.get('prod-1')!;
    expect(tf.length).toBeGreaterThan(5);
    expect(tf.every((c) => c.kind === 'added')).toBe(true);
    expect(tf.some((c) => c.name.startsWith('aws_eks_cluster.'))).toBe(true);
    const text = formatDiffText(d);
    expect(text).toContain('cluster prod-1: Applications\n  + cluster-prod-1\n  + prod-1-demo: demo 1.2.3\n');
    expect(text).toContain('terraform prod-1: resources\n  + ');
    expect(text).toContain('other files\n  + clusters/mgmt/argocd/externalsecret-cluster-prod-1.yaml');
  });
});
