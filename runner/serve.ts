import { ConfigError } from '../lib/scenario/config-error';
import { startServer } from '../server/cluster';
import { startChaos } from '../server/chaos';
import { ChaosArgs, chaosOptions } from './chaos-flags';
import { connsPerProcess } from './limits';
import { SendBufferArgs, sendBufferOptions } from './send-buffer-flags';
import type { ServeMsg } from './embedded';

export interface ServeArgs extends ChaosArgs, SendBufferArgs {
  port: number;
  host: string;
  path: string;
  workers?: number;
  /** Connections each process takes before the next one accepts (server/acceptors.ts); at most, and by default, its open-files share. */
  connsPerProcess?: number;
  /** Started by `runner run` (runner/embedded.ts): it decides when we stop, over IPC. */
  managed?: boolean;
}

export interface Streams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * `runner serve`: the embedded IM server until a signal (or, managed, until the parent says so or
 * goes away). Resolves with the exit code once the server has closed.
 */
export async function serveCommand(a: ServeArgs, io: Streams): Promise<number> {
  const chaos = chaosOptions(a);
  const sendBuffer = sendBufferOptions(a);
  const workers = a.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) throw new ConfigError(`--workers must be a whole number >= 1 (got ${a.workers})`);
  const share = connsPerProcess();
  const perProcess = a.connsPerProcess ?? share;
  if (!Number.isInteger(perProcess) || perProcess < 1 || perProcess > share) {
    throw new ConfigError(`--conns-per-process must be a whole number from 1 to ${share}, this machine's open-files share (got ${a.connsPerProcess})`);
  }
  if (!Number.isInteger(a.port) || a.port < 0 || a.port > 65535) throw new ConfigError(`--port must be 0-65535 (got ${a.port})`);
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({ workers, port: a.port, host: a.host, path: a.path, sendBuffer, compression: !!a.compression, connsPerProcess: perProcess });
  } catch (err) {
    throw new ConfigError(`cannot start the server on ${a.host}:${a.port}: ${(err as Error).message}`);
  }
  // the chaos switch (server/chaos.ts): a line per restart, for a person or a soak to read
  const restarts = chaos ? startChaos(server, chaos, (n, dropped) => {
    if (!a.managed) io.stdout.write(`restart ${n}: closed ${dropped} connections (${chaos.mode}), refusing new ones for ${chaos.downMs / 1000}s\n`);
  }) : undefined;
  const handlers: Array<[string, (...args: never[]) => void]> = [];
  const on = (event: string, fn: (...args: never[]) => void): void => {
    handlers.push([event, fn]);
    process.on(event, fn as () => void);
  };
  const stopped = new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      restarts?.stop();
      void server.close().then(resolve);
    };
    if (a.managed) {
      // the parent decides when to stop; Ctrl-C reaches us too (same process group) and is ignored
      on('SIGINT', () => undefined);
      on('SIGTERM', stop);
      on('disconnect', stop);
      on('message', (m: { t: string }) => {
        if (m.t === 'stats?') void server.stats().then((stats) => process.send?.({ t: 'stats', stats } satisfies ServeMsg));
      });
      process.send?.({ t: 'listening', url: server.url, workers: server.workers } satisfies ServeMsg);
      return;
    }
    io.stdout.write(`wsbench embedded server listening on ${server.url} (${server.workers} process${server.workers > 1 ? 'es' : ''}); stats at http://${a.host}:${server.port}/stats\n`);
    const onSignal = (): void => {
      void server.stats().then((s) => {
        io.stdout.write(`\nserver stats: ${JSON.stringify(s)}\n`);
        stop();
      });
    };
    on('SIGINT', onSignal);
    on('SIGTERM', onSignal);
  });
  await stopped;
  for (const [event, fn] of handlers) process.off(event, fn as () => void);
  return 0;
}
