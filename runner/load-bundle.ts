import { ConfigError } from '../lib/scenario/config-error';

/** Loads a bundled scenario; an error thrown at load time is the scenario's own, with its file and line. */
export function loadBundle(bundle: string, file: string): unknown {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle written at run time: its path is known only then, and require runs it synchronously
    return require(bundle);
  } catch (err) {
    const e = err as Error;
    const frame = /\(?([^()\s]+\.[cm]?[jt]s):(\d+):\d+\)?/.exec((e.stack ?? '').split('\n').slice(1).find((l) => !l.includes('node:')) ?? '');
    throw new ConfigError(`scenario ${file} threw while loading: ${e.message}${frame ? ` (${frame[1]}:${frame[2]})` : ''}`);
  }
}
