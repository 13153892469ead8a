import fs from 'node:fs';
import path from 'node:path';
import type { Summary } from '../lib/results/summary';
import type { SecondRow } from '../lib/results/timeseries';
import { ImServer, startImServer } from '../server/server';
import { CONNECT_ONLY, readSummary, runCli, tmpDir } from './helpers';
import { until } from './storm';

/**
 * Merge exactness under a server restart: the same load of 300 reconnecting VUs runs whole, split
 * into 2 segments and split into 3, all at once against one embedded server in this process. One
 * restart (close 1001, 503 for 1 s) drops all 900. The backoff has no jitter: the first retry
 * comes 500 ms after a VU's drop (refused while the server is down), the next 1 s later.
 * Each merged run must show the same disconnect wave and counts as the whole run, by the server's
 * own counts, and a time series that carries the machine's CPU.
 */
const CONNS = 300;
const RUNS = 1 + 2 + 3;
const DOWN_MS = 1000;
const ARGS = [
  '--conns', String(CONNS), '--ramp', '2s', '--duration', '300s', '--ping-interval', '5s',
  '--reconnect', '--reconnect-initial', '500ms', '--reconnect-max', '2s', '--reconnect-jitter', '0',
];

describe('runner merge of segments across a server restart', () => {
  let server: ImServer;
  let whole: Summary;
  const merged: Array<{ s: Summary; rows: SecondRow[]; parts: Summary[] }> = [];
  let dropped = 0;

  beforeAll(async () => {
    server = await startImServer({ port: 0 });
    const pids: number[] = [];
    const shares = [undefined, '0/2', '1/2', '0/3', '1/3', '2/3'];
    const runs = shares.map((seg) =>
      runCli('runner', ['run', CONNECT_ONLY, '--target', server.url, ...ARGS, ...(seg ? ['--segment', seg] : [])], { onSpawn: (p) => pids.push(p) }),
    );
    const all = RUNS / 2 * CONNS; // each split of the load opens CONNS connections: 3 x 300
    await until(() => server.stats().open === all && server.stats().accepted >= all);
    dropped = await server.restart('going-away', DOWN_MS);
    await until(() => server.stats().open === all && server.stats().accepted >= 2 * all);
    for (const pid of pids) process.kill(pid, 'SIGINT');
    const done = await Promise.all(runs);
    for (const r of done) expect({ code: r.code, stderr: r.stderr.match(/\n\s+at /) }).toEqual({ code: 130, stderr: null });
    whole = done[0]?.summary as Summary;
    for (const group of [done.slice(1, 3), done.slice(3)]) {
      const out = path.join(tmpDir(), 'merged');
      const m = await runCli('runner', ['merge', ...group.map((r) => r.outDir), '--out', out], { noExport: true });
      expect(m.code).toBe(130); // interrupted segments make an interrupted run
      const rows = fs.readFileSync(path.join(out, 'timeseries.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SecondRow);
      merged.push({ s: readSummary(out), rows, parts: group.map((r) => r.summary as Summary) });
    }
  });
  afterAll(() => server?.close());

  test('the server dropped every connection of the three loads once', () => {
    expect(dropped).toBe(3 * CONNS);
    expect(server.stats().restartDropped).toBe(3 * CONNS);
  });

  test('2 and 3 merged segments give the whole run\'s disconnect wave: dropped, classes, recovered', () => {
    for (const s of [whole, ...merged.map((m) => m.s)]) {
      expect(s.disconnectWaves).toHaveLength(1);
      const w = s.disconnectWaves[0]!;
      expect({ dropped: w.dropped, classes: w.classes, recovered: w.recovered }).toEqual({ dropped: CONNS, classes: { 'close 1001': CONNS }, recovered: CONNS });
      expect(w.attempts).toBe(w.recovered! + w.failures!);
      expect(w.reconnectLatencyMs!.count).toBe(CONNS);
    }
    const waves = [whole, ...merged.map((m) => m.s)].map((s) => s.disconnectWaves[0]!);
    // every refused attempt of the three loads is the server's own 503
    expect(waves.reduce((n, w) => n + w.failures!, 0)).toBe(server.stats().refused);
  });

  test('recovery percentiles: no VU back before its first retry; a merged percentile lies between its segments\' own', () => {
    const p = (s: Summary) => s.disconnectWaves[0]!.recoverySec!;
    for (const s of [whole, ...merged.map((m) => m.s)]) {
      // the first retry comes 500 ms after the drop (no jitter): no VU is back before it
      expect(p(s).p50!).toBeGreaterThanOrEqual(0.5);
      expect(p(s).p50!).toBeLessThanOrEqual(p(s).p99!);
    }
    // a quantile of the union of samples lies between the parts' own quantiles: exact whatever the
    // machine's load (each segment's drops and retries are timed by that segment alone)
    for (const m of merged) {
      for (const q of ['p50', 'p99'] as const) {
        const parts = m.parts.map((s) => p(s)[q]!);
        expect(p(m.s)[q]!).toBeGreaterThanOrEqual(Math.min(...parts));
        expect(p(m.s)[q]!).toBeLessThanOrEqual(Math.max(...parts));
      }
    }
  });

  test('merged counts equal the whole run\'s; the merged time series adds up and carries the machine\'s CPU', () => {
    for (const { s, rows } of merged) {
      expect(s.connections.succeeded).toBe(2 * CONNS);
      expect(whole.connections.succeeded).toBe(2 * CONNS);
      expect(s.connections.disconnected).toBe(whole.connections.disconnected);
      expect(s.connections.disconnectReasons).toEqual(whole.connections.disconnectReasons);
      expect(s.connections.attempted).toBe(CONNS + s.connections.reconnects);
      expect(rows.reduce((n, r) => n + r.connects, 0)).toBe(s.connections.succeeded);
      expect(rows.reduce((n, r) => n + r.disconnects, 0)).toBe(s.connections.disconnected);
      expect(rows.reduce((n, r) => n + (r.recovered ?? 0), 0)).toBe(CONNS);
      expect(rows.some((r) => r.machineCpuPct > 0)).toBe(true);
    }
    const sumOf = (f: (s: Summary) => number): number => [whole, ...merged.map((m) => m.s)].reduce((n, s) => n + f(s), 0);
    expect(sumOf((s) => s.connections.succeeded)).toBe(server.stats().accepted);
  });
});
