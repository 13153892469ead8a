import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { WebSocketServer } from 'ws';

/**
 * A WebSocket server that keeps its own books of the open model (test/arrivals.test.ts): connections
 * accepted, each connection's close code and how long it was open (its open to the client's close
 * frame), and its open count sampled every 50 ms with the time of each sample. Real `ws` on loopback.
 */
export interface CountingServer {
  url: string;
  accepted(): number;
  open(): number;
  /** Close codes the clients sent, by code. */
  codes(): Record<number, number>;
  /** How long each closed connection was open, ms. */
  lifetimes(): number[];
  /** [ms since the first connection, open count] every 50 ms. */
  samples(): Array<[number, number]>;
  /** The longest this process's event loop was late (ms): how late the server may have seen an event. */
  loopMaxMs(): number;
  close(): Promise<void>;
}

export function startCountingServer(): Promise<CountingServer> {
  const server = http.createServer((_q, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  let accepted = 0;
  let open = 0;
  let first: number | undefined;
  const codes: Record<number, number> = {};
  const lifetimes: number[] = [];
  const samples: Array<[number, number]> = [];
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const sampler = setInterval(() => {
    if (first !== undefined) samples.push([performance.now() - first, open]);
  }, 50);
  wss.on('connection', (ws) => {
    const at = performance.now();
    first ??= at;
    accepted++;
    open++;
    ws.on('error', () => undefined);
    ws.on('close', (code) => {
      open--;
      codes[code] = (codes[code] ?? 0) + 1;
      lifetimes.push(performance.now() - at);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `ws://127.0.0.1:${port}/`,
        accepted: () => accepted,
        open: () => open,
        codes: () => ({ ...codes }),
        lifetimes: () => [...lifetimes],
        samples: () => [...samples],
        loopMaxMs: () => loop.max / 1e6,
        close: () => new Promise<void>((done) => {
          clearInterval(sampler);
          loop.disable();
          for (const c of wss.clients) c.terminate();
          wss.close();
          server.close(() => done());
        }),
      });
    });
  });
}
