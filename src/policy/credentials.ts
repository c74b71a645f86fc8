/**
 * Well-known credential formats. Each pattern is specific (a fixed prefix or a PEM
 * header) so generated output, which never holds credentials, gives no false positives.
 */
const PATTERNS: readonly { readonly name: string; readonly re: RegExp }[] = [
  { name: 'an AWS access key id', re: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/ },
  { name: 'a private key (PEM)', re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  { name: 'a GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/ },
  { name: 'a GitLab token', re: /\bgl(?:pat|dt|rt|ptt|cbt|soat)-[A-Za-z0-9_-]{20,}/ },
  { name: 'a Slack token', re: /\bxox[abposre]-[A-Za-z0-9-]{10,}/ },
  { name: 'a Slack webhook URL', re: /hooks\.slack\.com\/services\/T[A-Za-z0-9]+\/B[A-Za-z0-9]+\/[A-Za-z0-9]{16,}/ },
  { name: 'an Azure storage account key or connection string', re: /(?:AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{30,}={0,2}/ },
  { name: 'an Azure SAS token', re: /[?&]sig=[A-Za-z0-9%+/]{30,}={0,2}/ },
  { name: 'a JSON Web Token', re: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
];

const ANY = new RegExp(PATTERNS.map((p) => `(${p.re.source})`).join('|'), 'g');

/** One credential-looking string found in a text. */
export interface CredentialMatch {
  /** What it looks like, e.g. "an AWS access key id". */
  readonly kind: string;
  /** 1-based line number. */
  readonly line: number;
  /** The first characters only, never the whole value. */
  readonly preview: string;
}

/** Finds credential-looking strings in a text (one pass of one combined pattern). */
export function findCredentials(text: string): CredentialMatch[] {
  const found: CredentialMatch[] = [];
  ANY.lastIndex = 0;
  for (let m = ANY.exec(text); m; m = ANY.exec(text)) {
    const group = m.slice(1).findIndex((g) => g !== undefined);
    const line = text.slice(0, m.index).split('\n').length;
    found.push({ kind: PATTERNS[group].name, line, preview: `${m[0].slice(0, 4)}…` });
  }
  return found;
}
