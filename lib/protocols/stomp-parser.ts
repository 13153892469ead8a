import { parseHead, StompFrame } from './stomp-frame';
import { indexAfterBytes, Utf8Stream } from './stomp-utf8';

/** What a parser hands on: each whole frame, and each heart-beat (an EOL between frames). */
export interface ParserSink {
  frame(f: StompFrame): void;
  heartbeat(): void;
}

/**
 * The incoming side of a STOMP connection over WebSocket: WebSocket messages in, frames out. A
 * frame may be split across messages and one message may hold several frames, with heart-beat
 * EOLs between them (STOMP 1.2, "Heart-beating"); the parser keeps what is incomplete until the
 * rest arrives. A body with `content-length` is read by that many UTF-8 bytes (it may hold NULs),
 * otherwise up to the first NUL. A malformed frame throws: the connection cannot be read on.
 */
export class StompParser {
  private buf = '';
  private utf8: Utf8Stream | undefined;

  constructor(private readonly sink: ParserSink) {}

  /** One WebSocket message: text, or binary read as UTF-8. */
  push(data: string | ArrayBuffer | Uint8Array): void {
    const text = typeof data === 'string' ? data : (this.utf8 ??= new Utf8Stream()).decode(data);
    this.buf = this.buf === '' ? text : this.buf + text;
    let at = 0;
    for (;;) {
      at = this.skipBeats(at);
      if (at >= this.buf.length) break;
      const next = this.readFrame(at);
      if (next < 0) break;
      at = next;
    }
    this.buf = at >= this.buf.length ? '' : this.buf.slice(at);
  }

  /** Bytes held for an incomplete frame (0 between frames). */
  get pendingChars(): number {
    return this.buf.length;
  }

  /** EOLs (`\n` or `\r\n`) before a frame are heart-beats. */
  private skipBeats(at: number): number {
    const b = this.buf;
    while (at < b.length) {
      if (b.charCodeAt(at) === 10) at += 1;
      else if (b.charCodeAt(at) === 13 && b.charCodeAt(at + 1) === 10) at += 2;
      else if (b.charCodeAt(at) === 13 && at + 1 === b.length) return at; // its \n is still to come
      else break;
      this.sink.heartbeat();
    }
    return at;
  }

  /** Reads the frame that starts at `at`: the index after its NUL, or -1 while it is incomplete. */
  private readFrame(at: number): number {
    const b = this.buf;
    const blank = /\r?\n\r?\n/g;
    blank.lastIndex = at;
    const m = blank.exec(b);
    if (!m) {
      if (b.indexOf('\0', at) >= 0) throw new Error(`STOMP: frame without the empty line after its headers: ${JSON.stringify(b.slice(at, at + 40))}`);
      return -1;
    }
    const { command, headers } = parseHead(b.slice(at, m.index));
    const bodyAt = m.index + m[0].length;
    const len = headers['content-length'];
    let end: number;
    if (len !== undefined) {
      const n = Number(len);
      if (!Number.isInteger(n) || n < 0) throw new Error(`STOMP: bad content-length ${JSON.stringify(len)} in ${command}`);
      end = indexAfterBytes(b, bodyAt, n);
      if (end < 0 || end >= b.length) return -1;
      if (b.charCodeAt(end) !== 0) throw new Error(`STOMP: ${command} body of content-length ${n} is not followed by NUL`);
    } else {
      end = b.indexOf('\0', bodyAt);
      if (end < 0) return -1;
    }
    this.sink.frame({ command, headers, body: b.slice(bodyAt, end) });
    return end + 1;
  }
}
