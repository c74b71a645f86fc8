import { Duration } from 'cdk8s';
import type { ITenantVCluster } from '../model/references';
import { ServiceSize } from './service-size';

/** A secret value the service reads as an environment variable, fetched by External Secrets. */
export interface ServiceSecret {
  /** The environment variable (and key of the service's Secret), e.g. `DB_PASSWORD`. */
  readonly name: string;
  /** The key in the team's secret store; must start with `<team>/`. */
  readonly key: string;
  /**
   * The property of a structured secret (a JSON field).
   * @default - the whole value
   */
  readonly property?: string;
}

/**
 * Prometheus scraping through a ServiceMonitor (Prometheus operator), rendered on the host, in the
 * tenant's host namespace: it selects the Service vCluster syncs there from the service's namespace,
 * and scrapes its port `http` (metrics on the service port) or `metrics` (on a port of their own),
 * each targeting the container port of the same name; the tenant's host namespace admits
 * Prometheus's namespace (`monitoring`, `Catalog.kubePrometheusStack`) on that port.
 */
export interface ServiceMetrics {
  /**
   * The container port serving metrics, from 1024 to 65535 (the container runs as non-root).
   * Another port than the service's is declared as the container port and Service port `metrics`.
   * @default - the service port
   */
  readonly port?: number;
  /** @default '/metrics' */
  readonly path?: string;
  /** @default Duration.seconds(30) */
  readonly interval?: Duration;
}

/**
 * A database through a Crossplane composite resource claim (the XRD the platform
 * team publishes), rendered on the host, in the tenant's host namespace, where it writes
 * its connection details to the Secret `<service>-db` (`spec.writeConnectionSecretToRef`).
 * The tenant's vCluster maps that Secret into the service's namespace under the same name
 * (`sync.fromHost.secrets`), where the service reads it as environment variables. A
 * Crossplane 2 namespaced composite resource has no such field of its own: its XRD declares
 * it, and its composition composes the Secret under that name.
 * @see https://docs.crossplane.io/latest/concepts/claims/
 */
export interface DatabaseClaim {
  /** The claim's apiVersion, e.g. `platform.acme.dev/v1alpha1`. */
  readonly apiVersion: string;
  /** The claim's kind, e.g. `PostgreSQLInstance`. */
  readonly kind: string;
  /**
   * The claim's plural resource name, `spec.claimNames.plural` of the XRD (e.g.
   * `postgresqlinstances`). Checked when given, used by nothing: the claim is rendered on the
   * host and no longer synced as a custom resource, which needed `<plural>.<group>`.
   * @deprecated not needed any more; it will be removed.
   * @see https://docs.crossplane.io/latest/concepts/composite-resource-definitions/
   */
  readonly plural?: string;
  /**
   * `spec.parameters` of the claim.
   * @default - none
   */
  readonly parameters?: Record<string, string | number | boolean>;
}

/**
 * A database migration run before each rollout: an Argo CD `Sync` hook Job with the
 * service's image, in sync wave -1, after the service's ExternalSecret (wave -2) and
 * before the Deployment (wave 0), so it also works on the very first sync. The database's
 * Secret comes from the host: the Job's pod waits for it within `timeout`, and a sync that
 * failed on it is retried.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/
 */
export interface MigrationJob {
  /** The command, e.g. `['./migrate', 'up']`. */
  readonly command: string[];
  /** @default Duration.minutes(10) */
  readonly timeout?: Duration;
}

/** The shared Gateway API Gateway the service's HTTPRoute attaches to (a Gateway of the host cluster). */
export interface GatewayRef {
  /** The Gateway's name on the host. */
  readonly name: string;
  /** The Gateway's namespace on the host. */
  readonly namespace: string;
  /**
   * The listener the route attaches to (`parentRefs[].sectionName`): the one that terminates HTTPS for the service's host.
   * @default - every listener whose hostname matches the service's host
   */
  readonly sectionName?: string;
}

/** Props of {@link TeamService}. */
export interface TeamServiceProps {
  /** The image repository, without tag or digest (the pin files give the tag), e.g. `ghcr.io/acme/checkout`. */
  readonly image: string;
  /**
   * The team's tenant, for a service declared in a construct of your own (e.g. a team
   * environment that makes the tenant and its services) instead of inside the tenant.
   * @default - the scope, which then must be a TenantVCluster
   */
  readonly tenant?: ITenantVCluster;
  /** The container port serving HTTP. */
  readonly port: number;
  /**
   * The public host name in the last (production) environment; other environments insert
   * the environment into the first label (`checkout-team-a.apps.acme.dev` ->
   * `checkout-team-a-staging.apps.acme.dev`). On the shared Gateway (no `gateway` given)
   * it must be one label under `apps.<platform domain>`, the names its wildcard HTTPS
   * listener terminates.
   * @default `<service>-<team>.apps.<platform domain>`
   */
  readonly host?: string;
  /**
   * The service name (DNS label): namespace, object names, pin folder.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The team: the folder of its pin files (`services/<team>/...`) and the prefix of its secret keys.
   * @default - the tenant's name
   */
  readonly team?: string;
  /**
   * Plain environment variables.
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * Secret environment variables, fetched by an ExternalSecret from the team's SecretStore.
   * @default - none
   * @see https://external-secrets.io/latest/api/externalsecret/
   */
  readonly secrets?: ServiceSecret[];
  /**
   * The name of the team's SecretStore in its virtual cluster (the team owns it and its credentials; the platform store is never exposed to tenants).
   * @default 'team-secrets'
   */
  readonly secretStore?: string;
  /** @default ServiceSize.SMALL */
  readonly size?: ServiceSize;
  /**
   * The HTTP path of the startup, readiness and liveness probes (on `port`). The startup probe
   * checks it every 10 seconds and restarts the container after 30 failures: a service has 5
   * minutes to start. Readiness (every 10 s) and liveness (every 20 s, restart after 3 failures)
   * run only once the startup probe has passed.
   * @default '/healthz'
   * @see https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/
   */
  readonly healthPath?: string;
  /**
   * Scrape metrics with a ServiceMonitor.
   * @default - no ServiceMonitor
   * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.ServiceMonitor
   */
  readonly metrics?: ServiceMetrics;
  /**
   * A database claimed through Crossplane.
   * @default - none
   */
  readonly database?: DatabaseClaim;
  /**
   * A migration Job run before each rollout.
   * @default - none
   * @see https://argo-cd.readthedocs.io/en/stable/user-guide/resource_hooks/
   */
  readonly migration?: MigrationJob;
  /**
   * The environments the service runs in (each needs its pin file).
   * @default - the platform's environments
   */
  readonly environments?: string[];
  /**
   * The folder holding `services/<team>/<service>/<env>.json` (usually the repository root). Read once, at construction; never written to the output.
   * @default - the process's working folder
   */
  readonly repositoryRoot?: string;
  /**
   * The host cluster's Gateway the HTTPRoute attaches to. The Gateway terminates TLS: a
   * Gateway other than the default must have a listener (and certificate) for the
   * service's host names in every environment; the library does not check it. The tenant's
   * host namespace admits the Gateway's namespace and `envoy-gateway-system` (where Envoy
   * Gateway runs the proxies of every Gateway of class `envoy`) on the service port
   * (NetworkPolicy `allow-service-gateways`): proxies running elsewhere need the tenant's
   * `networkAllowances`. vCluster imports the Gateway into the virtual cluster under the same
   * namespace and name, so it cannot be in `kube-system`, `kube-public`, `kube-node-lease` or
   * the tenant's own host namespace (vCluster refuses them, and its control plane would not start).
   * @default - the shared Gateway `public` in `envoy-gateway-system`, listener `https` (`Catalog.gatewayApi({ https })`)
   * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
   */
  readonly gateway?: GatewayRef;
}
