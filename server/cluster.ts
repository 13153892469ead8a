import cluster, { Worker } from 'node:cluster';
import { built } from '../runner/paths';
import { emptyStats, ImServer, ServerStats, startImServer } from './server';
import type { DeliverFrame } from './protocol';

/**
 * The embedded server over several processes (Node's cluster module): the primary only
 * hands accepted sockets to workers, so no process holds more connections than its open-files
 * limit allows. Deliveries to users held by another worker are routed through the primary.
 */
export interface ClusterOptions {
  workers: number;
  port: number;
  host: string;
  path: string;
}

type Msg =
  | { t: 'ready'; port: number }
  | { t: 'forward'; d: DeliverFrame }
  | { t: 'stats?'; id: number }
  | { t: 'stats'; id: number; stats: ServerStats };

export interface ServerHandle {
  url: string;
  port: number;
  workers: number;
  stats(): Promise<ServerStats>;
  close(): Promise<void>;
}

/** Starts the server in this process (workers = 1) or as a cluster whose primary is this process. */
export async function startServer(o: ClusterOptions): Promise<ServerHandle> {
  if (o.workers <= 1) {
    const s = await startImServer({ port: o.port, host: o.host, path: o.path });
    return { url: s.url, port: s.port, workers: 1, stats: async () => s.stats(), close: () => s.close() };
  }
  cluster.setupPrimary({ exec: built('server-worker'), args: [], silent: false });
  const workers: Worker[] = [];
  let statsId = 0;
  const waiting = new Map<number, { parts: ServerStats[]; done: (s: ServerStats) => void }>();
  const ports = await Promise.all(
    Array.from({ length: o.workers }, () =>
      new Promise<number>((resolve, reject) => {
        const w = cluster.fork({ WSBENCH_SERVER: JSON.stringify({ port: o.port, host: o.host, path: o.path }) });
        workers.push(w);
        w.once('exit', (code) => reject(new Error(`embedded server worker exited with code ${code}`)));
        w.on('message', (m: Msg) => {
          if (m.t === 'ready') resolve(m.port);
          else if (m.t === 'forward') {
            for (const other of workers) if (other !== w) other.send(m);
          } else if (m.t === 'stats') {
            const wait = waiting.get(m.id);
            if (!wait) return;
            wait.parts.push(m.stats);
            if (wait.parts.length === workers.length) {
              waiting.delete(m.id);
              wait.done(sumStats(wait.parts));
            }
          }
        });
      }),
    ),
  );
  const port = ports[0] as number;
  return {
    url: `ws://${o.host}:${port}${o.path}`,
    port,
    workers: workers.length,
    stats: () =>
      new Promise<ServerStats>((done) => {
        const id = ++statsId;
        waiting.set(id, { parts: [], done });
        for (const w of workers) w.send({ t: 'stats?', id });
      }),
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
  return out;
}

/** Body of a cluster worker (server-worker.ts calls it). */
export async function runClusterWorker(): Promise<void> {
  const o = JSON.parse(process.env.WSBENCH_SERVER ?? '{}') as { port: number; host: string; path: string };
  const send = (m: Msg): void => {
    process.send?.(m);
  };
  let server: ImServer | undefined;
  process.on('message', (m: Msg) => {
    if (m.t === 'forward') server?.deliverLocal(m.d);
    else if (m.t === 'stats?' && server) send({ t: 'stats', id: m.id, stats: server.stats() });
  });
  process.on('SIGTERM', () => {
    void server?.close().then(() => process.exit(0));
  });
  server = await startImServer({ ...o, exclusive: false, forward: (d) => send({ t: 'forward', d }) });
  send({ t: 'ready', port: server.port });
}
