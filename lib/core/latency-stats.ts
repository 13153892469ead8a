/** Latency statistics in milliseconds, the shape of `connectLatencyMs` in the summary JSON. */
export interface LatencyStats {
  count: number;
  min: number;
  max: number;
  avg: number;
  stddev: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
}

/**
 * Statistics as the summary reports them: a trend with no samples has every figure null (docs/architecture.md, "Public contracts",
 * "figures with no samples"), never zeros: a P99 of 0.00 ms when nothing connected is a lie.
 * Types only (no HDR code), so that pure modules and the k6 bundle can name them.
 */
export type NullStats = { [K in keyof LatencyStats]: K extends 'count' ? 0 : null };
export type Stats = LatencyStats | NullStats;
