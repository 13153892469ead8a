import { createHash, randomFillSync } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';

/**
 * The HTTP side of a WebSocket client upgrade, written by hand so that a connection needs no
 * `http.ClientRequest`, parser or `IncomingMessage` (the bulk of what a `ws` client costs per
 * connection). Behaviour mirrors ws 8's `initAsClient` and Node's `ClientRequest`: the same
 * synchronous throws for bad input, the same request headers, the same checks of the answer and
 * the same error messages, so that errors classify the same way (lib/core/errors.ts).
 */

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** ws's subprotocol token rule (RFC 7230 tchar). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Node's --max-http-header-size (16 KiB by default): a longer answer head is a parse error, as in `http`. */
export const MAX_HEAD_BYTES = http.maxHeaderSize;

/** What a connection needs from its URL, computed once per attempt. */
export interface UpgradeTarget {
  secure: boolean;
  host: string;
  port: number;
  /** Path with query, as sent in the request line. */
  path: string;
  href: string;
}

/** Parses and checks the URL as ws does; throws ws's SyntaxErrors for what ws refuses. */
export function parseTarget(address: string | URL): UpgradeTarget {
  let u: URL;
  try {
    u = address instanceof URL ? address : new URL(address);
  } catch {
    throw new SyntaxError(`Invalid URL: ${String(address)}`);
  }
  if (u.protocol === 'http:' || u.protocol === 'https:') {
    u = new URL(u);
    u.protocol = u.protocol === 'http:' ? 'ws:' : 'wss:';
  }
  const secure = u.protocol === 'wss:';
  // ws's message (ws+unix: is not supported here: wsbench targets are TCP)
  if (u.protocol !== 'ws:' && !secure) throw new SyntaxError('The URL\'s protocol must be one of "ws:", "wss:", "http:", "https:", or "ws+unix:"');
  if (u.hash) throw new SyntaxError('The URL contains a fragment identifier');
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  // the caller's own string when it is already the normal form: one copy for every connection to the same target, not one each
  const href = typeof address === 'string' && address === u.href ? address : u.href;
  return { secure, host, port: Number(u.port) || (secure ? 443 : 80), path: u.pathname + u.search, href };
}

/** Checks subprotocols as ws does (token, no duplicates). */
export function checkProtocols(protocols: readonly string[]): void {
  const seen = new Set<string>();
  for (const p of protocols) {
    if (typeof p !== 'string' || !TOKEN.test(p) || seen.has(p)) throw new SyntaxError('An invalid or duplicated subprotocol was specified');
    seen.add(p);
  }
}

// Keys come from a pooled random buffer: one randomFillSync per 256 connections, not one per connection.
const KEY_POOL = Buffer.allocUnsafe(16 * 256);
let keyOffset = KEY_POOL.length;

/** A fresh Sec-WebSocket-Key (16 random bytes, base64). */
export function newKey(): string {
  if (keyOffset >= KEY_POOL.length) {
    randomFillSync(KEY_POOL);
    keyOffset = 0;
  }
  keyOffset += 16;
  return KEY_POOL.toString('base64', keyOffset - 16, keyOffset);
}

/** The Sec-WebSocket-Accept a server must answer for `key` (RFC 6455 §4.2.2). */
export function acceptFor(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

export type HeaderValue = string | number | readonly string[];

/**
 * The request head, byte for byte what `ws` + `http.request` send: ws's four headers after the
 * caller's, the subprotocols, then `Host` (unless given) and the URL's userinfo as Basic auth.
 * Header names and values are validated by Node's own validators, which throw the same coded
 * errors (ERR_INVALID_HTTP_TOKEN, ERR_INVALID_CHAR, ERR_HTTP_INVALID_HEADER_VALUE) as `http.request`.
 */
export function requestHead(t: UpgradeTarget, key: string, protocols: readonly string[], headers: Record<string, HeaderValue | undefined> | undefined, auth?: string): string {
  const all: Record<string, HeaderValue | undefined> = { ...headers, 'Sec-WebSocket-Version': 13, 'Sec-WebSocket-Key': key, Connection: 'Upgrade', Upgrade: 'websocket' };
  if (protocols.length > 0) all['Sec-WebSocket-Protocol'] = protocols.join(',');
  let head = `GET ${t.path} HTTP/1.1\r\n`;
  let hasHost = false;
  let hasAuth = false;
  for (const name of Object.keys(all)) {
    const value = all[name];
    if (value === undefined) continue;
    http.validateHeaderName(name);
    const lower = name.toLowerCase();
    if (lower === 'host') hasHost = true;
    if (lower === 'authorization') hasAuth = true;
    for (const v of Array.isArray(value) ? (value as readonly string[]) : [String(value)]) {
      http.validateHeaderValue(name, v);
      head += `${name}: ${v}\r\n`;
    }
  }
  if (!hasHost) {
    const h = net.isIPv6(t.host) ? `[${t.host}]` : t.host;
    head += `Host: ${t.port === (t.secure ? 443 : 80) ? h : `${h}:${t.port}`}\r\n`;
  }
  if (auth !== undefined && !hasAuth) head += `Authorization: Basic ${Buffer.from(auth).toString('base64')}\r\n`;
  return `${head}\r\n`;
}

/** Node's http treats a 101 as an upgrade only with `Connection: upgrade` and an `Upgrade` header; else it is a plain response. */
export function isUpgradeAnswer(res: ResponseHead): boolean {
  return res.status === 101 && res.headers.has('upgrade') && /(^|,)\s*upgrade\s*(,|$)/i.test(res.headers.get('connection') ?? '');
}

/** The answer's status and headers (names lower-cased, repeats joined with ", " as Node does). */
export interface ResponseHead {
  status: number;
  headers: Map<string, string>;
}

/** An error carrying a code, as Node's and ws's are. */
export function codedError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/** Parses the head of the answer (up to the blank line); an answer that is not HTTP/1.x is Node's parse error. */
export function parseResponseHead(text: string): ResponseHead | Error {
  const lines = text.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(lines[0] ?? '');
  if (!m) return codedError('Parse Error: Expected HTTP/', 'HPE_INVALID_CONSTANT');
  const headers = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return codedError('Parse Error: Invalid header token', 'HPE_INVALID_HEADER_TOKEN');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const prev = headers.get(name);
    headers.set(name, prev === undefined ? value : `${prev}, ${value}`);
  }
  return { status: Number(m[1]), headers };
}

/**
 * What ws's client checks in a 101 answer, in ws's order and with ws's messages. Returns the
 * error message, or the subprotocol the server chose ('' for none). Extensions are never offered
 * (wsbench turns permessage-deflate off), so any Sec-WebSocket-Extensions is refused, as ws does.
 */
export function checkUpgrade(res: ResponseHead, key: string, protocols: readonly string[]): { error: string } | { protocol: string } {
  const upgrade = res.headers.get('upgrade');
  if (upgrade === undefined || upgrade.toLowerCase() !== 'websocket') return { error: 'Invalid Upgrade header' };
  if (res.headers.get('sec-websocket-accept') !== acceptFor(key)) return { error: 'Invalid Sec-WebSocket-Accept header' };
  const chosen = res.headers.get('sec-websocket-protocol');
  if (chosen !== undefined) {
    if (protocols.length === 0) return { error: 'Server sent a subprotocol but none was requested' };
    if (!protocols.includes(chosen)) return { error: 'Server sent an invalid subprotocol' };
  } else if (protocols.length > 0) {
    return { error: 'Server sent no subprotocol' };
  }
  if (res.headers.has('sec-websocket-extensions')) return { error: 'Server sent a Sec-WebSocket-Extensions header but no extension was requested' };
  return { protocol: chosen ?? '' };
}
