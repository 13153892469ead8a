/**
 * Where the bookkeeping core (lib/core) records. Each engine implements it: Node over its HDR
 * registries (lib/node/meter.ts), k6 over `k6/metrics` (lib/k6/metrics.ts). Names are those of
 * `M` (lib/core/metric-names.ts). The k6 recorder skips the names `k6/websockets` records itself
 * (ws_connecting, ws_sessions, ws_ping, ws_msgs_*), so the core can record every figure once,
 * on both engines, without counting one twice.
 */
export interface Recorder {
  add(name: string, value?: number): void;
  trend(name: string, ms: number): void;
  rate(name: string, ok: boolean): void;
  /** One failed attempt of this failure class: `ws_connect_errors`, and the class in `errors`. */
  connectError(kind: string): void;
  /** One connection lost, of this class: `ws_disconnects`, and the class in `disconnects`. */
  disconnect(kind: string): void;
  /** A failure class that is no connect error (a VU's first scenario error), listed in `errors`. */
  error(kind: string): void;
  /** A connection opened (after its `ws_connecting` and `ws_sessions`): the open-connections gauge. */
  opened(): void;
  /** An opened connection ended. */
  closed(): void;
}
