import { ConfigError } from '../scenario/config-error';
import { metricRow } from '../core/metric-names';
import type { MetricsSnapshot } from '../metrics/registry';
import type { CustomMetricKind } from '../scenario/types';
import { Stats, summaryStats } from './stats';
import type { Threshold } from './thresholds';

/**
 * The summary's `metrics` block: the scenario's own metrics. A declared one (`options.metrics`) is
 * there from the start: a counter never added reads 0, a rate or trend with no sample reads null
 * (null stats), so that a threshold on it judges 0 or "no data" instead of naming nothing. A metric
 * recorded without a declaration is still reported, with a warning to declare it (k6 needs every
 * metric declared in its init context: the k6 engine refuses an undeclared one).
 */

export type CustomMetrics = Record<string, number | null | Stats>;
export type Declared = Record<string, CustomMetricKind>;

const round4 = (v: number): number => Math.round(v * 10_000) / 10_000;

function figure(totals: MetricsSnapshot, name: string, kind: CustomMetricKind): number | null | Stats {
  if (kind === 'counter') return totals.counters[name] ?? 0;
  if (kind === 'trend') return summaryStats(totals, name);
  const r = totals.rates[name];
  return r && r.total ? round4(r.passes / r.total) : null;
}

/** Whether a name's figure is in the `metrics` block: the scenario's own, or a `scenario` row with no summary field of its own. */
function listedHere(name: string): boolean {
  const row = metricRow(name);
  return row === undefined || (row.by === 'scenario' && row.summary === null);
}

/** What the scenario recorded, by kind: names outside the table (and its own `scenario` rows). */
function recorded(totals: MetricsSnapshot): Array<[string, CustomMetricKind]> {
  const out: Array<[string, CustomMetricKind]> = [];
  const add = (names: string[], kind: CustomMetricKind): void => {
    for (const n of names) {
      const row = metricRow(n);
      if (row === undefined || row.by === 'scenario') out.push([n, kind]);
    }
  };
  add(Object.keys(totals.counters), 'counter');
  add(Object.keys(totals.trends), 'trend');
  add(Object.keys(totals.rates), 'rate');
  return out;
}

/**
 * The `metrics` block and its warnings. `declared` undefined (declarations unknown, as in a merge of
 * older segments): only what was recorded, without warnings.
 */
export function customMetrics(totals: MetricsSnapshot, declared: Declared | undefined): { metrics: CustomMetrics; warnings: string[] } {
  const metrics: CustomMetrics = {};
  const warnings: string[] = [];
  // wsbench's names the scenario declares (im_ack_rtt) have their figure elsewhere in the summary; those with none (stomp_*) are here
  for (const [name, kind] of Object.entries(declared ?? {})) if (listedHere(name)) metrics[name] = figure(totals, name, kind);
  for (const [name, kind] of recorded(totals)) {
    const was = declared?.[name];
    if (was === kind) continue;
    if (listedHere(name) && !(name in metrics)) metrics[name] = figure(totals, name, kind);
    if (declared === undefined) continue;
    warnings.push(was === undefined
      ? `metric ${name} is recorded but not declared: add ${name}: '${kind}' to options.metrics (a k6 run refuses an undeclared metric)`
      : `metric ${name} is declared a ${was} but recorded as a ${kind}: one kind per name (k6 refuses the other at init)`);
  }
  return { metrics, warnings };
}

/** Where a metric name no `metrics.` path can reach is, for the line that refuses it. */
function elsewhere(name: string): string | undefined {
  const row = metricRow(name);
  if (!row) return undefined;
  if (row.by === 'k6') return `${name} is k6's own metric: wsbench does not record it`;
  return `${name} is wsbench's own metric, not under metrics: ${row.summary ? `its figure is ${row.summary}` : 'it has no summary field'}`;
}

/**
 * Refuses, before the run, a `metrics.<name>` threshold on a name the scenario does not declare
 * (`options.metrics`, which holds a helper's declarations too): nothing could ever record it.
 */
export function checkMetricThresholds(thresholds: Threshold[], declared: Declared): void {
  for (const t of thresholds) {
    const name = t.path[1];
    if (t.path[0] !== 'metrics' || name === undefined) continue;
    if (declared[name] !== undefined && listedHere(name)) continue;
    const names = Object.keys(declared).filter(listedHere);
    const why = elsewhere(name)
      ?? `${name} is not declared: declare it in the scenario's options.metrics, e.g. metrics: { ${name}: 'counter' } (${names.length > 0 ? `declared: ${names.join(', ')}` : 'none declared'})`;
    throw new ConfigError(`threshold ${JSON.stringify(t.expr)}: ${why}`);
  }
}
