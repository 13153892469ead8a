/**
 * Socket.IO v4 over its WebSocket transport (docs/protocols.md, "Socket.IO"): the `SocketIO`
 * connection over one wsbench Socket, its namespaces, the Engine.IO framing and heartbeat, and the
 * metrics they record (declare them with `socketioMetrics()`). Pure TypeScript: it bundles for the
 * Node runner and for stock k6.
 */
import { requestMetrics, RequestOptions } from '../helpers/request';
import { ConfigError } from '../scenario/config-error';
import type { CustomMetricKind } from '../scenario/types';
import { ACKS, CONNECT_MS, OPEN_MS } from './socketio-client';
import { CONNECT_ERRORS } from './socketio-errors';
import { PING_RTT, PING_TIMEOUTS, PINGS_RECEIVED } from './socketio-heartbeat';

export { SocketIO, ACK_MS, CONNECT_MS, OPEN_MS } from './socketio-client';
export type { SocketIOOptions } from './socketio-client';
export { Namespace } from './socketio-namespace';
export type { AckHandler, Auth, EventHandler } from './socketio-namespace';
export { EIO, parseOpen, socketioUrl } from './socketio-engine';
export type { EngineOpen } from './socketio-engine';
export { decodeText, encodePacket, PacketReader, PacketType, SocketIOMalformed } from './socketio-codec';
export type { Packet } from './socketio-codec';
export { EngineHeartbeat, PING_RTT, PING_TIMEOUT, PING_TIMEOUTS, PINGS_RECEIVED } from './socketio-heartbeat';
export { connectErrorClass, CONNECT_ERRORS } from './socketio-errors';

/** What a `SocketIO` connection records by name, for `options.metrics` (its acks' `Requests` included: `acks` as in its options). */
export function socketioMetrics(acks: RequestOptions = ACKS): Record<string, CustomMetricKind> {
  return {
    [OPEN_MS]: 'trend', [CONNECT_MS]: 'trend', ...requestMetrics(acks),
    [PINGS_RECEIVED]: 'counter', [PING_RTT]: 'trend', [PING_TIMEOUTS]: 'counter', [CONNECT_ERRORS]: 'counter',
  };
}

/** `options.extra` of scenarios/socketio.ts beyond the messaging settings (lib/helpers/messaging-settings.ts). */
export interface SocketIOExtra {
  /** The chat namespace. Default "/chat". */
  ioNamespace?: string;
  /** The event that joins a room (the server app's: `socket.on('join', (room, ack) => ...)`). Default "join". */
  ioJoin?: string;
  /** The event a message goes in: `emit(event, room, message, ack)`, relayed by the server to the room. Default "chat". */
  ioEvent?: string;
  /** Each VU's room is this prefix and its index. Default "u". */
  ioRoomPrefix?: string;
  /** The Engine.IO path when the target names none. Default "/socket.io/". */
  ioPath?: string;
  /** Send each message's body as a binary attachment (BINARY_EVENT). Default false. */
  ioBinary?: boolean;
}

/** Checks the Socket.IO settings of `extra` (one line naming the setting), and returns them with their defaults. */
export function socketioSettings(extra: SocketIOExtra | Record<string, unknown>): Required<SocketIOExtra> {
  const e = extra as Record<string, unknown>;
  const text = (key: keyof SocketIOExtra, dflt: string, starts?: string): string => {
    const v = e[key] ?? dflt;
    if (typeof v !== 'string' || v === '' || (starts !== undefined && !v.startsWith(starts))) {
      throw new ConfigError(`options.extra.${key} must be a non-empty string${starts ? ` starting with "${starts}"` : ''} (got ${JSON.stringify(v)})`);
    }
    return v;
  };
  const binary = e.ioBinary ?? false;
  if (typeof binary !== 'boolean') throw new ConfigError(`options.extra.ioBinary must be true or false (got ${JSON.stringify(binary)})`);
  return {
    ioNamespace: text('ioNamespace', '/chat', '/'),
    ioJoin: text('ioJoin', 'join'),
    ioEvent: text('ioEvent', 'chat'),
    ioRoomPrefix: text('ioRoomPrefix', 'u'),
    ioPath: text('ioPath', '/socket.io/', '/'),
    ioBinary: binary,
  };
}
