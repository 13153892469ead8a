import fs from 'node:fs';
import path from 'node:path';
import { startFaultServer } from './fault-server';
import { badInputLine, ROOT, runCli, tmpDir, writeScenario } from './helpers';

/**
 * Per-VU identity: URL templates with `${vu}` and `${token}`, tokens from a file (VU i gets line
 * i mod n) or from a function of the scenario, headers and subprotocols, checked on the server side.
 */
const scenario = path.join(ROOT, 'scenarios', 'connect-only.ts');
const eight = ['--conns', '8', '--duration', '1500ms', '--ramp', '500ms'];
const dir = tmpDir('wsbench-auth-');
const tokensFile = path.join(dir, 'tokens.txt');
// line 3 is a token the server does not know: VUs 3 and 7 are refused
fs.writeFileSync(tokensFile, 'tok-a\ntok-b\n\ntok-c\nbad/token+1\n');
const valid = ['tok-a', 'tok-b', 'tok-c'];

const query = (url: string): URLSearchParams => new URL(url, 'http://x').searchParams;

describe('URL templates and tokens', () => {
  test('--tokens FILE with ${vu} and ${token} in the target: VU i sends line i mod n, URL-encoded', async () => {
    const server = await startFaultServer({ auth: { tokens: valid } });
    try {
      const r = await runCli('runner', ['run', scenario, ...eight, '--tokens', tokensFile, '--target', `${server.url}?uid=\${vu}&token=\${token}`]);
      const s = r.summary!;
      expect(s.connections).toMatchObject({ attempted: 8, succeeded: 6, failed: 2, errors: { 'HTTP 401': 2 } });
      expect(server.counts.unauthorized).toBe(2);
      const byUid = new Map(server.seen.map((x) => [query(x.url).get('uid'), query(x.url).get('token')]));
      const lines = ['tok-a', 'tok-b', 'tok-c', 'bad/token+1'];
      for (let vu = 0; vu < 8; vu++) expect(byUid.get(String(vu))).toBe(lines[vu % 4]);
      expect(server.seen.some((x) => x.url.includes('bad%2Ftoken%2B1'))).toBe(true);
      expect(s.target).toBe(`${server.url}?uid=\${vu}&token=\${token}`);
      expect(r.stdout).toContain('HTTP 401  → the server refused the credentials');
      // the tokens never reach the results folder
      const written = fs.readFileSync(path.join(r.outDir, 'options.json'), 'utf8');
      expect(written).not.toContain('tok-a');
      expect(written).toContain('<4 tokens, not written>');
    } finally {
      await server.close();
    }
  });

  test('--header with ${token} and --subprotocol on every connection', async () => {
    const server = await startFaultServer({ auth: { tokens: valid } });
    try {
      const r = await runCli('runner', [
        'run', scenario, ...eight, '--target', server.url, '--tokens', tokensFile,
        '--header', 'Authorization: Bearer ${token}', '--header', 'X-Client: wsbench-${vu}', '--subprotocol', 'im.v2', '--subprotocol', 'im.v1',
      ]);
      expect(r.summary!.connections).toMatchObject({ attempted: 8, succeeded: 6, errors: { 'HTTP 401': 2 } });
      expect(server.seen).toHaveLength(8);
      for (const x of server.seen) {
        const vu = Number(/wsbench-(\d+)/.exec(String(x.headers['x-client']))?.[1]);
        expect(x.headers.authorization).toBe(`Bearer ${['tok-a', 'tok-b', 'tok-c', 'bad/token+1'][vu % 4]}`);
        expect(x.headers['sec-websocket-protocol']).toBe('im.v2,im.v1');
      }
      expect(new Set(server.seen.map((x) => x.headers['x-client'])).size).toBe(8);
    } finally {
      await server.close();
    }
  });

  test('tokens and headers from functions of the scenario, and a per-call URL', async () => {
    const server = await startFaultServer({ auth: { tokens: ['t0', 't2', 't4', 't6'] } });
    try {
      const file = writeScenario(`import { hold, keepAlive, ramp } from 'wsbench';
export const options = {
  stages: [ramp('500ms', 8), hold('1s')],
  tokens: (vu) => 't' + vu,
  headers: (vu, token) => ({ Authorization: 'Bearer ' + token, 'X-Vu': String(vu) }),
};
export default function (vu) {
  keepAlive(vu, vu.connect(vu.options.target + '?uid=\${vu}'));
}
`);
      const r = await runCli('runner', ['run', file, '--target', server.url]);
      expect(r.summary!.connections).toMatchObject({ attempted: 8, succeeded: 4, failed: 4, errors: { 'HTTP 401': 4 } });
      for (const x of server.seen) {
        const vu = query(x.url).get('uid');
        expect(x.headers['x-vu']).toBe(vu);
        expect(x.headers.authorization).toBe(`Bearer t${vu}`);
      }
    } finally {
      await server.close();
    }
  });
});

describe('bad identity input: one line naming the flag and the accepted form', () => {
  const badInput = (args: string[]): Promise<string> => badInputLine('runner', ['run', ...args]);

  test('${token} without tokens', async () => {
    expect(await badInput([scenario, '--target', 'ws://127.0.0.1:1/ws?token=${token}'])).toBe(
      '--target uses ${token} but no tokens were given: pass --tokens FILE (one token per line) or set options.tokens',
    );
  });

  test('an unknown placeholder', async () => {
    expect(await badInput([scenario, '--target', 'ws://127.0.0.1:1/ws?u=${user}'])).toBe(
      '--target: unknown placeholder ${user} (the placeholders are ${vu} and ${token})',
    );
  });

  test('a tokens file that does not exist, or holds none', async () => {
    expect(await badInput([scenario, '--tokens', path.join(dir, 'nope.txt')])).toBe(
      `--tokens: cannot read ${path.join(dir, 'nope.txt')} (give a text file with one token per line)`,
    );
    const empty = path.join(dir, 'empty.txt');
    fs.writeFileSync(empty, '\n\n');
    expect(await badInput([scenario, '--tokens', empty])).toBe(`--tokens: ${empty} holds no tokens (give one token per line)`);
  });

  test('a header without a colon, and a subprotocol with a space', async () => {
    expect(await badInput([scenario, '--header', 'Authorization Bearer x'])).toBe(
      '--header must be "Name: value", like --header \'Authorization: Bearer ${token}\' (got "Authorization Bearer x")',
    );
    expect(await badInput([scenario, '--subprotocol', 'im v2'])).toMatch(/^--subprotocol must be a list of subprotocol names .* \(got \["im v2"\]\)$/);
  });
});
