import type { Counter, CustomMetricKind, Socket, Trend, VuContext } from '../scenario/types';

/** Settings of a `Requests` helper. */
export interface RequestOptions {
  /** Trend that receives each reply's latency, in ms (e.g. `im_ack_rtt`). Required. */
  trend: string;
  /** Counter of requests that got no reply within `timeoutMs`, or before the socket closed. Default `<trend>_timeouts`. */
  timeouts?: string;
  /** How long a request waits for its reply. Default: the run's pong timeout (`--pong-timeout`, 10 s). */
  timeoutMs?: number;
}

/** The names a `Requests` records: its trend, and its timeouts counter (`timeouts`, else `<trend>_timeouts`). */
function requestNames(opts: Pick<RequestOptions, 'trend' | 'timeouts'>): { trend: string; timeouts: string } {
  return { trend: opts.trend, timeouts: opts.timeouts ?? `${opts.trend}_timeouts` };
}

/**
 * The declarations of what `new Requests(vu, socket, opts)` records, exactly: `{ [trend]: 'trend',
 * [timeouts ?? trend + '_timeouts']: 'counter' }`. Spread them into `options.metrics`:
 * `metrics: { ...requestMetrics({ trend: 'login_ms' }) }` declares `login_ms` and `login_ms_timeouts`.
 */
export function requestMetrics(opts: Pick<RequestOptions, 'trend' | 'timeouts'>): Record<string, CustomMetricKind> {
  const n = requestNames(opts);
  return { [n.trend]: 'trend', [n.timeouts]: 'counter' };
}

/**
 * Request/response over one socket, for any protocol: the scenario sends a frame under a key it
 * chooses, extracts the same key from the reply (the `id` of an ack, a correlation header, ...)
 * and hands it to `reply()`. Each reply's latency goes into a named trend; requests without a
 * reply within the timeout, or still waiting when the socket closes, are counted as timeouts.
 *
 * Written only against `VuContext` and `Socket`, so the same code runs on Node and on k6. Declare
 * the two metrics it records in `options.metrics` with `requestMetrics(opts)` (docs/scenarios.md).
 * One timer per helper at most (armed for the oldest request), never one per request.
 */
export class Requests<K = string> {
  private readonly trend: Trend;
  private readonly timeouts: Counter;
  readonly timeoutMs: number;
  /** Send times by key, in send order (Map keeps insertion order): the oldest is first. */
  private readonly waiting = new Map<K, number>();
  private readonly callbacks = new Map<K, (latencyMs: number) => void>();
  private timer: unknown;

  constructor(private readonly vu: VuContext<object>, private readonly socket: Socket, opts: RequestOptions) {
    if (typeof opts.trend !== 'string' || opts.trend === '') throw new Error('Requests: options.trend must name a trend, e.g. "im_ack_rtt"');
    const names = requestNames(opts);
    this.trend = vu.trend(names.trend);
    this.timeouts = vu.counter(names.timeouts);
    this.timeoutMs = opts.timeoutMs ?? vu.options.pongTimeoutMs;
    if (!(this.timeoutMs > 0)) throw new Error(`Requests: options.timeoutMs must be more than 0 (got ${opts.timeoutMs})`);
    socket.addEventListener('close', () => this.cancelAll());
  }

  /** Requests still waiting for their reply. */
  get pending(): number {
    return this.waiting.size;
  }

  /**
   * Sends `data` as the request `key` and starts its clock. Returns false, sending nothing,
   * when the socket is not open. A key still waiting for its reply cannot be reused (throws).
   */
  send(key: K, data: string | ArrayBuffer | Uint8Array, onReply?: (latencyMs: number) => void): boolean {
    if (this.socket.readyState !== 1) return false;
    this.track(key, onReply);
    this.socket.send(data);
    return true;
  }

  /** Starts the clock of request `key` without sending (when the frame goes out some other way). */
  track(key: K, onReply?: (latencyMs: number) => void): void {
    if (this.waiting.has(key)) throw new Error(`Requests: key ${String(key)} is already waiting for its reply; keys must be unique`);
    const now = this.vu.now();
    this.waiting.set(key, now);
    if (onReply) this.callbacks.set(key, onReply);
    if (this.timer === undefined) this.arm(now);
  }

  /**
   * The reply of request `key` arrived: records its latency and returns it. Returns undefined
   * for a key that is not waiting (unknown, answered twice, or already timed out).
   */
  reply(key: K): number | undefined {
    const at = this.waiting.get(key);
    if (at === undefined) return undefined;
    this.waiting.delete(key);
    const latency = this.vu.now() - at;
    const cb = this.callbacks.size > 0 ? this.callbacks.get(key) : undefined;
    if (cb) this.callbacks.delete(key);
    if (latency > this.timeoutMs) {
      // the reply came after the timer should have fired (a busy event loop): still a timeout
      this.timeouts.add(1);
      return undefined;
    }
    this.trend.add(latency);
    cb?.(latency);
    return latency;
  }

  /**
   * Wires replies automatically: `keyOf` extracts the key from each incoming message (undefined:
   * not a reply). Use it when nothing else parses the messages; otherwise call `reply()` from
   * your own listener, so that each frame is parsed once.
   */
  listen(keyOf: (data: string | ArrayBuffer) => K | undefined): this {
    this.socket.addEventListener('message', (e) => {
      const key = keyOf(e.data);
      if (key !== undefined) this.reply(key);
    });
    return this;
  }

  /** Counts every waiting request as a timeout (the socket closed: no reply can come). */
  cancelAll(): void {
    if (this.waiting.size > 0) this.timeouts.add(this.waiting.size);
    this.waiting.clear();
    this.callbacks.clear();
    if (this.timer !== undefined) this.vu.clearTimer(this.timer);
    this.timer = undefined;
  }

  /** Arms the one timer for the moment the oldest request times out. */
  private arm(now: number): void {
    const oldest = this.waiting.values().next();
    if (oldest.done) {
      this.timer = undefined;
      return;
    }
    this.timer = this.vu.setTimeout(this.expire, Math.max(0, oldest.value + this.timeoutMs - now) + 1);
  }

  private readonly expire = (): void => {
    const now = this.vu.now();
    const limit = now - this.timeoutMs;
    let n = 0;
    for (const [key, at] of this.waiting) {
      if (at > limit) break;
      this.waiting.delete(key);
      this.callbacks.delete(key);
      n++;
    }
    if (n > 0) this.timeouts.add(n);
    this.arm(now);
  };
}
