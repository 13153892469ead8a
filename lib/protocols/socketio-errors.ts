import { M } from '../core/metric-names';

/** CONNECT_ERROR packets received (on k6 too, which keeps no failure classes). */
export const CONNECT_ERRORS = M.socketioConnectErrors;

/** Quoted names and long numbers: replaced, so that a class holds no per-VU id. */
const IDS = /'[^']*'|"[^"]*"|\d{3,}/g;

/**
 * The failure class of a namespace's CONNECT_ERROR: `Socket.IO CONNECT_ERROR /chat: <message>`, the
 * server's own words (what its middleware passed to `next(new Error(message))`), first line, quoted
 * names and numbers masked. Its hint is in lib/core/protocol-hints.ts.
 */
export function connectErrorClass(nsp: string, data: unknown): string {
  const raw = typeof data === 'string' ? data : typeof (data as { message?: unknown } | null)?.message === 'string' ? (data as { message: string }).message : '';
  const line = (raw.split('\n')[0] ?? '').trim().replace(IDS, (s) => (/^\d/.test(s) ? 'N' : `${s[0]}…${s[0]}`));
  const message = line === '' ? 'no message' : line.length > 80 ? `${line.slice(0, 79)}…` : line;
  return `Socket.IO CONNECT_ERROR ${nsp}: ${message}`;
}

/** The handshake timers' classes. */
export const OPEN_TIMEOUT = 'Socket.IO open timeout';
export const CONNECT_TIMEOUT = 'Socket.IO CONNECT timeout';
/** A message that is no Engine.IO or Socket.IO packet. */
export const MALFORMED = 'Socket.IO malformed packet';
/** The server disconnected the last namespace (its `socket.disconnect()`). */
export const SERVER_DISCONNECT = 'Socket.IO DISCONNECT by the server';
