import { Decoder, Encoder, Packet, PacketType } from 'socket.io-parser';
import { EIO } from './socketio-engine';

/**
 * Socket.IO packets (protocol 5, Socket.IO v3 and v4) through socket.io-parser, the server's own
 * codec: its default ESM build is pure code (no Node built-in, no `Buffer`; `Blob` and `File` only
 * probed with `typeof`), so it bundles for k6. Each packet rides in an Engine.IO message packet
 * (lib/protocols/socketio-engine.ts): `42/chat,7["event",...]` is EVENT 2 of namespace /chat with
 * ack id 7. An argument that is an ArrayBuffer or a typed array makes the packet a BINARY_EVENT
 * (or BINARY_ACK): the text holds `{"_placeholder":true,"num":i}` where attachment i was, and the
 * attachments follow as binary messages of their own.
 */

export { PacketType };
export type { Packet };

const encoder = new Encoder();

/** The WebSocket messages of one packet: its text as an Engine.IO message, then its binary attachments. */
export function encodePacket(p: Packet): Array<string | ArrayBuffer | Uint8Array> {
  return (encoder.encode(p) as Array<string | ArrayBuffer | Uint8Array>).map((part) => (typeof part === 'string' ? EIO.message + part : part));
}

/** A message that is no Socket.IO packet (or an attachment nobody announced). */
export class SocketIOMalformed extends Error {}

/** Socket.IO packets out of Engine.IO message data: a BINARY_* packet comes out once its attachments are in. */
export class PacketReader {
  private decoder = this.fresh();
  private out: Packet[] = [];

  /** `data`: the text after the `4` of a message packet, or a binary message. Throws SocketIOMalformed. */
  push(data: string | ArrayBuffer): Packet[] {
    try {
      this.decoder.add(data);
    } catch (err) {
      this.decoder.destroy();
      this.decoder = this.fresh();
      this.out = [];
      throw new SocketIOMalformed(err instanceof Error ? err.message : String(err));
    }
    const got = this.out;
    this.out = [];
    return got;
  }

  /** A new connection: no half-received packet carries over. */
  reset(): void {
    this.decoder.destroy();
    this.decoder = this.fresh();
    this.out = [];
  }

  private fresh(): Decoder {
    const d = new Decoder();
    d.on('decoded', (p: Packet) => this.out.push(p));
    return d;
  }
}
