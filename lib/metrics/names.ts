/** Metric names shared with the k6 bundle (DESIGN.md): dashboards and thresholds carry over. */
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
  vusStarted: 'vus_started',
  vusFailed: 'vus_failed',
  scheduleLag: 'runner_schedule_lag',
  loopDelay: 'runner_event_loop_delay',
} as const;
