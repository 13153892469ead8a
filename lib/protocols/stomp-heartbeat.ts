import { M } from '../core/metric-names';
import type { Counter, Rate, Socket, VuContext } from '../scenario/types';

/** The STOMP metric a heart-beat records beyond wsbench's heartbeat figures (lib/core/metric-names.ts). */
export const HEARTBEATS_MISSED = 'stomp_heartbeats_missed';

/** A server heart-beat counts missed when nothing arrived for this many negotiated intervals. */
export const MISSED_AFTER = 1.5;

/**
 * The negotiated intervals (STOMP 1.2, "Heart-beating"), ms, 0 = none: the client sends every
 * max(cx, sy) when both are set, the server every max(sx, cy). `offer` is the client's `cx,cy`,
 * `answer` the CONNECTED frame's `heart-beat` header (absent: the broker does none).
 */
export function negotiate(offer: [number, number], answer: string | undefined): { outgoingMs: number; incomingMs: number } {
  const [sx, sy] = (answer ?? '0,0').split(',').map((v) => Number(v.trim()));
  const ok = (n: number | undefined): number => (n !== undefined && Number.isFinite(n) && n > 0 ? n : 0);
  const [cx, cy] = offer;
  return {
    outgoingMs: cx > 0 && ok(sy) > 0 ? Math.max(cx, ok(sy)) : 0,
    incomingMs: cy > 0 && ok(sx) > 0 ? Math.max(ok(sx), cy) : 0,
  };
}

/**
 * The heart-beats of one STOMP connection, in wsbench's heartbeat figures (docs/protocols.md):
 * - each EOL sent at the negotiated outgoing interval is a ping sent (`ws_pings_sent`);
 * - at each incoming interval the server's beat is checked: anything received (a frame or an EOL)
 *   within `MISSED_AFTER` intervals is a pong (`ws_pongs_received`, `ws_pong_rate` true), nothing
 *   is a missed beat (`ws_pong_rate` false, `stomp_heartbeats_missed`).
 * STOMP beats are one-way, so no round trip is recorded: `heartbeat.rttMs` stays null.
 */
export class StompHeartbeat {
  private lastRx: number;
  private timers: unknown[] = [];
  private readonly sent: Counter;
  private readonly pongs: Counter;
  private readonly pongRate: Rate;
  private readonly missed: Counter;

  constructor(private readonly vu: VuContext<object>, private readonly socket: Socket) {
    this.lastRx = vu.now();
    this.sent = vu.counter(M.pings);
    this.pongs = vu.counter(M.pongs);
    this.pongRate = vu.rate(M.pongRate);
    this.missed = vu.counter(HEARTBEATS_MISSED);
  }

  /** Starts the negotiated beats (after CONNECTED). */
  start(intervals: { outgoingMs: number; incomingMs: number }): void {
    this.stop();
    this.lastRx = this.vu.now();
    const { outgoingMs, incomingMs } = intervals;
    if (outgoingMs > 0) this.timers.push(this.vu.setInterval(() => this.beat(), outgoingMs));
    if (incomingMs > 0) this.timers.push(this.vu.setInterval(() => this.check(incomingMs), incomingMs));
  }

  /** Anything arrived from the server: it counts as its heart-beat. */
  received(): void {
    this.lastRx = this.vu.now();
  }

  stop(): void {
    for (const t of this.timers) this.vu.clearTimer(t);
    this.timers = [];
  }

  private beat(): void {
    if (this.socket.readyState !== 1) return;
    this.socket.send('\n');
    this.sent.add(1);
  }

  private check(intervalMs: number): void {
    if (this.socket.readyState !== 1) return;
    const ok = this.vu.now() - this.lastRx <= intervalMs * MISSED_AFTER;
    this.pongRate.add(ok);
    if (ok) this.pongs.add(1);
    else this.missed.add(1);
  }
}
