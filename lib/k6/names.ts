import { K6_BUILTIN_METRICS, METRICS, metricRows, MetricRow, RecordedBy } from '../core/metric-names';
import type { CustomMetricKind } from '../scenario/types';

/** A metric the k6 bundle declares in its init context (k6 refuses new metrics once VUs run). */
export type MetricKind = CustomMetricKind;
export interface MetricDecl {
  name: string;
  kind: MetricKind;
}

const decl = (r: MetricRow): MetricDecl => ({ name: r.name, kind: r.kind as MetricKind });

/**
 * Metrics k6 registers itself (lib/core/metric-names.ts, k6Builtin): the bundle never declares or records
 * these (`k6/websockets` records ws_connecting, ws_sessions, ws_ping, ws_msgs_*). Gauges left out: no wsbench
 * call records one.
 */
export const K6_BUILTIN: Readonly<Record<string, MetricKind>> = {};
// a loop over the built-in list, not the rows: this runs in every k6 VU, which gets the table as
// literals and keeps only the exports it reads (build/k6-table.ts)
for (const name in K6_BUILTIN_METRICS) {
  const kind = K6_BUILTIN_METRICS[name] as MetricKind | 'gauge';
  if (kind !== 'gauge') (K6_BUILTIN as Record<string, MetricKind>)[name] = kind;
}

// CONNECT_SUCCESS and CONNECT_LATENCY are the table's names, typed as them (a rename there fails the
// typecheck here): as literals, so that a VU keeps no row of the table (build/k6-table.ts)
/** k6 only: share of attempts that opened (wsbench derives `successRate` from its counters instead). */
export const CONNECT_SUCCESS: typeof METRICS.connectSuccess.name = 'ws_connect_success';

/**
 * k6 only: connect latency of the attempts that opened, on the finest clock k6 gives a script
 * (lib/k6/clock.ts): what `connectLatencyMs` means on Node. k6's own `ws_connecting` has a sample
 * for every dial, failed ones included, so it is kept as k6 records it, and the thresholds on
 * `connectLatencyMs` judge this one.
 */
export const CONNECT_LATENCY: typeof METRICS.connectLatencyK6.name = 'ws_connect_latency';

/** What lib/k6 and the core record in every bundle, under the names shared with the Node runner (read by the build). */
export function k6Own(): MetricDecl[] {
  return metricRows((r) => (r.by === 'core' || r.by === 'k6') && !r.k6Builtin).map(decl);
}

/** What a helper module records (`messages`, `reconnect`): declared when the scenario's code reaches it. */
export function helperMetrics(by: Extract<RecordedBy, 'messages' | 'reconnect' | 'arrivals'>): MetricDecl[] {
  return metricRows((r) => r.by === by).map(decl);
}

/** Kind of a metric name the bundle can put a threshold on (its own, the scenario's, or k6's built-ins). */
export function kindOf(name: string, declared: MetricDecl[]): MetricKind | undefined {
  return K6_BUILTIN[name] ?? declared.find((d) => d.name === name)?.kind;
}

/** Declarations as the bundle carries them (lib/k6/meta.ts `metrics`): one name → kind object, in their order. */
export function kindsOf(decls: MetricDecl[]): Record<string, MetricKind> {
  const out: Record<string, MetricKind> = {};
  for (const d of decls) out[d.name] = d.kind;
  return out;
}
