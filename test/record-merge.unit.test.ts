import { M } from '../lib/core/metric-names';
import { Registry } from '../lib/metrics/registry';
import { alignRecords, recordOf, SecondPart, SecondRecord } from '../lib/results/record';
import { RunMeta, summarise } from '../lib/results/summarise';

/**
 * The per-second record merges exactly: three workers' seconds summarised as one run, and the same
 * seconds as three segments aligned by `runner merge`'s rule, give the same summary, waves with
 * their recovery, and time series (machine CPU included).
 */
const START = 1_700_000_000_000;
const SECS = 8;

/** Worker w's part of second s: 100 connects in second 0, 60 dropped in second 3, all back in second 5. */
function part(w: number, s: number): SecondPart {
  const r = new Registry();
  if (s === 0) for (let i = 0; i < 100; i++) { r.add(M.attempts); r.add(M.sessions); r.trend(M.connecting, 1 + w + i / 10); }
  if (s === 3) for (let i = 0; i < 60; i++) { r.add(M.disconnects); r.disconnect('close 1001'); }
  if (s === 4) for (let i = 0; i < 60; i++) { r.recovery({ dropSec: 3, what: 'attempt' }); r.recovery({ dropSec: 3, what: 'failed', cls: 'HTTP 503' }); }
  if (s === 5) {
    for (let i = 0; i < 60; i++) {
      r.add(M.attempts); r.add(M.sessions); r.add(M.reconnects); r.trend(M.reconnectDowntime, 1500 + 10 * w + i);
      r.recovery({ dropSec: 3, what: 'attempt' });
      r.recovery({ dropSec: 3, what: 'downtime', ms: 1500 + 10 * w + i });
      r.recovery({ dropSec: 3, what: 'connecting', ms: 2 + w });
    }
  }
  const open = s < 3 ? 100 : s < 5 ? 40 : 100;
  return { interval: r.snapshot(), open, workers: [{ worker: String(w), cpuPct: 10 * (w + 1), machineCpuPct: 40 + s + w, loopP99Ms: 1 + w, loopMaxMs: 2, rssBytes: 1_048_576 * (w + 1) }] };
}

const meta = (m: Partial<RunMeta> = {}): RunMeta => ({
  scenario: 's', target: 'ws://t/ws', mode: 'connect-only', startWall: START, measuredEndWall: START + SECS * 1000, endWall: START + SECS * 1000,
  interrupted: false, peak: 0, final: 300, workers: [], warnings: [], reconnecting: true, adjustments: [], ...m,
});

test('three workers as one run, and as three merged segments: the same summary, waves, recovery and rows', () => {
  const parts = Array.from({ length: SECS }, (_, s) => [0, 1, 2].map((w) => part(w, s)));
  const whole: SecondRecord[] = parts.map((p, s) => recordOf(s, START + s * 1000, p));
  // each segment's clock starts up to 400 ms later: its seconds still land on the same wall seconds
  const segments = [0, 1, 2].map((w) => parts.map((p, s) => recordOf(s, START + s * 1000 + 200 * w, [p[w] as SecondPart])));
  const merged = alignRecords(segments, ['0/3', '1/3', '2/3']);
  const a = summarise(whole, meta(), []);
  const b = summarise(merged, meta(), []);
  expect(b.summary).toEqual(a.summary);
  expect(b.timeseries).toEqual(a.timeseries);
  expect(a.summary.disconnectWaves).toHaveLength(1);
  const w = a.summary.disconnectWaves[0]!;
  expect({ dropped: w.dropped, recovered: w.recovered, attempts: w.attempts, failures: w.failures, classes: w.classes })
    .toEqual({ dropped: 180, recovered: 180, attempts: 360, failures: 180, classes: { 'close 1001': 180 } });
  expect(w.failureClasses).toEqual({ 'HTTP 503': 180 });
  expect(w.recoverySec!.p50).toBeCloseTo(1.5 + 0.01 + 0.03, 1);
  expect(a.timeseries.map((r) => r.machineCpuPct)).toEqual(Array.from({ length: SECS }, (_, s) => 42 + s));
  expect(a.timeseries.map((r) => r.cpuPct)).toEqual(Array(SECS).fill(60));
  expect(a.summary.connections).toMatchObject({ attempted: 480, succeeded: 480, disconnected: 180, reconnects: 180, peak: 300 });
  expect(merged.flatMap((r) => r.workers.map((x) => x.worker)).slice(0, 3)).toEqual(['0/3:0', '1/3:1', '2/3:2']);
});
