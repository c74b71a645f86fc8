import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { DataAzurermResourceGroup } from '@cdktf/provider-azurerm/lib/data-azurerm-resource-group';
import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { JwtAuthBackend } from '@cdktf/provider-vault/lib/jwt-auth-backend';
import { JwtAuthBackendRole } from '@cdktf/provider-vault/lib/jwt-auth-backend-role';
import { Policy } from '@cdktf/provider-vault/lib/policy';
import { Fn, TerraformProvider, TerraformStack } from 'cdktf';
import type { AwsPolicyStatement, AzureRoleGrant } from '../catalog/addon-identity';
import { CloudProvider } from '../model/cloud';
import { AksInfra } from './aks';
import { EksInfra } from './eks';
import { fitsInline, LONGEST_PARTITION, renderManagedPolicies, SizedStatement } from './iam-policy-size';
import { addonRoleName, boundedName } from './iam-role-names';
import { awsTrustsAksIssuer } from './issuer-trust';
import { azurermProvider, vaultProvider } from './secret-store-writer';
import { awsProviderFor } from './secret-store-writer';

const AZURE_AUDIENCE = 'api://AzureADTokenExchange';
const AWS_AUDIENCE = 'sts.amazonaws.com';

/** One add-on identity to render in a cluster's state (plain values and Terraform expressions). */
export interface IdentitySpec {
  /** Identity name (resource names, output prefix, construct ids). */
  readonly name: string;
  /** The cloud whose APIs the add-on calls; undefined for Vault. */
  readonly cloud: CloudProvider | undefined;
  /** Vault only: the store's address and KV mount, the paths read and the entries written. */
  readonly vault?: { readonly server: string; readonly mount: string; readonly authMount: string; readonly readPrefix: string; readonly pushKeys: string[] };
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly roles: AzureRoleGrant[];
  readonly statements: AwsPolicyStatement[];
  /** Cross-cloud only: the resource group (Azure) or region (AWS) the identity is created in. */
  readonly resourceGroupName?: string;
  readonly region?: string;
  /** The add-on exchanges a token itself with the role ARN of its service account (AWS web identity). */
  readonly webIdentity?: boolean;
}

/** The cluster the identities are created for. */
export interface IdentityCluster {
  readonly name: string;
  readonly aks?: AksInfra;
  readonly eks?: EksInfra;
}

const created = new WeakMap<TerraformStack, string[]>();

/** Removes what the last render created (rendering runs on every synth). */
export function resetIdentities(stack: TerraformStack): void {
  for (const id of created.get(stack) ?? []) stack.node.tryRemoveChild(id);
  created.set(stack, []);
}

function track<T extends { node: { id: string } }>(stack: TerraformStack, c: T): T {
  created.get(stack)!.push(c.node.id);
  return c;
}

/** A Route 53 hosted zone's ARN at its longest (the zone's id is at most 32 characters). */
const LONGEST_ZONE_ARN = `arn:${LONGEST_PARTITION}:route53:::hostedzone/${'Z'.repeat(32)}`;

/**
 * An identity's statements as IAM counts their size: the longest partition name for
 * `<partition>`, and a hosted zone's ARN at its longest for `<route53-zone:...>`.
 */
export function measuredStatements(statements: readonly AwsPolicyStatement[]): SizedStatement[] {
  return statements.map((st) => ({ actions: st.actions, resources: st.resources.map((r) => (/^<route53-zone:/.test(r) ? LONGEST_ZONE_ARN : r.replace(/<partition>/g, LONGEST_PARTITION))) }));
}

function partitionOf(stack: TerraformStack, provider?: TerraformProvider): DataAwsPartition {
  return (stack.node.tryFindChild('partition') as DataAwsPartition | undefined) ?? new DataAwsPartition(stack, 'partition', { provider });
}

/**
 * Renders one add-on identity in the cluster's own state and returns its outputs
 * (output name -> Terraform expression): `<name>_client_id` and `<name>_tenant_id` for Azure,
 * `<name>_role_arn` for AWS.
 */
export function renderAddonIdentity(stack: TerraformStack, cluster: IdentityCluster, spec: IdentitySpec): Record<string, string> {
  if (!created.has(stack)) created.set(stack, []);
  const prefix = spec.name.replace(/-/g, '_');
  const id = (what: string) => `addon-${spec.name}-${what}`;
  const subject = `system:serviceaccount:${spec.namespace}:${spec.serviceAccount}`;
  const resourceName = `${spec.name}-${cluster.name}`;
  if (spec.vault) return renderVaultIdentity(stack, cluster, spec, id, subject);
  if (spec.cloud === CloudProvider.AZURE) {
    let location: string;
    let resourceGroupName: string;
    let issuer: string;
    if (cluster.aks) {
      location = cluster.aks.resourceGroup.location;
      resourceGroupName = cluster.aks.resourceGroup.name;
      issuer = cluster.aks.cluster.oidcIssuerUrl;
    } else {
      // an EKS cluster's add-on that exchanges its own token for Entra ID (External Secrets)
      azurermProvider(stack);
      const rg = track(stack, new DataAzurermResourceGroup(stack, id('resource-group'), { name: spec.resourceGroupName! }));
      location = rg.location;
      resourceGroupName = rg.name;
      issuer = cluster.eks!.cluster.identity.get(0).oidc.get(0).issuer;
    }
    const identity = track(stack, new UserAssignedIdentity(stack, id('identity'), { name: resourceName, location, resourceGroupName }));
    track(stack, new FederatedIdentityCredential(stack, id('federation'), {
      name: federatedCredentialName(spec.namespace, spec.serviceAccount),
      parentId: identity.id,
      resourceGroupName,
      audience: [AZURE_AUDIENCE],
      issuer,
      subject,
    }));
    spec.roles.forEach((r, i) => track(stack, new RoleAssignment(stack, id(`role-${i}`), {
      scope: r.scope, roleDefinitionName: r.roleDefinitionName, principalId: identity.principalId,
    })));
    return { [`${prefix}_client_id`]: identity.clientId, [`${prefix}_tenant_id`]: identity.tenantId };
  }
  // AWS: the provider of the stack (EKS), or one for the identity's region (AKS)
  const provider = cluster.eks ? undefined : awsProviderFor(stack, spec.region!);
  const partition = partitionOf(stack, provider);
  const trust: DataAwsIamPolicyDocumentStatement[] = [];
  const webIdentity = (federated: string, issuerUrl: string) => {
    const host = Fn.replace(issuerUrl, 'https://', '');
    trust.push({
      effect: 'Allow',
      actions: ['sts:AssumeRoleWithWebIdentity'],
      principals: [{ type: 'Federated', identifiers: [federated] }],
      condition: [
        { test: 'StringEquals', variable: `${host}:aud`, values: [AWS_AUDIENCE] },
        { test: 'StringEquals', variable: `${host}:sub`, values: [subject] },
      ],
    });
  };
  if (cluster.eks) {
    trust.push({ effect: 'Allow', actions: ['sts:AssumeRole', 'sts:TagSession'], principals: [{ type: 'Service', identifiers: ['pods.eks.amazonaws.com'] }] });
    if (spec.webIdentity) webIdentity(cluster.eks.oidcProvider.arn, cluster.eks.oidcProvider.url);
  } else {
    // an AKS cluster's add-on that exchanges its own token with AWS (External Secrets): IAM trusts the AKS issuer
    // (one provider per issuer URL and account: shared with the one an AKS management cluster creates for its EKS fleets)
    const aksIssuer = awsTrustsAksIssuer(stack, cluster.aks!, AWS_AUDIENCE, () => provider);
    webIdentity(aksIssuer.arn, aksIssuer.url);
  }
  const trustDoc = track(stack, new DataAwsIamPolicyDocument(stack, id('trust'), { statement: trust, provider }));
  const role = track(stack, new IamRole(stack, id('role'), { name: addonRoleName(spec.name, cluster.name), assumeRolePolicy: trustDoc.json, provider }));
  const resource = (r: string): string => {
    const zone = /^<route53-zone:(.+)>$/.exec(r);
    if (!zone) return r.replace(/<partition>/g, partition.partition);
    // a hosted zone named by a domain filter, looked up at plan time
    const zid = `route53-zone-${zone[1].replace(/\./g, '-')}`;
    const data = (stack.node.tryFindChild(zid) as DataAwsRoute53Zone | undefined) ?? track(stack, new DataAwsRoute53Zone(stack, zid, { name: zone[1], privateZone: false, provider }));
    return data.arn;
  };
  const measured = measuredStatements(spec.statements);
  if (fitsInline(measured)) {
    const policy = track(stack, new DataAwsIamPolicyDocument(stack, id('policy-document'), {
      provider,
      statement: spec.statements.map((st) => ({ effect: 'Allow', actions: [...st.actions], resources: st.resources.map(resource) })),
    }));
    track(stack, new IamRolePolicy(stack, id('policy'), { role: role.name, policy: policy.json, provider }));
  } else {
    // one ARN per hosted tenant (External Secrets' pushes): past a role's inline policies, managed policies attached to it
    const rendered = spec.statements.map((st) => ({ actions: st.actions, resources: st.resources.map(resource) }));
    for (const c of renderManagedPolicies(stack, id('policy'), role, addonRoleName(spec.name, cluster.name), measured, rendered, provider)) created.get(stack)!.push(c);
  }
  if (cluster.eks) {
    track(stack, new EksPodIdentityAssociation(stack, id('pod-identity'), {
      clusterName: cluster.eks.cluster.name, namespace: spec.namespace, serviceAccount: spec.serviceAccount, roleArn: role.arn,
    }));
  }
  return { [`${prefix}_role_arn`]: role.arn };
}

/**
 * Vault: a JWT auth mount that trusts the cluster's service-account issuer (OIDC discovery, so
 * Vault need not reach the cluster's API), a role bound to the add-on's service account, and a
 * policy: read below the platform's prefix, write the hosted tenants' entries.
 */
function renderVaultIdentity(stack: TerraformStack, cluster: IdentityCluster, spec: IdentitySpec, id: (what: string) => string, subject: string): Record<string, string> {
  const v = spec.vault!;
  vaultProvider(stack, v.server);
  const issuer = cluster.aks ? cluster.aks.cluster.oidcIssuerUrl : cluster.eks!.cluster.identity.get(0).oidc.get(0).issuer;
  const rules = [
    `path "${v.mount}/data/${v.readPrefix}*" {\n  capabilities = ["read"]\n}`,
    `path "${v.mount}/metadata/${v.readPrefix}*" {\n  capabilities = ["read"]\n}`,
    ...v.pushKeys.flatMap((k) => [
      `path "${v.mount}/data/${k}" {\n  capabilities = ["create", "read", "update"]\n}`,
      `path "${v.mount}/metadata/${k}" {\n  capabilities = ["read", "update", "delete"]\n}`,
    ]),
  ];
  const policy = track(stack, new Policy(stack, id('vault-policy'), { name: `${spec.name}-${cluster.name}`, policy: rules.join('\n') + '\n' }));
  const backend = track(stack, new JwtAuthBackend(stack, id('vault-auth'), {
    path: v.authMount, type: 'jwt', oidcDiscoveryUrl: issuer, boundIssuer: issuer, description: `Service-account tokens of cluster ${cluster.name}`,
  }));
  track(stack, new JwtAuthBackendRole(stack, id('vault-role'), {
    backend: backend.path,
    roleName: spec.name,
    roleType: 'jwt',
    userClaim: 'sub',
    boundAudiences: ['vault'],
    boundSubject: subject,
    tokenPolicies: [policy.name],
    tokenTtl: 3600,
  }));
  return {};
}

/**
 * A federated identity credential's name for a service account: Azure takes 3 to 120 letters,
 * digits, `-` and `_`, starting with a letter or digit, so a service account's dots become `-`
 * and a long name is shortened with a hash (its subject keeps the exact name).
 */
function federatedCredentialName(namespace: string, serviceAccount: string): string {
  return boundedName(`${namespace}-${serviceAccount}`.replace(/[^A-Za-z0-9_-]/g, '-'), 120);
}
