import type { ServerStats } from '../server/server';
import { ImServer, startImServer } from '../server/server';
import { CliResult, CONNECT_ONLY, runCli } from './helpers';
import type { Summary } from '../lib/results/summary';

/** Polls `what` every 100 ms until it holds (the machine is shared: wait on state, never on time). */
export async function until(what: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Storm {
  r: CliResult;
  s: Summary;
  stats: ServerStats;
  /** Connections each restart closed, by the server's count. */
  dropped: number[];
}

/**
 * `conns` reconnecting VUs (connect-only) against the embedded server in this process; the server
 * restarts (chaos switch: close 1001, refuse with 503 for `downMs`) `restarts` times, each once
 * every VU is open again. Once all are back after the last restart, the run is interrupted
 * (Ctrl-C, exit 130): its waves are as exact as a finished run's.
 */
export async function stormRun(o: { conns: number; restarts: number; downMs: number; args: string[] }): Promise<Storm> {
  const server: ImServer = await startImServer({ port: 0 });
  const dropped: number[] = [];
  let pid = 0;
  try {
    const run = runCli('runner', ['run', CONNECT_ONLY, '--target', server.url, '--conns', String(o.conns), '--ramp', '4s', '--duration', '300s', '--ping-interval', '5s', ...o.args], {
      onSpawn: (p) => (pid = p),
    });
    // every VU open after `round` restarts: the server accepted them all again
    const allOpen = (round: number) => () => server.stats().open === o.conns && server.stats().accepted >= o.conns * (round + 1);
    for (let i = 0; i < o.restarts; i++) {
      await until(allOpen(i));
      dropped.push(await server.restart('going-away', o.downMs));
    }
    await until(allOpen(o.restarts));
    process.kill(pid, 'SIGINT');
    const r = await run;
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(130);
    return { r, s: r.summary as Summary, stats: server.stats(), dropped };
  } finally {
    await server.close();
  }
}
