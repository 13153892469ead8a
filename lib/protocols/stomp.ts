/**
 * STOMP 1.2 over WebSocket for scenarios (docs/protocols.md, "STOMP"): the `Stomp` session over one
 * wsbench Socket, its codec, and the metrics it records (declare them with `stompMetrics()`).
 * Pure TypeScript: it bundles for the Node runner and for stock k6.
 */
import type { CustomMetricKind } from '../scenario/types';
import { CONNECTED_MS } from './stomp-client';
import { ERROR_FRAMES } from './stomp-errors';
import { HEARTBEATS_MISSED } from './stomp-heartbeat';

export { Stomp, CONNECTED_MS } from './stomp-client';
export type { StompMessage } from './stomp-client';
export { STOMP_PROTOCOLS, connectHeaders, stompSettings } from './stomp-config';
export type { AckMode, StompExtra, StompOptions } from './stomp-config';
export { encodeFrame, escapeHeader, unescapeHeader, parseHead } from './stomp-frame';
export type { StompFrame } from './stomp-frame';
export { StompParser } from './stomp-parser';
export type { ParserSink } from './stomp-parser';
export { negotiate, HEARTBEATS_MISSED, MISSED_AFTER } from './stomp-heartbeat';
export { errorClass, ERROR_FRAMES, NO_CONNECTED } from './stomp-errors';

/** What a `Stomp` session records by name, for `options.metrics` (a receipts' `Requests` apart: `requestMetrics()`). */
export function stompMetrics(): Record<string, CustomMetricKind> {
  return { [CONNECTED_MS]: 'trend', [HEARTBEATS_MISSED]: 'counter', [ERROR_FRAMES]: 'counter' };
}
