import type { Socket, VuContext } from './types';

/**
 * Opens the VU's connection and pings it every `options.pingInterval` once open: the
 * behaviour of the seed tool's connect-only mode, shared by the built-in scenarios.
 */
export function keepAlive(vu: VuContext, socket: Socket = vu.connect()): Socket {
  socket.addEventListener('open', () => {
    vu.setInterval(() => socket.ping(), vu.options.pingIntervalMs);
  });
  return socket;
}
