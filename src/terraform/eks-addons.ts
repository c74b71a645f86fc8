import { DataAwsEksAddonVersion } from '@cdktf/provider-aws/lib/data-aws-eks-addon-version';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { TerraformStack } from 'cdktf';
import { EksAddonVersions } from '../model/cloud';
import { eksClusterRoleNames } from './iam-role-names';

/** The EKS managed add-ons every cluster gets, in the order they come up. */
export const EKS_ADDONS = ['vpc-cni', 'kube-proxy', 'coredns', 'eks-pod-identity-agent', 'aws-ebs-csi-driver'] as const;

/** The service account the EBS CSI controller runs as (kube-system). */
export const EBS_CSI_SERVICE_ACCOUNT = 'ebs-csi-controller-sa';

const OVERRIDE: Record<(typeof EKS_ADDONS)[number], keyof EksAddonVersions> = {
  'vpc-cni': 'vpcCni',
  'kube-proxy': 'kubeProxy',
  'coredns': 'coreDns',
  'eks-pod-identity-agent': 'podIdentityAgent',
  'aws-ebs-csi-driver': 'ebsCsiDriver',
};

/**
 * Exact add-on builds per Kubernetes minor, as AWS publishes them for that minor (the add-on
 * tables of the EKS user guide, and `aws eks describe-addon-versions --kubernetes-version`).
 * A cluster on a listed minor renders these literal versions, so a plan changes an add-on only
 * when this table (or `addonVersions`) changes in Git; any other minor falls back to AWS's
 * default build for it, looked up at plan time. Raise it with the supported Kubernetes range.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/managing-vpc-cni.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html
 */
export const EKS_ADDON_BUILDS: Readonly<Record<string, Readonly<Record<(typeof EKS_ADDONS)[number], string>>>> = {
  '1.33': {
    'vpc-cni': 'v1.20.1-eksbuild.3',
    'kube-proxy': 'v1.33.3-eksbuild.6',
    'coredns': 'v1.12.3-eksbuild.1',
    'eks-pod-identity-agent': 'v1.3.8-eksbuild.2',
    'aws-ebs-csi-driver': 'v1.48.0-eksbuild.2',
  },
};

/** Trust policy of a role assumed through EKS Pod Identity. */
export function podIdentityTrust(): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
  });
}

/** An add-on's version: `versions`' override, else the pinned build for the minor, else AWS's default build for it, read at plan time. */
function addonVersion(stack: TerraformStack, name: (typeof EKS_ADDONS)[number], kubernetesVersion: string, versions: EksAddonVersions): string {
  return versions[OVERRIDE[name]] ?? EKS_ADDON_BUILDS[kubernetesVersion]?.[name] ?? new DataAwsEksAddonVersion(stack, `addon-version-${name}`, {
    addonName: name, kubernetesVersion, mostRecent: false,
  }).version;
}

/** The add-on's construct id (kept stable: renaming one would replace the add-on on the next apply). */
const addonId = (name: string) => (name === 'eks-pod-identity-agent' ? 'pod-identity-agent' : `addon-${name}`);

/**
 * The VPC CNI add-on, with network policy enforcement (tenants' default-deny NetworkPolicies
 * hold). The node groups depend on it: it is in place before their nodes join, and on
 * `terraform destroy` it goes after them (removed first, the nodes' network interfaces leak and
 * the subnets cannot be deleted).
 */
export function renderEksCni(stack: TerraformStack, cluster: EksCluster, kubernetesVersion: string, versions: EksAddonVersions = {}): EksAddon {
  return new EksAddon(stack, addonId('vpc-cni'), {
    clusterName: cluster.name,
    addonName: 'vpc-cni',
    addonVersion: addonVersion(stack, 'vpc-cni', kubernetesVersion, versions),
    resolveConflictsOnCreate: 'OVERWRITE',
    resolveConflictsOnUpdate: 'OVERWRITE',
    configurationValues: JSON.stringify({ enableNetworkPolicy: 'true' }),
  });
}

/**
 * The other managed add-ons ({@link renderEksCni} comes first): kube-proxy, CoreDNS, the Pod
 * Identity agent, and the EBS CSI driver with its own Pod Identity role (persistent volumes, the
 * gp3 default StorageClass). Each is pinned: to `versions` when it names one, else to the build
 * of `EKS_ADDON_BUILDS` for the cluster's Kubernetes minor, else (a minor the table does not list)
 * to the version AWS designates as the default for it (`aws_eks_addon_version`, `most_recent = false`).
 * Returns every add-on, the CNI first.
 */
export function renderEksAddons(stack: TerraformStack, clusterName: string, cluster: EksCluster, cni: EksAddon, systemNodes: EksNodeGroup, kubernetesVersion: string, versions: EksAddonVersions = {}): EksAddon[] {
  const partition = stack.node.tryFindChild('partition') as DataAwsPartition;
  const ebsRole = new IamRole(stack, 'ebs-csi-role', { name: eksClusterRoleNames(clusterName).ebsCsi.name, assumeRolePolicy: podIdentityTrust() });
  new IamRolePolicyAttachment(stack, 'ebs-csi-role-policy', {
    role: ebsRole.name,
    policyArn: `arn:${partition.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy`,
  });
  const addons: EksAddon[] = [cni];
  const byName = new Map<string, EksAddon>();
  for (const name of EKS_ADDONS) {
    if (name === 'vpc-cni') continue;
    // the rest need running nodes (CoreDNS and the CSI controller are Deployments) and the EBS driver needs the Pod Identity agent
    const needsNodes = name !== 'kube-proxy';
    const deps = [...(needsNodes ? [systemNodes] : []), ...(name === 'aws-ebs-csi-driver' ? [byName.get('eks-pod-identity-agent')!] : [])];
    const addon = new EksAddon(stack, addonId(name), {
      clusterName: cluster.name,
      addonName: name,
      addonVersion: addonVersion(stack, name, kubernetesVersion, versions),
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      podIdentityAssociation: name === 'aws-ebs-csi-driver' ? [{ roleArn: ebsRole.arn, serviceAccount: EBS_CSI_SERVICE_ACCOUNT }] : undefined,
      dependsOn: deps.length ? deps : undefined,
    });
    byName.set(name, addon);
    addons.push(addon);
  }
  return addons;
}
