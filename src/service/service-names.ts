/**
 * @internal The Secret a service with a database reads its connection details from (`envFrom`):
 * the database claim's name and `writeConnectionSecretToRef.name`, in the tenant's host namespace,
 * and the same name in the service's namespace of the virtual cluster, where vCluster maps it.
 */
export function databaseSecretName(service: string): string {
  return `${service}-db`;
}
