import type { StompFrame } from './stomp-frame';

/** The counter of ERROR frames received (lib/core/metric-names.ts). */
export const ERROR_FRAMES = 'stomp_error_frames';

/** Quoted names (a user, a queue) and long numbers: replaced, so that a class holds no per-VU id. */
const IDS = /'[^']*'|"[^"]*"|\d{3,}/g;

function clean(text: string, max: number): string {
  const line = (text.split('\n')[0] ?? '').trim().replace(IDS, (s) => (/^\d/.test(s) ? 'N' : `${s[0]}…${s[0]}`));
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * The failure class of a broker's ERROR frame: `STOMP ERROR: <message header> (<first body line>)`,
 * the broker's own words with quoted names and numbers masked (e.g. RabbitMQ's
 * `STOMP ERROR: Bad CONNECT (Access refused for user '…')`). Its hint is in lib/core/errors.ts.
 */
export function errorClass(f: StompFrame): string {
  const message = clean(f.headers.message ?? '', 80) || 'no message header';
  const detail = clean(f.body, 80);
  return `STOMP ERROR: ${message}${detail && detail !== message ? ` (${detail})` : ''}`;
}

/** The class of a connection that closed before the broker answered CONNECT. */
export const NO_CONNECTED = 'STOMP no CONNECTED';
