import { Construct } from 'constructs';
import { BUILT_IN_EXCEPTIONS } from '../../policy/built-in-exceptions';
import { catalogOptions } from '../catalog-options';
import { ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, management, resources } from './common';

/** Argo Workflows with SSO login and the non-root executor. */
export function argoWorkflows(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
  options = catalogOptions(scope, 'argoWorkflows', options);
  return entry(scope, 'argo-workflows', options, {
    chart: CHARTS.argoWorkflows, policyExceptions: [...BUILT_IN_EXCEPTIONS.argoWorkflows], namespace: 'argo-workflows', targets: management(),
    values: { server: { authModes: ['sso'], resources: resources('50m', '128Mi', '256Mi') }, controller: { resources: resources('100m', '128Mi', '512Mi') }, executor: { image: { nonroot: true } } },
  });
}
