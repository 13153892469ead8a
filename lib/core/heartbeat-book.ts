import { M } from './metric-names';
import { APP_PING, APP_PONG_PREFIX, AppHeartbeat, PingType } from '../scenario/types';
import { SocketListeners, SocketOwner } from './listeners';
import type { Recorder } from './recorder';

/** What the heartbeat needs of an engine's socket settings. */
export interface HeartbeatSettings {
  /** A ping whose pong takes longer than this is lost. */
  pongTimeoutMs: number;
  pingType: PingType;
}

/**
 * The heartbeat of one connection: every ping sent ends exactly once, as answered (`ws_pongs_received`,
 * its round trip in `ws_ping`, `ws_pong_rate` true), lost (no pong within the pong timeout, or the
 * connection ended first: `ws_pong_rate` false) or unresolved (still waiting when an interrupted run
 * stopped: `ws_pings_unresolved`).
 *
 * A pong is matched to its ping by sequence number when the engine can read the pong's payload
 * (Node, protocol pings); otherwise (k6 gives no payload; app pongs carry none) to the oldest ping
 * waiting, after the late answers still owed to pings already counted lost, so that a late pong is
 * never taken for the answer to a newer ping.
 */
export abstract class HeartbeatBook<S extends HeartbeatSettings = HeartbeatSettings> extends SocketListeners {
  /** Send times of the pings awaiting their pong, oldest first; NaN marks one answered out of order. Created by the first ping. */
  private pings: number[] | undefined;
  /** Sequence number of `pings[0]`. */
  private pingBase = 0;
  /** Late pongs still owed to pings already counted lost (pongs matched by order only). */
  private owed = 0;
  /** The heartbeat of the scenario's own protocol, once `setHeartbeat` named one. */
  private own: AppHeartbeat | undefined;

  constructor(protected readonly rec: Recorder, protected readonly settings: S, owner: SocketOwner) {
    super(owner);
  }

  /** The engine's monotonic clock, in ms. */
  protected abstract clock(): number;

  /** True when the engine reads each pong's sequence number (`pongReceived(seq)`). */
  protected abstract get pongsCarrySeq(): boolean;

  /** Records a ping about to be sent; returns its sequence number (for the payload). */
  protected pingSent(): number {
    const now = this.clock();
    this.expirePings(now);
    this.rec.add(M.pings);
    const list = (this.pings ??= []);
    list.push(now);
    return (this.pingBase + list.length - 1) >>> 0;
  }

  /** A pong arrived: `seq` from its payload, or undefined to match by order. Unknown or expired sequence numbers are ignored. */
  protected pongReceived(seq?: number): void {
    const list = this.pings;
    let at: number | undefined;
    if (seq === undefined || !this.pongsCarrySeq) {
      if (this.owed > 0) {
        this.owed--; // the late answer to a ping already counted lost
        return;
      }
      at = list?.shift();
      if (at === undefined) return; // a pong nobody asked for
      this.pingBase++;
    } else {
      if (!list) return;
      const i = (seq - this.pingBase) >>> 0;
      at = list[i];
      if (at === undefined || Number.isNaN(at)) return;
      list[i] = NaN;
      this.trimAnswered();
    }
    const rtt = this.clock() - at;
    if (rtt > this.settings.pongTimeoutMs) {
      this.rec.rate(M.pongRate, false);
    } else {
      this.rec.add(M.pongs);
      this.rec.rate(M.pongRate, true);
      this.rec.trend(M.ping, rtt);
      if (this.hasListeners('pong')) this.emit('pong', { type: 'pong' }); // no event object per pong nobody listens to
    }
    this.owner.settled(this);
  }

  /** `ping()` sends this protocol's heartbeat from now on (Socket.setHeartbeat). */
  setHeartbeat(hb: AppHeartbeat): void {
    this.own = hb;
  }

  /** The frame `ping()` sends: the protocol's own, the app ping of `pingType: 'app'`, else undefined (a protocol ping). */
  protected get appPingFrame(): string | Uint8Array | undefined {
    return this.own ? this.own.frame : this.settings.pingType === 'app' ? APP_PING : undefined;
  }

  /** True while the protocol's own heartbeat is in use (its pongs are frames of any kind). */
  protected get ownHeartbeat(): boolean {
    return this.own !== undefined;
  }

  /** WebSocket ping frames are the heartbeat (their pongs count). */
  protected get protocolPings(): boolean {
    return this.own === undefined && this.settings.pingType === 'protocol';
  }

  /** With app pings: the frame answers a ping that awaits one (else it is an ordinary message). */
  protected isAppPong(data: string | ArrayBuffer): boolean {
    if (!this.awaitsAppPong) return false;
    return this.own ? this.own.isPong(data) : typeof data === 'string' && data.startsWith(APP_PONG_PREFIX);
  }

  /** With app pings: a ping awaits its pong, or a lost one's late answer is still owed. */
  protected get awaitsAppPong(): boolean {
    return !this.protocolPings && ((this.pings?.length ?? 0) > 0 || this.owed > 0);
  }

  /** Pings older than the pong timeout count as lost now (they are already in ws_pings_sent). */
  expirePings(now: number): void {
    const list = this.pings;
    if (!list) return;
    const limit = now - this.settings.pongTimeoutMs;
    while (list.length > 0) {
      const at = list[0] as number;
      if (at > limit) break; // send order
      list.shift();
      this.pingBase++;
      if (Number.isNaN(at)) continue;
      this.rec.rate(M.pongRate, false);
      if (!this.pongsCarrySeq) this.owed++;
    }
  }

  /** On an interrupted run: pings still waiting are neither answered nor lost; counted apart. */
  abandonPings(): void {
    const n = this.pendingPings;
    if (n > 0) this.rec.add(M.pingsUnresolved, n);
    this.pings = undefined;
  }

  /** Pings that still wait for a pong (and have not timed out). */
  get pendingPings(): number {
    let n = 0;
    if (this.pings) for (const at of this.pings) if (!Number.isNaN(at)) n++;
    return n;
  }

  /** Oldest unanswered ping's send time, or undefined. */
  get oldestPingAt(): number | undefined {
    return this.pings?.find((at) => !Number.isNaN(at));
  }

  /** The connection ended: pings that can no longer be answered are lost. */
  protected pingsEnded(): void {
    const n = this.pendingPings;
    for (let i = 0; i < n; i++) this.rec.rate(M.pongRate, false);
    this.pings = undefined;
  }

  private trimAnswered(): void {
    const list = this.pings as number[];
    while (list.length > 0 && Number.isNaN(list[0])) {
      list.shift();
      this.pingBase++;
    }
  }
}
