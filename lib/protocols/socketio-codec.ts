import { EIO } from './socketio-engine';

/**
 * Socket.IO packets (protocol 5: Socket.IO v3 and v4), each in an Engine.IO message packet
 * (lib/protocols/socketio-engine.ts): `<type>[<attachments>-][<nsp>,][<ack id>][<JSON>]`, so
 * `42/chat,7["event",...]` is an EVENT of namespace /chat with ack id 7 (namespace `/` is left out).
 * An ArrayBuffer or typed array among the data makes a BINARY_EVENT (or BINARY_ACK): the JSON holds
 * `{"_placeholder":true,"num":i}` where attachment i was, and the attachments follow as binary
 * messages of their own. wsbench's own codec, tested against the socket.io server: socket.io-parser
 * bundles for k6, but its top-level probes of `Blob` and `File` would ride in every bundle that
 * imports 'wsbench/protocols' (the MQTT and STOMP scenarios' too).
 */

export const PacketType = { CONNECT: 0, DISCONNECT: 1, EVENT: 2, ACK: 3, CONNECT_ERROR: 4, BINARY_EVENT: 5, BINARY_ACK: 6 } as const;
export type PacketType = (typeof PacketType)[keyof typeof PacketType];

export interface Packet {
  type: PacketType;
  nsp: string;
  /** CONNECT: the auth payload or `{ sid }`; EVENT: `[event, ...args]`; ACK: the args; CONNECT_ERROR: `{ message, data? }`. */
  data?: unknown;
  id?: number;
}

/** A message that is no Socket.IO packet (or an attachment nobody announced). */
export class SocketIOMalformed extends Error {}

/** Most attachments one packet may announce (socket.io-parser's own limit is 10 by default). */
const MAX_ATTACHMENTS = 100;

type Bytes = ArrayBuffer | ArrayBufferView;
const isBytes = (v: unknown): v is Bytes => v instanceof ArrayBuffer || ArrayBuffer.isView(v);

/** `data` with each binary value replaced by its placeholder, the values collected in order. */
function deconstruct(v: unknown, out: Bytes[]): unknown {
  if (isBytes(v)) return { _placeholder: true, num: out.push(v) - 1 };
  if (Array.isArray(v)) return v.map((x) => deconstruct(x, out));
  if (typeof v === 'object' && v !== null && !(v instanceof Date)) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = deconstruct(x, out);
    return o;
  }
  return v;
}

function reconstruct(v: unknown, parts: ArrayBuffer[]): unknown {
  if (Array.isArray(v)) return v.map((x) => reconstruct(x, parts));
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  if (o._placeholder === true) {
    const part = typeof o.num === 'number' ? parts[o.num] : undefined;
    if (part === undefined) throw new SocketIOMalformed(`placeholder ${JSON.stringify(o.num)} names no attachment`);
    return part;
  }
  for (const k of Object.keys(o)) o[k] = reconstruct(o[k], parts);
  return o;
}

/** The WebSocket messages of one packet: its text as an Engine.IO message, then its binary attachments. */
export function encodePacket(p: Packet): Array<string | ArrayBuffer | Uint8Array> {
  const parts: Bytes[] = [];
  const data = p.data === undefined ? undefined : deconstruct(p.data, parts);
  let type: number = p.type;
  if (parts.length > 0 && type === PacketType.EVENT) type = PacketType.BINARY_EVENT;
  else if (parts.length > 0 && type === PacketType.ACK) type = PacketType.BINARY_ACK;
  let text = `${EIO.message}${type}`;
  if (type === PacketType.BINARY_EVENT || type === PacketType.BINARY_ACK) text += `${parts.length}-`;
  if (p.nsp !== '/') text += `${p.nsp},`;
  if (p.id !== undefined) text += String(p.id);
  if (data !== undefined) text += JSON.stringify(data);
  const bytes = parts.map((b) => (b instanceof ArrayBuffer ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength)));
  return [text, ...bytes];
}

function validPayload(type: number, d: unknown): boolean {
  switch (type) {
    case PacketType.CONNECT:
      return typeof d === 'object' && d !== null;
    case PacketType.DISCONNECT:
      return d === undefined;
    case PacketType.CONNECT_ERROR:
      return typeof d === 'string' || (typeof d === 'object' && d !== null);
    case PacketType.EVENT:
    case PacketType.BINARY_EVENT:
      return Array.isArray(d) && d.length > 0 && (typeof d[0] === 'string' || typeof d[0] === 'number');
    default:
      return Array.isArray(d); // ACK, BINARY_ACK
  }
}

/** One packet's text (after the Engine.IO `4`), and the attachments it announced. */
export function decodeText(s: string): { packet: Packet; attachments: number } {
  const bad = (why: string): never => {
    throw new SocketIOMalformed(`${why} in ${JSON.stringify(s.slice(0, 40))}`);
  };
  const type = Number(s[0]);
  if (!(type >= 0 && type <= 6) || s[0] === undefined) bad('no packet type');
  let i = 1;
  let attachments = 0;
  if (type === PacketType.BINARY_EVENT || type === PacketType.BINARY_ACK) {
    const dash = s.indexOf('-', i);
    attachments = Number(s.slice(i, dash));
    if (dash < 0 || !Number.isInteger(attachments) || attachments < 0 || attachments > MAX_ATTACHMENTS) bad('no attachment count');
    i = dash + 1;
  }
  let nsp = '/';
  if (s[i] === '/') {
    const comma = s.indexOf(',', i);
    nsp = comma < 0 ? s.slice(i) : s.slice(i, comma);
    i = comma < 0 ? s.length : comma + 1;
  }
  const digits = /^\d+/.exec(s.slice(i))?.[0];
  const id = digits === undefined ? undefined : Number(digits);
  i += digits?.length ?? 0;
  let data: unknown;
  if (i < s.length) {
    try {
      data = JSON.parse(s.slice(i));
    } catch {
      bad('no JSON data');
    }
  }
  if (!validPayload(type, data)) bad(`no valid data for packet type ${type}`);
  return { packet: { type: type as PacketType, nsp, ...(id === undefined ? {} : { id }), ...(data === undefined ? {} : { data }) }, attachments };
}

/** Socket.IO packets out of Engine.IO message data: a BINARY_* packet comes out, as the EVENT or ACK it carries, once its attachments are in. */
export class PacketReader {
  private pending: { packet: Packet; attachments: number; parts: ArrayBuffer[] } | undefined;

  /** `data`: the text after the `4` of a message packet, or a binary message. Throws SocketIOMalformed. */
  push(data: string | ArrayBuffer): Packet[] {
    try {
      return this.read(data);
    } catch (err) {
      this.pending = undefined;
      throw err;
    }
  }

  /** A new connection: no half-received packet carries over. */
  reset(): void {
    this.pending = undefined;
  }

  private read(data: string | ArrayBuffer): Packet[] {
    const p = this.pending;
    if (typeof data !== 'string') {
      if (!p) throw new SocketIOMalformed('an attachment no packet announced');
      p.parts.push(data);
      if (p.parts.length < p.attachments) return [];
      this.pending = undefined;
      const type = p.packet.type === PacketType.BINARY_EVENT ? PacketType.EVENT : PacketType.ACK;
      return [{ ...p.packet, type, data: reconstruct(p.packet.data, p.parts) }];
    }
    if (p) throw new SocketIOMalformed(`text while ${p.attachments - p.parts.length} attachments were still due`);
    const { packet, attachments } = decodeText(data);
    if (attachments === 0) return [packet];
    this.pending = { packet, attachments, parts: [] };
    return [];
  }
}
