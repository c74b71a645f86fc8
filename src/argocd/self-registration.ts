import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { toYaml } from '../synth/yaml';
import { EXTERNAL_SECRETS_API_VERSION, PLATFORM_SECRET_STORE } from './cluster-registration';
import { ARGOCD_NAMESPACE } from './types';

/** The Secret the argo-cd chart creates for a `configs.clusterCredentials` entry (`nameOverride: argocd`). */
export function chartClusterSecretName(cluster: string): string {
  return `argocd-cluster-${cluster}`;
}

/**
 * The management cluster registers itself through the argo-cd chart (so the root
 * Application has a destination at bootstrap); values its add-on identities produce are
 * only known after `terraform apply`. This ExternalSecret merges them, from the store entry
 * the management state writes, as annotations onto that registration, so ApplicationSets
 * read them on the management cluster as on any fleet cluster.
 * @see https://external-secrets.io/latest/guides/ownership-deletion-policy/
 */
export function selfRegistrationOutputs(scope: Construct, id: string, p: { cluster: string; remoteKey: string; outputs: string[] }): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: EXTERNAL_SECRETS_API_VERSION,
    kind: 'ExternalSecret',
    metadata: {
      name: `cluster-${p.cluster}-outputs`,
      namespace: ARGOCD_NAMESPACE,
      annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' },
    },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: PLATFORM_SECRET_STORE },
      target: {
        name: chartClusterSecretName(p.cluster),
        creationPolicy: 'Merge',
        template: {
          engineVersion: 'v2',
          templateFrom: [{ target: 'Annotations', literal: toYaml(Object.fromEntries(p.outputs.map((o) => [o, `{{ .${o} }}`]))) }],
        },
      },
      data: p.outputs.map((o) => ({ secretKey: o, remoteRef: { key: p.remoteKey, property: o } })),
    },
  });
}
