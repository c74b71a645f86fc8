import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ApiAccess, Cloud, ManagementCluster, Platform, PlatformValidationError, SecretStore, TerraformBackend } from '../src';
import { aksCloud, azurePlatform, eksCloud } from './support/fixtures';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof PlatformValidationError) return e.problems.map((p) => `[${p.path}] ${p.message}`);
    throw e;
  }
  throw new Error('expected a PlatformValidationError');
}

describe('Platform props are checked at construction', () => {
  it('rejects a repository URL Argo CD cannot clone', () => {
    expect(() => azurePlatform({ repository: { url: 'github.com/acme/x' } })).toThrow(
      '[platform] repository.url: got "github.com/acme/x". Allowed: an https:// or ssh (git@host:org/repo.git) repository URL. Fix: set repository.url to the URL Argo CD clones, e.g. "https://github.com/acme/platform-gitops.git".');
  });

  it('rejects a repository path that leaves the repository', () => {
    expect(() => azurePlatform({ repository: { url: 'https://github.com/acme/x.git', path: '../x' } })).toThrow(
      '[platform] repository.path: got "../x". Allowed: a relative folder inside the repository, such as "dist" ("" for the root). Fix: remove leading "/", "./" and ".." segments.');
  });

  it('rejects a domain that is not a DNS name', () => {
    expect(() => azurePlatform({ domain: 'Platform' })).toThrow('[platform] domain: got "Platform". Allowed: a DNS name of two or more labels');
  });

  it('rejects environment names that are not DNS labels, and duplicates', () => {
    expect(() => azurePlatform({ environments: ['Dev'] })).toThrow('[platform] environments[0]: got "Dev". Allowed: a DNS-1123 label');
    expect(() => azurePlatform({ environments: ['dev', 'dev'] })).toThrow('environments: got ["dev","dev"]. Allowed: each environment once');
  });

  it('requires a secret store and a Terraform backend made by their factories', () => {
    expect(() => new Platform({
      repository: { url: 'https://github.com/acme/x.git' }, domain: 'acme.dev',
      secretStore: { kind: 'vault' } as any, terraformBackend: TerraformBackend.s3({ bucket: 'b', region: 'r' }),
    })).toThrow('[platform] secretStore: got {"kind":"vault"}. Allowed: SecretStore.azureKeyVault(), .awsSecretsManager() or .vault()');
    expect(() => new Platform({
      repository: { url: 'https://github.com/acme/x.git' }, domain: 'acme.dev',
      secretStore: SecretStore.vault({ server: 'https://vault.acme.dev' }), terraformBackend: undefined as any,
    })).toThrow('[platform] terraformBackend: got nothing. Allowed: TerraformBackend.azurerm() or TerraformBackend.s3()');
  });

  it('rejects label values Kubernetes would refuse', () => {
    expect(() => azurePlatform({ labels: { team: 'a b' } })).toThrow('[platform] labels["team"]: got "a b". Allowed: a Kubernetes label value');
  });
});

describe('cluster props are checked at construction', () => {
  it('names the construct path, the value and the fix for a bad cluster name', () => {
    const platform = azurePlatform();
    expect(() => new ManagementCluster(platform, 'Mgmt_1', { cloud: aksCloud() })).toThrow(
      '[platform/Mgmt_1] name: got "Mgmt_1". Allowed: a DNS-1123 label: 1 to 63 characters of lower-case letters, digits and "-", starting and ending with a letter or digit. Fix: rename it, e.g. "mgmt-1".');
  });

  it('rejects an unsupported Kubernetes version', () => {
    const platform = azurePlatform();
    expect(() => new ManagementCluster(platform, 'mgmt', { cloud: Cloud.aks({ location: 'westeurope', kubernetesVersion: '1.20', network: { cidr: '10.0.0.0/16' } }) })).toThrow(
      '[platform/mgmt] cloud.kubernetesVersion: got "1.20". Allowed: a supported Kubernetes minor version "1.N" from 1.32 to 1.35. Fix: set cloud.kubernetesVersion to a version in that range, e.g. "1.35".');
  });

  it('rejects a malformed Kubernetes version', () => {
    expect(() => new ManagementCluster(azurePlatform(), 'mgmt', { cloud: eksCloud('10.0.0.0/16', { kubernetesVersion: 'v1.33.2' }) }))
      .toThrow('[platform/mgmt] cloud.kubernetesVersion: got "v1.33.2". Allowed: a supported Kubernetes minor version "1.N" from 1.32 to 1.35. Fix: set cloud.kubernetesVersion to a version in that range, e.g. "1.35".');
  });

  it('rejects an invalid CIDR and one that overlaps the in-cluster ranges', () => {
    expect(() => new ManagementCluster(azurePlatform(), 'mgmt', { cloud: aksCloud('10.0.0.1/16') })).toThrow(
      '[platform/mgmt] cloud.network.cidr: got "10.0.0.1/16". Allowed: an IPv4 CIDR block such as "10.0.0.0/16" (prefix /8 to /24, host bits zero). Fix: set cloud.network.cidr to a valid private range.');
    expect(() => new ManagementCluster(azurePlatform(), 'mgmt', { cloud: aksCloud('172.16.0.0/12') })).toThrow(
      '[platform/mgmt] cloud.network.cidr: got "172.16.0.0/12". Allowed: a range that does not overlap the in-cluster service range 172.16.0.0/16. Fix: pick a range in 10.0.0.0/8.');
  });

  it('never opens a public API to the world', () => {
    expect(() => new ManagementCluster(azurePlatform(), 'mgmt', { cloud: aksCloud('10.0.0.0/16', { apiAccess: ApiAccess.authorizedRanges([]) }) })).toThrow(
      '[platform/mgmt] apiAccess: got []. Allowed: ApiAccess.private() or ApiAccess.authorizedRanges() with at least one range. Fix: list the CIDR ranges that may reach the API (a public endpoint open to 0.0.0.0/0 is never generated).');
    expect(() => new ManagementCluster(azurePlatform(), 'mgmt', { cloud: aksCloud('10.0.0.0/16', { apiAccess: ApiAccess.authorizedRanges(['0.0.0.0/0']) }) })).toThrow(
      '[platform/mgmt] apiAccess.authorizedRanges[0]: got "0.0.0.0/0". Allowed: an IPv4 CIDR range such as "203.0.113.0/24" (not 0.0.0.0/0). Fix: list the specific ranges that may reach the API.');
  });

  it('rejects malformed admin identities', () => {
    expect(() => new ManagementCluster(azurePlatform(), 'mgmt', { cloud: aksCloud('10.0.0.0/16', { adminGroupObjectIds: ['admins'] }) })).toThrow(
      '[platform/mgmt] cloud.adminGroupObjectIds[0]: got "admins". Allowed: an Entra ID group object id (a GUID). Fix: copy the group\'s Object ID from Entra ID.');
    expect(() => new ManagementCluster(azurePlatform(), 'mgmt', { cloud: eksCloud('10.0.0.0/16', { adminRoleArns: ['arn:aws:sts::123456789012:assumed-role/x/y'] }) })).toThrow(
      '[platform/mgmt] cloud.adminRoleArns[0]: got "arn:aws:sts::123456789012:assumed-role/x/y". Allowed: an IAM role ARN such as "arn:aws:iam::123456789012:role/platform-admins". Fix: use the role ARN (not a user or an assumed-role session ARN).');
  });

  it('rejects node pools with bad names or sizes', () => {
    expect(() => new ManagementCluster(azurePlatform(), 'mgmt', { cloud: aksCloud('10.0.0.0/16', { nodePools: [{ name: 'user-pool' }] }) })).toThrow(
      '[platform/mgmt] cloud.nodePools[0].name: got "user-pool". Allowed: lower-case letters and digits, starting with a letter, at most 12 characters, not "system" nor "systemtmp" (the system pool\'s and its temporary name). Fix: rename the pool, e.g. "workload".');
    // the system pool's temporary name: azurerm would take a pool of that name for a leftover of its rotation, and delete it
    expect(() => new ManagementCluster(azurePlatform(), 'mgmt', { cloud: aksCloud('10.0.0.0/16', { nodePools: [{ name: 'user' }, { name: 'systemtmp' }] }) })).toThrow('cloud.nodePools[1].name: got "systemtmp".');
    expect(() => new ManagementCluster(azurePlatform(), 'mgmt', { cloud: aksCloud('10.0.0.0/16', { nodePools: [{ name: 'user', minCount: 6, maxCount: 3 }] }) })).toThrow(
      '[platform/mgmt] cloud.nodePools[0].minCount: got 6. Allowed: at most maxCount (3). Fix: raise maxCount or lower minCount.');
  });

  it('rejects an environment the platform does not declare', () => {
    expect(() => new ManagementCluster(azurePlatform(), 'mgmt', { cloud: aksCloud(), environment: 'qa' })).toThrow(
      '[platform/mgmt] environment: got "qa". Allowed: one of the platform\'s environments: dev, staging, prod.');
  });
});

describe('rules that span objects run once before rendering and report every problem', () => {
  it('reports duplicate cluster names and overlapping CIDRs together', () => {
    const platform = azurePlatform();
    new ManagementCluster(platform, 'a', { cloud: aksCloud('10.0.0.0/16'), name: 'mgmt' });
    new ManagementCluster(platform, 'b', { cloud: aksCloud('10.0.128.0/17'), name: 'mgmt' });
    new ManagementCluster(platform, 'c', { cloud: aksCloud('10.0.0.0/8'), argocd: { hostname: 'argocd-c.platform.acme.dev' } });
    expect(problemsOf(() => platform.render())).toEqual([
      '[platform/b] duplicate cluster name "mgmt": also declared at platform/a. Fix: give each cluster a unique name.',
      '[platform/b] network.cidr "10.0.128.0/17" of cluster "mgmt" overlaps "10.0.0.0/16" of cluster "mgmt" (platform/a). Fix: give each cluster its own address range, e.g. a distinct /16.',
      '[platform/c] network.cidr "10.0.0.0/8" of cluster "c" overlaps "10.0.0.0/16" of cluster "mgmt" (platform/a). Fix: give each cluster its own address range, e.g. a distinct /16.',
      '[platform/c] network.cidr "10.0.0.0/8" of cluster "c" overlaps "10.0.128.0/17" of cluster "mgmt" (platform/b). Fix: give each cluster its own address range, e.g. a distinct /16.',
    ]);
    expect(() => platform.render()).toThrow('4 problems in the platform declaration:');
  });

  it('accepts clusters with distinct ranges', () => {
    const platform = azurePlatform();
    new ManagementCluster(platform, 'a', { cloud: aksCloud('10.0.0.0/16') });
    new ManagementCluster(platform, 'b', { cloud: aksCloud('10.1.0.0/16'), argocd: { hostname: 'argocd-b.platform.acme.dev' } });
    expect(platform.validate().filter((p) => p.severity !== 'warning')).toEqual([]);
    expect([...platform.render().keys()]).toContain('terraform/b/cdk.tf.json');
  });
});

describe('declaring platforms at the same time', () => {
  it('does not race another process to the Terraform app\'s folder (cdktf checks, then creates it)', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-race-'));
    const before = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    const folder = path.join(tmp, 'cdk8s-gitops-platform-cdktf');
    // another process creates the folder right after this one found it missing (cdktf reads the
    // CommonJS module, whose functions can be replaced)
    const cjs = require('fs') as typeof fs;
    const exists = cjs.existsSync;
    const spy = vi.spyOn(cjs, 'existsSync').mockImplementation((p) => {
      const found = exists(p);
      if (!found && p === folder) fs.mkdirSync(folder);
      return found;
    });
    try {
      expect(() => azurePlatform()).not.toThrow();
      expect(fs.statSync(folder).isDirectory()).toBe(true);
    } finally {
      spy.mockRestore();
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
