import { createHistogram, latencyStats, recordMs } from '../lib/metrics/histogram';
import { ONE_PASS_PERCENTILES, onePassStats } from '../lib/metrics/one-pass';

/**
 * The one-walk statistics must be hdr-histogram-js's own values, bit for bit: compared with the
 * library's getValueAtPercentile, mean and stdDeviation on histograms of known and random shapes.
 */
function lib(h: ReturnType<typeof createHistogram>): { at: number[]; mean: number; sd: number } {
  return { at: ONE_PASS_PERCENTILES.map((q) => h.getValueAtPercentile(q)), mean: h.mean, sd: h.stdDeviation };
}

// a small deterministic generator (tests must not depend on Math.random's sequence)
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test('known values: 1..100 ms, one each', () => {
  const h = createHistogram();
  for (let i = 1; i <= 100; i++) recordMs(h, i);
  const s = latencyStats(h);
  expect(s).toMatchObject({ count: 100, min: 1, p50: 50.015, p90: 90.047, p95: 95.039, p99: 99.007, max: 100.031 });
  expect(s.avg).toBeCloseTo(50.5, 1);
  const o = onePassStats(h)!;
  const l = lib(h);
  expect(o.at).toEqual(l.at);
  expect(o.mean).toBe(l.mean);
  expect(o.stdDeviation).toBe(l.sd);
});

test.each([1, 2, 3, 4, 5, 6, 7, 8])('random histogram #%i: every figure identical to the library', (seed) => {
  const r = rng(seed);
  const h = createHistogram();
  const n = 1 + Math.floor(r() * 50_000);
  // a mix: sub-ms, tens of ms, a long tail to minutes
  for (let i = 0; i < n; i++) {
    const x = r();
    recordMs(h, x < 0.7 ? r() * 2 : x < 0.97 ? r() * 80 : r() * 120_000);
  }
  const o = onePassStats(h)!;
  const l = lib(h);
  expect(o.count).toBe(n);
  expect(o.at).toEqual(l.at);
  expect(o.mean).toBe(l.mean);
  expect(o.stdDeviation).toBe(l.sd);
  h.destroy();
});

test('one value, and many of the same value', () => {
  for (const [v, times] of [[0.001, 1], [3, 1], [7.5, 100_000]] as const) {
    const h = createHistogram();
    for (let i = 0; i < times; i++) recordMs(h, v);
    const o = onePassStats(h)!;
    const l = lib(h);
    expect(o.at).toEqual(l.at);
    expect(o.mean).toBe(l.mean);
    expect(o.stdDeviation).toBe(l.sd);
  }
});
