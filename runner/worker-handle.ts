import { ChildProcess, fork } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { built } from '../build/paths';
import type { ResolvedOptions } from '../lib/scenario/types';
import type { FromWorker, ToWorker } from './ipc';

/**
 * The coordinator's side of one worker: a forked process, or a thread of the runner's own process.
 * A run that fits in one worker (its connections within one process's open-files limit) runs it as
 * a thread: one Node process instead of two, so the node binary's pages and V8's fixed heap are
 * there once (about 50 MB of RSS less), with the worker's event loop still apart from the
 * coordinator's. Several workers are processes: each has its own open-files limit.
 */
export interface WorkerHandle {
  send(m: ToWorker): void;
  onMessage(fn: (m: FromWorker) => void): void;
  /** Once, when it ended: exit code, or the signal that killed it (processes only). */
  onExit(fn: (code: number | null, signal: NodeJS.Signals | null) => void): void;
  readonly exited: boolean;
  /** Ends it at once. */
  kill(): void;
}

/**
 * Node flags of the workers. Connect-only runs hold idle connections by the 100,000: a 1 MB young
 * generation keeps RSS per connection under 10 KB (7.6-9.7 KB at 100K, against 9-11 KB with V8's
 * default) for a few % more CPU; `--optimize-for-size` would cut it to ~6 KB but cost so much CPU that
 * the 100K ramp's P99 went from 70 ms to 1.5 s on 2 cores. Messaging runs keep V8's defaults for
 * throughput. WSBENCH_WORKER_NODE_OPTIONS appends flags (profiling: `--cpu-prof`) and makes every
 * worker a process, since a thread takes no Node flags.
 */
export function workerNodeOptions(options: ResolvedOptions): string[] {
  const lean = options.mode === 'connect-only' ? ['--max-semi-space-size=1'] : [];
  return ['--max-old-space-size=4096', ...lean, ...extraNodeOptions()];
}

const extraNodeOptions = (): string[] => process.env.WSBENCH_WORKER_NODE_OPTIONS?.split(' ').filter(Boolean) ?? [];

/** Whether the workers of a run are threads: one worker, and no Node flags asked for. */
export function workersAsThreads(count: number): boolean {
  return count === 1 && extraNodeOptions().length === 0;
}

export function startWorker(options: ResolvedOptions, asThread: boolean): WorkerHandle {
  return asThread ? threadWorker(options) : processWorker(options);
}

function processWorker(options: ResolvedOptions): WorkerHandle {
  const proc: ChildProcess = fork(built('worker'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: workerNodeOptions(options) });
  return {
    send: (m) => {
      if (proc.connected) proc.send(m);
    },
    onMessage: (fn) => proc.on('message', fn),
    onExit: (fn) => proc.on('exit', fn),
    get exited() {
      return proc.exitCode !== null || proc.signalCode !== null;
    },
    kill: () => proc.kill('SIGKILL'),
  };
}

function threadWorker(options: ResolvedOptions): WorkerHandle {
  // a process's heap settings: 4 GB of old space and, in connect-only runs, a lean young generation. 6 MB
  // (semi-spaces of 2 MB), measured at 10K connections: GC 0.75 s against 0.97 s with 3 MB and 0.36 s with
  // V8's default 48 MB, whose young garbage made the runner's RSS 20-30 MB larger (bench/history.md)
  const worker = new Worker(built('worker'), {
    resourceLimits: { maxOldGenerationSizeMb: 4096, ...(options.mode === 'connect-only' ? { maxYoungGenerationSizeMb: 6 } : {}) },
    stdout: false,
    stderr: false,
  });
  let exited = false;
  let error: Error | undefined; // an exception the worker did not catch: it ends with it (and must not reach the coordinator's loop)
  worker.on('error', (err) => (error = err));
  worker.once('exit', () => (exited = true));
  return {
    send: (m) => {
      if (!exited) worker.postMessage(m);
    },
    onMessage: (fn) => worker.on('message', fn),
    onExit: (fn) => worker.once('exit', (code) => fn(error ? 1 : code, null)),
    get exited() {
      return exited;
    },
    kill: () => void worker.terminate(),
  };
}
