import { ReconnectingSocket, resolveReconnect } from './reconnect';
import { firstStartMs, plannedStages } from './send-plan';
import { totalDurationMs } from '../scenario/stages';
import type { ReconnectOptions, Socket, VuContext } from '../scenario/types';

/**
 * Whether this VU's first ping can come before the run ends: it comes a full interval after the
 * VU's (planned) start at the earliest, and the runner closes every connection at the end. A ping
 * due a second or more after the planned end never goes out, so no timer is set for it: at 100K
 * VUs with an interval longer than the run (a connect-only load) that is 100K timers, closures
 * and timer sets less (bench/history.md, profiles).
 */
function canPing(vu: VuContext<object>): boolean {
  const stages = vu.options.stages;
  const total = totalDurationMs(plannedStages(stages));
  const start = firstStartMs(stages, vu.id);
  return start === undefined || start + vu.options.pingIntervalMs < total + 1000;
}

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
export function keepAlive(vu: VuContext<object>, socket?: Socket, opts: KeepAliveOptions = {}): Socket {
  const reconnect = opts.reconnect === undefined ? vu.options.reconnect : resolveReconnect(opts.reconnect, 'keepAlive reconnect');
  const s = socket ?? (reconnect ? new ReconnectingSocket(vu, () => vu.connect(), reconnect) : vu.connect());
  if (!canPing(vu)) return s;
  let timer: unknown;
  s.addEventListener('open', () => {
    if (timer !== undefined) vu.clearTimer(timer);
    // one shared timer per interval where the engine has one (Node: 1,000 wake-ups a second less at 5,000 VUs pinging every 5 s)
    const ping = () => s.ping();
    timer = vu.setSharedInterval ? vu.setSharedInterval(ping, vu.options.pingIntervalMs) : vu.setInterval(ping, vu.options.pingIntervalMs);
  });
  s.addEventListener('close', () => {
    if (timer !== undefined) vu.clearTimer(timer);
    timer = undefined;
  });
  return s;
}
