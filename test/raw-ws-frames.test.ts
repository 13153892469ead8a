import net from 'node:net';
import { both, constructError, Outcome, ProbeOptions } from './raw-ws-probe';
import { closeFrame, frame, ok101, ScriptedServer, startScriptedServer } from './raw-ws-server';

/**
 * Differential, part 2: answers and frames written byte by byte (test/raw-ws-server.ts), which
 * neither the fault server nor the embedded server send. `ws` and RawWebSocket must agree, and
 * agree with the known answer.
 */
let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function scripted(answer: (head: string, s: net.Socket) => void, probe: ProbeOptions = {}): Promise<{ ws: Outcome; raw: Outcome }> {
  server = await startScriptedServer(answer);
  const r = await both(server.url, { handshakeTimeoutMs: 1000, ...probe });
  expect(r.raw).toEqual(r.ws);
  return r;
}

const after101 = (...frames: Buffer[]) => (head: string, s: net.Socket): void => {
  s.write(Buffer.concat([Buffer.from(ok101(head), 'latin1'), ...frames]));
};

describe('frames', () => {
  test('a text message in three fragments, a ping between them: one message, one auto-pong, then a close 4000', async () => {
    const { ws } = await scripted(after101(frame(false, 1, 'hel'), frame(true, 9, 'p'), frame(false, 0, 'lo '), frame(true, 0, 'world'), closeFrame(4000, 'done')));
    expect(ws).toMatchObject({ attempt: 'open', messages: 1, bytes: 11, binary: 0, closeCode: 4000, closeReason: 'done', disconnect: 'close 4000' });
  });

  test('a binary message of 300 bytes (16-bit length), in two fragments', async () => {
    const { ws } = await scripted(after101(frame(false, 2, Buffer.alloc(100, 1)), frame(true, 0, Buffer.alloc(200, 2)), closeFrame(1000)));
    expect(ws).toMatchObject({ messages: 1, bytes: 300, binary: 1, closeCode: 1000, disconnect: 'close 1000' });
  });

  test('a fragmented ping: "1002 fragmented control frame"', async () => {
    const { ws } = await scripted(after101(frame(false, 9, 'x')));
    expect(ws).toMatchObject({ messages: 0, disconnect: '1002 fragmented control frame' });
  });

  test('a continuation with nothing to continue: protocol error', async () => {
    const { ws } = await scripted(after101(frame(true, 0, 'x')));
    expect(ws.disconnect).toBe('1002 invalid opcode');
  });

  test('RSV2 set: "1002 unexpected RSV bits"', async () => {
    const { ws } = await scripted(after101(frame(true, 1, 'x', 2)));
    expect(ws.disconnect).toBe('1002 unexpected RSV bits');
  });

  test('a close frame with an invalid code (1005): "1002 invalid close code"', async () => {
    const { ws } = await scripted(after101(closeFrame(1005)));
    expect(ws.disconnect).toBe('1002 invalid close code');
  });

  test('frames in the same TCP packet as the 101: none lost', async () => {
    const many = Array.from({ length: 50 }, (_, i) => frame(true, 1, `m${i}`));
    const { ws } = await scripted(after101(...many, closeFrame(1000)));
    expect(ws).toMatchObject({ messages: 50, bytes: 140, closeCode: 1000 });
  });
});

describe('answers to the upgrade', () => {
  const bad = (fix: (h: string) => string) => (head: string, s: net.Socket): void => {
    s.write(fix(ok101(head)));
  };
  test.each<[string, (h: string) => string]>([
    ['bad handshake: Invalid Sec-WebSocket-Accept header', (h) => h.replace(/Accept: .*\r\n/, 'Accept: AAAA\r\n')],
    ['bad handshake: Invalid Sec-WebSocket-Accept header', (h) => h.replace(/Sec-WebSocket-Accept: .*\r\n/, '')],
    ['Invalid Upgrade header', (h) => h.replace('Upgrade: websocket\r\n', 'Upgrade: h2c\r\n')],
    ['bad handshake: Server sent a subprotocol but none was requested', (h) => h.replace('\r\n\r\n', '\r\nSec-WebSocket-Protocol: chat\r\n\r\n')],
    ['bad handshake: Server sent a Sec-WebSocket-Extensions header but no extensi', (h) => h.replace('\r\n\r\n', '\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n')],
  ])('"%s"', async (cls, fix) => {
    const { ws } = await scripted(bad(fix));
    expect(ws).toMatchObject({ attempt: cls, closeCode: 1006, events: [`error:${cls}`, 'close:1006'] });
  });

  test('subprotocols offered, one not offered chosen: "Server sent an invalid subprotocol"', async () => {
    const { ws } = await scripted(bad((h) => h.replace('\r\n\r\n', '\r\nSec-WebSocket-Protocol: other\r\n\r\n')), { protocols: ['a', 'b'] });
    expect(ws.attempt).toBe('bad handshake: Server sent an invalid subprotocol');
  });

  test('subprotocols offered, the second chosen: open with it', async () => {
    const { ws } = await scripted(bad((h) => h.replace('\r\n\r\n', '\r\nSec-WebSocket-Protocol: b\r\n\r\n')), { protocols: ['a', 'b'], closeAfterMs: 10 });
    expect(ws).toMatchObject({ attempt: 'open', protocol: 'b', closeCode: 1000 });
  });

  test('an answer in three TCP writes, with a 100 Continue before it: open', async () => {
    const { ws } = await scripted((head, s) => {
      const whole = `HTTP/1.1 100 Continue\r\n\r\n${ok101(head)}`;
      s.write(whole.slice(0, 10));
      setTimeout(() => s.write(whole.slice(10, 60)), 20);
      setTimeout(() => s.write(whole.slice(60)), 40);
    }, { closeAfterMs: 10 });
    expect(ws).toMatchObject({ attempt: 'open', closeCode: 1000 });
  });

  test('the server hangs up without answering: ECONNRESET ("socket hang up")', async () => {
    const { ws } = await scripted((_h, s) => s.end());
    expect(ws).toMatchObject({ attempt: 'ECONNRESET', closeCode: 1006 });
  });

  test('the server answers something that is not HTTP: a parse error', async () => {
    const { ws } = await scripted((_h, s) => s.end('SSH-2.0-OpenSSH\r\n\r\n'));
    expect(ws.attempt).toBe('HPE_INVALID_CONSTANT');
  });

  test('a 101 head larger than 16 KiB: a header overflow', async () => {
    const { ws } = await scripted((h, s) => s.write(ok101(h, [`X-Big: ${'a'.repeat(100_000)}`])));
    expect(ws.attempt).toBe('HPE_HEADER_OVERFLOW');
  });

  test('a 101 without Connection: upgrade is a plain answer: "HTTP 101"', async () => {
    const { ws } = await scripted((h, s) => s.write(ok101(h).replace('Connection: Upgrade\r\n', '')));
    expect(ws.attempt).toBe('HTTP 101');
  });
});

describe('bad input throws at once, with the same error', () => {
  test.each<[string, string[] | undefined, Record<string, string> | undefined]>([
    ['not a url', undefined, undefined],
    ['ftp://127.0.0.1/x', undefined, undefined],
    ['ws://127.0.0.1:1/x#frag', undefined, undefined],
    ['ws://127.0.0.1:1/x', ['a b'], undefined],
    ['ws://127.0.0.1:1/x', ['a', 'a'], undefined],
    ['ws://127.0.0.1:1/x', undefined, { 'Bad Name': 'x' }],
    ['ws://127.0.0.1:1/x', undefined, { 'X-Ok': 'line\r\nbreak' }],
  ])('%s %j %j', (url, protocols, headers) => {
    const a = constructError('ws', url, protocols, headers);
    expect(a).not.toBe('no error');
    expect(constructError('raw', url, protocols, headers)).toBe(a);
  });
});
