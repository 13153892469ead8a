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
export type { KeepAliveOptions } from './heartbeat';
export { ReconnectingSocket, backoffMs, resolveReconnect } from './reconnect';
export type { ReconnectOptions, ResolvedReconnect } from './types';
export { expandTemplate, tokenFor, vuConnection } from './vu-connection';
export type { ScenarioHooks } from './vu-connection';
export { M } from './metric-names';
export { Requests } from './request';
export type { RequestOptions } from './request';
export { SequenceWindow } from './sequence';
export type { Arrival } from './sequence';
export { MessageMeter } from './messages';
export type { MessageMeterOptions } from './messages';
export { durationSetting, firstStartMs, pace, peakWindow, sendPlan } from './send-plan';
export type { PeakWindow, SendPlan, SendPlanOptions } from './send-plan';
export { checkMessaging, messagingSettings, MESSAGING_DEFAULTS } from './messaging-settings';
export type { MessagingExtra, MessagingSettings } from './messaging-settings';
