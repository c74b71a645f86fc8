import * as path from 'path';
import { AZURE_TOKEN_FILE } from '../terraform/fleet-access';
import { Sso } from '../model/sso';
import { toYaml } from '../synth/yaml';
import { ArgoCdSizing, sizingValues } from './sizing';

/**
 * What Argo CD's pods request (no limits: a controller's memory grows with the clusters and
 * Applications of its shard). The chart requests nothing, which makes every Argo CD pod one the
 * kubelet evicts first under memory pressure, on the nodes it shares with the catalog: the
 * controllers then rebuild every cluster's cache. The catalog's fit test checks them against
 * the smallest default node.
 */
const ARGOCD_REQUESTS = {
  controller: { requests: { cpu: '250m', memory: '512Mi' } },
  repoServer: { requests: { cpu: '100m', memory: '256Mi' } },
  server: { requests: { cpu: '50m', memory: '128Mi' } },
  small: { requests: { cpu: '25m', memory: '64Mi' } },
  tiny: { requests: { cpu: '10m', memory: '32Mi' } },
} as const;

/** Inputs of the Argo CD chart values. */
export interface ArgoCdValuesInput {
  /** Name of the management cluster as registered in its own Argo CD. */
  readonly clusterName: string;
  /** Public host name of the Argo CD UI/API. */
  readonly hostname: string;
  /** How people log in. */
  readonly sso?: Sso;
  /** SSO groups bound to `role:admin`. */
  readonly adminGroups: readonly string[];
  /** SSO groups bound to `role:readonly` (there is no default role). */
  readonly readOnlyGroups?: readonly string[];
  /** Run every component with more than one replica. */
  readonly highAvailability: boolean;
  /** Labels of the management cluster's own registration. */
  readonly clusterLabels: Record<string, string>;
  /**
   * How Argo CD's controller and server get a token Entra ID or AWS trusts:
   * `webhook` (AKS workload identity labels), `projected` (a projected service
   * account token with the Azure audience, for AKS fleet clusters of an EKS cockpit).
   */
  readonly workloadIdentity?: 'webhook' | 'projected';
  /** Turn on ApplicationSet progressive syncs (RollingSync). */
  readonly progressiveSyncs?: boolean;
  /** TLS ends at the Gateway in front of the server (`ArgoCdUi.gateway`): the server speaks plain HTTP. */
  readonly insecureServer?: boolean;
  /** Replicas and sharding sized from the fleet (else one controller, HA replicas of the rest). */
  readonly sizing?: ArgoCdSizing;
}


/**
 * Values for the argo-cd chart, hardened: local admin disabled, RBAC default
 * read-only with group-based admins, exec off, HA replicas. The management cluster
 * registers itself (in-cluster, no credentials) through `configs.clusterCredentials`,
 * so its labelled cluster Secret is rendered by the chart and no Secret is in Git.
 *
 * @see https://github.com/argoproj/argo-helm/blob/main/charts/argo-cd/values.yaml
 */
export function argoCdValues(input: ArgoCdValuesInput): Record<string, unknown> {
  const ha = input.highAvailability;
  // highly available: a drain (a node group's upgrade, the autoscaler's scale-down) evicts one
  // replica of each component at a time (the chart renders no PodDisruptionBudget by default)
  const pdb = ha ? { pdb: { enabled: true, maxUnavailable: 1 } } : {};
  const policyCsv = [...input.adminGroups.map((g) => `g, ${g}, role:admin`), ...(input.readOnlyGroups ?? []).map((g) => `g, ${g}, role:readonly`)].join('\n');
  const cm: Record<string, unknown> = {
    'url': `https://${input.hostname}`,
    'admin.enabled': false,
    'exec.enabled': false,
    'statusbadge.enabled': false,
  };
  const sized = input.sizing ? sizingValues(input.sizing, ha) : undefined;
  const params: Record<string, unknown> = {
    ...(input.progressiveSyncs ? { 'applicationsetcontroller.enable.progressive.syncs': true } : {}),
    ...(input.insecureServer ? { 'server.insecure': true } : {}),
    ...sized?.params,
  };
  const serverReplicas = ha ? 2 : 1;
  const values: Record<string, unknown> = {
    global: { domain: input.hostname },
    configs: {
      cm,
      rbac: {
        // no default role: Argo CD gives every signed-in user the default role's rights before any
        // other policy, and a deny cannot take them back, so role:readonly would let every team read
        // every project's Applications (their manifests) and pod logs. Teams get their project's
        // owners role; the admin groups role:admin
        'policy.default': '',
        'policy.csv': policyCsv ? `${policyCsv}\n` : '',
        'scopes': '[groups]',
      },
      ...(Object.keys(params).length > 0 ? { params } : {}),
      clusterCredentials: {
        [input.clusterName]: {
          server: 'https://kubernetes.default.svc',
          labels: { ...input.clusterLabels },
          config: { tlsClientConfig: { insecure: false } },
        },
      },
    },
    // Dex is not used: Argo CD talks OIDC directly.
    dex: { enabled: false },
    controller: { ...(sized?.controller ?? { replicas: 1 }), ...pdb, resources: ARGOCD_REQUESTS.controller },
    // fixed replicas, not the chart's HorizontalPodAutoscalers: they scale on CPU and memory utilization,
    // which an EKS cluster (no metrics server) cannot report, so they stay Degraded
    // (FailedGetResourceMetric) and fail every sync of Argo CD's own Application. With more than one
    // server, each divides the login rate limit by their number (Argo CD's HA guide)
    server: { replicas: serverReplicas, ...pdb, resources: ARGOCD_REQUESTS.server, ...(serverReplicas > 1 ? { env: [{ name: 'ARGOCD_API_SERVER_REPLICAS', value: String(serverReplicas) }] } : {}) },
    repoServer: { ...(sized?.repoServer ?? { replicas: ha ? 2 : 1 }), ...pdb, resources: ARGOCD_REQUESTS.repoServer },
    applicationSet: { ...(sized?.applicationSet ?? { replicas: ha ? 2 : 1 }), ...pdb, resources: ARGOCD_REQUESTS.small },
    notifications: { resources: ARGOCD_REQUESTS.small },
    redis: { resources: ARGOCD_REQUESTS.small },
    'redis-ha': {
      enabled: ha,
      ...(ha ? {
        podDisruptionBudget: { maxUnavailable: 1 },
        haproxy: { podDisruptionBudget: { maxUnavailable: 1 }, resources: ARGOCD_REQUESTS.small },
        redis: { resources: ARGOCD_REQUESTS.small },
        sentinel: { resources: ARGOCD_REQUESTS.tiny },
        splitBrainDetection: { resources: ARGOCD_REQUESTS.tiny },
      } : {}),
    },
  };
  const identity = workloadIdentityValues(input.workloadIdentity);
  for (const component of ['controller', 'server']) {
    values[component] = { ...(values[component] as object), ...identity };
  }
  if (input.sso) {
    // Argo CD reads the key as YAML text; the chart writes each cm value with `toString`, which
    // would turn a map into Go's `map[...]` text (no SSO at all)
    cm['oidc.config'] = toYaml(input.sso._oidcConfig());
    if (input.sso.entraTenantId) {
      values.server = {
        ...(values.server as object),
        serviceAccount: { annotations: { 'azure.workload.identity/client-id': input.sso.clientId } },
        podLabels: { 'azure.workload.identity/use': 'true' },
      };
    }
  }
  return values;
}

function workloadIdentityValues(kind: ArgoCdValuesInput['workloadIdentity']): Record<string, unknown> {
  if (kind === undefined) return {};
  // the token the fleet clusters' registrations name (AZURE_TOKEN_FILE), projected by the pod itself in a
  // folder of its own: where the AKS webhook puts its token depends on its version (v1.6 moved it), and
  // a registration's env wins over the webhook's in the credential command
  const token = {
    volumes: [{
      name: AZURE_TOKEN_VOLUME,
      projected: { sources: [{ serviceAccountToken: { audience: 'api://AzureADTokenExchange', expirationSeconds: 3600, path: path.posix.basename(AZURE_TOKEN_FILE) } }] },
    }],
    volumeMounts: [{ name: AZURE_TOKEN_VOLUME, mountPath: path.posix.dirname(AZURE_TOKEN_FILE), readOnly: true }],
  };
  // on AKS the webhook still injects its own token and AZURE_* variables (Entra ID SSO signs in with them)
  return kind === 'webhook' ? { podLabels: { 'azure.workload.identity/use': 'true' }, ...token } : token;
}

/** The projected token's volume in Argo CD's pods (a name the webhook does not use). */
const AZURE_TOKEN_VOLUME = 'platform-azure-token';
