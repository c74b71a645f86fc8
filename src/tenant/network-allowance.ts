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

  private constructor(
    /** Direction. */ public readonly direction: 'ingress' | 'egress',
    /** @internal */ public readonly _peer: Record<string, unknown>,
    /** @internal */ public readonly _ports: PortSpec[],
  ) {}
}
