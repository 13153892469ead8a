import type { MetricsSnapshot } from '../metrics/registry';
import { ArrivalPlan, arrivalsSummary } from './arrivals-summary';
import { runnerWarnings } from './diagnose';
import type { SecondRecord } from './record';
import { totalsOf } from './record';
import type { Declared } from './custom-metrics';
import { buildSummary, Summary, WorkerDiagnostics } from './summary';
import type { Threshold } from './thresholds';
import { rowOf, SecondRow } from './timeseries';
import { exitCodeOf, judge } from './verdict';

/**
 * What a run was, besides its per-second records: everything the summary needs that is no
 * per-second measurement. Written as `raw/totals.json` (runner/raw.ts), so that `runner merge`,
 * `runner report` and `runner compare` summarise a results folder exactly as `runner run` did.
 */
export interface RunMeta {
  scenario: string;
  target: string;
  mode: string;
  /** Wall-clock epoch ms: the run's clock read 0; its last measurement settled; it ended (connections closed). */
  startWall: number;
  measuredEndWall: number;
  endWall: number;
  interrupted: boolean;
  /** The most connections any part (worker, segment) saw open at once between its samples. */
  peak: number;
  /** Connections still open when the run ended. */
  final: number;
  workers: WorkerDiagnostics[];
  /** Warnings already found (a segment's own, a merge's); the runner's own are added when `schedule` is given. */
  warnings: string[];
  /** Reconnect was on: each disconnect wave gets its recovery. */
  reconnecting: boolean;
  /** Counts no second holds: the VUs of a worker that died (runner/accounting.ts), merged into the totals. */
  adjustments: MetricsSnapshot[];
  /** An abortOnFail threshold stopped the run: which, when, at what value. */
  abortedByThreshold?: Summary['abortedByThreshold'];
  /** The scenario's declared custom metrics (`options.metrics`): each one in the summary from the start. */
  declared?: Declared;
  /** The end of the first ramp and of the schedule (run seconds): the runner's own warnings look at them. */
  schedule?: { rampEndSec: number; endSec: number };
  /** The arrive stages' plan (lib/results/arrivals-summary.ts) for this share of the run: the summary's `arrivals`. */
  arrivals?: ArrivalPlan;
}

export interface Summarised {
  summary: Summary;
  timeseries: SecondRow[];
  totals: MetricsSnapshot;
  exitCode: number;
}

/**
 * The one derivation of a run's results from its records: totals, summary, disconnect waves and
 * their recovery, the time series, thresholds and the exit code. Pure.
 */
export function summarise(records: SecondRecord[], meta: RunMeta, thresholds: Threshold[]): Summarised {
  const sorted = [...records].sort((a, b) => a.sec - b.sec);
  const timeseries = sorted.map(rowOf);
  const totals = totalsOf(sorted, meta.adjustments);
  const own = meta.schedule ? runnerWarnings(meta.workers, timeseries, meta.schedule.rampEndSec, meta.schedule.endSec) : [];
  const summary = buildSummary({
    scenario: meta.scenario,
    target: meta.target,
    mode: meta.mode,
    startedAt: new Date(meta.startWall),
    durationSec: Math.max(0, meta.measuredEndWall - meta.startWall) / 1000,
    closeSec: Math.max(0, meta.endWall - meta.measuredEndWall) / 1000,
    interrupted: meta.interrupted,
    totals,
    peak: timeseries.reduce((m, r) => Math.max(m, r.open), meta.peak),
    final: meta.final,
    workers: meta.workers,
    warnings: [...meta.warnings, ...own],
    seconds: sorted,
    reconnecting: meta.reconnecting,
    ...(meta.declared ? { declared: meta.declared } : {}),
  });
  if (meta.arrivals) summary.arrivals = arrivalsSummary(meta.arrivals, totals, sorted);
  judge(summary, thresholds, meta.abortedByThreshold);
  return { summary, timeseries, totals, exitCode: exitCodeOf(summary) };
}
