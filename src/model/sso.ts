import { fail, messages } from '../core/errors';
import { checkString } from '../core/validate';

/** Options for {@link Sso.oidc}. */
export interface OidcOptions {
  /** The OIDC issuer URL, e.g. `https://login.microsoftonline.com/<tenant>/v2.0`. */
  readonly issuer: string;
  /** The client (application) id registered for Argo CD. */
  readonly clientId: string;
  /**
   * Name shown on the login button.
   * @default 'SSO'
   */
  readonly name?: string;
  /**
   * Scopes requested at login; the groups claim drives RBAC.
   * @default ['openid', 'profile', 'email', 'groups']
   */
  readonly requestedScopes?: string[];
}

/** Options for {@link Sso.entraId}. */
export interface EntraIdOptions {
  /** The Entra ID tenant id. */
  readonly tenantId: string;
  /**
   * The client id of the app registration, federated with Argo CD's service account: after the
   * first apply, add it a federated credential with the management state's output `oidc_issuer_url`
   * as issuer and `system:serviceaccount:argocd:argocd-server` as subject (the library manages no
   * app registration).
   */
  readonly clientId: string;
}

/**
 * How people log in to Argo CD. Both choices are secretless: a public OIDC client
 * with PKCE, or Entra ID with Azure workload identity. The local `admin` account
 * is always disabled.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/user-management/#existing-oidc-provider
 */
export class Sso {
  /** Any OIDC provider, as a public client with PKCE (no client secret anywhere). */
  public static oidc(options: OidcOptions): Sso {
    return new Sso(options?.name ?? 'SSO', options?.issuer, options?.clientId, options?.requestedScopes ?? ['openid', 'profile', 'email', 'groups'], undefined);
  }

  /** Entra ID through Azure workload identity (no client secret anywhere). */
  public static entraId(options: EntraIdOptions): Sso {
    return new Sso('Entra ID', `https://login.microsoftonline.com/${options?.tenantId}/v2.0`, options?.clientId,
      ['openid', 'profile', 'email'], options?.tenantId);
  }

  private constructor(
    /** The login button's name. */ public readonly name: string,
    /** The issuer URL. */ public readonly issuer: string,
    /** The client id. */ public readonly clientId: string,
    private readonly scopes: readonly string[],
    /** Set for Entra ID with workload identity. */ public readonly entraTenantId: string | undefined,
  ) {}

  /** The requested scopes (a copy). */
  public get requestedScopes(): string[] {
    return [...this.scopes];
  }

  /** @internal */
  public _validate(path: string): void {
    if (typeof this.issuer !== 'string' || !/^https:\/\/[^\s]+$/.test(this.issuer)) {
      fail(path, messages.model.ssoIssuer(this.issuer));
    }
    checkString(path, 'argocd.sso.clientId', this.clientId);
  }

  /** @internal The `oidc.config` entry of `argocd-cm`. */
  public _oidcConfig(): Record<string, unknown> {
    const base: Record<string, unknown> = {
      name: this.name,
      issuer: this.issuer,
      clientID: this.clientId,
      requestedScopes: [...this.scopes],
    };
    if (this.entraTenantId) {
      return { ...base, azure: { useWorkloadIdentity: true }, requestedIDTokenClaims: { groups: { essential: true } } };
    }
    return { ...base, enablePKCEAuthentication: true };
  }
}
