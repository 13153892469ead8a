import { requestMetrics, Requests } from '../lib/helpers/request';
import { messagesSummary } from '../lib/results/message-summary';
import { FakeSocket, FakeVu, trendValues } from './message-helpers';

describe('Requests: replies matched by key, latency into a trend, timeouts counted', () => {
  test('latency of each reply, unknown and repeated replies ignored', () => {
    const vu = new FakeVu();
    const sock = new FakeSocket();
    const req = new Requests(vu, sock, { trend: 'rtt' });
    expect(req.send('a', 'A')).toBe(true);
    vu.advanceTo(5);
    req.send('b', 'B');
    vu.advanceTo(12);
    expect(req.reply('b')).toBe(7);
    expect(req.reply('b')).toBeUndefined();
    expect(req.reply('zzz')).toBeUndefined();
    vu.advanceTo(20);
    expect(req.reply('a')).toBe(20);
    expect(sock.sent).toEqual(['A', 'B']);
    expect(trendValues(vu, 'rtt')).toEqual({ count: 2, min: 7, max: 20 });
    expect(req.pending).toBe(0);
    expect(vu.count('rtt_timeouts')).toBe(0);
  });

  test('requests without a reply within the timeout are counted once; a late reply is not a latency', () => {
    const vu = new FakeVu();
    const req = new Requests<number>(vu, new FakeSocket(), { trend: 'rtt', timeouts: 'lost', timeoutMs: 100 });
    for (let k = 0; k < 5; k++) {
      req.send(k, `${k}`);
      vu.advanceTo(vu.t + 10);
    }
    req.reply(1);
    req.reply(3);
    expect(vu.timers.size).toBe(1); // one timer for the oldest, never one per request
    vu.advanceTo(99);
    expect(vu.count('lost')).toBe(0);
    vu.advanceTo(200);
    expect(vu.count('lost')).toBe(3);
    expect(req.reply(0)).toBeUndefined();
    expect(trendValues(vu, 'rtt').count).toBe(2);
    expect(vu.timers.size).toBe(0);
  });

  test('a reply that comes after the timeout, before the timer ran (busy loop), counts as a timeout', () => {
    const vu = new FakeVu();
    const req = new Requests(vu, new FakeSocket(), { trend: 'rtt', timeoutMs: 100 });
    req.send('x', 'x');
    vu.t = 150; // the clock moved, the timer has not run yet
    expect(req.reply('x')).toBeUndefined();
    expect(vu.count('rtt_timeouts')).toBe(1);
    expect(trendValues(vu, 'rtt').count).toBe(0);
  });

  test('requests waiting when the socket closes are timeouts; a closed socket sends nothing', () => {
    const vu = new FakeVu();
    const sock = new FakeSocket();
    const req = new Requests(vu, sock, { trend: 'rtt' });
    req.send('a', 'A');
    req.send('b', 'B');
    sock.close();
    expect(vu.count('rtt_timeouts')).toBe(2);
    expect(req.send('c', 'C')).toBe(false);
    expect(sock.sent).toEqual(['A', 'B']);
    expect(req.pending).toBe(0);
  });

  test('listen() extracts keys from incoming frames; callbacks get the latency; keys are unique', () => {
    const vu = new FakeVu();
    const sock = new FakeSocket();
    const req = new Requests(vu, sock, { trend: 'rtt' }).listen((d) => (typeof d === 'string' && d.startsWith('re:') ? d.slice(3) : undefined));
    const got: number[] = [];
    req.send('1', 'q1', (ms) => got.push(ms));
    expect(() => req.send('1', 'again')).toThrow('Requests: key 1 is already waiting for its reply; keys must be unique');
    vu.advanceTo(3);
    sock.emit('message', { type: 'message', data: 'other' });
    sock.emit('message', { type: 'message', data: 're:1' });
    expect(got).toEqual([3]);
    expect(trendValues(vu, 'rtt').count).toBe(1);
  });

  test('acks: true fills the summary\'s acks whatever the trend is named; without it, a trend of another name does not', () => {
    const vu = new FakeVu();
    const sock = new FakeSocket();
    const acks = new Requests<number>(vu, sock, { trend: 'puback_ms', timeoutMs: 100, acks: true });
    const other = new Requests<number>(vu, sock, { trend: 'login_ms', timeoutMs: 100 });
    acks.send(1, 'a');
    acks.send(2, 'b');
    other.send(1, 'l');
    vu.advanceTo(4);
    expect(acks.isWaiting(1)).toBe(true);
    expect(acks.reply(1)).toBe(4);
    expect(other.reply(1)).toBe(4);
    vu.advanceTo(200);
    sock.close();
    expect(trendValues(vu, 'puback_ms')).toEqual({ count: 1, min: 4, max: 4 });
    const m = messagesSummary(vu.reg.snapshot());
    expect(m.acked).toBe(1);
    expect(m.ackRttMs.count).toBe(1);
    expect(m.ackTimeouts).toBe(1);
    expect(vu.count('puback_ms_timeouts')).toBe(1);
    expect(requestMetrics({ trend: 'puback_ms', acks: true })).toEqual({
      puback_ms: 'trend', puback_ms_timeouts: 'counter', im_ack_rtt: 'trend', im_ack_rtt_from_plan: 'trend', im_ack_timeouts: 'counter',
    });
    expect(requestMetrics({ trend: 'im_ack_rtt', timeouts: 'im_ack_timeouts', acks: true })).toEqual({ im_ack_rtt: 'trend', im_ack_rtt_from_plan: 'trend', im_ack_timeouts: 'counter' });
  });
});
