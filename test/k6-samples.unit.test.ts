import { createHistogram, latencyStats, recordMs } from '../lib/metrics/histogram';
import { goTimeMs, K6Json, K6Point } from '../lib/results/k6-json';
import { k6Run, REBUILT } from '../lib/results/k6-samples';
import { summarise } from '../lib/results/summarise';
import { thresholdsFor } from '../lib/results/verdict';

/**
 * The pure conversion of k6's samples (`k6 run --out json`) into per-second records and run meta
 * (lib/results/k6-samples.ts), on a hand-written run with a known answer: 200 connections open in
 * second 0 and 3 refused, pings in second 1, 150 dropped by the server in second 3 (a wave), the
 * other 50 closed by the VUs in second 5.
 */
const START = Date.parse('2026-01-01T00:00:00.250Z');
const KINDS: Record<string, string> = {
  iterations: 'counter', ws_connect_attempts: 'counter', ws_sessions: 'counter', ws_connecting: 'trend', ws_connect_success: 'rate',
  ws_connect_errors: 'counter', ws_pings_sent: 'counter', ws_pongs_received: 'counter', ws_pong_rate: 'rate', ws_ping: 'trend',
  ws_disconnects: 'counter', ws_session_duration: 'trend', vus: 'gauge', data_sent: 'counter', my_counter: 'counter', my_trend: 'trend',
};
const URL_TAGS = { group: '', name: 'ws://127.0.0.1:1/ws', url: 'ws://127.0.0.1:1/ws', scenario: 'default' };

/** Go's RFC 3339 with nanoseconds, in UTC+8 for odd milliseconds (k6 writes the local zone). */
function goTime(ms: number): string {
  const whole = Math.floor(ms);
  const ns = String(Math.round((ms - whole) * 1e6)).padStart(6, '0');
  if (whole % 2 === 0) return new Date(whole).toISOString().replace('Z', `${ns}Z`);
  return new Date(whole + 8 * 3_600_000).toISOString().replace('Z', `${ns}+08:00`);
}

function runLines(): string[] {
  const out = Object.entries(KINDS).map(([name, type]) => JSON.stringify({ type: 'Metric', data: { name, type, contains: 'default', thresholds: [], submetrics: null }, metric: name }));
  const point = (metric: string, t: number, value: number, tags: Record<string, string> = { group: '', scenario: 'default' }): void => {
    out.push(JSON.stringify({ metric, type: 'Point', data: { time: goTime(START + t), value, tags } }));
  };
  for (let i = 0; i < 200; i++) {
    point('iterations', i, 1);
    point('ws_connect_attempts', i + 0.1, 1);
    point('ws_sessions', i + 0.2, 1, { ...URL_TAGS, status: '101' });
    point('ws_connecting', i + 0.2, 1 + i / 100, { ...URL_TAGS, status: '101' });
    point('ws_connect_success', i + 3.5, 1);
  }
  for (let i = 0; i < 3; i++) {
    point('iterations', 500 + i, 1);
    point('ws_connect_attempts', 500 + i, 1);
    point('ws_connecting', 500.1 + i, 0.3, URL_TAGS); // a refused dial: no status tag
    point('ws_connect_errors', 500.5 + i, 1, { group: '', scenario: 'default', error: 'ECONNREFUSED' });
    point('ws_connect_success', 500.6 + i, 0);
  }
  for (let i = 0; i < 200; i++) {
    point('ws_pings_sent', 1000 + i, 1);
    if (i < 190) {
      point('ws_ping', 1001 + i, 0.5 + i / 1000, URL_TAGS);
      point('ws_pongs_received', 1001 + i, 1);
    }
    point('ws_pong_rate', 1400 + i, i < 190 ? 1 : 0);
  }
  point('my_counter', 2100, 7);
  point('my_trend', 2200, 42);
  for (let s = 0; s < 6; s++) point('vus', 999 + s * 1000, 200, {});
  point('data_sent', 10, 1000);
  for (let i = 0; i < 150; i++) {
    point('ws_disconnects', 3000 + i, 1, { group: '', scenario: 'default', reason: 'close 1006' });
    point('ws_session_duration', 3000.5 + i, 2800, URL_TAGS);
  }
  for (let i = 0; i < 50; i++) point('ws_session_duration', 5000 + i, 4800, URL_TAGS);
  return out;
}

function pointsOf(lines: string[]): K6Point[] {
  const json = new K6Json();
  return lines.map((l, i) => json.line(l, i + 1)).filter((p): p is K6Point => p !== undefined);
}

test("Go's timestamps: nanoseconds and the zone kept; anything else is no timestamp", () => {
  expect(goTimeMs('2026-01-01T00:00:00.250123456Z')).toBeCloseTo(START + 0.123456, 6);
  expect(goTimeMs('2026-01-01T08:00:00.25+08:00')).toBe(START);
  expect(goTimeMs('2026-01-01T00:00:01Z')).toBe(START + 750);
  for (const bad of ['2026-01-01', '2026-01-01T00:00:00.1234567890Z', 1_700_000_000, null]) expect(goTimeMs(bad)).toBeUndefined();
});

test('the run rebuilt: counts, classes, open connections, peak, a disconnect wave, exact percentiles, the verdict', () => {
  const run = k6Run(pointsOf(runLines()), 'hand');
  const r = summarise(run.records, run.meta, thresholdsFor(undefined, []));
  const s = r.summary;
  expect(s.connections).toEqual({
    attempted: 203, succeeded: 200, failed: 3, aborted: 0, successRate: 0.9852, disconnected: 150, final: 0, peak: 200,
    errors: { ECONNREFUSED: 3 }, disconnectReasons: { 'close 1006': 150 }, reconnects: 0, sendBufferFull: 0,
  });
  expect(s.disconnectWaves).toEqual([{ atSec: 3, endSec: 3, openBefore: 200, dropped: 150, classes: { 'close 1006': 150 } }]);
  expect(r.timeseries.map((row) => [row.sec, row.open, row.connects, row.failures, row.disconnects, row.pings, row.pongs])).toEqual([
    [0, 200, 200, 3, 0, 0, 0], [1, 200, 0, 0, 0, 200, 190], [2, 200, 0, 0, 0, 0, 0], [3, 50, 0, 0, 150, 0, 0], [4, 50, 0, 0, 0, 0, 0], [5, 0, 0, 0, 0, 0, 0],
  ]);
  // connect latency: the 200 dials that opened, not the refused ones; the same HDR as the samples' own
  const h = createHistogram();
  for (let i = 0; i < 200; i++) recordMs(h, 1 + i / 100);
  expect(s.connectLatencyMs).toEqual(latencyStats(h));
  const rtt = createHistogram();
  for (let i = 0; i < 190; i++) recordMs(rtt, 0.5 + i / 1000);
  expect(s.heartbeat).toEqual({ pingsSent: 200, pongsReceived: 190, pongRate: 0.95, unresolved: 0, rttMs: latencyStats(rtt) });
  expect(s.vus).toEqual({ started: 203, failed: 0 });
  // the scenario's own metrics only: none of k6's (vus, data_sent) nor the mapped ones (ws_connect_success, iterations)
  expect(Object.keys(s.metrics)).toEqual(['my_counter', 'my_trend']);
  expect(s.metrics.my_counter).toBe(7);
  expect(s).toMatchObject({ scenario: 'hand', target: 'ws://127.0.0.1:1/ws', mode: 'connect-only', startedAt: '2026-01-01T00:00:00.250Z', durationSec: 6, closeSec: 0 }); // to the last sample, k6's vus gauge at 5.999 s
  expect(s.runner.workers).toEqual([]);
  expect(s.runner.warnings).toHaveLength(2);
  for (const w of s.runner.warnings) expect(w.startsWith(`${REBUILT}: `)).toBe(true);
  expect(s.thresholds['connections.successRate >= 0.99']).toEqual({ ok: false, value: 0.9852 });
  expect(r.exitCode).toBe(99);
});

test('samples in any order give the same records (k6 flushes VUs\' samples slightly out of order)', () => {
  const points = pointsOf(runLines());
  const shuffled = points.map((p, i) => ({ p, k: (i * 7919) % points.length })).sort((a, b) => a.k - b.k).map((x) => x.p);
  const a = summarise(k6Run(points, 'x').records, k6Run(points, 'x').meta, []);
  const b = summarise(k6Run(shuffled, 'x').records, k6Run(shuffled, 'x').meta, []);
  expect(b.summary).toEqual(a.summary);
  expect(b.timeseries).toEqual(a.timeseries);
});

test('lines that are not k6 JSON output: one error naming the line', () => {
  const json = new K6Json();
  expect(() => json.line('{"metric":', 3)).toThrow(/^line 3 is not JSON \(/);
  expect(() => json.line('{"a":1}', 4)).toThrow('line 4 is not a line of k6 run --out json=FILE (expected {"type":"Metric",...} or {"type":"Point",...})');
  expect(() => json.line('{"type":"Point","metric":"x","data":{"time":"2026-01-01T00:00:00Z","value":1}}', 5))
    .toThrow('line 5: a sample of x before its {"type":"Metric"} line (k6 declares each metric first): not k6\'s JSON output');
  json.line('{"type":"Metric","metric":"x","data":{"name":"x","type":"counter"}}', 6);
  expect(() => json.line('{"type":"Point","metric":"x","data":{"time":"yesterday","value":1}}', 7)).toThrow('line 7: time "yesterday" is no RFC 3339 timestamp');
  expect(json.line('', 8)).toBeUndefined();
  expect(() => json.line('{"type":"Metric","metric":"ws_connections_open","data":{"name":"ws_connections_open","type":"gauge"}}', 9))
    .toThrow("line 9 declares ws_connections_open: this is wsbench's own --out json (per-second aggregates, not k6's samples); its run's results folder holds the exact figures");
});
