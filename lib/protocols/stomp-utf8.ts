/**
 * UTF-8 arithmetic for the STOMP codec, in pure TypeScript: `content-length` counts bytes, while the
 * codec holds frames as strings (k6 before v2 has no TextEncoder or TextDecoder, lib/protocols/stomp-frame.ts).
 */

/** Bytes of `s` in UTF-8 (a lone surrogate counts as U+FFFD, 3 bytes, as an encoder writes it). */
export function utf8Length(s: string, from = 0, to = s.length): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * The index of `s` where `bytes` UTF-8 bytes counted from `from` end; -1 when `s` holds fewer
 * (the rest of a frame's body is still to come).
 */
export function indexAfterBytes(s: string, from: number, bytes: number): number {
  let n = 0;
  let i = from;
  while (n < bytes) {
    if (i >= s.length) return -1;
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
    i++;
  }
  return i;
}

/**
 * A streaming UTF-8 decoder for binary WebSocket messages: a character split across two messages
 * is held until its last byte arrives. Malformed bytes decode as U+FFFD.
 */
export class Utf8Stream {
  private carry: number[] = [];

  decode(data: ArrayBuffer | Uint8Array): string {
    const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
    const all = this.carry.length > 0 ? [...this.carry, ...bytes] : bytes;
    this.carry = [];
    let out = '';
    let i = 0;
    while (i < all.length) {
      const b = all[i] as number;
      const need = b < 0x80 ? 0 : b >= 0xf8 ? -1 : b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : -1;
      if (need < 0) {
        out += '\ufffd';
        i++;
        continue;
      }
      if (i + need >= all.length) {
        // the character's last bytes come with the next message
        for (let j = i; j < all.length; j++) this.carry.push(all[j] as number);
        break;
      }
      let cp = need === 0 ? b : b & (0x3f >> need);
      let ok = true;
      for (let j = 1; j <= need; j++) {
        const cb = all[i + j] as number;
        if ((cb & 0xc0) !== 0x80) ok = false;
        cp = (cp << 6) | (cb & 0x3f);
      }
      if (!ok) {
        out += '\ufffd';
        i++;
        continue;
      }
      out += String.fromCodePoint(cp);
      i += need + 1;
    }
    return out;
  }
}
