import type { ClientOptions } from 'ws';

/**
 * The Node engine's transport boundary: what lib/node/socket.ts needs of a WebSocket client.
 * `ws`'s client WebSocket is one (lib/node/ws-client.ts); a client that does its own upgrade over
 * `net`/`tls` can be another, chosen by `SocketSettings.client`. Keep this stable: both clients
 * must give the same events in the same cases (the fault-server tests hold them to it).
 *
 * Listeners are plain functions called with the client as `this` (no closure per connection);
 * `WsClientLike[SOCKET_OF]`, set by the socket, leads back to it.
 */
export interface WsClientLike {
  /** 0 CONNECTING, 1 OPEN, 2 CLOSING, 3 CLOSED (the WebSocket API's values). */
  readonly readyState: number;
  /** Bytes queued and not yet handed to the kernel. */
  readonly bufferedAmount: number;
  /** The subprotocol the server chose, '' when none. */
  readonly protocol: string;
  send(data: string | ArrayBuffer | Uint8Array): void;
  /** A protocol ping with this payload (the socket sends a 4-byte sequence number). */
  ping(data: Buffer): void;
  /** Starts the close handshake (only called when OPEN). */
  close(code?: number, reason?: string): void;
  /** Drops the connection at once: an attempt in flight is aborted, no close frame. */
  terminate(): void;
  /** The upgrade succeeded (101, `Sec-WebSocket-Accept` valid). */
  on(event: 'open', fn: (this: WsClientLike) => void): unknown;
  /**
   * A failure. Before open: the attempt failed (`err` as `ws` gives it: an errno `code`, "Unexpected
   * server response: 503", "Opening handshake has timed out", ...). After open: what broke the
   * connection (`code` WS_ERR_* for a protocol error). Always followed by 'close'.
   */
  on(event: 'error', fn: (this: WsClientLike, err: Error & { code?: string }) => void): unknown;
  /** Emitted exactly once, last, whatever happened (1006 when there was no close frame). */
  on(event: 'close', fn: (this: WsClientLike, code: number, reason: Buffer) => void): unknown;
  on(event: 'message', fn: (this: WsClientLike, data: Buffer, isBinary: boolean) => void): unknown;
  /** A protocol pong, with its payload. */
  on(event: 'pong', fn: (this: WsClientLike, data: Buffer) => void): unknown;
}

/**
 * The attempt's phases below the WebSocket, which the client reports as they happen (the socket
 * uses them to name the phase that timed out, and to class a reset after open).
 */
export interface TransportHooks {
  /** TCP is connected. */
  tcpUp(): void;
  /** TCP and, for wss://, TLS are up: the upgrade request goes out now. */
  transportUp(): void;
  /** An error of the TCP/TLS socket itself (after the upgrade too: a reset is ECONNRESET). */
  rawError(err: Error & { code?: string }): void;
}

/** Where one connection's HTTP CONNECT tunnel goes (lib/node/proxy-route.ts picks it per URL; lib/node/proxy-connect.ts opens it). */
export interface ProxyRoute {
  host: string;
  port: number;
  /** The Proxy-Authorization value (`Basic …`), from the proxy URL's user and password. */
  authorization?: string;
  /** The proxy must answer CONNECT within this (the attempt's connect timeout): a proxy that never answers holds no socket. */
  timeoutMs: number;
}

/** One connection to open. */
export interface ConnectRequest {
  url: string;
  protocols?: string[];
  headers?: Record<string, string>;
  /** Source address, or undefined to let the kernel choose. */
  localAddress?: string;
  /** Largest message accepted; a larger one fails the connection with 1009. */
  maxPayload: number;
  /** TLS and other `ws`-style options (`rejectUnauthorized`, `ca`, `cert`, `key`; `handshakeTimeout` is not used). */
  options: ClientOptions;
  /** The HTTP proxy to tunnel through (lib/node/proxy-connect.ts), or undefined to connect direct. */
  proxy?: ProxyRoute;
}

/**
 * Opens a connection. May throw synchronously for a request it refuses (bad URL, header or
 * subprotocol): the socket counts that as a failed attempt. `hooks` is the socket itself.
 */
export type WsClientFactory = (req: ConnectRequest, hooks: TransportHooks) => WsClientLike;
