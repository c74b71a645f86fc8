// Kubernetes NetworkPolicy semantics, as the API defines them, for tests that ask whether the
// policies rendered into a namespace let one pod reach another (or an address outside the
// cluster). https://kubernetes.io/docs/concepts/services-networking/network-policies/
import * as ipaddr from 'ipaddr.js';
import { parse } from 'yaml';
import { labelsMatch } from '../../src/core/selector';

export type Labels = Record<string, string>;
export interface Selector { matchLabels?: Labels; matchExpressions?: { key: string; operator: string; values?: string[] }[] }

/** A pod as NetworkPolicies see it: its namespace (with the label Kubernetes sets), its labels and its container ports. */
export interface Pod { namespace: string; labels: Labels; ports?: { name?: string; containerPort: number }[] }

/** An address outside the cluster (a node's resolver, a managed database): only an ipBlock or a rule without peers admits it. */
export interface External { ip: string }

/** A label selector; an absent one selects nothing here (a policy's `podSelector: {}` selects every pod). */
export const matches = (sel: Selector | undefined, labels: Labels) => sel !== undefined && labelsMatch(sel.matchLabels, sel.matchExpressions, labels, () => false);

/** The NetworkPolicies rendered into a folder of the output (a host namespace: `clusters/<host>/<namespace>`). */
export const policiesIn = (files: Map<string, string>, dir: string): any[] =>
  [...files].filter(([f]) => f.startsWith(`${dir}/networkpolicy-`)).map(([, t]) => parse(t));

/** The labels Kubernetes gives every namespace. */
export const nsLabels = (ns: string): Labels => ({ 'kubernetes.io/metadata.name': ns });

const isPod = (x: Pod | External): x is Pod => (x as Pod).namespace !== undefined;

/** A peer of a rule admits `other`, seen from a policy of namespace `own`. */
function peerAdmits(peer: any, own: string, other: Pod | External): boolean {
  if (!isPod(other)) {
    if (!peer.ipBlock) return false;
    const addr = ipaddr.parse(other.ip);
    const inside = (cidr: string) => { const range = ipaddr.parseCIDR(cidr); return addr.kind() === range[0].kind() && addr.match(range); };
    return inside(peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some(inside);
  }
  // ipBlock is meant for addresses outside the cluster (what it does for pod IPs is up to the implementation)
  if (peer.ipBlock) return false;
  const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector, nsLabels(other.namespace)) : other.namespace === own;
  return nsOk && (peer.podSelector ? matches(peer.podSelector, other.labels) : true);
}

/** A port entry of a rule admits `port`/`protocol` (a number, or a name of the destination pod's container ports). */
function portAdmits(p: any, port: number, protocol: string, destination: Pod | External): boolean {
  if ((p.protocol ?? 'TCP') !== protocol) return false;
  if (p.port === undefined) return true;
  if (typeof p.port === 'number') return p.endPort === undefined ? p.port === port : port >= p.port && port <= p.endPort;
  return isPod(destination) && (destination.ports ?? []).some((c) => c.name === p.port && c.containerPort === port);
}

/**
 * Whether the NetworkPolicies let `from` open a connection to `to` on `port`: a pod no Ingress
 * policy selects is open; otherwise some rule of a policy selecting it must admit the peer
 * (namespaceSelector and/or podSelector, a podSelector alone meaning the policy's namespace)
 * and the port.
 */
export function admits(policies: any[], from: Pod, to: Pod, port: number, protocol = 'TCP'): boolean {
  const selecting = policies.filter((p) => p.metadata.namespace === to.namespace && matches(p.spec.podSelector, to.labels)
    && (p.spec.policyTypes ?? ['Ingress']).includes('Ingress'));
  if (selecting.length === 0) return true;
  return selecting.some((p) => (p.spec.ingress ?? []).some((r: any) =>
    (!r.from?.length || r.from.some((peer: any) => peerAdmits(peer, to.namespace, from)))
    && (!r.ports?.length || r.ports.some((x: any) => portAdmits(x, port, protocol, to)))));
}

/**
 * Whether the NetworkPolicies let `from` open a connection out to `to` on `port`: a pod no
 * Egress policy selects may connect anywhere; otherwise some egress rule of a policy selecting it
 * must admit the peer and the port (the port of the destination pod, after Service translation).
 */
export function egressAdmits(policies: any[], from: Pod, to: Pod | External, port: number, protocol = 'TCP'): boolean {
  const selecting = policies.filter((p) => p.metadata.namespace === from.namespace && matches(p.spec.podSelector, from.labels) && (p.spec.policyTypes ?? []).includes('Egress'));
  if (selecting.length === 0) return true;
  return selecting.some((p) => (p.spec.egress ?? []).some((r: any) =>
    (!r.to?.length || r.to.some((peer: any) => peerAdmits(peer, from.namespace, to)))
    && (!r.ports?.length || r.ports.some((x: any) => portAdmits(x, port, protocol, to)))));
}
