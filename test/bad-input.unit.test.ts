import { badInputLine, CONNECT_ONLY as scenario, writeScenario } from './helpers';

async function expectBadInput(bin: 'runner' | 'wsbench', args: string[], message: string | RegExp): Promise<void> {
  expect(await badInputLine(bin, args)).toMatch(message);
}

describe('bad input: one clear line on stderr, exit 1 (in-process)', () => {
  test('missing scenario file', () =>
    expectBadInput('runner', ['run', '/nonexistent/x.ts'], 'scenario file not found: /nonexistent/x.ts (give a path like scenarios/connect-only.ts)'));

  test('a module without stages', () =>
    expectBadInput('runner', ['run', writeScenario("export const options = {};\nexport default function () {}\n")], /options\.stages is missing/));

  test('a module without a VU function', () =>
    expectBadInput(
      'runner',
      ['run', writeScenario("import { ramp } from 'wsbench';\nexport const options = { stages: [ramp('1s', 1)] };\n")],
      /must export a default VU function/,
    ));

  test('a malformed duration', () =>
    expectBadInput('runner', ['run', scenario, '--duration', '2x'], '--duration must be a duration like "30s", "1m30s" or "500ms" (got "2x")'));

  test('a malformed duration inside the scenario names the option and its file', () => {
    const file = writeScenario("import { ramp, hold } from 'wsbench';\nexport const options = { stages: [ramp('1s', 1), hold('2x')] };\nexport default function () {}\n");
    return expectBadInput('runner', ['run', file], `options.stages[1].duration in ${file} must be a duration like "30s", "1m30s" or "500ms" (got "2x")`);
  });

  test('a mistyped option: named with its file, and the likely one suggested', () => {
    const file = writeScenario("import { ramp } from 'wsbench';\nexport const options = { stages: [ramp('1s', 1)], pingIntervall: '1s' };\nexport default function () {}\n");
    return expectBadInput(
      'runner', ['run', file],
      `options.pingIntervall in ${file} is not an option; did you mean pingInterval? Scenario-specific settings go under extra: { pingIntervall: ... }`,
    );
  });

  test("k6's vus: the stages explained", () => {
    const file = writeScenario("import { ramp } from 'wsbench';\nexport const options = { stages: [ramp('1s', 1)], vus: 10 };\nexport default function () {}\n");
    return expectBadInput('runner', ['run', file], `options.vus in ${file} is not an option: VUs over time are set by the stages, e.g. stages: [ramp('30s', 1000), hold('30s')]`);
  });

  test('an option value names the option, not the flag', () => {
    const file = writeScenario("import { ramp } from 'wsbench';\nexport const options = { stages: [ramp('1s', 1)], pingInterval: '0s' };\nexport default function () {}\n");
    return expectBadInput('runner', ['run', file], `options.pingInterval in ${file} must be more than 0s`);
  });

  test('a messaging setting of the scenario names options.extra', () => {
    const file = writeScenario("import { ramp } from 'wsbench';\nimport { checkMessaging } from 'wsbench/helpers';\nexport const options = { stages: [ramp('1s', 1)], extra: { msgRate: -1 } };\ncheckMessaging(options.extra);\nexport default function () {}\n");
    return expectBadInput('runner', ['run', file], 'options.extra.msgRate must be a number of messages per second > 0 (got -1)');
  });

  test('a target that is not ws:// or wss://', () =>
    expectBadInput('runner', ['run', scenario, '--target', 'http://127.0.0.1:1/ws'], '--target must be a ws:// or wss:// URL like ws://127.0.0.1:30084/ws (got "http://127.0.0.1:1/ws")'));

  test('--conns 0', () => expectBadInput('wsbench', ['--conns', '0'], '--conns must be a whole number >= 1 (got 0)'));
  test('--protocol mqtt without a broker, or without --mode messaging', async () => {
    await expectBadInput('wsbench', ['--mode', 'messaging', '--protocol', 'mqtt'], "--protocol mqtt needs --target, the broker's WebSocket URL (the embedded server speaks JSON only)");
    await expectBadInput('wsbench', ['--protocol', 'mqtt', '--target', 'ws://127.0.0.1:9/'], '--protocol mqtt needs --mode messaging (got --mode connect-only)');
  });

  test('an unknown --mode', () => expectBadInput('wsbench', ['--mode', 'chatty'], /--mode must be one of connect-only, messaging \(got "chatty"\)/));

  test('an unknown flag', () => expectBadInput('runner', ['run', scenario, '--conn', '5'], /Unknown argument: conn/));

  test('--duration shorter than --ramp', () =>
    expectBadInput('wsbench', ['--duration', '10s', '--ramp', '30s'], '--duration (10s) must be at least --ramp (30s): the duration is the whole run, ramp included'));

  test('a scenario that does not compile names file and line', () =>
    expectBadInput('runner', ['run', writeScenario('export const options = {{;\n', 'broken.ts')], /cannot build scenario .*broken\.ts:1:\d+/));

  test('a scenario that throws while loading names its error', () =>
    expectBadInput('runner', ['run', writeScenario("throw new Error('no config here');\n", 'throws.ts')], /scenario .*throws\.ts threw while loading: no config here \(.*throws\.ts:1\)/));
});
