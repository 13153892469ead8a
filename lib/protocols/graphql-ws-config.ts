import { M } from '../core/metric-names';
import type { RequestOptions } from '../helpers/request';
import type { VuContext } from '../scenario/types';
import type { GraphqlError } from './graphql-ws-codec';
import { expandFor } from './session';

/** connection_init → connection_ack, ms (lib/core/metric-names.ts). */
export const ACK_MS = M.graphqlWsAck;
/** `error` messages, and `next` results that carry errors (lib/core/metric-names.ts). */
export const GRAPHQL_ERRORS = M.graphqlWsErrors;
/** No connection_ack within the handshake timeout (the graphql-ws client's own close code for it is 4504). */
export const NO_ACK = 'graphql-ws connection_ack timeout (4504)';

/** Settings of a `GraphqlWs` session. */
export interface GraphqlWsOptions {
  /** connection_init's payload; its strings, at any depth, may hold `${vu}` and `${token}`. Default: none. */
  payload?: Record<string, unknown>;
  /** A `ping` message this often once acknowledged, its `pong` in `heartbeat.*` (0: none). Default: the run's ping interval. */
  pingIntervalMs?: number;
  /** How long connection_ack may take. Default: the run's handshake timeout (else its connect timeout). */
  handshakeTimeoutMs?: number;
  /** Where the results of `execute` (queries, mutations) are timed. Default wsbench's acks: `im_ack_rtt`, `im_ack_timeouts`. */
  results?: RequestOptions;
}

export const DEFAULT_RESULTS: RequestOptions = { trend: M.imAckRtt, timeouts: M.imAckTimeouts };

/** connection_init's payload of VU `vu`: each string's `${vu}` and `${token}` expanded (a missing token throws, naming the fix). */
export function initPayload(vu: VuContext<object>, payload: unknown): unknown {
  if (typeof payload === 'string') return expandFor(vu, payload);
  if (Array.isArray(payload)) return payload.map((v) => initPayload(vu, v));
  if (typeof payload === 'object' && payload !== null) {
    return Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, initPayload(vu, v)]));
  }
  return payload;
}

/** Quoted names and long numbers: replaced, so that a class holds no per-VU id. */
const IDS = /'[^']*'|"[^"]*"|\d{3,}/g;

/** The failure class of an `error` message: `graphql-ws error: <first error's message>`, ids masked, at most 80 characters. */
export function errorClass(errors: GraphqlError[]): string {
  const text = (errors[0]?.message ?? 'no message').split('\n')[0]!.trim().replace(IDS, (s) => (/^\d/.test(s) ? 'N' : `${s[0]}…${s[0]}`));
  return `graphql-ws error: ${text.length > 80 ? `${text.slice(0, 79)}…` : text}`;
}
