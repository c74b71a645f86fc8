import { mergeReplacing } from '../core/merge';
import { AKS_SPOT_TAINT, NodeTaint, TaintEffect, taintString } from '../model/node-pools';
import { serviceIntegrationValues } from '../service/delivery';
import { PodSecurityLevel } from './tenant-props';
import type { TenantVCluster } from './tenant-vcluster';

/**
 * The vcluster chart values of a tenant: the control plane (Kubernetes version, the API's
 * SAN, HA, persistence, hardened security contexts, the dedicated pool), the API's exposure,
 * syncing, the policies vCluster must not duplicate, the exported kubeconfig; then what its
 * team services need, then the tenant's raw values (merged last, replacing lists).
 */
export function vclusterValues(t: TenantVCluster): Record<string, unknown> {
  const v = t._props.vcluster ?? {};
  const exposure = t._apiExposure;
  // the taints of the dedicated pool's nodes: the tenant's, and on AKS a Spot pool's (EKS taints no spot node)
  const taints: NodeTaint[] = t._props.nodePool ? [{ key: 'tenant', value: t.name, effect: TaintEffect.NO_SCHEDULE }] : [];
  if (t._props.nodePool?.spot && t.host.cloud._aks) taints.push(AKS_SPOT_TAINT);
  const pool = t._props.nodePool ? {
    nodeSelector: { tenant: t.name },
    tolerations: taints.map((x) => ({ key: x.key, operator: 'Equal', value: x.value, effect: x.effect })),
  } : undefined;
  const container = { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 12345, runAsGroup: 12345, capabilities: { drop: ['ALL'] } };
  const controlPlane: Record<string, unknown> = {
    // the distro's init container (it copies the Kubernetes binaries) takes only this security
    // context, empty by default: under the restricted Pod Security level it would refuse the pod
    distro: { k8s: { ...(v.kubernetesVersion ? { enabled: true, version: v.kubernetesVersion } : {}), securityContext: container } },
    proxy: { extraSANs: [t.apiHost] },
    statefulSet: {
      highAvailability: { replicas: v.replicas ?? 1 },
      persistence: { volumeClaim: { enabled: true, size: v.storageSize ?? '5Gi' } },
      resources: { requests: { cpu: '200m', memory: '512Mi' }, limits: { memory: '2Gi' } },
      security: {
        podSecurityContext: { runAsNonRoot: true, runAsUser: 12345, fsGroup: 12345, seccompProfile: { type: 'RuntimeDefault' } },
        containerSecurityContext: container,
      },
      ...(pool ? { scheduling: pool } : {}),
    },
    ...(exposure._kind === 'gateway'
      ? { tlsRoute: { enabled: true, host: t.apiHost, parentRefs: [{ name: exposure._name, namespace: exposure._namespace }] } }
      : { ingress: { enabled: true, host: t.apiHost, spec: { ingressClassName: exposure._name }, annotations: { 'nginx.ingress.kubernetes.io/ssl-passthrough': 'true', 'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS' } } }),
  };
  const values: Record<string, unknown> = {
    controlPlane,
    sync: {
      toHost: {
        ingresses: { enabled: v.syncIngresses ?? true },
        // vCluster reads each as key=value:Effect (operator Equal)
        ...(pool ? { pods: { enforceTolerations: taints.map(taintString) } } : {}),
      },
      ...(pool ? { fromHost: { nodes: { enabled: true, selector: { labels: { tenant: t.name } } } } } : {}),
    },
    // The virtual cluster's CoreDNS runs as a pod synced into the host namespace with
    // dnsPolicy Default, and by default forwards what it does not serve to that resolv.conf:
    // the node's resolver, an address outside the cluster that the namespace's default-deny
    // egress refuses (allow-dns admits the host's kube-dns pods only). With this it forwards to
    // the host's cluster DNS (the control plane's own resolver), which allow-dns admits, so
    // names outside the virtual cluster resolve.
    networking: { advanced: { fallbackHostCluster: true } },
    // the host-side ResourceQuota, LimitRange and NetworkPolicies are rendered by the library (and tested);
    // vCluster's own copies would duplicate them
    policies: {
      podSecurityStandard: t._props.podSecurity ?? PodSecurityLevel.BASELINE,
      resourceQuota: { enabled: false },
      limitRange: { enabled: false },
      networkPolicy: { enabled: false },
    },
    exportKubeConfig: { server: `https://${t.apiHost}`, context: t.clusterName },
  };
  const services = serviceIntegrationValues(t.platform, t);
  const withServices = services ? mergeReplacing(values, services) : values;
  if (!v.rawValues) return withServices;
  const merged = mergeReplacing(withServices, v.rawValues);
  // lists replace: raw extraSANs of the user's would drop the public name, and the certificate served
  // through the Gateway's passthrough would not hold it (vCluster adds an ingress host, never a TLSRoute's)
  const proxy = (merged.controlPlane as { proxy?: { extraSANs?: unknown } } | undefined)?.proxy;
  if (proxy && Array.isArray(proxy.extraSANs) && !proxy.extraSANs.includes(t.apiHost)) proxy.extraSANs = [t.apiHost, ...proxy.extraSANs];
  return merged;
}
