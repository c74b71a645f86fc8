/**
 * The checks of the security policy pass that runs on every synth (and in the
 * cdk8s validation plugin). Each can be set to error, warning or off.
 * @see https://github.com/cdk8s-team/cdk8s-cli (validation plugins)
 */
export enum SecurityRule {
  /** No Kubernetes Secret (or Terraform `kubernetes_secret`) carries data: credentials arrive through the secret store. */
  NO_SECRET_DATA = 'no-secret-data',
  /** No credential-looking string anywhere in the output: cloud keys, private keys, tokens. */
  NO_CREDENTIALS = 'no-credentials',
  /** Every tenant namespace (label `tenant`) has Pod Security Admission labels, a ResourceQuota, a LimitRange and default-deny NetworkPolicies. */
  TENANT_ISOLATION = 'tenant-namespace-isolation',
  /** No AppProject but the platform's own allows `*` in a source repository or a destination cluster (server or name). */
  NO_WILDCARD_APPPROJECT = 'no-wildcard-appproject',
  /** No Application or ApplicationSet uses the `default` AppProject (or none). */
  NO_DEFAULT_PROJECT = 'no-default-project',
  /** Argo CD has its local admin disabled and `policy.default` read-only (or empty). */
  ARGOCD_HARDENED = 'argocd-hardened',
  /** A cluster API server is private, or public only for an explicit allow-list of ranges (never 0.0.0.0/0). */
  RESTRICTED_API_ENDPOINT = 'restricted-api-endpoint',
  /** No container runs privileged or as root (UID 0, or without `runAsNonRoot: true`). */
  NO_PRIVILEGED_CONTAINERS = 'no-privileged-or-root-containers',
  /** No pod mounts a `hostPath` volume (a path of the node's file system). */
  NO_HOST_PATH = 'no-host-path',
  /** Every container declares a memory limit (an unbounded container can take its node's memory). */
  RESOURCE_LIMITS = 'resource-limits',
}

/** What a security rule's finding does to synthesis. */
export enum PolicySeverity {
  /** The finding stops synthesis (nothing is written). */
  ERROR = 'error',
  /** The finding is reported (in `platform.warnings` and on stderr) but synthesis goes on. */
  WARNING = 'warning',
  /** The rule does not run. */
  OFF = 'off',
}

/** Every rule, in report order. */
export const SECURITY_RULES: readonly SecurityRule[] = Object.values(SecurityRule);
