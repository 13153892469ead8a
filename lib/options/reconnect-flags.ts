import { ConfigError } from '../scenario/config-error';
import { parseDuration } from '../scenario/duration';
import type { ReconnectOptions } from '../scenario/types';
import { readBoolean } from './kinds';
import type { Reader } from './inputs';
import { OPTIONS, rowNamed } from './table';

/**
 * The reconnect settings given outside the scenario (the rows `reconnect`, `reconnectInitial`,
 * `reconnectMax`, `reconnectJitter` of lib/options/table.ts): `--reconnect`, `--reconnect-initial 1s`,
 * ... on the Node runner, `-e RECONNECT=1`, `-e RECONNECT_INITIAL=1s`, ... on k6. Pure (both engines).
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

const ROWS = { on: 'reconnect', initial: 'reconnectInitial', max: 'reconnectMax', jitter: 'reconnectJitter' } as const;

const namesOf = (label: (name: string) => string): ReconnectFlagNames =>
  ({ on: label(ROWS.on), initial: label(ROWS.initial), max: label(ROWS.max), jitter: label(ROWS.jitter) });

export const CLI_NAMES: ReconnectFlagNames = namesOf((name) => `--${rowNamed(OPTIONS, name).flag}`);

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

/** The reader of the reconnect rows (lib/options/inputs.ts): a flag's switch is a boolean, a k6 variable's `1|true|0|false`. */
export const readReconnect: Reader = (raw, label) => {
  const on = raw[ROWS.on] === undefined ? undefined : readBoolean(raw[ROWS.on], label(ROWS.on));
  const text = (name: string): string | undefined => (raw[name] === undefined ? undefined : String(raw[name]));
  const jitter = raw[ROWS.jitter] as string | number | undefined;
  return reconnectOverride({ on, initial: text(ROWS.initial), max: text(ROWS.max), jitter }, namesOf(label));
};
