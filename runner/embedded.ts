import { ChildProcess, fork } from 'node:child_process';
import type { ServerStats } from '../server/server';
import { built } from '../build/paths';
import { connsPerProcess } from './limits';

/** Messages of `runner serve --managed` to the process that started it. */
export type ServeMsg = { t: 'listening'; url: string; workers: number } | { t: 'stats'; stats: ServerStats } | { t: 'error'; message: string };

export interface Embedded {
  url: string;
  workers: number;
  pid: number;
  /** The server's own counters (accepted, open, pings, ...), summed over its processes. */
  stats(): Promise<ServerStats | undefined>;
  stop(): Promise<void>;
}

/**
 * Starts the embedded server as a child process (a cluster primary with `workers` processes),
 * so that the runner's workers and the server never share an open-files limit or an event loop.
 * Its processes take the run's `peak` connections in equal shares (server/acceptors.ts fills one
 * process after another), so that every process serves some of the run, as `--server-workers` asks.
 */
export function startEmbedded(workers: number, peak: number, host = '127.0.0.1', compression = false): Promise<Embedded> {
  const share = String(Math.max(1, Math.min(connsPerProcess(), Math.ceil(peak / workers))));
  const args = ['serve', '--port', '0', '--host', host, '--workers', String(workers), '--conns-per-process', share, '--managed', ...(compression ? ['--compression'] : [])];
  const child: ChildProcess = fork(built('cli'), args, {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`the embedded server exited before listening (code ${code})`));
    child.once('exit', onExit);
    child.on('message', (m: ServeMsg) => {
      if (m.t === 'error') reject(new Error(m.message));
      if (m.t !== 'listening') return;
      child.off('exit', onExit);
      resolve({
        url: m.url,
        workers: m.workers,
        pid: child.pid ?? 0,
        stats: () =>
          new Promise((res) => {
            if (!child.connected) return res(undefined);
            const timer = setTimeout(() => res(undefined), 2000);
            const on = (r: ServeMsg): void => {
              if (r.t !== 'stats') return;
              clearTimeout(timer);
              child.off('message', on);
              res(r.stats);
            };
            child.on('message', on);
            child.send({ t: 'stats?' });
          }),
        stop: () =>
          new Promise((res) => {
            if (child.exitCode !== null || child.signalCode !== null) return res();
            child.once('exit', () => res());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5000).unref();
          }),
      });
    });
  });
}
