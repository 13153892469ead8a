import * as hdr from 'hdr-histogram-js';
import { createHistogram, decodeHistogram, encodeHistogram, latencyStats, mergeEncoded, recordMs } from '../lib/metrics/histogram';
import { mergeSnapshots, Registry } from '../lib/metrics/registry';

/** Exact percentile of a sorted array, HDR's definition: the smallest value with at least q% at or below it. */
function exactPercentile(sorted: number[], q: number): number {
  const rank = Math.max(1, Math.ceil((q / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const distributions: Record<string, (r: () => number) => number> = {
  uniform: (r) => 0.2 + r() * 99.8,
  exponential: (r) => -Math.log(1 - r()) * 5,
  bimodal: (r) => (r() < 0.9 ? 1 + r() : 800 + r() * 200),
};

describe('HDR latency statistics', () => {
  for (const [name, gen] of Object.entries(distributions)) {
    test(`percentiles of a ${name} distribution match the sorted array within 0.1%`, () => {
      const r = lcg(42);
      const values = Array.from({ length: 20_000 }, () => Math.round(gen(r) * 1000) / 1000);
      const h = createHistogram();
      for (const v of values) recordMs(h, v);
      const s = latencyStats(h);
      const sorted = [...values].sort((a, b) => a - b);
      expect(s.count).toBe(20_000);
      for (const [q, got] of [[50, s.p50], [90, s.p90], [95, s.p95], [99, s.p99]] as const) {
        const want = exactPercentile(sorted, q);
        expect(Math.abs(got - want)).toBeLessThanOrEqual(want * 0.001 + 0.001);
      }
      expect(Math.abs(s.max - (sorted[sorted.length - 1] as number))).toBeLessThanOrEqual((sorted[sorted.length - 1] as number) * 0.001 + 0.001);
      expect(Math.abs(s.min - (sorted[0] as number))).toBeLessThanOrEqual((sorted[0] as number) * 0.001 + 0.001);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      expect(Math.abs(s.avg - mean)).toBeLessThanOrEqual(mean * 0.001 + 0.001);
    });
  }

  test('known answers: 1..100 ms', () => {
    const h = createHistogram();
    for (let i = 1; i <= 100; i++) recordMs(h, i);
    const s = latencyStats(h);
    expect(s.count).toBe(100);
    // HDR reports the top of the value's bucket: within 0.1% (3 significant digits)
    for (const [got, want] of [[s.min, 1], [s.p50, 50], [s.p90, 90], [s.p95, 95], [s.p99, 99], [s.max, 100], [s.avg, 50.5]] as const) {
      expect(got).toBeGreaterThanOrEqual(want);
      expect(got).toBeLessThanOrEqual(want * 1.001);
    }
  });

  test('an empty histogram summarises to zeros', () => {
    expect(latencyStats(createHistogram())).toEqual({ count: 0, min: 0, max: 0, avg: 0, stddev: 0, p50: 0, p90: 0, p95: 0, p99: 0 });
  });

  test('encode → decode round-trips every statistic', () => {
    const h = createHistogram();
    const r = lcg(7);
    for (let i = 0; i < 5000; i++) recordMs(h, r() * 300);
    const back = decodeHistogram(encodeHistogram(h));
    expect(latencyStats(back)).toEqual(latencyStats(h));
  });

  test('merging two histograms equals recording into one', () => {
    const a = new Registry();
    const b = new Registry();
    const one = new Registry();
    const r = lcg(3);
    for (let i = 0; i < 4000; i++) {
      const v = distributions.bimodal!(r);
      (i % 3 === 0 ? a : b).trend('lat', v);
      one.trend('lat', v);
    }
    a.add('n', 2);
    b.add('n', 5);
    a.rate('pong', true);
    b.rate('pong', false);
    a.error('HTTP 503');
    b.error('HTTP 503');
    const merged = mergeSnapshots([a.snapshot(), b.snapshot()]);
    expect(latencyStats(decodeHistogram(merged.trends.lat as string))).toEqual(latencyStats(decodeHistogram(one.snapshot().trends.lat as string)));
    expect(merged.counters.n).toBe(7);
    expect(merged.rates.pong).toEqual({ passes: 1, total: 2 });
    expect(merged.errors['HTTP 503']).toBe(2);
  });

  test('absorbing parts, and merging encodings, equal recording into one', () => {
    const one = createHistogram();
    const parts = [new Registry(), new Registry(), new Registry()];
    const r = lcg(11);
    for (let i = 0; i < 3000; i++) {
      const v = distributions.exponential!(r);
      parts[i % 3]!.trend('lat', v);
      recordMs(one, v);
    }
    const total = new Registry();
    for (const p of parts) total.absorb(p.snapshot());
    expect(total.stats('lat')).toEqual(latencyStats(one));
    expect(latencyStats(mergeEncoded(parts.map((p) => p.snapshot().trends.lat as string)))).toEqual(latencyStats(one));
    expect(latencyStats(mergeEncoded([]))).toEqual(latencyStats(createHistogram()));
  });

  test('adding a histogram with values past the range of the one added to', () => {
    const small = createHistogram();
    recordMs(small, 2);
    const big = createHistogram();
    recordMs(big, 3);
    recordMs(big, 5_000_000); // resizes big
    const total = new Registry();
    total.absorb({ counters: {}, rates: {}, errors: {}, disconnects: {}, trends: { lat: encodeHistogram(small) } });
    total.absorb({ counters: {}, rates: {}, errors: {}, disconnects: {}, trends: { lat: encodeHistogram(big) } });
    const one = createHistogram();
    for (const v of [2, 3, 5_000_000]) recordMs(one, v);
    expect(total.stats('lat')).toEqual(latencyStats(one));
  });

  test('a decoded histogram takes values past its range, as a new one does', () => {
    const h = createHistogram();
    recordMs(h, 5);
    const back = decodeHistogram(encodeHistogram(h));
    recordMs(back, 5_000_000); // 83 minutes: past the hour the settings track
    const fresh = createHistogram();
    recordMs(fresh, 5);
    recordMs(fresh, 5_000_000);
    expect(latencyStats(back)).toEqual(latencyStats(fresh));
  });

  test("another writer's precision is decoded into ours", () => {
    const foreign = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 2, useWebAssembly: false });
    const ours = createHistogram();
    for (const us of [1234, 56789, 999_999]) {
      foreign.recordValue(us);
      ours.recordValue((foreign as unknown as { lowestEquivalentValue(v: number): number }).lowestEquivalentValue(us)); // what the foreign buckets keep of each value
    }
    const back = decodeHistogram(hdr.encodeIntoCompressedBase64(foreign));
    expect((back as unknown as { numberOfSignificantValueDigits: number }).numberOfSignificantValueDigits).toBe(3);
    expect(back.totalCount).toBe(3);
    expect(latencyStats(back).max).toBe(latencyStats(ours).max);
  });
});
