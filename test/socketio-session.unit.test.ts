import { M } from '../lib/core/metric-names';
import { hintFor } from '../lib/core/errors';
import { PING_TIMEOUTS, PINGS_RECEIVED, SocketIO } from '../lib/protocols/socketio';
import type { ResolvedOptions } from '../lib/scenario/types';
import { FakeSocket, FakeVu, trendValues } from './message-helpers';

/** The Socket.IO connection (lib/protocols/socketio-client.ts) over a fake socket on the manual clock of test/message-helpers.ts. */
function session(o: Partial<ResolvedOptions> = {}): { vu: FakeVu; socket: FakeSocket; io: SocketIO; frames: () => string[] } {
  const vu = new FakeVu();
  Object.assign(vu.options, { target: 'ws://h:3000', connectTimeoutMs: 5000, tokens: ['t0'], ...o });
  const socket = new FakeSocket();
  socket.readyState = 0;
  const io = new SocketIO(vu, socket);
  socket.readyState = 1;
  socket.emit('open', { type: 'open' });
  return { vu, socket, io, frames: () => socket.sent.map((d) => (typeof d === 'string' ? d : '<binary>')) };
}
const rx = (s: FakeSocket, data: string | ArrayBuffer): void => s.emit('message', { type: 'message', data });
const OPEN = '0{"sid":"s1","upgrades":[],"pingInterval":1000,"pingTimeout":500,"maxPayload":1000000}';

describe('Socket.IO on a manual clock', () => {
  test('the open packet and the CONNECT (auth with ${vu} and ${token}) are timed; events go out once connected', () => {
    const { vu, socket, io, frames } = session();
    const chat = io.of('/chat', { token: '${token}', user: 'u${vu}' });
    expect(chat.emit('x')).toBe(false); // not connected: nothing sent
    vu.advanceTo(4);
    rx(socket, OPEN);
    expect(frames()).toEqual(['40/chat,{"token":"t0","user":"u0"}']);
    let ready = 0;
    chat.ready(() => ready++);
    vu.advanceTo(10);
    rx(socket, '40/chat,{"sid":"n1"}');
    expect([ready, chat.sid]).toEqual([1, 'n1']);
    expect(trendValues(vu, 'socketio_open_ms')).toMatchObject({ count: 1, max: 4 });
    expect(trendValues(vu, 'socketio_connect_ms')).toMatchObject({ count: 1, max: 6 });
    expect(chat.emit('join', ['u0'])).toBe(true);
    expect(frames()[1]).toBe('42/chat,["join","u0"]');
  });

  test('acks: timed through Requests into socketio_ack_ms and the summary\'s acks, the server\'s arguments handed on; a missing one times out', () => {
    const { vu, socket, io, frames } = session();
    const chat = io.of('/chat');
    rx(socket, OPEN);
    rx(socket, '40/chat,{"sid":"n1"}');
    const got: Array<[number, unknown[]]> = [];
    expect(chat.emit('chat', ['u1', { seq: 0 }], (ms, args) => got.push([ms, args]))).toBe(true);
    expect(chat.emit('chat', ['u1', { seq: 1 }], true)).toBe(true);
    expect(frames().slice(1)).toEqual(['42/chat,1["chat","u1",{"seq":0}]', '42/chat,2["chat","u1",{"seq":1}]']);
    vu.advanceTo(7);
    rx(socket, '43/chat,1[{"ok":true}]');
    expect(got).toEqual([[7, [{ ok: true }]]]);
    expect(trendValues(vu, 'socketio_ack_ms')).toMatchObject({ count: 1, max: 7 });
    expect(trendValues(vu, M.imAckRtt)).toMatchObject({ count: 1 });
    vu.advanceTo(1100); // the pong timeout (1 s) passed for ack 2
    expect(vu.count(M.imAckTimeouts)).toBe(1);
  });

  test('binary arguments go as a BINARY_EVENT and its attachment; events in reach their handlers, with an ack when asked', () => {
    const { socket, io, frames } = session();
    const chat = io.of('/chat');
    rx(socket, OPEN);
    rx(socket, '40/chat,{"sid":"n1"}');
    chat.emit('file', [new Uint8Array([1, 2])]);
    expect(frames().slice(1)).toEqual(['451-/chat,["file",{"_placeholder":true,"num":0}]', '<binary>']);
    const seen: unknown[][] = [];
    chat.on('chat', (args, ack) => {
      seen.push(args);
      ack?.('thanks');
    });
    rx(socket, '42/chat,5["chat",{"from":3}]');
    rx(socket, '451-/chat,["chat",{"_placeholder":true,"num":0}]');
    rx(socket, new Uint8Array([9]).buffer);
    expect(seen[0]).toEqual([{ from: 3 }]);
    expect([...new Uint8Array(seen[1]?.[0] as ArrayBuffer)]).toEqual([9]);
    expect(frames()[3]).toBe('43/chat,5["thanks"]');
  });

  test('the server\'s pings: answered at once; the round trip from our pong to its next ping, less pingInterval', () => {
    const { vu, socket, frames } = session();
    rx(socket, OPEN);
    vu.advanceTo(1002);
    rx(socket, '2'); // the first: answered, no round trip (it follows the open packet)
    vu.advanceTo(2005);
    rx(socket, '2'); // 1003 ms after our pong: a 3 ms round trip
    vu.advanceTo(3505);
    rx(socket, '2'); // 1500 ms after: 500 ms, still within pingTimeout
    expect(frames().filter((f) => f === '3')).toHaveLength(3);
    expect([vu.count(M.pings), vu.count(M.pongs), vu.count(PINGS_RECEIVED), vu.count(PING_TIMEOUTS)]).toEqual([3, 3, 3, 0]);
    expect(trendValues(vu, 'socketio_ping_rtt_ms')).toMatchObject({ count: 2, min: 3, max: 500 });
    expect(trendValues(vu, M.ping).count).toBe(0); // ws_ping is k6's own: left alone on both engines
    expect(socket.failedAs).toBeUndefined();
  });

  test('no ping within pingInterval + pingTimeout of our pong: the server would drop us for a late pong; a ping timeout, by the timer or read late', () => {
    const a = session();
    rx(a.socket, OPEN);
    a.vu.advanceTo(1000);
    rx(a.socket, '2');
    a.vu.advanceTo(1000 + 1501); // the deadline's timer
    expect([a.vu.count(PING_TIMEOUTS), a.vu.count(M.pongs)]).toEqual([1, 1]);
    expect(a.socket.failedAs).toBe('Socket.IO ping timeout');
    expect(a.vu.reg.rates.get(M.pongRate)).toMatchObject({ passes: 1, total: 2 });
    expect(hintFor('Socket.IO ping timeout')).toMatch(/pingTimeout/);
    const b = session();
    rx(b.socket, OPEN);
    b.vu.t = 1600; // a busy generator reads the first ping after its deadline, before the timer runs
    rx(b.socket, '2');
    expect([b.vu.count(PING_TIMEOUTS), b.vu.count(M.pings), b.socket.failedAs]).toEqual([1, 0, 'Socket.IO ping timeout']);
  });

  test('CONNECT_ERROR: a failure class with the server\'s message and its hint; the connection closes on purpose', () => {
    const { vu, socket, io } = session();
    io.of('/chat', { token: '${token}' });
    rx(socket, OPEN);
    rx(socket, '44/chat,{"message":"invalid token for user \'bob\'"}');
    const cls = "Socket.IO CONNECT_ERROR /chat: invalid token for user '…'";
    expect(vu.reg.errors.get(cls)).toBe(1);
    expect(vu.count('socketio_connect_errors')).toBe(1);
    expect(socket.readyState).toBe(3);
    expect(socket.failedAs).toBeUndefined();
    expect(hintFor(cls)).toMatch(/refused the namespace/);
  });

  test('a message that is no packet fails the connection as malformed; ${token} without tokens is refused in one line', () => {
    const { socket } = session();
    rx(socket, OPEN);
    rx(socket, '4zz');
    expect(socket.failedAs).toBe('Socket.IO malformed packet');
    const { io } = session({ tokens: undefined });
    expect(() => io.of('/chat', { token: '${token}' })).toThrow('Socket.IO auth of /chat uses ${token} but no tokens were given');
  });
});
