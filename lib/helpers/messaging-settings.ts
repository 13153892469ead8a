import { ConfigError } from '../scenario/config-error';
import { Duration, parseDuration } from '../scenario/duration';

/** The settings of the built-in messaging scenario (`options.extra`, or the `--msg-*` flags). */
export interface MessagingSettings {
  /** Bytes of each send frame (the whole JSON text; at least its envelope, ~70 bytes). Default 256. */
  msgSize: number;
  /** Messages per second per connection. Default 1. */
  msgRate: number;
  /** 0: each user sends to the next one; N >= 2: users form rooms of N and send to their room. Default 0. */
  roomSize: number;
  /** Quiet time after the ramp before the first message. Default min(1s, hold/4). */
  warmupMs?: number;
  /** Quiet time after the last message before the hold ends. Default min(2s, hold/4). */
  drainMs?: number;
}

/** `options.extra` of a messaging scenario, as written (the CLI's `--msg-*` flags override it). */
export type MessagingExtra = {
  msgSize?: number;
  msgRate?: number;
  roomSize?: number;
  msgWarmup?: Duration | number;
  msgDrain?: Duration | number;
};

export const MESSAGING_DEFAULTS = { msgSize: 256, msgRate: 1, roomSize: 0 } as const;

/** Where a setting came from, for the error line: `options.extra.msgSize`, `--msg-size`, ... */
export type SourceOf = (key: string) => string;

export const fromScenario: SourceOf = (key) => `options.extra.${key}`;

const show = (v: unknown): string => (typeof v === 'number' && Number.isNaN(v) ? 'not a number' : JSON.stringify(v));

/** `what` is asked only for a value given: a source need not name a setting it never takes. */
function duration(v: unknown, what: () => string): number | undefined {
  if (v === undefined) return undefined;
  const ms = typeof v === 'number' ? v : parseDuration(v, what());
  if (!(ms >= 0)) throw new ConfigError(`${what()} must be a duration >= 0 like "2s" (got ${show(v)})`);
  return ms;
}

/**
 * The one check of the messaging settings: each one present in `extra` is validated (one clear
 * line naming its source) and returned; absent ones stay absent.
 */
export function checkMessaging(extra: MessagingExtra | Record<string, unknown>, where: SourceOf = fromScenario): Partial<MessagingSettings> {
  const out: Partial<MessagingSettings> = {};
  const { msgSize, msgRate, roomSize } = extra as Record<string, unknown>;
  if (msgSize !== undefined) {
    if (typeof msgSize !== 'number' || !Number.isInteger(msgSize) || msgSize < 1) {
      throw new ConfigError(`${where('msgSize')} must be a whole number of bytes >= 1 (got ${show(msgSize)})`);
    }
    out.msgSize = msgSize;
  }
  if (msgRate !== undefined) {
    if (typeof msgRate !== 'number' || !(msgRate > 0) || !Number.isFinite(msgRate)) {
      throw new ConfigError(`${where('msgRate')} must be a number of messages per second > 0 (got ${show(msgRate)})`);
    }
    out.msgRate = msgRate;
  }
  if (roomSize !== undefined) {
    if (typeof roomSize !== 'number' || !Number.isInteger(roomSize) || roomSize < 0 || roomSize === 1) {
      throw new ConfigError(`${where('roomSize')} must be 0 (send to the next user) or a whole number >= 2 (got ${show(roomSize)})`);
    }
    out.roomSize = roomSize;
  }
  const warmupMs = duration(extra.msgWarmup, () => where('msgWarmup'));
  if (warmupMs !== undefined) out.warmupMs = warmupMs;
  const drainMs = duration(extra.msgDrain, () => where('msgDrain'));
  if (drainMs !== undefined) out.drainMs = drainMs;
  return out;
}

/** The messaging settings in force: the defaults, then `extra` (checked). */
export function messagingSettings(extra: MessagingExtra | Record<string, unknown>, where: SourceOf = fromScenario): MessagingSettings {
  return { ...MESSAGING_DEFAULTS, ...checkMessaging(extra, where) };
}
