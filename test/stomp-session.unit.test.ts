import { encodeFrame, HEARTBEATS_MISSED, Stomp, stompSettings } from '../lib/protocols/stomp';
import { M } from '../lib/core/metric-names';
import { hintFor } from '../lib/core/errors';
import type { ResolvedOptions } from '../lib/scenario/types';
import { FakeSocket, FakeVu, trendValues } from './message-helpers';

/** A session over a fake socket on the manual clock of test/message-helpers.ts (only the clock and the socket are fakes). */
function session(o: Partial<ResolvedOptions> = {}, login = 'user${vu}'): { vu: FakeVu; socket: FakeSocket; stomp: Stomp; frames: () => string[] } {
  const vu = new FakeVu();
  Object.assign(vu.options, { target: 'ws://broker.example:15674/ws', pingIntervalMs: 2000, tokens: ['t0'], ...o });
  const socket = new FakeSocket();
  socket.readyState = 0;
  const stomp = new Stomp(vu, socket, { login, passcode: '${token}' });
  socket.readyState = 1;
  socket.emit('open', { type: 'open' });
  return { vu, socket, stomp, frames: () => socket.sent.map(String) };
}
const rx = (s: FakeSocket, text: string): void => s.emit('message', { type: 'message', data: text });
const CONNECTED = 'CONNECTED\nversion:1.2\nheart-beat:4000,1000\n\n\0';

describe('the STOMP session (lib/protocols/stomp-client.ts) on a manual clock', () => {
  test('CONNECT carries the templates expanded, the host and the heart-beat offer; CONNECTED is timed', () => {
    const { vu, socket, stomp, frames } = session();
    expect(frames()).toEqual(['CONNECT\naccept-version:1.2,1.1\nhost:broker.example\nlogin:user0\npasscode:t0\nheart-beat:2000,2000\n\n\0']);
    let ready = 0;
    stomp.ready(() => ready++);
    vu.advanceTo(7);
    rx(socket, CONNECTED);
    expect(ready).toBe(1);
    expect(stomp.connected?.version).toBe('1.2');
    expect(trendValues(vu, 'stomp_connected_ms')).toMatchObject({ count: 1, max: 7 });
  });

  test('heart-beats: EOLs at max(2000, 1000) = 2 s; the broker\'s beat checked every max(4000, 2000) = 4 s, missed after 6 s of silence', () => {
    const { vu, socket, frames } = session();
    rx(socket, CONNECTED);
    vu.advanceTo(4000);
    expect(frames().filter((f) => f === '\n')).toHaveLength(2);
    expect(vu.count(M.pings)).toBe(2);
    // nothing from the broker since CONNECTED: at 4 s the silence is 4 s <= 6 s, a beat; at 8 s it is 8 s, missed
    vu.advanceTo(8000);
    expect([vu.count(M.pongs), vu.count(HEARTBEATS_MISSED)]).toEqual([1, 1]);
    vu.advanceTo(9000);
    rx(socket, '\n');
    vu.advanceTo(12_000);
    expect([vu.count(M.pongs), vu.count(HEARTBEATS_MISSED), vu.count(M.pings)]).toEqual([2, 1, 6]);
    expect(vu.reg.rates.get(M.pongRate)).toMatchObject({ passes: 2, total: 3 });
    socket.close();
    vu.advanceTo(20_000);
    expect(vu.count(M.pings)).toBe(6); // the timers stopped with the socket
  });

  test('SEND with a receipt is timed; a NACK and an ACK name the ack header; DISCONNECT closes on its receipt', () => {
    const { vu, socket, stomp, frames } = session();
    expect(stomp.send('/queue/a', 'x')).toBe(false); // not connected yet: nothing sent
    rx(socket, CONNECTED);
    const got: string[] = [];
    const sub = stomp.subscribe('/queue/me', (m) => got.push(m.body), { ack: 'client-individual' });
    expect(stomp.send('/queue/a', 'héllo', { seq: '1' })).toBe(true);
    vu.advanceTo(3);
    rx(socket, 'RECEIPT\nreceipt-id:r-0\n\n\0');
    expect(trendValues(vu, M.imAckRtt)).toMatchObject({ count: 1, max: 3 });
    rx(socket, `${encodeFrame('MESSAGE', { subscription: sub, 'message-id': 'm1', ack: 'a1' }, 'hi')}\n`);
    expect(got).toEqual(['hi']);
    stomp.ack({ command: 'MESSAGE', headers: { ack: 'a1' }, body: '' }, true);
    stomp.disconnect();
    expect(frames().slice(1)).toEqual([
      'SUBSCRIBE\nid:sub-0\ndestination:/queue/me\nack:client-individual\n\n\0',
      'SEND\nseq:1\ndestination:/queue/a\nreceipt:r-0\ncontent-length:6\n\nhéllo\0',
      'NACK\nid:a1\n\n\0',
      'DISCONNECT\nreceipt:bye-0\n\n\0',
    ]);
    expect(socket.readyState).toBe(1);
    rx(socket, 'RECEIPT\nreceipt-id:bye-0\n\n\0');
    expect(socket.readyState).toBe(3);
  });

  test('an ERROR frame is a failure class with the broker\'s message, names masked, and a hint; a close before CONNECTED is one too', () => {
    const { vu, socket } = session({}, 'nobody${vu}');
    rx(socket, encodeFrame('ERROR', { message: 'Bad CONNECT' }, "Access refused for user 'nobody0'\n"));
    expect(socket.readyState).toBe(3); // closed by the session, as the broker would
    const cls = "STOMP ERROR: Bad CONNECT (Access refused for user '…')";
    expect(Object.fromEntries(vu.reg.errors)).toEqual({ [cls]: 1 });
    expect(vu.count('stomp_error_frames')).toBe(1);
    expect(hintFor(cls)).toMatch(/login and passcode/);
    const silent = session();
    silent.socket.close();
    expect(Object.fromEntries(silent.vu.reg.errors)).toEqual({ 'STOMP no CONNECTED': 1 });
    expect(hintFor('STOMP no CONNECTED')).toMatch(/v12\.stomp/);
  });

  test('DISCONNECT without a receipt closes at once (a broker that sends none)', () => {
    const { socket, stomp, frames } = session();
    rx(socket, CONNECTED);
    stomp.disconnect({ receipt: false });
    expect(frames().slice(1)).toEqual(['DISCONNECT\n\n\0']);
    expect(socket.readyState).toBe(3);
  });

  test('${token} without tokens, or an unknown placeholder, is refused in one line', () => {
    const vu = new FakeVu();
    Object.assign(vu.options, { target: 'ws://b/ws', pingIntervalMs: 2000 });
    expect(() => new Stomp(vu, new FakeSocket(), { passcode: '${token}' })).toThrow('STOMP passcode uses ${token} but no tokens were given');
    expect(() => new Stomp(vu, new FakeSocket(), { login: 'u${user}' })).toThrow('STOMP login: unknown placeholder ${user}');
  });

  test('scenarios/stomp.ts settings: one line naming the bad one', () => {
    expect(stompSettings({}).stompAck).toBe('auto');
    expect(() => stompSettings({ stompAck: 'manual' })).toThrow('options.extra.stompAck must be one of auto, client, client-individual (got "manual")');
    expect(() => stompSettings({ stompLogin: '' })).toThrow('options.extra.stompLogin must be a non-empty string');
  });
});
