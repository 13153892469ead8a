import type { ClientTransport } from '../lib/node/client-settings';
import { ConfigError } from '../lib/scenario/config-error';
import type { Share } from '../lib/scenario/stages';
import type { ResolvedOptions } from '../lib/scenario/types';
import { Accounting, newTally } from './accounting';
import type { FromWorker, ToWorker } from './ipc';
import { startWorker, WorkerHandle, workersAsThreads } from './worker-handle';

/** What every worker loads: the scenario, the options, this generator's segment, sources and how to connect (TLS, client certificate, proxy). */
export interface WorkerLoad {
  bundle: string;
  options: ResolvedOptions;
  segment: Share['segment'];
  sources: string[];
  client: ClientTransport;
}

/**
 * The workers of one run: starts them (runner/worker-handle.ts), speaks their IPC, and books what they
 * report into the accounting. Knows nothing of summaries or output.
 */
export class Coordinator {
  private readonly procs: WorkerHandle[] = [];
  private finished: (() => void) | undefined;

  constructor(private readonly books: Accounting) {}

  get count(): number {
    return this.procs.length;
  }

  /** Every forked worker has ended (reported `done`, died, or was killed). */
  allDone(): boolean {
    return this.books.workers.length > 0 && this.books.workers.every((w) => w.done);
  }

  /** Starts `count` workers (one: a thread, more: processes); resolves once each has loaded the scenario and planned its VUs. */
  launch(count: number, load: WorkerLoad): Promise<void> {
    const threads = workersAsThreads(count);
    return Promise.all(Array.from({ length: count }, (_, index) => this.startOne(index, count, load, threads))).then(() => undefined);
  }

  /** Starts every worker's clock at `startWall` and resolves when every worker is done. */
  run(startWall: number): Promise<void> {
    this.books.startWall = startWall;
    for (const p of this.procs) p.send({ t: 'go', startAtWall: startWall } satisfies ToWorker);
    return new Promise<void>((resolve) => {
      this.finished = resolve;
      this.checkFinished();
    });
  }

  /** Asks the living workers to stop their VUs and report; ends a run not started yet. */
  stop(): void {
    this.procs.forEach((p, i) => {
      if (!this.books.workers[i]?.done) p.send({ t: 'stop' } satisfies ToWorker);
    });
    if (this.procs.length === 0) this.finished?.();
  }

  /**
   * Resolves once every worker process has exited (each exits right after its `done`), or after
   * `ms`: the runner ends after its children, so that their CPU is counted as its own (children time).
   */
  reaped(ms = 5000): Promise<void> {
    const alive = this.procs.filter((p) => !p.exited);
    if (alive.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      let left = alive.length;
      for (const p of alive) {
        p.onExit(() => {
          if (--left === 0) {
            clearTimeout(timer);
            resolve();
          }
        });
      }
    });
  }

  /** Kills every worker still running, at once. */
  kill(): void {
    this.procs.forEach((p, i) => {
      if (!this.books.workers[i]?.done) p.kill();
    });
  }

  private startOne(index: number, count: number, load: WorkerLoad, asThread: boolean): Promise<void> {
    const proc = startWorker(load.options, asThread);
    const w = newTally(index);
    this.books.workers.push(w);
    this.procs.push(proc);
    return new Promise((resolve, reject) => {
      proc.onMessage((m: FromWorker) => {
        switch (m.t) {
          case 'ready':
            w.plannedStarts = m.plannedStarts;
            w.baseRss = m.baseRssBytes;
            resolve();
            break;
          case 'tick':
            w.cpu.push(m.diag.cpuPct);
            w.loopP99.push(m.diag.loopP99Ms);
            w.maxRss = Math.max(w.maxRss, m.diag.rssBytes);
            this.books.second(m.sec, w, { interval: m.interval, open: m.open, workers: [{ worker: String(index), ...m.diag }] }, m.peak);
            break;
          case 'done':
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
      proc.onExit((code, signal) => {
        if (w.done) return;
        w.died ??= signal ? `killed by ${signal}` : `exit code ${code}`;
        w.done = true;
        reject(new Error(`worker ${index} ${w.died} before it was ready`));
        this.checkFinished();
      });
      const share: Share = { segment: load.segment, worker: { index, count } };
      proc.send({ t: 'load', bundle: load.bundle, options: load.options, share, localAddresses: load.sources, client: load.client } satisfies ToWorker);
    });
  }

  private checkFinished(): void {
    if (this.allDone()) this.finished?.();
  }
}
