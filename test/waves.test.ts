import { M } from '../lib/core/metric-names';
import { Registry } from '../lib/metrics/registry';
import { checkPaths, evaluate, parseThreshold } from '../lib/results/thresholds';
import { waveAggregate } from '../lib/results/wave-aggregate';
import { detectWaves, WaveSecond, waveSpans, waveThreshold } from '../lib/results/waves';

/** lib/results/waves.ts on hand-made per-second data with known answers. */

function second(sec: number, open: number, fill: (r: Registry) => void = () => undefined): WaveSecond {
  const r = new Registry();
  fill(r);
  return { sec, open, interval: r.snapshot() };
}

function drops(r: Registry, n: number, cls = 'close 1001'): void {
  r.add(M.disconnects, n);
  for (let i = 0; i < n; i++) r.disconnect(cls);
}

const row = (sec: number, open: number, disconnects: number) => ({ sec, open, disconnects });

describe('wave detection', () => {
  test('the threshold is 5% of the open connections, and at least 100', () => {
    expect(waveThreshold(0)).toBe(100);
    expect(waveThreshold(2000)).toBe(100);
    expect(waveThreshold(4001)).toBe(201);
  });

  test('99 drops of 2,000 are no wave; 100 are; 150 of 4,000 are not', () => {
    expect(waveSpans([row(0, 2000, 0), row(1, 1901, 99)])).toEqual([]);
    expect(waveSpans([row(0, 2000, 0), row(1, 1900, 100)])).toEqual([{ atSec: 1, endSec: 1, openBefore: 2000, dropped: 100 }]);
    expect(waveSpans([row(0, 4000, 0), row(1, 3850, 150)])).toEqual([]);
  });

  test('drops spread over two seconds make one wave; quiet seconds between make two', () => {
    const spread = [row(0, 1000, 0), row(1, 940, 60), row(2, 880, 60), row(3, 880, 0)];
    expect(waveSpans(spread)).toEqual([{ atSec: 1, endSec: 2, openBefore: 1000, dropped: 120 }]);
    const two = [row(0, 1000, 0), row(1, 0, 1000), row(2, 0, 0), row(3, 1000, 0), row(4, 1000, 0), row(5, 500, 500)];
    expect(waveSpans(two).map((w) => [w.atSec, w.dropped])).toEqual([[1, 1000], [5, 500]]);
    // one restart seen through a stalled worker clock: 625 drops, a second with none, then 1,375: one wave
    const stalled = [row(0, 2000, 0), row(1, 1375, 625), row(2, 1375, 0), row(3, 0, 1375), row(4, 0, 0)];
    expect(waveSpans(stalled)).toEqual([{ atSec: 1, endSec: 3, openBefore: 2000, dropped: 2000 }]);
    // 60 drops in second 1 and 60 in second 3 are never within 2 s
    expect(waveSpans([row(0, 1000, 0), row(1, 940, 60), row(2, 940, 0), row(3, 880, 60)])).toEqual([]);
  });
});

describe('wave recovery from the keyed reconnect metrics', () => {
  /** 200 dropped in second 3 (150 close 1001, 50 1006): 100 back after 1 s, 97 after 2.5 s, 3 never. */
  function storm(): WaveSecond[] {
    return [
      second(2, 200),
      second(3, 0, (r) => {
        drops(r, 150);
        drops(r, 50, '1006 abnormal closure');
      }),
      second(4, 100, (r) => {
        for (let i = 0; i < 100; i++) r.recovery({ dropSec: 3, what: 'downtime', ms: 1000 });
        for (let i = 0; i < 100; i++) r.recovery({ dropSec: 3, what: 'connecting', ms: 2 });
        for (let i = 0; i < 150; i++) r.recovery({ dropSec: 3, what: 'attempt' });
        for (let i = 0; i < 50; i++) r.recovery({ dropSec: 3, what: 'failed', cls: 'HTTP 503' });
        // a VU dropped in another second is not this wave's
        r.recovery({ dropSec: 9, what: 'downtime', ms: 50 });
      }),
      second(5, 197, (r) => {
        for (let i = 0; i < 97; i++) r.recovery({ dropSec: 3, what: 'downtime', ms: 2500 });
        for (let i = 0; i < 97; i++) r.recovery({ dropSec: 3, what: 'connecting', ms: 4 });
        for (let i = 0; i < 100; i++) r.recovery({ dropSec: 3, what: 'attempt' });
        for (let i = 0; i < 3; i++) r.recovery({ dropSec: 3, what: 'failed', cls: 'ECONNREFUSED' });
      }),
    ];
  }

  test('dropped and classes, recovered, recovery seconds over the dropped VUs, attempts, failures, latency', () => {
    const [w] = detectWaves(storm(), true);
    expect(w).toMatchObject({
      atSec: 3, endSec: 3, openBefore: 200, dropped: 200, classes: { 'close 1001': 150, '1006 abnormal closure': 50 },
      recovered: 197, attempts: 250, failures: 53, failureClasses: { 'HTTP 503': 50, ECONNREFUSED: 3 },
    });
    // the 100th of 200 was back after 1 s, the 180th after 2.5 s (HDR's bucket: 0.1% precision), the 198th never
    expect(w!.recoverySec).toEqual({ p50: 1, p90: 2.501, p99: null });
    expect(w!.reconnectLatencyMs).toMatchObject({ count: 197, min: 2, max: 4.001, p50: 2, p99: 4.001 });
  });

  test('without reconnect, a wave has no recovery fields; with no recovery data, nulls', () => {
    const bare = detectWaves([second(0, 300), second(1, 0, (r) => drops(r, 300))], false);
    expect(bare).toEqual([{ atSec: 1, endSec: 1, openBefore: 300, dropped: 300, classes: { 'close 1001': 300 } }]);
    const [w] = detectWaves([second(0, 300), second(1, 0, (r) => drops(r, 300))], true);
    expect(w).toMatchObject({ recovered: 0, recoverySec: { p50: null, p90: null, p99: null }, attempts: 0, failures: 0 });
    expect(w!.reconnectLatencyMs).toEqual({ count: 0, min: null, max: null, avg: null, stddev: null, p50: null, p90: null, p95: null, p99: null });
  });
});

describe('thresholds on waves', () => {
  const summary = (waves: ReturnType<typeof detectWaves>) => ({ disconnectWaves: waves });

  test('disconnectWaves.max.* is the worst wave; a share never reached fails; no wave is no data', () => {
    const waves = detectWaves(storm2(), true);
    expect(waveAggregate(waves).max).toMatchObject({ dropped: 200, recovery50Sec: 1, recovery99Sec: Infinity });
    const t = ['disconnectWaves.max.recovery50Sec < 2', 'disconnectWaves.max.recovery99Sec < 30', 'disconnectWaves.count <= 1'].map(parseThreshold);
    expect(evaluate(summary(waves), t)).toEqual({
      'disconnectWaves.max.recovery50Sec < 2': { ok: true, value: 1 },
      'disconnectWaves.max.recovery99Sec < 30': { ok: false, value: Infinity },
      'disconnectWaves.count <= 1': { ok: true, value: 1 },
    });
    expect(evaluate(summary([]), t)['disconnectWaves.max.recovery99Sec < 30']).toEqual({ ok: true, value: null });
  });

  test('the paths are checked before the run', () => {
    expect(() => checkPaths(summary([]), [parseThreshold('disconnectWaves.max.recovery99Sec < 30')])).not.toThrow();
    expect(() => checkPaths(summary([]), [parseThreshold('disconnectWaves.max.nope < 30')])).toThrow(/disconnectWaves.max.nope is not a numeric field/);
  });

  function storm2(): WaveSecond[] {
    return [
      second(0, 200),
      second(1, 0, (r) => drops(r, 200)),
      second(2, 150, (r) => {
        for (let i = 0; i < 150; i++) r.recovery({ dropSec: 1, what: 'downtime', ms: 1000 });
      }),
    ];
  }
});
