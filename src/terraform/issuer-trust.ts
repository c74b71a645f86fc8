import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { TerraformProvider, TerraformStack } from 'cdktf';
import { AksInfra } from './aks';

/** The construct id of the IAM OIDC provider for an AKS cluster's issuer, in that cluster's own state. */
export const AKS_ISSUER_PROVIDER_ID = 'aws-trusts-cluster-issuer';

/**
 * The IAM OIDC provider for an AKS cluster's service-account issuer, created in that cluster's own
 * state, once, with every audience asked for (the list grows, in the order asked).
 *
 * IAM holds one OIDC provider per issuer URL in an AWS account: a second `aws_iam_openid_connect_provider`
 * for the same URL fails with EntityAlreadyExists. Only the state of the cluster that owns the issuer
 * creates it; every other state that trusts that issuer (the EKS fleet states of an AKS management
 * cluster) looks it up with the `aws_iam_openid_connect_provider` data source.
 *
 * Assumption (the platform has no notion of AWS accounts): every AWS identity trusting this issuer is
 * in the one account the creating state's AWS provider reaches (the runner's ambient credentials), as
 * every state of the platform is applied with the same AWS credentials.
 *
 * `provider` is called only when the provider is created (the AWS provider of the state to create it with).
 */
export function awsTrustsAksIssuer(stack: TerraformStack, aks: AksInfra, audience: string, provider: () => TerraformProvider | undefined): IamOpenidConnectProvider {
  const existing = stack.node.tryFindChild(AKS_ISSUER_PROVIDER_ID) as IamOpenidConnectProvider | undefined;
  if (existing) {
    const audiences = existing.clientIdListInput ?? [];
    if (!audiences.includes(audience)) existing.clientIdList = [...audiences, audience];
    return existing;
  }
  return new IamOpenidConnectProvider(stack, AKS_ISSUER_PROVIDER_ID, { url: aks.cluster.oidcIssuerUrl, clientIdList: [audience], provider: provider() });
}
