/** Effect of a node taint. */
export enum TaintEffect {
  /** Pods without a toleration are not scheduled. */
  NO_SCHEDULE = 'NoSchedule',
  /** The scheduler avoids the node for pods without a toleration. */
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  /** Running pods without a toleration are evicted. */
  NO_EXECUTE = 'NoExecute',
}

/** A taint on every node of a pool. */
export interface NodeTaint {
  /** Taint key. */
  readonly key: string;
  /** Taint value. */
  readonly value: string;
  /** Taint effect. */
  readonly effect: TaintEffect;
}

/** The system node pool (AKS) or node group (EKS) that runs cluster add-ons. */
export interface SystemNodePoolProps {
  /**
   * VM size (AKS) or instance type (EKS). On EKS the node group's Amazon Linux 2023 AMI follows
   * the instance family: Arm for Graviton (`m7g`), NVIDIA for GPUs (`g5`, `p5`), Neuron for
   * Inferentia and Trainium, standard x86 otherwise; `mac` and `a1` are refused.
   * @default - `Standard_D4ds_v5` on AKS, `m7i.large` on EKS
   */
  readonly machineType?: string;
  /**
   * Minimum node count. On AKS the cluster autoscaler scales the pool between `minCount` and
   * `maxCount`; on EKS nothing scales a node group by itself, so it runs `minCount` nodes.
   * @default 2
   */
  readonly minCount?: number;
  /**
   * Maximum node count: the AKS cluster autoscaler's bound. On EKS only the node group's maximum,
   * for an autoscaler of your own (Cluster Autoscaler, Karpenter) to scale it up to.
   * @default 5
   */
  readonly maxCount?: number;
}

/** An additional node pool for workloads. */
export interface NodePoolProps extends SystemNodePoolProps {
  /** Pool name: lower-case letters and digits, starting with a letter, at most 12 characters (AKS's limit). */
  readonly name: string;
  /**
   * Kubernetes labels on every node of the pool.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Taints on every node of the pool (e.g. to dedicate it to a tenant).
   * @default - none
   */
  readonly taints?: NodeTaint[];
  /**
   * Use spot capacity (AKS Spot priority, EKS `SPOT` capacity type).
   * @default false
   */
  readonly spot?: boolean;
}

/**
 * @internal The label and taint AKS puts on every node of a Spot pool: pods need the toleration
 * to run there, and the pool's Terraform must declare both (else the plan never settles).
 * EKS puts no taint on spot nodes.
 * @see https://learn.microsoft.com/en-us/azure/aks/spot-node-pool
 */
/** A taint as `key=value:Effect`: how AKS's node_taints and vCluster's enforceTolerations write it. */
export function taintString(t: NodeTaint): string {
  return `${t.key}=${t.value}:${t.effect}`;
}

export const AKS_SPOT_TAINT: NodeTaint = { key: 'kubernetes.azure.com/scalesetpriority', value: 'spot', effect: TaintEffect.NO_SCHEDULE };

/** An EKS system node group's minimum (nothing scales it): the one given, else 2 raised to the nodes the cluster's workloads need. */
export function eksSystemMinCount(pool: SystemNodePoolProps, minimumWorkloadNodes = 0): number {
  return pool.minCount ?? Math.max(2, minimumWorkloadNodes);
}

/** Whether ordinary workloads (no tolerations) can run on a pool's nodes. */
export function untainted(pool: { readonly taints?: readonly { readonly effect: TaintEffect }[] }): boolean {
  return !(pool.taints ?? []).some((t) => t.effect === TaintEffect.NO_SCHEDULE || t.effect === TaintEffect.NO_EXECUTE);
}

/**
 * The Amazon Linux 2023 EKS AMI type of an instance type: Arm for Graviton (a `g` among the
 * attributes after the generation, `m7g`, `c6gn`, `t4g`), NVIDIA for the `p` and `g` (GPU)
 * families (on Arm for Graviton ones), Neuron for Inferentia and Trainium, standard x86 otherwise. A managed node group
 * with another AMI type than its instances' is refused by EKS, or comes up without the
 * accelerator's drivers. Returns the reason instead for the families no EKS AMI supports.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/choosing-instance-type.html
 */
export function eksAmiType(instanceType: string): { amiType: string } | { unsupported: string } {
  const m = /^([a-z]+)(\d+)([a-z-]*)\./.exec(instanceType);
  if (!m) return { amiType: 'AL2023_x86_64_STANDARD' };
  const [, family, generation, attributes] = m;
  const graviton = attributes.includes('g');
  if (family === 'mac') return { unsupported: 'Mac instances run no EKS AMI' };
  if (family === 'a' && generation === '1') return { unsupported: 'AL2023 supports no A1 instance (Graviton2 or later only)' };
  if (family === 'inf' || family === 'trn') return { amiType: 'AL2023_x86_64_NEURON' };
  if (family === 'p' || family === 'g' || family === 'gr') return { amiType: graviton ? 'AL2023_ARM_64_NVIDIA' : 'AL2023_x86_64_NVIDIA' };
  return { amiType: graviton ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD' };
}
