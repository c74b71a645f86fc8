import { Construct } from 'constructs';
import { BUILT_IN_EXCEPTIONS } from '../../policy/built-in-exceptions';
import { catalogOptions } from '../catalog-options';
import { ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, management, resources } from './common';

const WORKFLOWS_NAMESPACE = 'argo-workflows';
/** The service account a Workflow's pods run as by default (the chart's name for it). */
const WORKFLOW_SERVICE_ACCOUNT = 'argo-workflow';

/**
 * Argo Workflows with the non-root executor. Workflows run in its namespace, as the service
 * account `argo-workflow` the chart creates and binds to the executor's Role. Its server authenticates each request with the
 * caller's own Kubernetes token (`client` mode): SSO mode needs an OIDC client with a secret
 * (`server.sso`), without which the server does not start; turn it on through `values`.
 */
export function argoWorkflows(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
  options = catalogOptions(scope, 'argoWorkflows', options);
  return entry(scope, 'argo-workflows', options, {
    chart: CHARTS.argoWorkflows, policyExceptions: [...BUILT_IN_EXCEPTIONS.argoWorkflows], namespace: WORKFLOWS_NAMESPACE, targets: management(),
    values: {
      server: { authModes: ['client'], resources: resources('50m', '128Mi', '256Mi') },
      // a Workflow's pods run as `argo-workflow` in the entry's namespace, which the chart binds to the
      // executor's Role but does not create by default: without it they ran as `default`, which may not
      // report their results (workflowtaskresults), and every step failed
      controller: {
        resources: resources('100m', '128Mi', '512Mi'),
        workflowNamespaces: [WORKFLOWS_NAMESPACE],
        workflowDefaults: { spec: { serviceAccountName: WORKFLOW_SERVICE_ACCOUNT } },
      },
      workflow: { serviceAccount: { create: true, name: WORKFLOW_SERVICE_ACCOUNT } },
      executor: { image: { nonroot: true } },
    },
  });
}
