import fs from 'node:fs';
import path from 'node:path';
import type { Summary } from '../lib/results/summary';
import type { SecondRow } from '../lib/results/timeseries';
import type { K6Line } from '../runner/out-json';
import { CliResult, ROOT, runCli, tmpDir } from './helpers';

const scenario = path.join(ROOT, 'scenarios', 'connect-only.ts');
const FILES = ['summary.json', 'summary.txt', 'timeseries.ndjson', 'options.json', 'environment.json', 'report.html'];

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;
const ndjson = <T>(file: string): T[] => fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as T);
const sum = (rows: SecondRow[], k: keyof SecondRow): number => rows.reduce((n, r) => n + (r[k] as number), 0);

/**
 * One 4 s run (20 connections over 2 workers, 1 s ramp, a ping a second), with `--out json`; its
 * results folder is then read, rebuilt (`runner report`) and compared (`runner compare`).
 */
describe('the results folder of a run', () => {
  let r: CliResult;
  let s: Summary;
  let rows: SecondRow[];
  let k6File: string;

  beforeAll(async () => {
    k6File = path.join(tmpDir(), 'k6.ndjson');
    r = await runCli('runner', ['run', scenario, '--conns', '20', '--duration', '4s', '--ramp', '1s', '--ping-interval', '1s', '--workers', '2', '--out', `json=${k6File}`,
      // thresholds that do not depend on how busy the machine is
      '--threshold', 'connections.successRate >= 99%', '--threshold', 'heartbeat.pongRate >= 0.99', '--threshold', 'connections.failed == 0']);
    s = r.summary!;
    rows = ndjson<SecondRow>(path.join(r.outDir, 'timeseries.ndjson'));
  });

  test('holds every file, and summary.json / summary.txt are what the run exported and printed', () => {
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 }); // stderr shows in the diff when not 0
    for (const f of FILES) expect({ f, exists: fs.existsSync(path.join(r.outDir, f)) }).toEqual({ f, exists: true });
    expect(readJson(path.join(r.outDir, 'summary.json'))).toEqual(s);
    expect(fs.readFileSync(path.join(r.outDir, 'summary.txt'), 'utf8')).toBe(r.stdout);
    expect(readJson(path.join(r.outDir, 'options.json'))).toMatchObject({
      scenario: 'connect-only', pingIntervalMs: 1000,
      stages: [{ duration: '1000ms', target: 20 }, { duration: '3000ms' }],
    });
    const env = readJson<{ node: string; openFilesLimit: unknown; sysctls: Record<string, unknown> } & Record<string, unknown>>(path.join(r.outDir, 'environment.json'));
    expect(env.node).toBe(process.version);
    expect(typeof env.openFilesLimit).toBe('number');
    expect(Object.keys(env.sysctls)).toEqual(expect.arrayContaining(['net.core.somaxconn', 'net.ipv4.tcp_max_syn_backlog', 'net.ipv4.ip_local_port_range']));
    expect(s.health).toMatchObject({ successRate: 'excellent', pongRate: 'excellent' });
  });

  test('timeseries.ndjson: one line per second of the run, and the seconds add up to the summary', () => {
    // Workers report on whole seconds of the run's clock; the last report comes after the
    // connections are closed, in the second the run ended. So the lines are seconds 0..n-1 with no
    // gap, n-1 = floor(durationSec) (or one less when the run ended within milliseconds after a
    // whole second, before the coordinator stamped its end), and at least the 4 scheduled seconds
    // plus the closing one.
    expect(rows.map((x) => x.sec)).toEqual(rows.map((_, i) => i));
    const last = rows.length - 1;
    expect([Math.floor(s.durationSec) - 1, Math.floor(s.durationSec)]).toContain(last);
    expect(rows.length).toBeGreaterThanOrEqual(5);
    // every connect, ping and pong of the run is in exactly one second
    expect(sum(rows, 'connects')).toBe(s.connections.succeeded);
    expect(sum(rows, 'failures')).toBe(s.connections.failed);
    expect(sum(rows, 'disconnects')).toBe(s.connections.disconnected);
    expect(sum(rows, 'pings')).toBe(s.heartbeat.pingsSent);
    expect(sum(rows, 'pongs')).toBe(s.heartbeat.pongsReceived);
    expect(s.connections.succeeded).toBe(20);
    // the hold (seconds 1..3): all 20 open; after the run closed them: none
    expect(rows.slice(1, 4).map((x) => x.open)).toEqual([20, 20, 20]);
    expect(rows[last]!.open).toBe(0);
    for (const x of rows) expect(Object.keys(x)).toEqual(expect.arrayContaining(['cpuPct', 'loopDelayMs', 'connectP50', 'connectP99', 'msgsSent']));
  });

  test('--out json=FILE: k6 NDJSON, each metric declared before its points, one batch per second', () => {
    const lines = ndjson<K6Line>(k6File);
    const declared = new Map<string, string>();
    for (const l of lines) {
      if (l.type === 'Metric') declared.set(l.metric, l.data.type);
      else expect({ metric: l.metric, declared: declared.has(l.metric) }).toEqual({ metric: l.metric, declared: true });
    }
    expect(Object.fromEntries(declared)).toMatchObject({
      ws_connections_open: 'gauge', ws_sessions: 'counter', ws_connecting: 'trend', ws_pings_sent: 'counter', ws_pong_rate: 'rate', ws_ping: 'trend',
    });
    const points = (m: string): Array<Extract<K6Line, { type: 'Point' }>> => lines.filter((l): l is Extract<K6Line, { type: 'Point' }> => l.type === 'Point' && l.metric === m);
    expect(points('ws_connections_open').map((p) => [p.data.time, p.data.value])).toEqual(rows.map((x) => [x.time, x.open]));
    expect(points('ws_sessions').reduce((n, p) => n + p.data.value, 0)).toBe(s.connections.succeeded);
    expect(points('ws_pings_sent').reduce((n, p) => n + p.data.value, 0)).toBe(s.heartbeat.pingsSent);
    expect(points('ws_pong_rate').every((p) => p.data.value === 1)).toBe(true);
    expect(points('ws_connecting').map((p) => p.data.tags)).toContainEqual({ scenario: 'connect-only', agg: 'p99' });
  });

  test('runner report rebuilds report.html byte for byte from summary.json and timeseries.ndjson', async () => {
    const file = path.join(r.outDir, 'report.html');
    const original = fs.readFileSync(file, 'utf8');
    fs.rmSync(file);
    const rebuilt = await runCli('runner', ['report', r.outDir], { noExport: true });
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toBe(`report: ${path.resolve(file)}\n`);
    expect(fs.readFileSync(file, 'utf8')).toBe(original);
  });

  test('runner compare prints every figure of both runs with its change', async () => {
    const dirB = path.join(tmpDir(), 'b');
    fs.cpSync(r.outDir, dirB, { recursive: true });
    // B is a results folder edited by hand: without a raw record, compare reads its summary.json
    fs.rmSync(path.join(dirB, 'raw'), { recursive: true });
    const b = readJson<Summary>(path.join(dirB, 'summary.json'));
    b.connections.attempted = 40;
    b.connections.failed = 20;
    b.connectLatencyMs.p99 = s.connectLatencyMs.p99! * 2;
    b.connections.errors = { ECONNREFUSED: 20 };
    b.thresholds['connections.failed == 0'] = { ok: false, value: 20 };
    fs.writeFileSync(path.join(dirB, 'summary.json'), JSON.stringify(b));
    const c = await runCli('runner', ['compare', r.outDir, dirB], { noExport: true });
    expect(c.code).toBe(0);
    const lines = c.stdout.split('\n');
    const line = (figure: string): string[] => (lines.find((l) => l.startsWith(`${figure} `)) ?? '').trim().split(/\s{2,}/);
    expect(lines[0]).toBe(`A: ${r.outDir}  scenario connect-only  target ${s.target}  started ${s.startedAt}`);
    expect(line('connections.attempted')).toEqual(['connections.attempted', '20', '40', '+20', '+100.0%']);
    expect(line('connections.failed')).toEqual(['connections.failed', '0', '20', '+20', 'n/a']);
    expect(line('connections.succeeded')).toEqual(['connections.succeeded', '20', '20', '0', '0.0%']);
    expect(line('connectLatencyMs.p99')).toEqual(['connectLatencyMs.p99', String(s.connectLatencyMs.p99), String(b.connectLatencyMs.p99), `+${s.connectLatencyMs.p99}`, '+100.0%']);
    expect(line('connections.errors.ECONNREFUSED')).toEqual(['connections.errors.ECONNREFUSED', '-', '20', 'changed']);
    expect(line('health.successRate')).toEqual(['health.successRate', 'excellent', 'excellent']);
    // every numeric figure of the summary has its row
    for (const k of ['durationSec', 'connections.peak', 'connectLatencyMs.p50', 'heartbeat.pongRate', 'heartbeat.rttMs.p99', 'messages.sent', 'vus.started']) {
      expect({ k, row: line(k).length >= 3 }).toEqual({ k, row: true });
    }
    expect(line('connections.failed == 0')).toEqual(['connections.failed == 0', '✓ 0', '✗ 20']);
    expect(line('heartbeat.pongRate >= 0.99')).toEqual(['heartbeat.pongRate >= 0.99', '✓ 1', '✓ 1']);
  });

  test('runner compare and runner report derive a folder with a raw record from its records, not from summary.json', async () => {
    const dirC = path.join(tmpDir(), 'c');
    fs.cpSync(r.outDir, dirC, { recursive: true });
    fs.writeFileSync(path.join(dirC, 'summary.json'), JSON.stringify({ ...s, connections: { ...s.connections, attempted: 999 } }));
    const c = await runCli('runner', ['compare', r.outDir, dirC], { noExport: true });
    expect(c.code).toBe(0);
    const row = (c.stdout.split('\n').find((l) => l.startsWith('connections.attempted ')) ?? '').trim().split(/\s{2,}/);
    expect(row).toEqual(['connections.attempted', '20', '20', '0', '0.0%']);
    const rebuilt = await runCli('runner', ['report', dirC], { noExport: true });
    expect(rebuilt.code).toBe(0);
    expect(fs.readFileSync(path.join(dirC, 'report.html'), 'utf8')).toBe(fs.readFileSync(path.join(r.outDir, 'report.html'), 'utf8'));
  });

  test('report and compare on a folder that is not a results folder: one clear line, exit 1', async () => {
    const bad = await runCli('runner', ['report', '/nonexistent/run'], { noExport: true });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('results folder not found: /nonexistent/run (give a folder written by `runner run`, e.g. bench/results/20260101_120000)\n');
    const empty = tmpDir();
    const cmp = await runCli('runner', ['compare', r.outDir, empty], { noExport: true });
    expect(cmp.code).toBe(1);
    expect(cmp.stderr).toBe(`${path.join(empty, 'summary.json')} not found: give a results folder written by \`runner run\` (bench/results/YYYYMMDD_HHMMSS)\n`);
  });

  test('--out with anything but json=FILE: one clear line, exit 1', async () => {
    const bad = await runCli('runner', ['run', scenario, '--out', 'csv=x.csv'], { noExport: true });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('--out must be json=FILE, e.g. --out json=results.ndjson (got "csv=x.csv")\n');
  });
});
