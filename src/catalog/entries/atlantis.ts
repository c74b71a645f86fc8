import { Construct } from 'constructs';
import { fail, messages } from '../../core/errors';
import { catalogOptions } from '../catalog-options';
import { ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, externalSecret, management, resources } from './common';

/**
 * Atlantis: Terraform in pull requests, on GitHub as `githubUser`. Its token and webhook secret
 * come from the secret store entry `atlantis-vcs` (`github_token`, `github_secret`).
 */
export function atlantis(scope: Construct, options: CatalogEntryOptions & { readonly orgAllowlist: string; readonly githubUser: string }): ServiceCatalogEntry {
  options = catalogOptions(scope, 'atlantis', options);
  if (!options?.orgAllowlist) fail(`${scope.node.path}/atlantis`, messages.catalog.atlantisOrgAllowlist(options?.orgAllowlist));
  if (typeof options.githubUser !== 'string' || !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?(?:\[bot\])?$/.test(options.githubUser)) {
    fail(`${scope.node.path}/atlantis`, messages.catalog.atlantisGithubUser(options.githubUser));
  }
  return entry(scope, 'atlantis', options, {
    chart: CHARTS.atlantis, namespace: 'atlantis', targets: management(),
    // github.user turns on the chart's GitHub settings: the token and webhook secret of vcsSecretName
    values: { orgAllowlist: options.orgAllowlist, github: { user: options.githubUser }, vcsSecretName: 'atlantis-vcs', resources: resources('100m', '256Mi', '1Gi') },
    manifests: [externalSecret(scope, 'atlantis-vcs', 'atlantis', 'atlantis-vcs', { 'github_token': 'github_token', 'github_secret': 'github_secret' })],
  });
}
