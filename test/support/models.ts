import { AppProject, Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { ClusterSecretStore, ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1';
import { PushSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1alpha1';
import { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { StorageClass } from 'kubernetes-models/storage.k8s.io/v1';
import { LimitRange, Namespace, ResourceQuota } from 'kubernetes-models/v1';

/** The kubernetes-models class of a rendered object. */
export function modelOf(obj: any): { validate(): void } {
  switch (obj.kind) {
    case 'Application': return new Application(obj);
    case 'AppProject': return new AppProject(obj);
    case 'ExternalSecret': return new ExternalSecret(obj);
    case 'ClusterSecretStore': return new ClusterSecretStore(obj);
    case 'PushSecret': return new PushSecret(obj);
    case 'Namespace': return new Namespace(obj);
    case 'ResourceQuota': return new ResourceQuota(obj);
    case 'LimitRange': return new LimitRange(obj);
    case 'NetworkPolicy': return new NetworkPolicy(obj);
    case 'RoleBinding': return new RoleBinding(obj);
    case 'StorageClass': return new StorageClass(obj);
    case 'ValidatingAdmissionPolicy': return new ValidatingAdmissionPolicy(obj);
    case 'ValidatingAdmissionPolicyBinding': return new ValidatingAdmissionPolicyBinding(obj);
    default: throw new Error(`no model for ${obj.kind}`);
  }
}

