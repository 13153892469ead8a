/**
 * `wsbench/helpers`: building blocks for advanced scenarios, on top of the scenario API
 * (`wsbench`). Pure code, like the API: it bundles for the Node runner and for k6.
 */
export { Requests } from './request';
export type { RequestOptions } from './request';
export { SequenceWindow } from './sequence';
export type { Arrival } from './sequence';
export { MessageMeter } from './messages';
export type { MessageMeterOptions } from './messages';
export { durationSetting, pace, peakWindow, sendPlan } from './send-plan';
export type { PeakWindow, SendPlan, SendPlanOptions } from './send-plan';
export { ReconnectingSocket } from './reconnect';
export { checkMessaging, messagingSettings, MESSAGING_DEFAULTS } from './messaging-settings';
export type { MessagingExtra, MessagingSettings } from './messaging-settings';
