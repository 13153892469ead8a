import { ChildProcess, fork } from 'node:child_process';
import { bundleForNode, scenarioName } from '../build/scenario';
import { runnerWarnings } from '../lib/diagnose';
import { ConfigError } from '../lib/duration';
import { M } from '../lib/metrics/names';
import { emptySnapshot, mergeSnapshots, MetricsSnapshot } from '../lib/metrics/registry';
import { checkModule, Overrides, resolveOptions } from '../lib/options';
import { maxTarget, planStages, Share, totalDurationMs } from '../lib/stages';
import { buildSummary, statsOf, Summary, WorkerDiagnostics } from '../lib/summary';
import { SecondRow, secondRow, WorkerSecond } from '../lib/timeseries';
import type { ResolvedOptions } from '../lib/types';
import { redactOptions } from '../lib/vu-connection';
import type { ServerStats } from '../server/server';
import { isLoopbackTarget, sourceAddresses } from './addresses';
import { Embedded, startEmbedded } from './embedded';
import type { FromWorker, ToWorker } from './ipc';
import { workersFor } from './limits';
import { loadBundle } from './load-bundle';
import { built, ROOT } from './paths';
import { preflight } from './preflight';
import { peakOpen } from './results';

export interface RunConfig {
  scenarioFile: string;
  overrides?: Overrides;
  /** Worker processes; default: as many as the open-files limit needs for the connections. */
  workers?: number;
  /** Generator-level share for distributed runs (`--segment i/n`, 0-based here). */
  segment?: { index: number; count: number };
  localAddress?: string;
  insecure?: boolean;
  ca?: string;
  /** Processes of the embedded server; default from the open-files limit. */
  serverWorkers?: number;
  /** Called once a second with the merged view of the second that just ended, and each worker's report of it. */
  onSecond?: (row: SecondRow, live: LiveView, workers: ReadonlyMap<number, WorkerSecond>) => void;
  /** Preflight warnings and other notes before the run. */
  onNote?: (line: string) => void;
  /** Called with the resolved options before any worker starts; throwing (ConfigError) stops the run there. */
  onOptions?: (options: ResolvedOptions) => void;
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
  p99: number;
  pongRate: number;
}

export interface RunResult {
  summary: Summary;
  timeseries: SecondRow[];
  options: ResolvedOptions;
  totals: MetricsSnapshot;
  serverStats?: ServerStats;
  workers: number;
  sourceAddresses: string[];
  /** Wall-clock epoch ms at which the run's clock read 0, and at which the run ended (for `runner merge`). */
  startWall: number;
  endWall: number;
  /** Each second of the run's clock: the workers' interval snapshots merged exactly, and the connections open (raw/seconds.ndjson). */
  seconds: Array<{ sec: number; interval: MetricsSnapshot; open: number }>;
  /** The target was the embedded server started for this run. */
  embedded: boolean;
}

interface WorkerState {
  index: number;
  proc: ChildProcess;
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

/**
 * The coordinator of one run: bundles and checks the scenario, resolves options, starts the
 * embedded target if none is given, forks the workers, merges their snapshots and builds the summary.
 */
export class Run {
  private workers: WorkerState[] = [];
  private interrupted = false;
  private seconds = new Map<number, Map<number, WorkerSecond>>();
  private startWall = 0;
  private embedded: Embedded | undefined;
  private finished: (() => void) | undefined;
  private options: ResolvedOptions | undefined;
  private emitted = -1;
  private sources: string[] = [];
  /** Every worker's latest totals merged, until one of them changes: merged at most once a second for liveView and liveSummary. */
  private mergedTotals: MetricsSnapshot | undefined;
  /** Rows of the seconds every worker has reported (they can no longer change), computed once for live progress and the summary. */
  private rows = new Map<number, SecondRow>();

  constructor(private readonly cfg: RunConfig) {}

  /**
   * First call: stop starting VUs, close connections, report what was measured. False when there
   * was nothing left to stop (already interrupted, or every worker already done).
   */
  interrupt(): boolean {
    if (this.interrupted || (this.workers.length > 0 && this.workers.every((w) => w.done))) return false;
    this.interrupted = true;
    for (const w of this.workers) if (!w.done && w.proc.connected) w.proc.send({ t: 'stop' } satisfies ToWorker);
    if (this.workers.length === 0) this.finished?.();
    return true;
  }

  get wasInterrupted(): boolean {
    return this.interrupted;
  }

  /** The summary so far, from every worker's latest snapshot (live thresholds); undefined before the start. */
  liveSummary(): Summary | undefined {
    const o = this.options;
    if (!o || !this.startWall) return undefined;
    return buildSummary({
      scenario: o.scenario, target: o.target, mode: o.mode, startedAt: new Date(this.startWall),
      durationSec: Math.max(0, Date.now() - this.startWall) / 1000, interrupted: this.interrupted,
      totals: this.liveTotals(),
      // the final summary's rule: a sum of the workers' own peaks would count peaks that never coincided
      peak: peakOpen([...this.rows.values()], this.workers.map((w) => w.peak)),
      final: this.workers.reduce((n, w) => n + w.lastOpen, 0),
      workers: [], warnings: [],
    });
  }

  /** Kills everything at once (second Ctrl-C) and returns the summary of the last snapshots. */
  abort(): Summary | undefined {
    for (const w of this.workers) if (!w.done) w.proc.kill('SIGKILL');
    void this.embedded?.stop();
    if (!this.options) return undefined;
    return this.summarise(this.options, Date.now()).summary;
  }

  async start(): Promise<RunResult> {
    const cfg = this.cfg;
    const file = cfg.scenarioFile;
    const bundle = await bundleForNode(file, ROOT);
    const mod = checkModule(loadBundle(bundle, file), file);
    const name = scenarioName(file);
    const ov = cfg.overrides ?? {};
    let options = resolveOptions(name, mod.options, ov, 'ws://127.0.0.1:1/ws');
    const conns = maxTarget(planStages(options.stages));
    const workerCount = cfg.workers ?? workersFor(Math.ceil(conns / (cfg.segment?.count ?? 1)));
    if (!Number.isInteger(workerCount) || workerCount < 1) throw new ConfigError(`--workers must be a whole number >= 1 (got ${cfg.workers})`);
    const wantsEmbedded = ov.target === undefined && !(typeof mod.options.target === 'string' && mod.options.target);
    if (wantsEmbedded) {
      this.embedded = await startEmbedded(cfg.serverWorkers ?? workersFor(conns));
      options = resolveOptions(name, mod.options, ov, this.embedded.url);
    }
    this.options = options;
    try {
      cfg.onOptions?.(options);
      return await this.execute(bundle, options, workerCount);
    } finally {
      await this.embedded?.stop();
    }
  }

  private async execute(bundle: string, options: ResolvedOptions, workerCount: number): Promise<RunResult> {
    const cfg = this.cfg;
    const stages = planStages(options.stages);
    const conns = maxTarget(stages);
    const myConns = Math.ceil(conns / (cfg.segment?.count ?? 1));
    const sources = (this.sources = sourceAddresses(options.target, myConns, cfg.localAddress));
    const first = stages[0];
    for (const w of preflight({
      conns: myConns,
      workers: workerCount,
      sourceAddresses: sources.length,
      loopbackTarget: isLoopbackTarget(options.target),
      embedded: this.embedded !== undefined,
      rampPerSec: first && first.durationMs > 0 ? ((first.to - first.from) / first.durationMs) * 1000 : 0,
    })) cfg.onNote?.(`preflight: ${w}`);

    const segment = cfg.segment ?? { index: 0, count: 1 };
    await Promise.all(
      Array.from({ length: workerCount }, (_, index) => this.forkWorker(index, workerCount, segment, bundle, options, sources)),
    );
    if (this.interrupted) {
      for (const w of this.workers) w.proc.kill('SIGKILL');
      return this.summarise(options, Date.now());
    }
    this.startWall = Date.now() + 100;
    for (const w of this.workers) w.proc.send({ t: 'go', startAtWall: this.startWall } satisfies ToWorker);
    await new Promise<void>((resolve) => {
      this.finished = resolve;
      this.checkFinished();
    });
    const endWall = Date.now();
    this.flushSeconds(true);
    return this.summarise(options, endWall);
  }

  private forkWorker(
    index: number, count: number, segment: Share['segment'], bundle: string, options: ResolvedOptions, sources: string[],
  ): Promise<void> {
    const proc = fork(built('worker'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: workerNodeOptions(options) });
    const w: WorkerState = {
      index, proc, plannedStarts: 0, lastTotal: emptySnapshot(), lastOpen: 0, peak: 0, final: 0, done: false,
      cpu: [], loopP99: [], maxRss: 0, baseRss: 0,
    };
    this.workers.push(w);
    const share: Share = { segment, worker: { index, count } };
    return new Promise((resolve, reject) => {
      proc.on('message', (m: FromWorker) => {
        switch (m.t) {
          case 'ready':
            w.plannedStarts = m.plannedStarts;
            w.baseRss = m.baseRssBytes;
            resolve();
            break;
          case 'tick':
            w.lastTotal = m.total;
            this.mergedTotals = undefined;
            w.lastOpen = m.open;
            w.peak = Math.max(w.peak, m.peak);
            w.cpu.push(m.diag.cpuPct);
            w.loopP99.push(m.diag.loopP99Ms);
            w.maxRss = Math.max(w.maxRss, m.diag.rssBytes);
            this.recordSecond(m.sec, index, {
              interval: m.interval, open: m.open, cpuPct: m.diag.cpuPct, machineCpuPct: m.diag.machineCpuPct,
              loopP99Ms: m.diag.loopP99Ms, rssBytes: m.diag.rssBytes,
            });
            break;
          case 'done':
            w.lastTotal = m.total;
            this.mergedTotals = undefined;
            w.lastOpen = m.open;
            w.peak = Math.max(w.peak, m.peak);
            w.final = m.final;
            w.maxRss = Math.max(w.maxRss, m.maxRssBytes);
            w.measuredEndWall = m.measuredEndWall;
            w.done = true;
            this.checkFinished();
            break;
          case 'fatal':
            w.died = m.message;
            reject(new ConfigError(m.message));
            break;
        }
      });
      proc.on('exit', (code, signal) => {
        if (!w.done) {
          w.died ??= signal ? `killed by ${signal}` : `exit code ${code}`;
          w.done = true;
          reject(new Error(`worker ${index} ${w.died} before it was ready`));
          this.checkFinished();
        }
      });
      proc.send({ t: 'load', bundle, options, share, localAddresses: sources, tls: { insecure: !!this.cfg.insecure, ca: this.cfg.ca } } satisfies ToWorker);
    });
  }

  private recordSecond(sec: number, worker: number, part: WorkerSecond): void {
    let parts = this.seconds.get(sec);
    if (!parts) this.seconds.set(sec, (parts = new Map()));
    parts.set(worker, part);
    this.flushSeconds(false);
  }

  /** Emits live rows for seconds every living worker has reported. */
  private flushSeconds(all: boolean): void {
    const living = this.workers.filter((w) => !w.died).length;
    for (;;) {
      const next = this.emitted + 1;
      const parts = this.seconds.get(next);
      if (!parts || (!all && parts.size < living)) return;
      this.emitted = next;
      if (this.cfg.onSecond && this.options) this.cfg.onSecond(this.rowOf(next, parts), this.liveView(next), parts);
    }
  }

  /** The row of a second; kept once every worker has reported it. */
  private rowOf(sec: number, parts: Map<number, WorkerSecond>): SecondRow {
    const kept = this.rows.get(sec);
    if (kept) return kept;
    const row = secondRow(sec, this.startWall, [...parts.values()]);
    if (parts.size === this.workers.length) this.rows.set(sec, row);
    return row;
  }

  /** The merge of every worker's latest totals (not to be changed: it is shared until the next tick). */
  private liveTotals(): MetricsSnapshot {
    return (this.mergedTotals ??= mergeSnapshots(this.workers.map((w) => w.lastTotal)));
  }

  private liveView(sec: number): LiveView {
    const o = this.options as ResolvedOptions;
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
      p99: statsOf(totals, M.connecting).p99,
      pongRate: pong && pong.total ? pong.passes / pong.total : 1,
    };
  }

  private checkFinished(): void {
    if (this.workers.length > 0 && this.workers.every((w) => w.done)) this.finished?.();
  }

  private summarise(options: ResolvedOptions, endWall: number): RunResult {
    // the run lasts until its last measurement settled; closing the connections afterwards is reported apart
    const ends = this.workers.map((w) => w.measuredEndWall).filter((t): t is number => t !== undefined);
    const measuredEnd = ends.length === this.workers.length && ends.length > 0 ? Math.min(endWall, Math.max(...ends)) : endWall;
    const timeseries: SecondRow[] = [];
    const seconds: RunResult['seconds'] = [];
    for (const sec of [...this.seconds.keys()].sort((a, b) => a - b)) {
      const byWorker = this.seconds.get(sec) as Map<number, WorkerSecond>;
      const parts = [...byWorker.values()];
      timeseries.push(this.rowOf(sec, byWorker));
      seconds.push({ sec, interval: mergeSnapshots(parts.map((x) => x.interval)), open: parts.reduce((n, x) => n + x.open, 0) });
    }
    const totals = mergeSnapshots(this.workers.map((w) => w.lastTotal)); // its own merge: a dead worker's share is added to it
    for (const w of this.workers) if (w.died) accountForDeath(totals, w);
    const diags: WorkerDiagnostics[] = this.workers.map((w) => ({
      index: w.index,
      vus: w.plannedStarts,
      cpuPctMax: Math.max(0, ...w.cpu),
      cpuPctAvg: w.cpu.length ? Math.round(w.cpu.reduce((a, b) => a + b, 0) / w.cpu.length) : 0,
      loopDelayP99MsMax: Math.max(0, ...w.loopP99),
      scheduleLagMs: statsOf(w.lastTotal, M.scheduleLag),
      maxRssMb: Math.round(w.maxRss / 1_048_576),
      rssPerConnKb: w.peak > 0 ? Math.round(((w.maxRss - w.baseRss) / w.peak / 1024) * 100) / 100 : 0,
      ...(w.died ? { died: w.died } : {}),
    }));
    const stages = planStages(options.stages);
    const firstRampEnd = stages[0] && stages[0].to > stages[0].from ? (stages[0].startMs + stages[0].durationMs) / 1000 : 0;
    const summary = buildSummary({
      scenario: options.scenario,
      target: options.target,
      mode: options.mode,
      startedAt: new Date(this.startWall || endWall),
      durationSec: this.startWall ? (measuredEnd - this.startWall) / 1000 : 0,
      closeSec: (endWall - measuredEnd) / 1000,
      interrupted: this.interrupted,
      totals,
      peak: peakOpen(timeseries, this.workers.map((w) => w.peak)),
      final: this.workers.reduce((n, w) => n + (w.died ? 0 : w.final), 0),
      workers: diags,
      warnings: runnerWarnings(diags, timeseries, firstRampEnd, Math.ceil(totalDurationMs(stages) / 1000)),
    });
    return {
      summary, timeseries, options: redactOptions(options), totals, workers: this.workers.length, sourceAddresses: this.sources,
      startWall: this.startWall || endWall, endWall, seconds, embedded: this.embedded !== undefined,
    };
  }

  /** The embedded server's own counters (before it stops), for comparisons. */
  async serverStats(): Promise<ServerStats | undefined> {
    return this.embedded?.stats();
  }
}

/**
 * A dead worker's VUs: those never started and attempts in flight count as failed connections,
 * its open connections as disconnects, all under the class "worker died (...)".
 */
function accountForDeath(totals: MetricsSnapshot, w: WorkerState): void {
  const c = (k: string): number => w.lastTotal.counters[k] ?? 0;
  const kind = `worker died (${w.died})`;
  const notStarted = Math.max(0, w.plannedStarts - c(M.vusStarted));
  const inFlight = Math.max(0, c(M.attempts) - c(M.sessions) - c(M.connectErrors) - c('ws_connect_aborted'));
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

/**
 * Node flags of the workers. Connect-only runs hold idle connections by the 100,000: a 1 MB young
 * generation keeps RSS per connection under 10 KB (7.6-9.7 KB at 100K, against 9-11 KB with V8's
 * default) for a few % more CPU; `--optimize-for-size` would cut it to ~6 KB but cost so much CPU that
 * the 100K ramp's P99 went from 70 ms to 1.5 s on 2 cores. Messaging runs keep V8's defaults for
 * throughput. WSBENCH_WORKER_NODE_OPTIONS appends flags (profiling: `--cpu-prof`).
 */
export function workerNodeOptions(options: ResolvedOptions): string[] {
  const lean = options.mode === 'connect-only' ? ['--max-semi-space-size=1'] : [];
  return ['--max-old-space-size=4096', ...lean, ...(process.env.WSBENCH_WORKER_NODE_OPTIONS?.split(' ').filter(Boolean) ?? [])];
}
