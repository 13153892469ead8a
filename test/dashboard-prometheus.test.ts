import fs from 'node:fs';
import path from 'node:path';
import type { Summary } from '../lib/results/summary';
import { BUCKETS_SECONDS } from '../runner/dashboard/hdr-metric';
import { freePort, LiveRun, Prometheus, spawnRun, startPrometheus, until } from './dashboard-helpers';
import { ROOT } from './helpers';

/**
 * A real Prometheus (Debian's package) scrapes a real run's --dashboard every second. After 500
 * connections of the messaging scenario (pings every second, a message a second per user), what
 * Prometheus stored must equal the summary, and every query of the Grafana dashboard must return
 * data from it.
 */
const GRAFANA = path.join(ROOT, 'deploy', 'grafana', 'wsbench.json');
const ARTIFACTS = path.join(ROOT, 'test', '.artifacts');

/** Every PromQL expression of the dashboard, with Grafana's variables as a query of all of it would have them. */
function dashboardQueries(): string[] {
  const d = JSON.parse(fs.readFileSync(GRAFANA, 'utf8')) as { panels: Array<{ type: string; targets?: Array<{ expr: string }> }> };
  // $__rate_interval as Grafana sets it for a common 15 s scrape (>= 2 scrapes): a 5 s window holds the
  // ramp's connects only if Prometheus scraped twice inside the ramp, which a fast ramp does not promise
  return d.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr
    .replace(/\$__rate_interval/g, '30s').replace(/\$__range/g, '5m').replace(/\$__interval/g, '1s')
    .replace(/\$segment/g, '.*').replace(/\$scenario/g, '.*')));
}

const num = (r: Array<{ value: [number, string] }>): number => Number((r[0] as { value: [number, string] }).value[1]);

describe('--dashboard scraped by a real Prometheus', () => {
  let prom: Prometheus;
  let run: LiveRun;
  let s: Summary;
  let startSec: number;

  beforeAll(async () => {
    const port = await freePort();
    prom = await startPrometheus(`127.0.0.1:${port}`);
    startSec = Math.floor(Date.now() / 1000);
    // a 10 s ramp: Prometheus (1 s scrapes) must see the connects rise for the dashboard's rate() panels;
    // a fresh clone on a quiet machine ramped 4 s before enough scrapes landed and left them empty
    run = spawnRun([path.join(ROOT, 'scenarios', 'messaging.ts'), '--conns', '500', '--ramp', '10s', '--duration', '18s',
      '--ping-interval', '1s', '--dashboard', `127.0.0.1:${port}`, '--dashboard-linger', '120s']);
    await run.line(/serving the final state/);
    s = run.summary();
    // the final state is in once a scrape saw the drained run (VUs 0) with every connect counted
    await until(async () => num(await prom.query('wsbench_vus')) === 0 && num(await prom.query('wsbench_connects_total')) === s.connections.succeeded,
      'the final state in Prometheus');
  }, 240_000);

  afterAll(async () => {
    if (run && run.proc.exitCode === null) run.proc.kill('SIGINT');
    await run?.exited;
    await prom?.stop();
  });

  test('Prometheus holds the summary figures', async () => {
    const peak = num(await prom.query('max_over_time(wsbench_connections_open[5m])'));
    const connects = num(await prom.query('wsbench_connects_total'));
    const attempts = num(await prom.query('wsbench_connect_attempts_total'));
    const count = num(await prom.query('wsbench_connect_duration_seconds_count'));
    const pings = num(await prom.query('wsbench_pings_total'));
    const pongs = num(await prom.query('wsbench_pongs_total'));
    const sent = num(await prom.query('wsbench_messages_sent_total'));
    const delivered = num(await prom.query('wsbench_messages_delivered_total'));
    const q99 = num(await prom.query('histogram_quantile(0.99, sum by (le) (wsbench_connect_duration_seconds_bucket))'));
    const labels = (await prom.query('wsbench_connects_total'))[0]?.metric;
    const p99s = s.connectLatencyMs.p99! / 1000;
    const upper = BUCKETS_SECONDS.find((b) => p99s <= b) as number;
    const lower = [0, ...BUCKETS_SECONDS][BUCKETS_SECONDS.indexOf(upper)] as number;
    const figures = {
      peak: [peak, s.connections.peak], connects: [connects, s.connections.succeeded], attempts: [attempts, s.connections.attempted],
      connectCount: [count, s.connectLatencyMs.count], pings: [pings, s.heartbeat.pingsSent], pongs: [pongs, s.heartbeat.pongsReceived],
      sent: [sent, s.messages.sent], delivered: [delivered, s.messages.delivered],
      p99Seconds: [q99, p99s], p99Bucket: [lower, upper],
    };
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    fs.writeFileSync(path.join(ARTIFACTS, 'dashboard-prometheus.json'), `${JSON.stringify(figures, null, 2)}\n`);

    expect(labels).toMatchObject({ scenario: 'messaging', segment: '0/1' });
    expect(s.connections.succeeded).toBe(500);
    expect(peak).toBe(s.connections.peak);
    expect(connects).toBe(s.connections.succeeded);
    expect(attempts).toBe(s.connections.attempted);
    expect(count).toBe(s.connectLatencyMs.count);
    expect([pings, pongs]).toEqual([s.heartbeat.pingsSent, s.heartbeat.pongsReceived]);
    expect(pings).toBeGreaterThan(0);
    expect([sent, delivered]).toEqual([s.messages.sent, s.messages.delivered]);
    expect(sent).toBeGreaterThan(0);
    // interpolated inside the bucket that holds the summary's p99
    expect(Math.abs(q99 - p99s)).toBeLessThanOrEqual(upper - lower);
    expect(q99).toBeGreaterThanOrEqual(lower);
    expect(q99).toBeLessThanOrEqual(upper);
  });

  test('every query of the Grafana dashboard returns data from that Prometheus', async () => {
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThanOrEqual(30);
    const d = JSON.parse(fs.readFileSync(GRAFANA, 'utf8')) as { templating: { list: Array<{ name: string; query: unknown }> } };
    expect(d.templating.list.map((v) => v.name)).toEqual(['datasource', 'scenario', 'segment']);
    // every query is narrowed by the segment variable
    for (const p of JSON.parse(fs.readFileSync(GRAFANA, 'utf8')).panels as Array<{ targets?: Array<{ expr: string }> }>) {
      for (const t of p.targets ?? []) expect([t.expr, t.expr.includes('segment=~"$segment"')]).toEqual([t.expr, true]);
    }
    const end = Math.ceil(Date.now() / 1000);
    const empty: string[] = [];
    for (const q of queries) {
      const series = await prom.queryRange(q, startSec, end);
      const finite = series.some((x) => x.values.some(([, v]) => Number.isFinite(Number(v))));
      if (!finite) empty.push(q);
    }
    expect(empty).toEqual([]);
  });

  test('the run ends when the linger is cut short (Ctrl-C), with its usual exit code', async () => {
    run.proc.kill('SIGINT');
    const code = await run.exited;
    expect([0, 99]).toContain(code); // 99: the default thresholds may be crossed on a loaded machine
    expect(run.stderr()).not.toMatch(/\n\s+at /);
  });
});
