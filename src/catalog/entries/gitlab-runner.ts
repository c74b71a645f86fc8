import { Construct } from 'constructs';
import { fail, messages } from '../../core/errors';
import { catalogOptions } from '../catalog-options';
import { ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, externalSecret, hardened, management, resources } from './common';

/** GitLab Runner; the runner token comes from the secret store entry `gitlab-runner`. */
export function gitlabRunner(scope: Construct, options: CatalogEntryOptions & { readonly gitlabUrl: string }): ServiceCatalogEntry {
  options = catalogOptions(scope, 'gitlabRunner', options);
  if (!/^https:\/\//.test(options?.gitlabUrl ?? '')) fail(`${scope.node.path}/gitlab-runner`, messages.catalog.gitlabUrl(options?.gitlabUrl));
  return entry(scope, 'gitlab-runner', options, {
    chart: CHARTS.gitlabRunner, namespace: 'gitlab-runner', targets: management(),
    values: { gitlabUrl: options.gitlabUrl, runners: { secret: 'gitlab-runner' }, rbac: { create: true }, resources: resources('50m', '128Mi', '256Mi'), securityContext: { ...hardened, runAsNonRoot: true } },
    manifests: [externalSecret(scope, 'gitlab-runner', 'gitlab-runner', 'gitlab-runner', { 'runner-token': 'runner-token', 'runner-registration-token': 'runner-registration-token' })],
  });
}
