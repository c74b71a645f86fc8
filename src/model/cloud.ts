import { isPlainObject } from '../core/data';
import { fail, messages } from '../core/errors';
import { checkAwsRegion, checkAzureLocation, checkCidr, checkCloudName, checkLabelMap, checkPositiveInt, checkString, isQualifiedName } from '../core/validate';
import { Cidr, subnet } from '../core/cidr';
import { checkKubernetesVersion } from './kubernetes-version';
import { ApiAccess } from './api-access';
import { eksAmiType, NodePoolProps, SystemNodePoolProps, TaintEffect } from './node-pools';

export { ApiAccess } from './api-access';
export * from './node-pools';

/** The cloud a cluster runs on. */
export enum CloudProvider {
  /** Azure Kubernetes Service. */
  AZURE = 'azure',
  /** Amazon Elastic Kubernetes Service. */
  AWS = 'aws',
}

/**
 * How many NAT gateways give an EKS cluster's private subnets their way out.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html
 */
export enum NatGatewayMode {
  /** One NAT gateway (in the first zone) for every private subnet: cheaper, one zone's outage cuts egress. */
  SINGLE = 'single',
  /** One NAT gateway per availability zone, each zone's private subnet routed through its own. */
  PER_ZONE = 'per-zone',
}

/**
 * Exact versions of EKS managed add-ons (e.g. `v1.20.1-eksbuild.3`), to override the library's.
 * Each one left out takes the build the library pins for the cluster's Kubernetes minor
 * (docs/day-one.md lists them, e.g. for 1.33); on a minor it lists no builds for, the version AWS
 * designates as the default for it (`aws eks describe-addon-versions`), looked up at plan time.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/workloads-add-ons-available-eks.html
 */
export interface EksAddonVersions {
  /** `vpc-cni`. @default - the library's build for the Kubernetes minor, else AWS's default for it */
  readonly vpcCni?: string;
  /** `kube-proxy`. @default - the library's build for the Kubernetes minor, else AWS's default for it */
  readonly kubeProxy?: string;
  /** `coredns`. @default - the library's build for the Kubernetes minor, else AWS's default for it */
  readonly coreDns?: string;
  /** `eks-pod-identity-agent`. @default - the library's build for the Kubernetes minor, else AWS's default for it */
  readonly podIdentityAgent?: string;
  /** `aws-ebs-csi-driver`. @default - the library's build for the Kubernetes minor, else AWS's default for it */
  readonly ebsCsiDriver?: string;
}

/** The days of the week a maintenance window may fall on, as AKS names them. */
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/**
 * A weekly window in which AKS may upgrade a cluster by itself.
 * @see https://learn.microsoft.com/azure/aks/planned-maintenance
 */
export interface MaintenanceWindow {
  /** The day of the week it falls on, e.g. `Sunday`. */
  readonly dayOfWeek: (typeof WEEKDAYS)[number];
  /** When it starts, `HH:mm`, in the time of `utcOffset`, e.g. `02:00`. */
  readonly startTime: string;
  /**
   * How long it lasts, in hours: 4 to 24 (AKS's bounds).
   * @default 4
   */
  readonly durationHours?: number;
  /**
   * The UTC offset of `startTime`, `+HH:mm` or `-HH:mm`, e.g. `+01:00`.
   * @default '+00:00'
   */
  readonly utcOffset?: string;
}

/** The cluster's network. */
export interface NetworkProps {
  /**
   * The address range of the cluster's VNet / VPC, e.g. `10.20.0.0/16`: /8 to /20 on AKS, /16 to
   * /20 on EKS (AWS allows a VPC block of /16 at most). Node subnets are carved out of it; ranges
   * of clusters of one platform must not overlap.
   */
  readonly cidr: string;
}

/** Props of {@link Cloud.aks}. */
export interface AksProps {
  /** Azure region, e.g. `westeurope`. */
  readonly location: string;
  /** Kubernetes minor version, e.g. `1.35` (see `SUPPORTED_KUBERNETES_VERSIONS`). */
  readonly kubernetesVersion: string;
  /** The cluster's VNet. */
  readonly network: NetworkProps;
  /**
   * The resource group created for the cluster.
   * @default `rg-<cluster name>`
   */
  readonly resourceGroupName?: string;
  /**
   * The availability zones every node pool spans (`[]`: none, a regional pool). AKS refuses
   * zones where the location has none (`AvailabilityZoneNotSupported`).
   * @default - `['1', '2', '3']` in a location Microsoft lists with availability zones
   * (`AKS_ZONAL_LOCATIONS`), none elsewhere
   * @see https://learn.microsoft.com/azure/reliability/regions-list
   */
  readonly availabilityZones?: string[];
  /**
   * The system node pool.
   * @default - `Standard_D4ds_v5`, 2 to 5 nodes, across the availability zones
   */
  readonly systemNodePool?: SystemNodePoolProps;
  /**
   * User node pools, on the same node subnet. The system pool only runs critical add-ons
   * (`CriticalAddonsOnly` taint), so at least one pool must take ordinary workloads: one
   * without `NoSchedule`/`NoExecute` taints and not spot (AKS taints spot nodes).
   * @default - one autoscaling pool `user`: `Standard_D4ds_v5`, 2 to 10 nodes, across the availability zones
   * @see https://learn.microsoft.com/azure/aks/use-system-pools
   */
  readonly nodePools?: NodePoolProps[];
  /**
   * API server access. A management cluster's API is where `terraform apply` installs Argo CD
   * from: a private endpoint needs a runner inside the network, `ApiAccess.authorizedRanges`
   * lists the runners' egress. A fleet cluster's API must admit the management cluster's Argo CD.
   * @default - management cluster: `ApiAccess.private()` (reported as a warning until declared);
   * fleet cluster: a public endpoint admitting only the management cluster's egress addresses
   * @see https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges
   */
  readonly apiAccess?: ApiAccess;
  /**
   * Entra ID group object ids that get cluster admin through Azure RBAC.
   * @default - none (the identity that runs Terraform is granted admin for the bootstrap)
   */
  readonly adminGroupObjectIds?: string[];
  /**
   * Run the cluster on AKS's long-term support plan (`AKSLongTermSupport`, which needs the
   * Premium tier, billed at a higher rate per cluster hour than Standard): AKS patches each
   * minor for a year past its community support, and creates clusters on it meanwhile. The synth
   * warns when the minor's support ends (see `AKS_SUPPORT`). AKS refuses to turn it off once the
   * minor's community support has ended: upgrade the minor first.
   * @default false - the Standard tier and community support (12 months per minor)
   * @see https://learn.microsoft.com/azure/aks/long-term-support
   */
  readonly longTermSupport?: boolean;
  /**
   * When AKS may upgrade the cluster by itself: its Kubernetes patches (the `patch` upgrade
   * channel) and its weekly node images (the `NodeImage` channel) both wait for this window, each
   * node drained as AKS upgrades it.
   * @default - none: AKS upgrades whenever a patch or an image is out, at any time of day
   * @see https://learn.microsoft.com/azure/aks/planned-maintenance
   */
  readonly maintenanceWindow?: MaintenanceWindow;
  /**
   * Resource id of an Azure Container Registry the kubelet identity may pull from (AcrPull).
   * @default - none
   */
  readonly containerRegistryId?: string;
}

/**
 * An OpenID Connect identity provider an EKS cluster trusts for people. EKS takes the groups in
 * its ID tokens as Kubernetes groups, which is what the RoleBindings of tenant owners name
 * (`Group`): without one (or access entries for the teams' IAM roles), no one holds those groups.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/authenticate-oidc-identity-provider.html
 */
export interface EksIdentityProvider {
  /** The issuer URL, `https://` (EKS reads its discovery document), e.g. `https://idp.acme.dev`. */
  readonly issuerUrl: string;
  /** The client id the ID tokens are issued to (their `aud`): the client people's kubectl signs in with, e.g. through kubelogin. */
  readonly clientId: string;
  /**
   * The claim that lists the user's groups, named as the tenants' owner groups are.
   * @default 'groups'
   */
  readonly groupsClaim?: string;
  /**
   * The claim used as the Kubernetes user name, which EKS prefixes with `oidc:` (so no token can
   * pass for a user another authenticator maps).
   * @default 'email'
   */
  readonly usernameClaim?: string;
}

/** Props of {@link Cloud.eks}. */
export interface EksProps {
  /** AWS region, e.g. `eu-west-1`. */
  readonly region: string;
  /** Kubernetes minor version, e.g. `1.35` (see `SUPPORTED_KUBERNETES_VERSIONS`). */
  readonly kubernetesVersion: string;
  /** The cluster's VPC. */
  readonly network: NetworkProps;
  /**
   * How many availability zones the subnets span (2 or 3).
   * @default 3
   */
  readonly availabilityZoneCount?: number;
  /**
   * The system managed node group.
   * @default - `m7i.large`, 2 to 5 nodes, in the private subnets
   */
  readonly systemNodePool?: SystemNodePoolProps;
  /**
   * Additional managed node groups, in the private subnets.
   * @default - none
   */
  readonly nodePools?: NodePoolProps[];
  /**
   * API endpoint access. A management cluster's API is where `terraform apply` installs Argo CD
   * from: a private endpoint needs a runner inside the VPC, `ApiAccess.authorizedRanges` lists
   * the runners' egress. A fleet cluster's API must admit the management cluster's Argo CD.
   * @default - management cluster: `ApiAccess.private()` (reported as a warning until declared);
   * fleet cluster: a public endpoint admitting only the management cluster's egress addresses
   * @see https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html
   */
  readonly apiAccess?: ApiAccess;
  /**
   * IAM role ARNs granted `AmazonEKSClusterAdminPolicy` through EKS access entries. Leave out
   * the role Terraform runs as: EKS already gives the identity that creates the cluster an access
   * entry, and a second one for the same principal fails the apply (`ResourceInUseException`).
   * @default - none (the identity that creates the cluster keeps admin for the bootstrap)
   */
  readonly adminRoleArns?: string[];
  /**
   * The OIDC identity provider people sign in to the cluster with, so that the groups tenant
   * owners' RoleBindings name are the groups of their tokens. Declare it on every EKS cluster that
   * hosts tenants; the synth warns where one is missing.
   * @default - none (only IAM principals with access entries can use the cluster's API)
   */
  readonly identityProvider?: EksIdentityProvider;
  /**
   * NAT gateways of the private subnets.
   * @default - `NatGatewayMode.PER_ZONE` for a cluster of the platform's last environment (e.g. prod), `NatGatewayMode.SINGLE` elsewhere
   */
  readonly natGateways?: NatGatewayMode;
  /**
   * Exact versions of the managed add-ons (VPC CNI, kube-proxy, CoreDNS, Pod Identity agent, EBS CSI driver).
   * @default - each add-on at the build the library pins for `kubernetesVersion` (AWS's default build for a minor it does not list)
   */
  readonly addonVersions?: EksAddonVersions;
}

const AKS_POOL_NAME = /^[a-z][a-z0-9]{0,11}$/;
/** The system pool's name and its temporary name while azurerm cycles it (which azurerm would take an existing pool of that name for, and delete). */
const RESERVED_POOL_NAMES = ['system', 'systemtmp'];

/** The user pool an AKS cluster gets when it declares none. */
export const DEFAULT_AKS_USER_POOL: NodePoolProps = { name: 'user', minCount: 2, maxCount: 10 };

/** True for a pool ordinary workloads (no tolerations) can be scheduled on. */
function takesWorkloads(pool: NodePoolProps): boolean {
  return !pool.spot && !(pool.taints ?? []).some((t) => t.effect === TaintEffect.NO_SCHEDULE || t.effect === TaintEffect.NO_EXECUTE);
}

/** An `https://` URL with a host and neither query nor fragment, as EKS takes an issuer. */
function httpsUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' && u.hostname !== '' && u.search === '' && u.hash === '' && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/**
 * The Azure locations with availability zones, as Microsoft's list of regions gives them (public
 * cloud, March 2025; the sovereign clouds are refused: see `checkAzureLocation`). An AKS cluster elsewhere gets
 * regional pools unless it declares `availabilityZones`: a location that gains zones later still
 * works, only without zone redundancy until it is added here or declared.
 * @see https://learn.microsoft.com/azure/reliability/regions-list
 */
export const AKS_ZONAL_LOCATIONS: readonly string[] = [
  'australiaeast', 'brazilsouth', 'canadacentral', 'centralindia', 'centralus', 'eastasia', 'eastus', 'eastus2', 'francecentral',
  'germanywestcentral', 'indonesiacentral', 'israelcentral', 'italynorth', 'japaneast', 'japanwest', 'koreacentral', 'mexicocentral',
  'newzealandnorth', 'northeurope', 'norwayeast', 'polandcentral', 'qatarcentral', 'southafricanorth', 'southcentralus', 'southeastasia',
  'spaincentral', 'swedencentral', 'switzerlandnorth', 'uaenorth', 'uksouth', 'westeurope', 'westus2', 'westus3',
];

/** @internal An Entra ID object id (a GUID): how Azure names a group, in role assignments and in AKS's RBAC alike. */
export const ENTRA_OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * Where and how a cluster is provisioned: AKS or EKS, with secure defaults
 * (private API, workload identity, Entra ID / access-entry admin, no local accounts).
 */
export class Cloud {
  /** An AKS cluster. */
  public static aks(props: AksProps): Cloud {
    return new Cloud(CloudProvider.AZURE, props, undefined);
  }

  /** An EKS cluster. */
  public static eks(props: EksProps): Cloud {
    return new Cloud(CloudProvider.AWS, undefined, props);
  }

  private constructor(
    /** The cloud provider. */
    public readonly provider: CloudProvider,
    /** @internal */ public readonly _aks: AksProps | undefined,
    /** @internal */ public readonly _eks: EksProps | undefined,
  ) {}

  /** The Azure location or AWS region. */
  public get region(): string {
    return this._aks ? this._aks.location : this._eks!.region;
  }

  /** The Kubernetes minor version, e.g. `1.35`. */
  public get kubernetesVersion(): string {
    return (this._aks ?? this._eks)!.kubernetesVersion;
  }

  /** The declared API access, if any. */
  public get apiAccess(): ApiAccess | undefined {
    return (this._aks ?? this._eks)!.apiAccess;
  }

  /** @internal The availability zones of an AKS cluster's pools (`availabilityZones`, else 1-3 where the location has zones). */
  public get _aksZones(): string[] {
    const declared = this._aks?.availabilityZones;
    if (declared !== undefined) return [...declared];
    return AKS_ZONAL_LOCATIONS.includes(this._aks!.location) ? ['1', '2', '3'] : [];
  }

  /** @internal Whether an EKS cluster's private subnets get a NAT gateway per zone (`natGateways`, else per zone in the platform's last environment). */
  public _eksNatPerZone(lastEnvironment: boolean): boolean {
    return (this._eks!.natGateways ?? (lastEnvironment ? NatGatewayMode.PER_ZONE : NatGatewayMode.SINGLE)) === NatGatewayMode.PER_ZONE;
  }

  /** @internal The Elastic IPs an EKS cluster's state allocates: one per NAT gateway. */
  public _eksElasticIps(lastEnvironment: boolean): number {
    return this._eksNatPerZone(lastEnvironment) ? this._eks!.availabilityZoneCount ?? 3 : 1;
  }

  /** @internal The resource group an AKS cluster's state creates: `resourceGroupName`, else `rg-<cluster>` (undefined on EKS). */
  public _aksResourceGroup(clusterName: string): string | undefined {
    return this._aks ? this._aks.resourceGroupName ?? `rg-${clusterName}` : undefined;
  }

  /** The cluster network's CIDR. */
  public get networkCidr(): string {
    return (this._aks ?? this._eks)!.network?.cidr;
  }

  /** @internal Validates every prop; returns the parsed network range. */
  public _validate(path: string): Cidr {
    const p = (this._aks ?? this._eks)!;
    if (this._aks) checkAzureLocation(path, 'cloud.location', this.region);
    else checkAwsRegion(path, 'cloud.region', this.region);
    checkKubernetesVersion(path, 'cloud.kubernetesVersion', p.kubernetesVersion);
    const cidr = checkCidr(path, 'cloud.network.cidr', p.network?.cidr);
    if (cidr.prefix > 20) {
      fail(path, messages.model.networkTooSmall(p.network.cidr));
    }
    // an AWS VPC block is /16 to /28 (an AKS VNet may be larger)
    if (this._eks && cidr.prefix < 16) fail(path, messages.model.eksNetworkTooLarge(p.network.cidr, subnet(cidr, 16, 0)));
    (p.apiAccess ?? ApiAccess.private())._validate(path);
    this.validatePool(path, 'cloud.systemNodePool', p.systemNodePool ?? {});
    const names = new Set<string>();
    if (p.nodePools !== undefined && !Array.isArray(p.nodePools)) fail(path, messages.model.nodePoolsList(p.nodePools));
    (p.nodePools ?? []).forEach((pool, i) => {
      const prop = `cloud.nodePools[${i}]`;
      if (typeof pool !== 'object' || pool === null) fail(path, messages.model.nodePool(prop, pool));
      checkLabelMap(path, `${prop}.labels`, pool.labels);
      if (pool.spot !== undefined && typeof pool.spot !== 'boolean') fail(path, messages.model.spot(prop, pool.spot));
      if (typeof pool.name !== 'string' || !AKS_POOL_NAME.test(pool.name) || RESERVED_POOL_NAMES.includes(pool.name)) {
        fail(path, messages.model.poolName(prop, pool.name));
      }
      if (names.has(pool.name)) fail(path, messages.model.poolNameTaken(prop, pool.name));
      names.add(pool.name);
      this.validatePool(path, prop, pool);
      (pool.taints ?? []).forEach((t, j) => {
        if (!Object.values(TaintEffect).includes(t.effect)) {
          fail(path, messages.model.taintEffect(`${prop}.taints[${j}]`, t.effect, Object.values(TaintEffect)));
        }
        if (!isQualifiedName(t.key)) fail(path, messages.model.taintKey(`${prop}.taints[${j}]`, t.key));
        checkLabelMap(path, `${prop}.taints[${j}]`, { value: t.value ?? '' });
      });
    });
    if (this._aks) {
      const pools = this._aks.nodePools ?? [DEFAULT_AKS_USER_POOL];
      if (!pools.some(takesWorkloads)) {
        fail(path, messages.model.noWorkloadPool(pools.map((pool) => pool.name)));
      }
      if (this._aks.longTermSupport !== undefined && typeof this._aks.longTermSupport !== 'boolean') fail(path, messages.model.longTermSupport(this._aks.longTermSupport));
      const w = this._aks.maintenanceWindow;
      if (w !== undefined) {
        if (!isPlainObject(w)) fail(path, messages.model.maintenanceWindow(w));
        if (!(WEEKDAYS as readonly string[]).includes(w.dayOfWeek)) fail(path, messages.model.maintenanceDay(w.dayOfWeek, WEEKDAYS));
        if (typeof w.startTime !== 'string' || !/^([01]\d|2[0-3]):[0-5]\d$/.test(w.startTime)) fail(path, messages.model.maintenanceStart(w.startTime));
        const hours = w.durationHours ?? 4;
        if (!Number.isInteger(hours) || hours < 4 || hours > 24) fail(path, messages.model.maintenanceDuration(w.durationHours));
        if (w.utcOffset !== undefined && (typeof w.utcOffset !== 'string' || !/^[+-](0\d|1[0-4]):[0-5]\d$/.test(w.utcOffset))) fail(path, messages.model.maintenanceOffset(w.utcOffset));
      }
      if (this._aks.resourceGroupName !== undefined) checkCloudName(path, 'cloud.resourceGroupName', this._aks.resourceGroupName, 'azureResourceGroup');
      const zones = this._aks.availabilityZones;
      if (zones !== undefined && (!Array.isArray(zones) || zones.some((z) => typeof z !== 'string' || !/^[1-9]$/.test(z)) || new Set(zones).size !== zones.length)) {
        fail(path, messages.model.availabilityZones(zones));
      }
      (this._aks.adminGroupObjectIds ?? []).forEach((g, i) => {
        if (typeof g !== 'string' || !ENTRA_OBJECT_ID.test(g)) {
          fail(path, messages.model.adminGroupObjectId(i, g));
        }
      });
    } else {
      const azs = this._eks!.availabilityZoneCount ?? 3;
      const nat = this._eks!.natGateways;
      if (nat !== undefined && !Object.values(NatGatewayMode).includes(nat)) {
        fail(path, messages.model.natGateways(nat, Object.values(NatGatewayMode)));
      }
      const versions = this._eks!.addonVersions;
      if (versions !== undefined && !isPlainObject(versions)) {
        fail(path, messages.model.addonVersions(versions));
      }
      for (const [k, v] of Object.entries(versions ?? {})) {
        if (typeof v !== 'string' || !/^v\d+\.\d+\.\d+-eksbuild\.\d+$/.test(v)) {
          fail(path, messages.model.addonVersion(k, v));
        }
      }
      if (azs !== 2 && azs !== 3) fail(path, messages.model.availabilityZoneCount(azs));
      (this._eks!.adminRoleArns ?? []).forEach((a, i) => {
        if (typeof a !== 'string' || !ROLE_ARN.test(a)) {
          fail(path, messages.model.adminRoleArn(i, a));
        }
      });
      const idp = this._eks!.identityProvider;
      if (idp !== undefined) {
        if (!isPlainObject(idp)) fail(path, messages.model.identityProvider(idp));
        if (typeof idp.issuerUrl !== 'string' || !httpsUrl(idp.issuerUrl)) fail(path, messages.model.identityProviderIssuer(idp.issuerUrl));
        checkString(path, 'cloud.identityProvider.clientId', idp.clientId);
        for (const claim of ['groupsClaim', 'usernameClaim'] as const) {
          if (idp[claim] !== undefined) checkString(path, `cloud.identityProvider.${claim}`, idp[claim]);
        }
      }
    }
    return cidr;
  }

  private validatePool(path: string, prop: string, pool: SystemNodePoolProps): void {
    if (pool.machineType !== undefined) checkString(path, `${prop}.machineType`, pool.machineType);
    if (pool.machineType !== undefined && this._eks) {
      const ami = eksAmiType(pool.machineType);
      if ('unsupported' in ami) fail(path, messages.model.eksInstanceType(`${prop}.machineType`, pool.machineType, ami.unsupported));
    }
    const min = checkPositiveInt(path, `${prop}.minCount`, pool.minCount ?? 2);
    const max = checkPositiveInt(path, `${prop}.maxCount`, pool.maxCount ?? Math.max(5, min));
    if (min > max) fail(path, messages.model.poolMinCount(prop, min, max));
  }
}
