import type tls from 'node:tls';
import { ConnectOpts, connectWithHooks } from './connect-hooks';
import { connectViaProxy } from './proxy-connect';
import { RawWebSocket } from './raw-ws';
import type { ConnectRequest, ProxyRoute, TransportHooks, WsClientFactory, WsClientLike } from './transport';

/**
 * The `transport: 'raw'` client (lib/node/transport.ts): RawWebSocket, which writes the upgrade
 * itself over `net`/`tls` and then frames with `ws`'s Receiver/Sender. Same hooks, options and
 * events as the `ws` client (lib/node/ws-client.ts); test/raw-ws*.test.ts hold them to the same outcomes.
 */
export const rawClient: WsClientFactory = (req: ConnectRequest, hooks: TransportHooks): WsClientLike =>
  new RawWebSocket(req.url, req.protocols, {
    ...(req.options as tls.ConnectionOptions),
    perMessageDeflate: false,
    maxPayload: req.maxPayload,
    headers: req.headers,
    localAddress: req.localAddress,
    createConnection: req.proxy
      ? (opts: ConnectOpts, done) => connectViaProxy(opts, hooks, req.url.startsWith('wss:'), req.proxy as ProxyRoute, done)
      : (opts: ConnectOpts) => connectWithHooks(opts, hooks, req.url.startsWith('wss:')),
  }) as unknown as WsClientLike;
