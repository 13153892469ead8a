import { M } from '../core/metric-names';
import type { Counter, Rate, Socket, Trend, VuContext } from '../scenario/types';
import { EIO, EngineOpen } from './socketio-engine';

/** Server pings received. */
export const PINGS_RECEIVED = M.socketioPingsReceived;
/** Connections the server would drop for a late pong (engine.io's "ping timeout"): they fail as `PING_TIMEOUT`. */
export const PING_TIMEOUTS = M.socketioPingTimeouts;
/** Our pong → the server's next ping, less pingInterval, ms (not `ws_ping`, which k6 records itself). */
export const PING_RTT = M.socketioPingRtt;
/** The class of such a connection. */
export const PING_TIMEOUT = 'Socket.IO ping timeout';

/**
 * Engine.IO 4's heartbeat, which the server drives: it pings (`2`) pingInterval after our pong (`3`)
 * reaches it, and drops the connection when a pong is not in within pingTimeout of its ping. So a
 * ping later than pingInterval + pingTimeout after our last pong (or after the open packet) means
 * the server's clock ran out on us: its ping or our pong took longer than pingTimeout on the way
 * (a busy load generator that read the ping late counts here too). Such a connection counts in
 * `socketio_ping_timeouts` and fails as `Socket.IO ping timeout`, as socket.io-client closes it.
 * In wsbench's figures:
 * - each pong we send is a ping sent (`heartbeat.pingsSent`: our heartbeat frames);
 * - each server ping in time is a pong received (`heartbeat.pongsReceived`, `ws_pong_rate` true);
 *   a ping timeout is `ws_pong_rate` false;
 * - the round trip (`socketio_ping_rtt_ms`; `heartbeat.rttMs` stays null, as `ws_ping` is k6's own)
 *   is the time from our pong to the server's next ping, less pingInterval: the pong's way there, the
 *   server's timer and the ping's way back (none for the first ping, which follows the open packet).
 */
export class EngineHeartbeat {
  private open: EngineOpen | undefined;
  private deadline: unknown;
  /** When our last pong left, or the open packet came. */
  private since = 0;
  private pongs = 0;
  private readonly pongsSent: Counter;
  private readonly onTime: Counter;
  private readonly rate: Rate;
  private readonly rtt: Trend;
  private readonly received: Counter;
  private readonly timeouts: Counter;

  constructor(private readonly vu: VuContext<object>, private readonly socket: Socket) {
    this.pongsSent = vu.counter(M.pings);
    this.onTime = vu.counter(M.pongs);
    this.rate = vu.rate(M.pongRate);
    this.rtt = vu.trend(PING_RTT);
    this.received = vu.counter(PINGS_RECEIVED);
    this.timeouts = vu.counter(PING_TIMEOUTS);
  }

  /** The open packet arrived: the first ping is due within pingInterval + pingTimeout. */
  start(open: EngineOpen): void {
    this.stop();
    this.open = open;
    this.since = this.vu.now();
    this.pongs = 0;
    this.arm();
  }

  /** A server ping: judged, then answered at once. */
  ping(): void {
    this.received.add(1);
    const o = this.open;
    if (o === undefined || this.socket.readyState !== 1) return;
    const now = this.vu.now();
    const gap = now - this.since - o.pingInterval;
    // read after its deadline, before the deadline's timer ran: the server's clock ran out all the same
    if (gap > o.pingTimeout) return this.timedOut();
    this.onTime.add(1);
    this.rate.add(true);
    if (this.pongs > 0) this.rtt.add(Math.max(0, gap));
    this.socket.send(EIO.pong);
    this.pongsSent.add(1);
    this.pongs++;
    this.since = now;
    this.arm();
  }

  stop(): void {
    if (this.deadline !== undefined) this.vu.clearTimer(this.deadline);
    this.deadline = undefined;
    this.open = undefined;
  }

  private arm(): void {
    if (this.deadline !== undefined) this.vu.clearTimer(this.deadline);
    const o = this.open as EngineOpen;
    this.deadline = this.vu.setTimeout(() => {
      this.deadline = undefined;
      if (this.socket.readyState === 1) this.timedOut();
    }, o.pingInterval + o.pingTimeout + 1);
  }

  private timedOut(): void {
    this.timeouts.add(1);
    this.rate.add(false);
    this.stop();
    this.socket.fail(PING_TIMEOUT);
  }
}
