import { M } from '../core/metric-names';
import type { Counter, CustomMetricKind, Socket, Trend, VuContext } from '../scenario/types';

/** Settings of a `Requests` helper. */
export interface RequestOptions {
  /** Trend that receives each reply's latency, in ms (e.g. `im_ack_rtt`). Required. */
  trend: string;
  /** Counter of requests that got no reply within `timeoutMs`, or before the socket closed. Default `<trend>_timeouts`. */
  timeouts?: string;
  /** How long a request waits for its reply. Default: the run's pong timeout (`--pong-timeout`, 10 s). */
  timeoutMs?: number;
  /**
   * The replies acknowledge the scenario's messages: each is also one of the summary's
   * `messages.acked` (its round trip in `messages.ackRttMs`, wsbench's `im_ack_rtt`) and each
   * timeout one of `messages.ackTimeouts` (`im_ack_timeouts`), whatever `trend` is named.
   * Default: true when `trend` is `im_ack_rtt` itself, else false.
   */
  acks?: boolean;
  /**
   * Also time each reply from its request's planned send time (`send(…, { plannedAt })` with `pace`'s
   * time), into `<trend>_from_plan` (docs/messaging.md, "Latency from the plan"). Acks always are,
   * into `im_ack_rtt_from_plan`; this adds the twin of a trend of another name. Default false.
   */
  fromPlan?: boolean;
}

type Names = Pick<RequestOptions, 'trend' | 'timeouts' | 'acks' | 'fromPlan'>;
interface NameSet {
  trend: string;
  timeouts: string;
  /** The trend of latencies from the planned send time (`send(…, { plannedAt })`), when recorded. */
  fromPlan?: string;
}

/** The trend of a `Requests` timed from the plan: `im_ack_rtt_from_plan` for `im_ack_rtt`, else `<trend>_from_plan`. */
const fromPlanOf = (trend: string): string => (trend === M.imAckRtt ? M.imAckRttFromPlan : `${trend}_from_plan`);

/** The names a `Requests` records: its trend (and its from-the-plan twin), its timeouts counter (`timeouts`, else `<trend>_timeouts`), and wsbench's ack names when they are not those. */
function requestNames(opts: Names): NameSet & { acks?: NameSet } {
  const timed = opts.fromPlan === true || opts.trend === M.imAckRtt;
  const own = { trend: opts.trend, timeouts: opts.timeouts ?? `${opts.trend}_timeouts`, ...(timed ? { fromPlan: fromPlanOf(opts.trend) } : {}) };
  if (!opts.acks || opts.trend === M.imAckRtt) return own;
  return { ...own, acks: { trend: M.imAckRtt, timeouts: M.imAckTimeouts, fromPlan: M.imAckRttFromPlan } };
}

/** How a request was sent: the callback of its reply, and when it was planned to leave (`pace`'s second argument). */
export interface SendOptions {
  onReply?: (latencyMs: number) => void;
  /** The planned send time on `vu.now()`'s clock: the reply's latency from it goes into `<trend>_from_plan` too. */
  plannedAt?: number;
}

/**
 * The declarations of what `new Requests(vu, socket, opts)` records, exactly: `{ [trend]: 'trend',
 * [timeouts ?? trend + '_timeouts']: 'counter' }`, `[trend + '_from_plan']: 'trend'` with `fromPlan`,
 * and with `acks` wsbench's three ack names (`im_ack_rtt`, `im_ack_rtt_from_plan`, `im_ack_timeouts`).
 * Spread them into `options.metrics`: `metrics: { ...requestMetrics({ trend: 'login_ms' }) }`
 * declares `login_ms` and `login_ms_timeouts`.
 */
export function requestMetrics(opts: Names): Record<string, CustomMetricKind> {
  const n = requestNames(opts);
  const own: Record<string, CustomMetricKind> = { [n.trend]: 'trend', [n.timeouts]: 'counter' };
  if (n.fromPlan) own[n.fromPlan] = 'trend';
  if (!n.acks) return own;
  return { ...own, [n.acks.trend]: 'trend', [n.acks.fromPlan as string]: 'trend', [n.acks.timeouts]: 'counter' };
}

/** A request waiting for its reply: when it left, when it was planned to (paced sends; how late it left is added to its latency), its callback. */
class Pending {
  constructor(readonly at: number, readonly planned: number | undefined, readonly cb: ((latencyMs: number) => void) | undefined) {}
}

/** One figure recorded under the helper's own name and, for acks, under wsbench's as well. */
class Both<T extends Counter | Trend> {
  constructor(private readonly own: T | undefined, private readonly ack: T | undefined) {}
  add(v: number): void {
    this.own?.add(v);
    this.ack?.add(v);
  }
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
  private readonly trend: Both<Trend>;
  /** Undefined when nothing is timed from the plan (no `fromPlan`, no acks). */
  private readonly fromPlan: Both<Trend> | undefined;
  private readonly timeouts: Both<Counter>;
  readonly timeoutMs: number;
  /** The requests waiting for their reply, by key, in send order (Map keeps insertion order): the oldest is first. One map, one lookup per send and per reply. */
  private readonly waiting = new Map<K, Pending>();
  private timer: unknown;

  constructor(private readonly vu: VuContext<object>, private readonly socket: Socket, opts: RequestOptions) {
    if (typeof opts.trend !== 'string' || opts.trend === '') throw new Error('Requests: options.trend must name a trend, e.g. "im_ack_rtt"');
    const names = requestNames(opts);
    this.trend = new Both(vu.trend(names.trend), names.acks && vu.trend(names.acks.trend));
    const ackPlan = names.acks?.fromPlan;
    this.fromPlan = names.fromPlan || ackPlan ? new Both(names.fromPlan ? vu.trend(names.fromPlan) : undefined, ackPlan ? vu.trend(ackPlan) : undefined) : undefined;
    this.timeouts = new Both(vu.counter(names.timeouts), names.acks && vu.counter(names.acks.timeouts));
    this.timeoutMs = opts.timeoutMs ?? vu.options.pongTimeoutMs;
    if (!(this.timeoutMs > 0)) throw new Error(`Requests: options.timeoutMs must be more than 0 (got ${opts.timeoutMs})`);
    socket.addEventListener('close', () => this.cancelAll());
  }

  /** Requests still waiting for their reply. */
  get pending(): number {
    return this.waiting.size;
  }

  /** Whether request `key` still waits for its reply (a key that does cannot be sent again). */
  isWaiting(key: K): boolean {
    return this.waiting.has(key);
  }

  /**
   * Sends `data` as the request `key` and starts its clock. Returns false, sending nothing,
   * when the socket is not open. A key still waiting for its reply cannot be reused (throws).
   * The third argument is the reply's callback, or `{ onReply, plannedAt }` for a paced send.
   */
  send(key: K, data: string | ArrayBuffer | Uint8Array, how?: ((latencyMs: number) => void) | SendOptions): boolean {
    if (this.socket.readyState !== 1) return false;
    this.track(key, how);
    this.socket.send(data);
    return true;
  }

  /** Starts the clock of request `key` without sending (when the frame goes out some other way). */
  track(key: K, how?: ((latencyMs: number) => void) | SendOptions): void {
    if (this.waiting.has(key)) throw new Error(`Requests: key ${String(key)} is already waiting for its reply; keys must be unique`);
    const now = this.vu.now();
    const cb = typeof how === 'function' ? how : how?.onReply;
    const plannedAt = typeof how === 'object' ? how.plannedAt : undefined;
    // a send planned for later than it left (cannot happen with pace) is timed from the send
    const planned = this.fromPlan && plannedAt !== undefined && Number.isFinite(plannedAt) ? Math.min(now, plannedAt) : undefined;
    this.waiting.set(key, new Pending(now, planned, cb));
    if (this.timer === undefined) this.arm(now);
  }

  /**
   * The reply of request `key` arrived: records its latency and returns it. Returns undefined
   * for a key that is not waiting (unknown, answered twice, or already timed out).
   */
  reply(key: K): number | undefined {
    const p = this.waiting.get(key);
    if (p === undefined) return undefined;
    this.waiting.delete(key);
    const latency = this.vu.now() - p.at;
    if (latency > this.timeoutMs) {
      // the reply came after the timer should have fired (a busy event loop): still a timeout
      this.timeouts.add(1);
      return undefined;
    }
    this.trend.add(latency);
    if (p.planned !== undefined) this.fromPlan?.add(latency + (p.at - p.planned));
    p.cb?.(latency);
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
    this.timer = this.vu.setTimeout(this.expire, Math.max(0, oldest.value.at + this.timeoutMs - now) + 1);
  }

  private readonly expire = (): void => {
    const now = this.vu.now();
    const limit = now - this.timeoutMs;
    let n = 0;
    for (const [key, p] of this.waiting) {
      if (p.at > limit) break;
      this.waiting.delete(key);
      n++;
    }
    if (n > 0) this.timeouts.add(n);
    this.arm(now);
  };
}
