/**
 * The scenario API: everything a scenario imports. Pure code only (no Node built-ins),
 * so that the same scenario bundles for the Node runner and for k6.
 */
export { ramp, hold } from './stages';
export type { Stage } from './stages';
export type { Duration } from './duration';
export type {
  ScenarioOptions, ResolvedOptions, VuContext, VuFunction, Socket, SocketEvent, SocketEventMap,
  ConnectParams, Counter, Trend, Rate, Mode, PingType,
} from './types';
export { keepAlive } from './heartbeat';
