// Names the clouds check only when Terraform applies, and hostnames the library makes from a
// name and the platform domain: refused at declaration with the library's own error, before a
// first `terraform apply` fails halfway or a certificate, DNS record or Gateway listener is refused.
import { describe, expect, it } from 'vitest';
import { AcmeSolver, Catalog, ExternalDnsProvider, FleetCluster, Group, SecretStore, TenantVCluster, TerraformBackend } from '../src';
import { aksCloud, awsMgmt, awsPlatform, azureMgmt, azurePlatform } from './support/fixtures';

const owners = Group.named('team-a');

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

describe('hostnames made from a name and the platform domain', () => {
  // 246 characters
  const longDomain = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(59)}.dev`;

  it('a platform domain leaves room for *.apps.<domain> (253 characters in all)', () => {
    expect(longDomain.length).toBe(246);
    expect(message(() => awsPlatform({ domain: longDomain }))).toBe('no error');
    const tooLong = `x${longDomain}`;
    // a long value is shown cut, with its length
    expect(message(() => awsPlatform({ domain: tooLong }))).toMatch(
      /^\[platform\] domain: got "xaaaa[a-z.]*\.\.\. \(249 characters\)\. Allowed: a domain of at most 246 characters: the library serves names under it such as "\*\.apps\.xaaa[a-z.]*\.dev", and a DNS name is at most 253 characters\. Fix: use a shorter base domain\.$/);
  });

  it('a tenant\'s API host and its dedicated Argo CD\'s host are DNS names', () => {
    const platform = awsPlatform({ domain: longDomain });
    const mgmt = awsMgmt(platform);
    // "<name>.<domain>": 253 characters at most
    expect(message(() => new TenantVCluster(mgmt, 'abcdef', { owners }))).toBe('no error');
    expect(message(() => new TenantVCluster(mgmt, 'abcdefg', { owners }))).toMatch(
      /^\[platform\/mgmt\/abcdefg\] the virtual cluster's API host \(<name>\.<platform domain>\): got "abcdefg\.aaa[a-z.]*\.\.\. \(256 characters\)\. Allowed: a DNS name: labels of at most 63 characters, 253 characters in all \(DNS, TLS certificates and Gateway API hostnames refuse longer ones\)\. Fix: shorten the tenant name or the platform domain\.$/);
    const short = awsMgmt(awsPlatform());
    // "argocd-<name>" is one label: at most 63 characters, so a name of 57 does not fit
    const name = 'n'.repeat(57);
    expect(message(() => new TenantVCluster(short, name, { owners, namespace: 'team-n', argocd: {} }))).toBe(
      `[platform/mgmt/${name}] the dedicated Argo CD's host (argocd-<name>.<platform domain>; or set argocd.hostname): got "argocd-${name}.platform.acme.dev". Allowed: a DNS name: labels of at most 63 characters, 253 characters in all (DNS, TLS certificates and Gateway API hostnames refuse longer ones). Fix: shorten the tenant name or the platform domain.`);
    expect(message(() => new TenantVCluster(short, 'n'.repeat(56), { owners, namespace: 'team-m', argocd: {} }))).toBe('no error');
    // a hostname of one's own is checked as given
    expect(message(() => new TenantVCluster(short, `${name}b`, { owners: Group.named('team-b'), namespace: 'team-b', argocd: { hostname: 'argocd-b.platform.acme.dev' } }))).toBe('no error');
  });
});

describe('Azure and AWS names checked as the providers check them', () => {
  it('Key Vault: 3 to 24 letters, digits and "-", starting with a letter, no "--"', () => {
    const vault = (vaultName: string) => message(() => azurePlatform({ secretStore: SecretStore.azureKeyVault({ vaultName, resourceGroupName: 'rg-platform' }) }));
    for (const ok of ['abc', 'acme-platform', 'a'.repeat(24), 'Acme2']) expect(vault(ok)).toBe('no error');
    for (const bad of ['ab', 'a'.repeat(25), '1acme', 'acme-', 'acme--platform', 'acme_platform', 'acme.platform']) {
      expect(vault(bad)).toBe(`[platform] secretStore.vaultName: got "${bad}". Allowed: 3 to 24 letters, digits and "-", starting with a letter, ending with a letter or digit, without "--" (Key Vault names, also the vault's DNS name). Fix: rename it, e.g. "acme-platform".`);
    }
  });

  it('resource groups: 1 to 90 of letters, digits, "_-.()", not ending with "." (secret store, state backend, AKS, external-dns, cert-manager)', () => {
    const rg = (resourceGroupName: string) => message(() => azurePlatform({ secretStore: SecretStore.azureKeyVault({ vaultName: 'acme-platform', resourceGroupName }) }));
    for (const ok of ['rg', 'rg-platform_(eu).1', 'r'.repeat(90)]) expect(rg(ok)).toBe('no error');
    for (const bad of ['rg.', 'r'.repeat(91), 'rg platform', 'rg/platform']) {
      expect(rg(bad)).toBe(`[platform] secretStore.resourceGroupName: got "${bad}". Allowed: 1 to 90 letters, digits, "_", "-", ".", "(" and ")", not ending with "." (Azure's resource group names). Fix: rename it, e.g. "rg-platform".`);
    }
    expect(message(() => azurePlatform({ terraformBackend: TerraformBackend.azurerm({ resourceGroupName: 'rg tfstate', storageAccountName: 'acmetfstate' }) })))
      .toMatch(/^\[platform\] terraformBackend\.resourceGroupName: got "rg tfstate"\. Allowed: 1 to 90 letters/);
    const platform = azurePlatform();
    const mgmt = azureMgmt(platform);
    expect(message(() => new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: aksCloud('10.1.0.0/16', { resourceGroupName: 'rg-dev.' }) })))
      .toMatch(/^\[platform\/mgmt\/dev\] cloud\.resourceGroupName: got "rg-dev\."\. Allowed: 1 to 90 letters/);
    expect(message(() => Catalog.externalDns(azurePlatform(), { provider: ExternalDnsProvider.AZURE, domainFilters: ['acme.dev'], azure: { subscriptionId: '00000000-0000-0000-0000-0000000000cc', resourceGroupName: 'rg dns' } })))
      .toMatch(/azure\.resourceGroupName: got "rg dns"\. Allowed: 1 to 90 letters/);
    expect(message(() => Catalog.certManager(azurePlatform(), { acme: { email: 'ops@acme.dev', solver: AcmeSolver.dns01AzureDns({ subscriptionId: '00000000-0000-0000-0000-0000000000cc', resourceGroupName: 'rg-dns.', hostedZoneName: 'acme.dev' }) } })))
      .toMatch(/^\[platform\/cert-manager\] acme\.solver resourceGroupName: got "rg-dns\."\. Allowed: 1 to 90 letters/);
  });

  it('the azurerm state backend: storage account 3 to 24 lower-case letters and digits; container 3 to 63, lower-case', () => {
    const backend = (storageAccountName: string, containerName?: string) =>
      message(() => azurePlatform({ terraformBackend: TerraformBackend.azurerm({ resourceGroupName: 'rg-tfstate', storageAccountName, containerName }) }));
    expect(backend('acmetfstate', 'tf-state')).toBe('no error');
    expect(backend('acme-tfstate')).toBe('[platform] terraformBackend.storageAccountName: got "acme-tfstate". Allowed: 3 to 24 lower-case letters and digits (storage account names, also the account\'s DNS name). Fix: rename it, e.g. "acmetfstate".');
    expect(backend('AcmeTfState')).toMatch(/storageAccountName: got "AcmeTfState"/);
    expect(backend('acmetfstate', 'TfState')).toBe('[platform] terraformBackend.containerName: got "TfState". Allowed: 3 to 63 lower-case letters, digits and "-", starting and ending with a letter or digit, without "--" (blob container names). Fix: rename it, e.g. "tfstate".');
    expect(backend('acmetfstate', 'tf--state')).toMatch(/containerName: got "tf--state"/);
  });

  it('the S3 state backend\'s bucket and the Secrets Manager prefix', () => {
    const bucket = (name: string) => message(() => awsPlatform({ terraformBackend: TerraformBackend.s3({ bucket: name, region: 'eu-west-1' }) }));
    for (const ok of ['acme-tfstate', 'acme.tfstate.eu', 'abc']) expect(bucket(ok)).toBe('no error');
    for (const bad of ['Acme-TfState', 'ab', 'acme..tfstate', '192.168.1.1', 'acme_tfstate', '-acme', 'xn--acme', 'sthree-state', 'amzn-s3-demo-x', 'acme-s3alias', 'acme--ol-s3', 'acme.mrap', 'acme--x-s3', 'acme--table-s3']) {
      expect(bucket(bad)).toBe(`[platform] terraformBackend.bucket: got "${bad}". Allowed: 3 to 63 lower-case letters, digits, "." and "-", starting and ending with a letter or digit, without "..", not shaped like an IP address, `
        + 'not starting with "xn--", "sthree-", "amzn-s3-demo-" nor ending with "-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3" (S3 bucket names). Fix: rename it, e.g. "acme-tfstate".');
    }
    const prefix = (p: string) => message(() => awsPlatform({ secretStore: SecretStore.awsSecretsManager({ region: 'eu-west-1', prefix: p }) }));
    for (const ok of ['platform/', 'acme/platform-eu/', 'team+ops@acme=1.']) expect(prefix(ok)).toBe('no error');
    expect(prefix('platform secrets/')).toBe('[platform] secretStore.prefix: got "platform secrets/". Allowed: 1 to 256 letters, digits and "/", "_", "+", "=", ".", "@", "-" (the characters of Secrets Manager secret names). Fix: rename it, e.g. "platform/".');
    expect(prefix('platform:')).toMatch(/secretStore\.prefix: got "platform:"/);
    // each state's key is <keyPrefix>/<cluster>.tfstate: Terraform's S3 backend refuses "//" and a key that starts or ends with "/"
    const keyPrefix = (p: string) => message(() => awsPlatform({ terraformBackend: TerraformBackend.s3({ bucket: 'acme-tfstate', region: 'eu-west-1', keyPrefix: p }) }));
    for (const ok of ['platform', 'envs/prod', 'acme.platform-eu']) expect(keyPrefix(ok)).toBe('no error');
    expect(keyPrefix('envs/prod/')).toBe('[platform] terraformBackend.keyPrefix: got "envs/prod/". Allowed: a key prefix with no leading or trailing "/" and no "//" '
      + '(each state\'s key is <keyPrefix>/<cluster>.tfstate, which Terraform\'s S3 backend refuses otherwise at init). Fix: write it as "envs/prod".');
    for (const bad of ['/platform', 'envs//prod', '/']) expect(keyPrefix(bad)).toMatch(/terraformBackend\.keyPrefix: got/);
  });
});
