import net from 'node:net';
import { ConfigError } from '../lib/scenario/config-error';

/**
 * Connections per source address before rotating, for loopback targets. Not the ~28K ephemeral
 * ports but the kernel's search for a free one: connect() and bind() scan the used ports of an
 * address, so with one address the 18,000th connect costs ~0.7 ms and the ramp stalls; over 8
 * addresses it costs ~0.07 ms (measured here with 18,000 connections, docs/scaling.md).
 */
export const CONNS_PER_SOURCE = 2_500;

/** Past this many connections from one source address to one target, connect() slows down (port search). */
export const SLOW_PORT_SEARCH = 10_000;

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function intToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/**
 * `--local-address`: a comma-separated list of addresses and/or IPv4 CIDRs
 * (`127.0.0.1,127.0.0.2` or `127.0.0.0/28`). A CIDR yields its host addresses (at most 65,536).
 */
export function parseLocalAddresses(spec: string): string[] {
  const out: string[] = [];
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const cidr = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(part);
    if (cidr) {
      const bits = Number(cidr[2]);
      if (!net.isIPv4(cidr[1] as string) || bits < 16 || bits > 32) {
        throw new ConfigError(`--local-address: ${part} must be an IPv4 CIDR from /16 to /32, like 127.0.0.0/24`);
      }
      const size = 2 ** (32 - bits);
      const base = (ipv4ToInt(cidr[1] as string) & ~(size - 1)) >>> 0;
      const first = size > 2 ? 1 : 0;
      const last = size > 2 ? size - 2 : size - 1;
      for (let i = first; i <= last; i++) out.push(intToIpv4((base + i) >>> 0));
    } else if (net.isIP(part)) {
      out.push(part);
    } else {
      throw new ConfigError(`--local-address: ${JSON.stringify(part)} is not an IP address or CIDR (use e.g. 10.0.0.5,10.0.0.6 or 127.0.0.0/24)`);
    }
  }
  if (out.length === 0) throw new ConfigError('--local-address is empty: give addresses or a CIDR like 127.0.0.0/24');
  return out;
}

export function isLoopbackTarget(target: string): boolean {
  const host = new URL(target).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/**
 * Source addresses for a run: the user's list, or, for an IPv4 loopback target with more
 * connections than one source address should carry, 127.0.0.1, 127.0.0.2, ... (all of 127/8 is local).
 */
export function sourceAddresses(target: string, conns: number, userSpec?: string): string[] {
  if (userSpec) return parseLocalAddresses(userSpec);
  const host = new URL(target).hostname;
  if (conns <= CONNS_PER_SOURCE || !/^127\./.test(host)) return [];
  const n = Math.ceil(conns / CONNS_PER_SOURCE);
  return Array.from({ length: n }, (_, i) => `127.0.0.${i + 1}`);
}
