import path from 'node:path';
import { startFaultServer } from './fault-server';
import { badInputLine, ROOT, runCli, writeScenario } from './helpers';

/**
 * A scenario that throws in a VU: its own error, with its file and line, is printed once; the VU
 * counts as failed (`vus.failed`, and a `scenario error: ...` class); the other VUs and the run go on.
 * Scenario options with a wrong form fail before the run, naming the option and the form.
 */
const opts = "export const options = { stages: [ramp('500ms', 20), hold('1s')] };";

describe('a scenario that throws in a VU', () => {
  test('synchronously in every 5th VU: 4 VUs failed, the other 16 connected', async () => {
    const file = writeScenario(`import { hold, keepAlive, ramp } from 'wsbench';
${opts}
export default function (vu) {
  if (vu.id % 5 === 0) throw new Error('no room for VU ' + (vu.id % 5));
  keepAlive(vu);
}
`, 'throws-in-vu.ts');
    const r = await runCli('runner', ['run', file]);
    const s = r.summary!;
    const cls = `scenario error: no room for VU 0 (${file}:4)`;
    expect(s.vus).toEqual({ started: 20, failed: 4 });
    expect(s.connections).toMatchObject({ attempted: 16, succeeded: 16, failed: 0, final: 16 });
    expect(s.connections.errors).toEqual({ [cls]: 4 });
    expect(r.stderr.split('\n').filter((l) => l === cls)).toHaveLength(1); // printed once, not 4 times
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toContain(`4  ${cls}  → the scenario threw: fix the error named above`);
  });

  test('errors that differ per VU: the first 20 printed and kept as classes, the rest counted together', async () => {
    const file = writeScenario(`import { hold, ramp } from 'wsbench';
export const options = { stages: [ramp('500ms', 30), hold('500ms')] };
export default function (vu) { throw new Error('VU ' + vu.id + ' has no token'); }
`, 'distinct.ts');
    const r = await runCli('runner', ['run', file, '--workers', '1']);
    const s = r.summary!;
    expect(s.vus).toEqual({ started: 30, failed: 30 });
    const errors = Object.entries(s.connections.errors);
    expect(errors).toHaveLength(21);
    expect(s.connections.errors['scenario error: other messages (only the first 20 distinct ones are printed)']).toBe(10);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('scenario error: VU '))).toHaveLength(20);
  });

  test('in a message listener: each VU counts once as failed, its connection stays open', async () => {
    const server = await startFaultServer({ sendOnOpen: 'hello' });
    try {
      const file = writeScenario(`import { hold, keepAlive, ramp } from 'wsbench';
${opts}
export default function (vu) {
  const s = keepAlive(vu);
  s.addEventListener('message', (e) => { JSON.parse(e.data); });
}
`, 'throws-in-listener.ts');
      const r = await runCli('runner', ['run', file, '--target', server.url]);
      const s = r.summary!;
      expect(s.vus).toEqual({ started: 20, failed: 20 });
      expect(s.connections).toMatchObject({ attempted: 20, succeeded: 20, disconnected: 0, final: 20 });
      const [cls, n] = Object.entries(s.connections.errors)[0] ?? [];
      expect(n).toBe(20);
      expect(cls).toMatch(new RegExp(`^scenario error: Unexpected token .*\\(${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:5\\)$`));
    } finally {
      await server.close();
    }
  });

  test('an async VU function that rejects after connecting', async () => {
    const file = writeScenario(`import { hold, keepAlive, ramp } from 'wsbench';
${opts}
export default async function (vu) {
  keepAlive(vu);
  await new Promise((r) => vu.setTimeout(r, 100));
  if (vu.id < 3) throw new TypeError('late failure');
}
`, 'rejects.ts');
    const r = await runCli('runner', ['run', file]);
    const s = r.summary!;
    expect(s.vus).toEqual({ started: 20, failed: 3 });
    expect(s.connections).toMatchObject({ succeeded: 20, final: 20 });
    expect(s.connections.errors).toEqual({ [`scenario error: late failure (${file}:6)`]: 3 });
  });
});

test('a connection the scenario asks for wrongly is a failed attempt of its own class, not an exception', async () => {
  const file = writeScenario(`import { hold, keepAlive, ramp } from 'wsbench';
${opts}
export default function (vu) {
  keepAlive(vu, vu.id % 2 ? vu.connect(vu.options.target + '#frag') : vu.connect(undefined, { protocols: ['a b'] }));
}
`, 'bad-connect.ts');
  const r = await runCli('runner', ['run', file]);
  const s = r.summary!;
  expect(s.vus).toEqual({ started: 20, failed: 0 });
  expect(s.connections).toMatchObject({
    attempted: 20, succeeded: 0, failed: 20,
    errors: { 'invalid request: The URL contains a fragment identifier': 10, 'invalid request: An invalid or duplicated subprotocol was specified': 10 },
  });
});

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
    const r = await runCli('runner', ['run', path.join(ROOT, 'scenarios', 'connect-only.ts'), '--target', ''], { noExport: true });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('--target must be a ws:// or wss:// URL like ws://127.0.0.1:30084/ws (got "")');
  });

  test('--handshake-timeout 2x', async () => {
    const r = await runCli('runner', ['run', path.join(ROOT, 'scenarios', 'connect-only.ts'), '--handshake-timeout', '2x'], { noExport: true });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('--handshake-timeout must be a duration like "30s", "1m30s" or "500ms" (got "2x")');
  });
});
