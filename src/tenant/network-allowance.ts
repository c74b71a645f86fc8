import { fail, messages } from '../core/errors';
import { checkDnsLabel, checkPort } from '../core/validate';
import { isCidr as isValidCidr } from '../core/cidr';

/** A port and protocol. */
export interface PortSpec {
  /** Port number. */
  readonly port: number;
  /**
   * Protocol.
   * @default 'TCP'
   */
  readonly protocol?: string;
}

/** A traffic allowance added to a tenant's default-deny network policies. */
export class NetworkAllowance {
  /** Egress from the tenant's namespace to a CIDR range (e.g. a managed database). */
  public static egressToCidr(cidr: string, ports: PortSpec[]): NetworkAllowance {
    return new NetworkAllowance('egress', { ipBlock: { cidr } }, ports);
  }

  /** Ingress into the tenant's namespace from another namespace (e.g. a monitoring stack). */
  public static ingressFromNamespace(namespace: string, ports: PortSpec[] = []): NetworkAllowance {
    return new NetworkAllowance('ingress', { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } }, ports);
  }

  /** @internal Checks the peer and the ports; throws the library's error naming `prop`. */
  public _validate(path: string, prop: string): void {
    const cidr = (this._peer.ipBlock as { cidr?: unknown } | undefined)?.cidr;
    if (this._peer.ipBlock !== undefined && (typeof cidr !== 'string' || !isValidCidr(cidr))) {
      fail(path, messages.tenant.allowanceCidr(prop, cidr));
    }
    const ns = (this._peer.namespaceSelector as { matchLabels?: Record<string, unknown> } | undefined)?.matchLabels?.['kubernetes.io/metadata.name'];
    if (this._peer.namespaceSelector !== undefined) checkDnsLabel(path, `${prop} namespace`, ns);
    if (!Array.isArray(this._ports)) fail(path, messages.tenant.allowancePorts(prop, this._ports));
    this._ports.forEach((p, i) => {
      checkPort(path, `${prop} ports[${i}].port`, p?.port);
      if (p.protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(p.protocol)) {
        fail(path, messages.tenant.allowanceProtocol(prop, i, p.protocol));
      }
    });
  }

  private constructor(
    /** Direction. */ public readonly direction: 'ingress' | 'egress',
    /** @internal */ public readonly _peer: Record<string, unknown>,
    /** @internal */ public readonly _ports: PortSpec[],
  ) {}
}
