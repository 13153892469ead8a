import type net from 'node:net';
import WebSocket from 'ws';
import type { WsClientLike } from './transport';

/**
 * The runner's own close of an open connection (its VU stopped, or the run ended): one masked
 * close frame, sent with the FIN, and nothing awaited. The server still reads a clean close with
 * the runner's code and reason; what is skipped is `ws`'s side of the handshake (a 30 s close
 * timer per connection, the echo parsed, `end()` called on an ended stream, which builds an error
 * with its stack each time): about 0.2 ms of CPU per connection, 2 of the 10 CPU-s of a
 * 10,000-connection run (bench/history.md, "Where the cost goes"). A scenario's own `close()` still
 * does the whole handshake.
 */

/** ws's private members this builds on (ws 8; RawWebSocket is a ws WebSocket once open). */
interface WsPrivate {
  _socket?: net.Socket | null;
  _readyState: number;
}

/** ws's own framing (lib/sender.js, public but not in @types/ws): masks from its pooled random keys. */
type Framer = (data: Buffer, options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean }) => Buffer[];
const frame = (WebSocket as unknown as { Sender: { frame: Framer } }).Sender.frame;

const OPEN = 1;
const CLOSED = 3;
const ignore = (): void => undefined;
const DETACH = ['data', 'end', 'close', 'error'] as const;

/** A client's close frame (RFC 6455 §5.5.1): FIN + opcode 8, masked, code then UTF-8 reason (≤ 123 bytes). */
export function closeFrame(code: number, reason: string): Buffer {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  if (payload.length > 125) throw new RangeError('a close reason is at most 123 bytes');
  // readOnly: header and masked payload in one buffer (two only for an all-zero mask, which ws leaves unapplied)
  const parts = frame(payload, { fin: true, opcode: 0x08, mask: true, readOnly: true, rsv1: false });
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}

/**
 * Sends the close frame and ends the TCP connection, detached from the client: what the server
 * answers is read and dropped, and its errors (a reset after we left) are nobody's. The client
 * reads CLOSED from now on and emits no event: the caller records the close. False when the
 * client is not open with a writable socket (the caller then closes it the usual way).
 */
export function leave(ws: WsClientLike, code: number, reason: string): boolean {
  const w = ws as unknown as WsPrivate;
  const sock = w._socket;
  if (ws.readyState !== OPEN || !sock || sock.destroyed || !sock.writable) return false;
  // ws's socket listeners (setSocket: close, data, end, error) and connect-hooks' error listener
  for (const e of DETACH) sock.removeAllListeners(e);
  sock.on('error', ignore);
  sock.end(closeFrame(code, reason));
  w._readyState = CLOSED;
  return true;
}
