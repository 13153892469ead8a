import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/** A WebSocket server whose misbehaviour is exact and known in advance (counted per process). */
export interface FaultOptions {
  /** Delay every upgrade by this many ms before answering. */
  upgradeDelayMs?: number;
  /** Reject every k-th upgrade (1-based count) with an HTTP status. */
  rejectEvery?: { k: number; status: number };
  /** Accept TCP but never answer the upgrade request. */
  neverAnswer?: boolean;
  /** Answer only every k-th ping the server receives (the k-th, 2k-th, ..., counted over all connections). */
  pongEvery?: number;
  /** Close every k-th connection after `afterMs`: abruptly (no close frame) or with `code`. */
  closeEvery?: { k: number; afterMs: number; code?: number; abrupt?: boolean };
  /** Send this raw text frame once after open (e.g. malformed JSON). */
  sendOnOpen?: string;
  /** Flood: send `count` frames of `size` bytes right after open. */
  flood?: { count: number; size: number };
  /** Stop reading from each socket after open (back-pressure). */
  stopReading?: boolean;
  /** Deliver app-protocol messages with these faults (messaging tests). */
  deliver?: { dropEvery?: number; delayMs?: number };
}

export interface FaultServer {
  url: string;
  port: number;
  counts: { upgrades: number; accepted: number; rejected: number; pings: number; pongs: number; closedByServer: number };
  close(): Promise<void>;
}

export function startFaultServer(o: FaultOptions = {}, port = 0): Promise<FaultServer> {
  const counts = { upgrades: 0, accepted: 0, rejected: 0, pings: 0, pongs: 0, closedByServer: 0 };
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true, autoPong: false, perMessageDeflate: false });
  const users = new Map<string, WebSocket>();
  let delivered = 0;
  server.on('upgrade', (req, socket, head) => {
    const n = ++counts.upgrades;
    if (o.neverAnswer) return; // keep the socket, say nothing
    if (o.rejectEvery && n % o.rejectEvery.k === 0) {
      counts.rejected++;
      socket.end(`HTTP/1.1 ${o.rejectEvery.status} Rejected\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const accept = (): void => {
      if (socket.destroyed) return;
      wss.handleUpgrade(req, socket, head, (ws) => {
        counts.accepted++;
        const uid = new URL(req.url ?? '/', 'http://x').searchParams.get('uid');
        if (uid) users.set(uid, ws);
        ws.on('ping', (data) => {
          if (++counts.pings % (o.pongEvery ?? 1) === 0) {
            counts.pongs++;
            ws.pong(data);
          }
        });
        ws.on('error', () => undefined);
        ws.on('message', (data, isBinary) => {
          if (isBinary || !o.deliver) return;
          const f = JSON.parse(data.toString()) as { type: string; to?: string; id?: unknown; ts?: unknown; body?: unknown };
          if (f.type === 'ping') return ws.send('{"type":"pong"}');
          if (f.type !== 'send' || !f.to) return;
          ws.send(JSON.stringify({ type: 'ack', id: f.id }));
          const n2 = ++delivered;
          if (o.deliver.dropEvery && n2 % o.deliver.dropEvery === 0) return;
          const out = JSON.stringify({ type: 'deliver', from: uid, to: f.to, id: f.id, ts: f.ts, body: f.body });
          const to = users.get(f.to);
          if (o.deliver.delayMs) setTimeout(() => to?.send(out), o.deliver.delayMs);
          else to?.send(out);
        });
        ws.on('close', () => {
          if (uid && users.get(uid) === ws) users.delete(uid);
        });
        if (o.sendOnOpen !== undefined) ws.send(o.sendOnOpen);
        if (o.flood) {
          const payload = 'x'.repeat(o.flood.size);
          for (let i = 0; i < o.flood.count; i++) ws.send(payload);
        }
        if (o.stopReading) (ws as unknown as { _socket: import('node:net').Socket })._socket.pause();
        if (o.closeEvery && counts.accepted % o.closeEvery.k === 0) {
          const c = o.closeEvery;
          setTimeout(() => {
            counts.closedByServer++;
            if (c.abrupt) ws.terminate();
            else ws.close(c.code ?? 1001, 'going away');
          }, c.afterMs);
        }
      });
    };
    if (o.upgradeDelayMs) setTimeout(accept, o.upgradeDelayMs);
    else accept();
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const p = (server.address() as AddressInfo).port;
      resolve({
        url: `ws://127.0.0.1:${p}/ws`,
        port: p,
        counts,
        close: () =>
          new Promise<void>((done) => {
            for (const c of wss.clients) c.terminate();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
