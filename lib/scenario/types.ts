import type { Duration } from './duration';
import type { Stage } from './stages';

/** Built-in traffic modes, named as in the seed tool's `--mode`. */
export type Mode = 'connect-only' | 'messaging';
export const MODES: readonly Mode[] = ['connect-only', 'messaging'];

/** Heartbeat kind: protocol ping frames, or the application-level JSON `{"type":"ping"}`. */
export type PingType = 'protocol' | 'app';
/** The Node engine's WebSocket client (lib/node/transport.ts). */
export type Transport = 'auto' | 'ws' | 'raw';

/** The app-level heartbeat of `pingType: 'app'` (both engines): the frame sent, and how its answer starts. */
export const APP_PING = '{"type":"ping"}';
export const APP_PONG_PREFIX = '{"type":"pong"';

/**
 * Bytes a socket may hold unsent (a server that stopped reading): past this, `send()` refuses
 * and counts `ws_send_buffer_full` instead of buffering without bound (both engines).
 */
export const SEND_BUFFER_LIMIT = 1_048_576;

/** Kind of a metric the scenario records by name: `vu.counter()`, `vu.trend()`, `vu.rate()`. */
export type CustomMetricKind = 'counter' | 'trend' | 'rate';

/**
 * What a scenario module exports as `options`. Every field but `stages` is optional. `E` types
 * `extra`, an interface or a type alias alike: `ScenarioOptions<{ rooms: number }>`. Each field is a
 * row of lib/options/table.ts too (its flag, k6 variable, default and docs); tsc holds the two together.
 */
export interface ScenarioOptions<E extends object = Record<string, unknown>> {
  /** Stages of VUs over time, built with `ramp()` and `hold()`. Required. */
  stages: Stage[];
  /** WebSocket URL. Default: the embedded server, started on a free loopback port. */
  target?: string;
  /** How often each connection pings. Default "30s". */
  pingInterval?: Duration;
  /** How long a ping waits for its pong before it counts as lost. Default "10s". */
  pongTimeout?: Duration;
  /** The whole attempt (TCP connect, TLS, WebSocket upgrade) must finish within this. Default "10s". */
  connectTimeout?: Duration;
  /** Once TCP (and TLS) is up, the server must answer the upgrade within this. Default: `connectTimeout`. */
  handshakeTimeout?: Duration;
  /**
   * Headers of every connection the VU opens by default; values may hold `${vu}` and `${token}`.
   * A function gets the VU index and its token. Default: none.
   */
  headers?: Record<string, string> | ((vu: number, token: string | undefined) => Record<string, string>);
  /** WebSocket subprotocols offered by every connection (`Sec-WebSocket-Protocol`). Default: none. */
  protocols?: string[];
  /**
   * Tokens for `${token}` in the target and headers: VU i gets `tokens[i % tokens.length]`, or
   * `tokens(i)` when a function. `--tokens FILE` (one per line) replaces it. Default: none.
   */
  tokens?: string[] | ((vu: number) => string);
  /** Reconnect after a drop, with exponential backoff (used by `keepAlive`). Default: off. */
  reconnect?: boolean | ReconnectOptions;
  /** Largest message accepted from the server, bytes or "64KB"/"1MB"; larger closes with 1009. Default "1MB". */
  maxMessageSize?: number | string;
  /** Heartbeat kind: protocol ping frames, or the app-level `{"type":"ping"}`. Default "protocol". */
  pingType?: PingType;
  /** Node engine's WebSocket client: `ws`, `raw` (its own upgrade over net/tls, then ws's framing; lighter), or `auto`: raw unless `compression` needs ws. Default "auto". k6 ignores it. */
  transport?: Transport;
  /** Traffic mode; scenarios may read it from `vu.options.mode`. Default "connect-only". */
  mode?: Mode;
  /** Offer permessage-deflate on every connection (Node: ws's `perMessageDeflate`; k6: `compression: 'deflate'`). Default false. */
  compression?: boolean;
  /** A share of VUs (by VU index) that read at most `bytesPerSec` (Node only: docs/slow-readers.md). Default: none. */
  slowReaders?: SlowReaders;
  /** A share of VUs (by VU index) that stop reading `after` their open, `for` a while (Node only). Default: none. */
  stall?: Stall;
  /** Pass/fail criteria on summary fields, e.g. `['connectLatencyMs.p99 < 100']`. */
  thresholds?: string[];
  /**
   * The metrics the scenario records by name, each with its kind: `{ login_ms: 'trend', app_errors: 'counter' }`
   * (a `Requests` helper's two: `...requestMetrics({ trend: 'login_ms' })`). Each exists from the start (a
   * counter reads 0, a trend or rate with no sample null), a threshold may name it, and the k6 build declares it.
   * Names follow k6's rule and are no built-in metric's. Default: none (docs/scenarios.md, "Custom metrics").
   */
  metrics?: Record<string, CustomMetricKind>;
  /**
   * Scenario-specific settings (message rate, sizes, ...), read by the VU as `vu.options.extra`.
   * Every other key of `options` is checked: an unknown one is an error, not a silent no-op.
   */
  extra?: E;
}

/** `options.slowReaders`: `share` of the VUs (0 to 1) read at most `bytesPerSec` bytes a second. */
export interface SlowReaders {
  share: number;
  bytesPerSec: number;
}

/** `options.stall`: `share` of the VUs (0 to 1) stop reading `after` their connection opened, `for` that long. */
export interface Stall {
  share: number;
  after: Duration;
  for: Duration;
}

/** Resolved `options.stall`, in ms. */
export interface ResolvedStall {
  share: number;
  afterMs: number;
  forMs: number;
}

/** Backoff of `reconnect`: the n-th consecutive retry waits min(maxDelay, initialDelay × factor^(n−1)), less a random share `jitter`. */
export interface ReconnectOptions {
  /** Wait before the first retry after a drop. Default "1s". */
  initialDelay?: Duration;
  /** Longest wait. Default "30s". */
  maxDelay?: Duration;
  /** Growth of the wait per failed retry. Default 2. */
  factor?: number;
  /** Share of each wait that is random, 0 to 1 (spreads a reconnect storm). Default 0.5. */
  jitter?: number;
  /** Give up after this many retries in a row that did not open. Default: never. */
  maxRetries?: number;
}

export interface ResolvedReconnect {
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
  jitter: number;
  /** Undefined: never give up. */
  maxRetries?: number;
}

/** Options after defaults and CLI overrides: what every VU sees (`E`: the scenario's `extra`). */
export interface ResolvedOptions<E extends object = Record<string, unknown>> {
  scenario: string;
  target: string;
  stages: Stage[];
  pingIntervalMs: number;
  pongTimeoutMs: number;
  connectTimeoutMs: number;
  /** Default: `connectTimeoutMs`. */
  handshakeTimeoutMs?: number;
  /** Template headers (data form of `options.headers` or `--header`); a function form stays in the module. */
  headers?: Record<string, string>;
  protocols?: string[];
  /** Data form of `options.tokens` or the lines of `--tokens FILE`. */
  tokens?: string[];
  /** Set when reconnecting is on. */
  reconnect?: ResolvedReconnect;
  /** Default 1 MiB. */
  maxMessageBytes?: number;
  mode: Mode;
  pingType: PingType;
  transport: Transport;
  compression: boolean;
  slowReaders?: SlowReaders;
  stall?: ResolvedStall;
  thresholds: string[];
  /** `options.metrics`, checked ({} when none declared). */
  metrics: Record<string, CustomMetricKind>;
  /** `options.extra`, then the CLI's scenario-specific flags (`--msg-size`, ...) over it. */
  extra: E;
}

export type SocketEvent = 'open' | 'message' | 'close' | 'error' | 'pong';

/** Payload of each socket event. `message.data` is a string for text frames, an ArrayBuffer for binary. */
export interface SocketEventMap {
  open: { type: 'open' };
  message: { type: 'message'; data: string | ArrayBuffer };
  close: { type: 'close'; code: number; reason: string };
  error: { type: 'error'; error: string };
  pong: { type: 'pong' };
}

/**
 * A heartbeat carried by the scenario's own protocol (MQTT PINGREQ/PINGRESP: lib/protocols/): `ping()`
 * sends `frame`, and a frame `isPong` accepts while a ping waits is its pong. Both feed `heartbeat.*`
 * as protocol pings do, and neither counts in `ws_msgs_*` (as `pingType: 'app'`, which is this with
 * `{"type":"ping"}`).
 */
export interface AppHeartbeat {
  frame: string | Uint8Array;
  isPong(data: string | ArrayBuffer): boolean;
}

/** A WebSocket as the browser and `k6/websockets` shape it; the runner measures everything it does. */
export interface Socket {
  /** 0 connecting, 1 open, 2 closing, 3 closed (browser values). */
  readonly readyState: number;
  /** The subprotocol the server chose (`Sec-WebSocket-Protocol`), '' when none or not open yet. */
  readonly protocol: string;
  addEventListener<K extends SocketEvent>(event: K, listener: (e: SocketEventMap[K]) => void): void;
  /** Sends a text or binary frame; counted in `ws_msgs_sent`. Ignored unless open. */
  send(data: string | ArrayBuffer | Uint8Array): void;
  /** Sends a heartbeat (a protocol ping, or the app ping of `pingType: 'app'`); its pong feeds `ws_ping` and `ws_pong_rate`. */
  ping(): void;
  /** Closes on purpose: not counted as a disconnect. */
  close(code?: number, reason?: string): void;
  /** Makes `ping()` send the protocol's own heartbeat from now on (lib/protocols/ calls it). */
  setHeartbeat(hb: AppHeartbeat): void;
  /**
   * The protocol above failed with class `kind` (e.g. `MQTT CONNACK 5 not authorized`): the socket
   * closes, and the connection counts as lost under that class (`connections.disconnectReasons`), not as closed on purpose.
   */
  fail(kind: string): void;
}

/** Extra settings of one connection. */
export interface ConnectParams {
  headers?: Record<string, string>;
  protocols?: string[];
}

export interface Counter { add(value?: number): void }
export interface Trend { add(valueMs: number): void }
export interface Rate { add(ok: boolean): void }

/**
 * What the per-VU function receives: the same interface on Node and on k6. `E` is the scenario's
 * `extra` (`VuContext<MyExtra>` reads `vu.options.extra.rooms` without a cast); a helper that reads
 * no `extra` takes `VuContext<object>`, so that every scenario's context fits it.
 */
export interface VuContext<E extends object = Record<string, unknown>> {
  /** Global VU index, 0-based, unique across workers and segments. */
  readonly id: number;
  readonly options: ResolvedOptions<E>;
  /** Opens a WebSocket to `url` (default: the target). Connect latency and failures are recorded. */
  connect(url?: string, params?: ConnectParams): Socket;
  /** Timers that are cleared when the VU ends. */
  setInterval(fn: () => void, ms: number): unknown;
  setTimeout(fn: () => void, ms: number): unknown;
  /** Optional (Node only): `setInterval` on a timer shared by every VU of that interval, late by < 1/50 of it (lib/node/interval-wheel.ts). */
  setSharedInterval?(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** Monotonic milliseconds, for latencies inside one process. */
  now(): number;
  /** Wall-clock milliseconds since the epoch, comparable across processes of one machine. */
  wallNow(): number;
  /** Runs `fn` when this VU's life ends (stages done, a ramp-down, Ctrl-C), before its timers stop and its sockets
   * close with 1000: a protocol's goodbye (MQTT/STOMP DISCONNECT) goes out first. Both engines; a throw is a scenario error. */
  onStop(fn: () => void): void;
  counter(name: string): Counter;
  trend(name: string): Trend;
  rate(name: string): Rate;
  /** A protocol-level failure of this class (a broker's STOMP ERROR frame), listed in the summary's `errors` with its hint; k6 logs none. */
  failure(kind: string): void;
}

/** The per-VU function a scenario exports as default. It may return a promise. */
export type VuFunction<E extends object = Record<string, unknown>> = (vu: VuContext<E>) => void | Promise<void>;
