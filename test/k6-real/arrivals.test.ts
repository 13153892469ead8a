import fs from 'node:fs';
import path from 'node:path';
import { startImServer, ImServer } from '../../server/server';
import type { Summary } from '../../lib/results/summary';
import { arrive, arrivalLifetime } from '../../lib/scenario/arrivals';
import { exponential } from '../../lib/scenario/lifetime';
import { hold, planStages } from '../../lib/scenario/stages';
import { ROOT, runCli, tmpDir, writeScenario } from '../helpers';
import { BINARIES, buildBundle, describeK6, K6Binary, runK6, samples, total } from './k6-run';

/**
 * Arrive stages on real k6 (docs/arrivals.md, "On k6"): a constant-arrival-rate scenario starts the
 * planned arrivals, each iteration one VU's life that departs at its fixed lifetime with 1000; the
 * embedded server counts them, k6 drops none (its VUs are sized from rate × lifetime), and
 * `runner report --k6` rebuilds the summary's `arrivals` from k6's samples, `dropped_iterations` as
 * `arrivals.dropped`.
 */
const SCENARIO = writeScenario(`import { arrive, hold, keepAlive, ScenarioOptions, VuContext } from 'wsbench';
export const options: ScenarioOptions = { stages: [arrive('6s', 10, { lifetime: '1s', spacing: 'even' }), hold('2s')], pingInterval: '1h', thresholds: ['connections.successRate >= 1'] };
export default function (vu: VuContext): void {
  keepAlive(vu);
}
`, 'arrivals.ts');
/** A plain k6 script that must drop arrivals: 10 a second for 2 s, on one VU busy 1 s an iteration. */
const DROPPING = path.join(tmpDir('wsbench-k6-drop-'), 'dropping.js');
fs.writeFileSync(DROPPING, `import { sleep } from 'k6';
export const options = { scenarios: { a: { executor: 'constant-arrival-rate', rate: 10, timeUnit: '1s', duration: '2s', preAllocatedVUs: 1, maxVUs: 1 } } };
export default function () { sleep(1); }
`);
const MIXED = writeScenario(`import { arrive, hold, keepAlive, ramp, ScenarioOptions, VuContext } from 'wsbench';
export const options: ScenarioOptions = { stages: [ramp('1s', 5), arrive('4s', 10, { lifetime: '1s', spacing: 'even' }), hold('1s')], pingInterval: '1h', thresholds: ['connections.successRate >= 1'] };
export default function (vu: VuContext): void {
  keepAlive(vu);
}
`, 'mixed.ts');
/** Exponential lifetimes, mean 500 ms, seed 3: the shortest draws are below a connect's time. */
const SHORT = writeScenario(`import { arrive, exponential, hold, keepAlive, ScenarioOptions, VuContext } from 'wsbench';
export const options: ScenarioOptions = {
  stages: [arrive('5s', 20, { lifetime: exponential('500ms'), seed: 3, spacing: 'even' }), hold('3s')], pingInterval: '1h', thresholds: ['connections.successRate >= 1'],
};
export default function (vu: VuContext): void {
  keepAlive(vu);
}
`, 'short.ts');
const bundles: Record<string, Promise<string>> = {};
const bundleFor = (legacy: boolean, file = SCENARIO): Promise<string> => (bundles[`${file}:${legacy}`] ??= buildBundle(file, legacy));
const each = BINARIES.map((b) => [b.version, b] as [string, K6Binary]);

async function reportOf(file: string): Promise<Summary> {
  const out = tmpDir('wsbench-k6-arr-report-');
  const r = await runCli('runner', ['report', '--k6', file, '--out-dir', out], { noExport: true, cwd: ROOT });
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as Summary;
}

describeK6('arrivals and lifetimes on real k6', () => {
  let im: ImServer;
  beforeEach(async () => {
    im = await startImServer({ port: 0 });
  });
  afterEach(async () => {
    await im.close();
  });

  test.each(each)('k6 %s: 60 planned arrivals accepted and closed by the server, each departing after 1 s, none dropped', async (_v, bin) => {
    const r = await runK6(bin, await bundleFor(bin.legacy), [], { TARGET: im.url, PING_INTERVAL: '1h' });
    expect(r.code).toBe(0);
    expect([im.stats().accepted, im.stats().closed]).toEqual([60, 60]);
    expect([total(r, 'vus_arrived'), total(r, 'vus_departed'), total(r, 'dropped_iterations')]).toEqual([60, 60, 0]);
    const lifetimes = samples(r, 'session_lifetime').map((p) => p.value).sort((a, b) => a - b);
    expect(lifetimes).toHaveLength(60);
    // k6's timers fire at or after their time, on a whole-ms clock
    expect(lifetimes[0]).toBeGreaterThanOrEqual(999);
    expect(lifetimes[30]).toBeLessThan(1100);
    // wsbench's summary of the same samples
    const a = (await reportOf(r.file)).arrivals!;
    expect([a.planned, a.arrived, a.departed, a.dropped, a.lifetimeMs.count]).toEqual([60, 60, 60, 0, 60]);
    expect([a.little, a.arrivalsPerSec]).toEqual([[], null]);
  }, 90_000);

  test.each(each)('k6 %s: ramped VUs beside an arrive stage: 5 + 40 accepted, the ramped lives last to the end', async (_v, bin) => {
    const r = await runK6(bin, await bundleFor(bin.legacy, MIXED), [], { TARGET: im.url, PING_INTERVAL: '1h' });
    expect(r.code).toBe(0);
    expect([im.stats().accepted, total(r, 'vus_arrived'), total(r, 'vus_departed'), total(r, 'dropped_iterations')]).toEqual([45, 40, 40, 0]);
    expect(im.stats().closed).toBe(45);
  }, 90_000);

  test.each(each)('k6 %s: exponential lifetimes as runner run draws them, the shortest below a connect: 100 accepted, none cut short', async (_v, bin) => {
    const stages = planStages([arrive('5s', 20, { lifetime: exponential('500ms'), seed: 3, spacing: 'even' }), hold('3s')]);
    const a = stages[0]!.arrivals!;
    const ends = Array.from({ length: a.count }, (_, k) => k * 50 + arrivalLifetime(a, k));
    expect(ends.filter((t) => Math.abs(t - 8000) < 300)).toEqual([]); // no departure races the run's end
    expect(Math.min(...Array.from({ length: a.count }, (_, k) => arrivalLifetime(a, k)))).toBeLessThan(10);
    const r = await runK6(bin, await bundleFor(bin.legacy, SHORT), [], { TARGET: im.url, PING_INTERVAL: '1h' });
    expect(r.code).toBe(0);
    expect([im.stats().accepted, total(r, 'vus_arrived'), total(r, 'ws_connect_attempts'), total(r, 'ws_connect_aborted')]).toEqual([100, 100, 100, 0]);
    expect(total(r, 'vus_departed')).toBe(ends.filter((t) => t < 8000).length);
    // the lifetimes k6 measured are the draws (each at or after its time, whole ms)
    const drawn = Array.from({ length: a.count }, (_, k) => arrivalLifetime(a, k)).filter((_, k) => (ends[k] as number) < 8000);
    const mean = (xs: number[]): number => xs.reduce((x, y) => x + y, 0) / xs.length;
    const measured = samples(r, 'session_lifetime').map((p) => p.value);
    expect(mean(measured)).toBeGreaterThanOrEqual(mean(drawn) - 1);
  }, 90_000);

  test.each(each)("k6 %s: arrivals k6 has no VU for are its dropped_iterations, and the summary's arrivals.dropped", async (_v, bin) => {
    const r = await runK6(bin, DROPPING, []);
    expect(r.code).toBe(0);
    const dropped = total(r, 'dropped_iterations');
    expect(dropped).toBeGreaterThan(10); // 20 due, one VU busy 1 s each time: 2 or 3 run
    const a = (await reportOf(r.file)).arrivals!;
    expect([a.dropped, a.planned, a.arrived]).toEqual([dropped, dropped, 0]);
  }, 60_000);
});
