/**
 * The messages of the `graphql-transport-ws` subprotocol (docs/protocols.md, "graphql-ws"): JSON text,
 * one message a WebSocket frame. Encoders of what a client sends, a checked decoder of what a server
 * sends. Pure code (JSON only): it bundles for the Node runner and for k6.
 */

/** The WebSocket subprotocol: offer it with `options.protocols` or `vu.connect(url, { protocols })`. */
export const GRAPHQL_WS_SUBPROTOCOL = 'graphql-transport-ws';

/** A GraphQL operation as `subscribe` carries it. */
export interface GraphqlOperation {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/** A GraphQL error as the server formats it (its `message`, the rest left as sent). */
export interface GraphqlError {
  message: string;
  [key: string]: unknown;
}

/** An execution result: `next`'s payload. */
export interface GraphqlResult {
  data?: Record<string, unknown> | null;
  errors?: GraphqlError[];
  extensions?: Record<string, unknown>;
}

/** What a server sends. */
export type ServerMessage =
  | { type: 'connection_ack'; payload?: Record<string, unknown> }
  | { type: 'ping' | 'pong'; payload?: Record<string, unknown> }
  | { type: 'next'; id: string; payload: GraphqlResult }
  | { type: 'error'; id: string; payload: GraphqlError[] }
  | { type: 'complete'; id: string };

/** A server message that is not one of the protocol's (a client closes with 4400 on it). */
export class InvalidMessage extends Error {}

export const encodeInit = (payload?: Record<string, unknown>): string =>
  JSON.stringify(payload === undefined ? { type: 'connection_init' } : { type: 'connection_init', payload });
export const encodeSubscribe = (id: string, op: GraphqlOperation): string => JSON.stringify({ id, type: 'subscribe', payload: op });
export const encodeComplete = (id: string): string => JSON.stringify({ id, type: 'complete' });
export const PING = '{"type":"ping"}';
export const PONG = '{"type":"pong"}';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function idOf(m: Record<string, unknown>): string {
  if (typeof m.id !== 'string' || m.id === '') throw new InvalidMessage(`"${String(m.type)}" without an id`);
  return m.id;
}

/** Reads one server message; throws `InvalidMessage` on anything the protocol does not define for a server. */
export function decode(data: string | ArrayBuffer): ServerMessage {
  if (typeof data !== 'string') throw new InvalidMessage('a binary frame (the protocol is JSON text)');
  let m: unknown;
  try {
    m = JSON.parse(data);
  } catch {
    throw new InvalidMessage('not JSON');
  }
  if (!isObject(m)) throw new InvalidMessage('not a JSON object');
  const payload = m.payload;
  switch (m.type) {
    case 'connection_ack':
    case 'ping':
    case 'pong':
      if (payload !== undefined && payload !== null && !isObject(payload)) throw new InvalidMessage(`"${m.type}" payload is not an object`);
      return isObject(payload) ? { type: m.type, payload } : { type: m.type };
    case 'next':
      if (!isObject(payload)) throw new InvalidMessage('"next" payload is not an execution result');
      return { type: 'next', id: idOf(m), payload: payload as GraphqlResult };
    case 'error':
      if (!Array.isArray(payload) || !payload.every((e) => isObject(e) && typeof e.message === 'string')) {
        throw new InvalidMessage('"error" payload is not a list of GraphQL errors');
      }
      return { type: 'error', id: idOf(m), payload: payload as GraphqlError[] };
    case 'complete':
      return { type: 'complete', id: idOf(m) };
    default:
      throw new InvalidMessage(`unknown type ${JSON.stringify(m.type)}`);
  }
}

/** The protocol's pong (a `pong` message, with a payload or none), judged on the frame as it came. */
export function isPong(data: string | ArrayBuffer): boolean {
  if (typeof data !== 'string' || !data.includes('"pong"')) return false;
  try {
    return (JSON.parse(data) as { type?: unknown }).type === 'pong';
  } catch {
    return false;
  }
}

/**
 * The close codes of the protocol a server sends, with their meaning; a connection the server closes
 * with one is lost under the class `close <code>`, its hint in lib/core/protocol-hints.ts.
 */
export const CLOSE_CODES: Record<number, string> = {
  4400: 'bad request: the server got a message it could not read',
  4401: 'unauthorized: a subscribe before connection_ack',
  4403: 'forbidden: the server refused connection_init (its payload)',
  4406: 'subprotocol not acceptable: graphql-transport-ws not offered',
  4408: 'connection initialisation timeout: no connection_init in time',
  4409: 'subscriber already exists: an operation id in use',
  4429: 'too many initialisation requests: a second connection_init',
  4500: 'internal server error',
};
