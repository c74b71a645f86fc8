import { Construct } from 'constructs';
import { BUILT_IN_EXCEPTIONS } from '../../policy/built-in-exceptions';
import { catalogOptions } from '../catalog-options';
import { ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, management, resources } from './common';

/**
 * Argo Workflows with the non-root executor. Its server authenticates each request with the
 * caller's own Kubernetes token (`client` mode): SSO mode needs an OIDC client with a secret
 * (`server.sso`), without which the server does not start; turn it on through `values`.
 */
export function argoWorkflows(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
  options = catalogOptions(scope, 'argoWorkflows', options);
  return entry(scope, 'argo-workflows', options, {
    chart: CHARTS.argoWorkflows, policyExceptions: [...BUILT_IN_EXCEPTIONS.argoWorkflows], namespace: 'argo-workflows', targets: management(),
    values: { server: { authModes: ['client'], resources: resources('50m', '128Mi', '256Mi') }, controller: { resources: resources('100m', '128Mi', '512Mi') }, executor: { image: { nonroot: true } } },
  });
}
