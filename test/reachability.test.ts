// The management cluster's Argo CD reaches every fleet API it registers, by construction:
// fleet endpoints admit the management cluster's egress addresses, read from its state.
import { describe, expect, it } from 'vitest';
import { ApiAccess, FleetCluster, ManagementCluster } from '../src';
import { aksCloud, awsMgmt, awsPlatform, azureMgmt, azurePlatform, eksCloud, terraform } from './support/fixtures';

describe('the management cluster publishes its egress addresses', () => {
  it('EKS: the public IPs of its NAT gateways, one /32 each', () => {
    const tf = terraform(awsMgmt().platform.render(), 'mgmt');
    expect(tf.output.egress_cidrs.value).toEqual(['${aws_nat_gateway.nat-gateway.public_ip}/32', '${aws_nat_gateway.nat-gateway-1.public_ip}/32', '${aws_nat_gateway.nat-gateway-2.public_ip}/32']);
  });

  it('AKS: the outbound IP of its load balancer, looked up from the id AKS reports', () => {
    const tf = terraform(azureMgmt().platform.render(), 'mgmt');
    expect(tf.output.egress_cidrs.value).toEqual(['${data.azurerm_public_ip.egress-ip.ip_address}/32']);
    const id = 'element(tolist(azurerm_kubernetes_cluster.cluster.network_profile[0].load_balancer_profile[0].effective_outbound_ips), 0)';
    expect(tf.data.azurerm_public_ip['egress-ip']).toMatchObject({ name: `\${element(split("/", ${id}), 8)}`, resource_group_name: `\${element(split("/", ${id}), 4)}` });
  });
});

describe('fleet API endpoints admit the management cluster', () => {
  const remote = '${data.terraform_remote_state.management-state.outputs.egress_cidrs}';

  it('EKS fleet of an EKS cockpit: public endpoint for the cockpit\'s NAT addresses only, read from the cockpit\'s S3 state; nodes use the private endpoint', () => {
    const mgmt = awsMgmt();
    new FleetCluster(mgmt, 'dev-1', { environment: 'dev', cloud: eksCloud('10.20.0.0/16') });
    const tf = terraform(mgmt.platform.render(), 'dev-1');
    expect(tf.resource.aws_eks_cluster.cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: remote });
    expect(tf.data.terraform_remote_state['management-state']).toEqual({ backend: 's3', config: { bucket: 'acme-tfstate', region: 'eu-west-1', key: 'platform/mgmt.tfstate' } });
  });

  it('AKS fleet of an AKS cockpit: authorized IP ranges are the cockpit\'s outbound address, read from the cockpit\'s azurerm state', () => {
    const mgmt = azureMgmt();
    new FleetCluster(mgmt, 'dev-1', { environment: 'dev', cloud: aksCloud('10.20.0.0/16') });
    const tf = terraform(mgmt.platform.render(), 'dev-1');
    expect(tf.resource.azurerm_kubernetes_cluster.cluster).toMatchObject({ private_cluster_enabled: false, api_server_access_profile: { authorized_ip_ranges: remote } });
    expect(tf.data.terraform_remote_state['management-state']).toEqual({
      backend: 'azurerm',
      config: { resource_group_name: 'rg-tfstate', storage_account_name: 'acmetfstate', container_name: 'tfstate', key: 'mgmt.tfstate', use_azuread_auth: true },
    });
  });

  it('across clouds, declared ranges come first and the cockpit\'s egress is added', () => {
    const aks = azureMgmt();
    new FleetCluster(aks, 'us', { environment: 'prod', cloud: eksCloud('10.30.0.0/16', { region: 'us-east-1', apiAccess: ApiAccess.authorizedRanges(['198.51.100.0/24']) }) });
    expect(terraform(aks.platform.render(), 'us').resource.aws_eks_cluster.cluster.vpc_config.public_access_cidrs)
      .toBe('${concat(["198.51.100.0/24"], data.terraform_remote_state.management-state.outputs.egress_cidrs)}');
    const eks = awsMgmt();
    new FleetCluster(eks, 'eu', { environment: 'prod', cloud: aksCloud('10.30.0.0/16') });
    expect(terraform(eks.platform.render(), 'eu').resource.azurerm_kubernetes_cluster.cluster.api_server_access_profile.authorized_ip_ranges).toBe(remote);
  });

  it('takes a private fleet API whose connectivity the user provides', () => {
    const mgmt = awsMgmt();
    new FleetCluster(mgmt, 'dev-1', { environment: 'dev', cloud: eksCloud('10.20.0.0/16', { apiAccess: ApiAccess.privateConnected() }) });
    const tf = terraform(mgmt.platform.render(), 'dev-1');
    expect(tf.resource.aws_eks_cluster.cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    expect(tf.data.terraform_remote_state).toBeUndefined();
  });

  const refusal = (mgmt: string, fleet: string) => '[platform/mgmt/dev-1] cloud.apiAccess: got "ApiAccess.private()". '
    + `Allowed: an API the management cluster "mgmt" (${mgmt}) reaches: leave apiAccess unset (a public endpoint admitting only its egress addresses), `
    + 'ApiAccess.authorizedRanges([...]) (its egress addresses are added), or ApiAccess.privateConnected() when you provide the network path yourself. '
    + `Fix: the library connects no private network to this cluster (${fleet}), so Argo CD could never reach it: leave apiAccess unset, `
    + 'or build the connectivity (Transit Gateway, VPN, peering with private DNS) and declare ApiAccess.privateConnected().';

  it('refuses a private fleet API nothing connects, in the same cloud and across clouds', () => {
    expect(() => new FleetCluster(awsMgmt(), 'dev-1', { environment: 'dev', cloud: eksCloud('10.20.0.0/16', { apiAccess: ApiAccess.private() }) }))
      .toThrow(refusal('aws eu-west-1', 'aws eu-west-1'));
    expect(() => new FleetCluster(azureMgmt(), 'dev-1', { environment: 'dev', cloud: eksCloud('10.20.0.0/16', { region: 'us-east-1', apiAccess: ApiAccess.private() }) }))
      .toThrow(refusal('azure westeurope', 'aws us-east-1'));
  });
});

describe('terraform apply reaches the management cluster\'s API for the bootstrap', () => {
  it('warns when a management cluster leaves its API access undeclared (private: the runner must be in the network)', () => {
    const p = azurePlatform();
    new ManagementCluster(p, 'mgmt', { cloud: aksCloud(), labels: { 'security-basic': 'enabled' } });
    p.render();
    expect(p.warnings).toEqual([{
      path: 'platform/mgmt',
      severity: 'warning',
      message: 'management cluster "mgmt" declares no apiAccess, so its API endpoint is private and `terraform apply` installs Argo CD through it: the apply must run inside the cluster\'s network. '
        + 'That network is created by the same state, so its first apply takes two steps (the network first, then the rest from a runner in it: docs/bootstrap.md). '
        + 'Fix: declare ApiAccess.private() when your runner is in the network, or ApiAccess.authorizedRanges([...]) with your runners\' egress ranges.',
    }]);
    const declared = awsPlatform();
    new ManagementCluster(declared, 'mgmt', { cloud: eksCloud('10.10.0.0/16', { apiAccess: ApiAccess.private() }), labels: { 'security-basic': 'enabled' } });
    declared.render();
    expect(declared.warnings).toEqual([]);
  });
});
