import type { Socket, Trend, VuContext } from '../scenario/types';
import { expandTemplate, tokenFor, usesToken } from '../core/templates';
import { fromUtf8 } from './bytes';

/**
 * The shape every protocol of lib/protocols/ takes (MQTT here; STOMP follows it): a small object
 * over one wsbench Socket that does the protocol's handshake and heartbeat and maps them onto
 * wsbench's figures. The scenario keeps the socket's own events (open, close) and adds these.
 */

/** A message the broker delivered to one of the session's subscriptions. */
export interface ProtocolMessage {
  /** Topic (MQTT) or destination (STOMP). */
  destination: string;
  body: Uint8Array;
  /** The body as UTF-8 text. */
  text(): string;
}

export interface ProtocolSession<PublishOptions = object, SubscribeOptions = object> {
  readonly socket: Socket;
  /** The handshake succeeded and the connection is still up. */
  readonly ready: boolean;
  /** `fn` runs each time the handshake succeeds (CONNACK, CONNECTED): subscribe from there. */
  onReady(fn: () => void): void;
  onMessage(fn: (m: ProtocolMessage) => void): void;
  subscribe(destination: string, opts?: SubscribeOptions): void;
  unsubscribe(destination: string): void;
  /** Sends one message; false (nothing sent) when not ready. `onAck` gets its ack's round trip, ms. */
  publish(destination: string, body: string | Uint8Array, opts?: PublishOptions, onAck?: (ms: number) => void): boolean;
  /** Says goodbye at protocol level (MQTT DISCONNECT, STOMP DISCONNECT), then closes the socket on purpose. */
  disconnect(): void;
}

/** A message whose text is decoded on demand. */
export function protocolMessage(destination: string, body: Uint8Array): ProtocolMessage {
  return { destination, body, text: () => fromUtf8(body) };
}

/**
 * `${vu}` and `${token}` of a client id, user name or password: VU i's token is line i mod n of the
 * tokens (`options.tokens` as a list, or `--tokens FILE`), as the target's (lib/core/templates.ts).
 */
export function expandFor(vu: VuContext<object>, template: string): string {
  const token = tokenFor(vu.options, undefined, vu.id);
  if (token === undefined && usesToken(template)) throw new Error(`"${template}" uses \${token} but the run has no tokens: pass --tokens FILE or set options.tokens to a list`);
  return expandTemplate(template, { vu: vu.id, token });
}

/**
 * The protocol's handshake, timed from `begin()` (the socket opened and the handshake frame left)
 * to `done()` (the broker accepted) into `trend`; without an answer within `timeoutMs` the
 * connection fails as `timeoutClass`.
 */
export class Handshake {
  private startedAt = 0;
  private timer: unknown;

  constructor(
    private readonly vu: VuContext<object>,
    private readonly socket: Socket,
    private readonly trend: Trend,
    private readonly timeoutMs: number,
    private readonly timeoutClass: string,
  ) {}

  begin(): void {
    this.startedAt = this.vu.now();
    this.timer = this.vu.setTimeout(() => {
      this.timer = undefined;
      this.socket.fail(this.timeoutClass);
    }, this.timeoutMs);
  }

  /** The broker accepted: its latency is recorded. */
  done(): void {
    this.stop();
    this.trend.add(this.vu.now() - this.startedAt);
  }

  stop(): void {
    if (this.timer !== undefined) this.vu.clearTimer(this.timer);
    this.timer = undefined;
  }
}

/**
 * The protocol's heartbeat through the socket's (Socket.setHeartbeat): `start(ms)` pings every `ms`
 * while the connection is up, so its pings and pongs are `heartbeat.*`; `stop()` on close.
 */
export class Heartbeat {
  private timer: unknown;

  constructor(private readonly vu: VuContext<object>, private readonly socket: Socket) {}

  start(everyMs: number): void {
    this.stop();
    if (everyMs > 0) this.timer = this.vu.setInterval(() => this.socket.ping(), everyMs);
  }

  stop(): void {
    if (this.timer !== undefined) this.vu.clearTimer(this.timer);
    this.timer = undefined;
  }
}
