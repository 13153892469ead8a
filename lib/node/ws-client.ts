import net from 'node:net';
import tls from 'node:tls';
import WebSocket from 'ws';
import type { ConnectRequest, TransportHooks, WsClientFactory, WsClientLike } from './transport';

/** The hooks of a raw socket (and of `ws`'s connect options): shared functions find them here, not in closures. */
const HOOKS = Symbol('wsbench.hooks');
/** wss://: connect with TLS (ws decides the same from the URL). */
const SECURE = Symbol('wsbench.secure');
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

type ConnectOpts = net.NetConnectOpts & tls.ConnectionOptions & { path?: string; socketPath?: string; [HOOKS]?: TransportHooks; [SECURE]?: boolean };

/**
 * `ws`'s own connect functions (netConnect/tlsConnect of ws/lib/websocket.js), plus what `ws`
 * cannot tell: when TCP and TLS are up, and the socket's own errors after the upgrade. `ws`
 * copies its options, symbol keys included, into what it passes here: that is how the hooks arrive.
 */
function createConnection(opts: ConnectOpts): net.Socket {
  const hooks = opts[HOOKS];
  if (!hooks) throw new Error('wsbench: ws did not pass the connection hooks through its options');
  let s: net.Socket;
  if (opts[SECURE]) {
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

/** The reference client: `ws`, without compression, with the hooks wired through its connect function. */
export const wsClient: WsClientFactory = (req: ConnectRequest, hooks: TransportHooks): WsClientLike => {
  return new WebSocket(req.url, req.protocols, {
    ...req.options,
    perMessageDeflate: false,
    maxPayload: req.maxPayload,
    headers: req.headers,
    localAddress: req.localAddress,
    createConnection: createConnection as unknown as WebSocket.ClientOptions['createConnection'],
    [HOOKS]: hooks,
    [SECURE]: req.url.startsWith('wss:'),
  } as WebSocket.ClientOptions) as unknown as WsClientLike;
};
