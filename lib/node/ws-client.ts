import type http from 'node:http';
import type net from 'node:net';
import WebSocket from 'ws';
import { ConnectOpts, connectWithHooks } from './connect-hooks';
import { connectViaProxy } from './proxy-connect';
import { bodyNamesRefusal, REFUSAL_BODY_BYTES, refusalError } from './refused-upgrade';
import type { ConnectRequest, ProxyRoute, TransportHooks, WsClientFactory, WsClientLike } from './transport';

/**
 * The reference client: `ws`, without compression, with the hooks wired through its connect
 * function. That closure lives only until the upgrade (ws drops its options then): measured, it
 * costs less CPU than passing the hooks as extra (symbol) keys through ws's option copies.
 */
export const wsClient: WsClientFactory = (req: ConnectRequest, hooks: TransportHooks): WsClientLike => {
  const secure = req.url.startsWith('wss:');
  const ws = new WebSocket(req.url, req.protocols, {
    ...req.options,
    perMessageDeflate: false,
    maxPayload: req.maxPayload,
    headers: req.headers,
    localAddress: req.localAddress,
    // through a proxy the socket comes later: Node's http client takes createConnection(opts, done) returning nothing
    createConnection: (req.proxy
      ? (opts: ConnectOpts, done: (err: Error | null, s?: net.Socket) => void) => connectViaProxy(opts, hooks, secure, req.proxy as ProxyRoute, done)
      : (opts: ConnectOpts) => connectWithHooks(opts, hooks, secure)) as unknown as WebSocket.ClientOptions['createConnection'],
  });
  // over TLS a refusal's body may name it (lib/node/refused-upgrade.ts): ws would drop it unread
  if (secure) ws.on('unexpected-response', onRefused);
  return ws as unknown as WsClientLike;
};

interface WsState {
  _readyState: number;
  emitClose(): void;
}

/** A non-101 answer: read the body when it can name the refusal, then fail as ws's abortHandshake does (error, then close 1006). */
function onRefused(this: WebSocket, req: http.ClientRequest, res: http.IncomingMessage): void {
  const status = res.statusCode ?? 0;
  if (!bodyNamesRefusal(status, true)) return refuse(this, req, refusalError(status, ''));
  let body = '';
  const settle = (): void => {
    if (this.readyState === WebSocket.CONNECTING) refuse(this, req, refusalError(status, body));
  };
  res.setEncoding('latin1');
  res.on('data', (chunk: string) => {
    body += chunk;
    if (body.length >= REFUSAL_BODY_BYTES) settle();
  });
  res.once('end', settle);
  res.once('close', settle);
  res.once('error', settle);
}

function refuse(ws: WebSocket, req: http.ClientRequest, err: Error): void {
  (ws as unknown as WsState)._readyState = WebSocket.CLOSING;
  req.destroy();
  process.nextTick(() => {
    ws.emit('error', err);
    (ws as unknown as WsState).emitClose();
  });
}
