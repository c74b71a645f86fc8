import { ApiObject, Chart } from 'cdk8s';

/** Name of the default StorageClass of EKS clusters. */
export const EKS_DEFAULT_STORAGE_CLASS = 'gp3';

/**
 * The default StorageClass of an EKS cluster, in its folder (Argo CD applies it): encrypted
 * gp3 volumes of the EBS CSI driver (a managed add-on of the cluster's state), bound when
 * the pod is scheduled so the volume lands in the pod's zone. EKS marks no class as the
 * default since Kubernetes 1.30, so without it a claim with no class (a vCluster's) stays
 * Pending. AKS ships its own default class (Azure Disk CSI driver), so AKS clusters get nothing here.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html
 */
export function renderEksDefaultStorageClass(chart: Chart): void {
  new ApiObject(chart, 'default-storage-class', {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: EKS_DEFAULT_STORAGE_CLASS, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'ebs.csi.aws.com',
    parameters: { type: 'gp3', encrypted: 'true', fsType: 'ext4' },
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
  });
}
