import net from 'node:net';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import WebSocket from 'ws';
import { classifyClose, classifyError } from '../errors';
import { M } from '../metric-names';
import { APP_PING, APP_PONG_PREFIX, ConnectParams, SEND_BUFFER_LIMIT, Socket, SocketEvent, SocketEventMap } from '../types';
import type { Meter } from './meter';

/** Settings shared by every socket of a worker. */
export interface SocketSettings {
  /** The whole attempt: TCP connect, TLS, upgrade. */
  connectTimeoutMs: number;
  /** The upgrade alone, from TCP (and TLS) up to the 101 answer. Default: connectTimeoutMs. */
  handshakeTimeoutMs?: number;
  pongTimeoutMs: number;
  pingType: 'protocol' | 'app';
  /** Largest message accepted from the server; larger ones close the connection with 1009. */
  maxMessageBytes?: number;
  /** Extra `ws` client options (TLS: `rejectUnauthorized`, `ca`). */
  wsOptions: WebSocket.ClientOptions;
}

/** Who owns a socket: told when it is done, and when a scenario listener throws. */
export interface SocketOwner {
  socketDone(s: NodeSocket): void;
  scenarioError(err: unknown): void;
}

type Listeners = { [K in SocketEvent]?: Array<(e: SocketEventMap[K]) => void> };

/** The NodeSocket behind a `ws` WebSocket or a raw net socket: handlers are shared functions, not closures per connection (memory at 100K). */
const OWNER = Symbol('wsbench.socket');
type Owned<T> = T & { [OWNER]: NodeSocket };
const ownerOf = (x: object): NodeSocket => (x as { [OWNER]: NodeSocket })[OWNER];

function wsOnOpen(this: WebSocket): void {
  ownerOf(this).onOpen();
}
function wsOnError(this: WebSocket, err: Error): void {
  ownerOf(this).onError(err);
}
function wsOnClose(this: WebSocket, code: number, reason: Buffer): void {
  ownerOf(this).finish(code, reason.toString());
}
function wsOnMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
  ownerOf(this).onMessage(data, isBinary);
}
function wsOnPong(this: WebSocket, data: Buffer): void {
  ownerOf(this).onPong(data);
}
function rawOnConnect(this: net.Socket): void {
  ownerOf(this).tcpUp = true;
}
function rawOnTransportUp(this: net.Socket): void {
  ownerOf(this).onTransportUp();
}
function rawOnError(this: net.Socket, err: NodeJS.ErrnoException): void {
  ownerOf(this).onRawError(err);
}
function onTimeout(s: NodeSocket): void {
  s.onTimeout();
}

/**
 * A measured WebSocket. Every attempt ends in exactly one of: opened (ws_sessions), failed
 * (ws_connect_errors, one class in `errors`) or aborted by the runner (ws_connect_aborted). An
 * opened socket that the other side closes, or that breaks, is one disconnect with its class.
 */
export class NodeSocket implements Socket {
  private readonly ws: WebSocket | undefined;
  private readonly startedAt: number;
  private listeners: Listeners = {};
  private opened = false;
  private failed = false;
  private done = false;
  private closingByUs = false;
  /** What broke an open connection (a protocol error, a reset), if anything. */
  private lastError: string | undefined;
  /** @internal set by the raw socket's 'connect' */
  tcpUp = false;
  /** TCP up, and for wss:// the TLS handshake done. */
  private transportUp = false;
  private secure = false;
  private timer: NodeJS.Timeout | undefined;
  private pingSeq = 0;
  /** Send times of pings still waiting for their pong, by sequence number; bounded by pongTimeout/interval. */
  private pending: Map<number, number> | undefined;
  private appPending: number[] | undefined;

  constructor(
    url: string,
    params: ConnectParams | undefined,
    localAddress: string | undefined,
    private readonly meter: Meter,
    private readonly settings: SocketSettings,
    private readonly owner: SocketOwner,
  ) {
    meter.add(M.attempts);
    this.startedAt = performance.now();
    try {
      this.secure = url.startsWith('wss:');
      this.ws = new WebSocket(url, params?.protocols, {
        ...settings.wsOptions,
        perMessageDeflate: false,
        maxPayload: settings.maxMessageBytes ?? 1_048_576,
        headers: params?.headers,
        localAddress,
        createConnection: this.createConnection as unknown as WebSocket.ClientOptions['createConnection'],
      });
    } catch (err) {
      // a URL, header or subprotocol that `ws` refuses: a failed attempt, never an exception out of the VU
      this.ws = undefined;
      const e = err as { code?: string; message?: string };
      this.fail(e?.code ?? `invalid request: ${String(e?.message ?? err).slice(0, 60)}`);
      setImmediate(() => this.finish(1006, ''));
      return;
    }
    this.timer = setTimeout(onTimeout, settings.connectTimeoutMs, this);
    const ws = this.ws as Owned<WebSocket>;
    ws[OWNER] = this;
    ws.on('open', wsOnOpen);
    ws.on('error', wsOnError);
    ws.on('close', wsOnClose);
    ws.on('message', wsOnMessage);
    ws.on('pong', wsOnPong);
  }

  get readyState(): number {
    return this.ws?.readyState ?? WebSocket.CLOSED;
  }

  get isOpen(): boolean {
    return this.opened && this.readyState === WebSocket.OPEN;
  }

  addEventListener<K extends SocketEvent>(event: K, listener: (e: SocketEventMap[K]) => void): void {
    const list = (this.listeners[event] ??= []) as Array<(e: SocketEventMap[K]) => void>;
    list.push(listener);
  }

  /** Calls the scenario's listeners; one that throws is the scenario's error, never the runner's. */
  private emit<K extends SocketEvent>(event: K, payload: SocketEventMap[K]): void {
    const list = this.listeners[event] as Array<(e: SocketEventMap[K]) => void> | undefined;
    if (!list) return;
    for (const fn of list) {
      try {
        fn(payload);
      } catch (err) {
        this.owner.scenarioError(err);
      }
    }
  }

  send(data: string | ArrayBuffer | Uint8Array): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > SEND_BUFFER_LIMIT) {
      this.meter.add(M.sendBufferFull);
      return;
    }
    this.meter.add(M.msgsSent);
    ws.send(data);
  }

  ping(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    const now = performance.now();
    this.expirePings(now);
    this.meter.add(M.pings);
    if (this.settings.pingType === 'app') {
      (this.appPending ??= []).push(now);
      ws.send(APP_PING);
      return;
    }
    const seq = (this.pingSeq = (this.pingSeq + 1) >>> 0);
    (this.pending ??= new Map()).set(seq, now);
    const payload = Buffer.allocUnsafe(4);
    payload.writeUInt32BE(seq, 0);
    ws.ping(payload);
  }

  /** Pings older than the pong timeout count as lost (they are already in ws_pings_sent). */
  expirePings(now: number): void {
    const limit = now - this.settings.pongTimeoutMs;
    if (this.pending) {
      for (const [seq, at] of this.pending) {
        if (at > limit) break; // insertion order is send order
        this.pending.delete(seq);
        this.meter.rate(M.pongRate, false);
      }
    }
    if (this.appPending) {
      while (this.appPending.length > 0 && (this.appPending[0] as number) <= limit) {
        this.appPending.shift();
        this.meter.rate(M.pongRate, false);
      }
    }
  }

  /** On an interrupted run: pings still waiting are neither answered nor lost; counted apart. */
  abandonPings(): void {
    const n = this.pendingPings;
    if (n > 0) this.meter.add(M.pingsUnresolved, n);
    this.pending = undefined;
    this.appPending = undefined;
  }

  /** Pings that still wait for a pong (and have not timed out). */
  get pendingPings(): number {
    return (this.pending?.size ?? 0) + (this.appPending?.length ?? 0);
  }

  /** Oldest unanswered ping's send time, or undefined. */
  get oldestPingAt(): number | undefined {
    const first = this.pending?.values().next();
    const a = first && !first.done ? first.value : undefined;
    const b = this.appPending?.[0];
    if (a === undefined) return b;
    if (b === undefined) return a;
    return Math.min(a, b);
  }

  close(code = 1000, reason = ''): void {
    if (this.closingByUs || !this.ws) return;
    this.closingByUs = true;
    if (this.ws.readyState === WebSocket.CONNECTING) {
      // an attempt cut short by the runner (end of run, VU stopped) is neither a success nor a failure
      this.ws.terminate();
      return;
    }
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(code, reason);
  }

  /** Drops the socket without a close handshake (used when the close handshake does not finish). */
  terminate(): void {
    this.closingByUs = true;
    this.ws?.terminate();
  }

  private fail(kind: string): void {
    if (this.opened || this.failed) return;
    this.failed = true;
    this.meter.add(M.connectErrors);
    this.meter.error(kind);
  }

  /**
   * `ws`'s own connect functions, plus what it cannot tell: when TCP and TLS are up (to name the
   * phase that timed out) and the socket's own errors after the upgrade (a reset is ECONNRESET).
   */
  private readonly createConnection = (opts: net.NetConnectOpts & tls.ConnectionOptions & { path?: string; socketPath?: string }): net.Socket => {
    let s: net.Socket;
    if (this.secure) {
      opts.path = undefined;
      if (!opts.servername && opts.servername !== '') opts.servername = net.isIP(opts.host ?? '') ? '' : opts.host;
      s = tls.connect(opts);
      s.once('secureConnect', rawOnTransportUp);
    } else {
      (opts as { path?: string }).path = opts.socketPath;
      s = net.connect(opts as net.NetConnectOpts);
      s.once('connect', rawOnTransportUp);
    }
    (s as Owned<net.Socket>)[OWNER] = this;
    s.once('connect', rawOnConnect);
    s.on('error', rawOnError);
    return s;
  };

  /** TCP (and TLS) up: the server now has `handshakeTimeout` to answer the upgrade, within the attempt's deadline. */
  /** @internal */
  onTransportUp(): void {
    this.transportUp = true;
    if (this.opened || this.failed || !this.timer) return;
    clearTimeout(this.timer);
    const left = this.settings.connectTimeoutMs - (performance.now() - this.startedAt);
    this.timer = setTimeout(onTimeout, Math.max(0, Math.min(left, this.settings.handshakeTimeoutMs ?? Infinity)), this);
  }

  /** @internal */
  onRawError(err: NodeJS.ErrnoException): void {
    if (this.opened && !this.lastError && err.code) this.lastError = err.code;
  }

  /** @internal */
  onTimeout(): void {
    this.timer = undefined;
    if (!this.ws || this.ws.readyState !== WebSocket.CONNECTING) return;
    this.fail(!this.tcpUp ? 'connect timeout' : !this.transportUp ? 'TLS timeout' : 'timeout');
    this.ws.terminate();
  }

  /** @internal */
  onOpen(): void {
    this.opened = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.meter.trend(M.connecting, performance.now() - this.startedAt);
    this.meter.add(M.sessions);
    this.meter.opened();
    this.emit('open', { type: 'open' });
  }

  /** @internal */
  onError(err: Error): void {
    const kind = classifyError(err);
    if (!this.opened) {
      if (!this.closingByUs) this.fail(kind);
    } else {
      this.lastError ??= kind;
    }
    this.emit('error', { type: 'error', error: kind });
  }

  /** @internal */
  finish(code: number, reason: string): void {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.opened) {
      this.meter.closed();
      // a connection that broke (protocol error, reset) is lost even if the runner closed it afterwards
      if (!this.closingByUs || this.lastError) {
        this.meter.add(M.disconnects);
        this.meter.disconnect(classifyClose(code, this.lastError));
      }
    } else if (!this.failed && !this.closingByUs) {
      this.fail('closed before open');
    } else if (!this.failed && this.closingByUs) {
      this.meter.add(M.connectAborted);
    }
    // pings that can no longer be answered are lost
    const lost = this.pendingPings;
    for (let i = 0; i < lost; i++) this.meter.rate(M.pongRate, false);
    this.pending = undefined;
    this.appPending = undefined;
    this.emit('close', { type: 'close', code, reason });
    this.listeners = {};
    this.owner.socketDone(this);
  }

  /** @internal */
  onMessage(data: Buffer, isBinary: boolean): void {
    if (!isBinary && this.appPending && data.length >= APP_PONG_PREFIX.length && data.toString('latin1', 0, APP_PONG_PREFIX.length) === APP_PONG_PREFIX) {
      // a heartbeat, like a protocol pong: counted in the heartbeat, not in ws_msgs_received (app pings are not in ws_msgs_sent)
      const at = this.appPending.shift();
      if (at !== undefined) this.pong(at);
      return;
    }
    this.meter.add(M.msgsReceived);
    if (!this.listeners.message) return;
    const payload = isBinary ? (data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer) : data.toString();
    this.emit('message', { type: 'message', data: payload });
  }

  /** @internal */
  onPong(data: Buffer): void {
    if (!this.pending || data.length !== 4) return;
    const seq = data.readUInt32BE(0);
    const at = this.pending.get(seq);
    if (at === undefined) return; // unknown or already timed out
    this.pending.delete(seq);
    this.pong(at);
  }

  private pong(sentAt: number): void {
    const rtt = performance.now() - sentAt;
    if (rtt > this.settings.pongTimeoutMs) {
      this.meter.rate(M.pongRate, false);
      return;
    }
    this.meter.add(M.pongs);
    this.meter.rate(M.pongRate, true);
    this.meter.trend(M.ping, rtt);
    this.emit('pong', { type: 'pong' });
  }
}
