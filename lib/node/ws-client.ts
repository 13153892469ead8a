import WebSocket from 'ws';
import { ConnectOpts, connectWithHooks } from './connect-hooks';
import type { ConnectRequest, TransportHooks, WsClientFactory, WsClientLike } from './transport';

/**
 * The reference client: `ws`, with permessage-deflate offered only when asked (`compression`:
 * every message compressed, no size threshold, as browsers do), and the hooks wired through its connect
 * function. That closure lives only until the upgrade (ws drops its options then): measured, it
 * costs less CPU than passing the hooks as extra (symbol) keys through ws's option copies.
 */
/** ws's default offer (context takeover both ways, as browsers offer it), but every message compressed: ws's 1 KiB threshold skips small ones. */
const DEFLATE = { threshold: 0 };

export const wsClient: WsClientFactory = (req: ConnectRequest, hooks: TransportHooks): WsClientLike => {
  const secure = req.url.startsWith('wss:');
  return new WebSocket(req.url, req.protocols, {
    ...req.options,
    perMessageDeflate: req.compression ? DEFLATE : false,
    maxPayload: req.maxPayload,
    headers: req.headers,
    localAddress: req.localAddress,
    createConnection: ((opts: ConnectOpts) => connectWithHooks(opts, hooks, secure)) as unknown as WebSocket.ClientOptions['createConnection'],
  }) as unknown as WsClientLike;
};
