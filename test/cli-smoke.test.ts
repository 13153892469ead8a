import { spawnedBadInputLine, writeScenario } from './helpers';

// The in-process CLI tests (bad-input, options-errors) do not cover the process's own exit path: these do.
describe('bad input through a real process: one line on stderr, exit 1 (smoke tests of the exit path)', () => {
  test('runner: a mistyped option', async () => {
    const file = writeScenario("import { ramp } from 'wsbench';\nexport const options = { stages: [ramp('1s', 1)], pingIntervall: '1s' };\nexport default function () {}\n");
    expect(await spawnedBadInputLine('runner', ['run', file])).toMatch(/^options\.pingIntervall in .*scenario\.ts is not an option; did you mean pingInterval\?/);
  });

  test('wsbench: --conns 0', async () => {
    expect(await spawnedBadInputLine('wsbench', ['--conns', '0'])).toBe('--conns must be a whole number >= 1 (got 0)');
  });
});
