import { resolveOptions } from '../lib/options/options';
import { k6Overrides } from '../lib/options/k6-env';
import { reconnectOverride } from '../lib/options/reconnect-flags';
import { hold, ramp } from '../lib/scenario/stages';
import { chaosOptions } from '../runner/chaos-flags';
import { overridesFrom } from '../runner/flags';
import { badInputLine, CONNECT_ONLY } from './helpers';

/** `--reconnect*` (and k6's -e RECONNECT*) mapped onto the scenario option; the chaos switch's flags. */
const stages = [ramp('1s', 10), hold('1s')];
const resolved = (scenario: object, cli: Parameters<typeof overridesFrom>[0]) =>
  resolveOptions('t', { stages, ...scenario }, overridesFrom(cli), 'ws://127.0.0.1:1/ws').reconnect;

describe('reconnect flags', () => {
  test('--reconnect turns the defaults on; tuning flags turn it on too and lie over the scenario\'s', () => {
    expect(resolved({}, {})).toBeUndefined();
    expect(resolved({}, { reconnect: true })).toEqual({ initialDelayMs: 1000, maxDelayMs: 30_000, factor: 2, jitter: 0.5 });
    expect(resolved({}, { reconnectInitial: '250ms', reconnectMax: '4s', reconnectJitter: 0 })).toEqual({ initialDelayMs: 250, maxDelayMs: 4000, factor: 2, jitter: 0 });
    expect(resolved({ reconnect: { factor: 3, maxRetries: 5, maxDelay: '10s' } }, { reconnectInitial: '2s' }))
      .toEqual({ initialDelayMs: 2000, maxDelayMs: 10_000, factor: 3, jitter: 0.5, maxRetries: 5 });
    expect(resolved({ reconnect: true }, { reconnect: false })).toBeUndefined();
  });

  test('k6: -e RECONNECT=1 and the tuning variables', () => {
    const reconnectFromEnv = (env: Record<string, string>) => k6Overrides(env).reconnect;
    expect(reconnectFromEnv({})).toBeUndefined();
    expect(reconnectFromEnv({ RECONNECT: '1' })).toEqual({});
    expect(reconnectFromEnv({ RECONNECT: 'false' })).toBe(false);
    expect(reconnectFromEnv({ RECONNECT_INITIAL: '500ms', RECONNECT_JITTER: '0.2' })).toEqual({ initialDelay: '500ms', jitter: 0.2 });
    expect(() => reconnectFromEnv({ RECONNECT: 'maybe' })).toThrow('-e RECONNECT must be 1 or 0 (got "maybe")');
    expect(() => reconnectFromEnv({ RECONNECT_JITTER: '2' })).toThrow('-e RECONNECT_JITTER must be a number from 0 to 1, the random share of each wait (got "2")');
  });

  test('bad values: one clear line', async () => {
    expect(() => reconnectOverride({ on: false, initial: '1s' })).toThrow('--reconnect-initial, --reconnect-max and --reconnect-jitter cannot go with reconnect turned off');
    expect(await badInputLine('runner', ['run', CONNECT_ONLY, '--reconnect-jitter', '1.5'])).toBe('--reconnect-jitter must be a number from 0 to 1, the random share of each wait (got 1.5)');
    expect(await badInputLine('runner', ['run', CONNECT_ONLY, '--reconnect-initial', 'soon'])).toMatch(/^--reconnect-initial must be a duration/);
    expect(await badInputLine('runner', ['run', CONNECT_ONLY, '--reconnect-initial', '5s', '--reconnect-max', '1s'])).toBe('--reconnect.maxDelay must be at least initialDelay');
  });
});

describe('chaos switch flags', () => {
  test('--restart-every with a down time and a mode', () => {
    expect(chaosOptions({})).toBeUndefined();
    expect(chaosOptions({ restartEvery: '20s' })).toEqual({ everyMs: 20_000, downMs: 2000, mode: 'going-away' });
    expect(chaosOptions({ restartEvery: '5m', restartDown: '10s', restartMode: 'abrupt' })).toEqual({ everyMs: 300_000, downMs: 10_000, mode: 'abrupt' });
    expect(chaosOptions({ restartEvery: '22s', restartCount: 4 })).toEqual({ everyMs: 22_000, downMs: 2000, mode: 'going-away', count: 4 });
  });

  test('bad values: one clear line', async () => {
    expect(await badInputLine('runner', ['serve', '--port', '0', '--restart-every', '2s', '--restart-down', '3s'])).toBe('--restart-down (3s) must be shorter than --restart-every (2s)');
    expect(await badInputLine('runner', ['serve', '--port', '0', '--restart-down', '1s'])).toBe('--restart-down, --restart-mode and --restart-count need --restart-every (e.g. --restart-every 20s)');
  });
});
