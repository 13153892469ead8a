import { ConfigError } from '../scenario/config-error';
import { parseDuration } from '../scenario/duration';
import type { ReconnectOptions } from '../scenario/types';

/**
 * The reconnect settings given outside the scenario: `--reconnect`, `--reconnect-initial 1s`,
 * `--reconnect-max 30s`, `--reconnect-jitter 0.5` on the Node runner, `-e RECONNECT=1`,
 * `-e RECONNECT_INITIAL=1s`, ... on k6. Pure (both engines).
 */
export interface ReconnectFlags {
  /** true/false turns reconnect on or off; undefined leaves the scenario's choice. */
  on?: boolean;
  initial?: string;
  max?: string;
  jitter?: string | number;
}

/** The names the flags go by in messages, per engine. */
export interface ReconnectFlagNames {
  on: string;
  initial: string;
  max: string;
  jitter: string;
}

export const CLI_NAMES: ReconnectFlagNames = { on: '--reconnect', initial: '--reconnect-initial', max: '--reconnect-max', jitter: '--reconnect-jitter' };
export const K6_ENV_NAMES: ReconnectFlagNames = { on: '-e RECONNECT', initial: '-e RECONNECT_INITIAL', max: '-e RECONNECT_MAX', jitter: '-e RECONNECT_JITTER' };

/**
 * What the flags make of reconnect: false (off), the settings they give (which turn it on and are
 * laid over the scenario's own `options.reconnect`), or undefined (the scenario's choice stands).
 */
export function reconnectOverride(f: ReconnectFlags, names: ReconnectFlagNames = CLI_NAMES): ReconnectOptions | false | undefined {
  const tuned = f.initial !== undefined || f.max !== undefined || f.jitter !== undefined;
  if (f.on === false) {
    if (tuned) throw new ConfigError(`${names.initial}, ${names.max} and ${names.jitter} cannot go with reconnect turned off`);
    return false;
  }
  if (!tuned) return f.on ? {} : undefined;
  const out: ReconnectOptions = {};
  if (f.initial !== undefined) out.initialDelay = `${parseDuration(f.initial, names.initial)}ms`;
  if (f.max !== undefined) out.maxDelay = `${parseDuration(f.max, names.max)}ms`;
  if (f.jitter !== undefined) {
    const j = typeof f.jitter === 'number' ? f.jitter : Number(f.jitter);
    if (!Number.isFinite(j) || j < 0 || j > 1 || (typeof f.jitter === 'string' && f.jitter.trim() === '')) {
      throw new ConfigError(`${names.jitter} must be a number from 0 to 1, the random share of each wait (got ${JSON.stringify(f.jitter)})`);
    }
    out.jitter = j;
  }
  return out;
}

/** `-e RECONNECT=1|true|0|false` and the tuning variables, for the k6 bundle. */
export function reconnectFromEnv(env: Record<string, string | undefined>): ReconnectOptions | false | undefined {
  const v = env.RECONNECT;
  let on: boolean | undefined;
  if (v !== undefined && v !== '') {
    if (/^(1|true|on|yes)$/i.test(v)) on = true;
    else if (/^(0|false|off|no)$/i.test(v)) on = false;
    else throw new ConfigError(`-e RECONNECT must be 1 or 0 (got ${JSON.stringify(v)})`);
  }
  const blank = (x: string | undefined): string | undefined => (x === '' ? undefined : x);
  return reconnectOverride({ on, initial: blank(env.RECONNECT_INITIAL), max: blank(env.RECONNECT_MAX), jitter: blank(env.RECONNECT_JITTER) }, K6_ENV_NAMES);
}
