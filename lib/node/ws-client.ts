import type net from 'node:net';
import WebSocket from 'ws';
import { ConnectOpts, connectWithHooks } from './connect-hooks';
import { connectViaProxy } from './proxy-connect';
import type { ConnectRequest, ProxyRoute, TransportHooks, WsClientFactory, WsClientLike } from './transport';

/**
 * The reference client: `ws`, without compression, with the hooks wired through its connect
 * function. That closure lives only until the upgrade (ws drops its options then): measured, it
 * costs less CPU than passing the hooks as extra (symbol) keys through ws's option copies.
 */
export const wsClient: WsClientFactory = (req: ConnectRequest, hooks: TransportHooks): WsClientLike => {
  const secure = req.url.startsWith('wss:');
  return new WebSocket(req.url, req.protocols, {
    ...req.options,
    perMessageDeflate: false,
    maxPayload: req.maxPayload,
    headers: req.headers,
    localAddress: req.localAddress,
    // through a proxy the socket comes later: Node's http client takes createConnection(opts, done) returning nothing
    createConnection: (req.proxy
      ? (opts: ConnectOpts, done: (err: Error | null, s?: net.Socket) => void) => connectViaProxy(opts, hooks, secure, req.proxy as ProxyRoute, done)
      : (opts: ConnectOpts) => connectWithHooks(opts, hooks, secure)) as unknown as WebSocket.ClientOptions['createConnection'],
  }) as unknown as WsClientLike;
};
