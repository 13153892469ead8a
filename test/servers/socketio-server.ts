import http from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { Server } from 'socket.io';

/**
 * A chat app on the real `socket.io` package (v4), for the Socket.IO tests: namespace /chat, whose
 * middleware checks `auth.token` against the tokens given (none given: no check), `join` (room, ack?)
 * to join a room, and `chat` (room, message, ack) relayed to the room's other members and acked.
 * It counts what it received and emitted, and what Engine.IO did (its pings and the pongs that came
 * back), so that the tests hold wsbench's figures to the server's own counts.
 */
export interface SioCounts {
  /** /chat connections accepted, and refused by the auth check. */
  connects: number;
  refused: number;
  joins: number;
  /** `chat` events received, acks sent, copies relayed to room members, binary attachments seen. */
  received: number;
  acked: number;
  relayed: number;
  binary: number;
  /** Engine.IO: pings sent, pongs received, connections closed with a ping outstanding, close reasons. */
  pings: number;
  pongs: number;
  pingsOutstandingAtClose: number;
  closeReasons: Record<string, number>;
  /** Connections open now, and the most at once. */
  open: number;
  peak: number;
}

export interface SioServer {
  url: string;
  port: number;
  counts: SioCounts;
  /** Drops every connection at once (a crash: no close frame), stays down `downMs`, listens again on the same port. */
  restart(downMs: number): Promise<number>;
  close(): Promise<void>;
}

export interface SioServerOptions {
  pingInterval?: number;
  pingTimeout?: number;
  /** Tokens the auth check accepts; none: every CONNECT is accepted. */
  tokens?: string[];
  /** The message of the auth refusal. Default "invalid token". */
  refusal?: string;
}

export function newCounts(): SioCounts {
  return { connects: 0, refused: 0, joins: 0, received: 0, acked: 0, relayed: 0, binary: 0, pings: 0, pongs: 0, pingsOutstandingAtClose: 0, closeReasons: {}, open: 0, peak: 0 };
}

function app(o: SioServerOptions, counts: SioCounts): { http: http.Server; io: Server; sockets: Set<NetSocket> } {
  const server = http.createServer();
  const sockets = new Set<NetSocket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const io = new Server(server, { pingInterval: o.pingInterval ?? 25_000, pingTimeout: o.pingTimeout ?? 20_000, transports: ['websocket'], serveClient: false });
  io.engine.on('connection', (conn: { on(e: string, f: (x: { type: string } & Record<string, unknown>) => void): void }) => {
    let outstanding = 0;
    counts.open++;
    counts.peak = Math.max(counts.peak, counts.open);
    conn.on('packetCreate', (p) => {
      if (p.type !== 'ping') return;
      counts.pings++;
      outstanding++;
    });
    conn.on('packet', (p) => {
      if (p.type !== 'pong') return;
      counts.pongs++;
      outstanding--;
    });
    conn.on('close', (reason) => {
      counts.open--;
      counts.pingsOutstandingAtClose += outstanding;
      const r = String(reason);
      counts.closeReasons[r] = (counts.closeReasons[r] ?? 0) + 1;
    });
  });
  const chat = io.of('/chat');
  const tokens = o.tokens && new Set(o.tokens);
  chat.use((socket, next) => {
    if (!tokens || tokens.has(String((socket.handshake.auth as { token?: unknown }).token))) return next();
    counts.refused++;
    next(new Error(o.refusal ?? 'invalid token'));
  });
  chat.on('connection', (socket) => {
    counts.connects++;
    socket.on('join', (room: string, ack?: () => void) => {
      counts.joins++;
      void socket.join(room);
      if (typeof ack === 'function') ack();
    });
    socket.on('chat', (room: string, msg: { body?: unknown }, ack?: (r: unknown) => void) => {
      counts.received++;
      if (Buffer.isBuffer(msg?.body)) counts.binary++;
      const members = chat.adapter.rooms.get(room);
      counts.relayed += members ? members.size - (members.has(socket.id) ? 1 : 0) : 0;
      socket.to(room).emit('chat', msg);
      if (typeof ack === 'function') {
        counts.acked++;
        ack({ ok: true });
      }
    });
  });
  return { http: server, io, sockets };
}

const listen = (s: http.Server, port: number): Promise<number> => new Promise((resolve, reject) => {
  s.once('error', reject);
  s.listen(port, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
});

export async function startSocketIOServer(o: SioServerOptions = {}): Promise<SioServer> {
  const counts = newCounts();
  let cur = app(o, counts);
  const port = await listen(cur.http, 0);
  const stop = async (): Promise<number> => {
    const n = cur.sockets.size;
    for (const s of cur.sockets) s.destroy();
    await new Promise<void>((r) => cur.io.close(() => r()));
    return n;
  };
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    counts,
    async restart(downMs) {
      const dropped = await stop();
      await new Promise((r) => setTimeout(r, downMs));
      cur = app(o, counts);
      await listen(cur.http, port);
      return dropped;
    },
    close: async () => void (await stop()),
  };
}
