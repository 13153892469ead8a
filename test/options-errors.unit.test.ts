import { badInputLine, CONNECT_ONLY as scenario, writeScenario } from './helpers';

// Options, flags and thresholds the CLI must refuse, through the CLI called in-process: one line, exit 1.

const t = (...exprs: string[]): string[] => exprs.flatMap((e) => ['--threshold', e]);

describe('scenario options and flags with a wrong form', () => {
  async function badOption(option: string): Promise<string> {
    const file = writeScenario(`import { hold, keepAlive, ramp } from 'wsbench';
export const options = { stages: [ramp('1s', 2)], ${option} };
export default function (vu) { keepAlive(vu); }
`);
    // a scenario option's error names the file it came from
    return (await badInputLine('runner', ['run', file])).replace(` in ${file}`, '');
  }

  test.each([
    ["reconnect: { factor: 0.5 }", 'options.reconnect.factor must be a number >= 1 (got 0.5)'],
    ["reconnect: { initialDelay: 'soon' }", 'options.reconnect.initialDelay must be a duration like "30s", "1m30s" or "500ms" (got "soon")'],
    ["reconnect: { retries: 3 }", 'options.reconnect.retries is not a reconnect setting (use initialDelay, maxDelay, factor, jitter, maxRetries)'],
    ["reconnect: 'yes'", 'options.reconnect must be true, false or { initialDelay: \'1s\', maxDelay: \'30s\', factor: 2, jitter: 0.5, maxRetries: 10 } (got "yes")'],
    ["maxMessageSize: 'big'", 'options.maxMessageSize must be a size like 65536, "64KB" or "1MB" (got "big")'],
    ["handshakeTimeout: '2x'", 'options.handshakeTimeout must be a duration like "30s", "1m30s" or "500ms" (got "2x")'],
    ["headers: 'Authorization: x'", "options.headers must be an object of header names to values, like { Authorization: 'Bearer ${token}' }, or a function (vu, token) => headers"],
    ["headers: { 'X Bad': 'v' }", 'options.headers: "X Bad" is not a valid header name (letters, digits and !#$%&\'*+-.^_`|~)'],
    ["protocols: 'chat'", 'options.protocols must be a list of subprotocol names (letters, digits, no spaces or commas), like [\'chat.v2\'] (got "chat")'],
    ["protocols: ['a', 'a']", 'options.protocols names a subprotocol twice (got ["a","a"])'],
    ['tokens: []', 'options.tokens must be a non-empty list of token strings, or a function (vu) => token (got [])'],
    ["target: 'ws://h/${vu}${token}', tokens: undefined", 'options.target uses ${token} but no tokens were given: pass --tokens FILE (one token per line) or set options.tokens'],
  ])('%s', async (option, message) => {
    expect(await badOption(option)).toBe(message);
  });

  test('an empty --target', async () => {
    expect(await badInputLine('runner', ['run', scenario, '--target', ''])).toBe('--target must be a ws:// or wss:// URL like ws://127.0.0.1:30084/ws (got "")');
  });

  test('--handshake-timeout 2x', async () => {
    expect(await badInputLine('runner', ['run', scenario, '--handshake-timeout', '2x'])).toBe('--handshake-timeout must be a duration like "30s", "1m30s" or "500ms" (got "2x")');
  });
});

describe('a malformed threshold: one clear line, exit 1, before the run', () => {
  async function expectBadThreshold(args: string[], line: string): Promise<void> {
    expect(await badInputLine('runner', ['run', ...args])).toBe(line);
  }

  test('bad syntax on the CLI', () =>
    expectBadThreshold([scenario, ...t('p99 <<< 1')],
      'threshold "p99 <<< 1" must read like "connectLatencyMs.p99 < 100" or "connections.successRate >= 99%" (field op number)'));

  test('a field the summary does not have', () =>
    expectBadThreshold([scenario, '--conns', '5', ...t('connectLatencyMs.p999 < 5')],
      'threshold "connectLatencyMs.p999 < 5": connectLatencyMs.p999 is not a numeric field of the summary (e.g. connectLatencyMs.p99, connections.successRate, heartbeat.pongRate, disconnectWaves.max.recovery99Sec)'));

  test('bad syntax in the scenario', () =>
    expectBadThreshold(
      [writeScenario("import { ramp, keepAlive } from 'wsbench';\nexport const options = { stages: [ramp('1s', 1)], thresholds: ['successRate > high'] };\nexport default keepAlive;\n")],
      'threshold "successRate > high" must read like "connectLatencyMs.p99 < 100" or "connections.successRate >= 99%" (field op number)'));
});

describe('messaging flags', () => {
  test.each([
    [['--msg-rate', '0'], '--msg-rate must be a number of messages per second > 0 (got 0)'],
    [['--msg-size', '1.5'], '--msg-size must be a whole number of bytes >= 1 (got 1.5)'],
    [['--room-size', '1'], '--room-size must be 0 (send to the next user) or a whole number >= 2 (got 1)'],
    [['--room-size', 'x'], '--room-size must be 0 (send to the next user) or a whole number >= 2 (got not a number)'],
  ])('bad messaging flags %j: one clear line, exit 1', async (args, message) => {
    expect(await badInputLine('wsbench', ['--mode', 'messaging', ...args])).toBe(message);
  });
});
