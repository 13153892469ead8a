import { MalformedPacket, Reader, Writer } from './bytes';

/**
 * The MQTT 3.1.1 and 5.0 packets a client sends and receives (their control packets, tested in
 * test/mqtt-codec.unit.test.ts), encoded over Uint8Array: no Buffer, so it bundles for k6. MQTT 5 properties are sent
 * only where the client uses them (session expiry), and read only where it needs them (the
 * server's keep alive, the reason string); the others are skipped by length.
 */

/** The protocol level of CONNECT: 4 is MQTT 3.1.1, 5 is MQTT 5.0. */
export type MqttVersion = 4 | 5;
export type QoS = 0 | 1 | 2;

const CONNECT = 1;
const PUBLISH = 3;
const PUBACK = 4;
const PUBREC = 5;
const PUBREL = 6;
const PUBCOMP = 7;
const SUBSCRIBE = 8;
const UNSUBSCRIBE = 10;

/** PINGREQ and DISCONNECT (normal), the same bytes in both versions. */
export const PINGREQ = new Uint8Array([0xc0, 0]);
export const DISCONNECT = new Uint8Array([0xe0, 0]);

export interface Will {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
}

export interface Connect {
  version: MqttVersion;
  clientId: string;
  keepAliveSec: number;
  /** Clean session (3.1.1) or clean start (5). */
  clean: boolean;
  username?: string;
  password?: string;
  will?: Will;
  /** MQTT 5: session expiry interval, seconds (absent: 0, the session ends with the connection). */
  sessionExpirySec?: number;
}

export interface Publish {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  /** Packet identifier (QoS 1 and 2 only). */
  id: number;
}

/** A packet from the broker. */
export type Packet =
  | { type: 'connack'; sessionPresent: boolean; code: number; keepAliveSec?: number; reason?: string }
  | ({ type: 'publish' } & Publish)
  | { type: 'puback' | 'pubrec' | 'pubrel' | 'pubcomp'; id: number; code: number }
  | { type: 'suback'; id: number; codes: number[] }
  | { type: 'unsuback'; id: number }
  | { type: 'pingresp' }
  | { type: 'disconnect'; code: number; reason?: string };

/** Fixed header (type, flags, remaining length) before `body`. */
function packet(first: number, body: Uint8Array): Uint8Array {
  return new Writer(body.length + 5).u8(first).varint(body.length).raw(body).bytes();
}

/** MQTT 5 properties: their length, then them (`w` holds them already encoded). */
function properties(w: Writer, props?: Writer): Writer {
  const b = props?.bytes() ?? new Uint8Array(0);
  return w.varint(b.length).raw(b);
}

export function encodeConnect(c: Connect): Uint8Array {
  const w = new Writer(64).sized('MQTT').u8(c.version);
  let flags = c.clean ? 2 : 0;
  if (c.will) flags |= 4 | (c.will.qos << 3) | (c.will.retain ? 32 : 0);
  if (c.password !== undefined) flags |= 64;
  if (c.username !== undefined) flags |= 128;
  w.u8(flags).u16(c.keepAliveSec);
  if (c.version === 5) properties(w, c.sessionExpirySec ? new Writer(5).u8(0x11).u32(c.sessionExpirySec) : undefined);
  w.sized(c.clientId);
  if (c.will) {
    if (c.version === 5) properties(w);
    w.sized(c.will.topic).sized(c.will.payload);
  }
  if (c.username !== undefined) w.sized(c.username);
  if (c.password !== undefined) w.sized(c.password);
  return packet(CONNECT << 4, w.bytes());
}

export function encodePublish(version: MqttVersion, p: Publish): Uint8Array {
  const w = new Writer(p.payload.length + p.topic.length + 8).sized(p.topic);
  if (p.qos > 0) w.u16(p.id);
  if (version === 5) properties(w);
  w.raw(p.payload);
  return packet((PUBLISH << 4) | (p.dup ? 8 : 0) | (p.qos << 1) | (p.retain ? 1 : 0), w.bytes());
}

/** PUBACK, PUBREC, PUBREL or PUBCOMP of packet `id`, success (its reason code 0 left out, as MQTT 5 allows). */
export function encodeAck(type: 'puback' | 'pubrec' | 'pubrel' | 'pubcomp', id: number): Uint8Array {
  const code = { puback: PUBACK, pubrec: PUBREC, pubrel: PUBREL, pubcomp: PUBCOMP }[type];
  return new Uint8Array([(code << 4) | (code === PUBREL ? 2 : 0), 2, id >> 8, id & 255]);
}

export function encodeSubscribe(version: MqttVersion, id: number, topics: Array<{ topic: string; qos: QoS }>): Uint8Array {
  const w = new Writer(32).u16(id);
  if (version === 5) properties(w);
  for (const t of topics) w.sized(t.topic).u8(t.qos);
  return packet((SUBSCRIBE << 4) | 2, w.bytes());
}

export function encodeUnsubscribe(version: MqttVersion, id: number, topics: string[]): Uint8Array {
  const w = new Writer(32).u16(id);
  if (version === 5) properties(w);
  for (const t of topics) w.sized(t);
  return packet((UNSUBSCRIBE << 4) | 2, w.bytes());
}

/** MQTT 5 properties of a received packet: the two the client reads, the rest skipped by their type's size. */
function readProperties(r: Reader): { keepAliveSec?: number; reason?: string } {
  const length = r.varint();
  const end = r.at + length;
  const out: { keepAliveSec?: number; reason?: string } = {};
  while (r.at < end) {
    const id = r.varint();
    if (id === 0x13) out.keepAliveSec = r.u16();
    else if (id === 0x1f) out.reason = r.text();
    else if (id === 0x01 || id === 0x17 || id === 0x19 || id === 0x24 || id === 0x25 || id === 0x28 || id === 0x29 || id === 0x2a) r.u8();
    else if (id === 0x21 || id === 0x22 || id === 0x23) r.u16();
    else if (id === 0x02 || id === 0x11 || id === 0x18 || id === 0x27) r.u32();
    else if (id === 0x0b) r.varint();
    else if (id === 0x26) {
      r.sized();
      r.sized();
    } else if (id === 0x03 || id === 0x08 || id === 0x09 || id === 0x12 || id === 0x15 || id === 0x16 || id === 0x1a || id === 0x1c) r.sized();
    else throw new MalformedPacket(`unknown MQTT 5 property ${id}`);
  }
  if (r.at !== end) throw new MalformedPacket('MQTT 5 properties overrun their length');
  return out;
}

const ACKS = { [PUBACK]: 'puback', [PUBREC]: 'pubrec', [PUBREL]: 'pubrel', [PUBCOMP]: 'pubcomp' } as const;

/** One packet of type `type` (flags `flags`) whose variable header and payload are `r`. */
function decodeOne(version: MqttVersion, type: number, flags: number, r: Reader): Packet {
  switch (type) {
    case 2: {
      const sessionPresent = (r.u8() & 1) === 1;
      const code = r.u8();
      return { type: 'connack', sessionPresent, code, ...(version === 5 && r.left > 0 ? readProperties(r) : {}) };
    }
    case PUBLISH: {
      const bits = (flags >> 1) & 3;
      if (bits === 3) throw new MalformedPacket('PUBLISH with QoS 3');
      const qos = bits as QoS;
      const topic = r.text();
      const id = qos > 0 ? r.u16() : 0;
      if (version === 5) readProperties(r);
      return { type: 'publish', topic, qos, id, retain: (flags & 1) === 1, dup: (flags & 8) === 8, payload: r.raw(r.left) };
    }
    case PUBACK: case PUBREC: case PUBREL: case PUBCOMP:
      return { type: ACKS[type], id: r.u16(), code: r.left > 0 ? r.u8() : 0 };
    case 9: {
      const id = r.u16();
      if (version === 5) readProperties(r);
      const codes: number[] = [];
      while (r.left > 0) codes.push(r.u8());
      return { type: 'suback', id, codes };
    }
    case 11:
      return { type: 'unsuback', id: r.u16() };
    case 13:
      return { type: 'pingresp' };
    case 14: {
      const code = r.left > 0 ? r.u8() : 0;
      return { type: 'disconnect', code, ...(r.left > 0 ? readProperties(r) : {}) };
    }
    default:
      throw new MalformedPacket(`packet type ${type} is not one a broker sends`);
  }
}

/**
 * The broker's packets out of WebSocket frames: a frame may hold several packets, and a packet may
 * span frames (MQTT over WebSocket allows both), so bytes left over wait for the next frame.
 */
export class PacketStream {
  private rest: Uint8Array | undefined;

  constructor(private readonly version: MqttVersion) {}

  /** The whole packets now complete; throws MalformedPacket when the broker broke the framing. */
  push(bytes: Uint8Array): Packet[] {
    let b = bytes;
    if (this.rest) {
      b = new Uint8Array(this.rest.length + bytes.length);
      b.set(this.rest);
      b.set(bytes, this.rest.length);
      this.rest = undefined;
    }
    const out: Packet[] = [];
    let at = 0;
    while (at < b.length) {
      const head = new Reader(b, at + 1);
      let len: number;
      try {
        len = head.varint();
      } catch (err) {
        if (b.length - at > 5) throw err;
        break; // the remaining length itself is cut: wait for more
      }
      if (head.at + len > b.length) break;
      const first = b[at] as number;
      out.push(decodeOne(this.version, first >> 4, first & 15, new Reader(b, head.at, head.at + len)));
      at = head.at + len;
    }
    if (at < b.length) this.rest = b.slice(at);
    return out;
  }
}
