import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsIamRole } from '@cdktf/provider-aws/lib/data-aws-iam-role';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { DataAwsIamOpenidConnectProvider } from '@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAzurermKubernetesCluster } from '@cdktf/provider-azurerm/lib/data-azurerm-kubernetes-cluster';
import { DataAzurermUserAssignedIdentity } from '@cdktf/provider-azurerm/lib/data-azurerm-user-assigned-identity';
import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Fn, TerraformProvider, TerraformStack } from 'cdktf';
import { Cloud, CloudProvider } from '../model/cloud';
import { AksInfra } from './aks';
import { EksInfra } from './eks';
import { argocdIdentityName, fleetArgocdRoleName } from './iam-role-names';
import { ARGOCD_CLUSTER_SERVICE_ACCOUNTS } from './management-identity';
import { awsTrustsAksIssuer } from './issuer-trust';
import { awsProviderFor, azurermProvider } from './secret-store-writer';

/**
 * Where Argo CD's pods project the token they exchange with Entra ID or AWS for a fleet cluster:
 * a folder of the platform's own, not the AKS workload identity webhook's (whose path changed in
 * its v1.6), so a registration names a file that is always there.
 */
export const AZURE_TOKEN_FILE = '/var/run/secrets/cdk8s-gitops-platform/azure/azure-identity-token';
const AZURE_AUDIENCE = 'api://AzureADTokenExchange';

/** How the management Argo CD authenticates to a fleet cluster. */
export enum ArgoAuthKind {
  /** awsAuthConfig with the Argo CD pod's own EKS Pod Identity. */
  AWS_POD_IDENTITY = 'aws-pod-identity',
  /** argocd-k8s-auth aws with a web identity (the Azure token of an AKS-hosted Argo CD). */
  AWS_WEB_IDENTITY = 'aws-web-identity',
  /** argocd-k8s-auth azure (kubelogin) with workload identity. */
  AZURE_WORKLOAD_IDENTITY = 'azure-workload-identity',
}

/** The management side, as a fleet stack sees it (plain values only). */
export interface ManagementRef {
  readonly name: string;
  readonly cloud: Cloud;
  /** AKS only: the management cluster's resource group. */
  readonly resourceGroupName?: string;
}

/** What the grant adds to the fleet's connection facts (Terraform expressions). */
export interface FleetAccess {
  readonly auth: ArgoAuthKind;
  readonly facts: Record<string, string>;
}

const adminPolicy = 'AmazonEKSClusterAdminPolicy';

function eksAdmin(stack: TerraformStack, eks: EksInfra, principalArn: string): void {
  const entry = new EksAccessEntry(stack, 'argocd-access', { clusterName: eks.cluster.name, principalArn, type: 'STANDARD' });
  // the partition of the cluster's account (aws, aws-cn, aws-us-gov), as the EKS stack reads it
  const partition = (stack.node.tryFindChild('partition') as DataAwsPartition | undefined) ?? new DataAwsPartition(stack, 'partition');
  new EksAccessPolicyAssociation(stack, 'argocd-access-policy', {
    clusterName: eks.cluster.name,
    principalArn: entry.principalArn,
    policyArn: `arn:${partition.partition}:eks::aws:cluster-access-policy/${adminPolicy}`,
    accessScope: { type: 'cluster' },
  });
}

function aksAdmin(stack: TerraformStack, aks: AksInfra, principalId: string): void {
  new RoleAssignment(stack, 'argocd-cluster-admin', {
    scope: aks.cluster.id,
    roleDefinitionName: 'Azure Kubernetes Service RBAC Cluster Admin',
    principalId,
  });
}

/**
 * AKS management cluster with EKS fleet clusters: its own state creates the IAM OIDC provider for
 * its service-account issuer (audience `api://AzureADTokenExchange`), once, whatever the number of
 * EKS fleets; each fleet state looks it up by URL ({@link grantManagementAccess}). IAM allows one
 * provider per issuer URL in an account, so a provider per fleet state failed from the second
 * fleet on with EntityAlreadyExists; the management state is applied before every fleet state
 * already, so the fleets keep their "any order".
 *
 * The management state gets an AWS provider for it, in `region` (the first EKS fleet's; IAM is
 * global). Assumption: the platform has no notion of AWS accounts, so the EKS fleets of one
 * management cluster are in the one account the runner's AWS credentials reach (a fleet in
 * another account finds no provider at plan time).
 */
export function trustManagementIssuer(mgmtStack: TerraformStack, mgmtAks: AksInfra, region: string): void {
  awsTrustsAksIssuer(mgmtStack, mgmtAks, AZURE_AUDIENCE, () => awsProviderFor(mgmtStack, region));
}

/**
 * Grants the management Argo CD's cloud identity admin access to this fleet cluster,
 * in the fleet's own stack. Same cloud: the management identity is looked up by name.
 * Across clouds: the fleet trusts the management cluster's service-account issuer
 * (on AWS through the IAM OIDC provider the management state creates, see
 * {@link trustManagementIssuer}; on Azure a federated credential of the fleet's own identity).
 */
export function grantManagementAccess(stack: TerraformStack, fleet: { name: string; aks?: AksInfra; eks?: EksInfra }, mgmt: ManagementRef): FleetAccess {
  const subjects = ARGOCD_CLUSTER_SERVICE_ACCOUNTS.map((sa) => `system:serviceaccount:argocd:${sa}`);
  if (fleet.eks && mgmt.cloud.provider === CloudProvider.AWS) {
    const role = new DataAwsIamRole(stack, 'management-argocd-role', { name: argocdIdentityName(mgmt.name) });
    eksAdmin(stack, fleet.eks, role.arn);
    return { auth: ArgoAuthKind.AWS_POD_IDENTITY, facts: {} };
  }
  if (fleet.aks && mgmt.cloud.provider === CloudProvider.AZURE) {
    const identity = new DataAzurermUserAssignedIdentity(stack, 'management-argocd-identity', {
      name: argocdIdentityName(mgmt.name), resourceGroupName: mgmt.resourceGroupName!,
    });
    aksAdmin(stack, fleet.aks, identity.principalId);
    return { auth: ArgoAuthKind.AZURE_WORKLOAD_IDENTITY, facts: { argocdClientId: identity.clientId, argocdTenantId: identity.tenantId } };
  }
  if (fleet.eks) {
    // Argo CD on AKS -> EKS: AWS trusts the AKS issuer's tokens (audience of Azure workload identity)
    azurermProvider(stack);
    const mgmtAks = new DataAzurermKubernetesCluster(stack, 'management-cluster', { name: `aks-${mgmt.name}`, resourceGroupName: mgmt.resourceGroupName! });
    const issuer = mgmtAks.oidcIssuerUrl;
    // the IAM OIDC provider for that issuer is the management state's (see trustManagementIssuer):
    // one per URL in an account, so the fleets share it and look it up
    const oidc = new DataAwsIamOpenidConnectProvider(stack, 'management-issuer', { url: issuer });
    // the condition keys are IAM's form of the provider's URL (as the add-on identities' are), not the issuer as AKS writes it
    const host = Fn.replace(oidc.url, 'https://', '');
    // condition keys are built from the issuer (known after apply): a policy document data
    // source takes them as values, where an object key of jsonencode could not be an expression
    const trust = new DataAwsIamPolicyDocument(stack, 'management-argocd-trust', {
      statement: [{
        effect: 'Allow',
        actions: ['sts:AssumeRoleWithWebIdentity'],
        principals: [{ type: 'Federated', identifiers: [oidc.arn] }],
        condition: [
          { test: 'StringEquals', variable: `${host}:aud`, values: [AZURE_AUDIENCE] },
          { test: 'StringLike', variable: `${host}:sub`, values: subjects },
        ],
      }],
    });
    const role = new IamRole(stack, 'management-argocd-role', {
      name: fleetArgocdRoleName(mgmt.name, fleet.name).name,
      assumeRolePolicy: trust.json,
    });
    eksAdmin(stack, fleet.eks, role.arn);
    return { auth: ArgoAuthKind.AWS_WEB_IDENTITY, facts: { argocdRoleArn: role.arn } };
  }
  // Argo CD on EKS -> AKS: Entra ID trusts the EKS issuer's projected tokens
  const mgmtRegion = mgmt.cloud.region;
  const existing = stack.node.tryFindChild('aws') as AwsProvider | undefined;
  const provider: TerraformProvider | undefined = existing
    ? new AwsProvider(stack, 'management-aws', { region: mgmtRegion, alias: 'management' })
    : undefined;
  if (!existing) new AwsProvider(stack, 'aws', { region: mgmtRegion });
  const mgmtEks = new DataAwsEksCluster(stack, 'management-cluster', { name: mgmt.name, provider });
  const aks = fleet.aks!;
  const identity = new UserAssignedIdentity(stack, 'management-argocd-identity', {
    name: `argocd-${mgmt.name}`, location: aks.resourceGroup.location, resourceGroupName: aks.resourceGroup.name,
  });
  ARGOCD_CLUSTER_SERVICE_ACCOUNTS.forEach((sa, i) => new FederatedIdentityCredential(stack, `management-argocd-federation-${i}`, {
    name: `argocd-${sa}`,
    parentId: identity.id,
    resourceGroupName: aks.resourceGroup.name,
    audience: [AZURE_AUDIENCE],
    issuer: mgmtEks.identity.get(0).oidc.get(0).issuer,
    subject: subjects[i],
  }));
  aksAdmin(stack, aks, identity.principalId);
  return { auth: ArgoAuthKind.AZURE_WORKLOAD_IDENTITY, facts: { argocdClientId: identity.clientId, argocdTenantId: identity.tenantId } };
}
