import fs from 'node:fs';
import path from 'node:path';
import { startImServer } from '../server/server';
import { badInputLine, CONNECT_ONLY, runCli, tmpDir, writeScenario } from './helpers';

/**
 * Secrets never leave a run: a distinctive secret in every place one can be given (userinfo, the
 * token, access_token and auth query values, --tokens, credential headers), and a scenario error
 * that quotes them; then every byte the run printed or wrote is searched for it.
 */
const MARK = 'S3CR3T';
const SCENARIO = `
import { hold, keepAlive, ramp, VuContext } from 'wsbench';
export const options = { stages: [ramp('1s', 20), hold('2s')], pingInterval: '1s' };
export default function (vu: VuContext): void {
  keepAlive(vu);
  if (vu.id === 0) throw new Error('leaked ' + (vu.options.tokens ?? [])[0] + ' via ' + vu.options.target);
}
`;

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

test('no secret reaches stdout, stderr, the results folder, the summary export or --out json', async () => {
  const server = await startImServer({ port: 0 });
  const dir = tmpDir('wsbench-secrets-');
  try {
    const tokens = path.join(dir, 'tokens.txt');
    fs.writeFileSync(tokens, `TOKEN-${MARK}-A1\nTOKEN-${MARK}-B2\n`);
    const target = `ws://USER-${MARK}:PASS-${MARK}@127.0.0.1:${server.port}/ws?uid=\${vu}&token=\${token}&access_token=ACCESS-${MARK}&auth=AUTH-${MARK}`;
    const out = { results: path.join(dir, 'results'), exported: path.join(dir, 'export.json'), json: path.join(dir, 'points.ndjson') };
    const r = await runCli('runner', [
      'run', writeScenario(SCENARIO, 'leaky.ts'), '--target', target, '--tokens', tokens,
      '--header', `Authorization: Bearer HEADER-${MARK}`, '--header', `X-Api-Key: APIKEY-${MARK}`,
      '--out-dir', out.results, '--summary-export', out.exported, '--out', `json=${out.json}`,
    ], { noExport: true, cwd: dir });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const s = JSON.parse(fs.readFileSync(out.exported, 'utf8'));
    // the secrets were really used: every VU connected with them, and the scenario error quoted them
    expect(s.connections.succeeded).toBe(20);
    expect(s.target).toBe(`ws://***@127.0.0.1:${server.port}/ws?uid=\${vu}&token=\${token}&access_token=***&auth=***`);
    expect(Object.keys(s.connections.errors)).toEqual([expect.stringMatching(/^scenario error: leaked \*\*\* via ws:\/\/\*\*\*/)]);
    expect(r.stderr).toMatch(/scenario error: leaked \*\*\* via/);
    expect(r.stderr).toMatch(/stage \d\/\d/); // live progress was printed

    const written = [...filesUnder(out.results), out.exported, out.json];
    expect(written.map((f) => path.basename(f))).toEqual(expect.arrayContaining(['summary.json', 'summary.txt', 'options.json', 'report.html', 'timeseries.ndjson', 'totals.json', 'seconds.ndjson']));
    const leaks = [...written.map((f) => [f, fs.readFileSync(f, 'latin1')]), ['stdout', r.stdout], ['stderr', r.stderr]]
      .filter(([, text]) => (text as string).includes(MARK))
      .map(([where, text]) => `${where}: ${(text as string).slice(Math.max(0, (text as string).indexOf(MARK) - 60), (text as string).indexOf(MARK) + 20)}`);
    expect(leaks).toEqual([]);
    const options = JSON.parse(fs.readFileSync(path.join(out.results, 'options.json'), 'utf8'));
    expect(options.headers).toEqual({ Authorization: '***', 'X-Api-Key': '***' });
  } finally {
    await server.close();
  }
});

test('a bad target is echoed masked in the error line', async () => {
  const line = await badInputLine('runner', ['run', CONNECT_ONLY, '--target', `http://U-${MARK}:P-${MARK}@127.0.0.1/ws?token=T-${MARK}&x=1`]);
  expect(line).toBe('--target must be a ws:// or wss:// URL like ws://127.0.0.1:30084/ws (got "http://***@127.0.0.1/ws?token=***&x=1")');
});
