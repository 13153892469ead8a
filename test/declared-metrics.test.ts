import fs from 'node:fs';
import path from 'node:path';
import { k6Own } from '../lib/k6/names';
import { readSummary, ROOT, runCli, spawnedBadInputLine, tmpDir } from './helpers';
import { K6Sandbox } from './k6-sandbox';
import { startServer, until } from './k6-bundle-helpers';

/**
 * Declared custom metrics (options.metrics, test/fixtures/declared-metrics.ts): each exists from the
 * start, so thresholds on a counter never added, a Requests' timeouts that never fired and a trend
 * with no sample judge 0 or "no data", and the run writes every output; a threshold on a name the
 * scenario does not declare is refused before the run; the k6 build declares exactly what is declared.
 */

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'declared-metrics.ts');
const nulls = { count: 0, min: null, max: null, avg: null, stddev: null, p50: null, p90: null, p95: null, p99: null };
const UNDECLARED = "metric undeclared_opens is recorded but not declared: add undeclared_opens: 'counter' to options.metrics (a k6 run refuses an undeclared metric)";
const thresholdLines = (stdout: string): string[] => stdout.split('\n').filter((l) => /^[✓✗–] /.test(l));

/** Every output of a run: summary.json, summary.txt, the time series, the report, and the --summary-export (r.summary). */
function expectEveryOutput(r: Awaited<ReturnType<typeof runCli>>): void {
  for (const f of ['summary.json', 'summary.txt', 'timeseries.ndjson', 'report.html', 'options.json']) expect(fs.existsSync(path.join(r.outDir, f))).toBe(true);
  expect(r.summary).toEqual(readSummary(r.outDir));
}

test('never added: a counter reads 0, a rate and a trend no data; the thresholds judge them, every output is written, exit 0', async () => {
  const r = await runCli('runner', ['run', FIXTURE]);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code).toBe(0);
  expectEveryOutput(r);
  const s = r.summary!;
  expect(s.connections).toMatchObject({ attempted: 2, succeeded: 2, failed: 0 });
  expect(s.metrics.app_errors).toBe(0);
  expect(s.metrics.echo_ms_timeouts).toBe(0);
  expect(s.metrics.login_ms).toEqual(nulls);
  expect(s.metrics.ok_rate).toBeNull();
  expect((s.metrics.echo_ms as { count: number }).count).toBe(2);
  // recorded without a declaration: still reported, with the line that says how to declare it
  expect(s.metrics.undeclared_opens).toBe(2);
  expect(s.runner.warnings).toContain(UNDECLARED);
  expect(s.thresholds).toEqual({
    'metrics.app_errors == 0': { ok: true, value: 0 },
    'metrics.echo_ms_timeouts == 0': { ok: true, value: 0 },
    'metrics.login_ms.p95 < 300': { ok: true, value: null },
    'metrics.ok_rate >= 0.9': { ok: true, value: null },
    'metrics.echo_ms.count == 2': { ok: true, value: 2 },
  });
  expect(thresholdLines(r.stdout)).toEqual([
    '✓ metrics.app_errors == 0   (0)',
    '✓ metrics.echo_ms_timeouts == 0   (0)',
    '– metrics.login_ms.p95 < 300   (no data)',
    '– metrics.ok_rate >= 0.9   (no data)',
    '✓ metrics.echo_ms.count == 2   (2)',
  ]);
  expect(r.stdout).toContain(`! ${UNDECLARED}`);
});

test('a crossed threshold on a never-added counter, and one that cannot be judged after the run: ✗ lines, every output written, exit 99', async () => {
  const r = await runCli('runner', ['run', FIXTURE, '--threshold', 'metrics.app_errors > 0', '--threshold', 'messages.nope > 0']);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code).toBe(99);
  expectEveryOutput(r);
  expect(r.summary?.thresholds).toEqual({
    'metrics.app_errors > 0': { ok: false, value: 0 },
    'messages.nope > 0': { ok: false, value: null, note: 'messages.nope is not a numeric field of the summary' },
  });
  expect(thresholdLines(r.stdout)).toEqual(['✗ metrics.app_errors > 0   (0)', '✗ messages.nope > 0   (not judged: messages.nope is not a numeric field of the summary)']);
  expect(fs.readFileSync(path.join(r.outDir, 'report.html'), 'utf8')).toContain('not judged: messages.nope is not a numeric field of the summary');
});

test('a threshold on a name the scenario does not declare, or on wsbench\'s own: refused before the run, one line, exit 1', async () => {
  expect(await spawnedBadInputLine('runner', ['run', FIXTURE, '--threshold', 'metrics.app_errorz == 0'])).toBe(
    'threshold "metrics.app_errorz == 0": app_errorz is not declared: declare it in the scenario\'s options.metrics, e.g. metrics: { app_errorz: \'counter\' } (declared: app_errors, login_ms, ok_rate, echo_ms, echo_ms_timeouts)',
  );
  expect(await spawnedBadInputLine('runner', ['run', FIXTURE, '--threshold', 'metrics.ws_connect_attempts > 0'])).toBe(
    'threshold "metrics.ws_connect_attempts > 0": ws_connect_attempts is wsbench\'s own metric, not under metrics: its figure is connections.attempted',
  );
  expect(await spawnedBadInputLine('runner', ['run', FIXTURE, '--threshold', 'metrics.app_errors.p99 < 1'])).toBe(
    'threshold "metrics.app_errors.p99 < 1": metrics.app_errors.p99 is not a numeric field of the summary (e.g. connectLatencyMs.p99, connections.successRate, heartbeat.pongRate, disconnectWaves.max.recovery99Sec)',
  );
});

test('the k6 build declares exactly the declared names (with lib/k6\'s own), maps their thresholds, and refuses an undeclared one at its first use', async () => {
  const out = tmpDir();
  const b = await runCli('runner', ['build', FIXTURE, '--out-dir', out], { noExport: true, cwd: ROOT });
  expect(b.stderr).toBe('');
  expect(b.code).toBe(0);
  const server = await startServer();
  const sb = K6Sandbox.load(path.join(out, 'declared-metrics.js'), { env: { TARGET: server.url } });
  try {
    const own = new Set(k6Own().map((d) => d.name));
    const reconnect = ['ws_reconnects', 'ws_reconnect_failures', 'ws_reconnect_downtime', 'ws_reconnect_connecting']; // keepAlive reaches lib/helpers/reconnect.ts
    expect(sb.declared.filter((d) => !own.has(d.name) && !reconnect.includes(d.name))).toEqual([
      { name: 'app_errors', type: 'Counter', isTime: false },
      { name: 'login_ms', type: 'Trend', isTime: true },
      { name: 'ok_rate', type: 'Rate', isTime: false },
      { name: 'echo_ms', type: 'Trend', isTime: true },
      { name: 'echo_ms_timeouts', type: 'Counter', isTime: false },
    ]);
    expect((sb.exports.options as { thresholds: unknown }).thresholds).toEqual({
      app_errors: ['count==0'], echo_ms_timeouts: ['count==0'], login_ms: ['p(95)<300'], ok_rate: ['rate>=0.9'],
    });
    sb.iteration(1);
    await until(() => sb.logs.some((l) => l.includes('undeclared_opens')), 'the open listener');
    const errors = sb.logs.filter((l) => l.startsWith('error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^error: scenario error: metric undeclared_opens is not declared: add undeclared_opens: 'counter' to the scenario's options\.metrics and build again \(k6 creates metrics only in its init context\)( \(.*\))?$/);
    expect(sb.count('vus_failed')).toBe(1);
  } finally {
    sb.destroy();
    await server.close();
  }
});
