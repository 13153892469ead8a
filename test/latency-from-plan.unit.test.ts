import { MessageMeter } from '../lib/helpers/messages';
import { Requests } from '../lib/helpers/request';
import { pace, plannedWall } from '../lib/helpers/send-plan';
import { M } from '../lib/core/metric-names';
import { messagesSummary } from '../lib/results/message-summary';
import { messageLines } from '../lib/results/report/messages';
import { FakeSocket, FakeVu, trendValues } from './message-helpers';

/** Latency from the plan (docs/messaging.md): pace's planned times, and the figures timed from them, on a manual clock. */
describe('latency from the plan', () => {
  test('pace hands each call its planned time, however late the timers run', () => {
    const vu = new FakeVu();
    const calls: Array<[number, number, number]> = [];
    pace(vu, { startInMs: 100, periodMs: 10, count: 6 }, (i, plannedAt) => calls.push([i, plannedAt, vu.now()]));
    vu.advanceTo(100); // the first timer on time
    for (const t of vu.timers.values()) t.at = 145; // then the loop stalls: the interval timer fires 35 ms late
    vu.advanceTo(145);
    vu.advanceTo(200);
    expect(calls.map(([i, p]) => [i, p])).toEqual([[0, 100], [1, 110], [2, 120], [3, 130], [4, 140], [5, 150]]);
    // calls 1 to 4 ran at 145 (caught up at once), their plans 35 to 5 ms earlier
    expect(calls.slice(1, 5).map(([, , at]) => at)).toEqual([145, 145, 145, 145]);
    expect(plannedWall(vu, 100)).toBe(vu.wall + 100);
  });

  test('a first timer that fires early waits out the rest: the first call on its plan, the rest on the beat', () => {
    const vu = new FakeVu();
    const calls: Array<[number, number]> = [];
    pace(vu, { startInMs: 100, periodMs: 50, count: 3 }, (i, plannedAt) => calls.push([plannedAt, vu.now()]));
    for (const t of vu.timers.values()) t.at = 90; // the first timer fires 10 ms early
    vu.advanceTo(300);
    expect(calls).toEqual([[100, 100], [150, 150], [200, 200]]);
  });

  test('Requests: the ack round trip from the send and from the plan, side by side; only with a plan', () => {
    const vu = new FakeVu();
    const acks = new Requests(vu, new FakeSocket(), { trend: M.imAckRtt, timeoutMs: 10_000 });
    vu.advanceTo(1000);
    acks.send('late', 'x', { plannedAt: 200 }); // left 800 ms after its plan
    acks.send('unplanned', 'y');
    vu.advanceTo(1005);
    expect(acks.reply('late')).toBe(5);
    expect(acks.reply('unplanned')).toBe(5);
    expect(trendValues(vu, M.imAckRtt)).toEqual({ count: 2, min: 5, max: 5 });
    expect(trendValues(vu, M.imAckRttFromPlan)).toEqual({ count: 1, min: 805, max: 805 });
  });

  test('a trend of another name is timed from the plan only with fromPlan', () => {
    const vu = new FakeVu();
    const plain = new Requests(vu, new FakeSocket(), { trend: 'rpc_ms' });
    const timed = new Requests(vu, new FakeSocket(), { trend: 'rpc2_ms', fromPlan: true });
    plain.send('a', 'a', { plannedAt: -50 });
    timed.send('a', 'a', { plannedAt: -50 });
    vu.advanceTo(10);
    plain.reply('a');
    timed.reply('a');
    expect(vu.reg.snapshot().trends.rpc_ms_from_plan).toBeUndefined();
    expect(trendValues(vu, 'rpc2_ms_from_plan')).toEqual({ count: 1, min: 60, max: 60 });
  });

  test('MessageMeter: delivery from the plan; the summary and report show both, null with no samples', () => {
    const vu = new FakeVu();
    const meter = new MessageMeter(vu);
    vu.advanceTo(3000);
    meter.sent();
    meter.delivered('a>b', 0, vu.wallNow() - 4, vu.wallNow() - 2004);
    const s = messagesSummary(vu.reg.snapshot());
    expect(trendValues(vu, M.msgLatency)).toEqual({ count: 1, min: 4, max: 4 });
    expect(trendValues(vu, M.msgLatencyFromPlan)).toEqual({ count: 1, min: 2004, max: 2004 });
    expect(s.latencyFromPlanMs.count).toBe(1);
    expect(Math.abs((s.latencyFromPlanMs.p99 as number) - 2004)).toBeLessThan(2004 * 0.001); // HDR's precision
    expect(s.ackRttFromPlanMs).toMatchObject({ count: 0, p99: null });
    const lines = messageLines(s, 'en');
    expect(lines.join('\n')).toMatch(/Delivery latency \(ms\):\n {2}P50 [^\n]+\n {2}from the plan: P50 200\d\.\d\d {3}P99 200\d\.\d\d {3}Max 200\d\.\d\d/);
    expect(lines.join('\n')).not.toContain('Ack RTT');
  });
});
