import type WebSocket from 'ws';
import type { PingType } from '../scenario/types';
import type { ProxyResolver } from './proxy-route';
import type { WsClientFactory } from './transport';

/** Settings shared by every socket of a worker. */
export interface SocketSettings {
  /** The whole attempt: TCP connect, TLS, upgrade. */
  connectTimeoutMs: number;
  /** The upgrade alone, from TCP (and TLS) up to the 101 answer. Default: connectTimeoutMs. */
  handshakeTimeoutMs?: number;
  pongTimeoutMs: number;
  pingType: PingType;
  /** Largest message accepted from the server; larger ones close the connection with 1009. */
  maxMessageBytes?: number;
  /** Extra `ws` client options (TLS: `rejectUnauthorized`, `ca`, `cert`, `key`). */
  wsOptions: WebSocket.ClientOptions;
  /** Offer permessage-deflate (`options.compression`; the `ws` client only: runner/setup.ts refuses it with `raw`). */
  compression?: boolean;
  /** The WebSocket client (lib/node/transport.ts). Default: `ws`. */
  client?: WsClientFactory;
  /** Each connection's HTTP proxy, if any (lib/node/proxy-route.ts). */
  proxy?: ProxyResolver;
}

