import { Construct } from 'constructs';
import { BUILT_IN_EXCEPTIONS } from '../../policy/built-in-exceptions';
import { fail, messages } from '../../core/errors';
import { checkInstance, checkRecord } from '../../core/data';
import { AcmeOptions, AcmeSolver } from '../acme-solver';
import { catalogOptions } from '../catalog-options';
import { ManifestObject, ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, externalSecret, label, merge, resources } from './common';

/** The controllers cert-manager runs: all but the ingress and gateway shims (see {@link certManager}). */
export const CERT_MANAGER_CONTROLLERS = '--controllers=*,-ingress-shim,-gateway-shim';

/** Options of {@link Catalog.certManager}. */
export interface CertManagerOptions extends CatalogEntryOptions {
  /**
   * Create the ClusterIssuers `letsencrypt-staging` and `letsencrypt-production`.
   * @default - no issuer
   */
  readonly acme?: AcmeOptions;
}

/**
 * cert-manager with its CRDs, and optional Let's Encrypt ClusterIssuers (staging and production).
 * It issues the certificates of Certificate objects only: its ingress and gateway shims, which turn
 * the `cert-manager.io/cluster-issuer` annotation of any namespace's Ingress or Gateway into a
 * Certificate, are off (a tenant's team could otherwise have the platform's issuers prove the
 * platform's own names for it).
 */
export function certManager(scope: Construct, options: CertManagerOptions = {}): ServiceCatalogEntry {
  options = catalogOptions(scope, 'certManager', options);
  const acme = options.acme;
  if (acme !== undefined) {
    checkRecord(`${scope.node.path}/cert-manager`, 'acme', acme, '{ email, solver: AcmeSolver.http01Gateway({...}) }');
    checkInstance(`${scope.node.path}/cert-manager`, 'acme.solver', acme.solver, AcmeSolver, 'AcmeSolver.http01Gateway({...}) and the other AcmeSolver factories')._validate(`${scope.node.path}/cert-manager`);
  }
  if (acme && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(acme.email)) {
    fail(`${scope.node.path}/cert-manager`, messages.catalog.acmeEmail(acme.email));
  }
  const issuers: ManifestObject[] = acme ? [['letsencrypt-staging', 'https://acme-staging-v02.api.letsencrypt.org/directory'], ['letsencrypt-production', 'https://acme-v02.api.letsencrypt.org/directory']]
    .map(([name, server]) => ({
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name },
      spec: { acme: { email: acme.email, server, privateKeySecretRef: { name: `${name}-account-key` }, solvers: [acme.solver._solver] } },
    })) : [];
  if (acme?.solver._cloudflareStoreKey) issuers.push(externalSecret(scope, 'cloudflare-api-token', 'cert-manager', acme.solver._cloudflareStoreKey, { 'api-token': 'api-token' }));
  return entry(scope, 'cert-manager', options, {
    chart: CHARTS.certManager, policyExceptions: [...BUILT_IN_EXCEPTIONS.certManager],
    namespace: 'cert-manager',
    identity: acme?.solver._identity,
    targets: label('security-basic'),
    serverSideApply: true,
    values: merge({
      crds: { enabled: true, keep: true },
      replicaCount: 2,
      podDisruptionBudget: { enabled: true },
      resources: resources('50m', '128Mi', '256Mi'),
      webhook: { replicaCount: 2, resources: resources('25m', '64Mi', '128Mi') },
      cainjector: { resources: resources('25m', '128Mi', '256Mi') },
      prometheus: { enabled: true },
      // no Certificates from annotations: cert-manager's ingress and gateway shims make a Certificate for
      // whatever hosts an annotated Ingress or Gateway of any namespace names, as cert-manager itself, past
      // the tenant fence, so a team's Ingress could get the key of argocd.<domain> from the platform's
      // ClusterIssuers; the platform's certificates are Certificate objects
      extraArgs: [CERT_MANAGER_CONTROLLERS],
    }, acme?.solver._values),
    manifests: issuers,
  })._watch(acme?.solver._watchedKinds ?? [], 'answer the challenges another way (AcmeSolver.http01Ingress or a DNS-01 solver)');
}
