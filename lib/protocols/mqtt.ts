import { requestMetrics, Requests } from '../helpers/request';
import type { AppHeartbeat, CustomMetricKind, Socket, VuContext } from '../scenario/types';
import { bytesOf, MalformedPacket } from './bytes';
import {
  DISCONNECT, encodeAck, encodeConnect, encodePublish, encodeSubscribe, encodeUnsubscribe, MqttVersion, Packet, PacketStream, PINGREQ, QoS,
} from './mqtt-codec';
import { mqttClass } from './mqtt-reasons';
import { expandFor, Handshake, Heartbeat, ProtocolMessage, protocolMessage, ProtocolSession } from './session';

/** The WebSocket subprotocol of MQTT over WebSocket: offer it with `options.protocols` or `vu.connect(url, { protocols })`. */
export const MQTT_SUBPROTOCOL = 'mqtt';

export interface MqttOptions {
  /** 4: MQTT 3.1.1, 5: MQTT 5.0. Default 4. */
  version?: MqttVersion;
  /** Client id; `${vu}` and `${token}` are expanded. Default `wsbench-${vu}`. */
  clientId?: string;
  /** User name and password; `${vu}` and `${token}` are expanded. Default: none. */
  username?: string;
  password?: string;
  /** Keep alive, seconds: a PINGREQ goes out this often once connected (0: none). Default: the run's ping interval. */
  keepAlive?: number;
  /** Clean session (3.1.1) or clean start (5). Default true. */
  clean?: boolean;
  /** MQTT 5: session expiry interval, seconds. Default 0. */
  sessionExpiry?: number;
  will?: { topic: string; payload: string | Uint8Array; qos?: QoS; retain?: boolean };
  /** QoS of `publish` and `subscribe` when they name none. Default 0. */
  qos?: QoS;
  /** Trend of CONNECT → CONNACK, ms. Default `mqtt_connack_ms`. */
  handshakeTrend?: string;
  /** Trend of PUBLISH → PUBACK (QoS 1) or PUBLISH → PUBCOMP (QoS 2), ms; also the summary's acks. Default `mqtt_ack_ms`. */
  ackTrend?: string;
  /** How long CONNACK may take. Default: the run's handshake timeout (else its connect timeout). */
  handshakeTimeoutMs?: number;
}

export interface MqttPublishOptions {
  qos?: QoS;
  retain?: boolean;
  /** `pace`'s planned send time (vu.now()'s clock): the ack is also timed from it (docs/messaging.md, "Latency from the plan"). */
  plannedAt?: number;
}

export interface MqttSubscribeOptions {
  qos?: QoS;
}

export type MqttSession = ProtocolSession<MqttPublishOptions, MqttSubscribeOptions>;

const names = (o: Pick<MqttOptions, 'handshakeTrend' | 'ackTrend'>) => ({
  handshake: o.handshakeTrend ?? 'mqtt_connack_ms',
  acks: { trend: o.ackTrend ?? 'mqtt_ack_ms', acks: true },
});

/** What `mqtt(vu, socket, opts)` records by name: spread into `options.metrics`. */
export function mqttMetrics(opts: Pick<MqttOptions, 'handshakeTrend' | 'ackTrend'> = {}): Record<string, CustomMetricKind> {
  const n = names(opts);
  return { [n.handshake]: 'trend', ...requestMetrics(n.acks) };
}

/** PINGRESP: the pong of the PINGREQ heartbeat, in a frame of its own. */
const HEARTBEAT: AppHeartbeat = {
  frame: PINGREQ,
  isPong: (d) => typeof d !== 'string' && d.byteLength === 2 && new Uint8Array(d)[0] === 0xd0,
};

const QOS = [0, 1, 2];
function checkQos(q: unknown, what: string): QoS {
  if (!QOS.includes(q as number)) throw new Error(`mqtt: ${what} must be 0, 1 or 2 (got ${JSON.stringify(q)})`);
  return q as QoS;
}

/**
 * An MQTT 3.1.1 or 5.0 client over one wsbench Socket (lib/protocols/session.ts, the shape of
 * each protocol). On open it sends CONNECT; CONNACK is timed into the handshake trend, or, refused,
 * fails the connection under the broker's reason (`MQTT CONNACK 5 not authorized`). Once connected
 * PINGREQ/PINGRESP is the socket's heartbeat (`heartbeat.*`); PUBACK (QoS 1) and PUBCOMP (QoS 2)
 * are timed through a `Requests` whose replies are the summary's acks. Deliveries go to `onMessage`
 * (count them with a `MessageMeter`); QoS 1 and 2 deliveries are acknowledged to the broker.
 */
export function mqtt(vu: VuContext<object>, socket: Socket, opts: MqttOptions = {}): MqttSession {
  return new MqttClient(vu, socket, opts);
}

class MqttClient implements MqttSession {
  private readonly version: MqttVersion;
  private readonly qos: QoS;
  private readonly keepAliveSec: number;
  private readonly handshake: Handshake;
  private readonly heartbeat: Heartbeat;
  private readonly acks: Requests<number>;
  private readonly readyFns: Array<() => void> = [];
  private readonly messageFns: Array<(m: ProtocolMessage) => void> = [];
  private stream: PacketStream;
  /** Inbound QoS 2 packet ids delivered and awaiting their PUBREL (a resend is not delivered again). */
  private readonly inbound = new Set<number>();
  private nextId = 0;
  ready = false;

  constructor(private readonly vu: VuContext<object>, readonly socket: Socket, private readonly opts: MqttOptions) {
    this.version = opts.version ?? 4;
    if (this.version !== 4 && this.version !== 5) throw new Error(`mqtt: version must be 4 (MQTT 3.1.1) or 5 (got ${JSON.stringify(opts.version)})`);
    this.qos = checkQos(opts.qos ?? 0, 'qos');
    this.keepAliveSec = opts.keepAlive ?? Math.ceil(vu.options.pingIntervalMs / 1000);
    if (!Number.isInteger(this.keepAliveSec) || this.keepAliveSec < 0 || this.keepAliveSec > 65535) {
      throw new Error(`mqtt: keepAlive must be whole seconds from 0 to 65535 (got ${JSON.stringify(opts.keepAlive)})`);
    }
    const n = names(opts);
    const timeoutMs = opts.handshakeTimeoutMs ?? vu.options.handshakeTimeoutMs ?? vu.options.connectTimeoutMs;
    this.handshake = new Handshake(vu, socket, vu.trend(n.handshake), timeoutMs, 'MQTT CONNACK timeout');
    this.heartbeat = new Heartbeat(vu, socket);
    this.acks = new Requests<number>(vu, socket, n.acks);
    this.stream = new PacketStream(this.version);
    socket.setHeartbeat(HEARTBEAT);
    socket.addEventListener('open', () => this.opened());
    socket.addEventListener('message', (e) => this.received(e.data));
    socket.addEventListener('close', () => this.closed());
  }

  onReady(fn: () => void): void {
    this.readyFns.push(fn);
  }

  onMessage(fn: (m: ProtocolMessage) => void): void {
    this.messageFns.push(fn);
  }

  subscribe(topic: string, opts: MqttSubscribeOptions = {}): void {
    if (this.ready) this.socket.send(encodeSubscribe(this.version, this.packetId(), [{ topic, qos: checkQos(opts.qos ?? this.qos, 'subscribe qos') }]));
  }

  unsubscribe(topic: string): void {
    if (this.ready) this.socket.send(encodeUnsubscribe(this.version, this.packetId(), [topic]));
  }

  publish(topic: string, body: string | Uint8Array, opts: MqttPublishOptions = {}, onAck?: (ms: number) => void): boolean {
    if (!this.ready || this.socket.readyState !== 1) return false;
    const qos = checkQos(opts.qos ?? this.qos, 'publish qos');
    const id = qos > 0 ? this.packetId() : 0;
    const frame = encodePublish(this.version, { topic, payload: bytesOf(body), qos, retain: opts.retain ?? false, dup: false, id });
    if (qos > 0) return this.acks.send(id, frame, { onReply: onAck, plannedAt: opts.plannedAt });
    this.socket.send(frame);
    return true;
  }

  disconnect(): void {
    if (this.socket.readyState === 1) this.socket.send(DISCONNECT);
    this.socket.close(1000, '');
  }

  /** 1 to 65535, skipping ids whose PUBACK or PUBCOMP is still awaited. */
  private packetId(): number {
    do this.nextId = (this.nextId % 65535) + 1;
    while (this.acks.isWaiting(this.nextId));
    return this.nextId;
  }

  private opened(): void {
    const p = this.socket.protocol;
    if (p !== '' && p !== MQTT_SUBPROTOCOL) return this.socket.fail('MQTT subprotocol not chosen');
    const o = this.opts;
    const will = o.will && { topic: o.will.topic, payload: bytesOf(o.will.payload), qos: checkQos(o.will.qos ?? 0, 'will qos'), retain: o.will.retain ?? false };
    this.stream = new PacketStream(this.version);
    this.socket.send(encodeConnect({
      version: this.version,
      clientId: expandFor(this.vu, o.clientId ?? 'wsbench-${vu}'),
      keepAliveSec: this.keepAliveSec,
      clean: o.clean ?? true,
      username: o.username === undefined ? undefined : expandFor(this.vu, o.username),
      password: o.password === undefined ? undefined : expandFor(this.vu, o.password),
      will,
      sessionExpirySec: o.sessionExpiry,
    }));
    this.handshake.begin();
  }

  private closed(): void {
    this.ready = false;
    this.handshake.stop();
    this.heartbeat.stop();
    this.inbound.clear();
  }

  private received(data: string | ArrayBuffer): void {
    let packets: Packet[];
    try {
      packets = this.stream.push(bytesOf(data));
    } catch (err) {
      if (!(err instanceof MalformedPacket)) throw err;
      return this.socket.fail('MQTT malformed packet');
    }
    for (const p of packets) this.handle(p);
  }

  private handle(p: Packet): void {
    switch (p.type) {
      case 'connack':
        if (p.code !== 0) return this.socket.fail(mqttClass('CONNACK', this.version, p.code));
        this.handshake.done();
        this.ready = true;
        this.heartbeat.start((p.keepAliveSec ?? this.keepAliveSec) * 1000);
        for (const fn of this.readyFns) fn();
        return;
      case 'publish':
        return this.delivered(p);
      case 'puback':
      case 'pubcomp':
        if (p.code < 0x80) this.acks.reply(p.id);
        return;
      case 'pubrec':
        if (p.code < 0x80) this.socket.send(encodeAck('pubrel', p.id));
        return;
      case 'pubrel':
        this.inbound.delete(p.id);
        this.socket.send(encodeAck('pubcomp', p.id));
        return;
      case 'suback': {
        const refused = p.codes.find((c) => c >= 0x80);
        if (refused !== undefined) this.socket.fail(mqttClass('SUBACK', this.version, refused));
        return;
      }
      case 'disconnect':
        if (p.code !== 0) this.socket.fail(mqttClass('DISCONNECT', this.version, p.code));
        return;
      default:
        return; // UNSUBACK; a PINGRESP no ping waited for
    }
  }

  private delivered(p: Packet & { type: 'publish' }): void {
    if (p.qos === 1) this.socket.send(encodeAck('puback', p.id));
    else if (p.qos === 2) {
      this.socket.send(encodeAck('pubrec', p.id));
      if (this.inbound.has(p.id)) return; // a resend before PUBREL: delivered once already
      this.inbound.add(p.id);
    }
    const m = protocolMessage(p.topic, p.payload);
    for (const fn of this.messageFns) fn(m);
  }
}
