import { DataAzurermPublicIp } from '@cdktf/provider-azurerm/lib/data-azurerm-public-ip';
import { DataTerraformRemoteStateAzurerm, DataTerraformRemoteStateS3, Fn, TerraformOutput, TerraformStack, Token } from 'cdktf';
import { TerraformBackend, TerraformBackendKind } from '../model/terraform-backend';
import { AksInfra } from './aks';
import { EksInfra } from './eks';

/** The management state's output listing its egress addresses (`<ip>/32` each). */
export const EGRESS_OUTPUT = 'egress_cidrs';

/**
 * Publishes the management cluster's egress addresses as an output of its state, so fleet
 * states can authorize them on their API endpoints: the public IPs of its NAT gateways (EKS),
 * or the outbound IP of its load balancer (AKS, one managed outbound IP, looked up by the
 * resource id AKS reports). These are the addresses Argo CD's connections come from.
 */
export function renderManagementEgress(stack: TerraformStack, infra: { aks?: AksInfra; eks?: EksInfra }): string[] {
  let cidrs: string[];
  if (infra.eks) {
    cidrs = infra.eks.natGateways.map((nat) => `${nat.publicIp}/32`);
  } else {
    const aks = infra.aks!;
    const ipId = Fn.element(aks.cluster.networkProfile.loadBalancerProfile.effectiveOutboundIps, 0);
    // /subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.Network/publicIPAddresses/<name>
    const ip = new DataAzurermPublicIp(stack, 'egress-ip', {
      name: Fn.element(Fn.split('/', ipId), 8),
      resourceGroupName: Fn.element(Fn.split('/', ipId), 4),
    });
    cidrs = [`${ip.ipAddress}/32`];
  }
  new TerraformOutput(stack, EGRESS_OUTPUT, { value: cidrs, description: 'Egress addresses of the management cluster (fleet API endpoints authorize them)' });
  return cidrs;
}

/**
 * The management cluster's egress addresses as a fleet state reads them: the management
 * state's `egress_cidrs` output, through `terraform_remote_state` on the platform's backend
 * (the management state is applied first; the fleet's runner reads it).
 */
export function managementEgressCidrs(stack: TerraformStack, backend: TerraformBackend, managementName: string): string[] {
  const o = backend.options;
  const id = 'management-state';
  const remote = (stack.node.tryFindChild(id) as DataTerraformRemoteStateS3 | DataTerraformRemoteStateAzurerm | undefined)
    ?? (backend.kind === TerraformBackendKind.AZURERM
      ? new DataTerraformRemoteStateAzurerm(stack, id, {
        resourceGroupName: o.resourceGroupName as string,
        storageAccountName: o.storageAccountName as string,
        containerName: o.containerName as string,
        key: `${managementName}.tfstate`,
        useAzureadAuth: o.useAzureadAuth as boolean,
      })
      : new DataTerraformRemoteStateS3(stack, id, { bucket: o.bucket as string, region: o.region as string, key: `${o.keyPrefix}/${managementName}.tfstate` }));
  return Token.asList(remote.getList(EGRESS_OUTPUT));
}

/** Authorized ranges of a fleet API: the user's ranges and the management cluster's egress. */
export function fleetAuthorizedRanges(userRanges: string[], managementEgress: string[]): string[] {
  return userRanges.length ? Token.asList(Fn.concat([userRanges, managementEgress])) : managementEgress;
}
