import { Requests } from '../helpers/request';
import { M } from '../core/metric-names';
import type { Counter, Socket, Trend, VuContext } from '../scenario/types';
import { AckMode, checkCredentials, connectHeaders, StompOptions } from './stomp-config';
import { ERROR_FRAMES, errorClass, NO_CONNECTED } from './stomp-errors';
import { encodeFrame, StompFrame } from './stomp-frame';
import { negotiate, StompHeartbeat } from './stomp-heartbeat';
import { StompParser } from './stomp-parser';

/** The CONNECT → CONNECTED latency trend (lib/core/metric-names.ts). */
export const CONNECTED_MS = 'stomp_connected_ms';

/** A MESSAGE frame as a subscriber gets it. */
export type StompMessage = StompFrame;

/**
 * A STOMP 1.2 session over one wsbench Socket (docs/protocols.md): CONNECT when the socket opens
 * (its latency to CONNECTED in `stomp_connected_ms`), the negotiated heart-beats in the heartbeat
 * figures (lib/protocols/stomp-heartbeat.ts), SEND receipts timed by a `Requests`, subscriptions
 * with their ack mode, ACK/NACK, DISCONNECT with a receipt. An ERROR frame is a failure class with
 * the broker's message (lib/protocols/stomp-errors.ts) and counts in `stomp_error_frames`.
 */
export class Stomp {
  /** The CONNECTED frame's headers (version, server, session, heart-beat), once connected. */
  connected: Record<string, string> | undefined;
  readonly receipts: Requests<string>;
  private readonly parser: StompParser;
  private readonly heartbeat: StompHeartbeat;
  private readonly connectedMs: Trend;
  private readonly errorFrames: Counter;
  private readonly subs = new Map<string, (m: StompMessage) => void>();
  private readonly onConnected: Array<() => void> = [];
  private connectAt: number | undefined;
  private failed = false;
  private nextSub = 0;
  private nextReceipt = 0;
  private bye: string | undefined;

  constructor(private readonly vu: VuContext<object>, readonly socket: Socket, private readonly opts: StompOptions = {}) {
    checkCredentials(vu, opts);
    this.receipts = new Requests<string>(vu, socket, opts.receipts ?? { trend: M.imAckRtt, timeouts: M.imAckTimeouts });
    this.heartbeat = new StompHeartbeat(vu, socket);
    this.connectedMs = vu.trend(CONNECTED_MS);
    this.errorFrames = vu.counter(ERROR_FRAMES);
    this.parser = new StompParser({ frame: (f) => this.frame(f), heartbeat: () => undefined });
    socket.addEventListener('open', () => this.connect());
    socket.addEventListener('message', (e) => {
      this.heartbeat.received();
      this.parser.push(e.data);
    });
    socket.addEventListener('close', () => this.closed());
  }

  /** Runs `fn` once CONNECTED has arrived (at once when it has). */
  ready(fn: () => void): this {
    if (this.connected) fn();
    else this.onConnected.push(fn);
    return this;
  }

  /** SUBSCRIBE to `destination`; `onMessage` gets each MESSAGE of it. Returns the subscription id. */
  subscribe(destination: string, onMessage: (m: StompMessage) => void, o: { ack?: AckMode; id?: string; headers?: Record<string, string> } = {}): string {
    const id = o.id ?? `sub-${this.nextSub++}`;
    this.subs.set(id, onMessage);
    this.write('SUBSCRIBE', { ...o.headers, id, destination, ack: o.ack ?? 'auto' });
    return id;
  }

  unsubscribe(id: string): void {
    this.subs.delete(id);
    this.write('UNSUBSCRIBE', { id });
  }

  /**
   * SEND `body` to `destination`. With `receipt` (default true) the broker's RECEIPT is timed in
   * the receipts' trend (from `plannedAt` too, `pace`'s planned send time), and a missing one counts as a
   * timeout. False when the session is not connected.
   */
  send(destination: string, body: string, headers: Record<string, string> = {}, receipt = true, plannedAt?: number): boolean {
    if (!this.connected || this.socket.readyState !== 1) return false;
    if (!receipt) return this.write('SEND', { ...headers, destination }, body);
    const id = `r-${this.nextReceipt++}`;
    return this.receipts.send(id, encodeFrame('SEND', { ...headers, destination, receipt: id }, body), { plannedAt });
  }

  /** ACK (or NACK) a message of a `client` or `client-individual` subscription (STOMP 1.2: by its `ack` header). */
  ack(m: StompMessage, nack = false): void {
    this.write(nack ? 'NACK' : 'ACK', { id: m.headers.ack ?? m.headers['message-id'] });
  }

  /**
   * DISCONNECT with a receipt: the socket is closed when the RECEIPT arrives. A broker that closes
   * first counts as a disconnect; for one that sends no receipt (RabbitMQ's web_stomp), `receipt: false`
   * closes right after the frame.
   */
  disconnect(o: { receipt?: boolean } = {}): void {
    if (this.socket.readyState !== 1 || this.bye !== undefined) return;
    this.bye = `bye-${this.vu.id}`;
    this.heartbeat.stop();
    if (this.connected) this.write('DISCONNECT', o.receipt === false ? {} : { receipt: this.bye });
    if (!this.connected || o.receipt === false) this.socket.close(1000, 'STOMP DISCONNECT');
  }

  private connect(): void {
    this.connectAt = this.vu.now();
    this.socket.send(encodeFrame('CONNECT', connectHeaders(this.vu, this.opts)));
  }

  private write(command: string, headers: Record<string, string | undefined>, body = ''): boolean {
    if (this.socket.readyState !== 1) return false;
    this.socket.send(encodeFrame(command, headers, body));
    return true;
  }

  private frame(f: StompFrame): void {
    switch (f.command) {
      case 'MESSAGE':
        this.subs.get(f.headers.subscription ?? '')?.(f);
        return;
      case 'RECEIPT': {
        const id = f.headers['receipt-id'] ?? '';
        if (id === this.bye) this.socket.close(1000, 'STOMP DISCONNECT');
        else this.receipts.reply(id);
        return;
      }
      case 'CONNECTED':
        return this.handshake(f);
      case 'ERROR':
        // the broker closes after an ERROR (STOMP 1.2, "ERROR"): closed here first, it is this class, not also a disconnect
        this.errorFrames.add(1);
        this.failed = true;
        this.vu.failure(errorClass(f));
        this.heartbeat.stop();
        this.socket.close(1000, 'STOMP ERROR');
        return;
    }
  }

  private handshake(f: StompFrame): void {
    if (this.connected || this.connectAt === undefined) return;
    this.connected = f.headers;
    this.connectedMs.add(this.vu.now() - this.connectAt);
    const hb = this.opts.heartbeatMs ?? this.vu.options.pingIntervalMs;
    this.heartbeat.start(negotiate([hb, hb], f.headers['heart-beat']));
    for (const fn of this.onConnected.splice(0)) fn();
  }

  private closed(): void {
    this.heartbeat.stop();
    if (!this.connected && !this.failed && this.connectAt !== undefined) this.vu.failure(NO_CONNECTED);
  }
}
