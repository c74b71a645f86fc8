import { fail, messages } from '../core/errors';
import { parseIpv4Range } from '../core/cidr';

/**
 * Who may reach the cluster's Kubernetes API endpoint.
 * @see https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges
 * @see https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html
 */
export class ApiAccess {
  /**
   * A private endpoint only: reachable from the cluster's network (and peered networks).
   * On a management cluster, `terraform apply` installs Argo CD through this API, so it must
   * run inside the network (a self-hosted runner); declaring it says so.
   */
  public static private(): ApiAccess {
    return new ApiAccess(true, []);
  }

  /**
   * A public endpoint limited to these CIDR ranges (e.g. the egress of the runners of
   * `terraform apply`). On a fleet cluster the management cluster's egress addresses are
   * added to them.
   */
  public static authorizedRanges(cidrs: string[]): ApiAccess {
    return new ApiAccess(false, Array.isArray(cidrs) ? [...cidrs] : cidrs);
  }

  /**
   * A private endpoint that the management cluster reaches through connectivity you provide
   * and the library does not create (Transit Gateway, VPN, VNet/VPC peering with the private
   * DNS zone linked). For fleet clusters only; without it a private fleet API is refused.
   */
  public static privateConnected(): ApiAccess {
    return new ApiAccess(true, [], true);
  }

  private constructor(
    /** True for a private endpoint. */
    public readonly isPrivate: boolean,
    private readonly ranges: readonly string[],
    /** True when the user provides the network path from the management cluster. */
    public readonly connectedByUser = false,
  ) {}

  /** The authorized public ranges (a copy); empty for a private endpoint. */
  public get authorizedRanges(): string[] {
    return [...this.ranges];
  }

  /** @internal */
  public _validate(path: string): void {
    if (!Array.isArray(this.ranges)) fail(path, messages.model.authorizedRangesList(this.ranges));
    if (!this.isPrivate && this.ranges.length === 0) {
      fail(path, messages.model.noAuthorizedRange());
    }
    this.ranges.forEach((r, i) => {
      const c = parseRange(path, `apiAccess.authorizedRanges[${i}]`, r);
      if (c.prefix === 0) fail(path, messages.model.unlimitedRange(`apiAccess.authorizedRanges[${i}]`, r));
    });
  }
}

function parseRange(path: string, prop: string, value: string): { prefix: number } {
  const range = parseIpv4Range(value);
  if (!range || value === '0.0.0.0/0') {
    fail(path, messages.model.authorizedRange(prop, value));
  }
  return range;
}
