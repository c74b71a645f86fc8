import { IConstruct } from 'constructs';
import { Platform } from '../platform';
import { PinFile } from './pin-file';

/** @internal What the rest of the library needs to know of a team service (no import of the construct, so no cycle). */
export interface ServiceTarget extends IConstruct {
  /** @internal */ readonly _teamService: true;
  readonly name: string;
  readonly team: string;
  /** @internal environment -> pin */
  readonly _pins: ReadonlyMap<string, PinFile>;
  /** @internal custom resources (plural.group) the service's objects need synced to the host */
  readonly _customResources: readonly string[];
  /** @internal the host Gateway (`<namespace>/<name>`) the service's HTTPRoute attaches to */
  readonly _gateway: string;
}

function isServiceTarget(c: IConstruct): c is ServiceTarget {
  return (c as Partial<ServiceTarget>)._teamService === true;
}

/** @internal Every team service of the platform, indexed by the Argo CD cluster its pins target (one walk per pass). */
export function servicesByCluster(platform: Platform): ReadonlyMap<string, { service: ServiceTarget; env: string }[]> {
  return platform._cached('team-services-by-cluster', () => {
    const index = new Map<string, { service: ServiceTarget; env: string }[]>();
    for (const c of platform._all()) {
      if (!isServiceTarget(c)) continue;
      for (const [env, pin] of c._pins) {
        const list = index.get(pin.cluster);
        if (list) list.push({ service: c, env });
        else index.set(pin.cluster, [{ service: c, env }]);
      }
    }
    return index;
  });
}
