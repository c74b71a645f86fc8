import { IConstruct } from 'constructs';
import { GraphSlot } from '../graph/platform-graph';
import type { Platform } from '../platform';
import { PinFile } from './pin-file';
import type { TeamServiceProps } from './team-service-props';

/** @internal What the rest of the library needs to know of a team service (no import of the construct, so no cycle). */
export interface ServiceTarget extends IConstruct {
  /** @internal */ readonly _teamService: true;
  readonly name: string;
  readonly team: string;
  /** @internal environment -> pin */
  readonly _pins: ReadonlyMap<string, PinFile>;
  /**
   * @internal the Secrets written on the host, in the tenant's host namespace, that the service reads under the
   * same name in its own namespace of the virtual cluster (vCluster maps each in: `sync.fromHost.secrets`)
   */
  readonly _hostSecrets: readonly string[];
  /** @internal the host Gateway (`<namespace>/<name>`) the service's HTTPRoute attaches to */
  readonly _gateway: string;
  /** The public host name in an environment (its HTTPRoute's only hostname). */
  hostFor(env: string): string;
  /** @internal true when the service reads secrets through an ExternalSecret (vCluster's External Secrets integration) */
  readonly _usesSecrets: boolean;
  /** @internal the container ports of the service's pods: `http` (the Gateway's backend) and `metrics` (what Prometheus scrapes) when metrics are declared */
  readonly _podPorts: { readonly http: number; readonly metrics?: number };
  /** @internal the props as declared (the host side renders the ServiceMonitor and the database claim from them) */
  readonly _props: TeamServiceProps;
}

const SERVICES_BY_CLUSTER = new GraphSlot<Map<string, { service: ServiceTarget; env: string }[]>>('team services by targeted cluster');

/** @internal Every team service of the platform, indexed by the Argo CD cluster its pins target (one walk per pass). */
export function servicesByCluster(platform: Platform): ReadonlyMap<string, { service: ServiceTarget; env: string }[]> {
  const graph = platform._graph();
  return graph.derive(SERVICES_BY_CLUSTER, () => {
    const index = new Map<string, { service: ServiceTarget; env: string }[]>();
    for (const c of graph.teamServices as readonly ServiceTarget[]) {
      for (const [env, pin] of c._pins) {
        const list = index.get(pin.cluster);
        if (list) list.push({ service: c, env });
        else index.set(pin.cluster, [{ service: c, env }]);
      }
    }
    return index;
  });
}
