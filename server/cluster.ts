import cluster, { Worker } from 'node:cluster';
import { built } from '../build/paths';
import { Acceptors } from './acceptors';
import type { RestartMode } from './chaos';
import { emptyStats, ImServer, RouteKind, ServerStats, startImServer } from './server';
import type { SendBufferPolicy } from './send-buffer';

/**
 * The embedded server over several processes (Node's cluster module), so that no process holds
 * more connections than its open-files limit allows. The workers share the listening socket and
 * accept for themselves, one at a time, each up to its share (server/acceptors.ts): the primary
 * touches no connection. Deliveries cross processes through the primary, which keeps a directory of which
 * workers hold connections of each user and each room (workers announce first arrivals and last
 * departures) and passes a deliver frame only to those, never back to its sender.
 */
export interface ClusterOptions {
  workers: number;
  port: number;
  host: string;
  path: string;
  /** Every process's send-buffer policy (server/send-buffer.ts). */
  sendBuffer?: SendBufferPolicy;
  compression?: boolean;
  /** Connections one process takes before the next accepts (its open-files room, runner/serve.ts). */
  connsPerProcess: number;
}

type Msg =
  | { t: 'ready' }
  /** primary → worker: start (on) or stop accepting, listening on `port`; worker → primary: done, on `port` (0: stopped or failed). */
  | { t: 'accept'; on: boolean; port: number }
  | { t: 'accepting'; port: number; error?: string }
  /** worker → primary: it holds its share of connections (full), or fell back below it. */
  | { t: 'level'; full: boolean }
  /** worker → primary: this worker now holds (on) or no longer holds a user or room. */
  | { t: 'presence'; kind: RouteKind; key: string; on: boolean }
  /** worker → primary → holders: a serialised deliver frame for a user or room. */
  | { t: 'forward'; kind: RouteKind; key: string; text: string }
  | { t: 'stats?'; id: number }
  /** worker → primary: every process's counters, summed (its GET /stats); primary → worker: the sum. */
  | { t: 'all-stats?'; id: number }
  | { t: 'all-stats'; id: number; stats: ServerStats }
  /** primary → workers: the chaos switch's restart (chaos.ts). */
  | { t: 'restart'; mode: RestartMode; downMs: number }
  | { t: 'stats'; id: number; stats: ServerStats };

/** Which workers hold connections of each user and room. */
class Holders {
  private readonly map = new Map<string, Set<Worker>>();

  set(kind: RouteKind, key: string, w: Worker, on: boolean): void {
    const k = `${kind}:${key}`;
    let set = this.map.get(k);
    if (on) {
      if (!set) this.map.set(k, (set = new Set()));
      set.add(w);
    } else if (set) {
      set.delete(w);
      if (set.size === 0) this.map.delete(k);
    }
  }

  of(kind: RouteKind, key: string): Set<Worker> | undefined {
    return this.map.get(`${kind}:${key}`);
  }

  drop(w: Worker): void {
    for (const [k, set] of this.map) if (set.delete(w) && set.size === 0) this.map.delete(k);
  }
}

export interface ServerHandle {
  url: string;
  port: number;
  workers: number;
  stats(): Promise<ServerStats>;
  /** Each process's own counters, once any handover of the accepting under way is done (server/acceptors.ts). */
  processes(): Promise<ServerStats[]>;
  /** Chaos switch: every process closes its connections and refuses new ones for downMs. */
  restart(mode: RestartMode, downMs: number): Promise<number>;
  close(): Promise<void>;
}

/** Starts the server in this process (workers = 1) or as a cluster whose primary is this process. */
export async function startServer(o: ClusterOptions): Promise<ServerHandle> {
  if (o.workers <= 1) {
    const s = await startImServer({ port: o.port, host: o.host, path: o.path, sendBuffer: o.sendBuffer, compression: o.compression });
    return { url: s.url, port: s.port, workers: 1, stats: async () => s.stats(), processes: async () => [s.stats()], restart: (m, d) => s.restart(m, d), close: () => s.close() };
  }
  // the workers accept from the shared socket themselves (not round-robin through this process)
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  cluster.setupPrimary({ exec: built('server-worker'), args: [], silent: false });
  const workers: Worker[] = [];
  const holders = new Holders();
  let statsId = 0;
  const waiting = new Map<number, { parts: ServerStats[]; got: number; all: (parts: ServerStats[]) => void }>();
  const replies = new Map<Worker, Array<(port: number) => void>>();
  let listenError = 'its worker exited';
  const acceptors = new Acceptors(workers, o.port, (w, on, port) => new Promise((done) => {
    if (!w.isConnected()) return done(0);
    replies.get(w)?.push(done);
    w.send({ t: 'accept', on, port } satisfies Msg);
  }));
  await Promise.all(
    Array.from({ length: o.workers }, () =>
      new Promise<void>((resolve, reject) => {
        const { host, path, sendBuffer, compression, connsPerProcess } = o;
        const w = cluster.fork({ WSBENCH_SERVER: JSON.stringify({ host, path, sendBuffer, compression, connsPerProcess }) });
        workers.push(w);
        replies.set(w, []);
        w.once('exit', (code) => reject(new Error(`embedded server worker exited with code ${code}`)));
        w.on('exit', () => {
          holders.drop(w);
          for (const done of replies.get(w)?.splice(0) ?? []) done(0);
          acceptors.exited(w);
        });
        w.on('message', (m: Msg) => {
          if (m.t === 'forward') {
            const to = holders.of(m.kind, m.key);
            if (to) for (const other of to) if (other !== w) other.send(m);
          } else if (m.t === 'presence') holders.set(m.kind, m.key, w, m.on);
          else if (m.t === 'ready') resolve();
          else if (m.t === 'accepting') {
            if (m.error) listenError = m.error;
            replies.get(w)?.shift()?.(m.port);
          }
          else if (m.t === 'level') acceptors.level(w, m.full);
          else if (m.t === 'all-stats?') void statsOf().then((parts) => w.isConnected() && w.send({ t: 'all-stats', id: m.id, stats: sumStats(parts) }));
          else if (m.t === 'stats') {
            const wait = waiting.get(m.id);
            if (!wait) return;
            wait.parts[workers.indexOf(w)] = m.stats; // in the workers' order
            if (++wait.got === workers.length) {
              waiting.delete(m.id);
              wait.all(wait.parts);
            }
          }
        });
      }),
    ),
  );
  const port = await acceptors.start();
  if (port === 0) {
    for (const w of workers) {
      w.removeAllListeners('exit');
      w.kill('SIGTERM');
    }
    throw new Error(listenError);
  }
  /** Every worker's stats (a message round trip also orders them after earlier messages to that worker). */
  const statsOf = (): Promise<ServerStats[]> =>
    new Promise((done) => {
      const id = ++statsId;
      waiting.set(id, { parts: [], got: 0, all: done });
      for (const w of workers) w.send({ t: 'stats?', id });
    });
  return {
    url: `ws://${o.host.includes(":") ? `[${o.host}]` : o.host}:${port}${o.path}`,
    port,
    workers: workers.length,
    stats: async () => sumStats(await statsOf()),
    // the round trip brings every worker's level reports in before the handovers are awaited
    processes: async () => {
      await statsOf();
      await acceptors.settled();
      return statsOf();
    },
    restart: async (mode, downMs) => {
      const before = sumStats(await statsOf()).restartDropped;
      for (const w of workers) w.send({ t: 'restart', mode, downMs });
      return sumStats(await statsOf()).restartDropped - before;
    },
    close: async () => {
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((res) => {
              if (w.isDead()) return res();
              w.removeAllListeners('exit');
              w.once('exit', () => res());
              w.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}

export function sumStats(parts: ServerStats[]): ServerStats {
  const out = emptyStats();
  for (const p of parts) for (const k of Object.keys(out) as Array<keyof ServerStats>) out[k] += p[k];
  // every process restarts together: a restart of the server counts once
  out.restarts = Math.max(0, ...parts.map((p) => p.restarts));
  out.sendBufferMaxBytes = Math.max(0, ...parts.map((p) => p.sendBufferMaxBytes));
  return out;
}

const ignoreGone = (): void => undefined;

/** Body of a cluster worker (server-worker.ts calls it). */
export async function runClusterWorker(): Promise<void> {
  const o = JSON.parse(process.env.WSBENCH_SERVER ?? '{}') as { host: string; path: string; sendBuffer?: SendBufferPolicy; compression?: boolean; connsPerProcess: number };
  // once the primary is gone (a run's end: its sockets still closing here), a report has no reader: the
  // callback takes the EPIPE that would otherwise be an unhandled 'error' with a stack trace on stderr
  const send = (m: Msg): void => {
    if (process.connected) process.send?.(m, undefined, {}, ignoreGone);
  };
  // assigned once listening; the handlers below may run before that
  let server: ImServer | undefined = undefined;
  const asked = new Map<number, (s: ServerStats) => void>();
  let askId = 0;
  // GET /stats on any process answers for the whole cluster: the primary sums every process's counters
  const statsOfAll = (): Promise<ServerStats> => new Promise((done) => {
    asked.set(++askId, done);
    send({ t: 'all-stats?', id: askId });
  });
  process.on('message', (m: Msg) => {
    if (m.t === 'forward') server?.deliverLocal(m.kind, m.key, m.text);
    else if (m.t === 'all-stats') {
      asked.get(m.id)?.(m.stats);
      asked.delete(m.id);
    }
    else if (m.t === 'stats?' && server) send({ t: 'stats', id: m.id, stats: server.stats() });
    else if (m.t === 'restart') void server?.restart(m.mode, m.downMs);
    else if (m.t === 'accept' && server) {
      void server.accept(m.on, m.port).then((port) => send({ t: 'accepting', port }), (err: Error) => send({ t: 'accepting', port: 0, error: err.message }));
    }
  });
  process.on('SIGTERM', () => {
    void server?.close().then(() => process.exit(0));
  });
  const { connsPerProcess: high, ...rest } = o;
  server = await startImServer({
    ...rest,
    exclusive: false,
    accepting: false,
    share: { high, low: high - Math.max(1, Math.floor(high / 20)), onLevel: (full) => send({ t: 'level', full }) },
    statsOfAll,
    router: {
      presence: (kind, key, on) => send({ t: 'presence', kind, key, on }),
      forward: (kind, key, text) => send({ t: 'forward', kind, key, text }),
    },
  });
  send({ t: 'ready' });
}
