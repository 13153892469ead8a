import { Requests } from '../helpers/request';
import type { AppHeartbeat, Counter, Socket, VuContext } from '../scenario/types';
import {
  decode, encodeComplete, encodeInit, encodeSubscribe, GRAPHQL_WS_SUBPROTOCOL, GraphqlError, GraphqlOperation, GraphqlResult,
  InvalidMessage, isPong, PING, PONG, ServerMessage,
} from './graphql-ws-codec';
import { ACK_MS, DEFAULT_RESULTS, errorClass, GRAPHQL_ERRORS, GraphqlWsOptions, initPayload, NO_ACK } from './graphql-ws-config';
import { Handshake, Heartbeat } from './session';

/** What an operation's messages go to: each `next` result, its `error` (it ends), its `complete`. */
export interface GraphqlSink {
  next?(result: GraphqlResult): void;
  error?(errors: GraphqlError[]): void;
  complete?(): void;
}

/** The `ping` message out, the `pong` message back: the socket's heartbeat (`heartbeat.*`, its round trip in `ws_ping`). */
const HEARTBEAT: AppHeartbeat = { frame: PING, isPong };

interface Operation {
  sink: GraphqlSink;
  /** A query or mutation whose first result is timed (`execute`), not a subscription. */
  timed: boolean;
}

/**
 * A graphql-ws session over one wsbench Socket (lib/protocols/session.ts, the shape of each protocol):
 * connection_init when the socket opens (with its payload, `${vu}`/`${token}` expanded), timed to
 * connection_ack in `graphql_ws_ack_ms`; then `ping`/`pong` messages as the heartbeat, a server's
 * `ping` answered. `subscribe` streams `next` results to a sink until `error` or `complete`;
 * `execute` (a query or mutation) times its result through a `Requests` (by default the summary's
 * acks). An `error` message is a failure class (`graphql-ws error: <message>`) and counts in
 * `graphql_ws_errors`, as a `next` with errors does; a server message the protocol does not define
 * loses the connection as `graphql-ws invalid message`. A server's close code is the class of the
 * lost connection (`close 4403`; lib/protocols/graphql-ws-codec.ts `CLOSE_CODES`).
 */
export class GraphqlWs {
  ready = false;
  /** connection_ack's payload, once acknowledged. */
  ackPayload: Record<string, unknown> | undefined;
  readonly results: Requests<string>;
  private readonly handshake: Handshake;
  private readonly heartbeat: Heartbeat;
  private readonly errors: Counter;
  private readonly payload: Record<string, unknown> | undefined;
  private readonly ops = new Map<string, Operation>();
  private readonly readyFns: Array<() => void> = [];
  private nextId = 0;

  constructor(private readonly vu: VuContext<object>, readonly socket: Socket, private readonly opts: GraphqlWsOptions = {}) {
    // expanded once, now: a ${token} without tokens throws at the VU's start, not at each open
    this.payload = opts.payload === undefined ? undefined : (initPayload(vu, opts.payload) as Record<string, unknown>);
    const timeoutMs = opts.handshakeTimeoutMs ?? vu.options.handshakeTimeoutMs ?? vu.options.connectTimeoutMs;
    this.handshake = new Handshake(vu, socket, vu.trend(ACK_MS), timeoutMs, NO_ACK);
    this.heartbeat = new Heartbeat(vu, socket);
    this.results = new Requests<string>(vu, socket, opts.results ?? DEFAULT_RESULTS);
    this.errors = vu.counter(GRAPHQL_ERRORS);
    socket.setHeartbeat(HEARTBEAT);
    socket.addEventListener('open', () => this.opened());
    socket.addEventListener('message', (e) => this.received(e.data));
    socket.addEventListener('close', () => this.closed());
  }

  /** Runs `fn` each time connection_ack arrives (at once if it has): subscribe from there. */
  onReady(fn: () => void): this {
    this.readyFns.push(fn);
    if (this.ready) fn();
    return this;
  }

  /** Starts a subscription; its id, or undefined (nothing sent) when not acknowledged. */
  subscribe(op: GraphqlOperation, sink: GraphqlSink): string | undefined {
    return this.start(op, { sink, timed: false });
  }

  /**
   * Runs a query or mutation; its first result (`next`) is timed in the results' trend, and counts as
   * a timeout when none comes in time. False (nothing sent) when not acknowledged.
   */
  execute(op: GraphqlOperation, sink: GraphqlSink = {}): boolean {
    return this.start(op, { sink, timed: true }) !== undefined;
  }

  /** Stops an operation (the client's `complete`): no more of its messages reach its sink. */
  complete(id: string): void {
    if (this.ops.delete(id) && this.socket.readyState === 1) this.socket.send(encodeComplete(id));
  }

  /** Closes on purpose with 1000, as the protocol's client does. */
  disconnect(): void {
    this.heartbeat.stop();
    this.socket.close(1000, 'Normal Closure');
  }

  private start(op: GraphqlOperation, o: Operation): string | undefined {
    if (!this.ready || this.socket.readyState !== 1) return undefined;
    const id = String(++this.nextId);
    this.ops.set(id, o);
    const frame = encodeSubscribe(id, op);
    if (o.timed) this.results.send(id, frame);
    else this.socket.send(frame);
    return id;
  }

  private opened(): void {
    const p = this.socket.protocol;
    if (p !== '' && p !== GRAPHQL_WS_SUBPROTOCOL) return this.socket.fail('graphql-ws subprotocol not chosen');
    this.socket.send(encodeInit(this.payload));
    this.handshake.begin();
  }

  private closed(): void {
    this.ready = false;
    this.handshake.stop();
    this.heartbeat.stop();
    this.ops.clear();
  }

  private received(data: string | ArrayBuffer): void {
    let m: ServerMessage;
    try {
      m = decode(data);
    } catch (err) {
      if (!(err instanceof InvalidMessage)) throw err;
      return this.socket.fail('graphql-ws invalid message');
    }
    switch (m.type) {
      case 'connection_ack':
        if (this.ready) return;
        this.handshake.done();
        this.ready = true;
        this.ackPayload = m.payload;
        this.heartbeat.start(this.opts.pingIntervalMs ?? this.vu.options.pingIntervalMs);
        for (const fn of this.readyFns) fn();
        return;
      case 'ping':
        this.socket.send(PONG);
        return;
      case 'pong':
        return; // unsolicited (a one-way heartbeat), or a pong no ping waits for
      case 'next': {
        const op = this.ops.get(m.id);
        if (!op) return; // an operation already completed
        if (m.payload.errors && m.payload.errors.length > 0) this.errors.add(1);
        if (op.timed) this.results.reply(m.id);
        op.sink.next?.(m.payload);
        return;
      }
      case 'error': {
        const op = this.ops.get(m.id);
        if (!op) return;
        this.ops.delete(m.id);
        this.errors.add(1);
        this.vu.failure(errorClass(m.payload));
        op.sink.error?.(m.payload);
        return;
      }
      case 'complete': {
        const op = this.ops.get(m.id);
        this.ops.delete(m.id);
        op?.sink.complete?.();
        return;
      }
    }
  }
}
