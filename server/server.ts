import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { ClientFrame, DeliverFrame, errorFrame, parseClientFrame } from './protocol';

export interface ImServerOptions {
  port?: number;
  host?: string;
  /** WebSocket path; other paths get 404. Default "/ws". */
  path?: string;
  /** Header that names the user when the URL has no `?uid=`. Default "x-uid". */
  uidHeader?: string;
  /** Called for deliveries to users this process does not hold (cluster routing). */
  forward?: (d: DeliverFrame) => void;
  /** Makes listen() share the port with other cluster workers (set by cluster.ts). */
  exclusive?: boolean;
}

/** Server-side counters, served as JSON at GET /stats: the ground truth for comparing load tools. */
export interface ServerStats {
  open: number;
  accepted: number;
  rejected: number;
  closed: number;
  pings: number;
  appPings: number;
  framesIn: number;
  delivered: number;
  acked: number;
  errors: number;
}

export interface ImServer {
  readonly port: number;
  readonly url: string;
  stats(): ServerStats;
  /** Delivers a message routed from another process to local connections. */
  deliverLocal(d: DeliverFrame): void;
  close(): Promise<void>;
}

interface Conn extends WebSocket {
  uid?: string;
  rooms?: Set<string>;
}

export function emptyStats(): ServerStats {
  return { open: 0, accepted: 0, rejected: 0, closed: 0, pings: 0, appPings: 0, framesIn: 0, delivered: 0, acked: 0, errors: 0 };
}

export function startImServer(opts: ImServerOptions = {}): Promise<ImServer> {
  const path = opts.path ?? '/ws';
  const uidHeader = (opts.uidHeader ?? 'x-uid').toLowerCase();
  const users = new Map<string, Set<Conn>>();
  const rooms = new Map<string, Set<Conn>>();
  const stats = emptyStats();
  const httpServer = http.createServer((req, res) => {
    if (req.url === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(stats));
      return;
    }
    res.writeHead(404).end('not found\n');
  });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: true });

  httpServer.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== path) {
      stats.rejected++;
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const uid = url.searchParams.get('uid') ?? (req.headers[uidHeader] as string | undefined);
    wss.handleUpgrade(req, socket, head, (ws: Conn) => {
      stats.accepted++;
      stats.open++;
      if (uid) {
        ws.uid = uid;
        let set = users.get(uid);
        if (!set) users.set(uid, (set = new Set()));
        set.add(ws);
      }
      ws.on('ping', () => stats.pings++);
      ws.on('message', (data, isBinary) => onMessage(ws, data as Buffer, isBinary));
      ws.on('error', () => undefined); // a reset by the client ends in 'close' as well
      ws.on('close', () => {
        stats.open--;
        stats.closed++;
        if (ws.uid) {
          const set = users.get(ws.uid);
          set?.delete(ws);
          if (set?.size === 0) users.delete(ws.uid);
        }
        if (ws.rooms) for (const r of ws.rooms) leave(ws, r);
      });
    });
  });

  function leave(ws: Conn, room: string): void {
    const set = rooms.get(room);
    set?.delete(ws);
    if (set?.size === 0) rooms.delete(room);
    ws.rooms?.delete(room);
  }

  function sendTo(set: Set<Conn> | undefined, text: string, except?: Conn): number {
    let n = 0;
    if (set) {
      for (const c of set) {
        if (c !== except && c.readyState === WebSocket.OPEN) {
          c.send(text);
          n++;
        }
      }
    }
    stats.delivered += n;
    return n;
  }

  function deliverLocal(d: DeliverFrame): void {
    const text = JSON.stringify(d);
    if (d.room !== undefined) sendTo(rooms.get(d.room), text);
    else if (d.to !== undefined) sendTo(users.get(d.to), text);
  }

  function onMessage(ws: Conn, data: Buffer, isBinary: boolean): void {
    stats.framesIn++;
    if (isBinary || data[0] !== 0x7b /* { */) {
      ws.send(data, { binary: isBinary });
      return;
    }
    const parsed = parseClientFrame(data.toString());
    if (!parsed.ok) {
      stats.errors++;
      ws.send(errorFrame(parsed.error));
      return;
    }
    handle(ws, parsed.frame);
  }

  function handle(ws: Conn, f: ClientFrame): void {
    switch (f.type) {
      case 'ping':
        stats.appPings++;
        ws.send('{"type":"pong"}');
        return;
      case 'join':
        (ws.rooms ??= new Set()).add(f.room);
        if (!rooms.has(f.room)) rooms.set(f.room, new Set());
        rooms.get(f.room)?.add(ws);
        ws.send(JSON.stringify({ type: 'joined', room: f.room }));
        return;
      case 'leave':
        leave(ws, f.room);
        return;
      case 'send': {
        const d: DeliverFrame = { type: 'deliver', from: ws.uid ?? '', id: f.id, ts: f.ts, body: f.body };
        if (f.room !== undefined) {
          d.room = f.room;
          sendTo(rooms.get(f.room), JSON.stringify(d), ws);
          opts.forward?.(d);
        } else if (f.to !== undefined) {
          d.to = f.to;
          const local = users.get(f.to);
          if (local) sendTo(local, JSON.stringify(d));
          else opts.forward?.(d);
        }
        stats.acked++;
        ws.send(JSON.stringify({ type: 'ack', id: f.id }));
      }
    }
  }

  return new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1', exclusive: opts.exclusive ?? true, backlog: 65535 }, () => {
      httpServer.off('error', reject);
      const port = (httpServer.address() as AddressInfo).port;
      const host = opts.host ?? '127.0.0.1';
      resolve({
        port,
        url: `ws://${host.includes(':') ? `[${host}]` : host}:${port}${path}`,
        stats: () => ({ ...stats }),
        deliverLocal,
        close: () =>
          new Promise<void>((done) => {
            for (const c of wss.clients) c.terminate();
            httpServer.closeAllConnections?.();
            wss.close();
            httpServer.close(() => done());
          }),
      });
    });
  });
}
