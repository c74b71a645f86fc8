// Every ExternalSecret that reads the platform's store reads an entry External Secrets is allowed
// to read: on Secrets Manager its IAM grant covers the platform's prefix only, so an entry named
// without it is refused at runtime (AccessDenied), and the Secret an add-on needs never appears.
import { describe, expect, it } from 'vitest';
import { manifests } from './support/fixtures';
import { exampleOutput } from './support/rendered-platforms';

/** An IAM resource pattern as a regular expression (`*`: any characters, `?`: one). */
const iamPattern = (p: string) => new RegExp(`^${p.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))).join('')}$`);

/** The store entries the output's ExternalSecrets read through the ClusterSecretStore `platform`, with the file of each. */
function platformStoreReads(files: Map<string, string>): { key: string; file: string }[] {
  return manifests(files).filter(({ obj }) => obj?.kind === 'ExternalSecret' && obj.spec?.secretStoreRef?.kind === 'ClusterSecretStore' && obj.spec.secretStoreRef.name === 'platform')
    .flatMap(({ obj, file }) => [...obj.spec.data ?? [], ...obj.spec.dataFrom ?? []].map((d: any) => ({ key: d.remoteRef?.key ?? d.extract?.key, file })));
}

describe('the platform store entries the output reads are the ones External Secrets may read', () => {
  it('examples/aws: every key matches the read grant of External Secrets\' IAM role on every cluster', async () => {
    const files = await exampleOutput('aws');
    const reads = platformStoreReads(files);
    // the catalog's own secrets are among them (Grafana's admin, Atlantis' VCS token)
    expect(reads.map((r) => r.key)).toEqual(expect.arrayContaining(['platform/grafana-admin', 'platform/atlantis-vcs']));
    const states = [...files].filter(([f]) => /^terraform\/[^/]+\/cdk\.tf\.json$/.test(f));
    let grants = 0;
    for (const [file, text] of states) {
      const doc = JSON.parse(text).data?.aws_iam_policy_document?.['addon-external-secrets-policy-document'];
      if (!doc) continue;
      grants++;
      const read = doc.statement.find((s: { actions: string[] }) => s.actions.includes('secretsmanager:GetSecretValue'));
      const patterns = (read.resources as string[]).map((r) => iamPattern(r.replace(/\$\{[^}]+\}/g, 'aws')));
      for (const { key, file: from } of reads) {
        // Secrets Manager names a secret's ARN with "-" and six random characters after its name
        const arn = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${key}-AbC123`;
        expect(patterns.some((p) => p.test(arn)), `${file} grants no read of "${key}" (${from})`).toBe(true);
      }
    }
    expect(grants).toBeGreaterThan(0);
  });

  it('examples/azure: every key is a Key Vault secret name under the platform\'s prefix', async () => {
    const reads = platformStoreReads(await exampleOutput('azure'));
    expect(reads.length).toBeGreaterThan(0);
    for (const { key, file } of reads) expect(key, file).toMatch(/^platform-[0-9A-Za-z-]{1,118}$/);
  });
});
