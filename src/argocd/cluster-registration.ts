import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ArgoAuthKind, AZURE_TOKEN_FILE } from '../terraform/fleet-access';
import { ARGOCD_NAMESPACE } from './types';
import { toYaml } from '../synth/yaml';

/** External Secrets' API group/version. */
export const EXTERNAL_SECRETS_API_VERSION = 'external-secrets.io/v1';
/** Name of the platform's ClusterSecretStore. */
export const PLATFORM_SECRET_STORE = 'platform';
/** Argo CD's label for cluster Secrets. */
export const CLUSTER_SECRET_LABEL = 'argocd.argoproj.io/secret-type';

/** Props of {@link clusterRegistration}. */
export interface ClusterRegistrationProps {
  /** Argo CD cluster name. */
  readonly name: string;
  /** The store entry the fleet stack wrote (`remoteRef.key`). */
  readonly remoteKey: string;
  /** How Argo CD authenticates. */
  readonly auth: ArgoAuthKind;
  /** Cloud region (AWS auth needs it for STS). */
  readonly region: string;
  /** Labels of the cluster Secret. */
  readonly labels: Record<string, string>;
  /** Static annotations of the cluster Secret. */
  readonly annotations: Record<string, string>;
  /** Facts of the store entry rendered as annotations (Terraform outputs). */
  readonly outputAnnotations: string[];
  /** Facts the auth config needs besides `server` and `caData`. */
  readonly authFacts: string[];
  /** The application controller shard the cluster is pinned to. */
  readonly shard?: number;
  /**
   * The sync wave of the ExternalSecret: after the catalog's ApplicationSets (`afterCatalogWave`)
   * for a cluster whose store entry another state writes, since Argo CD counts the ExternalSecret
   * Degraded until it exists and a Degraded object fails its wave, holding back every later one.
   */
  readonly syncWave?: number;
}

/** The annotations of a registration: no dry run (External Secrets' CRD comes with an Application), and its wave if any. */
function registrationAnnotations(syncWave: number | undefined): Record<string, string> {
  // PruneLast: a cluster removed from code goes with the Applications that deploy to it, in one sync of
  // the root Application. Pruned in its wave, the registration (and, through its owner, the cluster
  // Secret) could go first; then each Application's finalizer found no destination and let go
  // without deleting what it deployed. Pruned last, it goes after gitops-engine has waited for those
  // Applications to be deleted
  return { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true,PruneLast=true', ...(syncWave !== undefined ? { 'argocd.argoproj.io/sync-wave': String(syncWave) } : {}) };
}

/** The Argo CD cluster `config` for an auth kind, as a Go template over the store entry's facts. */
export function clusterConfigTemplate(name: string, auth: ArgoAuthKind, region: string): string {
  const tls = { insecure: false, caData: '{{ .caData }}' };
  switch (auth) {
    case ArgoAuthKind.AWS_POD_IDENTITY:
      return JSON.stringify({ awsAuthConfig: { clusterName: name }, tlsClientConfig: tls });
    case ArgoAuthKind.AWS_WEB_IDENTITY:
      return JSON.stringify({
        execProviderConfig: {
          command: 'argocd-k8s-auth',
          args: ['aws', '--cluster-name', name],
          env: { AWS_ROLE_ARN: '{{ .argocdRoleArn }}', AWS_WEB_IDENTITY_TOKEN_FILE: AZURE_TOKEN_FILE, AWS_REGION: region },
          apiVersion: 'client.authentication.k8s.io/v1beta1',
        },
        tlsClientConfig: tls,
      });
    default:
      return JSON.stringify({
        execProviderConfig: {
          command: 'argocd-k8s-auth',
          args: ['azure'],
          env: {
            AAD_LOGIN_METHOD: 'workloadidentity',
            AAD_ENVIRONMENT_NAME: 'AzurePublicCloud',
            AZURE_CLIENT_ID: '{{ .argocdClientId }}',
            AZURE_TENANT_ID: '{{ .argocdTenantId }}',
            AZURE_FEDERATED_TOKEN_FILE: AZURE_TOKEN_FILE,
            AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.com/',
          },
          apiVersion: 'client.authentication.k8s.io/v1beta1',
        },
        tlsClientConfig: tls,
      });
  }
}

/**
 * An ExternalSecret that templates the Argo CD cluster Secret from the connection
 * facts the fleet's Terraform wrote into the platform secret store: no token, no
 * kubeconfig and no Secret data in Git.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/#clusters
 */
export function clusterRegistration(scope: Construct, id: string, p: ClusterRegistrationProps): ApiObject {
  const facts = ['server', 'caData', ...p.authFacts, ...p.outputAnnotations];
  return new ApiObject(scope, id, {
    apiVersion: EXTERNAL_SECRETS_API_VERSION,
    kind: 'ExternalSecret',
    metadata: {
      name: `cluster-${p.name}`,
      namespace: ARGOCD_NAMESPACE,
      annotations: registrationAnnotations(p.syncWave),
    },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: PLATFORM_SECRET_STORE },
      target: {
        name: `cluster-${p.name}`,
        creationPolicy: 'Owner',
        template: {
          engineVersion: 'v2',
          metadata: {
            labels: { ...p.labels, [CLUSTER_SECRET_LABEL]: 'cluster' },
            annotations: { ...p.annotations },
          },
          data: {
            name: p.name,
            server: '{{ .server }}',
            config: clusterConfigTemplate(p.name, p.auth, p.region),
            ...(p.shard !== undefined ? { shard: String(p.shard) } : {}),
          },
          templateFrom: p.outputAnnotations.length === 0 ? undefined : [{
            target: 'Annotations',
            literal: toYaml(Object.fromEntries(p.outputAnnotations.map((o) => [o, `{{ .${o} }}`]))),
          }],
        },
      },
      data: facts.map((f) => ({ secretKey: f, remoteRef: { key: p.remoteKey, property: f } })),
    },
  });
}

/** Props of {@link tenantRegistration}. */
export interface TenantRegistrationProps {
  readonly name: string;
  readonly server: string;
  readonly remoteKey: string;
  readonly labels: Record<string, string>;
  /** The sync wave of the ExternalSecret (see {@link ClusterRegistrationProps.syncWave}). */
  readonly syncWave?: number;
  /**
   * Whether the host pushed vCluster's whole Secret to the entry, read back by its keys (see
   * {@link kubeconfigPushData}), instead of three properties of the entry.
   */
  readonly wholeSecret: boolean;
}

/**
 * The fields of a virtual cluster's kubeconfig the platform store keeps: the key of vCluster's
 * exported Secret, and the field of Argo CD's `tlsClientConfig` it becomes.
 */
export const KUBECONFIG_FIELDS = [['certificate-authority', 'caData'], ['client-certificate', 'certData'], ['client-key', 'keyData']] as const;

/**
 * The PushSecret's `data` for a virtual cluster's kubeconfig: each field as a property of the
 * entry (`caData`, `certData`, `keyData`), which AWS Secrets Manager and Vault merge into one
 * JSON document; or, with `wholeSecret` (a store whose push ignores a property and writes the
 * value as the whole entry: Azure Key Vault, where three properties would leave the last field
 * only), vCluster's whole Secret as one JSON document.
 */
export function kubeconfigPushData(remoteKey: string, wholeSecret: boolean): unknown[] {
  if (wholeSecret) return [{ match: { remoteRef: { remoteKey } } }];
  return KUBECONFIG_FIELDS.map(([secretKey, property]) => ({ match: { secretKey, remoteRef: { remoteKey, property } } }));
}

/**
 * The registration of a tenant's virtual cluster: the kubeconfig vCluster exported on its
 * host was pushed to the platform store (PushSecret); this templates the Argo CD cluster
 * Secret from it. The client certificate only ever lives in the store and in-cluster Secrets.
 */
export function tenantRegistration(scope: Construct, id: string, p: TenantRegistrationProps): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: EXTERNAL_SECRETS_API_VERSION,
    kind: 'ExternalSecret',
    metadata: { name: `cluster-${p.name}`, namespace: ARGOCD_NAMESPACE, annotations: registrationAnnotations(p.syncWave) },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: PLATFORM_SECRET_STORE },
      target: {
        name: `cluster-${p.name}`,
        creationPolicy: 'Owner',
        template: {
          engineVersion: 'v2',
          metadata: { labels: { ...p.labels, [CLUSTER_SECRET_LABEL]: 'cluster' } },
          data: {
            name: p.name,
            server: p.server,
            config: JSON.stringify({ tlsClientConfig: { insecure: false, caData: '{{ .caData | b64enc }}', certData: '{{ .certData | b64enc }}', keyData: '{{ .keyData | b64enc }}' } }),
          },
        },
      },
      data: KUBECONFIG_FIELDS.map(([key, f]) => ({ secretKey: f, remoteRef: { key: p.remoteKey, property: p.wholeSecret ? key : f } })),
    },
  });
}
