/**
 * The shape of an Argo CD repository Secret whose credentials come from the platform secret
 * store: which properties of the store entry it holds, its fixed (non-credential) keys and its
 * labels. One definition for the three writers: a NamespaceTenant's ExternalSecret, the
 * platform repository's ExternalSecret and the management state's bootstrap Secret, so they
 * agree on keys and labels.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/#repositories
 */

/** The label that makes a Secret an Argo CD repository. */
export const REPOSITORY_SECRET_LABELS: Readonly<Record<string, string>> = { 'argocd.argoproj.io/secret-type': 'repository' };

/** The Secret (in the argocd namespace) holding the platform repository's credentials. */
export const PLATFORM_REPOSITORY_SECRET = 'platform-repository';

/**
 * The properties of the store entry a repository's credentials are (and the Secret keys they
 * land in): `username` and `password` for an https URL, `sshPrivateKey` for ssh (`ssh://` or
 * scp-like `git@host:org/repo`).
 */
export function repositoryCredentialProperties(url: string): string[] {
  return /^https:\/\//.test(url) ? ['username', 'password'] : ['sshPrivateKey'];
}

/** The Secret's keys that are not credentials: the repository type and URL (and its project, if scoped). */
export function repositoryFixedData(url: string, project?: string): Record<string, string> {
  return { type: 'git', url, ...(project ? { project } : {}) };
}
