import { ConfigError } from '../scenario/config-error';
import { envSource, Reader, readOverrides } from './inputs';
import type { Overrides } from './options';
import { readReconnect } from './reconnect-flags';
import { CustomEnvOption, OPTIONS, OptionTable } from './table';

/** `-e TARGET=...`, when given, must name a WebSocket URL (its placeholders are checked with the options). */
const readTarget: Reader = (raw, label) => {
  const t = raw.target;
  if (typeof t !== 'string' || !/^wss?:\/\/[^\s/?#]+/.test(t)) {
    throw new ConfigError(`${label('target')} must be a ws:// or wss:// URL like ws://10.0.0.5:30084/ws (got ${JSON.stringify(t)})`);
  }
  return t;
};

/** The readers of the custom options a k6 variable sets (lib/options/table.ts `k6Env`). */
const ENV_READERS: Record<CustomEnvOption, Reader> = { target: readTarget, reconnect: readReconnect };

/**
 * What a k6 bundle's `-e` variables override (lib/k6/entry.ts): every row of the table with a
 * `k6Env`, read as its kind says (`-e PING_INTERVAL=10s`), the custom ones by their readers.
 */
export function k6Overrides(env: Readonly<Record<string, string | undefined>>, table: OptionTable = OPTIONS): Overrides {
  return readOverrides(table, envSource(env), ENV_READERS);
}
