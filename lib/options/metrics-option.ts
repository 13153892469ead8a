import { ConfigError } from '../scenario/config-error';
import { K6_BUILTIN_METRICS, metricRow } from '../core/metric-names';
import type { CustomMetricKind } from '../scenario/types';

/**
 * `options.metrics`: the metrics a scenario records by name, checked before anything runs (on Node
 * and by the k6 build alike), so that a name k6 would refuse never reaches a run.
 */

/** k6's rule for a metric name (docs/k6.md, "k6 behaviours encoded"). */
export const K6_METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{1,128}$/;

const KINDS: readonly CustomMetricKind[] = ['counter', 'trend', 'rate'];
const EG = "e.g. metrics: { login_ms: 'trend', app_errors: 'counter', ok_rate: 'rate' }";

/** Why `name` cannot be declared as a `kind`; undefined when it can. */
export function metricNameProblem(name: string, kind: CustomMetricKind): string | undefined {
  const builtin = K6_BUILTIN_METRICS[name];
  if (builtin === kind) {
    return `metric "${name}" is k6's own ${builtin}: k6 merges a custom ${kind} of that name into it, so its samples would count twice (k6 metrics/registry.go NewMetric); pick another name`;
  }
  if (builtin !== undefined) {
    return `metric "${name}" is k6's own ${builtin}: k6 refuses a ${kind} of that name at init (k6 metrics/registry.go NewMetric); pick another name`;
  }
  const row = metricRow(name);
  // wsbench's names a scenario records itself (lib/core/metric-names.ts `scenario` rows) are declared like its own
  if (row && (row.by !== 'scenario' || row.kind !== kind)) {
    const where = row.summary ? ` (its figure is ${row.summary})` : '';
    return `metric "${name}" is wsbench's own ${row.kind}${where}: pick another name`;
  }
  if (!K6_METRIC_NAME.test(name)) {
    return `metric "${name}" is not a valid k6 metric name: k6 requires ${K6_METRIC_NAME.source} (letters, digits and _, 2 to 129 characters) and refuses it at init with "Invalid metric name"`;
  }
  return undefined;
}

/** The checked declarations of `options.metrics` (a copy, in their order); {} when absent. */
export function checkMetrics(v: unknown): Record<string, CustomMetricKind> {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new ConfigError(`options.metrics must be an object of metric names and kinds, ${EG} (got ${JSON.stringify(v)})`);
  }
  const out: Record<string, CustomMetricKind> = {};
  for (const [name, kind] of Object.entries(v)) {
    if (!KINDS.includes(kind as CustomMetricKind)) {
      throw new ConfigError(`options.metrics: "${name}" must be 'counter', 'trend' or 'rate' (got ${JSON.stringify(kind)})`);
    }
    const problem = metricNameProblem(name, kind as CustomMetricKind);
    if (problem) throw new ConfigError(`options.metrics: ${problem}`);
    out[name] = kind as CustomMetricKind;
  }
  return out;
}
