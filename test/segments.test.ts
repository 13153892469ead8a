import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { createHistogram, latencyStats, LatencyStats, mergeEncoded, recordMs } from '../lib/metrics/histogram';
import { M } from '../lib/core/metric-names';
import { Registry } from '../lib/metrics/registry';
import type { Summary } from '../lib/results/summary';
import type { SecondRow } from '../lib/results/timeseries';
import { alignRecords, SecondRecord } from '../lib/results/record';
import { rowOf } from '../lib/results/timeseries';
import { mergeSegments, Segment } from '../runner/merge';
import { readRaw } from '../runner/raw';
import type { ResolvedOptions } from '../lib/scenario/types';
import { readSummary, runCli, tmpDir, writeScenario } from './helpers';

/**
 * A known value per VU, recorded by the scenario into the trend `probe_ms`: segment k (VUs
 * k, k+3, ...) holds only values from its own band, so percentiles averaged over segments would be
 * far from those of the union, while an exact merge gives the union's.
 */
const PROBE = '(id % 3) * 100 + Math.floor(id / 3) * 0.7 + 1';
// the same text the scenario runs
const probeMs = new Function('id', `return ${PROBE};`) as (id: number) => number;
const VUS = 90;
/** The test server holds back the upgrade of every 10th user (uid 9, 19, ...) by this long (far above any loopback connect). */
const DELAY_MS = 1000;

const SCENARIO = `
import { hold, keepAlive, ramp, ScenarioOptions, VuContext } from 'wsbench';
export const options: ScenarioOptions = { stages: [ramp('1s', ${VUS}), hold('4s')], pingInterval: '1s', metrics: { probe_ms: 'trend' }, thresholds: ['connections.successRate >= 1'] };
const probeMs = (id: number): number => ${PROBE};
export default function (vu: VuContext): void {
  const s = keepAlive(vu, vu.connect(vu.options.target + '?uid=' + vu.id));
  s.addEventListener('open', () => vu.trend('probe_ms').add(probeMs(vu.id)));
}
`;

function statsOfValues(values: number[]): LatencyStats {
  const h = createHistogram();
  for (const v of values) recordMs(h, v);
  const s = latencyStats(h);
  h.destroy();
  return s;
}

/** One shared target for every generator: delays the upgrade of users whose uid ends in 9. */
function startDelayServer(): Promise<{ url: string; accepted: () => number; close: () => Promise<void> }> {
  let accepted = 0;
  const server = http.createServer((_q, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server.on('upgrade', (req, socket, head) => {
    const uid = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('uid'));
    const accept = (): void => {
      wss.handleUpgrade(req, socket, head, (ws) => {
        accepted++;
        ws.on('error', () => undefined);
      });
    };
    if (uid % 10 === 9) setTimeout(accept, DELAY_MS);
    else accept();
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `ws://127.0.0.1:${port}/ws`,
        accepted: () => accepted,
        close: () =>
          new Promise((done) => {
            for (const c of wss.clients) c.terminate();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

describe('a run split into 3 segments (3 processes, one shared server) and merged', () => {
  let server: Awaited<ReturnType<typeof startDelayServer>>;
  let segDirs: string[];
  let segSummaries: Summary[];
  let merged: Summary;
  let mergedRows: SecondRow[];
  let mergeCode: number | null;
  let mergedDir: string;
  let whole: Summary;

  beforeAll(async () => {
    server = await startDelayServer();
    const scenario = writeScenario(SCENARIO, 'probe.ts');
    const runs = await Promise.all([0, 1, 2].map((i) => runCli('runner', ['run', scenario, '--target', server.url, '--segment', `${i}/3`])));
    for (const r of runs) expect(r.code).toBe(0);
    segDirs = runs.map((r) => r.outDir);
    segSummaries = runs.map((r) => r.summary as Summary);
    mergedDir = path.join(tmpDir(), 'merged');
    const m = await runCli('runner', ['merge', ...segDirs, '--out', mergedDir], { noExport: true });
    mergeCode = m.code;
    merged = readSummary(mergedDir);
    mergedRows = fs.readFileSync(path.join(mergedDir, 'timeseries.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SecondRow);
    const w = await runCli('runner', ['run', scenario, '--target', server.url]);
    expect(w.code).toBe(0);
    whole = w.summary as Summary;
  });
  afterAll(() => server?.close());

  test('each segment runs every third VU: 30 of 90, and records its segment in raw/totals.json', () => {
    expect(segSummaries.map((s) => s.connections.attempted)).toEqual([30, 30, 30]);
    expect(segDirs.map((d) => readRaw(d).totals.segment)).toEqual([0, 1, 2].map((index) => ({ index, count: 3 })));
    expect(new Set(segDirs.map((d) => readRaw(d).totals.optionsHash)).size).toBe(1);
  });

  test('merged counts equal one unsplit run of the same scenario', () => {
    expect(mergeCode).toBe(0);
    expect(merged.connections).toMatchObject({ attempted: VUS, succeeded: VUS, failed: 0, final: VUS, peak: VUS });
    expect(whole.connections).toMatchObject({ attempted: VUS, succeeded: VUS, failed: 0, final: VUS, peak: VUS });
    expect(merged.vus).toEqual(whole.vus);
    expect(server.accepted()).toBe(2 * VUS);
  });

  test('merged percentiles of a known per-VU value equal those of the union of all 90 values, and of the unsplit run', () => {
    const union = statsOfValues(Array.from({ length: VUS }, (_, id) => probeMs(id)));
    expect(merged.metrics.probe_ms).toEqual(union);
    expect(whole.metrics.probe_ms).toEqual(union);
    // the test can tell an exact merge from averaged percentiles: the segments' p90s average far from the union's
    const avgP90 = segSummaries.reduce((n, s) => n + (s.metrics.probe_ms as LatencyStats).p90, 0) / 3;
    expect(Math.abs(avgP90 - union.p90)).toBeGreaterThan(50);
  });

  test('merged connect latency is the union of the segments\' histograms: 9 of 90 upgrades held 1 s put p90 below and p95 above', () => {
    const h = mergeEncoded(segDirs.flatMap((d) => readRaw(d).seconds.flatMap((r) => r.interval.trends[M.connecting] ?? [])));
    const union = latencyStats(h);
    h.destroy();
    expect(merged.connectLatencyMs).toEqual(union);
    for (const s of [merged, whole]) {
      expect(s.connectLatencyMs.count).toBe(VUS);
      expect(s.connectLatencyMs.p90).toBeLessThan(DELAY_MS);
      expect(s.connectLatencyMs.p95).toBeGreaterThanOrEqual(DELAY_MS);
    }
  });

  test('heartbeat counts are the sums of the segments\'', () => {
    const sum = (f: (s: Summary) => number): number => segSummaries.reduce((n, s) => n + f(s), 0);
    expect(merged.heartbeat.pingsSent).toBe(sum((s) => s.heartbeat.pingsSent));
    expect(merged.heartbeat.pongsReceived).toBe(sum((s) => s.heartbeat.pongsReceived));
    expect(merged.heartbeat.rttMs.count).toBe(sum((s) => s.heartbeat.rttMs.count));
  });

  test('the merged time series is on whole wall-clock seconds and accounts for every connect and ping once', () => {
    expect(mergedRows.reduce((n, r) => n + r.connects, 0)).toBe(VUS);
    expect(mergedRows.reduce((n, r) => n + r.pings, 0)).toBe(merged.heartbeat.pingsSent);
    mergedRows.forEach((r, i) => {
      expect(Date.parse(r.time) % 1000).toBe(0);
      if (i > 0) expect(Date.parse(r.time) - Date.parse((mergedRows[i - 1] as SecondRow).time)).toBe((r.sec - (mergedRows[i - 1] as SecondRow).sec) * 1000);
    });
    expect(fs.readFileSync(path.join(mergedDir, 'report.html'), 'utf8')).toContain('probe');
  });
});

describe('alignSeconds and the merged peak (pure)', () => {
  const options = { scenario: 's', target: 'ws://t/ws', stages: [], mode: 'connect-only' } as unknown as ResolvedOptions;

  /** A segment whose second k opened (and attempted) `opens[k]` connections and ended it with `open[k]` open. */
  function seg(index: number, startWall: number, opens: number[], open: number[]): Segment {
    const seconds: SecondRecord[] = opens.map((n, sec) => {
      const r = new Registry();
      r.add(M.sessions, n);
      r.add(M.attempts, n);
      const workers = [{ worker: '0', cpuPct: 10, machineCpuPct: 0, loopP99Ms: 1, loopMaxMs: 1, rssBytes: 50 * 1_048_576 }];
      return { sec, wall: startWall + sec * 1000, open: open[sec] as number, interval: r.snapshot(), workers };
    });
    const endWall = startWall + opens.length * 1000;
    return {
      dir: `seg-${index}`,
      seconds,
      totals: {
        format: 2, scenario: 's', segment: { index, count: 2 }, optionsHash: 'h', options, thresholds: [], embedded: false,
        target: 'ws://t/ws', mode: 'connect-only', reconnecting: false, adjustments: [],
        startWall, measuredEndWall: endWall, endWall, interrupted: false, peak: Math.max(...open), final: open[open.length - 1] as number,
        workers: [], warnings: [], hostname: 'h',
      },
    };
  }

  const alignSeconds = (segs: Segment[]): SecondRow[] => alignRecords(segs.map((s) => s.seconds), segs.map((s) => String(s.totals.segment.index))).map(rowOf);

  // two generators ramp to 20 and down to 5, the second starting 0.9 s later: its seconds land one wall second later
  const a = seg(0, 1_000_000_300, [10, 10, 0], [10, 20, 5]);
  const b = seg(1, 1_000_001_200, [10, 10, 0], [10, 20, 5]);

  test('seconds go to the nearest whole wall-clock second and sum there', () => {
    const rows = alignSeconds([a, b]);
    expect(rows.map((r) => [r.sec, r.time, r.open, r.connects])).toEqual([
      [0, new Date(1_000_000_000).toISOString(), 10, 10],
      [1, new Date(1_000_001_000).toISOString(), 30, 20],
      [2, new Date(1_000_002_000).toISOString(), 25, 10],
      [3, new Date(1_000_003_000).toISOString(), 5, 0],
    ]);
    expect(rows.map((r) => r.cpuPct)).toEqual([10, 20, 20, 10]);
  });

  test('peak is the most open at once on the aligned seconds (30), not the sum of the peaks (40)', () => {
    const m = mergeSegments([b, a]);
    expect(m.summary.connections).toMatchObject({ attempted: 40, succeeded: 40, peak: 30, final: 10 });
    expect(m.summary.startedAt).toBe(new Date(1_000_000_300).toISOString());
    expect(m.summary.durationSec).toBe(3.9);
    expect(m.summary.runner.warnings).toEqual([]);
  });

  test('segments started more than 2 s apart are named in a warning', () => {
    const late = seg(1, 1_000_003_800, [10, 10, 0], [10, 20, 5]);
    expect(mergeSegments([a, late]).summary.runner.warnings).toEqual([
      "segments started 3.5 s apart (0/2 first, 1/2 last): the whole test's load was the sum of the segments only while they overlapped; start them together",
    ]);
  });

  test('an abortOnFail threshold that stopped one segment fails the merged run', () => {
    const stopped = { ...b, totals: { ...b.totals, thresholds: ['connections.attempted >= 1, abortOnFail'], abortedByThreshold: { threshold: 'connections.attempted >= 1, abortOnFail', atSec: 2, value: 0 } } };
    const m = mergeSegments([{ ...a, totals: { ...a.totals, thresholds: stopped.totals.thresholds } }, stopped]);
    expect(m.summary.abortedByThreshold).toEqual({ threshold: 'connections.attempted >= 1, abortOnFail', atSec: 2, value: 0 });
    expect(m.summary.thresholds).toEqual({ 'connections.attempted >= 1, abortOnFail': { ok: false, value: 40 } });
  });
});
