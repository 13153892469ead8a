import net from 'node:net';
import tls from 'node:tls';
import WebSocket from 'ws';
import type { ConnectRequest, TransportHooks, WsClientFactory, WsClientLike } from './transport';

/** The hooks of a raw socket: its shared listeners find them here, not in closures of their own. */
const HOOKS = Symbol('wsbench.hooks');
type Hooked<T> = T & { [HOOKS]: TransportHooks };

function rawOnConnect(this: Hooked<net.Socket>): void {
  this[HOOKS].tcpUp();
}
function rawOnTransportUp(this: Hooked<net.Socket>): void {
  this[HOOKS].transportUp();
}
function rawOnError(this: Hooked<net.Socket>, err: Error): void {
  this[HOOKS].rawError(err);
}

type ConnectOpts = net.NetConnectOpts & tls.ConnectionOptions & { path?: string; socketPath?: string };

/**
 * `ws`'s own connect functions (netConnect/tlsConnect of ws/lib/websocket.js), plus what `ws`
 * cannot tell: when TCP and TLS are up, and the socket's own errors after the upgrade.
 */
function connectWithHooks(opts: ConnectOpts, hooks: TransportHooks, secure: boolean): net.Socket {
  let s: net.Socket;
  if (secure) {
    opts.path = undefined;
    if (!opts.servername && opts.servername !== '') opts.servername = net.isIP(opts.host ?? '') ? '' : opts.host;
    s = tls.connect(opts);
    s.once('secureConnect', rawOnTransportUp);
  } else {
    (opts as { path?: string }).path = opts.socketPath;
    s = net.connect(opts as net.NetConnectOpts);
    s.once('connect', rawOnTransportUp);
  }
  (s as Hooked<net.Socket>)[HOOKS] = hooks;
  s.once('connect', rawOnConnect);
  s.on('error', rawOnError);
  return s;
}

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
    createConnection: ((opts: ConnectOpts) => connectWithHooks(opts, hooks, secure)) as unknown as WebSocket.ClientOptions['createConnection'],
  }) as unknown as WsClientLike;
};
