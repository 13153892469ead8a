import { performance } from 'node:perf_hooks';
import type WebSocket from 'ws';
import { ConnectionState } from '../core/connection-state';
import type { SocketOwner } from '../core/listeners';
import { classifyError } from '../core/errors';
import { APP_PONG_PREFIX, ConnectParams, PingType, Socket } from '../scenario/types';
import type { Meter } from './meter';
import { leave } from './leave';
import type { ProxyResolver } from './proxy-route';
import type { TransportHooks, WsClientFactory, WsClientLike } from './transport';
import { wsClient } from './ws-client';

/** Settings shared by every socket of a worker. */
export interface SocketSettings {
  /** The whole attempt: TCP connect, TLS, upgrade. */
  connectTimeoutMs: number;
  /** The upgrade alone, from TCP (and TLS) up to the 101 answer. Default: connectTimeoutMs. */
  handshakeTimeoutMs?: number;
  pongTimeoutMs: number;
  pingType: PingType;
  /** Largest message accepted from the server; larger ones close the connection with 1009. */
  maxMessageBytes?: number;
  /** Extra `ws` client options (TLS: `rejectUnauthorized`, `ca`). */
  wsOptions: WebSocket.ClientOptions;
  /** The WebSocket client (lib/node/transport.ts). Default: `ws`. */
  client?: WsClientFactory;
  /** Each connection's HTTP proxy, if any (lib/node/proxy-route.ts). */
  proxy?: ProxyResolver;
}

export type { SocketOwner };

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;
/** How far the attempt got below the WebSocket (to name the phase that timed out). */
const TCP_UP = 1;
const TRANSPORT_UP = 2;

/** The NodeSocket behind a client: handlers are shared functions, not closures per connection (memory at 100K). */
const SOCKET_OF = Symbol('wsbench.socket');
type Owned = WsClientLike & { [SOCKET_OF]: NodeSocket };

function wsOnOpen(this: WsClientLike): void {
  (this as Owned)[SOCKET_OF].onOpen();
}
function wsOnError(this: WsClientLike, err: Error): void {
  (this as Owned)[SOCKET_OF].onError(err);
}
function wsOnClose(this: WsClientLike, code: number, reason: Buffer): void {
  (this as Owned)[SOCKET_OF].onClose(code, reason.toString());
}
function wsOnMessage(this: WsClientLike, data: Buffer, isBinary: boolean): void {
  (this as Owned)[SOCKET_OF].onMessage(data, isBinary);
}
function wsOnPong(this: WsClientLike, data: Buffer): void {
  (this as Owned)[SOCKET_OF].onPong(data);
}
/** A frame as the scenario sees it: text as a string, binary as an ArrayBuffer of its own. */
function payloadOf(data: Buffer, isBinary: boolean): string | ArrayBuffer {
  return isBinary ? (data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer) : data.toString();
}
function onTimeout(s: NodeSocket): void {
  s.onTimeout();
}
function refusedClose(s: NodeSocket): void {
  s.onClose(1006, '');
}

/**
 * The Node engine's socket: a thin adapter that turns a client's events (lib/node/transport.ts)
 * into the bookkeeping of lib/core (what counts as an attempt, a failure, a disconnect, a pong),
 * and owns what only Node has: the connect and handshake timers, and protocol pings that carry
 * their sequence number.
 */
export class NodeSocket extends ConnectionState<SocketSettings> implements Socket, TransportHooks {
  private readonly ws: WsClientLike | undefined;
  private timer: NodeJS.Timeout | undefined;
  private phase = 0;

  constructor(url: string, params: ConnectParams | undefined, localAddress: string | undefined, meter: Meter, settings: SocketSettings, owner: SocketOwner) {
    super(meter, settings, owner);
    try {
      this.ws = (settings.client ?? wsClient)(
        {
          url, protocols: params?.protocols, headers: params?.headers, localAddress, maxPayload: settings.maxMessageBytes ?? 1_048_576,
          options: settings.wsOptions, proxy: settings.proxy?.(url),
        },
        this,
      );
    } catch (err) {
      // a URL, header or subprotocol that the client refuses: a failed attempt, never an exception out of the VU
      this.ws = undefined;
      const e = err as { code?: string; message?: string };
      this.attemptFailed(e?.code ?? `invalid request: ${String(e?.message ?? err).slice(0, 60)}`);
      setImmediate(refusedClose, this);
      return;
    }
    this.timer = setTimeout(onTimeout, settings.connectTimeoutMs, this);
    const ws = this.ws as Owned;
    ws[SOCKET_OF] = this;
    ws.on('open', wsOnOpen);
    ws.on('error', wsOnError);
    ws.on('close', wsOnClose);
    ws.on('message', wsOnMessage);
    ws.on('pong', wsOnPong);
  }

  protected clock(): number {
    return performance.now();
  }

  protected get pongsCarrySeq(): boolean {
    return this.protocolPings;
  }

  get readyState(): number {
    return this.ws?.readyState ?? CLOSED;
  }

  get protocol(): string {
    return this.ws?.protocol ?? '';
  }

  get isOpen(): boolean {
    return this.opened && this.readyState === OPEN;
  }

  /** Ignored unless open (as a closed socket's sends are); past the buffer limit, refused and counted. */
  send(data: string | ArrayBuffer | Uint8Array): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== OPEN) return;
    if (this.admitSend(ws.bufferedAmount)) ws.send(data);
  }

  ping(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== OPEN) return;
    const seq = this.pingSent();
    const frame = this.appPingFrame;
    if (frame !== undefined) {
      ws.send(frame);
      return;
    }
    const payload = Buffer.allocUnsafe(4);
    payload.writeUInt32BE(seq, 0);
    ws.ping(payload);
  }

  close(code = 1000, reason = ''): void {
    if (!this.ws || !this.closeByUs()) return;
    // an attempt cut short by the runner (end of run, VU stopped) is neither a success nor a failure
    if (this.ws.readyState === CONNECTING) this.ws.terminate();
    else if (this.ws.readyState === OPEN) this.ws.close(code, reason);
  }

  /**
   * The runner's close (the VU stopped, the run ended): an open connection gets the close frame
   * and the FIN, and is done at once (lib/node/leave.ts); anything else closes as `close()` does.
   */
  leave(code: number, reason: string): void {
    if (this.ws && !this.closingByUs && leave(this.ws, code, reason)) {
      this.closeByUs();
      this.stopTimer();
      this.transportClosed(code, reason);
      return;
    }
    this.close(code, reason);
  }

  /** Drops the socket without a close handshake (used when the close handshake does not finish). */
  terminate(): void {
    this.closeByUs();
    this.ws?.terminate();
  }

  /** @internal TransportHooks */
  tcpUp(): void {
    this.phase |= TCP_UP;
  }

  /** @internal TransportHooks: the server now has `handshakeTimeout` to answer the upgrade, within the attempt's deadline. */
  transportUp(): void {
    this.phase |= TRANSPORT_UP;
    const handshake = this.settings.handshakeTimeoutMs;
    // without a shorter handshake timeout the attempt's own deadline stands: no timer to re-arm
    if (!this.attempting || !this.timer || handshake === undefined || handshake >= this.settings.connectTimeoutMs) return;
    clearTimeout(this.timer);
    const left = this.settings.connectTimeoutMs - (performance.now() - this.startedAt);
    this.timer = setTimeout(onTimeout, Math.max(0, Math.min(left, handshake)), this);
  }

  /** @internal TransportHooks */
  rawError(err: Error & { code?: string }): void {
    if (err.code) this.brokenBy(err.code);
  }

  /** @internal */
  onTimeout(): void {
    this.timer = undefined;
    if (!this.ws || this.ws.readyState !== CONNECTING) return;
    this.attemptFailed((this.phase & TCP_UP) === 0 ? 'connect timeout' : (this.phase & TRANSPORT_UP) === 0 ? 'TLS timeout' : 'timeout');
    this.ws.terminate();
  }

  /** @internal */
  onOpen(): void {
    this.stopTimer();
    if (!this.transportOpened()) this.ws?.terminate();
  }

  /** @internal */
  onError(err: Error): void {
    this.transportError(classifyError(err));
  }

  /** @internal */
  onClose(code: number, reason: string): void {
    this.stopTimer();
    this.transportClosed(code, reason);
  }

  /** @internal */
  onMessage(data: Buffer, isBinary: boolean): void {
    if (this.awaitsAppPong && this.isAppPongFrame(data, isBinary)) {
      // a heartbeat, like a protocol pong: not in ws_msgs_received (app pings are not in ws_msgs_sent)
      this.pongReceived();
      return;
    }
    if (!this.hasListeners('message')) return this.messageReceived(undefined);
    this.messageReceived(payloadOf(data, isBinary));
  }

  /** @internal */
  onPong(data: Buffer): void {
    if (data.length === 4 && this.protocolPings) this.pongReceived(data.readUInt32BE(0));
  }

  /** The app pong of `pingType: 'app'` is read from its first bytes; a protocol's own is judged on the frame (only while a ping waits). */
  private isAppPongFrame(data: Buffer, isBinary: boolean): boolean {
    if (this.ownHeartbeat) return this.isAppPong(payloadOf(data, isBinary));
    return !isBinary && data.length >= APP_PONG_PREFIX.length && this.isAppPong(data.toString('latin1', 0, APP_PONG_PREFIX.length));
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
