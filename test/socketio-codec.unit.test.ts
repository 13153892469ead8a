import WebSocket from 'ws';
import { encodePacket, PacketReader, PacketType, parseOpen, socketioUrl, SocketIOMalformed } from '../lib/protocols/socketio';
import type { Packet } from '../lib/protocols/socketio';
import { startSocketIOServer, SioServer } from './servers/socketio-server';

/** The Socket.IO codec (lib/protocols/socketio-engine.ts, socketio-codec.ts): its wire text, and a round trip through the real socket.io server. */

describe('Engine.IO framing', () => {
  test('the open packet: sid and the heartbeat settings; anything else is none', () => {
    expect(parseOpen('{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}'))
      .toEqual({ sid: 'abc', pingInterval: 25000, pingTimeout: 20000, maxPayload: 1000000 });
    expect(parseOpen('{"sid":"abc"}')).toBeUndefined();
    expect(parseOpen('not json')).toBeUndefined();
    expect(parseOpen('null')).toBeUndefined();
  });

  test.each([
    ['ws://h:3000', 'ws://h:3000/socket.io/?EIO=4&transport=websocket'],
    ['ws://h:3000/', 'ws://h:3000/socket.io/?EIO=4&transport=websocket'],
    ['wss://h/?uid=${vu}', 'wss://h/socket.io/?uid=${vu}&EIO=4&transport=websocket'],
    ['ws://h/chat-io/', 'ws://h/chat-io/?EIO=4&transport=websocket'],
    ['ws://h/socket.io/?EIO=4&transport=websocket', 'ws://h/socket.io/?EIO=4&transport=websocket'],
  ])('socketioUrl(%s) = %s', (target, url) => {
    expect(socketioUrl(target)).toBe(url);
  });
});

describe('Socket.IO packets (lib/protocols/socketio-codec.ts)', () => {
  test('CONNECT with auth, EVENT with an ack id, ACK: one text message each, after the Engine.IO message type 4', () => {
    expect(encodePacket({ type: PacketType.CONNECT, nsp: '/chat', data: { token: 't' } })).toEqual(['40/chat,{"token":"t"}']);
    expect(encodePacket({ type: PacketType.CONNECT, nsp: '/' })).toEqual(['40']);
    expect(encodePacket({ type: PacketType.EVENT, nsp: '/chat', id: 7, data: ['chat', 'u1', { seq: 1 }] })).toEqual(['42/chat,7["chat","u1",{"seq":1}]']);
    expect(encodePacket({ type: PacketType.ACK, nsp: '/', id: 3, data: [{ ok: true }] })).toEqual(['433[{"ok":true}]']);
  });

  test('a binary argument makes a BINARY_EVENT: a placeholder in the text, the bytes as a message of their own; decoded back whole', () => {
    const bytes = new Uint8Array([1, 2, 255]);
    const msgs = encodePacket({ type: PacketType.EVENT, nsp: '/chat', id: 2, data: ['file', { body: bytes }] });
    expect(msgs).toEqual(['451-/chat,2["file",{"body":{"_placeholder":true,"num":0}}]', bytes]);
    const r = new PacketReader();
    expect(r.push((msgs[0] as string).slice(1))).toEqual([]); // waits for its attachment
    const [p] = r.push(bytes.slice().buffer);
    // socket.io-parser hands a BINARY_EVENT on as the EVENT it rebuilt, the bytes back in the placeholder's place
    expect(p).toMatchObject({ type: PacketType.EVENT, nsp: '/chat', id: 2 });
    expect([...new Uint8Array(((p as Packet).data as [string, { body: ArrayBuffer }])[1].body)]).toEqual([1, 2, 255]);
  });

  test('decoding: the namespace without data, an ack id without namespace, a BINARY_ACK rebuilt as the ACK it carries', () => {
    const r = new PacketReader();
    expect(r.push('1/chat,')).toEqual([{ type: PacketType.DISCONNECT, nsp: '/chat' }]);
    expect(r.push('1/chat')).toEqual([{ type: PacketType.DISCONNECT, nsp: '/chat' }]);
    expect(r.push('312[1,"a"]')).toEqual([{ type: PacketType.ACK, nsp: '/', id: 12, data: [1, 'a'] }]);
    expect(r.push('4/chat,{"message":"no"}')).toEqual([{ type: PacketType.CONNECT_ERROR, nsp: '/chat', data: { message: 'no' } }]);
    expect(r.push('62-/chat,5[{"_placeholder":true,"num":1},{"_placeholder":true,"num":0}]')).toEqual([]);
    const [a, b] = [new Uint8Array([1]).buffer, new Uint8Array([2]).buffer];
    expect(r.push(a)).toEqual([]);
    expect(r.push(b)).toEqual([{ type: PacketType.ACK, nsp: '/chat', id: 5, data: [b, a] }]);
    expect(encodePacket({ type: PacketType.ACK, nsp: '/chat', id: 5, data: [new Uint8Array([3]).buffer] })[0]).toBe('461-/chat,5[{"_placeholder":true,"num":0}]');
  });

  test('no packet: SocketIOMalformed, and the reader starts afresh', () => {
    for (const bad of ['', '7', '2/chat,{"not":"an array"}', '0/chat,', '2[]', '5x-["a"]', '2/chat,[broken']) {
      expect(() => new PacketReader().push(bad)).toThrow(SocketIOMalformed);
    }
    const half = new PacketReader();
    half.push('51-["f",{"_placeholder":true,"num":3}]');
    expect(() => half.push(new Uint8Array([1]).buffer)).toThrow('placeholder 3 names no attachment');
    half.push('51-["f",{"_placeholder":true,"num":0}]');
    expect(() => half.push('2["text while an attachment is due"]')).toThrow(SocketIOMalformed);
    const r = new PacketReader();
    expect(() => r.push('9x')).toThrow(SocketIOMalformed);
    expect(() => r.push(new Uint8Array([1]).buffer)).toThrow(SocketIOMalformed); // an attachment nobody announced
    expect(r.push('2/chat,["hi"]')).toEqual([{ type: PacketType.EVENT, nsp: '/chat', data: ['hi'] }]);
  });
});

describe('against the real socket.io server (test/servers/socketio-server.ts)', () => {
  let server: SioServer;
  beforeAll(async () => {
    server = await startSocketIOServer({ pingInterval: 200, pingTimeout: 5000, tokens: ['good'] });
  });
  afterAll(() => server.close());

  /** A raw ws client speaking the codec, its messages read as Engine.IO packets. */
  function client(): { ws: WebSocket; next: () => Promise<string | ArrayBuffer> } {
    const ws = new WebSocket(socketioUrl(server.url));
    const queue: Array<string | ArrayBuffer> = [];
    const waiting: Array<(m: string | ArrayBuffer) => void> = [];
    ws.on('message', (d, binary) => {
      const m = binary ? new Uint8Array(d as Buffer).slice().buffer : String(d);
      const w = waiting.shift();
      if (w) w(m);
      else queue.push(m);
    });
    return { ws, next: () => new Promise((r) => (queue.length > 0 ? r(queue.shift()!) : waiting.push(r))) };
  }
  const send = (ws: WebSocket, p: Packet): void => {
    for (const m of encodePacket(p)) ws.send(m);
  };

  test('open packet, CONNECT with auth, ping/pong, a binary event relayed to a room and acked, a refusal', async () => {
    const a = client();
    const b = client();
    const reader = new PacketReader();
    const packets = async (c: typeof a): Promise<Packet[]> => {
      for (;;) {
        const m = await c.next();
        if (typeof m === 'string' && m[0] === '2') c.ws.send('3');
        else if (typeof m !== 'string') return reader.push(m);
        else if (m[0] === '4') {
          const got = reader.push(m.slice(1));
          if (got.length > 0) return got;
        }
      }
    };
    for (const c of [a, b]) {
      const open = await c.next();
      expect(parseOpen(String(open).slice(1))).toMatchObject({ pingInterval: 200, pingTimeout: 5000 });
      send(c.ws, { type: PacketType.CONNECT, nsp: '/chat', data: { token: 'good' } });
      expect((await packets(c))[0]).toMatchObject({ type: PacketType.CONNECT, nsp: '/chat', data: { sid: expect.any(String) } });
    }
    send(b.ws, { type: PacketType.EVENT, nsp: '/chat', id: 1, data: ['join', 'room-b'] });
    expect(await packets(b)).toEqual([{ type: PacketType.ACK, nsp: '/chat', id: 1, data: [] }]);
    send(a.ws, { type: PacketType.EVENT, nsp: '/chat', id: 9, data: ['chat', 'room-b', { from: 0, body: new Uint8Array([7, 8, 9]) }] });
    expect(await packets(a)).toEqual([{ type: PacketType.ACK, nsp: '/chat', id: 9, data: [{ ok: true }] }]);
    const [relayed] = await packets(b);
    expect(relayed).toMatchObject({ type: PacketType.EVENT, nsp: '/chat' }); // rebuilt from a BINARY_EVENT and its attachment
    const body = ((relayed as Packet).data as [string, { body: ArrayBuffer }])[1].body;
    expect([...new Uint8Array(body)]).toEqual([7, 8, 9]);
    expect(server.counts).toMatchObject({ connects: 2, received: 1, acked: 1, relayed: 1, binary: 1 });

    const c = client();
    await c.next();
    send(c.ws, { type: PacketType.CONNECT, nsp: '/chat', data: { token: 'bad' } });
    expect(await packets(c)).toEqual([{ type: PacketType.CONNECT_ERROR, nsp: '/chat', data: { message: 'invalid token' } }]);
    for (const x of [a, b, c]) x.ws.close();
  });
});
