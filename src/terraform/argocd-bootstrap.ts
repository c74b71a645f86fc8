import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Release } from '@cdktf/provider-helm/lib/release';
import type { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { ITerraformDependable, TerraformStack } from 'cdktf';
import { ARGO_CD_CHART, ARGOCD_APPS_CHART } from '../argocd/charts';
import { ARGOCD_NAMESPACE } from '../argocd/types';
import { KubernetesAccess } from './cluster-infra';
import { REPOSITORY_CREDENTIALS_IDS, renderRepositoryCredentials } from './repository-credentials';
import type { SecretStore } from '../model/secret-store';
import { toYaml } from '../synth/yaml';

/** What the bootstrap installs. */
export interface ArgoCdBootstrapProps {
  /** How Helm reaches the new cluster. */
  readonly access: KubernetesAccess;
  /** argo-cd chart values (the same values the self-managing Application uses). */
  readonly argoCdValues: Record<string, unknown>;
  /** argocd-apps chart values: the platform AppProject and the root Application. */
  readonly appsValues: Record<string, unknown>;
  /**
   * The platform repository's credentials (its URL, the store and the entry): an Argo CD
   * repository Secret created between the two releases, so the root Application's first clone
   * authenticates.
   * @default - a public repository, no Secret
   */
  readonly repositoryCredentials?: { readonly url: string; readonly store: SecretStore; readonly key: string };
  /**
   * What Argo CD's pods need when they start, beyond {@link KubernetesAccess.ready}: on EKS, the
   * Pod Identity associations of its controller and server (EKS gives a pod its credentials only
   * when the pod is created, so a pod started before its association has none until it restarts).
   * @default - nothing more
   */
  readonly argoCdAfter?: ITerraformDependable[];
}

/**
 * One `terraform apply` installs Argo CD and the root Application. Both releases
 * ignore later changes: after the bootstrap, Git is the only way in (Argo CD
 * manages its own install through the `argo-cd` Application).
 */
export function renderArgoCdBootstrap(stack: TerraformStack, props: ArgoCdBootstrapProps): { argocd: Release; apps: Release; repositorySecret?: SecretV1 } {
  // rendering runs again on every synth: replace what the last one created
  for (const id of ['helm', 'argocd', 'argocd-apps', ...REPOSITORY_CREDENTIALS_IDS]) stack.node.tryRemoveChild(id);
  new HelmProvider(stack, 'helm', {
    kubernetes: {
      host: props.access.host,
      clusterCaCertificate: props.access.clusterCaCertificate,
      exec: { ...props.access.exec, args: [...props.access.exec.args] },
    },
  });
  const before = [...props.access.ready ?? [], ...props.argoCdAfter ?? []];
  const argocd = new Release(stack, 'argocd', {
    name: 'argocd',
    namespace: ARGOCD_NAMESPACE,
    createNamespace: true,
    repository: ARGO_CD_CHART.repoURL,
    chart: ARGO_CD_CHART.chart,
    version: ARGO_CD_CHART.version,
    values: [toYaml(props.argoCdValues)],
    wait: true,
    timeout: 900,
    dependsOn: before.length ? before : undefined,
    lifecycle: { ignoreChanges: 'all' },
  });
  // the argo-cd release creates the argocd namespace; the root Application needs the Secret
  const repositorySecret = props.repositoryCredentials
    ? renderRepositoryCredentials(stack, { ...props.repositoryCredentials, access: props.access, dependsOn: [argocd] })
    : undefined;
  const apps = new Release(stack, 'argocd-apps', {
    name: 'argocd-apps',
    namespace: ARGOCD_NAMESPACE,
    repository: ARGOCD_APPS_CHART.repoURL,
    chart: ARGOCD_APPS_CHART.chart,
    version: ARGOCD_APPS_CHART.version,
    values: [toYaml(props.appsValues)],
    dependsOn: repositorySecret ? [argocd, repositorySecret] : [argocd],
    lifecycle: { ignoreChanges: 'all' },
  });
  return { argocd, apps, repositorySecret };
}
