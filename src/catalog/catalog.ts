import { Construct } from 'constructs';
import { AcmeOptions } from './acme-solver';
import { ServiceCatalogEntry } from './service-catalog-entry';
import { actionsRunnerController } from './entries/actions-runner-controller';
import { argoWorkflows } from './entries/argo-workflows';
import { atlantis, AtlantisOptions } from './entries/atlantis';
import { certManager, CertManagerOptions } from './entries/cert-manager';
import { chartMuseum } from './entries/chartmuseum';
import { CatalogEntryOptions } from './entries/common';
import { crossplane } from './entries/crossplane';
import { gatewayApi, GatewayApiOptions, GatewayHttpsOptions } from './entries/envoy-gateway';
import { externalDns, ExternalDnsOptions } from './entries/external-dns';
import { externalSecrets } from './entries/external-secrets';
import { gitlabRunner } from './entries/gitlab-runner';
import { ingressNginx } from './entries/ingress-nginx';
import { kubePrometheusStack } from './entries/kube-prometheus-stack';
import { kyverno } from './entries/kyverno';
import { loki } from './entries/loki';
import { NfsOptions, nfsProvisioner } from './entries/nfs-provisioner';
import { openBao } from './entries/openbao';
import { openCost } from './entries/opencost';
import { reloader } from './entries/reloader';
import { vault } from './entries/vault';
import * as stacks from './stacks';

// The entries live one per file in ./entries/, the stacks in ./stacks.ts; this class is their
// public face (and these re-exports keep the package's exports where they were).
export { AcmeOptions, AcmeSolver } from './acme-solver';
export { CatalogEntryOptions } from './entries/common';
export { CertManagerOptions } from './entries/cert-manager';
export { ExternalDnsAzureOptions, ExternalDnsCloudflareOptions, ExternalDnsOptions, ExternalDnsProvider } from './entries/external-dns';
export { AtlantisOptions } from './entries/atlantis';
export { GatewayApiOptions, GatewayHttpsOptions } from './entries/envoy-gateway';
export { NfsOptions } from './entries/nfs-provisioner';
export { PUBLIC_GATEWAY } from './public-gateway';

/**
 * The built-in catalog: entries with pinned versions (see `CHARTS`) and secure
 * default values. Management pillars target `platform-role: management`; fleet
 * stacks target their stack label (`security-basic: enabled`, ...).
 */
export class Catalog {
  // ---- fleet stacks -------------------------------------------------------

  /** cert-manager with its CRDs, and optional Let's Encrypt ClusterIssuers (staging and production). */
  public static certManager(scope: Construct, options: CertManagerOptions = {}): ServiceCatalogEntry {
    return certManager(scope, options);
  }

  /** external-dns: one owner id per cluster (its name), upsert-only, limited to your domains. */
  public static externalDns(scope: Construct, options: ExternalDnsOptions): ServiceCatalogEntry {
    return externalDns(scope, options);
  }

  /**
   * External Secrets on fleet clusters, with a ClusterSecretStore `platform` for the
   * platform's store. The library creates its identity on every targeted cluster, AKS or EKS:
   * Key Vault (`Key Vault Secrets User` on the vault), Secrets Manager (read on the platform's
   * secrets), Vault (a policy and a JWT auth role for the cluster's service-account issuer, the
   * store then in the cluster's folder); and the tenants' PushSecret grants on hosts of tenants.
   */
  public static externalSecrets(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
    return externalSecrets(scope, options);
  }

  /** Kyverno (HA controllers) with the baseline policies: Audit before the last environment, Enforce in it. */
  public static kyverno(scope: Construct, options: CatalogEntryOptions & { readonly enforceIn?: string[] } = {}): ServiceCatalogEntry {
    return kyverno(scope, options);
  }

  /**
   * kube-prometheus-stack in namespace `monitoring`: Prometheus, Alertmanager, Grafana (admin
   * credentials from the secret store), node-exporter. Prometheus selects the ServiceMonitors,
   * PodMonitors, Probes and PrometheusRules of every namespace, whatever their labels.
   */
  public static kubePrometheusStack(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
    return kubePrometheusStack(scope, options);
  }

  /** OpenCost, reading the kube-prometheus-stack Prometheus. */
  public static openCost(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
    return openCost(scope, options);
  }

  /**
   * Envoy Gateway, the default Gateway API implementation, with a GatewayClass `envoy` and the
   * shared Gateway `public` in `envoy-gateway-system` that the defaults refer to
   * (`AcmeSolver.http01Gateway`, tenant API exposure, team services): an HTTP listener on port 80
   * for HTTPRoutes (ACME HTTP-01 challenges) and a TLS passthrough listener on port 443 for TLSRoutes
   * (virtual cluster APIs), both open to routes from every namespace.
   *
   * With `https`, a third listener `https` on port 443 terminates TLS for `*.apps.<platform domain>`
   * (team services) with a wildcard Certificate issued in the Gateway's namespace, and an HTTPRoute
   * redirects plain HTTP for those names to HTTPS. It shares port 443 with the passthrough listener,
   * which the Gateway API allows for HTTPS and TLS listeners with distinct hostnames (the passthrough
   * listener has none, so it serves every other name, e.g. `<tenant>.<platform domain>`).
   */
  public static gatewayApi(scope: Construct, options: GatewayApiOptions = {}): ServiceCatalogEntry {
    return gatewayApi(scope, options);
  }

  /** ingress-nginx, for existing users only: retired upstream (no releases after March 2026); synth warns. */
  public static ingressNginx(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
    return ingressNginx(scope, options);
  }

  /** Loki (single binary) for logs; needs storage-basic. */
  public static loki(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
    return loki(scope, options);
  }

  /** The NFS subdir provisioner (StorageClass `nfs-client`). */
  public static nfsProvisioner(scope: Construct, options: NfsOptions): ServiceCatalogEntry {
    return nfsProvisioner(scope, options);
  }

  // ---- management pillars -------------------------------------------------

  /** Reloader: restarts workloads when their ConfigMaps or Secrets change. */
  public static reloader(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
    return reloader(scope, options);
  }

  /** HashiCorp Vault, HA with integrated storage (Raft); the injector is off. */
  public static vault(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
    return vault(scope, options);
  }

  /** OpenBao (the open-source Vault fork), HA with Raft; the injector is off. */
  public static openBao(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
    return openBao(scope, options);
  }

  /** Crossplane: infrastructure through Kubernetes APIs. */
  public static crossplane(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
    return crossplane(scope, options);
  }

  /**
   * Atlantis: Terraform in pull requests, on GitHub as `githubUser`. Its token and webhook secret
   * come from the secret store entry `atlantis-vcs` (`github_token`, `github_secret`). GitHub
   * reaches it at `https://atlantis.apps.<platform domain>` through the shared Gateway's `https`
   * listener (each cluster it targets must have one), or at `url` when you expose it yourself.
   */
  public static atlantis(scope: Construct, options: AtlantisOptions): ServiceCatalogEntry {
    return atlantis(scope, options);
  }

  /**
   * Argo Workflows with the non-root executor; its server authenticates each request with the
   * caller's own Kubernetes token (`client` mode; SSO needs an OIDC client secret, set through `values`).
   */
  public static argoWorkflows(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
    return argoWorkflows(scope, options);
  }

  /** GitHub Actions Runner Controller (scale-set controller). */
  public static actionsRunnerController(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
    return actionsRunnerController(scope, options);
  }

  /** GitLab Runner; the runner token comes from the secret store entry `gitlab-runner`. */
  public static gitlabRunner(scope: Construct, options: CatalogEntryOptions & { readonly gitlabUrl: string }): ServiceCatalogEntry {
    return gitlabRunner(scope, options);
  }

  /** ChartMuseum, the platform's chart repository (API write access disabled by default). */
  public static chartMuseum(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
    return chartMuseum(scope, options);
  }

  // ---- stacks (labels turn a whole stack on) --------------------------------

  /**
   * `core-basic`: the Gateway API controller, and external-dns when a DNS provider is given
   * (`dns.targets` narrows external-dns, e.g. to the clusters of the DNS provider's cloud).
   */
  public static coreBasic(scope: Construct, options: { readonly dns?: ExternalDnsOptions; readonly https?: GatewayHttpsOptions } = {}): ServiceCatalogEntry[] {
    return stacks.coreBasic(scope, options);
  }

  /** `security-basic`: cert-manager (with issuers when `acme` is given), Kyverno and its baseline policies, External Secrets. */
  public static securityBasic(scope: Construct, options: { readonly acme?: AcmeOptions; readonly certManagerDependsOn?: ServiceCatalogEntry[] } = {}): ServiceCatalogEntry[] {
    return stacks.securityBasic(scope, options);
  }

  /** `monitoring-basic`: kube-prometheus-stack and OpenCost. */
  public static monitoringBasic(scope: Construct): ServiceCatalogEntry[] {
    return stacks.monitoringBasic(scope);
  }

  /** `monitoring-medium`: Loki (the platform's stack rules require `storage-basic` too). */
  public static monitoringMedium(scope: Construct): ServiceCatalogEntry[] {
    return stacks.monitoringMedium(scope);
  }

  /** `storage-basic`: the NFS provisioner. */
  public static storageBasic(scope: Construct, options: NfsOptions): ServiceCatalogEntry[] {
    return stacks.storageBasic(scope, options);
  }

  private constructor() {}
}
