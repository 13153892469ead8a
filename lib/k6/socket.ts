import { clearTimeout, setTimeout } from 'k6/timers';
import { WebSocket } from 'k6/websockets';
import { ConnectionState } from '../core/connection-state';
import type { SocketOwner } from '../core/listeners';
import { ConnectParams, PingType, Socket } from '../scenario/types';
import { classifyK6Error } from './errors';
import { UNKNOWN_CLOSE_CODE } from './legacy';
import type { K6Metrics } from './metrics';

/** Settings shared by every socket of a bundle. */
export interface K6SocketSettings {
  connectTimeoutMs: number;
  pongTimeoutMs: number;
  pingType: PingType;
  /** k6 < 1.5 (a `--k6-legacy` bundle): close events carry no code (lib/k6/legacy.ts). */
  legacyCloseEvents?: boolean;
  /** `options.compression`: offer permessage-deflate (k6's `compression: 'deflate'`). */
  compression?: boolean;
  /** The VU's clock, in ms (lib/k6/clock.ts). */
  clock: () => number;
}

/** What the socket needs of k6's WebSocket params beyond the connection's own. */
export interface K6ConnectTags {
  /**
   * k6 tags every ws_* sample with `url` and `name`, the full URL by default: with `${vu}` or
   * `${token}` in the target that is one time series per VU, and the token in every output. The
   * `name` tag set here (the target template, secrets redacted) is what k6 then uses.
   */
  name: string;
}

/** The close event of `k6/websockets` (its typings leave out `code` and `reason`; k6 < 1.5 has neither). */
interface K6CloseEvent {
  code?: number;
  reason?: string;
}

const OPEN = 1;
const CLOSED = 3;
/** k6 reports a close frame from the server as an error too (`websocket: close <code>`); that is a close, not an error. */
const CLOSE_ERROR = 'websocket: close ';
const isCloseError = (text: string): boolean => {
  const c = text.charCodeAt(CLOSE_ERROR.length);
  return text.startsWith(CLOSE_ERROR) && c >= 48 && c <= 57;
};

/** What k6's `send` takes: a string or an ArrayBuffer (older k6 refuse a typed array), so a Uint8Array goes as its bytes' own buffer. */
function k6Data(data: string | ArrayBuffer | Uint8Array): string | ArrayBuffer {
  if (typeof data === 'string' || data instanceof ArrayBuffer) return data;
  const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer;
  return whole ? (data.buffer as ArrayBuffer) : (data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer);
}

/**
 * The k6 engine's socket: a thin adapter that turns `k6/websockets` events into the bookkeeping of
 * lib/core, as the Node socket does. What only k6 has: close() must not be called while connecting
 * (k6 blocks the VU's event loop until the dial ends), pongs carry no payload (matched by order),
 * and k6 itself records ws_connecting, ws_sessions, ws_ping and ws_msgs_* (the recorder skips them).
 */
export class K6Socket extends ConnectionState<K6SocketSettings> implements Socket {
  private readonly ws: WebSocket | undefined;
  private connectTimer: number | undefined;

  constructor(url: string, params: ConnectParams | undefined, tags: K6ConnectTags, metrics: K6Metrics, settings: K6SocketSettings, owner: SocketOwner) {
    super(metrics, settings, owner);
    let ws: WebSocket;
    try {
      // k6 takes the sub-protocols as a string or an array, though its typings say null
      const protocols = (params?.protocols ?? null) as null;
      const p = { tags: { name: tags.name }, ...(params?.headers ? { headers: params.headers } : {}), ...(settings.compression ? { compression: 'deflate' } : {}) };
      ws = new WebSocket(url, protocols, p as unknown as null);
    } catch (err) {
      // a URL k6 refuses: a failed attempt, never an exception out of the VU (as on Node)
      this.ws = undefined;
      this.attemptFailed(`invalid URL: ${String((err as Error)?.message ?? err).slice(0, 60)}`);
      setTimeout(() => this.transportClosed(1006, ''), 0);
      return;
    }
    this.ws = ws;
    ws.binaryType = 'arraybuffer';
    // k6's events, handled in the listeners themselves: a method of the class is a function object
    // of every VU runtime, a listener one of this socket's (bench/README.md "Cost per VU on k6")
    ws.addEventListener('open', () => {
      this.stopConnectTimer();
      if (!this.transportOpened()) {
        // timed out, or its VU ended while it connected: closed now (k6 could not close it while connecting)
        ws.close(1000, '');
        this.owner.settled(this);
      }
    });
    ws.addEventListener('error', (e) => {
      const text = (e as { error?: string }).error;
      if (text === undefined || !isCloseError(text)) this.transportError(classifyK6Error(text));
    });
    ws.addEventListener('close', (e) => {
      const c = e as unknown as K6CloseEvent;
      this.stopConnectTimer();
      if (c.code === undefined && settings.legacyCloseEvents) this.transportClosed(1006, c.reason ?? '', UNKNOWN_CLOSE_CODE);
      // gorilla/websocket gives no code when the connection just dropped: that is an abnormal closure
      else this.transportClosed(c.code ?? 1006, c.reason ?? '');
    });
    ws.addEventListener('message', (e) => {
      const data = (e as { data: unknown }).data as string | ArrayBuffer;
      if (this.isAppPong(data)) this.pongReceived();
      else this.messageReceived(data);
    });
    ws.addEventListener('pong', () => {
      if (this.protocolPings) this.pongReceived();
    });
    this.connectTimer = setTimeout(() => {
      this.connectTimer = undefined;
      // the dial goes on in k6; when it opens, it is closed (the open listener), and it is no session
      if (this.attempting && !this.closingByUs) this.attemptFailed('timeout');
    }, settings.connectTimeoutMs);
  }

  /** The finest clock k6 gives a script (lib/k6/clock.ts). */
  protected clock(): number {
    return this.settings.clock();
  }

  /** k6 hands scripts no pong payload. */
  protected get pongsCarrySeq(): boolean {
    return false;
  }

  get readyState(): number {
    return this.ws?.readyState ?? CLOSED;
  }

  get protocol(): string {
    return (this.ws as { protocol?: string } | undefined)?.protocol ?? '';
  }

  send(data: string | ArrayBuffer | Uint8Array): void {
    // k6 throws InvalidStateError unless open; the Node socket ignores the call, and so does this one
    const ws = this.ws;
    if (!ws || ws.readyState !== OPEN) return;
    if (this.admitSend(ws.bufferedAmount)) ws.send(k6Data(data));
  }

  ping(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== OPEN) return;
    this.pingSent();
    const frame = this.appPingFrame;
    if (frame !== undefined) ws.send(k6Data(frame));
    else ws.ping();
  }

  close(code = 1000, reason = ''): void {
    if (!this.closeByUs()) return;
    // close() on a connecting k6 socket blocks the VU's event loop until the dial ends: closed on open instead
    if (this.ws?.readyState === OPEN) this.ws.close(code, reason);
  }

  private stopConnectTimer(): void {
    if (this.connectTimer !== undefined) clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
  }
}
