import type { LatencyStats, NullStats, Stats } from '../core/latency-stats';
import { MetricsSnapshot, statsOf } from '../metrics/registry';

export type { NullStats, Stats } from '../core/latency-stats';

export function nullStats(): NullStats {
  return { count: 0, min: null, max: null, avg: null, stddev: null, p50: null, p90: null, p95: null, p99: null };
}

export function orNull(s: LatencyStats): Stats {
  return s.count === 0 ? nullStats() : s;
}

/** The stats of trend `name` in a snapshot, null figures when it recorded nothing. */
export function summaryStats(snap: MetricsSnapshot, name: string): Stats {
  return orNull(statsOf(snap, name));
}

/** True when the stats hold samples (and so numbers). */
export const hasSamples = (s: Stats | undefined): s is LatencyStats => s !== undefined && s.count > 0;
