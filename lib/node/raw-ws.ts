import net from 'node:net';
import tls from 'node:tls';
import WebSocket from 'ws';
import { tlsOptions } from './connect-hooks';
import { checkProtocols, checkUpgrade, codedError, isUpgradeAnswer, MAX_HEAD_BYTES, newKey, parseResponseHead, parseTarget, requestHead } from './raw-upgrade';
import { bodyNamesRefusal, REFUSAL_BODY_BYTES, refusalError } from './refused-upgrade';
import { leanListeners } from './raw-events';
import type { ConnectOpts, RawClientOptions } from './raw-options';

/**
 * A WebSocket client that does its own upgrade over `net`/`tls` and then hands the socket to
 * `ws`'s framing, the way `WebSocketServer` does (`setSocket`), in client mode (masked frames
 * out, unmasked in). So an open connection is exactly a `ws` WebSocket (same Receiver, Sender,
 * close handshake, events and error codes), but getting there costs no `http.ClientRequest`,
 * HTTP parser or `IncomingMessage`. test/raw-ws*.test.ts runs every fault-server case against
 * both and asserts identical outcomes.
 *
 * Same constructor as `ws`'s client for the options wsbench uses. Handlers are shared functions
 * that find their connection through a symbol on the socket: no closure per connection.
 */

/** ws's private members this class builds on (stable through ws 8: WebSocketServer uses them). */
interface WsInternals {
  _readyState: number;
  _isServer: boolean;
  _bufferedAmount: number;
  _redirects: number;
  _url: string;
  _protocol: string;
  _errorEmitted: boolean;
  setSocket(socket: net.Socket, head: Buffer, opts: Record<string, unknown>): void;
  emitClose(): void;
}

const kRaw = Symbol('wsbench.raw-ws');
type Tagged = net.Socket & { [kRaw]?: RawWebSocket };
const internals = (ws: RawWebSocket): WsInternals => ws as unknown as WsInternals;
const ABORTED = 'WebSocket was closed before the connection was established';
const NO_PROTOCOLS: readonly string[] = Object.freeze([]); // one for every connection that offers none: kept as long as it
// ws's client defaults for what setSocket takes (lib/websocket.js initAsClient)
const FRAMING = { allowSynchronousEvents: true, generateMask: undefined, maxBufferedChunks: 256 * 1024, maxFragments: 16 * 1024, skipUTF8Validation: false };
const WS_DEFAULTS = { autoPong: true, maxPendingAutoPongs: 60, closeTimeout: 30_000 };

const netConnect = (opts: ConnectOpts): net.Socket => net.connect({ ...opts, path: opts.socketPath } as net.NetConnectOpts);
const tlsConnect = (opts: ConnectOpts): net.Socket => tls.connect(tlsOptions(opts));

export class RawWebSocket extends WebSocket {
  /** During the upgrade only (all dropped at open): the socket, the key sent, the answer so far. */
  private rawSocket: Tagged | undefined;
  private rawKey: string | undefined;
  private rawHead: Buffer | undefined;
  /** A refusal whose body is being read, to name it (lib/node/refused-upgrade.ts): its status, the body so far, the bytes wanted. */
  private rawBody: { status: number; text: string; need: number } | undefined;
  private rawSecure = false;
  private readonly rawProtocols: readonly string[];
  private readonly rawMaxPayload: number;

  constructor(address: string | URL, protocols?: string | readonly string[] | RawClientOptions, options: RawClientOptions = {}) {
    super(null as unknown as string, undefined, WS_DEFAULTS as WebSocket.ClientOptions);
    leanListeners(this);
    const self = internals(this);
    self._isServer = false; // client mode: the Receiver refuses masked frames, the Sender masks
    self._bufferedAmount = 0;
    self._redirects = 0;
    if (options.perMessageDeflate !== false && options.perMessageDeflate !== undefined) throw new TypeError('RawWebSocket: perMessageDeflate is not supported');
    // ws's signatures: (url), (url, protocols), (url, protocols, options), (url, options)
    if (protocols !== undefined && typeof protocols === 'object' && !Array.isArray(protocols)) {
      options = protocols as RawClientOptions;
      protocols = undefined;
    }
    const list: readonly string[] = protocols === undefined ? NO_PROTOCOLS : typeof protocols === 'string' ? [protocols] : (protocols as readonly string[]);
    const target = parseTarget(address);
    self._url = target.href;
    checkProtocols(list);
    this.rawProtocols = list;
    this.rawMaxPayload = options.maxPayload ?? 100 * 1024 * 1024;
    const key = newKey();
    const u = new URL(target.href);
    const auth = u.username || u.password ? `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}` : undefined;
    // throws (bad header name or value) before any socket exists, as http.request does
    const head = requestHead(target, key, list, options.headers, auth);
    const connect = options.createConnection ?? (target.secure ? tlsConnect : netConnect);
    const { headers: _h, maxPayload: _m, handshakeTimeout, perMessageDeflate: _p, createConnection: _c, ...transport } = options;
    this.rawKey = key;
    this.rawSecure = target.secure;
    const later = (err: Error | null, s?: net.Socket): void => this.onSocket(err, s, head, handshakeTimeout);
    const socket = connect({ ...transport, host: target.host, port: target.port, path: target.path, socketPath: undefined }, later);
    if (socket) this.attach(socket, head, handshakeTimeout);
  }

  /** @internal the socket of a createConnection that answered later: dropped if the attempt ended meanwhile */
  onSocket(err: Error | null, socket: net.Socket | undefined, head: string, handshakeTimeout: number | undefined): void {
    if (this.readyState !== WebSocket.CONNECTING) {
      socket?.on('error', ignore).destroy();
      return;
    }
    if (err || !socket) fail(this, err ?? new Error('no socket'), false);
    else this.attach(socket, head, handshakeTimeout);
  }

  private attach(raw: net.Socket, head: string, handshakeTimeout: number | undefined): void {
    const socket = raw as Tagged;
    this.rawSocket = socket;
    socket[kRaw] = this;
    socket.on('data', rawOnData);
    socket.on('error', rawOnError);
    socket.on('end', rawOnHangUp);
    socket.on('close', rawOnHangUp);
    if (handshakeTimeout) {
      socket.setTimeout(handshakeTimeout);
      socket.on('timeout', rawOnTimeout);
    }
    // net and tls hold writes made before the connection (and TLS) is up: no 'connect' listener needed
    socket.write(head);
  }

  override close(code?: number, data?: string | Buffer): void {
    if (this.readyState === WebSocket.CONNECTING) abort(this, new Error(ABORTED));
    else super.close(code, data);
  }

  override terminate(): void {
    if (this.readyState === WebSocket.CONNECTING) abort(this, new Error(ABORTED));
    else super.terminate();
  }

  /** @internal bytes of the answer to the upgrade */
  onHandshakeData(chunk: Buffer): void {
    if (this.rawBody) return this.onRefusalBody(chunk.toString('latin1'));
    const buf = this.rawHead ? Buffer.concat([this.rawHead, chunk]) : chunk;
    const end = buf.indexOf('\r\n\r\n', Math.max(0, (this.rawHead?.length ?? 0) - 3), 'latin1');
    if (end < 0 || end > MAX_HEAD_BYTES) {
      if (end > MAX_HEAD_BYTES || buf.length > MAX_HEAD_BYTES) return fail(this, codedError('Parse Error: Header overflow', 'HPE_HEADER_OVERFLOW'));
      this.rawHead = buf;
      return;
    }
    this.rawHead = undefined;
    const res = parseResponseHead(buf.toString('latin1', 0, end));
    if (res instanceof Error) return fail(this, res);
    if (res.status >= 100 && res.status < 200 && res.status !== 101) return this.onHandshakeData(buf.subarray(end + 4)); // 1xx information: the answer follows
    if (!isUpgradeAnswer(res)) {
      if (!bodyNamesRefusal(res.status, this.rawSecure)) return fail(this, refusalError(res.status, ''));
      const need = Math.min(Number(res.headers.get('content-length') ?? REFUSAL_BODY_BYTES) || 0, REFUSAL_BODY_BYTES);
      this.rawBody = { status: res.status, text: '', need };
      return this.onRefusalBody(buf.toString('latin1', end + 4));
    }
    const verdict = checkUpgrade(res, this.rawKey as string, this.rawProtocols);
    if ('error' in verdict) return fail(this, new Error(verdict.error));
    const socket = this.rawSocket as Tagged;
    detach(this, socket);
    internals(this)._protocol = verdict.protocol;
    internals(this).setSocket(socket, buf.subarray(end + 4), { ...FRAMING, maxPayload: this.rawMaxPayload });
  }

  /** @internal the socket before the upgrade finished: every failure is one error, then close (a refusal: with what its body said) */
  onHandshakeError(err: Error): void {
    const refused = this.rawBody;
    if (refused) fail(this, refusalError(refused.status, refused.text));
    else fail(this, err, false);
  }

  private onRefusalBody(text: string): void {
    const r = this.rawBody as { status: number; text: string; need: number };
    r.text += text;
    // whole: its Content-Length read, or the last chunk of a chunked body (a server may keep the connection open)
    if (r.text.length >= r.need || r.text.includes('\r\n0\r\n\r\n') || r.text.startsWith('0\r\n\r\n')) fail(this, refusalError(r.status, r.text));
  }

  /** @internal */
  detachRaw(): Tagged | undefined {
    const s = this.rawSocket;
    this.rawSocket = undefined;
    this.rawKey = undefined;
    this.rawHead = undefined;
    this.rawBody = undefined;
    return s;
  }
}

function rawOnData(this: Tagged, chunk: Buffer): void {
  this[kRaw]?.onHandshakeData(chunk);
}
function rawOnError(this: Tagged, err: Error): void {
  this[kRaw]?.onHandshakeError(err);
}
/** The server hung up before answering: Node's http says ECONNRESET "socket hang up". */
function rawOnHangUp(this: Tagged): void {
  this[kRaw]?.onHandshakeError(codedError('socket hang up', 'ECONNRESET'));
}
function rawOnTimeout(this: Tagged): void {
  const ws = this[kRaw];
  if (ws) abort(ws, new Error('Opening handshake has timed out'));
}

function detach(ws: RawWebSocket, socket: Tagged): void {
  ws.detachRaw();
  socket[kRaw] = undefined;
  socket.removeListener('data', rawOnData);
  socket.removeListener('error', rawOnError);
  socket.removeListener('end', rawOnHangUp);
  socket.removeListener('close', rawOnHangUp);
  socket.removeListener('timeout', rawOnTimeout);
  socket.setTimeout(0);
}

function emitErrorAndClose(ws: RawWebSocket, err: Error): void {
  const w = internals(ws);
  w._readyState = WebSocket.CLOSING;
  w._errorEmitted = true;
  ws.emit('error', err);
  w.emitClose(); // no socket attached: CLOSED, then 'close' (1006, empty reason)
}

/**
 * The upgrade failed: the socket is dropped and the error and close events follow, on the next
 * tick when we cut it (ws's abortHandshake), at once when the socket itself failed (ws's req 'error').
 */
function fail(ws: RawWebSocket, err: Error, later = true): void {
  if (ws.readyState !== WebSocket.CONNECTING) return;
  internals(ws)._readyState = WebSocket.CLOSING;
  const socket = ws.detachRaw();
  if (socket) {
    detach(ws, socket);
    socket.on('error', ignore); // a late error of a socket we dropped belongs to nobody
    socket.destroy();
  }
  if (later) process.nextTick(emitErrorAndClose, ws, err);
  else emitErrorAndClose(ws, err);
}

function abort(ws: RawWebSocket, err: Error): void {
  fail(ws, err, true);
}

function ignore(): void {}
