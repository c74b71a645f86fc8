// An AKS management cluster's Argo CD reaches EKS fleet clusters by assuming an IAM role with its
// Azure workload identity token: IAM trusts the AKS issuer through an OIDC provider, and IAM holds
// one provider per issuer URL in an account. The hub's state owns it; the fleet states look it up.
import { describe, expect, it } from 'vitest';
import { FleetCluster, ManagementCluster } from '../src';
import { awsTrustsAksIssuer } from '../src/terraform/issuer-trust';
import { aksHubWithEksFleets, statesOf } from './support/platforms';
import { azureMgmt, azurePlatform, eksCloud } from './support/fixtures';

/** Every aws_iam_openid_connect_provider resource across the states: "<state>/<id>" -> block. */
function oidcProviders(states: Map<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [cluster, tf] of states) {
    for (const [id, block] of Object.entries(tf.resource?.aws_iam_openid_connect_provider ?? {})) out[`${cluster}/${id}`] = block;
  }
  return out;
}

describe('an AKS management cluster with several EKS fleet clusters', () => {
  const states = statesOf(aksHubWithEksFleets().render());

  it('renders one IAM OIDC provider for the hub issuer, in the hub\'s state', () => {
    const providers = oidcProviders(states);
    const forHub = Object.entries(providers).filter(([, b]) => (b.client_id_list as string[]).includes('api://AzureADTokenExchange'));
    expect(forHub.map(([k]) => k)).toEqual(['hub/aws-trusts-cluster-issuer']);
    expect(forHub[0][1]).toMatchObject({ url: '${azurerm_kubernetes_cluster.cluster.oidc_issuer_url}', client_id_list: ['api://AzureADTokenExchange'] });
    // the other providers are each EKS cluster's own issuer (IRSA), one per cluster
    expect(Object.keys(providers).sort()).toEqual(['eks-eu/irsa', 'eks-us/irsa', 'hub/aws-trusts-cluster-issuer']);
    // the hub's state got an AWS provider for it: the first EKS fleet's region (IAM is global)
    const hub = states.get('hub');
    expect(hub.provider.aws).toEqual([{ region: 'eu-west-1' }]);
    expect(hub.terraform.required_providers.aws).toBeDefined();
  });

  it('each fleet looks the provider up by the hub issuer URL and its role trusts that ARN', () => {
    for (const fleet of ['eks-eu', 'eks-us']) {
      const tf = states.get(fleet);
      expect(tf.resource.aws_iam_openid_connect_provider['management-issuer']).toBeUndefined();
      expect(tf.data.azurerm_kubernetes_cluster['management-cluster']).toMatchObject({ name: 'aks-hub', resource_group_name: 'rg-hub' });
      expect(tf.data.aws_iam_openid_connect_provider['management-issuer']).toMatchObject({
        url: '${data.azurerm_kubernetes_cluster.management-cluster.oidc_issuer_url}',
      });
      // no depends_on: the hub's state is applied before every fleet state
      expect(tf.data.aws_iam_openid_connect_provider['management-issuer'].depends_on).toBeUndefined();
      const statement = tf.data.aws_iam_policy_document['management-argocd-trust'].statement[0];
      expect(statement.principals).toEqual([{ type: 'Federated', identifiers: ['${data.aws_iam_openid_connect_provider.management-issuer.arn}'] }]);
      expect(statement.condition[0]).toEqual({
        // IAM's form of the provider's URL, as it keys the conditions (it may differ from the issuer as AKS writes it)
        test: 'StringEquals', variable: '${replace(data.aws_iam_openid_connect_provider.management-issuer.url, "https://", "")}:aud', values: ['api://AzureADTokenExchange'],
      });
      expect(tf.resource.aws_iam_role['management-argocd-role']).toMatchObject({
        name: `argocd-hub-${fleet}`, assume_role_policy: '${data.aws_iam_policy_document.management-argocd-trust.json}',
      });
    }
  });

  it('rendering twice changes nothing (the provider is created once, its audiences not repeated)', () => {
    const platform = aksHubWithEksFleets();
    const first = platform.render().get('terraform/hub/cdk.tf.json');
    expect(platform.render().get('terraform/hub/cdk.tf.json')).toBe(first);
  });

  it('a second audience for the same issuer extends the one provider (an add-on trusting the hub issuer too)', () => {
    const platform = aksHubWithEksFleets();
    const hub = platform.node.findAll().find((c): c is ManagementCluster => c instanceof ManagementCluster)!;
    const again = awsTrustsAksIssuer(hub.stack, hub.aks!, 'sts.amazonaws.com', () => { throw new Error('no second provider'); });
    awsTrustsAksIssuer(hub.stack, hub.aks!, 'sts.amazonaws.com', () => undefined);
    expect(again.node.id).toBe('aws-trusts-cluster-issuer');
    const tf = statesOf(platform.render()).get('hub');
    expect(Object.keys(tf.resource.aws_iam_openid_connect_provider)).toEqual(['aws-trusts-cluster-issuer']);
    expect(tf.resource.aws_iam_openid_connect_provider['aws-trusts-cluster-issuer'].client_id_list).toEqual(['api://AzureADTokenExchange', 'sts.amazonaws.com']);
  });

  it('an AKS hub without EKS fleets gets no AWS provider', () => {
    const platform = azurePlatform();
    azureMgmt(platform);
    const hub = statesOf(platform.render()).get('mgmt');
    expect(hub.provider.aws).toBeUndefined();
    expect(hub.resource.aws_iam_openid_connect_provider).toBeUndefined();
  });

  it('one EKS fleet: the same layout (the hub owns the provider, the fleet looks it up)', () => {
    const platform = azurePlatform();
    const mgmt = azureMgmt(platform);
    new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16', { region: 'us-east-1' }) });
    const states = statesOf(platform.render());
    expect(Object.keys(oidcProviders(states)).sort()).toEqual(['dev/irsa', 'mgmt/aws-trusts-cluster-issuer']);
    expect(states.get('mgmt').provider.aws).toEqual([{ region: 'us-east-1' }]);
    expect(states.get('dev').data.aws_iam_openid_connect_provider['management-issuer']).toBeDefined();
  });
});
