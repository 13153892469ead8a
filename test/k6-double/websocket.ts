import WebSocket from 'ws';
import type { VirtualClock } from './clock';
import { hasCloseCode, K6Version } from './modules';
import type { Registry } from './registry';

/**
 * k6's WebSocket (k6/websockets, k6/experimental/websockets) over a REAL `ws` client, so a real
 * loopback server sees every connection, ping and close. Encoded from k6's
 * internal/js/modules/k6/websockets/websockets.go (and the experimental copy before v1.6):
 * - ws_sessions and ws_connecting for every dial, opened or not (emitConnectionMetrics);
 *   ws_msgs_sent for every frame written, pings and close frames included (writePump);
 *   ws_msgs_received per message while OPEN (queueMessage); ws_ping per pong of a known ping id
 *   (trackPong); ws_session_duration when an opened connection ends (loop).
 * - tags `url` and `name`: both the full URL, or both the `name` tag given in params.tags.
 * - send/ping throw InvalidStateError unless OPEN; close codes must be 1000 or 3000-4999.
 * - a failed dial: error listeners (Go error text), then close listeners without a code.
 * - a close frame other than 1000/1001, or a dropped connection (gorilla: close 1006, unexpected
 *   EOF), also reaches error listeners; the close event has `code`/`reason` from k6 v1.5.0 only.
 */

type Listener = (e: Record<string, unknown>) => void;

/** What the double saw of one `new WebSocket(...)`. */
export interface SocketRecord {
  url: string;
  protocols: unknown;
  params: unknown;
  vu: number;
  /** Virtual time of the constructor call. */
  at: number;
  pings: number;
  sent: number;
  closeCalls: Array<{ code?: number; reason?: string }>;
  events: string[];
  /** The close event as the script saw it. */
  closeEvent?: Record<string, unknown>;
  double: { readyState: number };
}

/** What a WebSocket needs of its VU's realm. */
export interface SocketHost {
  readonly vu: number;
  readonly version: K6Version;
  readonly clock: VirtualClock;
  readonly registry: Registry;
  readonly inInit: boolean;
  /** Runs a callback on the VU's event loop (dropped once the iteration was interrupted). */
  run(fn: () => void): void;
  opened(rec: SocketRecord, real: WebSocket): void;
  closed(rec: SocketRecord, real: WebSocket): void;
}

const GO_DIAL: Array<[RegExp, (host: string) => string]> = [
  [/ECONNREFUSED/, (h) => `dial tcp ${h}: connect: connection refused`],
  [/ECONNRESET/, (h) => `read tcp ${h}: read: connection reset by peer`],
];

/** gorilla/websocket CloseError.Error(): the code, its name for the codes it knows, then the text. */
const CLOSE_NAMES: Record<number, string> = { 1000: 'normal', 1001: 'going away', 1002: 'protocol error', 1003: 'unsupported data', 1006: 'abnormal closure', 1007: 'invalid payload data', 1008: 'policy violation', 1009: 'message too big', 1011: 'internal server error' };
function closeErrorText(code: number, text: string): string {
  const name = CLOSE_NAMES[code];
  return `websocket: close ${code}${name ? ` (${name})` : ''}${text ? `: ${text}` : ''}`;
}

export function webSocketClass(host: SocketHost): unknown {
  return class K6WebSocketDouble {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readyState = 0;
    binaryType = 'blob';
    readonly url: string;
    private readonly listeners = new Map<string, Listener[]>();
    private readonly real: WebSocket;
    private readonly rec: SocketRecord;
    private readonly tags: Record<string, string>;
    private readonly pingTimes = new Map<string, number>();
    private started = 0;
    private closeCode = 0;

    constructor(url: string, protocols?: unknown, params?: { headers?: Record<string, string>; tags?: Record<string, string> } | null) {
      if (host.inInit) throw new Error('using websockets in the init context is not supported');
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(String(url))?.[1] ?? '';
      if (scheme !== 'ws' && scheme !== 'wss') throw new Error(`WebSocket requires url with scheme ws or wss, but got "${scheme}"`);
      this.url = String(url);
      const name = params?.tags?.name;
      // k6: "After k6 v0.41.0, the `name` and `url` tags have the exact same values"
      this.tags = name !== undefined ? { url: String(name), name: String(name) } : { url: this.url, name: this.url };
      this.rec = { url: this.url, protocols, params, vu: host.vu, at: host.clock.now, pings: 0, sent: 0, closeCalls: [], events: [], double: this };
      const list = Array.isArray(protocols) ? (protocols as string[]) : typeof protocols === 'string' ? [protocols] : undefined;
      this.started = host.clock.now;
      this.real = new WebSocket(this.url, list, { headers: params?.headers ?? undefined, perMessageDeflate: false });
      host.opened(this.rec, this.real);
      const hostPort = new URL(this.url).host;
      let failure: string | undefined;
      let wasOpen = false;
      this.real.on('upgrade', (res) => (this.tags.status = String(res.statusCode)));
      this.real.on('unexpected-response', (_req, res) => {
        this.tags.status = String(res.statusCode);
        failure = 'websocket: bad handshake';
        this.real.terminate();
      });
      this.real.on('open', () => {
        wasOpen = true;
        this.dialMetrics();
        host.run(() => {
          if (this.readyState !== 0) return;
          this.readyState = 1;
          this.dispatch('open', {});
        });
      });
      this.real.on('error', (err: Error & { code?: string }) => {
        const text = `${err.code ?? ''} ${err.message}`;
        const go = GO_DIAL.find(([re]) => re.test(text));
        failure ??= go ? go[1](hostPort) : err.message;
      });
      this.real.on('close', (code: number, reason: Buffer) => {
        host.closed(this.rec, this.real);
        if (!wasOpen) {
          this.dialMetrics();
          host.run(() => {
            this.readyState = 3;
            this.dispatch('error', { error: failure ?? 'websocket: bad handshake' });
            this.dispatchClose();
          });
          return;
        }
        this.push('ws_session_duration', host.clock.now - this.started);
        host.run(() => {
          if (this.readyState === 3) return;
          this.readyState = 3;
          const text = reason.toString();
          // gorilla: a closed TCP connection without a close frame is close 1006 "unexpected EOF"
          const gotCode = code;
          if (gotCode !== 0) this.closeCode = gotCode;
          const closeText = code === 1006 ? 'unexpected EOF' : text;
          if (gotCode !== 1000 && gotCode !== 1001 && gotCode !== 0) this.dispatch('error', { error: closeErrorText(gotCode, closeText) });
          this.dispatchClose(hasCloseCode(host.version) ? closeText : undefined);
        });
      });
      this.real.on('message', (data: Buffer, isBinary: boolean) => {
        host.run(() => {
          if (this.readyState !== 1) return;
          this.push('ws_msgs_received', 1);
          const payload = isBinary
            ? this.binaryType === 'arraybuffer' ? data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) : { blob: true }
            : data.toString();
          this.dispatch('message', { data: payload });
        });
      });
      this.real.on('pong', (data: Buffer) => {
        host.run(() => {
          const sentAt = this.pingTimes.get(data.toString());
          if (sentAt !== undefined) this.push('ws_ping', host.clock.now - sentAt);
          this.dispatch('pong', {});
        });
      });
    }

    get bufferedAmount(): number {
      return this.real.bufferedAmount;
    }

    /** The subprotocol the server chose ('' before open), as k6's WebSocket gives it. */
    get protocol(): string {
      return this.real.protocol;
    }

    addEventListener(event: string, fn: Listener): void {
      if (typeof fn !== 'function') throw new Error(`handler for event type "${event}" isn't a callable function`);
      const list = this.listeners.get(event) ?? [];
      list.push(fn);
      this.listeners.set(event, list);
    }

    send(data: unknown): void {
      if (this.readyState !== 1) throw new Error('InvalidStateError');
      // what every k6 takes: a string or an ArrayBuffer (lib/k6/socket.ts sends a typed array's bytes as one)
      const type = Object.prototype.toString.call(data); // the bundle's realm has its own ArrayBuffer: no instanceof
      if (typeof data !== 'string' && type !== '[object ArrayBuffer]') throw new Error(`unsupported send type ${type}`);
      this.rec.sent++;
      // k6 copies the bytes (into Go's []byte); ws masks a Buffer over the script's own ArrayBuffer in place, so the double copies too
      const frame = typeof data === 'string' ? data : Buffer.from(new Uint8Array(data as ArrayBuffer));
      this.real.send(frame, () => this.push('ws_msgs_sent', 1));
    }

    ping(): void {
      if (this.readyState !== 1) throw new Error('InvalidStateError');
      const id = String(this.rec.pings++);
      this.pingTimes.set(id, host.clock.now);
      this.real.ping(id, undefined, () => this.push('ws_msgs_sent', 1));
    }

    close(code?: number, reason?: string): void {
      this.rec.closeCalls.push({ code, reason });
      if (this.readyState === 0) throw new Error('double: close() on a CONNECTING k6 WebSocket blocks k6\'s event loop until the dial ends');
      if (this.readyState >= 2) return;
      if (code !== undefined && code !== 0 && code !== 1000 && !(code >= 3000 && code <= 4999)) {
        throw new Error(`InvalidAccessError: Failed to execute 'close' on 'WebSocket': The close code must be either 1000, or between 3000 and 4999. ${code} is neither`);
      }
      this.readyState = 2;
      this.closeCode = code || 1000;
      this.push('ws_msgs_sent', 1);
      this.real.close(code || 1000, reason ?? '');
    }

    /** The VU was interrupted: k6 queues close(1000, "") and forwards no more events (loop, ctxDone). */
    interrupt(): void {
      if (this.real.readyState === WebSocket.OPEN) this.real.close(1000, '');
      else if (this.real.readyState === WebSocket.CONNECTING) this.real.terminate();
    }

    private dialMetrics(): void {
      this.push('ws_sessions', 1);
      this.push('ws_connecting', host.clock.now - this.started);
    }

    private push(metric: string, value: number): void {
      host.registry.push(host.registry.get(metric)!, value, this.tags, host.vu, host.clock.now);
    }

    private dispatchClose(reason?: string): void {
      const fields: Record<string, unknown> = {};
      if (hasCloseCode(host.version)) {
        if (this.closeCode !== 0) fields.code = this.closeCode;
        fields.reason = reason ?? '';
      }
      this.rec.closeEvent = fields;
      this.dispatch('close', fields);
    }

    private dispatch(type: string, fields: Record<string, unknown>): void {
      this.rec.events.push(type);
      const e = { type, timestamp: host.clock.now, ...fields };
      for (const fn of this.listeners.get(type) ?? []) fn(e);
    }
  };
}
