import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { ITerraformDependable, TerraformStack } from 'cdktf';
import { SecretStore, SecretStoreKind } from '../model/secret-store';
import { AksInfra } from './aks';
import { KubernetesAccess } from './cluster-infra';
import { EksInfra } from './eks';
import { argocdIdentityName, externalSecretsIdentityName } from './iam-role-names';
import { fitsInline, LONGEST_PARTITION, policyDocument, policySize, renderManagedPolicies, SizedStatement } from './iam-policy-size';
import { platformKeyVault } from './secret-store-writer';

/** Argo CD service accounts that talk to other clusters. */
export const ARGOCD_CLUSTER_SERVICE_ACCOUNTS = ['argocd-application-controller', 'argocd-server'];
/** Where External Secrets runs. */
export const EXTERNAL_SECRETS_SA = { name: 'external-secrets', namespace: 'external-secrets' };

/**
 * The management cluster's workload identities: Argo CD's (fleet clusters grant it
 * access) and External Secrets' (it reads the platform secret store).
 */
export function renderAksManagementIdentities(stack: TerraformStack, mgmt: string, aks: AksInfra, store: SecretStore): void {
  const issuer = aks.cluster.oidcIssuerUrl;
  const federate = (id: string, identity: UserAssignedIdentity, namespace: string, sa: string) =>
    new FederatedIdentityCredential(stack, id, {
      name: `${namespace}-${sa}`,
      parentId: identity.id,
      resourceGroupName: aks.resourceGroup.name,
      audience: ['api://AzureADTokenExchange'],
      issuer,
      subject: `system:serviceaccount:${namespace}:${sa}`,
    });
  const argocd = new UserAssignedIdentity(stack, 'argocd-identity', {
    name: argocdIdentityName(mgmt),
    location: aks.resourceGroup.location,
    resourceGroupName: aks.resourceGroup.name,
  });
  for (const sa of ARGOCD_CLUSTER_SERVICE_ACCOUNTS) federate(`argocd-identity-${sa}`, argocd, 'argocd', sa);

  const eso = new UserAssignedIdentity(stack, 'external-secrets-identity', {
    name: externalSecretsIdentityName(mgmt),
    location: aks.resourceGroup.location,
    resourceGroupName: aks.resourceGroup.name,
  });
  federate('external-secrets-identity-sa', eso, EXTERNAL_SECRETS_SA.namespace, EXTERNAL_SECRETS_SA.name);
  if (store.kind === SecretStoreKind.AZURE_KEY_VAULT) {
    new RoleAssignment(stack, 'external-secrets-key-vault-reader', {
      scope: platformKeyVault(stack, store).id,
      roleDefinitionName: 'Key Vault Secrets User',
      principalId: eso.principalId,
    });
  }
  // The client id is only known after apply, so Terraform (not Git) owns this one
  // service account; the External Secrets chart is told not to create it.
  kubernetesProvider(stack, aks.access);
  // the runner's RBAC on the cluster must exist before it creates anything there
  const ns = new NamespaceV1(stack, 'external-secrets-namespace', { metadata: { name: EXTERNAL_SECRETS_SA.namespace }, dependsOn: aks.access.ready?.length ? [...aks.access.ready] : undefined });
  new ServiceAccountV1(stack, 'external-secrets-service-account', {
    metadata: {
      name: EXTERNAL_SECRETS_SA.name,
      namespace: ns.metadata.name,
      annotations: { 'azure.workload.identity/client-id': eso.clientId },
      labels: { 'azure.workload.identity/use': 'true' },
    },
  });
}

/**
 * The kubernetes provider of a management state, reaching the cluster like the helm provider
 * (created once, when the state is declared: the render stage finds it, so its place in the
 * JSON never moves between renders).
 */
export function kubernetesProvider(stack: TerraformStack, access: KubernetesAccess): KubernetesProvider {
  return (stack.node.tryFindChild('kubernetes') as KubernetesProvider | undefined) ?? new KubernetesProvider(stack, 'kubernetes', {
    host: access.host,
    clusterCaCertificate: access.clusterCaCertificate,
    exec: [{ ...access.exec, args: [...access.exec.args] }],
  });
}

function podIdentityRole(stack: TerraformStack, id: string, name: string): IamRole {
  return new IamRole(stack, id, {
    name,
    assumeRolePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
    }),
  });
}

/** Construct id of the Pod Identity association of Argo CD's service account `sa` on an EKS management cluster. */
const argocdAssociationId = (sa: string) => `argocd-pod-identity-${sa}`;

/**
 * The Pod Identity associations of Argo CD's controller and server on an EKS management cluster
 * (none on AKS: a workload identity's token is exchanged when it is used, so a federated credential
 * made after the pod started still works). EKS gives a pod its credentials when the pod is
 * created, so Argo CD's release waits for these.
 */
export function argocdPodIdentities(stack: TerraformStack): ITerraformDependable[] {
  return ARGOCD_CLUSTER_SERVICE_ACCOUNTS.map((sa) => stack.node.tryFindChild(argocdAssociationId(sa)) as EksPodIdentityAssociation | undefined)
    .filter((a): a is EksPodIdentityAssociation => a !== undefined);
}

/** The same for EKS, with EKS Pod Identity. */
export function renderEksManagementIdentities(stack: TerraformStack, mgmt: string, eks: EksInfra, store: SecretStore): void {
  const argocd = podIdentityRole(stack, 'argocd-role', argocdIdentityName(mgmt));
  for (const sa of ARGOCD_CLUSTER_SERVICE_ACCOUNTS) {
    new EksPodIdentityAssociation(stack, argocdAssociationId(sa), { clusterName: eks.cluster.name, namespace: 'argocd', serviceAccount: sa, roleArn: argocd.arn });
  }
  const eso = podIdentityRole(stack, 'external-secrets-role', externalSecretsIdentityName(mgmt));
  new EksPodIdentityAssociation(stack, 'external-secrets-pod-identity', {
    clusterName: eks.cluster.name, namespace: EXTERNAL_SECRETS_SA.namespace, serviceAccount: EXTERNAL_SECRETS_SA.name, roleArn: eso.arn,
  });
  if (store.kind === SecretStoreKind.AWS_SECRETS_MANAGER) {
    const o = store.options;
    const partition = stack.node.tryFindChild('partition') as DataAwsPartition;
    new IamRolePolicy(stack, 'external-secrets-read', {
      role: eso.name,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Resource: `arn:${partition.partition}:secretsmanager:${o.region}:*:secret:${o.prefix}*`,
        }],
      }),
    });
  }
}

/** Construct ids of the grants {@link grantTenantPush} renders (replaced on every render). */
const TENANT_PUSH_IDS = ['external-secrets-key-vault-writer', 'external-secrets-tenant-push'];
/** The ids of the managed policies (and attachments) the last render gave a state's grant, when it outgrew an inline policy. */
const managedPushIds = new WeakMap<TerraformStack, string[]>();

/**
 * Lets the management cluster's External Secrets identity write the kubeconfigs of the
 * tenants it hosts into the platform store (their PushSecrets), least privilege:
 * Azure: `Key Vault Secrets Officer` on the vault (a role assignment cannot be scoped to a
 * secret that does not exist yet, and the PushSecret creates it); AWS: create, write, tag and
 * describe the tenants' secrets only, delete only those External Secrets created. Vault: the
 * library manages no Vault policy (the user's `external-secrets` role), so nothing here.
 */
export function grantTenantPush(stack: TerraformStack, store: SecretStore, remoteKeys: string[]): void {
  for (const id of [...TENANT_PUSH_IDS, ...(managedPushIds.get(stack) ?? [])]) stack.node.tryRemoveChild(id);
  managedPushIds.delete(stack);
  if (remoteKeys.length === 0) return;
  if (store.kind === SecretStoreKind.AZURE_KEY_VAULT) {
    const eso = stack.node.tryFindChild('external-secrets-identity') as UserAssignedIdentity | undefined;
    if (!eso) return;
    new RoleAssignment(stack, TENANT_PUSH_IDS[0], {
      scope: platformKeyVault(stack, store).id,
      roleDefinitionName: 'Key Vault Secrets Officer',
      principalId: eso.principalId,
    });
  } else if (store.kind === SecretStoreKind.AWS_SECRETS_MANAGER) {
    const eso = stack.node.tryFindChild('external-secrets-role') as IamRole | undefined;
    const partition = stack.node.tryFindChild('partition') as DataAwsPartition | undefined;
    if (!eso || !partition) return;
    const measured = tenantPushStatements(store, remoteKeys, LONGEST_PARTITION);
    const rendered = tenantPushStatements(store, remoteKeys, partition.partition);
    // one ARN per tenant: past about 60 tenants the grant outgrows a role's inline policies
    // (IAM refuses it with LimitExceeded), so it becomes managed policies attached to the role
    if (fitsInline(measured, policySize(storeReadStatements(store, LONGEST_PARTITION)))) {
      new IamRolePolicy(stack, TENANT_PUSH_IDS[1], {
        role: eso.name,
        policy: policyDocument(rendered),
      });
    } else {
      managedPushIds.set(stack, renderManagedPolicies(stack, TENANT_PUSH_IDS[1], eso, `${eso.nameInput ?? eso.name}-tenant-push`, measured, rendered));
    }
  }
}

/**
 * The management cluster's External Secrets writes to the tenants' entries: create, write, tag
 * and describe them, delete only those External Secrets created (deletionPolicy: Delete removes
 * the entry with the tenant). External Secrets (2.2 and later) deletes a pushed secret's resource
 * policy on every write to an existing secret when the PushSecret declares none: without
 * DeleteResourcePolicy the second write fails. Secrets Manager appends "-" and six random
 * characters to a secret's ARN.
 */
export function tenantPushStatements(store: SecretStore, remoteKeys: readonly string[], partition: string): SizedStatement[] {
  const resources = remoteKeys.map((k) => `arn:${partition}:secretsmanager:${store.options.region}:*:secret:${k}-??????`);
  return [
    { actions: ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:TagResource', 'secretsmanager:DescribeSecret', 'secretsmanager:DeleteResourcePolicy'], resources },
    { actions: ['secretsmanager:DeleteSecret'], resources, condition: { StringEquals: { 'secretsmanager:ResourceTag/managed-by': 'external-secrets' } } },
  ];
}

/** The management cluster's External Secrets reads below the platform's prefix. */
function storeReadStatements(store: SecretStore, partition: string): SizedStatement[] {
  return [{ actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: [`arn:${partition}:secretsmanager:${store.options.region}:*:secret:${store.options.prefix}*`] }];
}
