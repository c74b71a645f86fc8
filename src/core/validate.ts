import { Cidr, parseCidr } from './cidr';
import { fail, messages } from './errors';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$/;

/** True when `value` is a DNS-1123 label (what Kubernetes needs for most names). */
export function isDnsLabel(value: unknown): value is string {
  return typeof value === 'string' && DNS_LABEL.test(value);
}

/** Throws a validation error naming `path` unless `value` is a DNS-1123 label. */
export function checkDnsLabel(path: string, prop: string, value: unknown): string {
  if (!isDnsLabel(value)) fail(path, messages.dnsLabel(prop, value));
  return value;
}

/** True when `value` is a DNS name of two or more labels, at most 253 characters (what DNS, TLS and Gateway API hostnames allow). */
export function isDnsName(value: unknown): value is string {
  return typeof value === 'string' && DNS_NAME.test(value);
}

/** Throws unless `value` is a DNS name such as `platform.acme.dev`. */
export function checkDomain(path: string, prop: string, value: unknown): string {
  if (typeof value !== 'string' || !DNS_NAME.test(value)) fail(path, messages.domain(prop, value));
  return value;
}

/** Throws unless `value` is a non-empty string (no surrounding spaces). */
export function checkString(path: string, prop: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.trim() !== value) fail(path, messages.requiredString(prop, value));
  return value;
}

/** Throws unless `value` is a git repository URL Argo CD accepts. */
export function checkRepoUrl(path: string, prop: string, value: unknown): string {
  const ok = typeof value === 'string' && (
    /^https:\/\/[a-zA-Z0-9.-]+(:\d+)?\/[\w.~/-]+$/.test(value) ||
    /^ssh:\/\/[\w.-]+@[a-zA-Z0-9.-]+(:\d+)?\/[\w.~/-]+$/.test(value) ||
    /^[\w.-]+@[a-zA-Z0-9.-]+:[\w.~/-]+$/.test(value));
  if (!ok) fail(path, messages.url(prop, value));
  return value as string;
}

/**
 * The key Argo CD compares repository URLs by (`git.SameURL`): lower case, an scp-like ssh
 * address (`git@host:org/repo`) as `git@host/org/repo`, no `ssh://` and no `.git` suffix. Two
 * URLs with one key are one repository to Argo CD (its repository Secrets, its project sources).
 * @see https://github.com/argoproj/argo-cd/blob/master/util/git/git.go
 */
export function repoUrlKey(url: string): string {
  const key = url.trim().toLowerCase();
  // scp-like ssh (user@host:path): its first ":" is a "/" (with ssh://, a ":" is a port)
  const ssh = key.startsWith('ssh://') ? key.slice('ssh://'.length) : /^[^/:]*@[^@]+$/.test(key) ? key.replace(':', '/') : key;
  return ssh.replace(/\.git$/, '');
}

/** Throws unless `value` is a whole number >= 1. */
export function checkPositiveInt(path: string, prop: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) fail(path, messages.positiveInt(prop, value));
  return value;
}

/** Throws unless `value` is a valid IPv4 CIDR. */
export function checkCidr(path: string, prop: string, value: unknown): Cidr {
  const c = parseCidr(value);
  if (!c) fail(path, messages.cidr(prop, value));
  return c;
}

/** True when a string holds a Go template delimiter (`{{` or `}}`). */
export function hasTemplateDelimiter(value: string): boolean {
  return value.includes('{{') || value.includes('}}');
}

/** Throws unless `value` (a string) holds no Go template delimiter: it is data in an ApplicationSet template. */
export function checkNoTemplate(path: string, prop: string, value: string): string {
  if (hasTemplateDelimiter(value)) fail(path, messages.templateDelimiters(prop, value));
  return value;
}

/**
 * Throws unless `value` is a git revision Argo CD can track: a branch, tag or commit that
 * `git check-ref-format` accepts (no spaces, control characters, `~^:?*[\`, `..`, `@{`,
 * no leading "-" or "/", no trailing "/", "." or ".lock"), and no `{` or `}`.
 * @see https://git-scm.com/docs/git-check-ref-format
 */
export function checkGitRevision(path: string, prop: string, value: unknown): string {
  const ok = typeof value === 'string' && value.length > 0 && value.length <= 255
    && !/[\x00-\x20\x7f~^:?*[\\{}]/.test(value) && !value.includes('..') && !value.includes('@{') && !value.includes('//')
    && !/^[-/.]/.test(value) && !/(\/|\.|\.lock)$/.test(value) && !value.split('/').some((s) => s.startsWith('.'));
  if (!ok) {
    fail(path, messages.props.gitRevision(prop, value));
  }
  return value as string;
}

const HELM_RELEASE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Throws unless `value` is a Helm release name: at most 53 characters of lower-case letters,
 * digits, "-" and ".", as `helm install` demands.
 * @see https://helm.sh/docs/chart_best_practices/conventions/
 */
export function checkHelmReleaseName(path: string, prop: string, value: unknown): string {
  if (typeof value !== 'string' || value.length > 53 || !HELM_RELEASE.test(value)) {
    fail(path, messages.props.helmReleaseName(prop, value));
  }
  return value as string;
}

/** Argo CD's Application sync options and the values each takes. */
const SYNC_OPTIONS: Record<string, readonly string[]> = {
  Validate: ['true', 'false'],
  SkipDryRunOnMissingResource: ['true', 'false'],
  PruneLast: ['true', 'false'],
  ApplyOutOfSyncOnly: ['true', 'false'],
  PrunePropagationPolicy: ['foreground', 'background', 'orphan'],
  Replace: ['true', 'false'],
  ServerSideApply: ['true', 'false'],
  FailOnSharedResource: ['true', 'false'],
  RespectIgnoreDifferences: ['true', 'false'],
  CreateNamespace: ['true', 'false'],
  ClientSideApplyMigration: ['true', 'false'],
};

/**
 * Throws unless every entry is an Argo CD sync option `Name=value` it knows.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/
 */
export function checkSyncOptions(path: string, prop: string, value: unknown): string[] {
  if (!Array.isArray(value)) fail(path, messages.props.syncOptions(prop, value));
  value.forEach((o, i) => {
    const [name, v, ...rest] = typeof o === 'string' ? o.split('=') : [];
    if (rest.length || !name || !SYNC_OPTIONS[name]?.includes(v)) {
      fail(path, messages.props.syncOption(`${prop}[${i}]`, o, SYNC_OPTIONS));
    }
  });
  return [...value] as string[];
}

const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/** True for a Kubernetes label or annotation key: `[prefix/]name`, prefix a DNS subdomain of up to 253 characters, name up to 63. */
export function isQualifiedName(key: unknown): key is string {
  return typeof key === 'string' && QUALIFIED_NAME.test(key) && (key.includes('/') ? key.indexOf('/') <= 253 : true);
}

/** True for a Kubernetes label value (up to 63 characters of letters, digits, "-", "_" and ".", or empty). */
export function isLabelValue(value: unknown): value is string {
  return typeof value === 'string' && LABEL_VALUE.test(value);
}

/** Throws unless every key and value is a Kubernetes label key and value; returns a copy. */
export function checkLabelMap(path: string, prop: string, labels: unknown): Record<string, string> {
  if (labels === undefined) return {};
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) fail(path, messages.props.labels(prop, labels));
  for (const [k, v] of Object.entries(labels)) {
    if (!isQualifiedName(k)) fail(path, messages.props.labelKey(prop, k));
    if (typeof v !== 'string' || !LABEL_VALUE.test(v)) fail(path, messages.props.labelValue(prop, k, v));
  }
  return { ...(labels as Record<string, string>) };
}

/** Throws unless every key is a Kubernetes annotation key and every value a string (256 KiB in all at most); returns a copy. */
export function checkAnnotationMap(path: string, prop: string, annotations: unknown): Record<string, string> {
  if (annotations === undefined) return {};
  if (typeof annotations !== 'object' || annotations === null || Array.isArray(annotations)) fail(path, messages.props.annotations(prop, annotations));
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    if (!isQualifiedName(k)) fail(path, messages.props.annotationKey(prop, k));
    if (typeof v !== 'string') fail(path, messages.props.annotationValue(prop, k, v));
    size += k.length + v.length;
  }
  if (size > 256 * 1024) fail(path, messages.props.annotationsSize(prop, size));
  return { ...(annotations as Record<string, string>) };
}

/** Throws unless `value` is a TCP/UDP port number, 1 to 65535. */
export function checkPort(path: string, prop: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) fail(path, messages.props.port(prop, value));
  return value;
}

/** Throws unless `value` is an absolute HTTP path (`/healthz`): characters RFC 3986 allows in a path, no spaces, at most 1,024. */
export function checkHttpPath(path: string, prop: string, value: unknown): string {
  if (typeof value !== 'string' || value.length > 1024 || !/^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/.test(value)) {
    fail(path, messages.props.httpPath(prop, value));
  }
  return value;
}

/** Throws unless `value` is a Kubernetes kind (`ClusterIssuer`): a letter, then letters and digits. */
export function checkKind(path: string, prop: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9]{0,62}$/.test(value)) fail(path, messages.props.kind(prop, value));
  return value;
}

/** Throws unless `value` is a Kubernetes apiVersion (`v1`, `cert-manager.io/v1`). */
export function checkApiVersion(path: string, prop: string, value: unknown): string {
  if (typeof value !== 'string' || !/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(value)) {
    fail(path, messages.props.apiVersion(prop, value));
  }
  return value;
}

/** Throws unless `value` is an Azure location name (`westeurope`, `eastus2`). */
export function checkAzureLocation(path: string, prop: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[a-z][a-z0-9]{2,40}$/.test(value)) fail(path, messages.props.azureLocation(prop, value));
  // Azure Government and Azure operated by 21Vianet: their own Entra ID, Key Vault and ARM
  // endpoints, where the platform speaks the public cloud's
  if (AZURE_SOVEREIGN_LOCATION.test(value)) fail(path, messages.props.azureSovereignLocation(prop, value));
  return value;
}

/** The locations of Azure's sovereign clouds (Azure Government, Azure in China). */
const AZURE_SOVEREIGN_LOCATION = /^(usgov|usdod|ussec|usnat|china)/;

/** Throws unless `value` is an AWS region code (`eu-west-1`, `us-gov-west-1`). */
export function checkAwsRegion(path: string, prop: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$/.test(value)) fail(path, messages.props.awsRegion(prop, value));
  return value;
}

/**
 * Throws unless every tag is one both clouds accept: keys of 1 to 128 and values of up to 256
 * letters, digits, spaces and `_ . : / = + - @` (AWS's rule; Azure's is wider), keys not
 * starting with "aws:" or "azure" (reserved). Returns a copy.
 */
export function checkCloudTags(path: string, prop: string, tags: unknown): Record<string, string> {
  if (tags === undefined) return {};
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) fail(path, messages.props.cloudTags(prop, tags));
  for (const [k, v] of Object.entries(tags)) {
    if (!/^[\p{L}\p{N} _.:/=+\-@]{1,128}$/u.test(k) || /^(aws:|azure|microsoft|windows)/i.test(k)) {
      fail(path, messages.props.cloudTagKey(prop, k));
    }
    if (typeof v !== 'string' || !/^[\p{L}\p{N} _.:/=+\-@]{0,256}$/u.test(v)) {
      fail(path, messages.props.cloudTagValue(prop, k, v));
    }
  }
  return { ...(tags as Record<string, string>) };
}

/** The bucket name prefixes and suffixes S3 keeps for its own features (access points, directory and table buckets, ...). */
const S3_RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const S3_RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/**
 * The names the clouds check only when Terraform applies: what each allows, as the providers
 * validate them (a bad one would fail the first `terraform apply`, after other resources exist).
 */
export const CLOUD_NAMES = {
  /** Azure resource group: 1 to 90 letters, digits, "_", "-", ".", "(" and ")", not ending with ".". */
  azureResourceGroup: {
    test: (v: string) => /^[-\w.()]{1,90}$/.test(v) && !v.endsWith('.'),
    rule: '1 to 90 letters, digits, "_", "-", ".", "(" and ")", not ending with "." (Azure\'s resource group names)',
    example: 'rg-platform',
  },
  /** Azure Key Vault: 3 to 24 letters, digits and "-", starting with a letter, ending with a letter or digit, no "--". */
  azureKeyVault: {
    test: (v: string) => /^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/.test(v) && !v.includes('--'),
    rule: '3 to 24 letters, digits and "-", starting with a letter, ending with a letter or digit, without "--" (Key Vault names, also the vault\'s DNS name)',
    example: 'acme-platform',
  },
  /** Azure storage account: 3 to 24 lower-case letters and digits. */
  azureStorageAccount: {
    test: (v: string) => /^[a-z0-9]{3,24}$/.test(v),
    rule: '3 to 24 lower-case letters and digits (storage account names, also the account\'s DNS name)',
    example: 'acmetfstate',
  },
  /** Azure blob container: 3 to 63 lower-case letters, digits and "-", starting and ending with a letter or digit, no "--". */
  azureContainer: {
    test: (v: string) => /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(v) && !v.includes('--'),
    rule: '3 to 63 lower-case letters, digits and "-", starting and ending with a letter or digit, without "--" (blob container names)',
    example: 'tfstate',
  },
  /**
   * S3 bucket: 3 to 63 lower-case letters, digits, "." and "-", starting and ending with a letter or
   * digit, no "..", not an IP address, none of the prefixes and suffixes S3 reserves.
   */
  s3Bucket: {
    test: (v: string) => /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v) && !v.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(v)
      && !S3_RESERVED_PREFIXES.some((p) => v.startsWith(p)) && !S3_RESERVED_SUFFIXES.some((x) => v.endsWith(x)),
    rule: '3 to 63 lower-case letters, digits, "." and "-", starting and ending with a letter or digit, without "..", not shaped like an IP address, '
      + `not starting with ${S3_RESERVED_PREFIXES.map((p) => `"${p}"`).join(', ')} nor ending with ${S3_RESERVED_SUFFIXES.map((x) => `"${x}"`).join(', ')} (S3 bucket names)`,
    example: 'acme-tfstate',
  },
  /** AWS Secrets Manager name prefix: letters, digits and "/_+=.@-". */
  secretsManagerPrefix: {
    test: (v: string) => /^[A-Za-z0-9/_+=.@-]{1,256}$/.test(v),
    rule: '1 to 256 letters, digits and "/", "_", "+", "=", ".", "@", "-" (the characters of Secrets Manager secret names)',
    example: 'platform/',
  },
} as const;

/** Throws unless `value` is a name `kind` allows (see {@link CLOUD_NAMES}); the plain string check first. */
export function checkCloudName(path: string, prop: string, value: unknown, kind: keyof typeof CLOUD_NAMES): string {
  const v = checkString(path, prop, value);
  const name = CLOUD_NAMES[kind];
  if (!name.test(v)) fail(path, messages.model.cloudName(prop, v, name.rule, name.example));
  return v;
}
