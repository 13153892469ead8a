/**
 * Engine.IO protocol 4 over its WebSocket transport alone, the layer under Socket.IO: one packet per
 * WebSocket message. A text message is a packet type digit and its data (`0{...}` open, `2` ping,
 * `3` pong, `4<Socket.IO packet>` message, `6` noop); a binary message is a message packet whose
 * data is the bytes (a Socket.IO attachment). engine.io-parser itself is not used: under the k6
 * build (platform neutral) it resolves to its Node build, which needs `Buffer`.
 */

/** Engine.IO packet types, as the first character of a text message. */
export const EIO = { open: '0', close: '1', ping: '2', pong: '3', message: '4', upgrade: '5', noop: '6' } as const;

/** What the open packet says: the session id and the server's heartbeat settings. */
export interface EngineOpen {
  sid: string;
  /** The server sends a ping this often after each pong, ms. */
  pingInterval: number;
  /** The server waits this long for the pong of its ping, ms, then drops the connection ("ping timeout"). */
  pingTimeout: number;
  /** Largest packet the server takes, bytes. */
  maxPayload?: number;
}

/** The open packet's data (the text after `0`), or undefined when it is not one. */
export function parseOpen(data: string): EngineOpen | undefined {
  let o: unknown;
  try {
    o = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof o !== 'object' || o === null) return undefined;
  const { sid, pingInterval, pingTimeout, maxPayload } = o as Record<string, unknown>;
  if (typeof sid !== 'string' || !isMs(pingInterval) || !isMs(pingTimeout)) return undefined;
  return { sid, pingInterval, pingTimeout, ...(typeof maxPayload === 'number' ? { maxPayload } : {}) };
}

const isMs = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * The Engine.IO URL of a target: a target that names no path (`ws://host:3000`, `ws://host:3000/`)
 * gets `path` (default `/socket.io/`, the server's default); the query gets `EIO=4&transport=websocket`
 * unless it names EIO already. Placeholders (`${vu}`, `${token}`) are kept for `vu.connect` to expand.
 */
export function socketioUrl(target: string, path = '/socket.io/'): string {
  const hash = target.indexOf('#');
  const base = hash < 0 ? target : target.slice(0, hash);
  const q = base.indexOf('?');
  let head = q < 0 ? base : base.slice(0, q);
  const query = q < 0 ? '' : base.slice(q + 1);
  const afterScheme = head.indexOf('//') + 2;
  const slash = head.indexOf('/', afterScheme);
  if (slash < 0 || slash === head.length - 1) head = head.slice(0, slash < 0 ? head.length : slash) + path;
  if (/(^|&)EIO=/.test(query)) return `${head}?${query}`;
  return `${head}?${query === '' ? '' : `${query}&`}EIO=4&transport=websocket`;
}
