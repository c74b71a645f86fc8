import { shortHash } from '../core/files';
import { repoUrlKey } from '../core/validate';

/** The name of the AppProject of platform components. */
export const PLATFORM_PROJECT = 'platform';

/**
 * The folder of a team repository as Argo CD syncs it: `deploy` when unset, without `.` and
 * empty segments (`./k8s/` is `k8s`), `.` for the repository's root.
 */
export function teamRepositoryPath(path: string | undefined): string {
  return (path ?? 'deploy').split('/').filter((s) => s !== '' && s !== '.').join('/') || '.';
}

/**
 * What identifies a team repository entry whatever its place in the list: its URL as Argo CD
 * compares URLs ({@link repoUrlKey}) and its folder ({@link teamRepositoryPath}).
 */
export function teamRepositoryKey(url: string, path: string | undefined): string {
  return `${repoUrlKey(url)}\n${teamRepositoryPath(path)}`;
}

/**
 * The Application of a NamespaceTenant's repository entry: `<project>-<8 hex of the sha256 of
 * its key>`, stable when entries are added, removed or reordered (a name by position would
 * retarget an Application, and deleting the last one would cascade-delete another
 * repository's objects). At most 72 characters (the project is a DNS label).
 */
export function teamApplicationName(project: string, url: string, path: string | undefined): string {
  return `${project}-${shortHash(teamRepositoryKey(url, path))}`;
}

/** The repository Secret (and its ExternalSecret) of a NamespaceTenant's repository URL: `repo-<project>-<8 hex of the sha256 of the URL's key>`. */
export function teamRepositorySecretName(project: string, url: string): string {
  return `repo-${project}-${shortHash(repoUrlKey(url))}`;
}
