import { bucketCounts } from '../lib/metrics/histogram';
import { M } from '../lib/core/metric-names';
import { Registry } from '../lib/metrics/registry';
import { recordOf, SecondPart } from '../lib/results/record';
import { rowOf } from '../lib/results/timeseries';
import { BUCKETS_SECONDS } from '../runner/dashboard/hdr-metric';
import { LiveMetrics } from '../runner/dashboard/metrics';

const BOUNDS_US = BUCKETS_SECONDS.map((s) => Math.round(s * 1e6));

/** One worker's second: a registry filled by `fill`, as a worker's interval snapshot. */
function part(fill: (r: Registry) => void, open: number, cpuPct = 50): Omit<SecondPart, 'workers'> & { cpuPct: number } {
  const r = new Registry();
  fill(r);
  return { interval: r.snapshot(), open, cpuPct };
}

/** `name{labels} value` lines of the exposition, labels without the run's scenario/segment. */
function samples(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels = (m[2] ?? '').split(',').filter((l) => l && !/^(scenario|segment)=/.test(l)).join(',');
    out[labels ? `${m[1]}{${labels}}` : (m[1] as string)] = Number(m[3]);
  }
  return out;
}

describe('the /metrics registry', () => {
  test('HDR histograms land in their le buckets, cumulatively', () => {
    const r = new Registry();
    for (const ms of [0.4, 0.5, 0.9, 3, 3, 99.9, 100, 2000, 12_000]) r.trend('t', ms);
    const b = bucketCounts(r.snapshot().trends.t as string, BOUNDS_US);
    // le: 0.5ms 1ms 2.5ms 5ms 10ms 25ms 50ms 100ms 250ms 500ms 1s 2.5s 5s 10s. A value counts at the top
    // of its HDR bucket, as the summary's percentiles report it: 100 ms is 100.031 ms there, so above le=0.1
    expect(b.cumulative).toEqual([2, 3, 3, 5, 5, 5, 5, 6, 7, 7, 7, 8, 8, 8]);
    expect(b.count).toBe(9);
    expect(b.sumUs / 1000).toBeCloseTo(0.4 + 0.5 + 0.9 + 3 + 3 + 99.9 + 100 + 2000 + 12_000, -1);
  });

  test('two seconds of two workers add up; gauges take the last second; labels on every sample', async () => {
    const m = new LiveMetrics({ scenario: 'connect-only', segment: '1/3' });
    const second = (sec: number, parts: Array<ReturnType<typeof part>>): void => {
      const workers = parts.map((p, i) => ({ interval: p.interval, open: p.open, workers: [{ worker: String(i), cpuPct: p.cpuPct, machineCpuPct: 0, loopP99Ms: 12, loopMaxMs: 12, rssBytes: 1000 }] }));
      const record = recordOf(sec, sec * 1000, workers);
      m.second(rowOf(record), record);
    };
    second(0, [
      part((r) => { r.add(M.attempts, 3); r.add(M.sessions, 2); r.add(M.connectErrors); r.error('ECONNREFUSED'); r.add(M.vusStarted, 3); r.trend(M.connecting, 2); r.trend(M.connecting, 7); }, 2),
      part((r) => { r.add(M.attempts, 2); r.add(M.sessions, 2); r.add(M.vusStarted, 2); r.trend(M.connecting, 40); r.trend(M.connecting, 40); }, 2, 30),
    ]);
    second(1, [
      part((r) => { r.add(M.disconnects); r.disconnect('1006 abnormal closure'); r.add(M.vusStopped); r.add(M.pings, 4); r.add(M.pongs, 3); r.trend(M.ping, 0.3); }, 1, 20),
      part(() => undefined, 2, 10),
    ]);
    const text = await m.text();
    const s = samples(text);
    expect(s).toMatchObject({
      wsbench_connect_attempts_total: 5, wsbench_connects_total: 4, 'wsbench_connect_failures_total{class="ECONNREFUSED"}': 1,
      'wsbench_disconnects_total{class="1006 abnormal closure"}': 1, wsbench_pings_total: 4, wsbench_pongs_total: 3,
      wsbench_vus: 4, wsbench_connections_open: 3, 'wsbench_runner_cpu_ratio{worker="0"}': 0.2, 'wsbench_runner_cpu_ratio{worker="1"}': 0.1,
      'wsbench_event_loop_delay_seconds{worker="0"}': 0.012,
      'wsbench_connect_duration_seconds_bucket{le="0.0025"}': 1, 'wsbench_connect_duration_seconds_bucket{le="0.01"}': 2,
      'wsbench_connect_duration_seconds_bucket{le="0.05"}': 4, 'wsbench_connect_duration_seconds_bucket{le="+Inf"}': 4,
      wsbench_connect_duration_seconds_count: 4, 'wsbench_ping_rtt_seconds_bucket{le="0.0005"}': 1, wsbench_message_latency_seconds_count: 0,
      wsbench_messages_lost_total: 0,
    });
    for (const line of text.split('\n').filter((l) => l.startsWith('wsbench_'))) expect(line).toMatch(/scenario="connect-only",segment="1\/3"|segment="1\/3".*scenario|scenario="connect-only".*segment="1\/3"/);
    m.drained();
    expect(samples(await m.text()).wsbench_vus).toBe(0);
  });
});
