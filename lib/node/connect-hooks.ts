import net from 'node:net';
import tls from 'node:tls';
import type { TransportHooks } from './transport';

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

export type ConnectOpts = net.NetConnectOpts & tls.ConnectionOptions & { path?: string; socketPath?: string };

/** Node's own options for TLS over `opts`: SNI from the host name (none for an IP), as ws's tlsConnect does. */
export function tlsOptions(opts: ConnectOpts): ConnectOpts {
  opts.path = undefined;
  if (!opts.servername && opts.servername !== '') opts.servername = net.isIP(opts.host ?? '') ? '' : opts.host;
  return opts;
}

/** Reports the socket's own errors to `hooks`, and `transportUp` once `upEvent` fires (none: already up). */
export function hookSocket(s: net.Socket, hooks: TransportHooks, upEvent: 'connect' | 'secureConnect' | undefined): net.Socket {
  (s as Hooked<net.Socket>)[HOOKS] = hooks;
  if (upEvent) s.once(upEvent, rawOnTransportUp);
  s.on('error', rawOnError);
  return s;
}

/**
 * `ws`'s own connect functions (netConnect/tlsConnect of ws/lib/websocket.js), plus what the client
 * cannot tell: when TCP and TLS are up, and the socket's own errors after the upgrade. Both clients
 * (`ws` and the raw one) connect through it, or through a proxy (lib/node/proxy-connect.ts).
 */
export function connectWithHooks(opts: ConnectOpts, hooks: TransportHooks, secure: boolean): net.Socket {
  let s: net.Socket;
  if (secure) {
    s = tls.connect(tlsOptions(opts));
  } else {
    (opts as { path?: string }).path = opts.socketPath;
    s = net.connect(opts as net.NetConnectOpts);
  }
  s.once('connect', rawOnConnect);
  return hookSocket(s, hooks, secure ? 'secureConnect' : 'connect');
}
