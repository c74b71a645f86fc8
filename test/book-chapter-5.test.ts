// The platform of the book's chapter 5 (docs/book-chapter-5.md), as the page writes it: run,
// synthesized, every object validated, tenants isolated, with no escape hatch.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { expectPlatform, Platform, Testing } from '../src';
import { docBlocks, program } from './support/doc-blocks';
import { modelOf } from './support/models';
import { HAS_SCHEMAS, crdErrors } from './support/schemas';

const root = path.resolve(__dirname, '..');
const page = path.join(root, 'docs', 'book-chapter-5.md');
const code = docBlocks(page).filter((b) => b.lang === 'ts').map((b) => b.code);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'chapter-5-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/**
 * The page's code on AKS: the same platform with the Azure words the page names (each
 * replacement must apply, so a change of the page that breaks one fails here).
 */
function onAks(source: string): string {
  const swaps: [RegExp, string][] = [
    [/SecretStore\.awsSecretsManager\(\{ region: 'eu-west-1' \}\)/g, "SecretStore.azureKeyVault({ vaultName: 'acme-platform', resourceGroupName: 'rg-platform' })"],
    [/TerraformBackend\.s3\(\{[^}]*\}\)/g, "TerraformBackend.azurerm({ resourceGroupName: 'rg-tfstate', storageAccountName: 'acmetfstate' })"],
    [/\n\s*adminRoleArns: \[[^\]]*\],/g, ''],
    // an EKS identity provider (AKS signs people in with Entra ID)
    [/\n\s*\/\/ people sign in with[^\n]*\n\s*identityProvider: \{[^}]*\},/g, ''],
    [/Cloud\.eks\(\{\n(\s*)region: 'eu-west-1',/g, "Cloud.aks({\n$1location: 'westeurope',"],
    // AKS names a group in RBAC by its Entra ID object id: the teams' groups gain theirs
    [/Group\.named\('((?:dev)?team-a)'\)/g, "Group.anyOf(['$1', '00000000-0000-0000-0000-0000000000aa'])"],
    [/ExternalDnsProvider\.AWS,/g, "ExternalDnsProvider.AZURE, azure: { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroupName: 'rg-dns' },"],
  ];
  let out = source;
  for (const [re, to] of swaps) {
    expect(re.test(out), `the page's code has ${re}`).toBe(true);
    out = out.replace(re, to);
  }
  expect(out).not.toMatch(/eks|aws|s3/i);
  return out;
}

async function declare(cloud: 'eks' | 'aks' = 'eks'): Promise<Platform> {
  const dir = path.join(root, '.vitest', 'chapter-5');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `platform-${cloud}.ts`);
  fs.writeFileSync(file, program(cloud === 'eks' ? code : code.map(onAks), '../../src'));
  const previous = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = path.join(tmp, cloud, 'dist');
  try {
    return (await import(file) as { run(): Platform }).run();
  } finally {
    if (previous === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = previous;
  }
}

const CRD_GROUPS = ['argoproj.io', 'external-secrets.io', 'cert-manager.io', 'gateway.networking.k8s.io'];

describe('the book\'s chapter 5 platform', () => {
  it('is declared with the public API only: no object added to a chart or a stack, no raw values', () => {
    expect(code.length).toBeGreaterThan(0);
    const source = code.join('\n');
    expect(source.match(/\.(chart|stack)\b|ApiObject|rawValues|addOverride|addOutput|cdktf|@cdktf/g) ?? []).toEqual([]);
    expect(source).toContain('new NamespaceTenant(dev, \'devteam-a\'');
    expect(source).toContain('new TenantVCluster(dev, \'team-a\'');
  });

  it('synthesizes (with the policy pass) and every object passes its upstream schema', async () => {
    const platform = await declare();
    const written = fs.readdirSync(path.join(tmp, 'eks', 'dist'));
    expect(written).toEqual(expect.arrayContaining(['clusters', 'catalog', 'terraform', 'PLATFORM.md', 'platform.json']));
    const { files } = Testing.render(platform);
    let crds = 0;
    let models = 0;
    for (const [f, text] of files) {
      if (f.endsWith('.json')) {
        expect(() => JSON.parse(text), f).not.toThrow();
        continue;
      }
      if (!f.endsWith('.yaml') || f.endsWith('values.yaml') || /\/(env|clusters)\/[^/]+\.yaml$/.test(f) && f.startsWith('catalog/')) continue;
      const obj = parse(text);
      if (!obj?.kind) continue;
      const group = String(obj.apiVersion).includes('/') ? String(obj.apiVersion).split('/')[0] : '';
      if (CRD_GROUPS.includes(group) && HAS_SCHEMAS) {
        expect(crdErrors(obj), f).toEqual([]);
        crds++;
      } else if (['Namespace', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'RoleBinding'].includes(obj.kind)) {
        expect(() => modelOf(obj).validate(), f).not.toThrow();
        models++;
      }
    }
    console.log(`chapter 5: ${files.size} files, ${crds} objects checked against upstream CRDs${HAS_SCHEMAS ? '' : ' (skipped: ../shared/schemas not found)'}, ${models} against kubernetes-models, ${platform.warnings.length} warnings${platform.warnings.map((w) => `\n  [${w.path}] ${w.message.slice(0, 160)}...`).join('')}`);
    expect(models).toBeGreaterThan(10);
    if (HAS_SCHEMAS) expect(crds).toBeGreaterThan(30);
    expect(platform.warnings).toEqual([]);
    expectPlatform(platform).toHaveIsolatedTenants();
    expectPlatform(platform).toHaveNoSecretData();
    expectPlatform(platform).toReferenceOnlyExistingPaths();
  });

  it('synthesizes on AKS too, with no escape hatch and no warning: the library creates the add-ons\' Azure identities', async () => {
    const platform = await declare('aks');
    expect(platform.warnings).toEqual([]);
    const { files } = Testing.render(platform);
    const state = (c: string) => JSON.parse(files.get(`terraform/${c}/cdk.tf.json`)!) as { resource: Record<string, Record<string, any>> };
    expect(Object.keys(state('mgmt').resource)).toContain('azurerm_kubernetes_cluster');
    // the dev fleet cluster's External Secrets and external-dns run as identities its own state creates
    const dev = state('dev').resource;
    const federated = Object.values(dev.azurerm_federated_identity_credential ?? {}).map((c) => c.subject as string);
    expect(federated).toEqual(expect.arrayContaining(['system:serviceaccount:external-secrets:external-secrets', 'system:serviceaccount:external-dns:external-dns']));
    expectPlatform(platform).toHaveIsolatedTenants();
    expectPlatform(platform).toHaveNoSecretData();
    expectPlatform(platform).toReferenceOnlyExistingPaths();
  });

  it('runs every stack of table 5.1 on both clusters, and fences both teams', async () => {
    const platform = await declare();
    const rendered = Testing.render(platform);
    for (const cluster of ['mgmt', 'dev']) {
      // the management cluster installs its own External Secrets (Application external-secrets)
      for (const tool of ['envoy-gateway', 'external-dns', 'cert-manager', 'kyverno', ...(cluster === 'dev' ? ['external-secrets'] : []), 'kube-prometheus-stack', 'opencost', 'loki', 'nfs-provisioner']) {
        expect(rendered.data.matrix[cluster]?.[tool], `${cluster} runs ${tool}`).toBeDefined();
      }
    }
    const project = (name: string) => parse(rendered.files.get(`clusters/mgmt/argocd/appproject-${name}.yaml`)!).spec;
    expect(project('team-devteam-a').destinations).toEqual([{ name: 'dev', namespace: 'devteam-a' }]);
    expect(project('tenant-team-a').destinations).toEqual([{ name: 'vc-team-a', namespace: '*' }]);
    // the book's registration label, next to the library's
    const registration = parse(rendered.files.get('clusters/mgmt/argocd/externalsecret-cluster-vc-team-a.yaml')!);
    expect(registration.spec.target.template.metadata.labels).toMatchObject({ 'env': 'vdev', 'environment': 'dev', 'tenant': 'team-a', 'argocd.argoproj.io/secret-type': 'cluster' });
  });
});
