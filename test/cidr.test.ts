import { describe, expect, it } from 'vitest';
import { cidrsOverlap, isCidr, parseCidr, parseIpv4Range, subnet } from '../src/core/cidr';

describe('core/cidr: one CIDR module on ipaddr.js', () => {
  it('parses cluster network blocks (/8 to /24, host bits zero) and does their arithmetic', () => {
    expect(parseCidr('10.1.0.0/16')).toEqual({ text: '10.1.0.0/16', base: 10 * 2 ** 24 + 2 ** 16, prefix: 16 });
    expect(parseCidr('10.1.0.1/16')).toBeUndefined();
    expect(parseCidr('10.1.0.0/25')).toBeUndefined();
    expect(parseCidr(42)).toBeUndefined();
    expect(cidrsOverlap(parseCidr('10.0.0.0/8')!, parseCidr('10.200.0.0/16')!)).toBe(true);
    expect(cidrsOverlap(parseCidr('10.0.0.0/16')!, parseCidr('10.1.0.0/16')!)).toBe(false);
    expect(subnet(parseCidr('10.0.0.0/16')!, 20, 3)).toBe('10.0.48.0/20');
    expect(() => subnet(parseCidr('10.0.0.0/16')!, 20, 16)).toThrow('does not fit');
  });

  it('parses API allow-list ranges (dotted quad, any prefix) and network policy blocks (IPv4 or IPv6)', () => {
    expect(parseIpv4Range('203.0.113.7/32')).toEqual({ prefix: 32 });
    expect(parseIpv4Range('0.0.0.0/0')).toEqual({ prefix: 0 });
    for (const bad of ['203.0.113.0/33', '256.0.0.0/8', '10.0.0/8', '10.0.0.0', 'fd00::/8', 7]) expect(parseIpv4Range(bad)).toBeUndefined();
    expect(isCidr('fd00::/8')).toBe(true);
    expect(isCidr('10.0.0.0/8')).toBe(true);
    expect(isCidr('10.0.0.0')).toBe(false);
  });
});
