import { ClusterOutput } from '../model/cluster-output';
import { fail, messages } from '../core/errors';
import { CloudProvider } from '../model/cloud';

/**
 * An Azure role an add-on's identity is granted.
 * @see https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
 */
export interface AzureRoleGrant {
  /** Built-in or custom role name, e.g. `DNS Zone Contributor`. */
  readonly roleDefinitionName: string;
  /** The resource id the role is scoped to (least privilege: the zone or vault, never a subscription). */
  readonly scope: string;
}

/**
 * An IAM policy statement (Allow) of an add-on's role.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_statement.html
 */
export interface AwsPolicyStatement {
  /** Actions, e.g. `route53:ChangeResourceRecordSets`. */
  readonly actions: string[];
  /** Resource ARNs; `<partition>` is replaced by the cluster account's partition (aws, aws-cn, aws-us-gov). */
  readonly resources: string[];
}

/** Props common to both factories. */
export interface AddonIdentityBaseProps {
  /**
   * Name of the identity: cloud resource names (`<name>-<cluster>`) and the prefix of its
   * cluster outputs (`<name>_client_id`, `<name>_tenant_id`, `<name>_role_arn`, with `-` as `_`).
   */
  readonly name: string;
  /** The service account the add-on runs as, in the entry's namespace. */
  readonly serviceAccount: string;
}

/** Props of {@link AddonIdentity.azure}. */
export interface AzureAddonIdentityProps extends AddonIdentityBaseProps {
  /** The roles granted to the identity. */
  readonly roles: AzureRoleGrant[];
}

/** Props of {@link AddonIdentity.aws}. */
export interface AwsAddonIdentityProps extends AddonIdentityBaseProps {
  /** The policy of the identity's role. */
  readonly statements: AwsPolicyStatement[];
}

/** What the platform store identity of External Secrets may do (built-in entry only). */
export enum StoreAccess {
  /** Read the platform's entries. */
  READ = 'read',
}

const NAME = /^[a-z][a-z0-9-]{0,29}$/;

/**
 * The cloud identity an add-on needs, created by the library in the state of every
 * declared cluster the entry targets: on AKS a user-assigned identity with a federated
 * credential for the add-on's service account and the roles granted; on EKS an IAM role
 * with the policy, bound to the service account with EKS Pod Identity. Values that differ
 * per cluster (the client id, the role ARN) are cluster outputs the entry's values use,
 * rendered as annotations of each cluster's registration.
 *
 * An Azure identity on an EKS cluster, or an AWS identity on an AKS cluster, is refused at
 * synth: the add-on would have no token the other cloud trusts.
 *
 * @see https://learn.microsoft.com/azure/aks/workload-identity-overview
 * @see https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html
 */
export class AddonIdentity {
  /** An identity that calls Azure APIs (workload identity). */
  public static azure(props: AzureAddonIdentityProps): AddonIdentity {
    // JavaScript callers may pass anything: what is not a list is kept for _validate to report
    const p: Partial<AzureAddonIdentityProps> = props ?? {};
    return new AddonIdentity(CloudProvider.AZURE, p.name as string, p.serviceAccount as string, Array.isArray(p.roles) ? [...p.roles] : p.roles ?? [], []);
  }

  /** An identity that calls AWS APIs (EKS Pod Identity). */
  public static aws(props: AwsAddonIdentityProps): AddonIdentity {
    const p: Partial<AwsAddonIdentityProps> = props ?? {};
    return new AddonIdentity(CloudProvider.AWS, p.name as string, p.serviceAccount as string, [], Array.isArray(p.statements) ? [...p.statements] : p.statements ?? []);
  }

  /**
   * @internal External Secrets' identity for the platform store: Azure (Key Vault, its own
   * token exchange, so it also works from EKS), AWS (Secrets Manager, web identity, so it
   * also works from AKS) or none (Vault: a policy and a JWT auth role for the cluster's
   * service-account issuer); the grants follow the store.
   */
  public static _store(cloud: CloudProvider | undefined, access: StoreAccess): AddonIdentity {
    return new AddonIdentity(cloud, 'external-secrets', 'external-secrets', [], [], access);
  }

  private constructor(
    /** The cloud whose APIs the add-on calls (undefined for the Vault identity of External Secrets). */
    public readonly cloud: CloudProvider | undefined,
    /** The identity's name. */
    public readonly name: string,
    /** The service account (in the entry's namespace). */
    public readonly serviceAccount: string,
    /** @internal */ public readonly _roles: AzureRoleGrant[],
    /** @internal */ public readonly _statements: AwsPolicyStatement[],
    /** @internal */ public readonly _store?: StoreAccess,
  ) {}

  private output(suffix: string): ClusterOutput {
    if (typeof this.name !== 'string' || !NAME.test(this.name)) {
      fail('platform', messages.catalog.identityName(this.name));
    }
    return ClusterOutput.named(`${this.name.replace(/-/g, '_')}_${suffix}`);
  }

  /** The client id of the Azure identity (an output of each cluster), e.g. for `azure.workload.identity/client-id`. */
  public get clientId(): ClusterOutput {
    return this.output('client_id');
  }

  /** The Entra ID tenant of the Azure identity (an output of each cluster). */
  public get tenantId(): ClusterOutput {
    return this.output('tenant_id');
  }

  /** The ARN of the AWS role (an output of each cluster), e.g. for `eks.amazonaws.com/role-arn`. */
  public get roleArn(): ClusterOutput {
    return this.output('role_arn');
  }

  /** The names of the cluster outputs every targeted cluster provides for this identity. */
  public get outputNames(): string[] {
    if (this.cloud === undefined) return [];
    return (this.cloud === CloudProvider.AZURE ? [this.clientId, this.tenantId] : [this.roleArn]).map((o) => o.name);
  }

  /** @internal True when the add-on exchanges its own token, so the identity works from the other cloud too. */
  public get _crossCloudCapable(): boolean {
    return this._store !== undefined;
  }

  /** @internal */
  public _validate(path: string): void {
    if (typeof this.name !== 'string' || !NAME.test(this.name)) {
      fail(path, messages.catalog.identityName(this.name));
    }
    if (typeof this.serviceAccount !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(this.serviceAccount)) {
      fail(path, messages.catalog.identityServiceAccount(this.serviceAccount));
    }
    if (this._store) return;
    if (this.cloud === CloudProvider.AZURE) {
      if (!Array.isArray(this._roles) || this._roles.length === 0) fail(path, messages.catalog.identityRoles(this._roles));
      this._roles.forEach((r, i) => {
        if (typeof r !== 'object' || r === null || typeof r.roleDefinitionName !== 'string' || r.roleDefinitionName.trim() === '') {
          fail(path, messages.catalog.identityRole(`identity.roles[${i}]`, r));
        }
        if (typeof r.scope !== 'string' || !/^\/subscriptions\/[^/]+\//.test(r.scope)) {
          fail(path, messages.catalog.identityRoleScope(`identity.roles[${i}].scope`, r.scope));
        }
      });
    } else {
      if (!Array.isArray(this._statements) || this._statements.length === 0) fail(path, messages.catalog.identityStatements(this._statements));
      this._statements.forEach((s, i) => {
        const strings = (l: unknown) => Array.isArray(l) && l.length > 0 && l.every((x) => typeof x === 'string' && x !== '');
        if (typeof s !== 'object' || s === null || !strings(s.actions) || !strings(s.resources)) fail(path, messages.catalog.identityStatement(`identity.statements[${i}]`, s));
      });
    }
  }
}
