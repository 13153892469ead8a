import path from 'node:path';
import { ImServer, startImServer } from '../server/server';
import { destroyRun, K6RunResult, runK6 } from './k6-double/executor';
import { ROOT, runCli, tmpDir } from './helpers';

/**
 * `vu.onStop` on both engines: 20 VUs, each sends one frame from its onStop callback and nothing
 * else (no pings), so the embedded server's own count of frames in is the number of callbacks that
 * ran before the runner closed the sockets with 1000.
 */
const FIXTURE = path.join('test', 'fixtures', 'on-stop', 'goodbye.ts');
const VUS = 20;

describe('vu.onStop: a goodbye frame before the close', () => {
  let server: ImServer;
  let r: K6RunResult | undefined;
  beforeEach(async () => {
    server = await startImServer({ port: 0 });
  });
  afterEach(async () => {
    if (r) destroyRun(r);
    r = undefined;
    await server.close();
  });

  test('runner run: each VU\'s callback ran once, its frame reached the server before the close', async () => {
    const run = await runCli('runner', ['run', FIXTURE, '--target', server.url, '--ping-interval', '1h', '--quiet'], { cwd: ROOT });
    expect({ code: run.code, error: run.stderr.match(/error|\n\s+at /) }).toEqual({ code: 0, error: null });
    expect(server.stats().accepted).toBe(VUS);
    expect(server.stats().framesIn).toBe(VUS);
    expect(run.summary?.connections.disconnected).toBe(0);
  });

  test('the k6 bundle under the k6 double: the same', async () => {
    const out = tmpDir('wsbench-on-stop-');
    const b = await runCli('runner', ['build', FIXTURE, '--target', 'k6', '--out-dir', out], { noExport: true, cwd: ROOT });
    expect(b.code).toBe(0);
    r = await runK6(path.join(out, 'goodbye.js'), { env: { TARGET: server.url, PING_INTERVAL: '1h' } });
    expect(server.stats().accepted).toBe(VUS);
    expect(server.stats().framesIn).toBe(VUS);
    expect(r.sockets.reduce((n, s) => n + s.sent, 0)).toBe(VUS);
  });
});
