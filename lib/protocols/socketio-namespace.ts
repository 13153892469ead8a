import { checkTemplate } from '../core/templates';
import type { Counter, VuContext } from '../scenario/types';
import { expandFor, Handshake } from './session';
import { Packet, PacketType } from './socketio-codec';
import { CONNECT_ERRORS, connectErrorClass } from './socketio-errors';

/** Handles an event: its arguments (binary ones as ArrayBuffers) and, when the server asked for one, `ack` to answer it. */
export type EventHandler = (args: unknown[], ack?: (...args: unknown[]) => void) => void;
/** Gets an ack: its round trip, ms, and the arguments the server acknowledged with. */
export type AckHandler = (latencyMs: number, args: unknown[]) => void;

/** What a namespace needs of its connection (lib/protocols/socketio-client.ts). */
export interface NamespaceHost {
  readonly vu: VuContext<object>;
  /** Sends a packet (its attachments too); false when the socket is not open. */
  write(p: Packet): boolean;
  /** Sends a packet with a fresh ack id, its ack timed. */
  writeWithAck(p: Packet, onAck?: AckHandler, plannedAt?: number): boolean;
  /** A namespace's CONNECT was refused, or the server disconnected it. */
  lost(ns: Namespace, kind: string, refused: boolean): void;
}

/** Auth payload: strings may hold `${vu}` and `${token}`. */
export type Auth = Record<string, unknown>;

function mapStrings(v: unknown, f: (s: string) => string): unknown {
  if (typeof v === 'string') return f(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, f));
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapStrings(x, f)]));
  return v;
}

/**
 * One Socket.IO namespace over the connection (`io.of('/chat', auth)`): CONNECT with the auth payload
 * each time the Engine.IO session opens, its answer timed (`socketio_connect_ms`); events out with or
 * without an ack, events in to their handlers. A CONNECT_ERROR is a failure class with the server's message.
 */
export class Namespace {
  /** The session id the server gave this namespace, while connected. */
  sid: string | undefined;
  /** Refused by CONNECT_ERROR (not tried again on this connection). */
  refused = false;
  private readonly readyFns: Array<() => void> = [];
  private readonly handlers = new Map<string, EventHandler[]>();
  private readonly connectErrors: Counter;
  private pending = false;

  constructor(private readonly host: NamespaceHost, readonly name: string, private readonly auth: Auth | undefined, private readonly handshake: Handshake) {
    const hasTokens = (host.vu.options.tokens?.length ?? 0) > 0;
    mapStrings(auth, (s) => {
      checkTemplate(s, `Socket.IO auth of ${name}`, hasTokens);
      return s;
    });
    this.connectErrors = host.vu.counter(CONNECT_ERRORS);
  }

  /** Connected (CONNECT answered) and still up. */
  get connected(): boolean {
    return this.sid !== undefined;
  }

  /** Waiting for the answer to its CONNECT. */
  get connecting(): boolean {
    return this.pending;
  }

  /** `fn` runs each time the server accepts the CONNECT (again after a reconnect): join rooms from there. */
  ready(fn: () => void): this {
    this.readyFns.push(fn);
    if (this.connected) fn();
    return this;
  }

  /** `fn` gets each `event` the server emits to this namespace (to a room of ours or to us). */
  on(event: string, fn: EventHandler): this {
    const list = this.handlers.get(event) ?? [];
    list.push(fn);
    this.handlers.set(event, list);
    return this;
  }

  /**
   * Emits `event` with `args` (an ArrayBuffer or typed array among them goes as a binary attachment).
   * With `onAck` (true, or a handler) the server's ack is timed through the connection's `Requests`
   * (`socketio_ack_ms`, the summary's acks), and from `plannedAt` too (`pace`'s planned send time); a
   * missing one counts as an ack timeout. False, nothing sent, when the namespace is not connected.
   */
  emit(event: string, args: unknown[] = [], onAck?: boolean | AckHandler, plannedAt?: number): boolean {
    if (!this.connected) return false;
    const p: Packet = { type: PacketType.EVENT, nsp: this.name, data: [event, ...args] };
    if (onAck === undefined || onAck === false) return this.host.write(p);
    return this.host.writeWithAck(p, onAck === true ? undefined : onAck, plannedAt);
  }

  /** Leaves the namespace (DISCONNECT); the connection stays. */
  disconnect(): void {
    if (this.connected) this.host.write({ type: PacketType.DISCONNECT, nsp: this.name });
    this.reset();
  }

  /** Sends CONNECT (the Engine.IO session is open). */
  connect(): void {
    if (this.refused) return;
    const auth = this.auth === undefined ? undefined : mapStrings(this.auth, (s) => expandFor(this.host.vu, s));
    this.pending = true;
    this.handshake.begin();
    this.host.write({ type: PacketType.CONNECT, nsp: this.name, ...(auth === undefined ? {} : { data: auth }) });
  }

  /** The connection closed. */
  reset(): void {
    this.sid = undefined;
    this.pending = false;
    this.handshake.stop();
  }

  handle(p: Packet): void {
    switch (p.type) {
      case PacketType.CONNECT:
        if (!this.pending) return;
        this.pending = false;
        this.handshake.done();
        this.sid = String((p.data as { sid?: unknown } | undefined)?.sid ?? '');
        for (const fn of this.readyFns) fn();
        return;
      case PacketType.CONNECT_ERROR:
        this.connectErrors.add(1);
        this.refused = true;
        this.reset();
        return this.host.lost(this, connectErrorClass(this.name, p.data), true);
      case PacketType.DISCONNECT:
        this.reset();
        return this.host.lost(this, '', false);
      case PacketType.EVENT:
      case PacketType.BINARY_EVENT:
        return this.event(p);
    }
  }

  private event(p: Packet): void {
    const [event, ...args] = p.data as [string, ...unknown[]];
    const id = p.id;
    const ack = id === undefined ? undefined : (...a: unknown[]) => void this.host.write({ type: PacketType.ACK, nsp: this.name, id, data: a });
    for (const fn of this.handlers.get(String(event)) ?? []) fn(args, ack);
  }
}
