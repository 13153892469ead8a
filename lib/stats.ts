import type { LatencyStats } from './metrics/histogram';
import { MetricsSnapshot, statsOf } from './metrics/registry';

/**
 * Statistics as the summary reports them: a trend with no samples has every figure null (DESIGN.md,
 * "figures with no samples"), never zeros: a P99 of 0.00 ms when nothing connected is a lie.
 */
export type NullStats = { [K in keyof LatencyStats]: K extends 'count' ? 0 : null };
export type Stats = LatencyStats | NullStats;

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
