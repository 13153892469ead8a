import { M } from '../core/metric-names';
import type { Counter, Rate, Socket, Trend, VuContext } from '../scenario/types';
import { EIO, EngineOpen } from './socketio-engine';

/** Server pings received, all (answered or not in time). */
export const PINGS_RECEIVED = 'socketio_pings_received';
/** Server pings that did not come within pingInterval + pingTimeout: the connection is given up, as socket.io-client does. */
export const PINGS_MISSED = 'socketio_pings_missed';
/** Heartbeats whose round trip exceeded pingTimeout: the server drops such a connection ("ping timeout"). */
export const LATE_PONGS = 'socketio_late_pongs';
/** The class of a connection whose server stopped pinging. */
export const PING_TIMEOUT = 'Socket.IO ping timeout';

/**
 * Engine.IO 4's heartbeat, which the server drives: it pings (`2`) pingInterval after our last pong,
 * and drops the connection when our pong (`3`) is not in within pingTimeout. In wsbench's figures:
 * - each pong we send is a ping sent (`heartbeat.pingsSent`: our heartbeat frames);
 * - a server ping within pingInterval + pingTimeout of the previous one (or of the open packet) is a
 *   pong received (`heartbeat.pongsReceived`, `ws_pong_rate` true); a deadline passed with none is
 *   missed (`ws_pong_rate` false, `socketio_pings_missed`) and the connection fails as
 *   `Socket.IO ping timeout`, as socket.io-client closes it;
 * - the round trip (`heartbeat.rttMs`) is the time from our pong to the server's next ping, less
 *   pingInterval: the pong's way there, the server's timer, the ping's way back and our own delay
 *   in reading it. One over pingTimeout means the server, which allows pingTimeout for a pong, drops
 *   the connection: it counts in `socketio_late_pongs` (and `ws_pong_rate` false), not as a pong.
 */
export class EngineHeartbeat {
  private open: EngineOpen | undefined;
  private deadline: unknown;
  /** When our last pong left (undefined before the first ping: the first gap is no round trip). */
  private pongAt: number | undefined;
  private readonly pongsSent: Counter;
  private readonly onTime: Counter;
  private readonly rate: Rate;
  private readonly rtt: Trend;
  private readonly received: Counter;
  private readonly missed: Counter;
  private readonly late: Counter;

  constructor(private readonly vu: VuContext<object>, private readonly socket: Socket) {
    this.pongsSent = vu.counter(M.pings);
    this.onTime = vu.counter(M.pongs);
    this.rate = vu.rate(M.pongRate);
    this.rtt = vu.trend(M.ping);
    this.received = vu.counter(PINGS_RECEIVED);
    this.missed = vu.counter(PINGS_MISSED);
    this.late = vu.counter(LATE_PONGS);
  }

  /** The open packet arrived: the first ping is due within pingInterval + pingTimeout. */
  start(open: EngineOpen): void {
    this.stop();
    this.open = open;
    this.arm();
  }

  /** A server ping: answered at once, then judged. */
  ping(): void {
    this.received.add(1);
    if (this.open === undefined || this.socket.readyState !== 1) return;
    const now = this.vu.now();
    this.socket.send(EIO.pong);
    this.pongsSent.add(1);
    const rtt = this.pongAt === undefined ? undefined : now - this.pongAt - this.open.pingInterval;
    this.pongAt = now;
    this.arm();
    if (rtt !== undefined && rtt > this.open.pingTimeout) {
      this.late.add(1);
      this.rate.add(false);
      return;
    }
    this.onTime.add(1);
    this.rate.add(true);
    if (rtt !== undefined) this.rtt.add(Math.max(0, rtt));
  }

  stop(): void {
    if (this.deadline !== undefined) this.vu.clearTimer(this.deadline);
    this.deadline = undefined;
    this.open = undefined;
    this.pongAt = undefined;
  }

  private arm(): void {
    if (this.deadline !== undefined) this.vu.clearTimer(this.deadline);
    const o = this.open as EngineOpen;
    this.deadline = this.vu.setTimeout(() => {
      this.deadline = undefined;
      if (this.socket.readyState !== 1) return;
      this.missed.add(1);
      this.rate.add(false);
      this.stop();
      this.socket.fail(PING_TIMEOUT);
    }, o.pingInterval + o.pingTimeout);
  }
}
