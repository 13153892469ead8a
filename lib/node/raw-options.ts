import type net from 'node:net';
import type tls from 'node:tls';
import type { HeaderValue } from './raw-upgrade';

/** The options of RawWebSocket (lib/node/raw-ws.ts): ws's client options that wsbench uses. */
export interface RawClientOptions extends tls.ConnectionOptions {
  headers?: Record<string, HeaderValue | undefined>;
  /** Largest message accepted; a larger one closes with 1009 (ws's default 100 MiB). */
  maxPayload?: number;
  /** The upgrade must finish within this many ms of the attempt (ws's `handshakeTimeout`). */
  handshakeTimeout?: number;
  /** Only `false` is supported: wsbench never offers permessage-deflate. */
  perMessageDeflate?: false;
  localAddress?: string;
  family?: number;
  /**
   * Makes the TCP (or TLS) socket, as ws's option does; receives the same kind of options object.
   * Like Node's http client, it may return nothing and hand the socket to `done` later (a proxy tunnel).
   */
  createConnection?: (opts: ConnectOpts, done: (err: Error | null, socket?: net.Socket) => void) => net.Socket | void;
}

export type ConnectOpts = net.NetConnectOpts & tls.ConnectionOptions & { path?: string; socketPath?: string };
