import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rules } from '@secretlint/secretlint-rule-preset-recommend';
import { describe, expect, it } from 'vitest';
import { SECRET_SCANNER, scanWithRuleSet } from '../src/policy/secret-scanner';
import { CleanTexts } from '../src/policy/text-scan';

// The maintained scanner's rule set, the pinned version and what SECURITY.md says about it agree.

const root = path.join(__dirname, '..');
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');

/** Each rule of the pinned preset and the words SECURITY.md uses for it. */
const DOCUMENTED: Record<string, string> = {
  'aws': 'AWS', 'gcp': 'GCP service account keys', 'privatekey': 'private keys', 'npm': 'npm', 'basicauth': 'basic auth in URLs',
  'slack': 'Slack', 'sendgrid': 'SendGrid', 'shopify': 'Shopify', 'github': 'GitHub', 'gitlab': 'GitLab', 'grafana': 'Grafana',
  'openai': 'OpenAI', 'anthropic': 'Anthropic', 'groq': 'Groq', 'huggingface': 'Hugging Face', 'linear': 'Linear', 'notion': 'Notion',
  '1password': '1Password', 'database-connection-string': 'database connection strings with passwords', 'hashicorp-vault': 'HashiCorp Vault',
  'vercel': 'Vercel', 'databricks': 'Databricks', 'docker': 'Docker Hub', 'figma': 'Figma',
};

describe('the maintained scanner\'s rules', () => {
  it('the pinned version is the installed one, the one package.json and the projen config pin, and the one SECURITY.md names', () => {
    const installed = JSON.parse(read('node_modules/@secretlint/secretlint-rule-preset-recommend/package.json')).version;
    expect(SECRET_SCANNER).toBe(`secretlint-rule-preset-recommend ${installed}`);
    expect(JSON.parse(read('package.json')).dependencies['@secretlint/secretlint-rule-preset-recommend']).toBe(installed);
    expect(read('projenrc/project.ts')).toContain(`'@secretlint/secretlint-rule-preset-recommend@${installed}'`);
    expect(read('SECURITY.md')).toContain(`\`@secretlint/secretlint-rule-preset-recommend\` ${installed}, pinned`);
  });

  it('every rule of the preset but the comment filter runs, and SECURITY.md lists exactly those', () => {
    const ids = (rules as unknown as { meta: { id: string } }[]).map((r) => r.meta.id.replace('@secretlint/secretlint-rule-', '')).filter((id) => id !== 'filter-comments');
    expect(ids.sort()).toEqual(Object.keys(DOCUMENTED).sort());
    const security = read('SECURITY.md');
    const sentence = /secretlint's recommended preset \(.*?\): (.*?) \(its comment filter/s.exec(security)![1].replace(/\s+/g, ' ');
    for (const words of Object.values(DOCUMENTED)) expect({ words, listed: sentence.includes(words) }).toEqual({ words, listed: true });
    // each rule is wired: one planted credential per rule family the library does not also match itself
    const found = scanWithRuleSet([`//registry.example.dev/:_authToken=${['npm', '_', 'Ab3dEf5hIj7lMn9pQr1tUv3xYz5bCd7fGh9j'].join('')}`, 'url: https://admin:s3cr3tPassw0rd@db.example.dev/x']);
    expect(found.map((m) => m.kind.split(':')[0]).sort()).toEqual(['basicauth', 'npm']);
  });
});

describe('texts found clean by an earlier synth (the synth cache)', () => {
  const key = ['AKIA', 'Z7Q2XK4M9TPLW3RB'].join('');
  const dirty = `access_key: ${key}\n`;
  const clean = 'replicas: 2\n';

  it('are not scanned again; a text with a match is scanned every time and never kept', () => {
    const first = new CleanTexts(new Set());
    const [a, b] = first.scan([clean, dirty]);
    expect(a).toEqual({ own: [], ruleSet: [] });
    expect(b.own.map((m) => m.kind)).toContain('an AWS access key id');
    expect(first.clean.size).toBe(1);
    const second = new CleanTexts(first.clean);
    expect(second.scan([dirty, clean])[0].own.length).toBeGreaterThan(0);
    expect([...second.clean]).toEqual([...first.clean]);
    // kept by the hash of the content: a text kept as clean is trusted as such (here, a forged entry)
    const forged = new CleanTexts(new Set([createHash('sha256').update(dirty).digest('hex')]));
    expect(forged.scan([dirty])).toEqual([{ own: [], ruleSet: [] }]);
  });
});
