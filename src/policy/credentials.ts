/** A PEM private key header ("-----BEGIN RSA PRIVATE KEY-----", "... OPENSSH PRIVATE KEY", "PGP PRIVATE KEY BLOCK"). */
const PEM_PRIVATE = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;

/**
 * Well-known credential formats. Each pattern is specific (a fixed prefix, a PEM
 * header, or a credential's own name next to a value of its exact shape) so generated
 * output, which never holds credentials, gives no false positives. `verify` confirms a
 * match that the pattern alone cannot (a base64 text that decodes to a private key).
 */
/** Between a name and its value: `name: value`, `name=value`, JSON, an env entry's next line `value: ...`, or JSON `{"name": ..., "value": ...}`. */
const SEP = String.raw`(?:["']?[ \t]*[:=][ \t]*|["']?[ \t]*\r?\n[ \t]*-?[ \t]*"?value"?:[ \t]*|["']?[ \t]*,[ \t]*["']?value["']?[ \t]*:[ \t]*)["']?`;
/** A value that is not a template or a Terraform reference, of 20+ token characters with a letter and a digit. */
const OPAQUE = String.raw`(?!\{\{|\$\{)(?=[A-Za-z0-9._~+/=-]*[0-9])(?=[A-Za-z0-9._~+/=-]*[A-Za-z])[A-Za-z0-9._~+/=-]{20,}`;
/** Printable text: what a base64 blob decodes to when it is a file (a kubeconfig, a YAML or JSON document). */
const isText = (s: string) => s.length > 0 && [...s].filter((c) => c < ' ' && c !== '\n' && c !== '\r' && c !== '\t').length === 0;

interface Pattern {
  readonly name: string;
  readonly re: RegExp;
  /** Confirms a match that the pattern alone cannot (a base64 text that decodes to a private key). */
  readonly verify?: (match: string) => boolean;
  /** Finds what a match holds (a base64 blob decoded and scanned again). */
  readonly expand?: (match: string) => string[];
  /** Found by a name: a known format in the match is reported as that format. */
  readonly named?: boolean;
}

const PATTERNS: readonly Pattern[] = [
  { name: 'an AWS access key id', re: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/ },
  // no prefix of its own: 40 base64 characters under an AWS secret key's name, in any spelling
  // (aws_secret_access_key, AWS_SECRET_ACCESS_KEY, aws-secret-access-key, secretAccessKey, AWS_SECRET_KEY, the provider's secret_key)
  {
    name: 'an AWS secret access key',
    re: new RegExp(String.raw`(?:[Aa][Ww][Ss][-_.]?)?(?:[Ss]ecret|SECRET)[-_.]?(?:[Aa]ccess|ACCESS)?[-_.]?(?:[Kk]ey|KEY)${SEP}[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])`),
  },
  // Entra ID application secrets: 3 characters, a digit, "Q~", then 31 to 34 characters
  { name: 'an Azure client secret', re: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/ },
  // older formats, by name (clientSecret, client_secret, AZURE_CLIENT_SECRET, client-secret, also as a name/value env entry):
  // a value of 24+ characters mixing upper case, lower case and digits (`$oidc.azure.clientSecret` references and secret names do not qualify)
  {
    name: 'an Azure client secret',
    re: new RegExp(String.raw`(?:[Cc]lient[-_]?[Ss]ecret|CLIENT_SECRET)${SEP}(?=[A-Za-z0-9_~.+/=-]*[0-9])(?=[A-Za-z0-9_~.+/=-]*[A-Z])(?=[A-Za-z0-9_~.+/=-]*[a-z])[A-Za-z0-9_~.+/=-]{24,}`),
  },
  { name: 'a private key (PEM)', re: PEM_PRIVATE },
  // "LS0tLS1CRUdJTi" is "-----BEGIN" in base64: decoded, it must be a private key's header (not a certificate's)
  {
    name: 'a private key (base64-encoded PEM)',
    re: /LS0tLS1CRUdJTi[A-Za-z0-9+/]{40,}/,
    verify: (m) => PEM_PRIVATE.test(Buffer.from(m.slice(0, 80), 'base64').toString('latin1')),
  },
  // a container registry login: docker config "auth" is base64 of "user:password"
  {
    name: 'a container registry login (docker config "auth")',
    re: /["']?\bauth["']?[ \t]*:[ \t]*["']?[A-Za-z0-9+/]{8,}={0,2}(?![A-Za-z0-9+/=])/,
    verify: (m) => {
      const decoded = Buffer.from(m.replace(/^.*:[ \t]*["']?/, ''), 'base64').toString('utf8');
      return isText(decoded) && /^[^:\s]+:\S+$/.test(decoded);
    },
  },
  { name: 'a GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/ },
  { name: 'a GitLab token', re: /\bgl(?:pat|dt|rt|ptt|cbt|soat)-[A-Za-z0-9_-]{20,}/ },
  { name: 'a Slack token', re: /\bxox[abposre]-[A-Za-z0-9-]{10,}/ },
  { name: 'a Slack webhook URL', re: /hooks\.slack\.com\/services\/T[A-Za-z0-9]+\/B[A-Za-z0-9]+\/[A-Za-z0-9]{16,}/ },
  { name: 'an Azure storage account key or connection string', re: /(?:AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{30,}={0,2}/ },
  { name: 'an Azure SAS token', re: /[?&]sig=[A-Za-z0-9%+/]{30,}={0,2}/ },
  { name: 'a JSON Web Token', re: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  // opaque tokens by name: a kubeconfig user's token, bearer tokens, API keys and tokens, passwords. These come after
  // the formats above, and a known format in the value is named as such (see findCredentials).
  {
    name: 'a token or password',
    re: new RegExp(String.raw`(?<![A-Za-z0-9_-])(?:token|[Bb]earer[-_]?[Tt]oken|(?:access|refresh|id|auth|api)[-_]?[Tt]oken|api[-_]?[Kk]ey|apiKey|API_KEY|[A-Z][A-Z_]*_TOKEN|password|passwd|PASSWORD)${SEP}${OPAQUE}`),
    named: true,
  },
  { name: 'a bearer token', re: new RegExp(String.raw`\b[Bb]earer[ \t]+${OPAQUE}`), named: true },
  // a base64 blob that decodes to text (a kubeconfig, a YAML or JSON document): scanned again, decoded
  {
    name: 'base64-encoded text',
    re: /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{64,}={0,2}/,
    expand: (m) => {
      if (m.length % 4 !== 0) return [];
      const decoded = Buffer.from(m, 'base64').toString('utf8');
      if (!isText(decoded)) return [];
      const kinds = findCredentials(decoded, false).map((c) => `${c.kind}, base64-encoded`);
      if (/^kind:[ \t]*Config\b/m.test(decoded) && /^users:/m.test(decoded) && /(?:client-key-data|token|password):[ \t]*\S/.test(decoded) && kinds.length === 0) {
        kinds.push('a kubeconfig with user credentials, base64-encoded');
      }
      return kinds;
    },
  },
];

/**
 * Every character a pattern's match can start with (letters, digits, `_~."'+/?&-`): the
 * lookahead in front of the combined pattern skips the other positions (spaces, line breaks,
 * `:`, brackets) with one test instead of trying each pattern there; it matches what the
 * patterns match, at the same places (about 12% less time over generated output).
 */
const FIRST = String.raw`(?=[A-Za-z0-9_~."'+/?&-])`;
const ANY = new RegExp(`${FIRST}(?:${PATTERNS.map((p) => `(${p.re.source})`).join('|')})`, 'g');

/** One credential-looking string found in a text. */
export interface CredentialMatch {
  /** What it looks like, e.g. "an AWS access key id". */
  readonly kind: string;
  /** 1-based line number. */
  readonly line: number;
  /** The first characters only, never the whole value. */
  readonly preview: string;
}

/**
 * Finds credential-looking strings in a text (one pass of one combined pattern); base64 blobs
 * that decode to text are decoded and scanned again (once: `decode` is false inside).
 */
export function findCredentials(text: string, decode = true): CredentialMatch[] {
  const found: CredentialMatch[] = [];
  const re = decode ? ANY : new RegExp(ANY.source, 'g');
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const group = m.slice(1).findIndex((g) => g !== undefined);
    const p = PATTERNS[group];
    if (p.verify?.(m[0]) === false) continue;
    let kinds = p.expand ? (decode ? p.expand(m[0]) : []) : [p.name];
    let preview = m[0];
    if (p.named) {
      // `token: ghp_...` is a GitHub token: the value (after the name, which matched) is scanned for a known format
      preview = m[0].replace(/^(?:[Bb]earer[ \t]+|[^:=\n]*(?:[:=]|\n[^:]*:)[ \t]*["']?)/, '');
      const specific = decode ? findCredentials(preview, false).filter((c) => !PATTERNS.find((x) => x.name === c.kind)?.named) : [];
      if (specific.length > 0) kinds = [specific[0].kind];
    }
    if (kinds.length === 0) continue;
    const line = text.slice(0, m.index).split('\n').length;
    for (const kind of kinds) found.push({ kind, line, preview: `${preview.slice(0, 4)}…` });
  }
  return found;
}
