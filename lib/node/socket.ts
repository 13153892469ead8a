import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { classifyClose, classifyError } from '../errors';
import { M } from '../metrics/names';
import type { ConnectParams, Socket, SocketEvent, SocketEventMap } from '../types';
import type { Meter } from './meter';

/** Settings shared by every socket of a worker. */
export interface SocketSettings {
  connectTimeoutMs: number;
  pongTimeoutMs: number;
  pingType: 'protocol' | 'app';
  /** Extra `ws` client options (TLS: `rejectUnauthorized`, `ca`). */
  wsOptions: WebSocket.ClientOptions;
}

type Listeners = { [K in SocketEvent]?: Array<(e: SocketEventMap[K]) => void> };

const APP_PING = '{"type":"ping"}';
const APP_PONG_PREFIX = '{"type":"pong"';

/**
 * A measured WebSocket. Every attempt ends in exactly one of: opened (ws_sessions) or
 * failed (one class in `errors`). An opened socket that the other side closes is one disconnect.
 */
export class NodeSocket implements Socket {
  private readonly ws: WebSocket;
  private readonly startedAt: number;
  private listeners: Listeners = {};
  private opened = false;
  private failed = false;
  private closingByUs = false;
  private lastError: string | undefined;
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
    private readonly onDone: (s: NodeSocket) => void,
  ) {
    meter.add(M.attempts);
    this.startedAt = performance.now();
    this.ws = new WebSocket(url, params?.protocols, {
      ...settings.wsOptions,
      handshakeTimeout: settings.connectTimeoutMs,
      perMessageDeflate: false,
      headers: params?.headers,
      localAddress,
    });
    this.ws.on('open', this.wsOnOpen);
    this.ws.on('error', this.wsOnError);
    this.ws.on('close', this.wsOnClose);
    this.ws.on('message', this.wsOnMessage);
    this.ws.on('pong', this.wsOnPong);
  }

  get readyState(): number {
    return this.ws.readyState;
  }

  get isOpen(): boolean {
    return this.opened && this.ws.readyState === WebSocket.OPEN;
  }

  addEventListener<K extends SocketEvent>(event: K, listener: (e: SocketEventMap[K]) => void): void {
    const list = (this.listeners[event] ??= []) as Array<(e: SocketEventMap[K]) => void>;
    list.push(listener);
  }

  private emit<K extends SocketEvent>(event: K, payload: SocketEventMap[K]): void {
    const list = this.listeners[event] as Array<(e: SocketEventMap[K]) => void> | undefined;
    if (list) for (const fn of list) fn(payload);
  }

  send(data: string | ArrayBuffer | Uint8Array): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.meter.add(M.msgsSent);
    this.ws.send(data);
  }

  ping(): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const now = performance.now();
    this.expirePings(now);
    this.meter.add(M.pings);
    if (this.settings.pingType === 'app') {
      (this.appPending ??= []).push(now);
      this.ws.send(APP_PING);
      return;
    }
    const seq = (this.pingSeq = (this.pingSeq + 1) >>> 0);
    (this.pending ??= new Map()).set(seq, now);
    const payload = Buffer.allocUnsafe(4);
    payload.writeUInt32BE(seq, 0);
    this.ws.ping(payload);
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
    if (n > 0) this.meter.add('ws_pings_unresolved', n);
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
    if (this.closingByUs) return;
    this.closingByUs = true;
    if (this.ws.readyState === WebSocket.CONNECTING) {
      // an attempt cut short by the end of the run is neither a success nor a server failure
      this.ws.terminate();
      return;
    }
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(code, reason);
  }

  /** Drops the socket without a close handshake (used when the close handshake does not finish). */
  terminate(): void {
    this.closingByUs = true;
    this.ws.terminate();
  }

  private fail(kind: string): void {
    if (this.opened || this.failed) return;
    this.failed = true;
    this.meter.add(M.connectErrors);
    this.meter.error(kind);
  }

  private readonly wsOnOpen = (): void => {
    this.opened = true;
    this.meter.trend(M.connecting, performance.now() - this.startedAt);
    this.meter.add(M.sessions);
    this.meter.opened();
    this.emit('open', { type: 'open' });
  };

  private readonly wsOnError = (err: Error): void => {
    const kind = classifyError(err);
    if (!this.opened) {
      if (!this.closingByUs) this.fail(kind);
    } else {
      this.lastError = kind;
    }
    this.emit('error', { type: 'error', error: kind });
  };

  private readonly wsOnClose = (code: number, reason: Buffer): void => {
    if (this.opened) {
      this.meter.closed();
      if (!this.closingByUs) {
        this.meter.add(M.disconnects);
        this.meter.disconnect(classifyClose(code, this.lastError));
      }
    } else if (!this.failed && !this.closingByUs) {
      this.fail('closed before open');
    } else if (!this.failed && this.closingByUs) {
      this.meter.add('ws_connect_aborted');
    }
    // pings that can no longer be answered are lost
    const lost = this.pendingPings;
    for (let i = 0; i < lost; i++) this.meter.rate(M.pongRate, false);
    this.pending = undefined;
    this.appPending = undefined;
    this.emit('close', { type: 'close', code, reason: reason.toString() });
    this.listeners = {};
    this.onDone(this);
  };

  private readonly wsOnMessage = (data: Buffer, isBinary: boolean): void => {
    this.meter.add(M.msgsReceived);
    if (!isBinary) {
      const text = data.toString();
      if (this.appPending && text.startsWith(APP_PONG_PREFIX)) {
        const at = this.appPending.shift();
        if (at !== undefined) this.pong(at);
        return;
      }
      this.emit('message', { type: 'message', data: text });
    } else {
      this.emit('message', { type: 'message', data: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer });
    }
  };

  private readonly wsOnPong = (data: Buffer): void => {
    if (!this.pending || data.length !== 4) return;
    const seq = data.readUInt32BE(0);
    const at = this.pending.get(seq);
    if (at === undefined) return; // unknown or already timed out
    this.pending.delete(seq);
    this.pong(at);
  };

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
