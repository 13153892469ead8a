import { runnerWarnings } from '../lib/results/diagnose';
import { M } from '../lib/core/metric-names';
import { emptySnapshot, mergeSnapshots, MetricsSnapshot } from '../lib/metrics/registry';
import { maxTarget, planStages, totalDurationMs } from '../lib/scenario/stages';
import { buildSummary, statsOf, Summary, WorkerDiagnostics } from '../lib/results/summary';
import { summaryStats } from '../lib/results/stats';
import { SecondRow, secondRow, WorkerSecond } from '../lib/results/timeseries';
import type { ResolvedOptions } from '../lib/scenario/types';
import { peakOpen } from './results';

/** What the coordinator has heard from one worker. */
export interface WorkerTally {
  index: number;
  plannedStarts: number;
  lastTotal: MetricsSnapshot;
  lastOpen: number;
  peak: number;
  final: number;
  done: boolean;
  died?: string;
  cpu: number[];
  loopP99: number[];
  maxRss: number;
  baseRss: number;
  /** When its measurements settled, before it closed its connections (wall-clock ms). */
  measuredEndWall?: number;
}

export function newTally(index: number): WorkerTally {
  return { index, plannedStarts: 0, lastTotal: emptySnapshot(), lastOpen: 0, peak: 0, final: 0, done: false, cpu: [], loopP99: [], maxRss: 0, baseRss: 0 };
}

/** What live progress shows besides the row of the second. */
export interface LiveView {
  options: ResolvedOptions;
  elapsedSec: number;
  totalSec: number;
  stage: number;
  stages: number;
  target: number;
  attempted: number;
  failed: number;
  p99: number | null;
  pongRate: number;
}

/** One second of the run's clock, merged over the workers that reported it. */
export interface MergedSecond {
  row: SecondRow;
  /** The workers' interval snapshots of the second, merged exactly (not to be changed: it is shared). */
  interval: MetricsSnapshot;
  /** Each worker's own report of the second (CPU, event loop, memory), by worker index. */
  workers: ReadonlyMap<number, WorkerSecond>;
}

export type SecondListener = (second: MergedSecond, live: LiveView) => void;

/**
 * The run's books: the seconds the workers report, merged once every living worker has reported
 * them (in order), the merged totals, worker deaths, and the summary built from all of it.
 */
export class Accounting {
  readonly workers: WorkerTally[] = [];
  /** Wall-clock epoch ms at which the run's clock read 0; 0 before the start. */
  startWall = 0;
  private seconds = new Map<number, Map<number, WorkerSecond>>();
  private emitted = -1;
  /** Every worker's latest totals merged, until one of them changes: merged at most once a second for liveView and liveSummary. */
  private mergedTotals: MetricsSnapshot | undefined;
  /** Seconds every worker has reported (they can no longer change), merged once for live progress and the summary. */
  private merged = new Map<number, MergedSecond>();

  constructor(readonly options: ResolvedOptions, private readonly onSecond?: SecondListener) {}

  /** A worker's latest cumulative snapshot (`tick` and `done` alike). */
  snapshot(w: WorkerTally, s: { total: MetricsSnapshot; open: number; peak: number }): void {
    w.lastTotal = s.total;
    w.lastOpen = s.open;
    w.peak = Math.max(w.peak, s.peak);
    this.mergedTotals = undefined;
  }

  /** A worker's report of one second; emits the seconds every living worker has now reported. */
  second(sec: number, worker: number, part: WorkerSecond): void {
    let parts = this.seconds.get(sec);
    if (!parts) this.seconds.set(sec, (parts = new Map()));
    parts.set(worker, part);
    this.flush(false);
  }

  /** Emits the seconds every living worker has reported; `all`: every second left, at the end. */
  flush(all: boolean): void {
    const living = this.workers.filter((w) => !w.died).length;
    for (;;) {
      const next = this.emitted + 1;
      const parts = this.seconds.get(next);
      if (!parts || (!all && parts.size < living)) return;
      this.emitted = next;
      if (this.onSecond) this.onSecond(this.mergedOf(next, parts), this.liveView(next));
    }
  }

  /** A second merged; kept once every worker has reported it. */
  private mergedOf(sec: number, parts: Map<number, WorkerSecond>): MergedSecond {
    const kept = this.merged.get(sec);
    if (kept) return kept;
    const list = [...parts.values()];
    const interval = mergeSnapshots(list.map((x) => x.interval));
    const m = { row: secondRow(sec, this.startWall, list, interval), interval, workers: parts };
    if (parts.size === this.workers.length) this.merged.set(sec, m);
    return m;
  }

  /** The merge of every worker's latest totals (not to be changed: it is shared until the next snapshot). */
  liveTotals(): MetricsSnapshot {
    return (this.mergedTotals ??= mergeSnapshots(this.workers.map((w) => w.lastTotal)));
  }

  private liveView(sec: number): LiveView {
    const o = this.options;
    const stages = planStages(o.stages);
    const t = (sec + 1) * 1000;
    const stageIdx = stages.findIndex((s) => t <= s.startMs + s.durationMs);
    const totals = this.liveTotals();
    const pong = totals.rates[M.pongRate];
    return {
      options: o,
      elapsedSec: sec + 1,
      totalSec: totalDurationMs(stages) / 1000,
      stage: stageIdx < 0 ? stages.length : stageIdx + 1,
      stages: stages.length,
      target: maxTarget(stages),
      attempted: totals.counters[M.attempts] ?? 0,
      failed: totals.counters[M.connectErrors] ?? 0,
      p99: summaryStats(totals, M.connecting).p99, // null until a connection opened
      pongRate: pong && pong.total ? pong.passes / pong.total : 1,
    };
  }

  /** The summary so far, from every worker's latest snapshot (live thresholds); undefined before the start. */
  liveSummary(interrupted: boolean): Summary | undefined {
    const o = this.options;
    if (!this.startWall) return undefined;
    return buildSummary({
      scenario: o.scenario, target: o.target, mode: o.mode, startedAt: new Date(this.startWall),
      durationSec: Math.max(0, Date.now() - this.startWall) / 1000, interrupted,
      totals: this.liveTotals(),
      // the final summary's rule: a sum of the workers' own peaks would count peaks that never coincided
      peak: peakOpen([...this.merged.values()].map((m) => m.row), this.workers.map((w) => w.peak)),
      final: this.workers.reduce((n, w) => n + w.lastOpen, 0),
      workers: [], warnings: [], declared: o.metrics,
    });
  }

  /** Every second in order, merged: the time series and the exact per-second snapshots. */
  allSeconds(): Array<MergedSecond & { sec: number; open: number }> {
    return [...this.seconds.keys()].sort((a, b) => a - b).map((sec) => {
      const m = this.mergedOf(sec, this.seconds.get(sec) as Map<number, WorkerSecond>);
      return { sec, open: m.row.open, ...m };
    });
  }

  /** The final summary; the run lasts until its last measurement settled, closing afterwards is reported apart. */
  summarise(endWall: number, interrupted: boolean): { summary: Summary; totals: MetricsSnapshot; timeseries: SecondRow[]; seconds: ReturnType<Accounting['allSeconds']> } {
    const options = this.options;
    const ends = this.workers.map((w) => w.measuredEndWall).filter((t): t is number => t !== undefined);
    const measuredEnd = ends.length === this.workers.length && ends.length > 0 ? Math.min(endWall, Math.max(...ends)) : endWall;
    const seconds = this.allSeconds();
    const timeseries = seconds.map((s) => s.row);
    const totals = mergeSnapshots(this.workers.map((w) => w.lastTotal)); // its own merge: a dead worker's share is added to it
    for (const w of this.workers) if (w.died) accountForDeath(totals, w);
    const diags = this.workers.map(diagnosticsOf);
    const stages = planStages(options.stages);
    const firstRampEnd = stages[0] && stages[0].to > stages[0].from ? (stages[0].startMs + stages[0].durationMs) / 1000 : 0;
    const summary = buildSummary({
      scenario: options.scenario,
      target: options.target,
      mode: options.mode,
      startedAt: new Date(this.startWall || endWall),
      durationSec: this.startWall ? (measuredEnd - this.startWall) / 1000 : 0,
      closeSec: (endWall - measuredEnd) / 1000,
      interrupted,
      totals,
      peak: peakOpen(timeseries, this.workers.map((w) => w.peak)),
      final: this.workers.reduce((n, w) => n + (w.died ? 0 : w.final), 0),
      workers: diags,
      warnings: runnerWarnings(diags, timeseries, firstRampEnd, Math.ceil(totalDurationMs(stages) / 1000)),
      seconds, reconnecting: options.reconnect !== undefined, // disconnect waves (lib/results/waves.ts)
      declared: options.metrics,
    });
    return { summary, totals, timeseries, seconds };
  }
}

function diagnosticsOf(w: WorkerTally): WorkerDiagnostics {
  return {
    index: w.index,
    vus: w.plannedStarts,
    cpuPctMax: Math.max(0, ...w.cpu),
    cpuPctAvg: w.cpu.length ? Math.round(w.cpu.reduce((a, b) => a + b, 0) / w.cpu.length) : 0,
    loopDelayP99MsMax: Math.max(0, ...w.loopP99),
    scheduleLagMs: statsOf(w.lastTotal, M.scheduleLag),
    maxRssMb: Math.round(w.maxRss / 1_048_576),
    rssPerConnKb: w.peak > 0 ? Math.round(((w.maxRss - w.baseRss) / w.peak / 1024) * 100) / 100 : 0,
    ...(w.died ? { died: w.died } : {}),
  };
}

/**
 * A dead worker's VUs: those never started and attempts in flight count as failed connections,
 * its open connections as disconnects, all under the class "worker died (...)".
 */
export function accountForDeath(totals: MetricsSnapshot, w: WorkerTally): void {
  const c = (k: string): number => w.lastTotal.counters[k] ?? 0;
  const kind = `worker died (${w.died})`;
  const notStarted = Math.max(0, w.plannedStarts - c(M.vusStarted));
  const inFlight = Math.max(0, c(M.attempts) - c(M.sessions) - c(M.connectErrors) - c(M.connectAborted));
  const opened = c(M.sessions) - c(M.disconnects);
  const openAtDeath = Math.max(0, Math.min(w.lastOpen, opened));
  const failed = notStarted + inFlight;
  const add = (k: string, n: number): void => {
    totals.counters[k] = (totals.counters[k] ?? 0) + n;
  };
  if (failed > 0) {
    add(M.attempts, notStarted);
    add(M.connectErrors, failed);
    totals.errors[kind] = (totals.errors[kind] ?? 0) + failed;
  }
  if (openAtDeath > 0) {
    add(M.disconnects, openAtDeath);
    totals.disconnects[kind] = (totals.disconnects[kind] ?? 0) + openAtDeath;
  }
}
