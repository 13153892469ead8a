import { M } from '../lib/core/metric-names';
import { Registry } from '../lib/metrics/registry';
import { recordOf } from '../lib/results/record';
import { rowOf } from '../lib/results/timeseries';
import { summarise } from '../lib/results/summarise';
import { formatSummary } from '../lib/results/report/text';
import { renderReport } from '../lib/results/report/html';
import { arrivalPlan } from '../lib/results/arrivals-summary';
import { arrive } from '../lib/scenario/arrivals';
import { hold, ramp } from '../lib/scenario/stages';
import { liveViewOf } from '../lib/results/live-view';
import type { ResolvedOptions } from '../lib/scenario/types';
import { LiveMetrics } from '../runner/dashboard/metrics';
import { progressLine } from '../runner/progress';

/** Seconds of a run with an arrive stage, as workers report them: known counts in, known figures out. */
function record(sec: number, open: number, fill: (r: Registry) => void) {
  const r = new Registry();
  fill(r);
  return recordOf(sec, 1_000_000 + sec * 1000, [{ interval: r.snapshot(), open, workers: [] }]);
}

const stages = [arrive('4s', 10, { lifetime: '1s', spacing: 'even' }), hold('1s')];
const seconds = [0, 1, 2, 3, 4].map((sec) => record(sec, sec < 4 ? 10 : 0, (r) => {
  if (sec < 4) r.add(M.vusArrived, 10);
  r.add(M.vusDeparted, 10);
  for (let i = 0; i < 10; i++) r.trend(M.sessionLifetime, 1000 + i);
}));
const meta = {
  scenario: 's', target: 'ws://x/', mode: 'connect-only', startWall: 1_000_000, measuredEndWall: 1_005_000, endWall: 1_005_000,
  interrupted: false, peak: 10, final: 0, workers: [], warnings: [], reconnecting: false, adjustments: [], arrivals: arrivalPlan(stages),
};

describe('arrivals in the summary, the text report, the live line and /metrics', () => {
  test('the summary: counts, lifetimes and the Little check from the records', () => {
    const a = summarise(seconds, meta, []).summary.arrivals!;
    expect(a).toMatchObject({ planned: 40, arrived: 40, departed: 50, dropped: 0, arrivalsPerSec: 10 });
    expect(a.lifetimeMs).toMatchObject({ count: 50 });
    // window: seconds 0..3 (the 1 s lifetime, to the stage's end); 10/s × 1 s = 10, measured 10
    expect(a.little).toEqual([{ stage: 0, fromSec: 0, toSec: 3, expectedOpen: 10, tolerance: a.little[0]!.tolerance, measuredOpen: 10, arrivalsPerSec: 10, departuresPerSec: 10, ok: true }]);
  });

  test('no departure: null lifetimes, "n/a" in the text, never 0', () => {
    const none = [record(0, 10, (r) => r.add(M.vusArrived, 10))];
    const s = summarise(none, meta, []).summary;
    expect(s.arrivals!.lifetimeMs).toMatchObject({ count: 0, p50: null, avg: null });
    expect(formatSummary(s)).toMatch(/Session lifetime \(ms\): n\/a \(no VU departed\)/);
    expect(formatSummary(summarise(seconds, meta, []).summary)).toMatch(/Little's law, stage 1 \(s 0-3\): open 10\.00 vs rate × lifetime 10 ± [\d.]+ {2}ok/);
  });

  test('the HTML report: an arrivals card with the same figures', () => {
    const r = summarise(seconds, meta, []);
    const html = renderReport({ summary: r.summary, timeseries: r.timeseries, uplot: { js: '', css: '' } });
    expect(html).toMatch(/<h3>Arrivals and lifetimes<\/h3>/);
    expect(html).toMatch(/<th>open, stage 1 \(s 0-3\)<\/th><td class="num">10\.00 vs 10 ± [\d.]+: ok<\/td>/);
    const plain = summarise(seconds, { ...meta, arrivals: undefined }, []);
    expect(renderReport({ summary: plain.summary, timeseries: plain.timeseries, uplot: { js: '', css: '' } })).not.toMatch(/Arrivals and lifetimes/);
  });

  test('the live line: arrivals/departures of the second, open against rate × lifetime + the held VUs', () => {
    const o = { stages: [ramp('1s', 5), arrive('4s', 10, { lifetime: '2s' })] } as unknown as ResolvedOptions;
    const view = liveViewOf(o, 2, new Registry());
    expect(view.target).toBe(25);
    expect(progressLine(rowOf(seconds[1]!), view)).toMatch(/open 10\/25 {2}0 conn\/s {2}\+10\/-10 arr\/dep/);
    expect(progressLine(rowOf(record(0, 3, () => undefined)), view)).not.toMatch(/arr\/dep/);
  });

  test('/metrics: arrivals and departures counted, lifetimes in their 1 s to 1 h buckets', async () => {
    const m = new LiveMetrics({ scenario: 's', segment: '0/1' });
    for (const r of seconds) m.second(rowOf(r), r);
    const text = await m.text();
    expect(text).toMatch(/^wsbench_arrivals_total\{[^}]*\} 40$/m);
    expect(text).toMatch(/^wsbench_departures_total\{[^}]*\} 50$/m);
    expect(text).toMatch(/^wsbench_session_lifetime_seconds_bucket\{le="1",[^}]*\} 0$/m);
    expect(text).toMatch(/^wsbench_session_lifetime_seconds_bucket\{le="2",[^}]*\} 50$/m);
    expect(text).toMatch(/^wsbench_session_lifetime_seconds_count\{[^}]*\} 50$/m);
  });
});
