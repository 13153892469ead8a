import http from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { RestartGate, RestartMode } from './chaos';
import { Directory, RouteKind, Router } from './directory';
import { Listener, Share } from './listener';
import { ackFrame, ClientFrame, deliverFrame, errorFrame, parseClientFrame } from './protocol';
import { SendBufferPolicy, SendBufferWatch } from './send-buffer';
import { emptyStats, ServerStats } from './stats';

export { emptyStats, type ServerStats, type RouteKind, type Router };

export interface ImServerOptions {
  port?: number;
  host?: string;
  /** WebSocket path; other paths get 404. Default "/ws". */
  path?: string;
  /** Header that names the user when the URL has no `?uid=`. Default "x-uid". */
  uidHeader?: string;
  /** Set in cluster workers: deliveries also reach the connections of other processes. */
  router?: Router;
  /** Makes listen() share the port with other cluster workers (set by cluster.ts). */
  exclusive?: boolean;
  /** Accept connections from the start. Default true; cluster workers start when the primary says (accept()). */
  accepting?: boolean;
  /** Set in cluster workers: this process's share of the connections (server/listener.ts). */
  share?: Share;
  /** Largest frame accepted from a client; larger closes the connection with 1009. Default 1 MiB. */
  maxPayload?: number;
  /** Deliveries to a connection holding more than this unsent are refused, or it is closed (server/send-buffer.ts). Default: none. */
  sendBuffer?: SendBufferPolicy;
  /** Take permessage-deflate when a client offers it (every message compressed; docs/transport.md). Default: never. */
  compression?: boolean;
  /** Set in cluster workers (cluster.ts): the counters of every process, which GET /stats serves. Default: this process's. */
  statsOfAll?: () => Promise<ServerStats>;
}

export interface ImServer {
  /** The port it listens on; 0 while a cluster worker is not accepting. */
  readonly port: number;
  readonly url: string;
  stats(): ServerStats;
  /** Starts (listening on `port`) or stops accepting new connections; those it holds stay. Resolves with the port (0 when stopped). */
  accept(on: boolean, port: number): Promise<number>;
  /** Delivers a frame routed from another process to this process's connections; returns how many got it. */
  deliverLocal(kind: RouteKind, key: string, text: string): number;
  /** Chaos switch: closes every connection (1001 or abrupt) and refuses new ones for downMs; resolves with how many it closed. */
  restart(mode: RestartMode, downMs: number): Promise<number>;
  close(): Promise<void>;
}

interface Conn extends WebSocket {
  uid?: string;
  rooms?: Set<string>;
}


const PONG = '{"type":"pong"}';

export function startImServer(opts: ImServerOptions = {}): Promise<ImServer> {
  const path = opts.path ?? '/ws';
  const uidHeader = (opts.uidHeader ?? 'x-uid').toLowerCase();
  const router = opts.router;
  const users = new Directory<Conn>('user', router);
  const rooms = new Directory<Conn>('room', router);
  const stats = emptyStats();
  const gate = new RestartGate();
  const watch = new SendBufferWatch(opts.sendBuffer, stats);
  const host = opts.host ?? '127.0.0.1';
  const exclusive = opts.exclusive ?? true;
  // never listens itself: the listener hands it the sockets it accepts
  const httpServer = http.createServer((req, res) => {
    if (req.url === '/stats') {
      void (opts.statsOfAll?.() ?? Promise.resolve(stats)).then((all) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(all));
      });
      return;
    }
    res.writeHead(404).end('not found\n');
  });
  // the open connections, kept by the shared close handler below: ws's own tracking adds a closure per connection
  const clients = new Set<Conn>();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: opts.compression ? { threshold: 0 } : false, clientTracking: false, maxPayload: opts.maxPayload ?? 1 << 20 });

  httpServer.on('upgrade', (req, socket, head) => {
    // the bare path (no query) needs no URL parse: the most common upgrade, once per connection
    const url = req.url === path ? undefined : new URL(req.url ?? '/', 'http://x');
    if (url && url.pathname !== path) {
      stats.rejected++;
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (gate.refuse(socket)) return void stats.refused++; // chaos switch: down
    const header = req.headers[uidHeader];
    const uid = url?.searchParams.get('uid') || (typeof header === 'string' && header !== '' ? header : undefined);
    wss.handleUpgrade(req, socket, head, (ws: Conn) => {
      stats.accepted++;
      stats.open++;
      if (uid) {
        ws.uid = uid;
        users.add(uid, ws);
      }
      clients.add(ws);
      ws.on('ping', wsOnPing);
      ws.on('message', wsOnMessage);
      ws.on('error', wsOnError);
      ws.on('close', wsOnClose);
    });
  });

  // one handler of each kind for every connection (`this` is the connection), not closures per connection
  const wsOnPing = (): void => {
    stats.pings++;
  };
  function wsOnMessage(this: Conn, data: Buffer, isBinary: boolean): void {
    onMessage(this, data, isBinary);
  }
  const wsOnError = (): void => undefined; // a reset by the client ends in 'close' as well
  function wsOnClose(this: Conn): void {
    clients.delete(this);
    stats.open--;
    stats.closed++;
    if (this.uid) users.remove(this.uid, this);
    if (this.rooms) for (const r of this.rooms) rooms.remove(r, this);
  }

  function sendTo(set: Set<Conn> | undefined, text: string, except?: Conn): number {
    let n = 0;
    if (set) {
      for (const c of set) {
        if (c !== except && c.readyState === WebSocket.OPEN && watch.admit(c)) {
          c.send(text);
          n++;
        }
      }
    }
    stats.delivered += n;
    return n;
  }

  function deliverLocal(kind: RouteKind, key: string, text: string): number {
    return sendTo((kind === 'room' ? rooms : users).byKey.get(key), text);
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
      ws.send(errorFrame(parsed.error, parsed.id));
      return;
    }
    handle(ws, parsed.frame);
  }

  function handle(ws: Conn, f: ClientFrame): void {
    switch (f.type) {
      case 'ping':
        stats.appPings++;
        ws.send(PONG);
        return;
      case 'join':
        (ws.rooms ??= new Set()).add(f.room);
        rooms.add(f.room, ws);
        ws.send(JSON.stringify({ type: 'joined', room: f.room }));
        return;
      case 'leave':
        ws.rooms?.delete(f.room);
        rooms.remove(f.room, ws);
        ws.send(JSON.stringify({ type: 'left', room: f.room }));
        return;
      case 'send': {
        if (ws.uid === undefined) {
          stats.errors++;
          ws.send(errorFrame('send needs a user: connect with ?uid=<id> (or the x-uid header)', f.id));
          return;
        }
        const text = deliverFrame(ws.uid, f);
        if (f.room !== undefined) sendTo(rooms.byKey.get(f.room), text, ws);
        else sendTo(users.byKey.get(f.to), text);
        if (router) {
          stats.forwarded++;
          router.forward(f.room !== undefined ? 'room' : 'user', f.room ?? f.to, text);
        }
        stats.acked++;
        ws.send(ackFrame(f.id));
      }
    }
  }

  const listener = new Listener(httpServer, opts.share);
  let port = 0;
  const accept = async (on: boolean, at: number): Promise<number> => {
    if (!on) {
      listener.stop();
      return 0;
    }
    port = await listener.listen({ port: at, host, exclusive });
    return port;
  };
  const server: ImServer = {
    get port() {
      return listener.accepting ? port : 0;
    },
    get url() {
      return `ws://${host.includes(':') ? `[${host}]` : host}:${port}${path}`;
    },
    stats: () => ({ ...stats }),
    accept,
    deliverLocal,
    restart: async (mode, downMs) => {
      stats.restarts++;
      const n = gate.restart(clients, mode, downMs);
      stats.restartDropped += n;
      return n;
    },
    close: async () => {
      for (const c of clients) c.terminate();
      wss.close();
      await listener.closeAll();
      httpServer.close();
    },
  };
  return (opts.accepting ?? true ? accept(true, opts.port ?? 0) : Promise.resolve(0)).then(() => server);
}
