/**
 * Bytes for wire protocols, over Uint8Array only: UTF-8 without TextEncoder (not every k6 has
 * one), and a growable writer and a bounds-checked reader of the big-endian fields MQTT (and
 * STOMP's binary bodies) use. Pure: it bundles for k6 (no Node built-in, no Buffer).
 */

/** UTF-8 of `s` (lone surrogates become U+FFFD, as TextEncoder does). */
export function utf8(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 3);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out[n++] = c;
    else if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 63);
    } else if (c < 0x10000) {
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 63);
      out[n++] = 0x80 | (c & 63);
    } else {
      out[n++] = 0xf0 | (c >> 18);
      out[n++] = 0x80 | ((c >> 12) & 63);
      out[n++] = 0x80 | ((c >> 6) & 63);
      out[n++] = 0x80 | (c & 63);
    }
  }
  return out.subarray(0, n);
}

/** The text of UTF-8 bytes (a malformed sequence becomes U+FFFD). */
export function fromUtf8(b: Uint8Array, start = 0, end = b.length): string {
  let s = '';
  for (let i = start; i < end;) {
    const c = b[i++] as number;
    let cp = 0xfffd;
    if (c < 0x80) cp = c;
    else if (c >= 0xc0 && c < 0xe0 && i < end) cp = ((c & 31) << 6) | ((b[i++] as number) & 63);
    else if (c >= 0xe0 && c < 0xf0 && i + 1 < end) cp = ((c & 15) << 12) | (((b[i++] as number) & 63) << 6) | ((b[i++] as number) & 63);
    else if (c >= 0xf0 && i + 2 < end) {
      cp = ((c & 7) << 18) | (((b[i++] as number) & 63) << 12) | (((b[i++] as number) & 63) << 6) | ((b[i++] as number) & 63);
    }
    s += cp > 0xffff ? String.fromCharCode(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 1023)) : String.fromCharCode(cp);
  }
  return s;
}

/** A frame's bytes: a binary frame's ArrayBuffer as it is, a text frame as its UTF-8. */
export function bytesOf(data: string | ArrayBuffer | Uint8Array): Uint8Array {
  if (typeof data === 'string') return utf8(data);
  return data instanceof Uint8Array ? data : new Uint8Array(data);
}

/** Appends big-endian fields; `bytes()` is what was written. */
export class Writer {
  private buf: Uint8Array;
  private n = 0;

  constructor(size = 64) {
    this.buf = new Uint8Array(size);
  }

  get length(): number {
    return this.n;
  }

  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.n + k));
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }

  u8(v: number): this {
    this.room(1);
    this.buf[this.n++] = v & 255;
    return this;
  }

  u16(v: number): this {
    return this.u8(v >> 8).u8(v);
  }

  u32(v: number): this {
    return this.u16(Math.floor(v / 65536)).u16(v & 0xffff);
  }

  /** MQTT's variable byte integer (1 to 4 bytes, 7 bits each, least significant first). */
  varint(v: number): this {
    do {
      let b = v % 128;
      v = Math.floor(v / 128);
      if (v > 0) b |= 128;
      this.u8(b);
    } while (v > 0);
    return this;
  }

  raw(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
    return this;
  }

  /** A 16-bit length, then the bytes (MQTT's binary data and, for a string, its UTF-8). */
  sized(b: Uint8Array | string): this {
    const bytes = typeof b === 'string' ? utf8(b) : b;
    if (bytes.length > 65535) throw new Error(`MQTT: a string or binary field is at most 65535 bytes (got ${bytes.length})`);
    return this.u16(bytes.length).raw(bytes);
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.n);
  }
}

/** Thrown on a packet that ends before its fields do: the peer broke the protocol. */
export class MalformedPacket extends Error {}

/** Reads big-endian fields from `b[at..end)`, refusing to read past the end. */
export class Reader {
  constructor(private readonly b: Uint8Array, public at = 0, readonly end = b.length) {}

  get left(): number {
    return this.end - this.at;
  }

  private need(k: number): void {
    if (this.at + k > this.end) throw new MalformedPacket('packet shorter than its fields');
  }

  u8(): number {
    this.need(1);
    return this.b[this.at++] as number;
  }

  u16(): number {
    return this.u8() * 256 + this.u8();
  }

  u32(): number {
    return this.u16() * 65536 + this.u16();
  }

  varint(): number {
    let v = 0;
    for (let mul = 1, i = 0; i < 4; i++, mul *= 128) {
      const b = this.u8();
      v += (b & 127) * mul;
      if ((b & 128) === 0) return v;
    }
    throw new MalformedPacket('variable byte integer longer than 4 bytes');
  }

  raw(k: number): Uint8Array {
    this.need(k);
    const out = this.b.subarray(this.at, this.at + k);
    this.at += k;
    return out;
  }

  sized(): Uint8Array {
    return this.raw(this.u16());
  }

  text(): string {
    const b = this.sized();
    return fromUtf8(b);
  }
}
