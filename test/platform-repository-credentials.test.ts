// A private platform repository: `repository.credentialsKey`. The management state creates the
// Argo CD repository Secret from the secret store before the root Application (argocd-apps), and
// an ExternalSecret in the management cluster's folder keeps the same Secret afterwards.
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ApiAccess, Cloud, ManagementCluster, Platform, PlatformProps, SecretStore, TerraformBackend } from '../src';
import { checkOutputPermissions } from '../src/argocd/output-permissions';
import { checkPlatformOutput } from '../src/policy/policy-pass';
import { awsMgmt, awsPlatform, azureMgmt, azurePlatform, terraform } from './support/fixtures';
import { crdErrors, HAS_SCHEMAS } from './support/schemas';
import { findAwsMirror, terraformVersion, validateStates } from './support/terraform';

const HTTPS = 'https://github.com/acme/platform-gitops.git';
const SSH = 'git@github.com:acme/platform-gitops.git';
const ES_FILE = 'clusters/mgmt/argocd/externalsecret-platform-repository.yaml';
// what the store entry holds in this test's world: never given to the library, so never in its output
const STORE_VALUES = ['ghp_0123456789abcdefTESTTOKEN', 'platform-bot', '-----BEGIN OPENSSH PRIVATE KEY-----'];

const repository = (url: string, credentialsKey?: string): PlatformProps['repository'] => ({ url, ...(credentialsKey !== undefined ? { credentialsKey } : {}) });
const awsFiles = (url = HTTPS) => awsMgmt(awsPlatform({ repository: repository(url, 'git/platform') })).platform.render();
const externalSecret = (files: Map<string, string>, file = ES_FILE) => parse(files.get(file)!);

describe('the platform repository with credentials', () => {
  it('creates the Argo CD repository Secret from Secrets Manager in the management state (https: username and password)', () => {
    const tf = terraform(awsFiles(), 'mgmt');
    const secret = tf.resource.kubernetes_secret_v1['platform-repository-secret'];
    expect(secret.metadata).toEqual({ name: 'platform-repository', namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'repository' } });
    const entry = 'jsondecode(data.aws_secretsmanager_secret_version.platform-repository-credentials.secret_string)';
    expect(secret.data).toEqual({ type: 'git', url: HTTPS, username: `\${${entry}.username}`, password: `\${${entry}.password}` });
    // the entry ExternalSecrets reads (remoteRef.key), in the store's region
    expect(tf.data.aws_secretsmanager_secret_version['platform-repository-credentials'].secret_id).toBe('platform/git/platform');
    // Terraform creates it once; External Secrets keeps it afterwards
    expect(secret.lifecycle).toEqual({ ignore_changes: 'all' });
  });

  it('creates the Secret after the argo-cd release (its namespace) and before the argocd-apps release (the root Application)', () => {
    const tf = terraform(awsFiles(), 'mgmt');
    expect(tf.resource.kubernetes_secret_v1['platform-repository-secret'].depends_on).toEqual(['helm_release.argocd']);
    expect(tf.resource.helm_release['argocd-apps'].depends_on).toEqual(['helm_release.argocd', 'kubernetes_secret_v1.platform-repository-secret']);
    // an EKS management state gets a kubernetes provider reaching the cluster like helm's
    expect(tf.provider.kubernetes[0].host).toBe(tf.provider.helm[0].kubernetes.host);
    expect(tf.provider.kubernetes[0].exec).toEqual([tf.provider.helm[0].kubernetes.exec]);
  });

  it('holds sshPrivateKey only for an ssh URL', () => {
    const files = awsFiles(SSH);
    const secret = terraform(files, 'mgmt').resource.kubernetes_secret_v1['platform-repository-secret'];
    expect(Object.keys(secret.data)).toEqual(['type', 'url', 'sshPrivateKey']);
    expect(secret.data.url).toBe(SSH);
    expect(secret.data.sshPrivateKey).toBe('${jsondecode(data.aws_secretsmanager_secret_version.platform-repository-credentials.secret_string).sshPrivateKey}');
    expect(externalSecret(files).spec.data).toEqual([{ secretKey: 'sshPrivateKey', remoteRef: { key: 'platform/git/platform', property: 'sshPrivateKey' } }]);
  });

  for (const [scheme, url] of [['https', HTTPS], ['ssh', SSH]]) {
    it(`renders an ExternalSecret in the management folder that templates the same Secret (${scheme}): name, labels, keys, store entry`, () => {
      const files = awsFiles(url);
      const tfSecret = terraform(files, 'mgmt').resource.kubernetes_secret_v1['platform-repository-secret'];
      const es = externalSecret(files);
      expect(es.metadata.namespace).toBe(tfSecret.metadata.namespace);
      expect(es.spec.target.name).toBe(tfSecret.metadata.name);
      // takes the Terraform-created Secret over without an ownerReference (see src/argocd/external-secrets.ts)
      expect(es.spec.target.creationPolicy).toBe('Orphan');
      expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'platform' });
      expect(es.spec.target.template.metadata.labels).toEqual(tfSecret.metadata.labels);
      expect(Object.keys(es.spec.target.template.data).sort()).toEqual(Object.keys(tfSecret.data).sort());
      for (const k of ['type', 'url']) expect(es.spec.target.template.data[k]).toBe(tfSecret.data[k]);
      // every credential: the same property of the same entry, on both sides
      for (const d of es.spec.data) {
        expect(d.remoteRef.key).toBe('platform/git/platform');
        expect(es.spec.target.template.data[d.secretKey]).toBe(`{{ .${d.secretKey} }}`);
        expect(tfSecret.data[d.secretKey]).toMatch(new RegExp(`\\)\\.${d.remoteRef.property}\\}$`));
      }
      if (HAS_SCHEMAS) expect(crdErrors(es)).toEqual([]);
    });
  }

  it('reads a JSON-valued Key Vault secret through the platform key vault on Azure (as External Secrets reads a property)', () => {
    const files = azureMgmt(azurePlatform({ repository: repository(HTTPS, 'git-platform') })).platform.render();
    const tf = terraform(files, 'mgmt');
    expect(tf.data.azurerm_key_vault_secret['platform-repository-credentials']).toMatchObject({
      name: 'platform-git-platform', key_vault_id: '${data.azurerm_key_vault.platform-key-vault.id}',
    });
    expect(tf.resource.kubernetes_secret_v1['platform-repository-secret'].data.password)
      .toBe('${jsondecode(data.azurerm_key_vault_secret.platform-repository-credentials.value).password}');
    expect(tf.resource.helm_release['argocd-apps'].depends_on).toContain('kubernetes_secret_v1.platform-repository-secret');
    expect(externalSecret(files).spec.data.map((d: any) => d.remoteRef)).toEqual([
      { key: 'platform-git-platform', property: 'username' }, { key: 'platform-git-platform', property: 'password' },
    ]);
  });

  it('reads the KV v2 secret with the vault provider for a Vault store', () => {
    const platform = awsPlatform({ repository: repository(HTTPS, 'git/platform'), secretStore: SecretStore.vault({ server: 'https://vault.acme.dev:8200' }) });
    const tf = terraform(awsMgmt(platform).platform.render(), 'mgmt');
    expect(tf.data.vault_kv_secret_v2['platform-repository-credentials']).toMatchObject({ mount: 'secret', name: 'platform/git/platform' });
    expect(tf.provider.vault[0].address).toBe('https://vault.acme.dev:8200');
    expect(tf.resource.kubernetes_secret_v1['platform-repository-secret'].data.username)
      .toBe('${jsondecode(data.vault_kv_secret_v2.platform-repository-credentials.data_json).username}');
  });

  it('gives every management cluster (multi-hub) its own bootstrap Secret and ExternalSecret', () => {
    const platform = awsPlatform({ repository: repository(HTTPS, 'git/platform') });
    awsMgmt(platform);
    new ManagementCluster(platform, 'mgmt-us', {
      cloud: Cloud.eks({ region: 'us-east-1', kubernetesVersion: '1.33', network: { cidr: '10.30.0.0/16' }, apiAccess: ApiAccess.private() }),
      argocd: { adminGroups: ['platform-admins'], hostname: 'argocd-mgmt-us.platform.acme.dev' },
    });
    const files = platform.render();
    for (const m of ['mgmt', 'mgmt-us']) {
      const tf = terraform(files, m);
      expect(tf.resource.helm_release['argocd-apps'].depends_on).toContain('kubernetes_secret_v1.platform-repository-secret');
      expect(externalSecret(files, `clusters/${m}/argocd/externalsecret-platform-repository.yaml`).spec.target.name).toBe('platform-repository');
    }
  });

  it('keeps a public repository as before: no Secret, no ExternalSecret, no kubernetes provider on EKS', () => {
    const files = awsMgmt().platform.render();
    const tf = terraform(files, 'mgmt');
    expect(tf.resource.kubernetes_secret_v1).toBeUndefined();
    expect(tf.provider.kubernetes).toBeUndefined();
    expect(tf.resource.helm_release['argocd-apps'].depends_on).toEqual(['helm_release.argocd']);
    expect([...files.keys()].filter((f) => f.includes('externalsecret-platform-repository'))).toEqual([]);
  });

  it('puts no credential in the output: credentials are data-source reads, the policy pass and AppProject check pass', () => {
    for (const files of [awsFiles(), awsFiles(SSH)]) {
      const text = [...files.values()].join('\n');
      for (const v of STORE_VALUES) expect(text).not.toContain(v);
      const secret = terraform(files, 'mgmt').resource.kubernetes_secret_v1['platform-repository-secret'];
      for (const [k, v] of Object.entries(secret.data as Record<string, string>)) {
        if (k !== 'type' && k !== 'url') expect(v).toMatch(/^\$\{jsondecode\(data\.aws_secretsmanager_secret_version\.[\w-]+\.secret_string\)\.\w+\}$/);
      }
      expect(checkPlatformOutput(files, (f) => f, {})).toEqual([]);
      const permissions = checkOutputPermissions(files);
      expect(permissions.skipped).toBeUndefined();
      expect(permissions.denials).toEqual([]);
    }
  });

  it('the policy pass still refuses a Terraform Secret holding a literal credential', () => {
    const files = new Map(awsFiles());
    const tf = terraform(files, 'mgmt');
    tf.resource.kubernetes_secret_v1['platform-repository-secret'].data.password = 'hunter2';
    files.set('terraform/mgmt/cdk.tf.json', JSON.stringify(tf, null, 2));
    expect(checkPlatformOutput(files, (f) => f, {}).map((p) => p.message)).toEqual([
      expect.stringContaining('got kubernetes_secret_v1.platform-repository-secret with data.'),
    ]);
    // and one of literals only, whatever the keys' names
    tf.resource.kubernetes_secret_v1['platform-repository-secret'].data = { type: 'git', url: HTTPS, token: 'x' };
    files.set('terraform/mgmt/cdk.tf.json', JSON.stringify(tf, null, 2));
    expect(checkPlatformOutput(files, (f) => f, {})).toHaveLength(1);
  });

  it('renders the same bytes twice, whatever the store', () => {
    for (const platform of [
      awsMgmt(awsPlatform({ repository: repository(HTTPS, 'git/platform') })).platform,
      awsMgmt(awsPlatform({ repository: repository(SSH, 'git/platform'), secretStore: SecretStore.vault({ server: 'https://vault.acme.dev:8200' }) })).platform,
      // the store in another region than the cluster: an aliased aws provider reads it
      awsMgmt(awsPlatform({ repository: repository(HTTPS, 'git/platform'), secretStore: SecretStore.awsSecretsManager({ region: 'us-east-1' }) })).platform,
      azureMgmt(azurePlatform({ repository: repository(HTTPS, 'git-platform') })).platform,
    ]) {
      const first = platform.render();
      expect(platform.render()).toEqual(first);
    }
  });
});

describe('repository.credentialsKey errors', () => {
  it('refuses a key the store cannot name, with the NamespaceTenant message (AWS, Vault)', () => {
    expect(() => awsPlatform({ repository: repository(HTTPS, 'bad key!') })).toThrow(
      '[platform] repository.credentialsKey: got "bad key!". Allowed: a secret store key of letters, digits, "/", "_", "." and "-". Fix: name the store entry holding the credentials.');
    expect(() => awsPlatform({ repository: repository(HTTPS, '/git/platform'), secretStore: SecretStore.vault({ server: 'https://vault.acme.dev:8200' }) })).toThrow(
      '[platform] repository.credentialsKey: got "/git/platform". Allowed: a secret store key');
    expect(() => awsPlatform({ repository: { url: HTTPS, credentialsKey: 42 as unknown as string } })).toThrow('[platform] repository.credentialsKey: got 42.');
  });

  it('refuses "/", "_" and "." with Azure Key Vault, suggesting a Key Vault name', () => {
    expect(() => azurePlatform({ repository: repository(HTTPS, 'git/platform_repo') })).toThrow(
      '[platform] repository.credentialsKey: got "git/platform_repo". Allowed: with Azure Key Vault, 1 to 118 letters, digits and "-" (a Key Vault secret name of at most 127 characters with the "platform-" prefix; External Secrets also reads a "/" as an object type). '
      + 'Fix: name the Key Vault secret without "/", "_" or ".", e.g. "git-platform-repo".');
    // the same key is fine for Secrets Manager
    expect(() => awsPlatform({ repository: repository(HTTPS, 'git/platform_repo') })).not.toThrow();
  });

  it('checks the key whatever the store (Vault is supported: the library already uses the vault provider)', () => {
    const platform = new Platform({
      repository: repository(SSH, 'git/platform'),
      domain: 'platform.acme.dev',
      secretStore: SecretStore.vault({ server: 'https://vault.acme.dev:8200' }),
      terraformBackend: TerraformBackend.s3({ bucket: 'acme-tfstate', region: 'eu-west-1' }),
    });
    expect(platform.repository.credentialsKey).toBe('git/platform');
  });
});

const tfVersion = terraformVersion();
const mirror = tfVersion ? findAwsMirror() : undefined;
if (!tfVersion) console.log('platform repository credentials: terraform validate SKIPPED, no terraform CLI on the PATH (CI has one)');
else if (!mirror) console.log('platform repository credentials: no hashicorp/aws filesystem mirror: provider-less check only');
else console.log(`platform repository credentials: terraform ${tfVersion}, aws ${mirror.version} from the mirror; kubernetes and helm blocks checked provider-less (no mirror of those providers)`);

describe.skipIf(!tfVersion)('terraform validate on a management state with repository credentials', () => {
  it('passes for https and ssh URLs (aws data source against the provider schema, every other block provider-less)', () => {
    const states = [HTTPS, SSH].map((url) => ({ label: `aws-${url.startsWith('https') ? 'https' : 'ssh'}/mgmt`, state: terraform(awsFiles(url), 'mgmt') }));
    const results = validateStates(states, mirror);
    expect(results.map((r) => [r.label, r.fullErrors, r.providerlessErrors])).toEqual(states.map((s) => [s.label, [], []]));
    // the data source is really checked against the aws schema where the mirror exists
    if (mirror) for (const r of results) expect(r.awsBlocks).toBeGreaterThan(30);
  }, 240_000);

  it('fails on a reference to a data source the state does not declare (the check is real)', () => {
    const state = terraform(awsFiles(), 'mgmt');
    state.resource.kubernetes_secret_v1['platform-repository-secret'].data.password = '${jsondecode(data.aws_secretsmanager_secret_version.nope.secret_string).password}';
    const [r] = validateStates([{ label: 'broken/mgmt', state }], mirror);
    expect([...r.fullErrors, ...r.providerlessErrors].join('\n')).toMatch(/nope/);
  }, 240_000);
});
