import fs from 'node:fs';
import path from 'node:path';
import yargs from 'yargs';
import { flagsMarkdown, markers, optionsMarkdown } from '../lib/options/docs-table';
import { k6Overrides } from '../lib/options/k6-env';
import { checkModule, defaultsOf, resolveOptions } from '../lib/options/options';
import { OPTIONS, OptionRow, OptionTable } from '../lib/options/table';
import { hold, ramp } from '../lib/scenario/stages';
import type { ScenarioOptions } from '../lib/scenario/types';
import { overridesFrom, runFlags } from '../runner/flags';
import { RUN_FLAGS } from '../runner/run-flag-table';
import { ROOT } from './helpers';

/**
 * The proof of issue 21: an option is one row of lib/options/table.ts. A copy of the table with one
 * fictional row, and nothing else edited, has it in the CLI, --help, the key check, the defaults,
 * the k6 `-e` reading and the docs; the real table has none of it.
 */

const FOO: OptionRow = { name: 'fooTimeout', kind: 'duration', default: '5s', flag: 'foo-timeout', k6Env: 'FOO_TIMEOUT', doc: 'how long a foo may take' };
const WITH_FOO: OptionTable = [...OPTIONS, FOO];
const stages = [ramp('1s', 2), hold('1s')];
const FILE = 'scenarios/foo.ts';

const cli = (table: OptionTable) => runFlags(yargs(), table).strict().exitProcess(false).fail((msg, err) => { throw err ?? new Error(msg); });
/** What a VU of that scenario sees: the copy's rows land in the resolved options like the real ones. */
const resolved = (table: OptionTable, options: object, o = {}, target = 'ws://127.0.0.1:1/ws'): Record<string, unknown> => {
  const mod = checkModule({ options: { stages, ...options }, default: () => undefined }, FILE, table);
  return resolveOptions('foo', mod.options, o, target, FILE, table) as unknown as Record<string, unknown>;
};

describe('one row more: the option is everywhere', () => {
  test('the command line: yargs built from the table parses --foo-timeout 2s, and it reaches the options', () => {
    const args = cli(WITH_FOO).parseSync(['--foo-timeout', '2s', '--ping-interval', '7s']);
    expect(overridesFrom(args, WITH_FOO)).toMatchObject({ fooTimeout: 2000, pingInterval: 7000 });
    expect(resolved(WITH_FOO, {}, overridesFrom(args, WITH_FOO))).toMatchObject({ fooTimeoutMs: 2000, pingIntervalMs: 7000 });
    expect(() => overridesFrom(cli(WITH_FOO).parseSync(['--foo-timeout', '0s']), WITH_FOO)).toThrow(/^--foo-timeout must be more than 0s$/);
    expect(() => cli(OPTIONS).parseSync(['--foo-timeout', '2s'])).toThrow(/^Unknown arguments?: foo-timeout/);
  });

  test('--help lists it with its doc and default', async () => {
    const help = await cli(WITH_FOO).getHelp();
    expect(help).toMatch(/--foo-timeout\s+how long a foo may take\s+\[string\] \[default: 5s\]/);
    expect(await cli(OPTIONS).getHelp()).not.toContain('foo');
  });

  test('the key check knows it, suggests it, and its value is checked as a duration naming the file', () => {
    expect(() => resolved(WITH_FOO, { fooTimeout: 'x' }))
      .toThrow(`options.fooTimeout in ${FILE} must be a duration like "30s", "1m30s" or "500ms" (got "x")`);
    expect(() => resolved(WITH_FOO, { fooTimout: '1s' }))
      .toThrow(`options.fooTimout in ${FILE} is not an option; did you mean fooTimeout? Scenario-specific settings go under extra: { fooTimout: ... }`);
    expect(resolved(WITH_FOO, { fooTimeout: '1m30s' }).fooTimeoutMs).toBe(90_000);
    expect(() => resolved(OPTIONS, { fooTimeout: '1s' })).toThrow(`options.fooTimeout in ${FILE} is not an option`);
  });

  test('its default applies when neither the scenario nor a flag sets it', () => {
    expect(defaultsOf(WITH_FOO)).toMatchObject({ fooTimeoutMs: 5000 });
    expect(resolved(WITH_FOO, {}).fooTimeoutMs).toBe(5000);
    expect(resolved(OPTIONS, {})).not.toHaveProperty('fooTimeoutMs');
  });

  test('k6: -e FOO_TIMEOUT=3s reaches the resolved options (the reading lib/k6/entry.ts does)', () => {
    const env = { TARGET: 'ws://10.0.0.5:30084/ws', FOO_TIMEOUT: '3s' };
    expect(resolved(WITH_FOO, { fooTimeout: '1s' }, k6Overrides(env, WITH_FOO), '')).toMatchObject({ fooTimeoutMs: 3000, target: env.TARGET });
    expect(() => k6Overrides({ FOO_TIMEOUT: '0s' }, WITH_FOO)).toThrow(/^-e FOO_TIMEOUT must be more than 0s$/);
    expect(k6Overrides({ FOO_TIMEOUT: '' }, WITH_FOO)).toEqual({});
    expect(k6Overrides(env, OPTIONS)).toEqual({ target: env.TARGET });
  });

  test('the docs table has its line', () => {
    expect(optionsMarkdown(WITH_FOO).split('\n')).toContain("| `fooTimeout` | `'5s'` | `--foo-timeout` | `-e FOO_TIMEOUT` | how long a foo may take |");
  });
});

describe('the real table', () => {
  test('the generic rows resolve to their defaults', () => {
    expect(defaultsOf()).toEqual({
      pingIntervalMs: 30_000, pongTimeoutMs: 10_000, connectTimeoutMs: 10_000, handshakeTimeoutMs: 10_000,
      mode: 'connect-only', pingType: 'protocol', transport: 'auto', maxMessageBytes: 1_048_576, compression: false,
    });
    const o: ScenarioOptions = { stages, connectTimeout: '3s' };
    expect(resolveOptions('t', o, {}, 'ws://127.0.0.1:1/ws').handshakeTimeoutMs).toBe(3000);
  });

  test('a key far from every option lists them all, in the order of the table', () => {
    expect(() => resolved(OPTIONS, { qqq: 1 })).toThrow(
      `options.qqq in ${FILE} is not an option (options are stages, target, pingInterval, pongTimeout, connectTimeout, handshakeTimeout, `
      + 'mode, pingType, transport, compression, slowReaders, stall, thresholds, headers, protocols, tokens, reconnect, maxMessageSize, metrics, extra) Scenario-specific settings go under extra: { qqq: ... }',
    );
  });

  test('names, flags and k6 variables are each declared once, across the option and runner tables', () => {
    const all = [...OPTIONS, ...RUN_FLAGS] as readonly OptionRow[];
    for (const field of ['name', 'flag', 'k6Env'] as const) {
      const given = all.flatMap((r) => (r[field] === undefined ? [] : [r[field]]));
      expect(given.filter((v, i) => given.indexOf(v) !== i)).toEqual([]);
    }
  });

  test('every k6 variable the bundle reads', () => {
    expect(OPTIONS.flatMap((r) => ('k6Env' in r ? [r.k6Env] : []))).toEqual(
      ['TARGET', 'PING_INTERVAL', 'COMPRESSION', 'RECONNECT', 'RECONNECT_INITIAL', 'RECONNECT_MAX', 'RECONNECT_JITTER'],
    );
  });
});

describe('the docs tables are the generated ones', () => {
  const between = (file: string, id: string): string => {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    const [begin, end] = markers(id);
    const a = text.indexOf(begin);
    const b = text.indexOf(end);
    if (a < 0 || b < a) throw new Error(`${file} lacks the markers of ${id}`);
    return text.slice(a, b + end.length);
  };

  // on a difference, paste the expected text between the markers
  test('docs/scenarios.md: the options', () => expect(between('docs/scenarios.md', 'options')).toBe(optionsMarkdown()));
  test('docs/failures.md: the reconnect flags', () => expect(between('docs/failures.md', 'reconnect-flags')).toBe(flagsMarkdown('reconnect')));
});
