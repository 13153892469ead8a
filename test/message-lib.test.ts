import { messagesSummary, ratePerSec } from '../lib/message-summary';
import { MessageMeter } from '../lib/messages';
import { mergeSnapshots, Registry } from '../lib/metrics/registry';
import { M } from '../lib/metric-names';
import { messageLines } from '../lib/report/messages';
import { Requests } from '../lib/request';
import { pace, peakWindow, firstStartMs, sendPlan } from '../lib/send-plan';
import { SequenceWindow } from '../lib/sequence';
import { hold, ramp } from '../lib/stages';
import type { ResolvedOptions, Socket, SocketEvent, SocketEventMap, VuContext } from '../lib/types';

/** A VU on a manual clock: timers fire only when the test advances time. Only the clock is mocked. */
class FakeVu implements VuContext {
  readonly id = 0;
  t = 0;
  wall = 1_700_000_000_000;
  private seq = 0;
  readonly timers = new Map<number, { at: number; fn: () => void; every?: number }>();
  readonly reg = new Registry();
  readonly options = { pongTimeoutMs: 1000 } as ResolvedOptions;

  connect(): Socket {
    throw new Error('not used');
  }
  setInterval(fn: () => void, ms: number): unknown {
    this.timers.set(++this.seq, { at: this.t + ms, fn, every: ms });
    return this.seq;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    this.timers.set(++this.seq, { at: this.t + ms, fn });
    return this.seq;
  }
  clearTimer(h: unknown): void {
    this.timers.delete(h as number);
  }
  now(): number {
    return this.t;
  }
  wallNow(): number {
    return this.wall + this.t;
  }
  counter(name: string) {
    return { add: (v = 1) => this.reg.add(name, v) };
  }
  trend(name: string) {
    return { add: (ms: number) => this.reg.trend(name, ms) };
  }
  rate(name: string) {
    return { add: (ok: boolean) => this.reg.rate(name, ok) };
  }
  /** Runs due timers in time order up to `to` (each at its own time, as a real clock would). */
  advanceTo(to: number): void {
    for (;;) {
      let next: [number, { at: number; fn: () => void; every?: number }] | undefined;
      for (const e of this.timers) if (e[1].at <= to && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      const [id, timer] = next;
      this.t = timer.at;
      if (timer.every !== undefined) timer.at += timer.every;
      else this.timers.delete(id);
      timer.fn();
    }
    this.t = to;
  }
  count(name: string): number {
    return this.reg.counters.get(name) ?? 0;
  }
}

class FakeSocket implements Socket {
  readyState = 1;
  readonly sent: Array<string | ArrayBuffer | Uint8Array> = [];
  private readonly listeners: { [K in SocketEvent]?: Array<(e: SocketEventMap[K]) => void> } = {};
  addEventListener<K extends SocketEvent>(event: K, fn: (e: SocketEventMap[K]) => void): void {
    ((this.listeners[event] ??= []) as Array<(e: SocketEventMap[K]) => void>).push(fn);
  }
  emit<K extends SocketEvent>(event: K, e: SocketEventMap[K]): void {
    for (const fn of (this.listeners[event] ?? []) as Array<(e: SocketEventMap[K]) => void>) fn(e);
  }
  send(data: string | ArrayBuffer | Uint8Array): void {
    this.sent.push(data);
  }
  ping(): void {}
  close(): void {
    this.readyState = 3;
    this.emit('close', { type: 'close', code: 1000, reason: '' });
  }
}

const trendValues = (vu: FakeVu, name: string): { count: number; min: number; max: number } => {
  const h = vu.reg.trends.get(name);
  return h ? { count: h.totalCount, min: h.minNonZeroValue / 1000, max: h.maxValue / 1000 } : { count: 0, min: 0, max: 0 };
};

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
});

describe('SequenceWindow: lost, duplicated and out of order per pair, in bounded memory', () => {
  test('known answers', () => {
    const w = new SequenceWindow(64);
    const seen = [0, 1, 2, 2, 5, 4, 4, 3, 0, 6].map((s) => w.arrive('a', s));
    expect(seen).toEqual(['new', 'new', 'new', 'duplicate', 'new', 'reordered', 'duplicate', 'reordered', 'duplicate', 'new']);
    // pairs are independent
    expect(w.arrive('b', 3)).toBe('new');
    expect(w.arrive('b', 0)).toBe('reordered');
    expect(w.pairCount).toBe(2);
    // a forgotten pair's row is reused, clean
    w.forget('a');
    expect(w.arrive('c', 1)).toBe('new');
    expect(w.arrive('c', 0)).toBe('reordered');
    expect(w.arrive('c', 4)).toBe('new');
    expect(w.arrive('c', 2)).toBe('reordered');
    expect(w.pairCount).toBe(2);
  });

  test('grows past its first rows without mixing pairs', () => {
    const w = new SequenceWindow(64);
    for (let p = 0; p < 1000; p++) expect(w.arrive(`p${p}`, p % 7)).toBe('new');
    for (let p = 0; p < 1000; p++) expect(w.arrive(`p${p}`, p % 7)).toBe('duplicate');
    for (let p = 0; p < 1000; p++) expect(w.arrive(`p${p}`, (p % 7) + 1)).toBe('new');
  });

  test('the window slides: older than the window is stale; a jump clears the bits it passes', () => {
    const w = new SequenceWindow(32);
    for (let s = 0; s < 40; s++) expect(w.arrive('p', s)).toBe('new');
    expect(w.arrive('p', 7)).toBe('stale'); // 39 − 7 >= 32
    expect(w.arrive('p', 9)).toBe('duplicate'); // 39 − 9 = 30: still inside
    expect(w.arrive('p', 100)).toBe('new');
    expect(w.arrive('p', 99)).toBe('reordered'); // its bit was cleared by the jump, not left from 35 (99 % 32 === 35 % 32)
    expect(w.arrive('p', 68)).toBe('stale');
  });

  test('exact over a long shuffled stream with duplicates, memory independent of length', () => {
    const w = new SequenceWindow(256);
    let s = 12345;
    const rand = (): number => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const counts = { new: 0, reordered: 0, duplicate: 0, stale: 0 };
    const n = 100_000;
    // each message is overtaken by at most 100 later ones, and every 50th is delivered twice
    const order = Array.from({ length: n }, (_, i) => ({ i, key: i + rand() * 100 }))
      .sort((x, y) => x.key - y.key)
      .map((x) => x.i);
    for (const seq of order) {
      counts[w.arrive('x', seq)]++;
      if (seq % 50 === 0) counts[w.arrive('x', seq)]++;
    }
    expect(counts.new + counts.reordered).toBe(n);
    expect(counts.duplicate).toBe(n / 50);
    expect(counts.stale).toBe(0);
    expect(counts.reordered).toBeGreaterThan(0);
  });

  test('rejects a window that is not a multiple of 32 and negative sequence numbers', () => {
    expect(() => new SequenceWindow(100)).toThrow('SequenceWindow: size must be a multiple of 32 (got 100)');
    expect(() => new SequenceWindow().arrive('a', -1)).toThrow('SequenceWindow: sequence numbers must be whole numbers >= 0 (got -1)');
  });
});

describe('MessageMeter and the messages summary', () => {
  test('expected at the sender, unique at the receiver: lost = expected − delivered, merged over processes', () => {
    const a = new FakeVu();
    const b = new FakeVu();
    const sender = new MessageMeter(a);
    const receiver = new MessageMeter(b);
    for (let i = 0; i < 10; i++) {
      a.advanceTo(i * 100);
      sender.sent(2);
    }
    // receiver process: 7 of the 20 expected deliveries, one of them twice, one out of order
    b.advanceTo(50);
    for (const seq of [0, 1, 3, 2, 2, 4, 5, 6]) receiver.delivered('s1', seq, b.wallNow() - 12);
    sender.flush();
    receiver.flush();
    const m = messagesSummary(mergeOf(a, b));
    expect(m).toMatchObject({
      sent: 10, expected: 20, delivered: 7, received: 8, lost: 13, lossRate: 0.65, duplicated: 1, outOfOrder: 1, stale: 0,
    });
    expect(m.latencyMs.count).toBe(7);
    expect(Math.abs(m.latencyMs.p50! - 12)).toBeLessThanOrEqual(0.012); // HDR: 3 significant digits
    // the sender sent 10 over 900 ms: 9 gaps of 100 ms
    expect(a.count(M.imSendSpan)).toBe(900);
    expect(m.throughput.sentPerSec).toBe(10);
  });

  test('throughput: actors × (events − actors) / summed spans', () => {
    expect(ratePerSec(2000 * 600, 2000, 2000 * 599 * 100)).toBe(20_000);
    expect(ratePerSec(5, 5, 1000)).toBe(0); // one event each: no span
    expect(ratePerSec(0, 0, 0)).toBe(0);
  });

  test('text section: the counts, loss and percentiles; nothing for a run without messages', () => {
    const a = new FakeVu();
    const meter = new MessageMeter(a);
    for (let i = 0; i < 4; i++) meter.sent(1);
    meter.delivered('p', 0, a.wallNow() - 3);
    meter.delivered('p', 1, a.wallNow() - 3);
    meter.delivered('p', 2, a.wallNow() - 3);
    const lines = messageLines(messagesSummary(a.reg.snapshot()), 'en');
    expect(lines).toEqual([
      '',
      '--- Messages ---',
      'Sent:           4',
      'Acked:          0',
      'Delivered:      3 / 4 expected',
      'Lost:           1 (25.00%)',
      'Duplicated:     0',
      'Out of order:   0',
      'Throughput:     0.0 sent/s, 0.0 delivered/s',
      'Delivery latency (ms):',
      '  P50 3.00   P90 3.00   P95 3.00   P99 3.00   Max 3.00   Avg 3.00',
    ]);
    expect(messageLines(messagesSummary(new Registry().snapshot()), 'zh')).toEqual([]);
  });
});

/** What the coordinator does with the worker processes' snapshots. */
const mergeOf = (...vus: FakeVu[]) => mergeSnapshots(vus.map((v) => v.reg.snapshot()));

describe('send plan: every VU sends the same known number of messages inside the peak', () => {
  const stages = [ramp('1s', 20), hold('2s')];

  test('peak window and planned starts', () => {
    expect(peakWindow(stages)).toEqual({ fromMs: 1000, toMs: 3000, vus: 20 });
    expect(peakWindow([ramp('1s', 10), hold('5s'), ramp('1s', 0)])).toEqual({ fromMs: 1000, toMs: 6000, vus: 10 });
    expect(firstStartMs(stages, 0)).toBe(0);
    expect(firstStartMs(stages, 10)).toBe(500);
    expect(firstStartMs(stages, 20)).toBeUndefined();
  });

  test('count = floor((peak − warmup − drain) × rate); every send inside [peak start + warmup, peak end − drain)', () => {
    for (let vu = 0; vu < 20; vu++) {
      const p = sendPlan(stages, vu, { rate: 10 });
      expect(p.count).toBe(10); // (2000 − 500 − 500) ms × 10/s
      expect(p.periodMs).toBe(100);
      const first = (firstStartMs(stages, vu) as number) + p.startInMs;
      expect(first).toBeGreaterThanOrEqual(1500);
      expect(first + (p.count - 1) * p.periodMs).toBeLessThan(2500);
    }
    expect(sendPlan(stages, 3, { rate: 2, warmupMs: 0, drainMs: 0 }).count).toBe(4);
    expect(sendPlan([ramp('1s', 2), hold('100ms')], 0, { rate: 10, warmupMs: 100 }).count).toBe(0);
    expect(() => sendPlan(stages, 0, { rate: 0 })).toThrow('message rate must be a number > 0 per second (got 0)');
  });

  test('pace: exactly count calls at start + i × period, late timers caught up', () => {
    const vu = new FakeVu();
    const calls: Array<[number, number]> = [];
    pace(vu, { startInMs: 50, periodMs: 100, count: 5 }, (i) => calls.push([i, vu.now()]));
    vu.advanceTo(1000);
    expect(calls).toEqual([[0, 50], [1, 150], [2, 250], [3, 350], [4, 450]]);
    expect(vu.timers.size).toBe(0);

    const late = new FakeVu();
    const got: number[] = [];
    pace(late, { startInMs: 0, periodMs: 100, count: 4 }, (i) => got.push(i));
    late.advanceTo(0);
    // the event loop stalls for 250 ms: the interval fires once, late, and catches up
    late.timers.forEach((t) => (t.at = 250));
    late.advanceTo(250);
    expect(got).toEqual([0, 1, 2]);
    late.advanceTo(2000);
    expect(got).toEqual([0, 1, 2, 3]);
  });
});
