/**
 * `wsbench/helpers`: building blocks for advanced scenarios, on top of the scenario API
 * (`wsbench`). Pure code, like the API: it bundles for the Node runner and for k6.
 */
export { Requests, requestMetrics } from './helpers/request';
export type { RequestOptions } from './helpers/request';
export { SequenceWindow } from './helpers/sequence';
export type { Arrival } from './helpers/sequence';
export { MessageMeter } from './helpers/messages';
export type { MessageMeterOptions } from './helpers/messages';
export { durationSetting, pace, peakWindow, plannedWall, sendPlan } from './helpers/send-plan';
export type { PeakWindow, SendPlan, SendPlanOptions } from './helpers/send-plan';
export { ReconnectingSocket } from './helpers/reconnect';
export { checkMessaging, messagingSettings, MESSAGING_DEFAULTS } from './helpers/messaging-settings';
export type { MessagingExtra, MessagingSettings } from './helpers/messaging-settings';
