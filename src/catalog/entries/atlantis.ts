import { Construct } from 'constructs';
import { fail, messages } from '../../core/errors';
import { catalogOptions } from '../catalog-options';
import { ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, externalSecret, management, resources } from './common';

/** Atlantis: Terraform in pull requests. VCS credentials come from the secret store entry `atlantis-vcs`. */
export function atlantis(scope: Construct, options: CatalogEntryOptions & { readonly orgAllowlist: string }): ServiceCatalogEntry {
  options = catalogOptions(scope, 'atlantis', options);
  if (!options?.orgAllowlist) fail(`${scope.node.path}/atlantis`, messages.catalog.atlantisOrgAllowlist(options?.orgAllowlist));
  return entry(scope, 'atlantis', options, {
    chart: CHARTS.atlantis, namespace: 'atlantis', targets: management(),
    values: { orgAllowlist: options.orgAllowlist, vcsSecretName: 'atlantis-vcs', resources: resources('100m', '256Mi', '1Gi') },
    manifests: [externalSecret(scope, 'atlantis-vcs', 'atlantis', 'atlantis-vcs', { 'github_token': 'github_token', 'github_secret': 'github_secret' })],
  });
}
