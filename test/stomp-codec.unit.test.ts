import { encodeFrame, escapeHeader, negotiate, parseHead, StompFrame, StompParser, unescapeHeader } from '../lib/protocols/stomp';
import { indexAfterBytes, utf8Length, Utf8Stream } from '../lib/protocols/stomp-utf8';

function parse(chunks: Array<string | Uint8Array>): { frames: StompFrame[]; beats: number; pending: number } {
  const frames: StompFrame[] = [];
  let beats = 0;
  const p = new StompParser({ frame: (f) => frames.push(f), heartbeat: () => beats++ });
  for (const c of chunks) p.push(c);
  return { frames, beats, pending: p.pendingChars };
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('STOMP codec (lib/protocols/stomp-frame.ts, stomp-parser.ts)', () => {
  test('header escaping round-trips, and CONNECT headers go out raw', () => {
    const v = 'a:b\\c\nd\re';
    expect(escapeHeader(v)).toBe('a\\cb\\\\c\\nd\\re');
    expect(unescapeHeader(escapeHeader(v))).toBe(v);
    expect(() => unescapeHeader('bad\\t')).toThrow('undefined escape sequence \\t');
    expect(encodeFrame('SEND', { destination: '/queue/a:b' }, 'hé')).toBe('SEND\ndestination:/queue/a\\cb\ncontent-length:3\n\nhé\0');
    expect(encodeFrame('CONNECT', { login: 'u:1', passcode: undefined })).toBe('CONNECT\nlogin:u:1\n\n\0');
  });

  test('a repeated header keeps its first value; CRLF lines are read', () => {
    expect(parseHead('MESSAGE\r\nfoo:1\r\nfoo:2\r\nx:a\\nb')).toEqual({ command: 'MESSAGE', headers: { foo: '1', x: 'a\nb' } });
    expect(() => parseHead('message\nx:1')).toThrow('bad command line');
  });

  test('frames split across messages, joined in one, with heart-beat EOLs between', () => {
    const one = encodeFrame('MESSAGE', { subscription: 's', 'message-id': '1' }, 'héllo\0wörld');
    const two = 'RECEIPT\nreceipt-id:r-1\n\n\0';
    const text = `\n${one}\r\n\n${two}\n`;
    const whole = parse([text]);
    expect(whole.frames.map((f) => [f.command, f.body])).toEqual([['MESSAGE', 'héllo\0wörld'], ['RECEIPT', '']]);
    expect(whole.beats).toBe(4);
    expect(whole.pending).toBe(0);
    // every split point gives the same frames and beats
    for (let i = 1; i < text.length; i++) {
      const r = parse([text.slice(0, i), text.slice(i)]);
      expect([r.frames.length, r.beats, r.frames[0]?.body]).toEqual([2, 4, 'héllo\0wörld']);
    }
  });

  test('binary messages: content-length in UTF-8 bytes, a character split across two messages', () => {
    const bytes = utf8(encodeFrame('MESSAGE', { subscription: 's' }, '日本語 😀'));
    for (let i = 1; i < bytes.length; i++) {
      const r = parse([bytes.slice(0, i), bytes.slice(i)]);
      expect(r.frames.map((f) => f.body)).toEqual(['日本語 😀']);
    }
    expect(utf8Length('日本語 😀')).toBe(14);
    expect(indexAfterBytes('aé😀b', 0, 7)).toBe(4);
    expect(indexAfterBytes('aé', 0, 4)).toBe(-1);
    expect(new Utf8Stream().decode(new Uint8Array([0x61, 0xff, 0x62]))).toBe('a\ufffdb');
  });

  test('a body without content-length ends at the first NUL; an incomplete frame waits', () => {
    const r = parse(['ERROR\nmessage:Bad CONNECT\n\nAccess refused', " for user 'x'\n"]);
    expect(r.frames).toEqual([]);
    expect(r.pending).toBeGreaterThan(0);
    const done = parse(['ERROR\nmessage:Bad CONNECT\n\nAccess refused', " for user 'x'\n\0"]);
    expect(done.frames[0]).toEqual({ command: 'ERROR', headers: { message: 'Bad CONNECT' }, body: "Access refused for user 'x'\n" });
    expect(() => parse(['SEND\ncontent-length:2\n\nabc\0'])).toThrow('not followed by NUL');
    expect(() => parse(['SEND\ncontent-length:x\n\n\0'])).toThrow('bad content-length');
  });

  test('heart-beat negotiation (STOMP 1.2: max of each side, 0 when either is 0)', () => {
    expect(negotiate([2000, 2000], '4000,1000')).toEqual({ outgoingMs: 2000, incomingMs: 4000 });
    expect(negotiate([2000, 0], '1000,1000')).toEqual({ outgoingMs: 2000, incomingMs: 0 });
    expect(negotiate([2000, 2000], '0,0')).toEqual({ outgoingMs: 0, incomingMs: 0 });
    expect(negotiate([2000, 2000], undefined)).toEqual({ outgoingMs: 0, incomingMs: 0 });
  });
});
