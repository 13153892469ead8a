/**
 * The scenario API, start here: the stages, the options and VU types, the heartbeat helper and the
 * metric names. Pure code only (no Node built-ins), so that the same scenario bundles for the Node
 * runner and for k6. Helpers for advanced scenarios (request/reply, message meters, send plans,
 * reconnecting sockets) are in `wsbench/helpers` (lib/helpers.ts).
 */
export { ramp, hold } from './scenario/stages';
export type { Stage } from './scenario/stages';
export { arrive } from './scenario/arrivals';
export type { ArriveOptions, Spacing } from './scenario/arrivals';
export { fixed, uniform, exponential, lognormal } from './scenario/lifetime';
export type { Lifetime } from './scenario/lifetime';
export type { Duration } from './scenario/duration';
export type {
  ScenarioOptions, VuContext, VuFunction, Socket, SocketEvent, SocketEventMap,
  ConnectParams, Counter, Trend, Rate, Mode, PingType, ReconnectOptions,
} from './scenario/types';
export { keepAlive } from './helpers/heartbeat';
export type { KeepAliveOptions } from './helpers/heartbeat';
export { M } from './core/metric-names';
