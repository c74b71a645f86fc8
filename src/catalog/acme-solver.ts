import { fail, messages } from '../core/errors';
import { AddonIdentity } from './addon-identity';
import { checkCloudName } from '../core/validate';

/** How cert-manager proves domain ownership to Let's Encrypt. */
export class AcmeSolver {
  /** HTTP-01 through a Gateway API Gateway. */
  public static http01Gateway(options: { gatewayName: string; gatewayNamespace: string }): AcmeSolver {
    return new AcmeSolver(
      { http01: { gatewayHTTPRoute: { parentRefs: [{ name: options?.gatewayName, namespace: options?.gatewayNamespace, kind: 'Gateway' }] } } },
      // cert-manager solves through HTTPRoutes only with its Gateway API support on (off by default:
      // "gateway api is not enabled", and no certificate is ever issued)
      { config: { apiVersion: 'controller.config.cert-manager.io/v1alpha1', kind: 'ControllerConfiguration', enableGatewayAPI: true } },
      undefined, undefined, { gatewayName: options?.gatewayName, gatewayNamespace: options?.gatewayNamespace },
    );
  }

  /** HTTP-01 through an Ingress class. */
  public static http01Ingress(options: { ingressClassName: string }): AcmeSolver {
    return new AcmeSolver({ http01: { ingress: { ingressClassName: options?.ingressClassName } } }, {}, undefined, undefined, { ingressClassName: options?.ingressClassName });
  }

  /**
   * DNS-01 with Azure DNS. The library gives cert-manager a workload identity on each AKS
   * cluster it targets, with `DNS Zone Contributor` on this zone only.
   */
  public static dns01AzureDns(options: { subscriptionId: string; resourceGroupName: string; hostedZoneName: string }): AcmeSolver {
    const identity = AddonIdentity.azure({
      name: 'cert-manager',
      serviceAccount: 'cert-manager',
      roles: [{ roleDefinitionName: 'DNS Zone Contributor', scope: `/subscriptions/${options?.subscriptionId}/resourceGroups/${options?.resourceGroupName}/providers/Microsoft.Network/dnsZones/${options?.hostedZoneName}` }],
    });
    return new AcmeSolver(
      { dns01: { azureDNS: { subscriptionID: options?.subscriptionId, resourceGroupName: options?.resourceGroupName, hostedZoneName: options?.hostedZoneName, environment: 'AzurePublicCloud', managedIdentity: {} } } },
      { podLabels: { 'azure.workload.identity/use': 'true' }, serviceAccount: { labels: { 'azure.workload.identity/use': 'true' }, annotations: { 'azure.workload.identity/client-id': identity.clientId } } },
      undefined,
      identity,
      { subscriptionId: options?.subscriptionId, resourceGroupName: options?.resourceGroupName, hostedZoneName: options?.hostedZoneName },
    );
  }

  /**
   * DNS-01 with Route 53. The library gives cert-manager an IAM role on each EKS cluster it
   * targets (EKS Pod Identity), allowed to change records of this hosted zone only.
   */
  public static dns01Route53(options: { region: string; hostedZoneId: string }): AcmeSolver {
    const identity = AddonIdentity.aws({
      name: 'cert-manager',
      serviceAccount: 'cert-manager',
      statements: [
        { actions: ['route53:GetChange'], resources: ['arn:<partition>:route53:::change/*'] },
        { actions: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets'], resources: [`arn:<partition>:route53:::hostedzone/${options?.hostedZoneId}`] },
        { actions: ['route53:ListHostedZonesByName'], resources: ['*'] },
      ],
    });
    return new AcmeSolver({ dns01: { route53: { region: options?.region, hostedZoneID: options?.hostedZoneId } } }, {}, undefined, identity, { region: options?.region, hostedZoneId: options?.hostedZoneId });
  }

  /** DNS-01 with Cloudflare; the API token comes from the platform secret store entry `storeKey` (never from Git). */
  public static dns01Cloudflare(options: { storeKey: string }): AcmeSolver {
    return new AcmeSolver(
      { dns01: { cloudflare: { apiTokenSecretRef: { name: 'cloudflare-api-token', key: 'api-token' } } } },
      {},
      options?.storeKey,
      undefined,
      { storeKey: options?.storeKey },
    );
  }

  private constructor(
    /** @internal */ public readonly _solver: Record<string, unknown>,
    /** @internal */ public readonly _values: Record<string, unknown> = {},
    /** @internal */ public readonly _cloudflareStoreKey?: string,
    /** @internal The identity cert-manager needs for the DNS API. */
    public readonly _identity?: AddonIdentity,
    /** @internal What the caller passed, checked where the solver is used. */
    public readonly _fields: Record<string, unknown> = {},
  ) {}

  /** @internal The kinds cert-manager watches once the solver turns its Gateway API support on (its controller exits without their CRDs). */
  public get _watchedKinds(): { apiVersion: string; kind: string }[] {
    const config = this._values.config as { enableGatewayAPI?: boolean } | undefined;
    return config?.enableGatewayAPI ? [{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway' }, { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' }] : [];
  }

  /** @internal */
  public _validate(path: string): void {
    for (const [k, v] of Object.entries(this._fields)) {
      if (typeof v !== 'string' || !/^[A-Za-z0-9][-A-Za-z0-9._/]{0,252}$/.test(v)) {
        fail(path, messages.catalog.acmeSolverField(k, v));
      }
    }
    if (this._fields.resourceGroupName !== undefined) checkCloudName(path, 'acme.solver resourceGroupName', this._fields.resourceGroupName, 'azureResourceGroup');
  }
}

/** Let's Encrypt issuers for cert-manager. */
export interface AcmeOptions {
  /** Registration e-mail. */
  readonly email: string;
  /** The challenge. */
  readonly solver: AcmeSolver;
}
