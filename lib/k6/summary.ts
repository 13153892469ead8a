import type { MappedThreshold } from './options';

/** What k6 hands `handleSummary` of each metric (its summary data: type, values, thresholds). */
export interface K6SummaryData {
  metrics?: Record<string, { type?: string; values?: Record<string, number> } | undefined>;
}

/**
 * Whether a k6 metric of the summary had no sample: a Rate with neither passes nor fails, a Trend
 * of count 0 (`count` is one of the bundle's summaryTrendStats), or a metric k6 does not list. A
 * Counter always has a figure (0 is one), as on Node.
 */
function isEmpty(metric: NonNullable<K6SummaryData['metrics']>[string], threshold: string): boolean {
  if (threshold.startsWith('count')) return false;
  if (!metric?.values) return true;
  const v = metric.values;
  if (metric.type === 'rate') return (v.passes ?? 0) + (v.fails ?? 0) === 0;
  if (metric.type === 'trend') return v.count === 0;
  return false;
}

/**
 * One line for each threshold that judged a metric with no sample. k6 passes a threshold on an
 * empty Rate (it has no `rate` without samples, and a missing value passes) and reads an empty
 * Trend as 0, so it shows ✓ with nothing measured (docs/k6.md); `runner run`
 * shows such a threshold as "no data" and does not fail it either (lib/results/thresholds.ts).
 * The bundle's handleSummary prints these lines in k6's own output.
 */
export function emptyThresholdWarnings(data: K6SummaryData, mapped: MappedThreshold[]): string[] {
  const out: string[] = [];
  for (const t of mapped) {
    if (!isEmpty(data.metrics?.[t.metric], t.threshold)) continue;
    out.push(`wsbench: no data for threshold "${t.expr}" (k6: ${t.metric} ${t.threshold}): nothing was measured, so k6 shows it as passed; runner run reports it as "no data"`);
  }
  return out;
}
