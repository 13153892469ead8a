import { messagesSummary, ratePerSec } from '../lib/results/message-summary';
import { MessageMeter } from '../lib/helpers/messages';
import { Registry } from '../lib/metrics/registry';
import { M } from '../lib/core/metric-names';
import { messageLines } from '../lib/results/report/messages';
import { pace, peakWindow, firstStartMs, sendPlan } from '../lib/helpers/send-plan';
import { hold, ramp } from '../lib/scenario/stages';
import { FakeVu, mergeOf } from './message-helpers';

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
    expect(ratePerSec(5, 5, 1000)).toBeNull(); // one event each: no span
    expect(ratePerSec(0, 0, 0)).toBeNull();
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
      'Throughput:     n/a sent/s, n/a delivered/s',
      'Delivery latency (ms):',
      '  P50 3.00   P90 3.00   P95 3.00   P99 3.00   Max 3.00   Avg 3.00',
    ]);
    expect(messageLines(messagesSummary(new Registry().snapshot()), 'zh')).toEqual([]);
  });
});

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

  test('sendPlan takes the VU context as well as its index, and refuses anything else in one line', () => {
    expect(sendPlan(stages, { id: 7 }, { rate: 10 })).toEqual(sendPlan(stages, 7, { rate: 10 }));
    expect(() => sendPlan(stages, '7' as unknown as number, { rate: 10 })).toThrow('sendPlan takes the VU (vu) or its index (vu.id) (got "7")');
    expect(() => sendPlan(stages, {} as { id: number }, { rate: 10 })).toThrow('sendPlan takes the VU (vu) or its index (vu.id) (got an object without a whole-number id)');
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
