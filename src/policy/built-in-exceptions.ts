import { PolicyException } from './policy-exception';
import { SecurityRule } from './security-rule';

const HOOK_JOB = 'a short-lived install hook Job; the chart sets no memory limit for it and offers no value for one in this release';

/**
 * The policy exceptions of the charts the library installs, each with its reason. Catalog
 * entries carry theirs (`policyExceptions`, listed in PLATFORM.md); the charts installed
 * outside the catalog (Argo CD, vCluster; External Secrets of the management cluster needs
 * none) are matched by chart name.
 */
export const BUILT_IN_EXCEPTIONS = {
  argoCd: [
    { rule: SecurityRule.RESOURCE_LIMITS, reason: 'Argo CD\'s components are sized by the platform team (the controller\'s and repo server\'s memory grow with the fleet); the chart sets no limits and the library does not guess them', objects: ['Deployment/argocd-*', 'StatefulSet/argocd-*', 'Job/argocd-redis-secret-init'] },
    { rule: SecurityRule.NO_SECRET_DATA, reason: 'the in-cluster registration Secret the chart renders holds the cluster name, server URL and labels, no credential', objects: ['Secret/argocd-cluster-*'] },
  ],
  vcluster: [
    { rule: SecurityRule.NO_SECRET_DATA, reason: 'the chart stores the virtual cluster\'s configuration (the rendered vcluster.yaml values, no credential) in a Secret', objects: ['Secret/vc-config-*'] },
  ],
  certManager: [
    { rule: SecurityRule.RESOURCE_LIMITS, reason: HOOK_JOB, objects: ['Job/cert-manager-startupapicheck'] },
  ],
  envoyGateway: [
    { rule: SecurityRule.RESOURCE_LIMITS, reason: HOOK_JOB, objects: ['Job/*-certgen'] },
  ],
  kubePrometheusStack: [
    { rule: SecurityRule.RESOURCE_LIMITS, reason: HOOK_JOB, objects: ['Job/*-admission-create', 'Job/*-admission-patch'] },
    { rule: SecurityRule.RESOURCE_LIMITS, reason: 'the Prometheus operator\'s memory follows the number of monitored objects: the library sets its requests, its memory limit is the platform team\'s', objects: ['Deployment/*-operator'] },
    { rule: SecurityRule.NO_SECRET_DATA, reason: 'the Alertmanager configuration Secret holds the routing rules from the values, no credential (receivers\' credentials come from the secret store)', objects: ['Secret/alertmanager-*'] },
    // the prometheus-node-exporter subchart's DaemonSet mounts the node's /proc, /sys and / (read-only)
    { rule: SecurityRule.NO_HOST_PATH, reason: 'node-exporter reports the node\'s own metrics: it reads the host\'s /proc, /sys and root file system, read-only', objects: ['DaemonSet/*-prometheus-node-exporter'] },
  ],
  nfsProvisioner: [
    { rule: SecurityRule.NO_PRIVILEGED_CONTAINERS, reason: 'the provisioner creates and chowns each volume\'s folder on the NFS export, which needs root', objects: ['Deployment/*nfs-subdir-external-provisioner'] },
  ],
  openCost: [
    { rule: SecurityRule.NO_PRIVILEGED_CONTAINERS, reason: 'the chart sets no security context and the UID its images run as is not verified here: review before production', objects: ['Deployment/opencost'] },
  ],
  argoWorkflows: [
    { rule: SecurityRule.RESOURCE_LIMITS, reason: HOOK_JOB, objects: ['Job/*-crd-install'] },
  ],
} as const satisfies Record<string, readonly PolicyException[]>;

/** Exceptions of the charts installed outside the catalog, by chart name. */
export const NON_CATALOG_EXCEPTIONS: Readonly<Record<string, readonly PolicyException[]>> = {
  'argo-cd': BUILT_IN_EXCEPTIONS.argoCd,
  'vcluster': BUILT_IN_EXCEPTIONS.vcluster,
};
