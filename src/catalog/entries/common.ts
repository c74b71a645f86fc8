import { Construct } from 'constructs';
import { Platform } from '../../platform';
import { ClusterOutput } from '../../model/cluster-output';
import { messages } from '../../core/errors';
import { mergeReplacing } from '../../core/merge';
import { Quantity } from '../../model/quantity';
import { PolicyException } from '../../policy/policy-exception';
import { ClusterSelector, SelectorOperator } from '../cluster-selector';
import { ManifestObject, ServiceCatalogEntry, ServiceCatalogEntryProps } from '../service-catalog-entry';

/** Options every built-in entry takes. */
export interface CatalogEntryOptions {
  /**
   * Which clusters get the entry.
   * @default - the entry's stack label (e.g. `security-basic: enabled`), or `platform-role: management` for management pillars
   */
  readonly targets?: ClusterSelector;
  /**
   * Values merged over the built-in secure defaults.
   * @default - the defaults only
   */
  readonly values?: Record<string, unknown>;
  /** @default - none */
  readonly environmentValues?: Record<string, Record<string, unknown>>;
  /** @default - none */
  readonly clusterValues?: Record<string, Record<string, unknown>>;
  /**
   * Per-environment chart versions (promotion).
   * @default - the built-in pin everywhere
   */
  readonly versions?: Record<string, string>;
  /** @default false */
  readonly progressiveSync?: boolean;
  /**
   * Entries that must be installed first on the same clusters.
   * @default - none
   */
  readonly dependsOn?: ServiceCatalogEntry[];
  /**
   * More policy exceptions for the entry's chart output, added to the built-in ones.
   * @default - the built-in exceptions only
   * @see ServiceCatalogEntryProps.policyExceptions
   */
  readonly policyExceptions?: PolicyException[];
}

/**
 * A container's requests (CPU and memory) and memory limit, as chart values: each a Kubernetes
 * quantity, parsed once, and the limit at least the request (a default the API server would
 * refuse is the library's bug, found when the entry is declared). Rendered as written.
 */
export function resources(cpu: string, memory: string, limit = memory): { requests: { cpu: string; memory: string }; limits: { memory: string } } {
  const [request, max] = [Quantity.of(memory), Quantity.of(limit)];
  if (max.compare(request) < 0) throw new Error(messages.internal.builtInLimitBelowRequest(limit, memory));
  return { requests: { cpu: Quantity.of(cpu).text, memory: request.text }, limits: { memory: max.text } };
}
/** A pod security context that runs as non-root with the runtime's seccomp profile. */
export const nonRoot = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
/** A container security context with no privilege escalation, a read-only root and no capabilities. */
export const hardened = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };

/** The entry's defaults with the caller's values over them (a cluster output is a leaf). */
export const merge = (base: Record<string, unknown>, over?: Record<string, unknown>) => mergeReplacing(base, over, (v) => v instanceof ClusterOutput);

/** The selector of a fleet stack: its label (e.g. `security-basic: enabled`). */
export const label = (stack: string) => ClusterSelector.labels({ [stack]: 'enabled' });
/** The selector of the management pillars. */
export const management = () => ClusterSelector.labels({ 'platform-role': 'management' });
/** A fleet stack's label, never on a management cluster. */
export const fleetOnly = (stack: string) => ClusterSelector.allOf(label(stack), ClusterSelector.expression('platform-role', SelectorOperator.NOT_IN, ['management']));

/**
 * An ExternalSecret reading `keys` of the platform store entry `storeKey` into the Secret `name`.
 * The entry's name in the store is the platform's (`platform/<key>` in Secrets Manager and Vault
 * with the default prefix, `platform-<key>` in Key Vault): External Secrets' grant covers those
 * names only.
 */
export function externalSecret(scope: Construct, name: string, namespace: string, storeKey: string, keys: Record<string, string>): ManifestObject {
  const remoteKey = Platform.of(scope).secretStore._remoteKey(storeKey);
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name, namespace },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'platform' },
      target: { name, creationPolicy: 'Owner' },
      data: Object.entries(keys).map(([secretKey, property]) => ({ secretKey, remoteRef: { key: remoteKey, property } })),
    },
  };
}

/** A built-in entry: its defaults, with the caller's options over them. */
export function entry(scope: Construct, id: string, o: CatalogEntryOptions, p: Omit<ServiceCatalogEntryProps, 'targets'> & { targets: ClusterSelector }): ServiceCatalogEntry {
  return new ServiceCatalogEntry(scope, id, {
    ...p,
    targets: o.targets ?? p.targets,
    values: merge(p.values ?? {}, o.values),
    environmentValues: o.environmentValues ?? p.environmentValues,
    clusterValues: o.clusterValues,
    versions: o.versions,
    progressiveSync: o.progressiveSync,
    dependsOn: [...(p.dependsOn ?? []), ...(o.dependsOn ?? [])],
    policyExceptions: [...(p.policyExceptions ?? []), ...(o.policyExceptions ?? [])],
  });
}

/** The servers of the Vault and OpenBao charts in HA: `server.ha.replicas` of them, one per node (`server.affinity`, a required pod anti-affinity). */
export const SERVERS_ONE_PER_NODE = { replicas: ['server', 'ha', 'replicas'], defaultReplicas: 3, affinity: ['server', 'affinity'] } as const;
