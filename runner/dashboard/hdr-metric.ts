import type { MetricObjectWithValues, MetricType, MetricValueWithName } from 'prom-client';
import { bucketCounts } from '../../lib/metrics/histogram';

/** Upper bounds of every latency histogram, in seconds: 0.5 ms to 10 s (Prometheus adds +Inf). */
export const BUCKETS_SECONDS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Upper bounds of the session-lifetime histogram (docs/arrivals.md), seconds: 1 s to 1 h. */
export const LIFETIME_BUCKETS_SECONDS: readonly number[] = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
/**
 * Encodings of empty histograms: a worker's interval trend that saw nothing in a second is still
 * sent (its histogram is reset, not dropped), and decoding is the dearest part of a second here.
 */
const EMPTY = new Set<string>();

/**
 * A Prometheus histogram fed with whole HDR histograms (a second's interval, from the workers'
 * snapshots) rather than one observation at a time: the cumulative counts per bucket grow by
 * each second's counts, so `_count` equals the summary's count and `histogram_quantile` lands
 * in the bucket of the summary's percentile. prom-client's registry takes any metric whose
 * get() returns its values; its own Histogram has no way to add counts in bulk.
 */
export class HdrHistogramMetric {
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  private readonly boundsUs: number[];
  private readonly cumulative: number[];
  private count = 0;
  private sumSeconds = 0;

  constructor(readonly name: string, readonly help: string, private readonly buckets: readonly number[] = BUCKETS_SECONDS) {
    this.boundsUs = buckets.map((s) => Math.round(s * 1e6));
    this.cumulative = new Array<number>(buckets.length).fill(0);
  }

  /** Adds one encoded HDR histogram (values in microseconds). */
  addEncoded(encoded: string): void {
    if (EMPTY.has(encoded)) return;
    const b = bucketCounts(encoded, this.boundsUs);
    if (b.count === 0 && EMPTY.size < 64) EMPTY.add(encoded);
    b.cumulative.forEach((n, i) => (this.cumulative[i] = (this.cumulative[i] as number) + n));
    this.count += b.count;
    this.sumSeconds += b.sumUs / 1e6;
  }

  async get(): Promise<MetricObjectWithValues<MetricValueWithName<string>>> {
    const values: Array<MetricValueWithName<string>> = this.buckets.map((le, i) => ({
      metricName: `${this.name}_bucket`, labels: { le }, value: this.cumulative[i] as number,
    }));
    values.push(
      { metricName: `${this.name}_bucket`, labels: { le: '+Inf' }, value: this.count },
      { metricName: `${this.name}_sum`, labels: {}, value: this.sumSeconds },
      { metricName: `${this.name}_count`, labels: {}, value: this.count },
    );
    // prom-client types MetricType as a numeric enum, but its registry writes `type` as it is: "histogram"
    return { name: this.name, help: this.help, type: this.type as unknown as MetricType, aggregator: this.aggregator, values, collect: () => undefined };
  }
}
