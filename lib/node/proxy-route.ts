import net from 'node:net';
import { ConfigError } from '../scenario/config-error';
import type { ProxyRoute } from './transport';

/**
 * A run's proxy settings as the coordinator read them (runner/client-flags.ts), plain data for the
 * workers: `--proxy` when given (it wins, for every connection), else the environment's
 * `HTTP_PROXY` (for ws://), `HTTPS_PROXY` (for wss://) and `NO_PROXY`, read as Go's `net/http`
 * (and so k6) reads them: hosts on NO_PROXY, localhost and loopback addresses go direct.
 */
export interface ProxySettings {
  flag?: string;
  http?: string;
  https?: string;
  noProxy?: string;
}

/** A proxy URL taken apart: `http://user:pass@host:port` (no scheme reads as http://, no port as 80). */
export interface ProxyUrl {
  host: string;
  port: number;
  authorization?: string;
}

/** Reads a proxy URL; `what` names where it came from (`--proxy`, `HTTPS_PROXY`) in the one-line error. The URL itself is never quoted: it may hold a password. */
export function parseProxyUrl(raw: string, what: string): ProxyUrl {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new ConfigError(`${what} is not a URL (give http://host:port, or http://user:password@host:port)`);
  }
  if (u.protocol !== 'http:') throw new ConfigError(`${what}: only http:// proxies are supported (an HTTP CONNECT tunnel; got ${u.protocol}//)`);
  if (u.hostname === '') throw new ConfigError(`${what} names no host (give http://host:port)`);
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  const out: ProxyUrl = { host, port: Number(u.port) || 80 };
  if (u.username !== '' || u.password !== '') {
    const cred = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
    out.authorization = `Basic ${Buffer.from(cred).toString('base64')}`;
  }
  return out;
}

/** Whether Go's rules send `host:port` direct: localhost and loopback always; else a NO_PROXY entry (`*`, a host, `.domain`, `*.domain`, an IP, a CIDR, any with `:port`). */
export function bypassesProxy(host: string, port: number, noProxy: string | undefined): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || isLoopback(h)) return true;
  for (const raw of (noProxy ?? '').split(',')) {
    let entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    // host:port or [v6]:port: the entry holds for that port only
    const withPort = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
    if (withPort) {
      if (Number(withPort[2]) !== port) continue;
      entry = withPort[1] as string;
    }
    entry = entry.replace(/^\[(.*)\]$/, '$1');
    if (entry.includes('/')) {
      if (inCidr(h, entry)) return true;
      continue;
    }
    if (net.isIP(entry)) {
      if (entry === h) return true;
      continue;
    }
    const domain = entry.replace(/^\*?\./, '');
    if (h === domain && !entry.startsWith('.') && !entry.startsWith('*.')) return true;
    if (h.endsWith(`.${domain}`)) return true;
  }
  return false;
}

function isLoopback(h: string): boolean {
  return net.isIPv4(h) ? h.startsWith('127.') : h === '::1';
}

function inCidr(h: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  const family = net.isIPv4(base) ? 'ipv4' : net.isIPv6(base) ? 'ipv6' : undefined;
  if (!family || !net.isIP(h) || (net.isIPv4(h) ? 'ipv4' : 'ipv6') !== family || !/^\d+$/.test(bits)) return false;
  const list = new net.BlockList();
  list.addSubnet(base, Number(bits), family);
  return list.check(h, family);
}

/** Picks each connection's proxy (or none) from the run's settings; undefined when no connection can use one. */
export type ProxyResolver = (url: string) => ProxyRoute | undefined;

export function proxyResolver(p: ProxySettings | undefined, timeoutMs: number): ProxyResolver | undefined {
  if (!p || (p.flag === undefined && p.http === undefined && p.https === undefined)) return undefined;
  const route = (raw: string | undefined, what: string): ProxyRoute | undefined => (raw === undefined ? undefined : { ...parseProxyUrl(raw, what), timeoutMs });
  const flag = route(p.flag, '--proxy');
  if (flag) return () => flag;
  const plain = route(p.http, 'HTTP_PROXY');
  const secure = route(p.https, 'HTTPS_PROXY');
  return (url) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return undefined; // the client refuses the URL itself, with its own error
    }
    const isSecure = u.protocol === 'wss:' || u.protocol === 'https:';
    const chosen = isSecure ? secure : plain;
    if (!chosen) return undefined;
    const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
    return bypassesProxy(host, Number(u.port) || (isSecure ? 443 : 80), p.noProxy) ? undefined : chosen;
  };
}
