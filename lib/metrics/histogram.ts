import * as hdr from 'hdr-histogram-js';
import type JsHistogram from 'hdr-histogram-js/dist/JsHistogram';
import { onePassStats } from './one-pass';

/**
 * The one place that knows HDR settings: values are recorded in microseconds with
 * 3 significant digits (0.1% relative precision) up to one hour; summaries are in milliseconds.
 */
const SETTINGS: hdr.BuildRequest = {
  lowestDiscernibleValue: 1,
  highestTrackableValue: 3_600_000_000,
  numberOfSignificantValueDigits: 3,
  bitBucketSize: 32,
  autoResize: true,
  useWebAssembly: false,
};

export type Histogram = hdr.Histogram;

import type { LatencyStats } from '../core/latency-stats';

export type { LatencyStats } from '../core/latency-stats';

export function createHistogram(): Histogram {
  return hdr.build(SETTINGS);
}

/** Records a latency given in milliseconds (fractions kept to the microsecond). */
export function recordMs(h: Histogram, ms: number): void {
  h.recordValue(Math.max(0, Math.round(ms * 1000)));
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(encoded: string): Histogram {
  // at least our range, 32-bit counts; autoResize as ours, so that add() never overflows
  const h = hdr.decodeFromCompressedBase64(encoded, 32, false, SETTINGS.highestTrackableValue as number);
  const js = h as unknown as JsHistogram;
  if (js.lowestDiscernibleValue === SETTINGS.lowestDiscernibleValue && js.numberOfSignificantValueDigits === SETTINGS.numberOfSignificantValueDigits) {
    h.autoResize = true;
    return h; // our buckets already: no copy (one 94 KB counts array and one walk over it less per decode)
  }
  // another writer's buckets: its values recorded into ours
  const out = createHistogram();
  out.add(h);
  h.destroy();
  return out;
}

/** The JsHistogram internals addInto reads and writes (methods of the JS implementation; two are private in its types). */
interface AddTarget {
  bucketCount: number;
  subBucketCount: number;
  unitMagnitude: number;
  countsArrayLength: number;
  totalCount: number;
  maxValue: number;
  minNonZeroValue: number;
  countsArrayIndex(v: number): number;
  getCountAtIndex(i: number): number;
  addToCountAtIndex(i: number, n: number): void;
  setTotalCount(n: number): void;
  updatedMaxValue(v: number): void;
  updateMinNonZeroValue(v: number): void;
}

/**
 * `into.add(from)`, walking only from's recorded range (index 0 or its lowest non-zero value, to its highest)
 * instead of its whole counts array (23,552 entries with our settings): the library's own steps
 * otherwise, so the result is the same histogram. The coordinator adds every worker's trends every
 * second (runner/accounting.ts), where the whole walk was its largest cost at 11 workers.
 */
export function addInto(into: Histogram, from: Histogram): void {
  const a = into as unknown as AddTarget;
  const b = from as unknown as AddTarget;
  const same = a.bucketCount === b.bucketCount && a.subBucketCount === b.subBucketCount && a.unitMagnitude === b.unitMagnitude;
  if (!same || typeof b.getCountAtIndex !== 'function' || typeof a.updatedMaxValue !== 'function') return into.add(from);
  if (b.totalCount === 0) return;
  const hi = b.countsArrayIndex(b.maxValue);
  if (hi >= a.countsArrayLength) return into.add(from); // past into's range: the library resizes it first
  let n = 0;
  // zeros sit at index 0, below the lowest non-zero value
  for (let i = b.getCountAtIndex(0) > 0 ? 0 : b.countsArrayIndex(b.minNonZeroValue); i <= hi; i++) {
    const c = b.getCountAtIndex(i);
    if (c > 0) {
      a.addToCountAtIndex(i, c);
      n += c;
    }
  }
  a.setTotalCount(a.totalCount + n);
  a.updatedMaxValue(Math.max(a.maxValue, b.maxValue));
  a.updateMinNonZeroValue(Math.min(a.minNonZeroValue, b.minNonZeroValue));
}

/** Merges encoded histograms from several processes into a new histogram. */
export function mergeEncoded(encoded: Iterable<string>): Histogram {
  let out: Histogram | undefined;
  for (const e of encoded) {
    if (!out) {
      out = decodeHistogram(e);
      continue;
    }
    const h = hdr.decodeFromCompressedBase64(e, 32, false);
    addInto(out, h);
    h.destroy();
  }
  return out ?? createHistogram();
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;
const usToMs = (us: number): number => round3(us / 1000);

/** One percentile in milliseconds (0 for an empty histogram), without the cost of full statistics. */
export function percentileMs(h: Histogram, q: number): number {
  return h.totalCount === 0 ? 0 : usToMs(h.getValueAtPercentile(q));
}

/** Summary statistics; all zeros for an empty histogram. One walk over the counts (one-pass.ts). */
export function latencyStats(h: Histogram): LatencyStats {
  const count = h.totalCount;
  if (count === 0) return { count: 0, min: 0, max: 0, avg: 0, stddev: 0, p50: 0, p90: 0, p95: 0, p99: 0 };
  const o = onePassStats(h);
  if (o) {
    const [p0, p50, p90, p95, p99, p100] = o.at.map(usToMs) as [number, number, number, number, number, number];
    return { count, min: p0, max: p100, avg: usToMs(o.mean), stddev: usToMs(o.stdDeviation), p50, p90, p95, p99 };
  }
  return {
    count,
    // both from buckets (not the exact extremes a single recorder saw), so that a merged summary
    // and a single-process one of the same values agree
    min: usToMs(h.getValueAtPercentile(0)),
    max: usToMs(h.getValueAtPercentile(100)),
    avg: usToMs(h.mean),
    stddev: usToMs(h.stdDeviation),
    p50: usToMs(h.getValueAtPercentile(50)),
    p90: usToMs(h.getValueAtPercentile(90)),
    p95: usToMs(h.getValueAtPercentile(95)),
    p99: usToMs(h.getValueAtPercentile(99)),
  };
}

/** Counts of an encoded histogram at or below each bound (cumulative, as Prometheus' `le` buckets), its count and sum. */
export interface BucketCounts {
  /** cumulative[i]: values <= boundsUs[i]. */
  cumulative: number[];
  count: number;
  sumUs: number;
}

/**
 * Spreads an encoded histogram over fixed upper bounds (microseconds). A value counts at the
 * highest value of its HDR bucket, the value `getValueAtPercentile` reports, so a summary
 * percentile and the bucket it falls in always agree.
 */
export function bucketCounts(encoded: string, boundsUs: readonly number[]): BucketCounts {
  const h = hdr.decodeFromCompressedBase64(encoded, 32, false) as unknown as JsHistogram;
  const perBound = new Array<number>(boundsUs.length).fill(0);
  let sumUs = 0;
  // a plain walk over the counts up to the largest value: hdr's iterators cost ~10x more per step
  const last = h.totalCount > 0 ? h.countsArrayIndex(h.maxValue) : -1;
  let bound = 0;
  for (let i = 0; i <= last; i++) {
    const n = h.getCountAtIndex(i);
    if (n === 0) continue;
    const v = h.valueFromIndex(i);
    const top = h.highestEquivalentValue(v);
    while (bound < boundsUs.length && top > (boundsUs[bound] as number)) bound++;
    if (bound < boundsUs.length) perBound[bound] = (perBound[bound] as number) + n;
    sumUs += n * h.medianEquivalentValue(v);
  }
  const out: BucketCounts = { cumulative: [], count: h.totalCount, sumUs };
  let run = 0;
  for (const n of perBound) out.cumulative.push((run += n));
  h.destroy();
  return out;
}
