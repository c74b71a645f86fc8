import { argocdHardened } from './argocd-hardened';
import { noCredentials } from './no-credentials';
import { noDefaultProject } from './no-default-project';
import { noHostPath } from './no-host-path';
import { noPrivilegedContainers } from './no-privileged-or-root-containers';
import { noSecretData } from './no-secret-data';
import { noWildcardAppProject } from './no-wildcard-appproject';
import { PolicyRule } from './rule';
import { resourceLimits } from './resource-limits';
import { restrictedApiEndpoint } from './restricted-api-endpoint';
import { tenantNamespaceIsolation } from './tenant-namespace-isolation';

/**
 * Every rule of the policy pass, in the order their checks run at each point of the walk
 * (so findings come out in a stable order; reports list rules in `SECURITY_RULES` order).
 * A new rule is a file in this folder and one line here.
 */
export const POLICY_RULES: readonly PolicyRule[] = [
  noCredentials,
  tenantNamespaceIsolation,
  noWildcardAppProject,
  noDefaultProject,
  argocdHardened,
  restrictedApiEndpoint,
  noPrivilegedContainers,
  noHostPath,
  resourceLimits,
  noSecretData,
];
