import { ReconnectingSocket, resolveReconnect } from './reconnect';
import type { ReconnectOptions, Socket, VuContext } from './types';

export interface KeepAliveOptions {
  /** Reconnect after a drop; default `vu.options.reconnect` (the scenario's `options.reconnect`). */
  reconnect?: boolean | ReconnectOptions;
}

/**
 * Opens the VU's connection and pings it every `options.pingInterval` while open: the behaviour
 * of the seed tool's connect-only mode, shared by the built-in scenarios. With `reconnect`, a
 * dropped connection is opened again after the backoff (only for the connection keepAlive opens
 * itself; a socket passed in is kept as it is).
 */
export function keepAlive(vu: VuContext, socket?: Socket, opts: KeepAliveOptions = {}): Socket {
  const reconnect = opts.reconnect === undefined ? vu.options.reconnect : resolveReconnect(opts.reconnect, 'keepAlive reconnect');
  const s = socket ?? (reconnect ? new ReconnectingSocket(vu, () => vu.connect(), reconnect) : vu.connect());
  let timer: unknown;
  s.addEventListener('open', () => {
    if (timer !== undefined) vu.clearTimer(timer);
    timer = vu.setInterval(() => s.ping(), vu.options.pingIntervalMs);
  });
  s.addEventListener('close', () => {
    if (timer !== undefined) vu.clearTimer(timer);
    timer = undefined;
  });
  return s;
}
