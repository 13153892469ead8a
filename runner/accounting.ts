import { M } from '../lib/core/metric-names';
import { emptySnapshot, MetricsSnapshot, Registry } from '../lib/metrics/registry';
import { recordOf, SecondPart, SecondRecord } from '../lib/results/record';
import { buildSummary, Summary, WorkerDiagnostics } from '../lib/results/summary';
import type { RunMeta } from '../lib/results/summarise';
import { planStages, Share, totalDurationMs } from '../lib/scenario/stages';
import { arrivalPlan } from '../lib/results/arrivals-summary';
import type { ResolvedOptions } from '../lib/scenario/types';
import { liveViewOf, LiveView } from '../lib/results/live-view';

export type { LiveView } from '../lib/results/live-view';

/** What the coordinator has heard from one worker. */
export interface WorkerTally {
  index: number;
  plannedStarts: number;
  /** Its counters and its schedule lag, folded from its seconds (its diagnostics, and its death's accounting). */
  book: Registry;
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
  return { index, plannedStarts: 0, book: new Registry(), lastOpen: 0, peak: 0, final: 0, done: false, cpu: [], loopP99: [], maxRss: 0, baseRss: 0 };
}

export type SecondListener = (record: SecondRecord, live: LiveView) => void;

/**
 * The run's books: the workers' parts of every second, merged into the per-second records once every
 * living worker has reported them (in order), the running totals folded from them for live progress,
 * and the run's meta (lib/results/summarise.ts derives everything else).
 */
export class Accounting {
  readonly workers: WorkerTally[] = [];
  /** Wall-clock epoch ms at which the run's clock read 0; 0 before the start. */
  startWall = 0;
  private parts = new Map<number, Map<number, SecondPart>>();
  private emitted = -1;
  /** The totals so far, for live progress and live thresholds: counters folded in as each part arrives, trends as each second is merged. */
  private readonly live = new Registry();
  /** Records of the seconds every worker has reported (they can no longer change). */
  private complete = new Map<number, SecondRecord>();
  private peakSeen = 0;

  constructor(readonly options: ResolvedOptions, private readonly onSecond?: SecondListener, private readonly segment?: Share['segment']) {}

  /** A worker's part of second `sec`, with its open and peak connections then; emits the seconds every living worker has now reported. */
  second(sec: number, w: WorkerTally, part: SecondPart, peak: number): void {
    let parts = this.parts.get(sec);
    if (!parts) this.parts.set(sec, (parts = new Map()));
    parts.set(w.index, part);
    w.lastOpen = part.open;
    w.peak = Math.max(w.peak, peak);
    const lag = part.interval.trends[M.scheduleLag];
    w.book.absorb({ ...part.interval, trends: lag === undefined ? {} : { [M.scheduleLag]: lag } });
    // the trends follow once the second is merged (flush): one decode of each, not one per worker
    this.live.absorb({ ...part.interval, trends: {} });
    this.flush(false);
  }

  /** Emits the seconds every living worker has reported; `all`: every second left, at the end. */
  flush(all: boolean): void {
    const living = this.workers.filter((w) => !w.died).length;
    for (;;) {
      const next = this.emitted + 1;
      const parts = this.parts.get(next);
      if (!parts || (!all && parts.size < living)) return;
      this.emitted = next;
      const record = this.recordAt(next, parts);
      this.live.absorb({ ...emptySnapshot(), trends: record.interval.trends });
      this.peakSeen = Math.max(this.peakSeen, record.open);
      if (this.onSecond) this.onSecond(record, liveViewOf(this.options, next, this.live));
    }
  }

  private recordAt(sec: number, parts: Map<number, SecondPart>): SecondRecord {
    const kept = this.complete.get(sec);
    if (kept) return kept;
    const r = recordOf(sec, this.startWall + sec * 1000, [...parts.values()]);
    if (parts.size === this.workers.length) this.complete.set(sec, r);
    return r;
  }

  /** Every second in order, each worker's part merged: the run's records. */
  records(): SecondRecord[] {
    return [...this.parts.keys()].sort((a, b) => a - b).map((sec) => this.recordAt(sec, this.parts.get(sec) as Map<number, SecondPart>));
  }

  /** The summary so far, from the parts reported so far (live thresholds, /summary.json); undefined before the start. */
  liveSummary(interrupted: boolean): Summary | undefined {
    const o = this.options;
    if (!this.startWall) return undefined;
    return buildSummary({
      scenario: o.scenario, target: o.target, mode: o.mode, startedAt: new Date(this.startWall),
      durationSec: Math.max(0, Date.now() - this.startWall) / 1000, interrupted,
      totals: this.live.snapshot(),
      // the final summary's rule: a sum of the workers' own peaks would count peaks that never coincided
      peak: Math.max(this.peakSeen, ...this.workers.map((w) => w.peak)),
      final: this.workers.reduce((n, w) => n + w.lastOpen, 0),
      workers: [], warnings: [], declared: o.metrics,
    });
  }

  /** The run's meta; the run lasts until its last measurement settled, closing afterwards is reported apart. */
  meta(endWall: number, interrupted: boolean): RunMeta {
    const o = this.options;
    const ends = this.workers.map((w) => w.measuredEndWall).filter((t): t is number => t !== undefined);
    const measuredEnd = ends.length === this.workers.length && ends.length > 0 ? Math.min(endWall, Math.max(...ends)) : endWall;
    const stages = planStages(o.stages);
    const first = stages[0];
    const startWall = this.startWall || endWall;
    const arrivals = arrivalPlan(o.stages, this.segment);
    return {
      ...(arrivals ? { arrivals } : {}),
      scenario: o.scenario, target: o.target, mode: o.mode,
      startWall, measuredEndWall: this.startWall ? measuredEnd : endWall, endWall, interrupted,
      peak: Math.max(0, ...this.workers.map((w) => w.peak)),
      final: this.workers.reduce((n, w) => n + (w.died ? 0 : w.final), 0),
      workers: this.workers.map(diagnosticsOf),
      warnings: [],
      reconnecting: o.reconnect !== undefined,
      ...(o.metrics ? { declared: o.metrics } : {}),
      adjustments: this.workers.filter((w) => w.died).map(deathOf),
      schedule: {
        rampEndSec: first && first.to > first.from ? (first.startMs + first.durationMs) / 1000 : 0,
        endSec: Math.ceil(totalDurationMs(stages) / 1000),
      },
    };
  }
}

function diagnosticsOf(w: WorkerTally): WorkerDiagnostics {
  return {
    index: w.index,
    vus: w.plannedStarts,
    cpuPctMax: Math.max(0, ...w.cpu),
    cpuPctAvg: w.cpu.length ? Math.round(w.cpu.reduce((a, b) => a + b, 0) / w.cpu.length) : 0,
    loopDelayP99MsMax: Math.max(0, ...w.loopP99),
    scheduleLagMs: w.book.stats(M.scheduleLag),
    maxRssMb: Math.round(w.maxRss / 1_048_576),
    rssPerConnKb: w.peak > 0 ? Math.round(((w.maxRss - w.baseRss) / w.peak / 1024) * 100) / 100 : 0,
    ...(w.died ? { died: w.died } : {}),
  };
}

/**
 * A dead worker's VUs: those never started and attempts in flight count as failed connections,
 * its open connections as disconnects, all under the class "worker died (...)": an adjustment no
 * second holds, merged into the totals (lib/results/summarise.ts).
 */
export function deathOf(w: WorkerTally): MetricsSnapshot {
  const out = emptySnapshot();
  const c = (k: string): number => w.book.counters.get(k) ?? 0;
  const kind = `worker died (${w.died})`;
  const notStarted = Math.max(0, w.plannedStarts - c(M.vusStarted));
  const inFlight = Math.max(0, c(M.attempts) - c(M.sessions) - c(M.connectErrors) - c(M.connectAborted));
  const openAtDeath = Math.max(0, Math.min(w.lastOpen, c(M.sessions) - c(M.disconnects)));
  const failed = notStarted + inFlight;
  if (failed > 0) {
    out.counters[M.attempts] = notStarted;
    out.counters[M.connectErrors] = failed;
    out.errors[kind] = failed;
  }
  if (openAtDeath > 0) {
    out.counters[M.disconnects] = openAtDeath;
    out.disconnects[kind] = openAtDeath;
  }
  return out;
}
