import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createHistogram, Histogram, latencyStats, recordMs } from '../lib/metrics/histogram';
import type { Summary } from '../lib/results/summary';
import { DEFAULT_THRESHOLDS } from '../lib/results/thresholds';
import { ImServer, ServerStats, startImServer } from '../server/server';
import { findK6, runK6 } from './k6-binary';
import { readSummary, ROOT, runCli, tmpDir } from './helpers';

/**
 * `runner report --k6 FILE` on a real k6 run (docs/k6.md, "wsbench's report for a k6 run"): the
 * connect-only bundle on k6, 30 VUs (2 s ramp, 4 s hold, pings every 1 s) against the embedded
 * server; the rebuilt summary against k6's own end-of-test summary, the server's own counts, and
 * HDR histograms of the raw samples; the same from the gzipped file; compare and report on the folder.
 */
const k6 = findK6();
if (!k6) console.log('report-k6.test.ts: skipped, no k6 binary (set WSBENCH_K6 to a k6 binary or a folder of k6-vX.Y.Z, or put k6 on PATH)');
const maybe = k6 ? test : test.skip;

const OUT = tmpDir('wsbench-report-k6-');
const SAMPLES = path.join(OUT, 'connect-only.json');
interface K6Export { metrics: Record<string, { count?: number; passes?: number; fails?: number } | undefined> }
let server: ImServer;
let stats: ServerStats;
let exported: K6Export;
let rebuilt: { code: number | null; summary: Summary; stderr: string };

interface Line { type: string; metric: string; data: { time: string; value: number; tags: Record<string, string> | null } }
const samples = (): Line[] => fs.readFileSync(SAMPLES, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Line).filter((l) => l.type === 'Point');
const count = (name: string): number => exported.metrics[name]?.count ?? 0;

async function reportOf(file: string, dir: string): Promise<{ code: number | null; summary: Summary; stderr: string }> {
  const r = await runCli('runner', ['report', '--k6', file, '--out-dir', dir], { noExport: true });
  return { code: r.code, summary: readSummary(dir), stderr: r.stderr };
}

beforeAll(async () => {
  if (!k6) return;
  const build = await runCli('runner', ['build', 'scenarios/connect-only.ts', '--out-dir', OUT, ...(k6.legacy ? ['--k6-legacy'] : [])], { noExport: true, cwd: ROOT });
  expect(build.code).toBe(0);
  server = await startImServer({ port: 0 });
  const exportFile = path.join(OUT, 'k6-summary.json');
  const run = await runK6(k6, [
    'run', path.join(OUT, 'connect-only.js'), '-e', `TARGET=${server.url}`, '-e', 'PING_INTERVAL=1s',
    '--stage', '2s:30', '--stage', '4s:30', '--out', `json=${SAMPLES}`, '--summary-export', exportFile, '--quiet', '--no-color',
  ], OUT);
  // k6's own verdict (its thresholds mapped by runner build) may cross a latency threshold on a busy machine
  expect([0, 99]).toContain(run.code);
  stats = server.stats();
  exported = JSON.parse(fs.readFileSync(exportFile, 'utf8')) as K6Export;
  rebuilt = await reportOf(SAMPLES, path.join(OUT, 'results'));
});

afterAll(async () => {
  await server?.close();
});

maybe('the counts are k6\'s own end-of-test summary\'s and the server\'s', () => {
  const s = rebuilt.summary;
  expect(rebuilt.stderr).toBe(`results: ${path.join(OUT, 'results')}\n`);
  expect(rebuilt.code).toBe(Object.values(s.thresholds).every((t) => t.ok) ? 0 : 99);
  expect(Object.keys(s.thresholds)).toEqual(DEFAULT_THRESHOLDS);
  expect(s.connections.attempted).toBe(count('ws_connect_attempts'));
  expect(s.connections.attempted).toBe(count('ws_sessions')); // k6 counts every dial in ws_sessions
  expect(s.connections.succeeded).toBe(exported.metrics.ws_connect_success?.passes);
  expect(s.connections.succeeded).toBe(stats.accepted);
  expect(s.connections.failed).toBe(count('ws_connect_errors'));
  expect(s.connections.failed).toBe(0);
  expect(s.connections.errors).toEqual({});
  expect(s.connections.disconnected).toBe(count('ws_disconnects'));
  expect(s.heartbeat.pingsSent).toBe(count('ws_pings_sent'));
  expect(s.heartbeat.pingsSent).toBe(stats.pings);
  expect(s.heartbeat.pongsReceived).toBe(count('ws_pongs_received'));
  expect(s.heartbeat.pongRate).toBe(Math.round((exported.metrics.ws_pong_rate!.passes! / s.heartbeat.pingsSent) * 10_000) / 10_000);
  expect(s.messages.frames).toEqual({ sent: count('ws_msgs_sent'), received: count('ws_msgs_received') });
  expect(s.vus.started).toBe(count('iterations'));
  expect(s.runner.workers).toEqual([]);
  expect(s.runner.warnings.every((w) => w.startsWith('rebuilt from k6 samples: '))).toBe(true);
});

maybe('open connections: each of the 30 VUs held one at once, and all closed at the end; no wave', () => {
  const s = rebuilt.summary;
  expect(s.connections.peak).toBe(30);
  expect(s.connections.final).toBe(0);
  expect(stats.closed).toBe(stats.accepted);
  expect(s.disconnectWaves).toEqual([]);
});

maybe('the percentiles are those of HDR histograms of the raw samples', () => {
  const connecting = createHistogram();
  const ping = createHistogram();
  const into = (h: Histogram, l: Line): void => recordMs(h, l.data.value);
  for (const l of samples()) {
    if (l.metric === 'ws_connecting' && l.data.tags?.status === '101') into(connecting, l);
    if (l.metric === 'ws_ping') into(ping, l);
  }
  expect(connecting.totalCount).toBe(rebuilt.summary.connections.succeeded);
  expect(rebuilt.summary.connectLatencyMs).toEqual(latencyStats(connecting));
  expect(rebuilt.summary.heartbeat.rttMs).toEqual(latencyStats(ping));
});

maybe('the time series adds up to the totals', () => {
  const rows = fs.readFileSync(path.join(OUT, 'results', 'timeseries.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
  const sum = (k: string): number => rows.reduce((n, r) => n + (r[k] ?? 0), 0);
  expect(rows.map((r) => r.sec)).toEqual(rows.map((_, i) => i));
  expect(sum('connects')).toBe(rebuilt.summary.connections.succeeded);
  expect(sum('pings')).toBe(rebuilt.summary.heartbeat.pingsSent);
  expect(Math.max(...rows.map((r) => r.open ?? 0))).toBeLessThanOrEqual(30);
});

maybe('the gzipped file gives the identical summary; report and compare read the folder', async () => {
  const gz = `${SAMPLES}.gz`;
  fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(SAMPLES)));
  const again = await reportOf(gz, path.join(OUT, 'results-gz'));
  expect(again.code).toBe(rebuilt.code);
  expect(again.summary).toEqual(rebuilt.summary);
  const ts = (d: string): string => fs.readFileSync(path.join(OUT, d, 'timeseries.ndjson'), 'utf8');
  expect(ts('results-gz')).toBe(ts('results'));
  const rep = await runCli('runner', ['report', path.join(OUT, 'results')], { noExport: true });
  expect(rep.code).toBe(0);
  const cmp = await runCli('runner', ['compare', path.join(OUT, 'results'), path.join(OUT, 'results-gz')], { noExport: true });
  expect(cmp.code).toBe(0);
  const row = cmp.stdout.split('\n').find((l) => l.startsWith('connections.succeeded'));
  expect(row?.split(/\s+/).slice(0, 3)).toEqual(['connections.succeeded', String(stats.accepted), String(stats.accepted)]);
});
