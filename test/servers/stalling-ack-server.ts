import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

/**
 * A small `ws` server that acks each `{"type":"send","id":"…"}` with `{"type":"ack","id":"…"}` at
 * once, except during one stall: from `afterSends` sends on, for `stallMs`, it holds every ack and
 * sends them all when the stall ends. It counts what it received and acked, and when the stall began
 * and ended (its own clock).
 */
export interface StallingServer {
  url: string;
  counts: { sends: number; acked: number; heldDuringStall: number };
  stall: { startedAt?: number; endedAt?: number };
  close(): Promise<void>;
}

export function startStallingAckServer(o: { afterSends: number; stallMs: number }): Promise<StallingServer> {
  const counts = { sends: 0, acked: 0, heldDuringStall: 0 };
  const stall: StallingServer['stall'] = {};
  const held: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const m = /"type":"send".*?"id":"([^"]+)"/.exec(String(data));
      if (!m) return;
      counts.sends++;
      const ack = (): void => {
        counts.acked++;
        if (ws.readyState === ws.OPEN) ws.send(`{"type":"ack","id":"${m[1]}"}`);
      };
      if (stall.startedAt === undefined && counts.sends >= o.afterSends) {
        stall.startedAt = Date.now();
        timer = setTimeout(() => {
          stall.endedAt = Date.now();
          for (const f of held.splice(0)) f();
        }, o.stallMs);
      }
      if (stall.startedAt !== undefined && stall.endedAt === undefined) {
        counts.heldDuringStall++;
        held.push(ack);
      } else ack();
    });
  });
  return new Promise((resolve) => {
    wss.on('listening', () => {
      const port = (wss.address() as AddressInfo).port;
      resolve({
        url: `ws://127.0.0.1:${port}/`, counts, stall,
        close: () => new Promise<void>((r) => {
          if (timer) clearTimeout(timer);
          for (const c of wss.clients) c.terminate();
          wss.close(() => r());
        }),
      });
    });
  });
}
