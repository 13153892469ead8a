import { clearTimeout, setTimeout } from 'k6/timers';
import { WebSocket } from 'k6/websockets';
import { classifyClose } from '../errors';
import { M } from '../metric-names';
import { APP_PING, APP_PONG_PREFIX, ConnectParams, SEND_BUFFER_LIMIT, Socket, SocketEvent, SocketEventMap } from '../types';
import { classifyK6Error } from './errors';
import type { K6Metrics } from './metrics';
import { CONNECT_SUCCESS } from './names';

/** Settings shared by every socket of a bundle. */
export interface K6SocketSettings {
  connectTimeoutMs: number;
  pongTimeoutMs: number;
  pingType: 'protocol' | 'app';
}

/** What a socket tells its VU. */
export interface SocketOwner {
  /** Runs a scenario listener; a throw is counted and reported, never allowed to close the socket. */
  guard(fn: () => void): void;
  /** Something the end-of-run drain waits for happened (open, failure, pong, close). */
  settled(s: K6Socket): void;
  done(s: K6Socket): void;
}

type Listeners = { [K in SocketEvent]?: Array<(e: SocketEventMap[K]) => void> };

/** The close event of `k6/websockets` (its typings leave out `code` and `reason`). */
interface K6CloseEvent {
  code?: number;
  reason?: string;
}

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;
/** k6 reports a close frame from the server as an error too; that is a close, not an error. */
const CLOSE_ERROR = /^websocket: close \d+/;

/**
 * A measured `k6/websockets` WebSocket with the behaviour of the Node socket: every attempt ends
 * in exactly one of opened or failed (one class), a close we did not ask for is one disconnect,
 * and every ping ends answered or lost. k6 itself records ws_connecting, ws_sessions, ws_ping and
 * ws_msgs_*; this records the rest under the shared names.
 */
export class K6Socket implements Socket {
  private readonly ws: WebSocket | undefined;
  private listeners: Listeners = {};
  private opened = false;
  private failed = false;
  private closingByUs = false;
  private finished = false;
  private lastError: string | undefined;
  private connectTimer: number | undefined;
  /** Send times of pings awaiting their pong, oldest first: k6 does not hand the pong payload to scripts. */
  private pending: number[] = [];
  /** Pongs still owed to pings already counted lost: when late ones arrive they must not match newer pings. */
  private owed = 0;

  constructor(
    url: string,
    params: ConnectParams | undefined,
    private readonly metrics: K6Metrics,
    private readonly settings: K6SocketSettings,
    private readonly owner: SocketOwner,
  ) {
    metrics.add(M.attempts);
    let ws: WebSocket;
    try {
      // k6 takes the sub-protocols as a string or an array, though its typings say null
      const protocols = (params?.protocols ?? null) as null;
      ws = new WebSocket(url, protocols, params?.headers ? { headers: params.headers } : null);
    } catch (err) {
      // a URL k6 refuses: a failed attempt, never an exception out of the VU (as on Node)
      this.ws = undefined;
      this.fail(`invalid URL: ${String((err as Error)?.message ?? err).slice(0, 60)}`);
      setTimeout(() => this.wsOnClose({}), 0);
      return;
    }
    this.ws = ws;
    ws.binaryType = 'arraybuffer';
    ws.addEventListener('open', () => this.wsOnOpen());
    ws.addEventListener('error', (e) => this.wsOnError((e as { error?: string }).error));
    ws.addEventListener('close', (e) => this.wsOnClose(e as unknown as K6CloseEvent));
    ws.addEventListener('message', (e) => this.wsOnMessage((e as { data: unknown }).data));
    ws.addEventListener('pong', () => {
      if (settings.pingType === 'protocol') this.pong();
    });
    this.connectTimer = setTimeout(() => this.connectTimedOut(), settings.connectTimeoutMs);
  }

  get readyState(): number {
    return this.ws?.readyState ?? CLOSED;
  }

  /** Waited for by the end-of-run drain: an attempt in flight, or pings awaiting pongs. */
  get busy(): boolean {
    return (this.readyState === CONNECTING && !this.failed) || this.pending.length > 0;
  }

  addEventListener<K extends SocketEvent>(event: K, listener: (e: SocketEventMap[K]) => void): void {
    const list = (this.listeners[event] ??= []) as Array<(e: SocketEventMap[K]) => void>;
    list.push(listener);
  }

  private emit<K extends SocketEvent>(event: K, payload: SocketEventMap[K]): void {
    const list = this.listeners[event] as Array<(e: SocketEventMap[K]) => void> | undefined;
    if (list) for (const fn of list) this.owner.guard(() => fn(payload));
  }

  send(data: string | ArrayBuffer | Uint8Array): void {
    // k6 throws InvalidStateError unless open; the Node socket ignores the call, and so does this one
    const ws = this.ws;
    if (!ws || ws.readyState !== OPEN) return;
    if (ws.bufferedAmount > SEND_BUFFER_LIMIT) {
      this.metrics.add(M.sendBufferFull);
      return;
    }
    ws.send(data);
  }

  ping(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== OPEN) return;
    const now = Date.now();
    this.expirePings(now);
    this.metrics.add(M.pings);
    this.pending.push(now);
    if (this.settings.pingType === 'app') ws.send(APP_PING);
    else ws.ping();
  }

  /** Pings older than the pong timeout count as lost. */
  expirePings(now: number): void {
    const limit = now - this.settings.pongTimeoutMs;
    while (this.pending.length > 0 && (this.pending[0] as number) <= limit) {
      this.pending.shift();
      this.owed++;
      this.metrics.rate(M.pongRate, false);
    }
  }

  close(code = 1000, reason = ''): void {
    if (this.closingByUs) return;
    this.closingByUs = true;
    // close() on a connecting k6 socket blocks the VU's event loop until the dial ends: close it on open
    if (this.ws?.readyState === OPEN) this.ws.close(code, reason);
  }

  private fail(kind: string): void {
    if (this.opened || this.failed) return;
    this.failed = true;
    this.metrics.add(M.connectErrors, 1, { error: kind });
    this.metrics.rate(CONNECT_SUCCESS, false);
    this.owner.settled(this);
  }

  private connectTimedOut(): void {
    this.connectTimer = undefined;
    if (this.opened || this.failed || this.closingByUs) return;
    this.fail('timeout');
    this.closingByUs = true;
  }

  private stopConnectTimer(): void {
    if (this.connectTimer !== undefined) clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
  }

  private wsOnOpen(): void {
    this.stopConnectTimer();
    if (this.closingByUs) {
      // timed out, or its VU ended while it connected: neither counts as a session of the scenario
      this.ws?.close(1000, '');
      this.owner.settled(this);
      return;
    }
    this.opened = true;
    this.metrics.rate(CONNECT_SUCCESS, true);
    this.owner.settled(this);
    this.emit('open', { type: 'open' });
  }

  private wsOnError(text: string | undefined): void {
    if (text !== undefined && CLOSE_ERROR.test(text)) return;
    const kind = classifyK6Error(text);
    if (!this.opened) {
      if (!this.closingByUs) this.fail(kind);
    } else {
      this.lastError = kind;
    }
    this.emit('error', { type: 'error', error: kind });
  }

  private wsOnClose(e: K6CloseEvent): void {
    this.stopConnectTimer();
    if (this.finished) return;
    this.finished = true;
    // gorilla/websocket gives no code when the connection just dropped: that is an abnormal closure
    const code = e.code ?? 1006;
    if (this.opened) {
      if (!this.closingByUs) this.metrics.add(M.disconnects, 1, { reason: classifyClose(code, this.lastError) });
    } else if (!this.failed && !this.closingByUs) {
      this.fail('closed before open');
    }
    // pings that can no longer be answered are lost
    for (let i = 0; i < this.pending.length; i++) this.metrics.rate(M.pongRate, false);
    this.pending = [];
    this.emit('close', { type: 'close', code, reason: e.reason ?? '' });
    this.listeners = {};
    this.owner.done(this);
  }

  private wsOnMessage(data: unknown): void {
    if (typeof data === 'string') {
      if (this.settings.pingType === 'app' && data.startsWith(APP_PONG_PREFIX) && (this.pending.length > 0 || this.owed > 0)) {
        this.pong();
        return;
      }
      this.emit('message', { type: 'message', data });
    } else {
      this.emit('message', { type: 'message', data: data as ArrayBuffer });
    }
  }

  private pong(): void {
    if (this.owed > 0) {
      this.owed--; // the late answer to a ping already counted lost
      return;
    }
    const sentAt = this.pending.shift();
    if (sentAt === undefined) return; // a pong nobody asked for
    if (Date.now() - sentAt > this.settings.pongTimeoutMs) {
      this.metrics.rate(M.pongRate, false);
    } else {
      this.metrics.add(M.pongs);
      this.metrics.rate(M.pongRate, true);
      this.emit('pong', { type: 'pong' });
    }
    this.owner.settled(this);
  }
}
