import { M } from '../core/metric-names';
import { RequestOptions, Requests } from '../helpers/request';
import type { Socket, VuContext } from '../scenario/types';
import { Handshake } from './session';
import { encodePacket, Packet, PacketReader, PacketType, SocketIOMalformed } from './socketio-codec';
import { EIO, EngineOpen, parseOpen } from './socketio-engine';
import { CONNECT_TIMEOUT, MALFORMED, OPEN_TIMEOUT, SERVER_DISCONNECT } from './socketio-errors';
import { EngineHeartbeat } from './socketio-heartbeat';
import { AckHandler, Auth, Namespace, NamespaceHost } from './socketio-namespace';

/** WebSocket open → the Engine.IO open packet, ms (the names: lib/core/metric-names.ts). */
export const OPEN_MS = M.socketioOpen;
/** A namespace's CONNECT → the server's CONNECT answer, ms. */
export const CONNECT_MS = M.socketioConnect;
/** An event emitted with an ack → its ACK, ms (also the summary's acks). */
export const ACK_MS = M.socketioAck;

/** Settings of a `SocketIO` connection. */
export interface SocketIOOptions {
  /** Where acks are timed (a `Requests`). Default `{ trend: 'socketio_ack_ms', acks: true }`: also the summary's acks. */
  acks?: RequestOptions;
  /** How long the open packet and each CONNECT answer may take. Default: the run's handshake timeout (else its connect timeout). */
  handshakeTimeoutMs?: number;
}

/** The default of `SocketIOOptions.acks`. */
export const ACKS: RequestOptions = { trend: ACK_MS, acks: true };

/**
 * A Socket.IO v4 client over one wsbench Socket opened to the Engine.IO URL (`socketioUrl`,
 * lib/protocols/socketio-engine.ts), WebSocket transport only: the open packet timed
 * (`socketio_open_ms`), the server's pings answered and judged (lib/protocols/socketio-heartbeat.ts),
 * namespaces joined with `of(nsp, auth)` (lib/protocols/socketio-namespace.ts), acks timed through a
 * `Requests`. After a reconnect (a `ReconnectingSocket`) every namespace connects again.
 */
export class SocketIO implements NamespaceHost {
  /** The open packet of the current Engine.IO session. */
  engine: EngineOpen | undefined;
  readonly acks: Requests<number>;
  private readonly spaces = new Map<string, Namespace>();
  private readonly reader = new PacketReader();
  private readonly heartbeat: EngineHeartbeat;
  private readonly opening: Handshake;
  private readonly timeoutMs: number;
  private nextId = 0;
  /** The arguments of the ACK being handled, for its handler (Requests hands it the latency only). */
  private ackArgs: unknown[] = [];

  constructor(readonly vu: VuContext<object>, readonly socket: Socket, opts: SocketIOOptions = {}) {
    this.timeoutMs = opts.handshakeTimeoutMs ?? vu.options.handshakeTimeoutMs ?? vu.options.connectTimeoutMs;
    this.opening = new Handshake(vu, socket, vu.trend(OPEN_MS), this.timeoutMs, OPEN_TIMEOUT);
    this.heartbeat = new EngineHeartbeat(vu, socket);
    this.acks = new Requests<number>(vu, socket, opts.acks ?? ACKS);
    socket.addEventListener('open', () => this.opening.begin());
    socket.addEventListener('message', (e) => this.received(e.data));
    socket.addEventListener('close', () => this.closed());
  }

  /** The namespace `nsp` (default `/`), connected with `auth` as soon as the Engine.IO session is open. */
  of(nsp = '/', auth?: Auth): Namespace {
    const had = this.spaces.get(nsp);
    if (had) return had;
    const ns = new Namespace(this, nsp, auth, new Handshake(this.vu, this.socket, this.vu.trend(CONNECT_MS), this.timeoutMs, CONNECT_TIMEOUT));
    this.spaces.set(nsp, ns);
    if (this.engine && this.socket.readyState === 1) ns.connect();
    return ns;
  }

  /** Leaves every namespace (DISCONNECT), then closes the socket on purpose: the built-in scenario calls it from `vu.onStop`. */
  close(): void {
    for (const ns of this.spaces.values()) ns.disconnect();
    this.socket.close(1000, 'Socket.IO disconnect');
  }

  write(p: Packet): boolean {
    if (this.socket.readyState !== 1) return false;
    for (const m of encodePacket(p)) this.socket.send(m);
    return true;
  }

  writeWithAck(p: Packet, onAck?: AckHandler, plannedAt?: number): boolean {
    if (this.socket.readyState !== 1) return false;
    do this.nextId = (this.nextId + 1) % 0x7fffffff;
    while (this.acks.isWaiting(this.nextId));
    const id = this.nextId;
    this.acks.track(id, { onReply: onAck && ((ms) => onAck(ms, this.ackArgs)), plannedAt });
    return this.write({ ...p, id });
  }

  lost(ns: Namespace, kind: string, refused: boolean): void {
    const others = [...this.spaces.values()].some((o) => o !== ns && (o.connected || o.connecting));
    if (refused) {
      // a refusal is its class, and the connection closes on purpose when nothing is left on it (not also a disconnect)
      this.vu.failure(kind);
      if (!others) this.socket.close(1000, 'Socket.IO CONNECT_ERROR');
    } else if (!others) this.socket.fail(SERVER_DISCONNECT);
    else this.vu.failure(`${SERVER_DISCONNECT} ${ns.name}`);
  }

  private received(data: string | ArrayBuffer): void {
    try {
      if (typeof data !== 'string') return this.packets(this.reader.push(data));
      switch (data[0]) {
        case EIO.message:
          return this.packets(this.reader.push(data.slice(1)));
        case EIO.ping:
          return this.heartbeat.ping();
        case EIO.open:
          return this.opened(data.slice(1));
        case EIO.pong:
        case EIO.noop:
        case EIO.close:
          return; // a close packet is followed by the WebSocket's own close
        default:
          return this.socket.fail(MALFORMED);
      }
    } catch (err) {
      if (!(err instanceof SocketIOMalformed)) throw err;
      this.socket.fail(MALFORMED);
    }
  }

  private opened(text: string): void {
    const open = parseOpen(text);
    if (!open) return this.socket.fail(MALFORMED);
    this.opening.done();
    this.engine = open;
    this.heartbeat.start(open);
    for (const ns of this.spaces.values()) ns.connect();
  }

  private packets(list: Packet[]): void {
    for (const p of list) {
      if (p.type === PacketType.ACK || p.type === PacketType.BINARY_ACK) {
        this.ackArgs = Array.isArray(p.data) ? (p.data as unknown[]) : [];
        if (p.id !== undefined) this.acks.reply(p.id);
        this.ackArgs = [];
      } else this.spaces.get(p.nsp)?.handle(p);
    }
  }

  private closed(): void {
    this.opening.stop();
    this.heartbeat.stop();
    this.reader.reset();
    this.engine = undefined;
    for (const ns of this.spaces.values()) ns.reset();
  }
}
