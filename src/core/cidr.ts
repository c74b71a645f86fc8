import * as ipaddr from 'ipaddr.js';
import { messages } from './errors';

/**
 * CIDR handling, on ipaddr.js: the network blocks of clusters (IPv4, /8 to /24, host bits
 * zero, with overlap and subnet arithmetic), the API server allow-lists (any IPv4 range) and
 * network policy peers (IPv4 or IPv6).
 */

/** A parsed IPv4 CIDR block. */
export interface Cidr {
  readonly text: string;
  readonly base: number;
  readonly prefix: number;
}

/** Parses an IPv4 CIDR (prefix /8 to /24, host bits zero); undefined when invalid. */
export function parseCidr(value: unknown): Cidr | undefined {
  if (typeof value !== 'string' || !ipaddr.IPv4.isValidCIDR(value)) return undefined;
  const [addr, prefix] = ipaddr.IPv4.parseCIDR(value);
  if (prefix < 8 || prefix > 24) return undefined;
  const base = addr.octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) return undefined;
  return { text: value, base, prefix };
}

/** True when two CIDR blocks share an address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  const aEnd = a.base + 2 ** (32 - a.prefix);
  const bEnd = b.base + 2 ** (32 - b.prefix);
  return a.base < bEnd && b.base < aEnd;
}

/** The `index`-th subnet of `newPrefix` inside `parent` (like Terraform's cidrsubnet). */
export function subnet(parent: Cidr, newPrefix: number, index: number): string {
  const size = 2 ** (32 - newPrefix);
  const base = parent.base + index * size;
  if (newPrefix < parent.prefix || base + size > parent.base + 2 ** (32 - parent.prefix)) {
    throw new Error(messages.internal.subnetDoesNotFit(newPrefix, index, parent.text));
  }
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256);
  return `${octets.join('.')}/${newPrefix}`;
}

/** Parses an IPv4 range in dotted-quad form ("203.0.113.0/24", any prefix); undefined when invalid. */
export function parseIpv4Range(value: unknown): { readonly prefix: number } | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^([0-9.]+)\/([0-9]{1,2})$/.exec(value);
  if (!m || !ipaddr.IPv4.isValidFourPartDecimal(m[1])) return undefined;
  const prefix = Number(m[2]);
  return prefix <= 32 ? { prefix } : undefined;
}

/** True for an IPv4 or IPv6 CIDR, as a network policy's ipBlock takes. */
export function isCidr(value: string): boolean {
  return ipaddr.IPv4.isValidCIDR(value) || ipaddr.IPv6.isValidCIDR(value);
}
