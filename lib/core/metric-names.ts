/**
 * THE METRIC TABLE: every metric wsbench records, and every metric k6 builds in, declared once. Both
 * engines, the summary, the threshold checks and the k6 build read it; `M` (the names), the k6
 * bundle's own declarations (lib/k6/names.ts `k6Own`) and k6's built-in list are derived from it.
 * Pure data (no Node built-in): it bundles for k6. CONTRIBUTING.md, "Adding a metric".
 */

export type MetricKind = 'counter' | 'trend' | 'rate' | 'gauge';

/**
 * Who records a metric:
 * - `core`: the engine-agnostic core (lib/core/), on both engines;
 * - `node`: the Node runner only (runner/, lib/node/);
 * - `messages`, `reconnect`: a helper module (lib/helpers/messages.ts `MessageMeter`, lib/helpers/reconnect.ts
 *   `ReconnectingSocket` and `keepAlive`), on both engines; a k6 bundle declares them when the scenario's code
 *   reaches that module (build/k6-metrics.ts);
 * - `arrivals`: both engines, for the VUs of arrive stages (runner/executor.ts, lib/k6/arrival-life.ts); a k6
 *   bundle declares them when its stages hold an arrive stage (build/k6-metrics.ts), so that no other
 *   bundle shows an empty Trend (k6 prints an empty one as zeros);
 * - `scenario`: the scenario, by name (scenarios/messaging.ts through `Requests`); it declares them in
 *   `options.metrics` like its own (lib/options/metrics-option.ts), and a k6 bundle declares them only then;
 * - `k6`: k6 only (k6's own metrics, and lib/k6's `ws_connect_success`).
 */
export type RecordedBy = 'core' | 'node' | 'messages' | 'reconnect' | 'arrivals' | 'scenario' | 'k6';

export interface MetricRow {
  name: string;
  kind: MetricKind;
  by: RecordedBy;
  /** k6 registers it itself (docs/k6.md, "k6 behaviours encoded"): a bundle never declares it. */
  k6Builtin: boolean;
  /** Where its figure is in the summary JSON (lib/results/summary.ts), or null when it has none of its own. */
  summary: string | null;
}

const row = <N extends string, B extends RecordedBy>(name: N, kind: MetricKind, by: B, k6Builtin: boolean, summary: string | null = null) =>
  ({ name, kind, by, k6Builtin, summary });

/** name, kind, who records it, k6 built-in, summary field. */
export const METRICS = {
  connecting: row('ws_connecting', 'trend', 'core', true, 'connectLatencyMs'),
  sessions: row('ws_sessions', 'counter', 'core', true, 'connections.succeeded'),
  ping: row('ws_ping', 'trend', 'core', true, 'heartbeat.rttMs'),
  msgsSent: row('ws_msgs_sent', 'counter', 'core', true, 'messages.frames.sent'),
  msgsReceived: row('ws_msgs_received', 'counter', 'core', true, 'messages.frames.received'),
  connectErrors: row('ws_connect_errors', 'counter', 'core', false, 'connections.failed'),
  disconnects: row('ws_disconnects', 'counter', 'core', false, 'connections.disconnected'),
  pongRate: row('ws_pong_rate', 'rate', 'core', false, 'heartbeat.pongRate'),
  attempts: row('ws_connect_attempts', 'counter', 'core', false, 'connections.attempted'),
  pings: row('ws_pings_sent', 'counter', 'core', false, 'heartbeat.pingsSent'),
  pongs: row('ws_pongs_received', 'counter', 'core', false, 'heartbeat.pongsReceived'),
  /** Attempts cut short by the runner (end of run, VU stopped): neither opened nor failed. */
  connectAborted: row('ws_connect_aborted', 'counter', 'core', false, 'connections.aborted'),
  sendBufferFull: row('ws_send_buffer_full', 'counter', 'core', false, 'connections.sendBufferFull'),
  vusFailed: row('vus_failed', 'counter', 'core', false, 'vus.failed'),
  /** Scenario errors after a VU's first (which counts in vus_failed). */
  callbackErrors: row('vu_callback_errors', 'counter', 'core', false),
  /** Pings still waiting when an interrupted run stopped. */
  pingsUnresolved: row('ws_pings_unresolved', 'counter', 'node', false, 'heartbeat.unresolved'),
  vusStarted: row('vus_started', 'counter', 'node', false, 'vus.started'),
  /** VUs the schedule stopped (ramp-down, an arriving VU's departure): started − stopped is the VUs running. */
  vusStopped: row('vus_stopped', 'counter', 'node', false),
  // the open model (lib/scenario/arrivals.ts, docs/arrivals.md): VUs of arrive stages that started, that
  // left at the end of their lifetime (closed with 1000), and how long each lived (its start to its departure)
  vusArrived: row('vus_arrived', 'counter', 'arrivals', false, 'arrivals.arrived'),
  vusDeparted: row('vus_departed', 'counter', 'arrivals', false, 'arrivals.departed'),
  sessionLifetime: row('session_lifetime', 'trend', 'arrivals', false, 'arrivals.lifetimeMs'),
  scheduleLag: row('runner_schedule_lag', 'trend', 'node', false, 'runner.workers[].scheduleLagMs'),
  loopDelay: row('runner_event_loop_delay', 'trend', 'node', false),
  // bytes of data frames' payloads (before compression) and of everything on the wire after the upgrade (lib/node/wire-book.ts)
  payloadSent: row('ws_payload_bytes_sent', 'counter', 'node', false, 'bytes.payloadSent'),
  payloadReceived: row('ws_payload_bytes_received', 'counter', 'node', false, 'bytes.payloadReceived'),
  wireSent: row('ws_wire_bytes_sent', 'counter', 'node', false, 'bytes.wireSent'),
  wireReceived: row('ws_wire_bytes_received', 'counter', 'node', false, 'bytes.wireReceived'),
  /** Of the connections that offered permessage-deflate (options.compression), those whose server took it. */
  deflateConns: row('ws_deflate_conns', 'counter', 'node', false, 'bytes.compressedConnections'),
  /** Connections of slow or stalled readers (options.slowReaders, options.stall: docs/slow-readers.md). */
  slowReaderConns: row('ws_slow_reader_conns', 'counter', 'node', false, 'slowReaders.connections'),
  // messaging: message-level counts of MessageMeter, merged across processes by summing
  msgLatency: row('ws_msg_latency', 'trend', 'messages', false, 'messages.latencyMs'),
  /** The same from the message's planned send time (a `pace`d send's; docs/messaging.md, "Latency from the plan"). */
  msgLatencyFromPlan: row('ws_msg_latency_from_plan', 'trend', 'messages', false, 'messages.latencyFromPlanMs'),
  /** The delivery latency of slow and stalled readers, kept apart from everyone else's (ws_msg_latency). */
  msgLatencySlow: row('ws_msg_latency_slow', 'trend', 'messages', false, 'slowReaders.latencyMs'),
  imSent: row('im_sent', 'counter', 'messages', false, 'messages.sent'),
  imExpected: row('im_expected', 'counter', 'messages', false, 'messages.expected'),
  imDelivered: row('im_delivered', 'counter', 'messages', false, 'messages.delivered'),
  imDuplicated: row('im_duplicated', 'counter', 'messages', false, 'messages.duplicated'),
  imOutOfOrder: row('im_out_of_order', 'counter', 'messages', false, 'messages.outOfOrder'),
  imStale: row('im_stale', 'counter', 'messages', false, 'messages.stale'),
  imSenders: row('im_senders', 'counter', 'messages', false, 'messages.throughput.sentPerSec'),
  imSendSpan: row('im_send_span_ms', 'counter', 'messages', false, 'messages.throughput.sentPerSec'),
  imReceivers: row('im_receivers', 'counter', 'messages', false, 'messages.throughput.deliveredPerSec'),
  imDeliverSpan: row('im_deliver_span_ms', 'counter', 'messages', false, 'messages.throughput.deliveredPerSec'),
  // the send → ack round trip of scenarios/messaging.ts (a `Requests` it declares)
  imAckRtt: row('im_ack_rtt', 'trend', 'scenario', false, 'messages.ackRttMs'),
  imAckTimeouts: row('im_ack_timeouts', 'counter', 'scenario', false, 'messages.ackTimeouts'),
  /** The send → ack round trip from the planned send time: a late send's wait counts (docs/messaging.md). */
  imAckRttFromPlan: row('im_ack_rtt_from_plan', 'trend', 'scenario', false, 'messages.ackRttFromPlanMs'),
  // a STOMP session's own (lib/protocols/stomp.ts `stompMetrics()`): CONNECT → CONNECTED, server heart-beats missed, ERROR frames
  stompConnected: row('stomp_connected_ms', 'trend', 'scenario', false),
  stompHeartbeatsMissed: row('stomp_heartbeats_missed', 'counter', 'scenario', false),
  stompErrorFrames: row('stomp_error_frames', 'counter', 'scenario', false),
  // a graphql-ws session's own (lib/protocols/graphql-ws.ts `graphqlWsMetrics()`): connection_init → connection_ack, GraphQL errors
  graphqlWsAck: row('graphql_ws_ack_ms', 'trend', 'scenario', false),
  graphqlWsErrors: row('graphql_ws_errors', 'counter', 'scenario', false),
  // a Socket.IO connection's own (lib/protocols/socketio.ts `socketioMetrics()`): the open packet, a namespace's CONNECT,
  // acks, the server's pings (all, their round trip, the connections it would drop for a late pong), CONNECT_ERRORs
  socketioOpen: row('socketio_open_ms', 'trend', 'scenario', false),
  socketioConnect: row('socketio_connect_ms', 'trend', 'scenario', false),
  socketioAck: row('socketio_ack_ms', 'trend', 'scenario', false),
  socketioAckTimeouts: row('socketio_ack_ms_timeouts', 'counter', 'scenario', false),
  socketioPingsReceived: row('socketio_pings_received', 'counter', 'scenario', false),
  socketioPingRtt: row('socketio_ping_rtt_ms', 'trend', 'scenario', false),
  socketioPingTimeouts: row('socketio_ping_timeouts', 'counter', 'scenario', false),
  socketioConnectErrors: row('socketio_connect_errors', 'counter', 'scenario', false),
  // reconnect recovery: retries, retries that failed, time a dropped VU was down, connect latency of the reconnects
  reconnects: row('ws_reconnects', 'counter', 'reconnect', false, 'connections.reconnects'),
  reconnectFailures: row('ws_reconnect_failures', 'counter', 'reconnect', false),
  reconnectDowntime: row('ws_reconnect_downtime', 'trend', 'reconnect', false),
  reconnectConnecting: row('ws_reconnect_connecting', 'trend', 'reconnect', false),
  /** k6 only: share of attempts that opened (wsbench derives `successRate` from its counters instead). */
  connectSuccess: row('ws_connect_success', 'rate', 'k6', false, 'connections.successRate'),
  // connect latency of the attempts that opened, as on Node (k6's own ws_connecting times every dial)
  connectLatencyK6: row('ws_connect_latency', 'trend', 'k6', false, 'connectLatencyMs'),
  // k6's own, which wsbench never records (names a scenario may not take)
  k6SessionDuration: row('ws_session_duration', 'trend', 'k6', true),
  k6Vus: row('vus', 'gauge', 'k6', true),
  k6VusMax: row('vus_max', 'gauge', 'k6', true),
  k6Iterations: row('iterations', 'counter', 'k6', true),
  k6IterationDuration: row('iteration_duration', 'trend', 'k6', true),
  k6DroppedIterations: row('dropped_iterations', 'counter', 'k6', true, 'arrivals.dropped'),
  k6Checks: row('checks', 'rate', 'k6', true),
  k6GroupDuration: row('group_duration', 'trend', 'k6', true),
  k6HttpReqs: row('http_reqs', 'counter', 'k6', true),
  k6HttpReqFailed: row('http_req_failed', 'rate', 'k6', true),
  k6HttpReqDuration: row('http_req_duration', 'trend', 'k6', true),
  k6HttpReqBlocked: row('http_req_blocked', 'trend', 'k6', true),
  k6HttpReqConnecting: row('http_req_connecting', 'trend', 'k6', true),
  k6HttpReqTls: row('http_req_tls_handshaking', 'trend', 'k6', true),
  k6HttpReqSending: row('http_req_sending', 'trend', 'k6', true),
  k6HttpReqWaiting: row('http_req_waiting', 'trend', 'k6', true),
  k6HttpReqReceiving: row('http_req_receiving', 'trend', 'k6', true),
  k6GrpcReqDuration: row('grpc_req_duration', 'trend', 'k6', true),
  k6DataSent: row('data_sent', 'counter', 'k6', true),
  k6DataReceived: row('data_received', 'counter', 'k6', true),
} as const;

type Table = typeof METRICS;
/** Keys of the metrics wsbench records (every row but k6's alone). */
type WsbenchKey = { [K in keyof Table]: Table[K]['by'] extends 'k6' ? never : K }[keyof Table];

// The derived tables below are built with plain loops: k6 evaluates this module in every VU, and its
// runtime allocates kilobytes per destructured callback, `Object.fromEntries` or `new Map(iterable)`
// (bench/README.md "Cost per VU on k6"), which made this module 0.4 MiB a VU.
const ROWS: readonly MetricRow[] = Object.values(METRICS);

/** The names of wsbench's metrics, shared with the k6 bundle: dashboards and thresholds carry over. */
export const M = {} as { readonly [K in WsbenchKey]: Table[K]['name'] };
const BY_NAME: Record<string, MetricRow> = {};
/** Every metric k6 registers itself, with its type (docs/k6.md, "k6 behaviours encoded"). */
export const K6_BUILTIN_METRICS: Readonly<Record<string, MetricKind>> = {};
for (const key in METRICS) {
  const r: MetricRow = METRICS[key as keyof Table];
  if (r.by !== 'k6') (M as Record<string, string>)[key] = r.name;
  BY_NAME[r.name] = r;
  if (r.k6Builtin) (K6_BUILTIN_METRICS as Record<string, MetricKind>)[r.name] = r.kind;
}

/** The table's row of a metric name; undefined for a name of the scenario's own. */
export function metricRow(name: string): MetricRow | undefined {
  return Object.prototype.hasOwnProperty.call(BY_NAME, name) ? BY_NAME[name] : undefined;
}

/** The rows `pick` keeps, in table order. */
export function metricRows(pick: (r: MetricRow) => boolean): MetricRow[] {
  return ROWS.filter(pick);
}
