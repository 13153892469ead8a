import { M } from '../core/metric-names';
import { runClock } from '../core/run-clock';
import type {
  AppHeartbeat, Counter, ResolvedReconnect, Socket, SocketEvent, SocketEventMap, VuContext,
} from '../scenario/types';

export { RECONNECT_DEFAULTS, resolveReconnect } from '../options/reconnect-options';

/**
 * Reconnect with exponential backoff, as IM clients do after a drop. Pure code on top of the VU
 * context (its timers and `connect`), so it runs the same on the Node runner and on k6.
 */

/** Wait before retry number `retry` (1-based); `random` in [0, 1). Pure. */
export function backoffMs(r: ResolvedReconnect, retry: number, random: number): number {
  const base = Math.min(r.maxDelayMs, r.initialDelayMs * r.factor ** Math.max(0, retry - 1));
  return base * (1 - r.jitter * random);
}

type Listeners = { [K in SocketEvent]?: Array<(e: SocketEventMap[K]) => void> };
const EVENTS: SocketEvent[] = ['open', 'message', 'close', 'error', 'pong'];

/**
 * A socket that opens itself again when the other side drops it (or an attempt fails), after the
 * backoff. Listeners see every underlying `open` and `close`. Each retry counts in `ws_reconnects`;
 * `close()` stops for good. When the VU ends, its timers stop, so no retry outlives the run.
 * Its recovery (downtime, failed retries, reconnect latency) is recorded by a RecoveryRecorder.
 */
export class ReconnectingSocket implements Socket {
  private current: Socket;
  private listeners: Listeners = {};
  private stopped = false;
  /** Retries in a row that have not opened yet. */
  private retries = 0;
  private readonly reconnects: Counter;
  private readonly recovery: RecoveryRecorder;
  /** The protocol's heartbeat, set again on every new connection. */
  private heartbeat: AppHeartbeat | undefined;

  constructor(
    private readonly vu: VuContext<object>,
    private readonly open: () => Socket,
    private readonly cfg: ResolvedReconnect,
    private readonly random: () => number = Math.random,
  ) {
    this.reconnects = vu.counter(M.reconnects);
    this.recovery = new RecoveryRecorder(vu);
    this.current = this.attach(open(), false);
  }

  get readyState(): number {
    return this.current.readyState;
  }

  get protocol(): string {
    return this.current.protocol;
  }

  setHeartbeat(hb: AppHeartbeat): void {
    this.heartbeat = hb;
    this.current.setHeartbeat(hb);
  }

  /** The current connection failed at protocol level: lost under `kind`, then retried as any drop. */
  fail(kind: string): void {
    this.current.fail(kind);
  }

  addEventListener<K extends SocketEvent>(event: K, listener: (e: SocketEventMap[K]) => void): void {
    ((this.listeners[event] ??= []) as Array<(e: SocketEventMap[K]) => void>).push(listener);
  }

  send(data: string | ArrayBuffer | Uint8Array): void {
    this.current.send(data);
  }

  ping(): void {
    this.current.ping();
  }

  close(code?: number, reason?: string): void {
    this.stopped = true;
    this.current.close(code, reason);
  }

  private attach(s: Socket, retry: boolean): Socket {
    const attempt = this.recovery.attempt(retry);
    if (this.heartbeat) s.setHeartbeat(this.heartbeat);
    for (const event of EVENTS) {
      s.addEventListener(event, (e) => {
        if (event === 'open') {
          this.retries = 0;
          this.recovery.opened(attempt);
        } else if (event === 'error') attempt.error = (e as SocketEventMap['error']).error;
        try {
          const list = this.listeners[event] as Array<(x: typeof e) => void> | undefined;
          if (list) for (const fn of list) fn(e);
        } finally {
          // a listener that throws must not stop the reconnecting
          if (event === 'close' && s === this.current) this.dropped(attempt, (e as SocketEventMap['close']).code);
        }
      });
    }
    return s;
  }

  private dropped(attempt: Attempt, code: number): void {
    if (this.stopped) return;
    if (attempt.open) this.recovery.down();
    const retry = ++this.retries;
    if (this.cfg.maxRetries !== undefined && retry > this.cfg.maxRetries) {
      this.recovery.failed(attempt, code);
      return;
    }
    const timer = this.vu.setTimeout(() => {
      if (this.stopped) return;
      this.reconnects.add(1);
      this.recovery.retrying();
      this.current = this.attach(this.open(), true);
    }, backoffMs(this.cfg, retry, this.random()));
    // a retry cut short because the VU ended (no timer) was aborted by the runner, not failed
    if (timer !== undefined) this.recovery.failed(attempt, code);
  }
}

/** One connection attempt of a reconnecting socket. */
interface Attempt {
  retry: boolean;
  startedAt: number;
  open: boolean;
  error?: string;
}

/**
 * Records a reconnecting VU's recovery: when it was dropped (`down`) and when it was open again
 * (`ws_reconnect_downtime`), its retries that failed (`ws_reconnect_failures`) and the connect
 * latency of the retry that opened (`ws_reconnect_connecting`). On the Node runner, the same are
 * booked under the run second of the drop (lib/core/run-clock.ts), for lib/results/waves.ts.
 */
export class RecoveryRecorder {
  /** vu.now() when the open connection dropped; undefined while up. */
  private downSince: number | undefined;
  /** Run second of that drop, when the engine has a run clock. */
  private dropSec: number | undefined;

  constructor(private readonly vu: VuContext<object>) {}

  attempt(retry: boolean): Attempt {
    return { retry, startedAt: this.vu.now(), open: false };
  }

  down(): void {
    this.downSince = this.vu.now();
    this.dropSec = runClock()?.sec;
  }

  retrying(): void {
    if (this.dropSec !== undefined) runClock()?.recovery({ dropSec: this.dropSec, what: 'attempt' });
  }

  opened(a: Attempt): void {
    a.open = true;
    if (!a.retry || this.downSince === undefined) return;
    const now = this.vu.now();
    this.record('downtime', now - this.downSince);
    this.record('connecting', now - a.startedAt);
    this.downSince = undefined;
    this.dropSec = undefined;
  }

  failed(a: Attempt, code: number): void {
    if (a.open || !a.retry) return;
    this.vu.counter(M.reconnectFailures).add(1);
    const cls = a.error ?? (code === 1006 ? 'closed before open' : `close ${code}`);
    if (this.dropSec !== undefined) runClock()?.recovery({ dropSec: this.dropSec, what: 'failed', cls });
  }

  private record(what: 'downtime' | 'connecting', ms: number): void {
    this.vu.trend(what === 'downtime' ? M.reconnectDowntime : M.reconnectConnecting).add(ms);
    if (this.dropSec !== undefined) runClock()?.recovery({ dropSec: this.dropSec, what, ms });
  }
}
