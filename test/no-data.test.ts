import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { CONNECT_ONLY, runCli } from './helpers';

/**
 * No fake zeros: a run in which no connection opened (nothing listens at the target) reports its
 * latencies as "n/a (no connection succeeded)" in the text, null in summary.json and the time
 * series, "no data" in the HTML report, whose Messages card is left out in a connect-only run.
 */
test('nothing connected: n/a in text, null in JSON, no data in HTML, never 0', async () => {
  // a port that was free a moment ago: connecting to it is refused
  const port = await new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
  const r = await runCli('runner', ['run', CONNECT_ONLY, '--target', `ws://127.0.0.1:${port}/ws`, '--conns', '5', '--ramp', '1s', '--duration', '2s']);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  const s = r.summary!;
  expect(s.connections).toMatchObject({ attempted: 5, succeeded: 0, failed: 5, successRate: 0, errors: { ECONNREFUSED: 5 } });
  const nulls = { count: 0, min: null, max: null, avg: null, stddev: null, p50: null, p90: null, p95: null, p99: null };
  expect(s.connectLatencyMs).toEqual(nulls);
  expect(s.heartbeat.rttMs).toEqual(nulls);
  expect(s.heartbeat.pongRate).toBeNull();
  expect(s.messages.latencyMs).toEqual(nulls);
  expect(s.thresholds['connectLatencyMs.p99 < 100']).toEqual({ ok: true, value: null });

  const text = r.stdout;
  expect(text).toMatch(/--- Connect latency \(ms\) ---\nn\/a \(no connection succeeded\)\n/);
  expect(text).not.toMatch(/P99:\s+0\.00/);
  expect(text).toContain('connectLatencyMs.p99 < 100   (no data)');

  const rows = fs.readFileSync(path.join(r.outDir, 'timeseries.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) expect([row.connectP50, row.connectP99, row.rttP99, row.msgLatencyP50, row.msgLatencyP99]).toEqual([null, null, null, null, null]);

  const html = fs.readFileSync(path.join(r.outDir, 'report.html'), 'utf8');
  const card = /<h3>Connect latency \(ms\)<\/h3><table class="figures">(.*?)<\/table>/.exec(html)?.[1] ?? '';
  expect(card).toContain('<th>count</th><td class="num">0</td>');
  expect(card.match(/no data/g)).toHaveLength(8);
  expect(card).not.toMatch(/>0\.00</);
  expect(html).not.toContain('<h3>Messages</h3>');
  expect(html).toMatch(/<th>RTT p50 \/ p99 \(ms\)<\/th><td class="num">no data</);
});
