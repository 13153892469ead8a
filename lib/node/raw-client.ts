import net from 'node:net';
import tls from 'node:tls';
import { RawWebSocket } from './raw-ws';
import type { ConnectRequest, TransportHooks, WsClientFactory, WsClientLike } from './transport';

/**
 * The `transport: 'raw'` client (lib/node/transport.ts): RawWebSocket, which writes the upgrade
 * itself over `net`/`tls` and then frames with `ws`'s Receiver/Sender. Same hooks, options and
 * events as the `ws` client (lib/node/ws-client.ts); test/raw-ws*.test.ts hold them to the same outcomes.
 */
const HOOKS = Symbol('wsbench.raw-hooks');
const SECURE = Symbol('wsbench.raw-secure');
type Hooked<T> = T & { [HOOKS]: TransportHooks };
type ConnectOpts = net.NetConnectOpts & tls.ConnectionOptions & { path?: string; socketPath?: string; [HOOKS]?: TransportHooks; [SECURE]?: boolean };

function rawOnConnect(this: Hooked<net.Socket>): void {
  this[HOOKS].tcpUp();
}
function rawOnTransportUp(this: Hooked<net.Socket>): void {
  this[HOOKS].transportUp();
}
function rawOnError(this: Hooked<net.Socket>, err: Error): void {
  this[HOOKS].rawError(err);
}

function createConnection(opts: ConnectOpts): net.Socket {
  const hooks = opts[HOOKS];
  if (!hooks) throw new Error('wsbench: the raw client lost its connection hooks');
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

export const rawClient: WsClientFactory = (req: ConnectRequest, hooks: TransportHooks): WsClientLike =>
  new RawWebSocket(req.url, req.protocols, {
    ...(req.options as tls.ConnectionOptions),
    perMessageDeflate: false,
    maxPayload: req.maxPayload,
    headers: req.headers,
    localAddress: req.localAddress,
    createConnection,
    [HOOKS]: hooks,
    [SECURE]: req.url.startsWith('wss:'),
  } as ConstructorParameters<typeof RawWebSocket>[2]) as unknown as WsClientLike;
