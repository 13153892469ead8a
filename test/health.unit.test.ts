import { emptySnapshot } from '../lib/metrics/registry';
import { gradeOf, healthOf } from '../lib/results/report/health';
import { formatSummary } from '../lib/results/report/text';
import { buildSummary, Summary } from '../lib/results/summary';

/** A summary with the given figures (the rest empty), graded as buildSummary would. */
function summaryWith(f: { attempted: number; succeeded: number; p50: number; p99: number; pings: number; pongs: number }): Summary {
  const s = buildSummary({
    scenario: 'x', target: 'ws://127.0.0.1:1/ws', mode: 'connect-only', startedAt: new Date(0), durationSec: 1, interrupted: false,
    totals: emptySnapshot(), peak: 0, final: 0, workers: [], warnings: [],
  });
  s.connections.attempted = f.attempted;
  s.connections.succeeded = f.succeeded;
  s.connections.successRate = f.attempted ? f.succeeded / f.attempted : 0;
  s.connectLatencyMs = { count: f.succeeded, min: f.p50, max: f.p99, avg: f.p50, stddev: 0, p50: f.p50, p90: f.p99, p95: f.p99, p99: f.p99 };
  s.heartbeat = { ...s.heartbeat, pingsSent: f.pings, pongsReceived: f.pongs, pongRate: f.pings ? f.pongs / f.pings : null };
  s.health = healthOf(s);
  return s;
}

describe('health grades: the seed tool grades of docs/architecture.md', () => {
  test.each([
    [0.999, 'excellent'], [0.9989, 'good'], [0.99, 'good'], [0.9899, 'needs work'], [0.95, 'needs work'], [0.9499, 'abnormal'], [0, 'abnormal'],
  ])('success rate %p → %s (same bounds as pong rate)', (v, g) => {
    expect(gradeOf('successRate', v)).toBe(g);
    expect(gradeOf('pongRate', v)).toBe(g);
  });

  test.each([[0, 'excellent'], [4.99, 'excellent'], [5, 'good'], [19.99, 'good'], [20, 'needs work'], [49.99, 'needs work'], [50, 'abnormal']])(
    'connect P50 %p ms → %s', (v, g) => expect(gradeOf('connectP50', v)).toBe(g),
  );

  test.each([[49.99, 'excellent'], [50, 'good'], [99.99, 'good'], [100, 'needs work'], [199.99, 'needs work'], [200, 'abnormal']])(
    'connect P99 %p ms → %s', (v, g) => expect(gradeOf('connectP99', v)).toBe(g),
  );

  test('a figure nothing measured is not graded; overall is the worst graded figure', () => {
    const none = summaryWith({ attempted: 0, succeeded: 0, p50: 0, p99: 0, pings: 0, pongs: 0 });
    expect(none.health).toEqual({ successRate: null, connectP50: null, connectP99: null, pongRate: null, overall: null });
    const some = summaryWith({ attempted: 1000, succeeded: 1000, p50: 1.6, p99: 24.73, pings: 0, pongs: 0 });
    expect(some.health).toEqual({ successRate: 'excellent', connectP50: 'excellent', connectP99: 'excellent', pongRate: null, overall: 'excellent' });
    const mixed = summaryWith({ attempted: 1000, succeeded: 995, p50: 3.2, p99: 120, pings: 100, pongs: 90 });
    expect(mixed.health).toEqual({ successRate: 'good', connectP50: 'excellent', connectP99: 'needs work', pongRate: 'abnormal', overall: 'abnormal' });
  });

  test('the text report prints each grade beside its figure, in English and with the seed\'s Chinese labels', () => {
    const s = summaryWith({ attempted: 1000, succeeded: 995, p50: 3.2, p99: 120, pings: 100, pongs: 90 });
    const en = formatSummary(s, 'en').split('\n');
    expect(en).toContain('Success rate:   99.50%  [good]');
    expect(en).toContain('P50:    3.20    [excellent]');
    expect(en).toContain('P99:    120.00  [needs work]');
    expect(en).toContain('Pong rate:      90.00%  [abnormal]');
    const zh = formatSummary(s, 'zh').split('\n');
    expect(zh).toContain('连接成功率:          99.50%  [良好]');
    expect(zh).toContain('P50:    3.20    [优秀]');
    expect(zh).toContain('P99:    120.00  [需优化]');
    expect(zh).toContain('Pong 响应率:       90.00%  [异常]');
    expect(zh).toContain('--- 心跳统计 ---');
  });
});
