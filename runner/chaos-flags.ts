import type { Argv } from 'yargs';
import { ConfigError } from '../lib/scenario/config-error';
import { parseDuration } from '../lib/scenario/duration';
import { ChaosOptions, RESTART_MODES, RestartMode } from '../server/chaos';

/** `runner serve`'s chaos switch (server/chaos.ts). */
export function chaosFlags<T>(y: Argv<T>) {
  return y
    .option('restart-every', { type: 'string', describe: 'chaos: restart every this long (e.g. 20s): close every connection, refuse new ones for --restart-down' })
    .option('restart-down', { type: 'string', describe: 'chaos: how long a restart refuses new connections (HTTP 503), default 2s' })
    .option('restart-count', { type: 'number', describe: 'chaos: stop after this many restarts (default: never)' })
    .option('restart-mode', { type: 'string', describe: 'chaos: going-away (close 1001, default) | abrupt (TCP close, no close frame)' });
}

export interface ChaosArgs {
  restartEvery?: string;
  restartDown?: string;
  restartMode?: string;
  restartCount?: number;
}

/** The chaos options of the flags; undefined without --restart-every. */
export function chaosOptions(a: ChaosArgs): ChaosOptions | undefined {
  if (a.restartEvery === undefined) {
    if (a.restartDown !== undefined || a.restartMode !== undefined || a.restartCount !== undefined) {
      throw new ConfigError('--restart-down, --restart-mode and --restart-count need --restart-every (e.g. --restart-every 20s)');
    }
    return undefined;
  }
  const everyMs = parseDuration(a.restartEvery, '--restart-every');
  const downMs = a.restartDown === undefined ? 2000 : parseDuration(a.restartDown, '--restart-down');
  const mode = (a.restartMode ?? 'going-away') as RestartMode;
  if (!RESTART_MODES.includes(mode)) throw new ConfigError(`--restart-mode must be ${RESTART_MODES.join(' or ')} (got ${JSON.stringify(a.restartMode)})`);
  if (everyMs <= 0) throw new ConfigError('--restart-every must be more than 0s');
  if (downMs >= everyMs) throw new ConfigError(`--restart-down (${downMs / 1000}s) must be shorter than --restart-every (${everyMs / 1000}s)`);
  const count = a.restartCount;
  if (count !== undefined && (!Number.isInteger(count) || count < 1)) throw new ConfigError(`--restart-count must be a whole number >= 1 (got ${count})`);
  return { everyMs, downMs, mode, ...(count !== undefined ? { count } : {}) };
}
