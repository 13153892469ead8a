import ulp from 'hdr-histogram-js/dist/ulp';
import type * as hdr from 'hdr-histogram-js';

/**
 * Count, min, max, mean, standard deviation and the 50/90/95/99th percentiles of an HDR histogram
 * in ONE walk over its counts. hdr-histogram-js walks the whole counts array once per percentile
 * and twice more (through its iterator objects) for the mean and the deviation: 8 walks per call.
 * The coordinator asks for these every second (the live P99), which was 40% of its CPU in a 10K
 * connect-only profile (bench/history.md). The values are the library's own, bit for bit: the same
 * rounding of each percentile's count (ulp), the same equivalent values, the same summation order
 * (test/one-pass.test.ts compares them on random histograms).
 */

/** The JsHistogram internals the walk reads (public methods of the JS implementation). */
interface Counts {
  totalCount: number;
  countsArrayLength: number;
  getCountAtIndex(i: number): number;
  valueFromIndex(i: number): number;
  lowestEquivalentValue(v: number): number;
  highestEquivalentValue(v: number): number;
  medianEquivalentValue(v: number): number;
}

export const ONE_PASS_PERCENTILES = [0, 50, 90, 95, 99, 100] as const;

export interface RawStats {
  count: number;
  mean: number;
  stdDeviation: number;
  /** Values at ONE_PASS_PERCENTILES, in the histogram's unit, as getValueAtPercentile gives them. */
  at: number[];
}

/** getValueAtPercentile's count for a percentile: rounded up, guarded against 1 ulp of float error. */
function countAt(q: number, total: number): number {
  const fp = (Math.min(q, 100) / 100) * total;
  return Math.max(Math.ceil(fp - ulp(fp)), 1);
}

// reused across calls (the coordinator is single-threaded): no allocation per walk beyond these
let meds: Float64Array = new Float64Array(1024);
let cnts: Float64Array = new Float64Array(1024);

export function onePassStats(hist: hdr.Histogram): RawStats | undefined {
  const h = hist as unknown as Counts;
  if (typeof h.getCountAtIndex !== 'function' || typeof h.countsArrayLength !== 'number') return undefined; // not the JS implementation
  const total = h.totalCount;
  const targets = ONE_PASS_PERCENTILES.map((q) => countAt(q, total));
  const at = new Array<number>(ONE_PASS_PERCENTILES.length).fill(0);
  let k = 0;
  let cum = 0;
  let n = 0;
  let sum = 0;
  for (let i = 0; i < h.countsArrayLength && cum < total; i++) {
    const c = h.getCountAtIndex(i);
    if (c === 0) continue;
    cum += c;
    const v = h.valueFromIndex(i);
    while (k < targets.length && cum >= (targets[k] as number)) {
      at[k] = ONE_PASS_PERCENTILES[k] === 0 ? h.lowestEquivalentValue(v) : h.highestEquivalentValue(v);
      k++;
    }
    // the library's mean: the median equivalent of the highest equivalent value, times the count
    const med = h.medianEquivalentValue(h.highestEquivalentValue(v));
    if (n === meds.length) {
      meds = grow(meds);
      cnts = grow(cnts);
    }
    meds[n] = med;
    cnts[n++] = c;
    sum += med * c;
  }
  const mean = sum / total;
  let dev = 0;
  for (let j = 0; j < n; j++) {
    const d = (meds[j] as number) - mean;
    dev += d * d * (cnts[j] as number);
  }
  return { count: total, mean, stdDeviation: Math.sqrt(dev / total), at };
}

function grow(a: Float64Array): Float64Array {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}
