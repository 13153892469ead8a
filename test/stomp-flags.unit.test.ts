import path from 'node:path';
import { badInputLine, ROOT } from './helpers';

/** `wsbench --protocol` (runner/run-command.ts): what it refuses, in one line each. */
describe('wsbench --protocol', () => {
  test.each([
    [['--mode', 'messaging', '--protocol', 'mqtt-x', '--target', 'ws://127.0.0.1:9/ws'], '--protocol must be one of json, mqtt, stomp, graphql-ws (got "mqtt-x")'],
    [['--mode', 'connect-only', '--protocol', 'stomp', '--target', 'ws://127.0.0.1:9/ws'], '--protocol stomp needs --mode messaging (got --mode connect-only)'],
    [['--mode', 'messaging', '--protocol', 'stomp'], "--protocol stomp needs --target, the broker's WebSocket URL (the embedded server speaks JSON only)"],
  ])('wsbench %j', async (args, line) => {
    expect(await badInputLine('wsbench', args)).toBe(line);
  });

  test('runner run refuses it: a scenario file speaks its own protocol', async () => {
    const file = path.join(ROOT, 'scenarios', 'stomp.ts');
    expect(await badInputLine('runner', ['run', file, '--protocol', 'stomp'])).toBe('--protocol is a flag of wsbench --mode messaging: a scenario file speaks its own protocol');
  });
});
