/** Metric names shared with the k6 bundle (docs/architecture.md, "Public contracts"): dashboards and thresholds carry over. */
export const M = {
  connecting: 'ws_connecting',
  sessions: 'ws_sessions',
  ping: 'ws_ping',
  msgsSent: 'ws_msgs_sent',
  msgsReceived: 'ws_msgs_received',
  connectErrors: 'ws_connect_errors',
  disconnects: 'ws_disconnects',
  pongRate: 'ws_pong_rate',
  msgLatency: 'ws_msg_latency',
  // wsbench only
  attempts: 'ws_connect_attempts',
  pings: 'ws_pings_sent',
  pongs: 'ws_pongs_received',
  /** Attempts cut short by the runner (end of run, VU stopped): neither opened nor failed. */
  connectAborted: 'ws_connect_aborted',
  /** Pings still waiting when an interrupted run stopped. */
  pingsUnresolved: 'ws_pings_unresolved',
  /** Scenario errors after a VU's first (which counts in vus_failed). */
  callbackErrors: 'vu_callback_errors',
  reconnects: 'ws_reconnects',
  /** Reconnect recovery (lib/helpers/reconnect.ts): retries that failed, time a dropped VU was down, connect latency of the reconnects. */
  reconnectFailures: 'ws_reconnect_failures',
  reconnectDowntime: 'ws_reconnect_downtime',
  reconnectConnecting: 'ws_reconnect_connecting',
  sendBufferFull: 'ws_send_buffer_full',
  vusStarted: 'vus_started',
  /** VUs the schedule stopped (ramp-down): started − stopped is the VUs running. */
  vusStopped: 'vus_stopped',
  vusFailed: 'vus_failed',
  scheduleLag: 'runner_schedule_lag',
  loopDelay: 'runner_event_loop_delay',
  // messaging (wsbench): message-level counts of lib/helpers/messages.ts, merged across processes by summing
  imSent: 'im_sent',
  imExpected: 'im_expected',
  imDelivered: 'im_delivered',
  imDuplicated: 'im_duplicated',
  imOutOfOrder: 'im_out_of_order',
  imStale: 'im_stale',
  imAckRtt: 'im_ack_rtt',
  imAckTimeouts: 'im_ack_timeouts',
  imSenders: 'im_senders',
  imSendSpan: 'im_send_span_ms',
  imReceivers: 'im_receivers',
  imDeliverSpan: 'im_deliver_span_ms',
} as const;
