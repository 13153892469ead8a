import type http from 'node:http';
import net from 'node:net';

/** Where to listen; `exclusive: false` shares the socket with the other cluster workers (cluster.ts). */
export interface ListenAt {
  port: number;
  host: string;
  exclusive: boolean;
}

/** A process's share of the connections (cluster.ts): `onLevel(true)` once it holds `high` sockets, `onLevel(false)` once back at `low`. */
export interface Share {
  high: number;
  low: number;
  onLevel(full: boolean): void;
}

/**
 * The embedded server's listening socket, kept apart from its HTTP server so that a cluster
 * worker can stop accepting and start again while it keeps the connections it holds (cluster.ts
 * hands the accepting to another process when this one has its share). Each accepted socket goes
 * to the HTTP server (which takes the upgrades); the listener counts the sockets it holds, since
 * each one is an open file.
 */
export class Listener {
  readonly sockets = new Set<net.Socket>();
  private server: net.Server | undefined;
  private full = false;
  private emptied: (() => void) | undefined;

  /** Every socket's close handler, one for all (`this` is the socket), not a closure per socket. */
  private readonly onSocketClose: (this: net.Socket) => void;

  constructor(private readonly http: http.Server, private readonly share?: Share) {
    const drop = (s: net.Socket): void => this.drop(s);
    this.onSocketClose = function (this: net.Socket) {
      drop(this);
    };
  }

  get accepting(): boolean {
    return this.server !== undefined;
  }

  /** Starts accepting (a no-op if it is already); resolves with the port. */
  listen(at: ListenAt): Promise<number> {
    if (this.server) return Promise.resolve(this.port());
    // the options http.Server gives its own listening socket: the HTTP server's sockets, accepted here
    const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (s) => this.take(s));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: at.port, host: at.host, exclusive: at.exclusive, backlog: 65535 }, () => {
        server.off('error', reject);
        this.server = server;
        resolve(this.port());
      });
    });
  }

  /** Stops accepting; the sockets it took stay open (and the HTTP server's). */
  stop(): void {
    this.server?.close();
    this.server = undefined;
  }

  /** Stops accepting and destroys every socket; resolves once they have all closed. */
  closeAll(): Promise<void> {
    this.stop();
    if (this.sockets.size === 0) return Promise.resolve();
    const closed = new Promise<void>((done) => (this.emptied = done));
    for (const s of this.sockets) s.destroy();
    return closed;
  }

  private port(): number {
    return (this.server?.address() as net.AddressInfo | null)?.port ?? 0;
  }

  private take(s: net.Socket): void {
    this.sockets.add(s);
    s.on('close', this.onSocketClose);
    if (this.share && !this.full && this.sockets.size >= this.share.high) {
      this.full = true;
      this.share.onLevel(true);
    }
    this.http.emit('connection', s);
  }

  private drop(s: net.Socket): void {
    this.sockets.delete(s);
    if (this.share && this.full && this.sockets.size <= this.share.low) {
      this.full = false;
      this.share.onLevel(false);
    }
    if (this.sockets.size === 0) this.emptied?.();
  }
}
