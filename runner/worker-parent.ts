import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './ipc';

/**
 * The worker's side of its link to the coordinator: the IPC channel of a forked process, or the
 * port of a worker thread (a run that fits in one worker runs it as a thread of the runner's own
 * process: runner/worker-handle.ts). runner/worker.ts speaks only through this.
 */
export interface ParentLink {
  readonly inThread: boolean;
  send(m: FromWorker, then?: () => void): void;
  onMessage(fn: (m: ToWorker) => void): void;
  /** CPU time of this worker in microseconds (user, system): the process's, or the thread's own. */
  cpuUsage(): { user: number; system: number };
}

const USEC_PER_TICK = 1e6 / 100; // USER_HZ is 100 on Linux

/** This thread's CPU from /proc/thread-self/stat (utime, stime in clock ticks); the process's if unreadable. */
function threadCpuUsage(): { user: number; system: number } {
  try {
    const stat = fs.readFileSync('/proc/thread-self/stat', 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(f[11]) * USEC_PER_TICK, system: Number(f[12]) * USEC_PER_TICK };
  } catch {
    return process.cpuUsage();
  }
}

const port = parentPort;

export const parent: ParentLink = port
  ? {
      inThread: true,
      send(m, then) {
        port.postMessage(m);
        if (then) setImmediate(then);
      },
      onMessage(fn) {
        port.on('message', fn);
      },
      cpuUsage: threadCpuUsage,
    }
  : {
      inThread: false,
      send(m, then) {
        if (then) process.send?.(m, undefined, {}, then);
        else process.send?.(m);
      },
      onMessage(fn) {
        process.on('message', fn);
      },
      cpuUsage: () => process.cpuUsage(),
    };
