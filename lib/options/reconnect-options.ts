import { ConfigError } from '../scenario/config-error';
import { parseDuration } from '../scenario/duration';
import type { ReconnectOptions, ResolvedReconnect } from '../scenario/types';

/** The reconnect settings of a scenario, checked and resolved (lib/helpers/reconnect.ts reconnects with them). */

export const RECONNECT_DEFAULTS: ResolvedReconnect = { initialDelayMs: 1000, maxDelayMs: 30_000, factor: 2, jitter: 0.5 };

/** `options.reconnect`: `true` for the defaults, an object to tune them, `false`/absent for none. */
export function resolveReconnect(v: unknown, what = 'options.reconnect'): ResolvedReconnect | undefined {
  if (v === undefined || v === false) return undefined;
  if (v === true) return { ...RECONNECT_DEFAULTS };
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new ConfigError(`${what} must be true, false or { initialDelay: '1s', maxDelay: '30s', factor: 2, jitter: 0.5, maxRetries: 10 } (got ${JSON.stringify(v)})`);
  }
  const r = v as ReconnectOptions & Record<string, unknown>;
  const known = ['initialDelay', 'maxDelay', 'factor', 'jitter', 'maxRetries'];
  for (const k of Object.keys(r)) {
    if (!known.includes(k)) throw new ConfigError(`${what}.${k} is not a reconnect setting (use ${known.join(', ')})`);
  }
  const out: ResolvedReconnect = {
    initialDelayMs: r.initialDelay === undefined ? RECONNECT_DEFAULTS.initialDelayMs : parseDuration(r.initialDelay, `${what}.initialDelay`),
    maxDelayMs: r.maxDelay === undefined ? RECONNECT_DEFAULTS.maxDelayMs : parseDuration(r.maxDelay, `${what}.maxDelay`),
    factor: r.factor ?? RECONNECT_DEFAULTS.factor,
    jitter: r.jitter ?? RECONNECT_DEFAULTS.jitter,
  };
  if (typeof out.factor !== 'number' || !(out.factor >= 1)) throw new ConfigError(`${what}.factor must be a number >= 1 (got ${JSON.stringify(r.factor)})`);
  if (typeof out.jitter !== 'number' || !(out.jitter >= 0 && out.jitter <= 1)) {
    throw new ConfigError(`${what}.jitter must be a number from 0 to 1 (got ${JSON.stringify(r.jitter)})`);
  }
  if (out.maxDelayMs < out.initialDelayMs) throw new ConfigError(`${what}.maxDelay must be at least initialDelay`);
  if (r.maxRetries !== undefined) {
    if (!Number.isInteger(r.maxRetries) || r.maxRetries < 0) {
      throw new ConfigError(`${what}.maxRetries must be a whole number >= 0 (got ${JSON.stringify(r.maxRetries)})`);
    }
    out.maxRetries = r.maxRetries;
  }
  return out;
}

