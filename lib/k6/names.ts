import { M } from '../core/metric-names';

/** A metric the k6 bundle declares in its init context (k6 refuses new metrics once VUs run). */
export type MetricKind = 'counter' | 'trend' | 'rate';
export interface MetricDecl {
  name: string;
  kind: MetricKind;
}

/** Metrics k6's own `k6/websockets` records; the bundle never declares or records these itself. */
export const K6_BUILTIN: Record<string, MetricKind> = {
  [M.connecting]: 'trend',
  [M.sessions]: 'counter',
  [M.ping]: 'trend',
  [M.msgsSent]: 'counter',
  [M.msgsReceived]: 'counter',
  ws_session_duration: 'trend',
};

/** k6 only: share of attempts that opened (wsbench derives `successRate` from its counters instead). */
export const CONNECT_SUCCESS = 'ws_connect_success';

/**
 * k6 only: connect latency of the attempts that opened, on the finest clock k6 gives a script
 * (lib/k6/clock.ts): what `connectLatencyMs` means on Node. k6's own `ws_connecting` has a sample
 * for every dial, failed ones included, so it is kept as k6 records it, and the thresholds on
 * `connectLatencyMs` judge this one.
 */
export const CONNECT_LATENCY = 'ws_connect_latency';

/** What the k6 implementation records, under the names shared with the Node runner where one exists. */
export const K6_OWN: MetricDecl[] = [
  { name: M.attempts, kind: 'counter' },
  { name: CONNECT_SUCCESS, kind: 'rate' },
  { name: CONNECT_LATENCY, kind: 'trend' },
  { name: M.connectErrors, kind: 'counter' },
  { name: M.connectAborted, kind: 'counter' },
  { name: M.disconnects, kind: 'counter' },
  { name: M.pongRate, kind: 'rate' },
  { name: M.pings, kind: 'counter' },
  { name: M.pongs, kind: 'counter' },
  { name: M.msgLatency, kind: 'trend' },
  { name: M.sendBufferFull, kind: 'counter' },
  { name: M.reconnects, kind: 'counter' },
  { name: M.reconnectFailures, kind: 'counter' },
  { name: M.reconnectDowntime, kind: 'trend' },
  { name: M.reconnectConnecting, kind: 'trend' },
  { name: M.vusFailed, kind: 'counter' },
  { name: M.callbackErrors, kind: 'counter' },
];


/** Kind of a metric name the bundle can put a threshold on (its own, the scenario's, or k6's built-ins). */
export function kindOf(name: string, declared: MetricDecl[]): MetricKind | undefined {
  return K6_BUILTIN[name] ?? declared.find((d) => d.name === name)?.kind;
}
