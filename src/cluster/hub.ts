import { messages, Problem } from '../core/errors';

/** One Argo CD cluster registration of a management cluster (a hub). */
export interface Registration {
  /** The Argo CD cluster name. */
  readonly name: string;
  /** The construct that registers it. */
  readonly path: string;
  /** What it is, for messages. */
  readonly what: 'management cluster' | 'fleet cluster' | 'tenant virtual cluster';
}

/** A hub as the multi-hub rules see it. */
export interface HubRegistrations {
  readonly hub: string;
  readonly path: string;
  readonly registrations: readonly Registration[];
}

/**
 * Every cluster is registered in exactly one Argo CD of the platform: a fleet cluster in the
 * hub it is declared under, a tenant's virtual cluster in the hub of its host. Two registrations
 * of the same Argo CD cluster name (in one hub, or in two) would make two controllers, or two
 * Secrets, manage one cluster. Reports the problems of `hub` against itself and the hubs
 * declared before it (so each pair is reported once, at the later declaration); a cluster and a
 * tenant's virtual cluster of one name are caught here, two of a kind by the duplicate-name rules.
 */
export function registrationProblems(hubs: readonly HubRegistrations[], hub: HubRegistrations): Problem[] {
  const earlier = new Map<string, { reg: Registration; hub: HubRegistrations }>();
  for (const h of hubs) {
    if (h === hub) break;
    for (const reg of h.registrations) if (!earlier.has(reg.name)) earlier.set(reg.name, { reg, hub: h });
  }
  const problems: Problem[] = [];
  const own = new Map<string, Registration>();
  // two clusters, or two tenants, of one name are reported by the duplicate-name rules already
  const kind = (r: Registration) => (r.what === 'tenant virtual cluster' ? 'tenant' : 'cluster');
  for (const reg of hub.registrations) {
    const first = earlier.get(reg.name);
    const same = own.get(reg.name);
    if ((first && kind(first.reg) === kind(reg)) || (same && kind(same) === kind(reg))) continue;
    if (first) {
      problems.push({ path: reg.path, message: messages.cluster.registeredInTwoHubs(reg.name, registrant(reg), registrant(first.reg), first.hub.hub, hub.hub) });
    } else if (same) {
      problems.push({ path: reg.path, message: messages.cluster.registeredTwiceInHub(reg.name, registrant(reg), registrant(same), hub.hub) });
    } else {
      own.set(reg.name, reg);
    }
  }
  return problems;
}

/** A registration as a message names it: `fleet cluster platform/mgmt/a`. */
function registrant(reg: Registration): string {
  return `${reg.what} ${reg.path}`;
}

/** A pinned shard at or above the controller replicas. */
export function shardProblem(path: string, shard: number, replicas: number, hub: string): Problem {
  return {
    path,
    message: messages.shardOutOfRange(shard, replicas, hub),
  };
}
