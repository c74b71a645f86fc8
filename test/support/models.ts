import { AppProject, Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { ClusterSecretStore, ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1';

/** The kubernetes-models class of a rendered object. */
export function modelOf(obj: any): { validate(): void } {
  switch (obj.kind) {
    case 'Application': return new Application(obj);
    case 'AppProject': return new AppProject(obj);
    case 'ExternalSecret': return new ExternalSecret(obj);
    case 'ClusterSecretStore': return new ClusterSecretStore(obj);
    default: throw new Error(`no model for ${obj.kind}`);
  }
}

