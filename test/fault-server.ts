import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/** Frames no server may send: the client must close with 1007 / 1002. */
export type MalformedKind = 'invalid-utf8' | 'bad-opcode' | 'masked' | 'garbage';
const MALFORMED: Record<MalformedKind, Buffer> = {
  'invalid-utf8': Buffer.from([0x81, 0x02, 0xc3, 0x28]), // text frame, bytes that are not UTF-8
  'bad-opcode': Buffer.from([0x83, 0x00]), // opcode 3 is reserved
  masked: Buffer.from([0x81, 0x81, 1, 2, 3, 4, 0x61]), // a server must not mask
  garbage: Buffer.from('GET / HTTP/1.1\r\n\r\n'), // not a frame at all ('G' sets RSV1)
};

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
  /** Flood: send `count` frames of `size` bytes right after open, as fast as the client reads (the server buffers at most ~1 MiB). */
  flood?: { count: number; size: number };
  /** Stop reading from each socket after open (back-pressure). */
  stopReading?: boolean;
  /** Reset every k-th connection (TCP RST) after `afterMs`. */
  resetEvery?: { k: number; afterMs: number };
  /** Send a malformed frame, raw on the socket, on every k-th connection (default every one) right after open. */
  malformed?: { kind: MalformedKind; k?: number };
  /** Send one text message of `bytes` bytes on every k-th connection (default every one) right after open. */
  oversized?: { bytes: number; k?: number };
  /** Restart once: `afterMs` after the `accepted`-th upgrade, stop listening and drop every connection, listen again `downMs` later. */
  restart?: { accepted: number; afterMs: number; downMs: number };
  /** Serve wss:// with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
  /** Accept only these tokens (query `token=` or `Authorization: Bearer`); others get HTTP `status` (default 401). */
  auth?: { tokens: string[]; status?: number };
  /** Deliver app-protocol messages with these faults (messaging tests): every k-th send (counted over all connections) dropped, every delivery delayed. */
  deliver?: { dropEvery?: number; delayMs?: number };
}
// App pings ({"type":"ping"}) are always answered with {"type":"pong"}, and obey `pongEvery` like protocol pings.

export interface FaultServer {
  url: string;
  port: number;
  counts: {
    upgrades: number; accepted: number; rejected: number; pings: number; pongs: number; closedByServer: number;
    /** App-level pings received and answered; sends received (each acked), deliveries dropped, and sends to a user not connected. */
    appPings: number; appPongs: number; sends: number; dropped: number; unrouted: number;
    /** Flood frames handed to the socket; restarts done; connections dropped by restarts; upgrades refused by `auth`. */
    flooded: number; restarts: number; droppedByRestart: number; unauthorized: number;
  };
  /** Each upgrade request as received: path with query, and headers (auth, offered subprotocols). */
  seen: Array<{ url: string; headers: http.IncomingHttpHeaders }>;
  /** Stops listening and drops every connection (TCP RST with `reset`), listens again on the same port after `downMs`. */
  restart(downMs: number, opts?: { reset?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export function startFaultServer(o: FaultOptions = {}, port = 0): Promise<FaultServer> {
  const counts = {
    upgrades: 0, accepted: 0, rejected: 0, pings: 0, pongs: 0, closedByServer: 0, appPings: 0, appPongs: 0, sends: 0, dropped: 0, unrouted: 0,
    flooded: 0, restarts: 0, droppedByRestart: 0, unauthorized: 0,
  };
  const seen: FaultServer['seen'] = [];
  const wss = new WebSocketServer({ noServer: true, autoPong: false, perMessageDeflate: false });
  const users = new Map<string, WebSocket>();
  const sockets = new Set<NetSocket>();
  const onUpgrade = (req: http.IncomingMessage, socket: NetSocket, head: Buffer): void => {
    const n = ++counts.upgrades;
    seen.push({ url: req.url ?? '', headers: req.headers });
    if (o.neverAnswer) return; // keep the socket, say nothing
    if (o.auth) {
      const q = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!o.auth.tokens.includes(q ?? bearer ?? '')) {
        counts.unauthorized++;
        socket.end(`HTTP/1.1 ${o.auth.status ?? 401} Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
    }
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
          if (isBinary) return;
          let f: { type?: string; to?: string; id?: unknown; ts?: unknown; body?: unknown };
          try {
            f = JSON.parse(data.toString()) as typeof f;
          } catch {
            return;
          }
          if (f.type === 'ping') {
            if (++counts.appPings % (o.pongEvery ?? 1) === 0) {
              counts.appPongs++;
              ws.send('{"type":"pong"}');
            }
            return;
          }
          if (!o.deliver || f.type !== 'send' || !f.to) return;
          ws.send(JSON.stringify({ type: 'ack', id: f.id }));
          const n2 = ++counts.sends;
          if (o.deliver.dropEvery && n2 % o.deliver.dropEvery === 0) {
            counts.dropped++;
            return;
          }
          const out = JSON.stringify({ type: 'deliver', from: uid, to: f.to, id: f.id, ts: f.ts, body: f.body });
          const to = users.get(f.to);
          if (!to) counts.unrouted++;
          if (o.deliver.delayMs) setTimeout(() => to?.send(out), o.deliver.delayMs);
          else to?.send(out);
        });
        ws.on('close', () => {
          if (uid && users.get(uid) === ws) users.delete(uid);
        });
        if (o.sendOnOpen !== undefined) ws.send(o.sendOnOpen);
        const raw = (ws as unknown as { _socket: NetSocket })._socket;
        const nth = counts.accepted;
        if (o.flood) flood(ws, raw, o.flood.count, 'x'.repeat(o.flood.size));
        if (o.malformed && nth % (o.malformed.k ?? 1) === 0) raw.write(MALFORMED[o.malformed.kind]);
        if (o.oversized && nth % (o.oversized.k ?? 1) === 0) ws.send('y'.repeat(o.oversized.bytes));
        if (o.stopReading) raw.pause();
        if (o.resetEvery && nth % o.resetEvery.k === 0) {
          setTimeout(() => {
            counts.closedByServer++;
            raw.resetAndDestroy();
          }, o.resetEvery.afterMs);
        }
        if (o.restart && nth === o.restart.accepted) {
          const r = o.restart;
          setTimeout(() => void restart(r.downMs), r.afterMs);
        }
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
  };

  const flood = (ws: WebSocket, raw: NetSocket, count: number, payload: string): void => {
    let left = count;
    const pump = (): void => {
      while (left > 0 && ws.readyState === WebSocket.OPEN) {
        if (ws.bufferedAmount > 1_048_576) {
          raw.once('drain', pump);
          return;
        }
        ws.send(payload);
        counts.flooded++;
        left--;
      }
    };
    pump();
  };

  // one server per incarnation (a restart makes a new one on the same port)
  let server: http.Server;
  let boundPort = port;
  const listen = (): Promise<void> => {
    server = o.tls ? https.createServer({ key: o.tls.key, cert: o.tls.cert }) : http.createServer();
    server.on('request', (_req, res) => res.writeHead(404).end());
    server.on('upgrade', onUpgrade);
    server.on('connection', (s: NetSocket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(boundPort, '127.0.0.1', () => {
        boundPort = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  };
  const dropAll = (reset: boolean): number => {
    const n = wss.clients.size;
    for (const s of sockets) {
      if (reset) s.resetAndDestroy();
      else s.destroy();
    }
    sockets.clear();
    return n;
  };
  const restart = async (downMs: number, opts: { reset?: boolean } = {}): Promise<void> => {
    counts.restarts++;
    server.close();
    counts.droppedByRestart += dropAll(!!opts.reset);
    await new Promise((r) => setTimeout(r, downMs));
    await listen();
  };

  return listen().then(() => ({
    url: `${o.tls ? 'wss' : 'ws'}://127.0.0.1:${boundPort}/ws`,
    port: boundPort,
    counts,
    seen,
    restart,
    close: () =>
      new Promise<void>((done) => {
        for (const c of wss.clients) c.terminate();
        dropAll(false);
        server.close(() => done());
      }),
  }));
}
