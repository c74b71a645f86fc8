/** A PEM private key header ("-----BEGIN RSA PRIVATE KEY-----", "... OPENSSH PRIVATE KEY", "PGP PRIVATE KEY BLOCK"). */
const PEM_PRIVATE = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;

/**
 * Well-known credential formats. Each pattern is specific (a fixed prefix, a PEM
 * header, or a credential's own name next to a value of its exact shape) so generated
 * output, which never holds credentials, gives no false positives. `verify` confirms a
 * match that the pattern alone cannot (a base64 text that decodes to a private key).
 */
const PATTERNS: readonly { readonly name: string; readonly re: RegExp; readonly verify?: (match: string) => boolean }[] = [
  { name: 'an AWS access key id', re: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/ },
  // no prefix of its own: 40 base64 characters given under an AWS secret key's name
  // (aws_secret_access_key, AWS_SECRET_ACCESS_KEY, secretAccessKey, SecretAccessKey, the provider's secret_key),
  // as `name: value`, `name=value`, JSON, or a container env entry's next line `value: ...`
  {
    name: 'an AWS secret access key',
    re: /(?:[Ss]ecret_?[Aa]ccess_?[Kk]ey|SECRET_ACCESS_KEY|\bsecret_key)(?:["']?[ \t]*[:=][ \t]*|["']?[ \t]*\r?\n[ \t]*-?[ \t]*"?value"?:[ \t]*)["']?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/,
  },
  // Entra ID application secrets: 3 characters, a digit, "Q~", then 31 to 34 characters
  { name: 'an Azure client secret', re: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/ },
  // older formats, by name: a value of 24+ characters mixing upper case, lower case and digits
  // (`$oidc.azure.clientSecret` references and secret names do not qualify)
  {
    name: 'an Azure client secret',
    re: /(?:[Cc]lient_?[Ss]ecret|CLIENT_SECRET)["']?[ \t]*[:=][ \t]*["']?(?=[A-Za-z0-9_~.+/=-]*[0-9])(?=[A-Za-z0-9_~.+/=-]*[A-Z])(?=[A-Za-z0-9_~.+/=-]*[a-z])[A-Za-z0-9_~.+/=-]{24,}/,
  },
  { name: 'a private key (PEM)', re: PEM_PRIVATE },
  // "LS0tLS1CRUdJTi" is "-----BEGIN" in base64: decoded, it must be a private key's header (not a certificate's)
  {
    name: 'a private key (base64-encoded PEM)',
    re: /LS0tLS1CRUdJTi[A-Za-z0-9+/]{40,}/,
    verify: (m) => PEM_PRIVATE.test(Buffer.from(m.slice(0, 80), 'base64').toString('latin1')),
  },
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
    if (PATTERNS[group].verify?.(m[0]) === false) continue;
    const line = text.slice(0, m.index).split('\n').length;
    found.push({ kind: PATTERNS[group].name, line, preview: `${m[0].slice(0, 4)}…` });
  }
  return found;
}
