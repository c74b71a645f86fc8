import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AppProjectSpec, ApplicationSpec, ARGOCD_API_VERSION, ARGOCD_NAMESPACE } from './types';

/**
 * The annotation that limits which commits refresh an Application (`.`: its own source path;
 * `/a/b`: a folder from the repository root), so a monorepo commit refreshes only what it touches.
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/high_availability/#manifest-paths-annotation
 */
export const GENERATE_PATHS = 'argocd.argoproj.io/manifest-generate-paths';

/** The finalizer that makes deleting an Application delete what it deployed. */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/** Props of {@link argoApplication}. */
export interface ArgoApplicationProps {
  readonly name: string;
  readonly spec: ApplicationSpec;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  /** Delete deployed resources with the Application. */
  readonly cascadeDelete?: boolean;
}

/** An Argo CD Application in the `argocd` namespace. */
export function argoApplication(scope: Construct, id: string, props: ArgoApplicationProps): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: ARGOCD_API_VERSION,
    kind: 'Application',
    metadata: {
      name: props.name,
      namespace: ARGOCD_NAMESPACE,
      labels: props.labels,
      annotations: props.annotations,
      finalizers: props.cascadeDelete ? [RESOURCES_FINALIZER] : undefined,
    },
    spec: props.spec,
  });
}

/**
 * An Argo CD AppProject in the `argocd` namespace, kept until no Application of it is left (Argo
 * CD's project finalizer). A tenant removed from code has its project and Applications pruned in
 * one sync; without the finalizer the project went first, and each Application's own finalizer
 * (which deletes what it deployed) failed on the missing project at every retry: the
 * Application stayed in deletion and its objects on the cluster.
 */
export function argoAppProject(scope: Construct, id: string, name: string, spec: AppProjectSpec): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: ARGOCD_API_VERSION,
    kind: 'AppProject',
    metadata: { name, namespace: ARGOCD_NAMESPACE, finalizers: [RESOURCES_FINALIZER] },
    spec,
  });
}

/**
 * What every team's AppProject shares (vCluster and namespace tenants alike): Argo CD objects,
 * quotas, limit ranges and network policies are the platform's, never the team's; the team's
 * groups get an `owners` role over the project's Applications.
 */
export function teamProjectFence(project: string, owners: readonly string[], also: readonly { group: string; kind: string }[] = []): Pick<AppProjectSpec, 'namespaceResourceBlacklist' | 'roles'> {
  return {
    namespaceResourceBlacklist: [
      { group: 'argoproj.io', kind: 'AppProject' },
      { group: 'argoproj.io', kind: 'Application' },
      { group: 'argoproj.io', kind: 'ApplicationSet' },
      { group: '', kind: 'ResourceQuota' },
      { group: '', kind: 'LimitRange' },
      { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
      ...also,
    ],
    roles: [{
      name: 'owners',
      description: `Members of ${owners.join(', ')}`,
      groups: [...owners],
      // the pods' logs of the project's Applications: a resource of its own in Argo CD's RBAC (no default role grants it)
      policies: [`p, proj:${project}:owners, applications, *, ${project}/*, allow`, `p, proj:${project}:owners, logs, get, ${project}/*, allow`],
    }],
  };
}
