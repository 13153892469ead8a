import { startImServer, ImServer } from '../server/server';
import { arrive } from '../lib/scenario/arrivals';
import { exponential } from '../lib/scenario/lifetime';
import { hold, planStages, planVuEvents } from '../lib/scenario/stages';
import type { Summary } from '../lib/results/summary';
import { startCountingServer, CountingServer } from './arrivals-server';
import { runCli, writeScenario } from './helpers';

/**
 * The open model on real runner processes (docs/arrivals.md): arrivals counted by the server equal
 * the plan exactly, the open count follows rate × mean lifetime within the stated tolerance, and
 * the lifetimes are the distribution's. Timing bounds use the run's own schedule lag (the latest
 * any start or departure fired), never a wall-clock guess; the one threshold is that every attempt
 * opened (the seed's connect-latency goal is no business of these tests on a busy machine).
 */

const scenario = (stages: string): string => writeScenario(`
import { arrive, exponential, hold, keepAlive, ramp, ScenarioOptions, VuContext } from 'wsbench';
export const options: ScenarioOptions = { stages: [${stages}], pingInterval: '1h', thresholds: ['connections.successRate >= 1'] };
export default function (vu: VuContext): void { keepAlive(vu); }
`);

/** The latest any worker's start or departure fired after its planned time, ms. */
const maxLag = (s: Summary): number => Math.max(...s.runner.workers.map((w) => w.scheduleLagMs.max ?? 0));

describe('arrive stages on real runner processes', () => {
  let counting: CountingServer | undefined;
  let im: ImServer | undefined;
  afterEach(async () => {
    await counting?.close();
    await im?.close();
    counting = undefined;
    im = undefined;
  });

  test('fixed 2 s lifetimes, even arrivals 25/s for 8 s on 2 workers: 200 accepted, each closed with 1000 after 2 s, open 50', async () => {
    counting = await startCountingServer();
    const file = scenario("arrive('8s', 25, { lifetime: '2s', spacing: 'even' }), hold('3s')");
    const r = await runCli('runner', ['run', file, '--target', counting.url, '--workers', '2']);
    const s = r.summary as Summary;
    expect({ code: r.code, stderr: r.stderr.match(/error|\n\s+at /), errors: s.connections.errors, drops: s.connections.disconnectReasons })
      .toEqual({ code: 0, stderr: null, errors: {}, drops: {} });
    const a = s.arrivals!;
    expect([counting.accepted(), a.planned, a.arrived, a.departed, a.dropped]).toEqual([200, 200, 200, 200, 0]);
    expect(counting.codes()).toEqual({ 1000: 200 });
    expect(s.connections.disconnected).toBe(0);
    const lag = maxLag(s) + 2; // + both ends' whole-ms clock reads
    expect(Math.abs((a.lifetimeMs.min as number) - 2000)).toBeLessThanOrEqual(lag);
    expect(Math.abs((a.lifetimeMs.max as number) - 2000)).toBeLessThanOrEqual(lag);
    // the server's own: open from its side, connect time (a loopback upgrade) less; this process's
    // own loop delay (monitored) may hold back when it sees the open or the close
    const connectMax = s.connectLatencyMs.max as number;
    const serverLate = counting.loopMaxMs() + 10;
    const seen = counting.lifetimes();
    expect(seen).toHaveLength(200);
    for (const l of seen) {
      expect(l).toBeGreaterThanOrEqual(2000 - connectMax - lag - serverLate);
      expect(l).toBeLessThanOrEqual(2000 + lag + serverLate);
    }
    // Little: 25/s × 2 s = 50, from second 2 to the end of the stage
    const w = a.little[0]!;
    expect([w.fromSec, w.toSec, w.expectedOpen]).toEqual([1, 7, 50]);
    // flow balance in the steady state, 25 in and 25 out a second over its 6 s: at each end of the window the
    // event on the edge, and those the schedule ran late by up to the lag, may fall either side (+ rounding)
    const edge = 1 + Math.ceil((maxLag(s) * 25) / 1000);
    expect(Math.abs((w.arrivalsPerSec as number) - 25)).toBeLessThanOrEqual((2 * edge) / 6 + 0.01);
    expect(Math.abs((w.departuresPerSec as number) - 25)).toBeLessThanOrEqual((2 * edge) / 6 + 0.01);
    expect(Math.abs((w.measuredOpen as number) - 50)).toBeLessThanOrEqual(w.tolerance);
    expect(w.ok).toBe(true);
    // and the server's own open count, sampled every 50 ms, over the same steady state (2 s to 8 s after the first arrival)
    const steady = counting.samples().filter(([t]) => t >= 2000 && t <= 8000).map(([, n]) => n);
    const serverOpen = steady.reduce((x, y) => x + y, 0) / steady.length;
    expect(Math.abs(serverOpen - 50)).toBeLessThanOrEqual(w.tolerance);
  }, 60_000);

  test('exponential lifetimes (mean 1 s), Poisson arrivals 40/s for 15 s, seed 7, 2 workers: the embedded server accepts the 600 planned; lifetimes are the draws', async () => {
    im = await startImServer({ port: 0 });
    const stages = [arrive('15s', 40, { lifetime: exponential('1s'), seed: 7 }), hold('6s')];
    const file = scenario("arrive('15s', 40, { lifetime: exponential('1s'), seed: 7 }), hold('6s')");
    // the plan, as every worker computes it: its draws and which of them depart before the end
    const plan = planVuEvents(planStages(stages));
    const starts = new Map(plan.filter((e) => e.kind === 'start').map((e) => [e.vu, e.atMs]));
    const draws = plan.filter((e) => e.kind === 'depart').map((e) => e.atMs - (starts.get(e.vu) as number));
    const departing = plan.filter((e) => e.kind === 'depart' && e.atMs < 21_000);
    expect(plan.filter((e) => e.kind === 'depart' && Math.abs(e.atMs - 21_000) < 500)).toEqual([]); // no race with the end
    // the seeded draws themselves: their mean within 4 standard errors (1000/√600 = 41 ms) of 1 s
    const mean = draws.reduce((x, y) => x + y, 0) / draws.length;
    expect(draws).toHaveLength(600);
    expect(Math.abs(mean - 1000)).toBeLessThan(4 * (1000 / Math.sqrt(600)));

    const r = await runCli('runner', ['run', file, '--target', im.url, '--workers', '2']);
    const s = r.summary as Summary;
    expect({ code: r.code, stderr: r.stderr.match(/error|\n\s+at /), errors: s.connections.errors, drops: s.connections.disconnectReasons })
      .toEqual({ code: 0, stderr: null, errors: {}, drops: {} });
    const a = s.arrivals!;
    expect([im.stats().accepted, a.planned, a.arrived, a.departed]).toEqual([600, 600, 600, departing.length]);
    // the shortest draws are a few ms, less than a connect: those attempts finished before their VU left
    expect(Math.min(...draws)).toBeLessThan(5);
    expect([s.connections.attempted, s.connections.succeeded, s.connections.aborted]).toEqual([600, 600, 0]);
    // measured lifetimes are the draws, each off by at most the schedule lag: the mean too
    const lag = maxLag(s) + 2;
    const departedDraws = departing.map((e) => e.atMs - (starts.get(e.vu) as number));
    const departedMean = departedDraws.reduce((x, y) => x + y, 0) / departedDraws.length;
    expect(Math.abs((a.lifetimeMs.avg as number) - departedMean)).toBeLessThanOrEqual(lag);
    // percentiles against the distribution's (ln 2 s, ln 10 s) within HDR's 1% and 5 standard errors of a quantile
    const se = (p: number): number => (1000 / (1 - p)) * Math.sqrt((p * (1 - p)) / departedDraws.length);
    expect(Math.abs((a.lifetimeMs.p50 as number) - 1000 * Math.LN2)).toBeLessThan(5 * se(0.5) + lag + 7);
    expect(Math.abs((a.lifetimeMs.p90 as number) - 1000 * Math.log(10))).toBeLessThan(5 * se(0.9) + lag + 23);
    const w = a.little[0]!;
    expect(w.expectedOpen).toBe(40);
    expect(Math.abs((w.measuredOpen as number) - 40)).toBeLessThanOrEqual(w.tolerance);
    expect(w.ok).toBe(true);
  }, 90_000);

  test('two segments of one test split the arrivals exactly: 50 + 50 accepted of 100 planned', async () => {
    im = await startImServer({ port: 0 });
    const file = scenario("arrive('4s', 25, { lifetime: '1s' }), hold('2s')");
    const runs = await Promise.all([0, 1].map((i) => runCli('runner', ['run', file, '--target', im!.url, '--workers', '2', '--segment', `${i}/2`])));
    for (const r of runs) expect(r.code).toBe(0);
    const [s0, s1] = runs.map((r) => (r.summary as Summary).arrivals!);
    expect([s0!.planned, s1!.planned, s0!.arrived + s1!.arrived, s0!.departed + s1!.departed]).toEqual([50, 50, 100, 100]);
    expect(im.stats().accepted).toBe(100);
    expect([s0!.little[0]!.expectedOpen, s1!.little[0]!.expectedOpen]).toEqual([12.5, 12.5]);
  }, 60_000);

  test('ramped VUs hold through an arrive stage: 5 + 40 accepted, the Little check expects 5 + 10', async () => {
    counting = await startCountingServer();
    const file = scenario("ramp('1s', 5), arrive('4s', 10, { lifetime: '1s', spacing: 'even' }), hold('1s')");
    const r = await runCli('runner', ['run', file, '--target', counting.url]);
    expect(r.code).toBe(0);
    const s = r.summary as Summary;
    expect([counting.accepted(), s.vus.started, s.arrivals!.planned, s.arrivals!.departed]).toEqual([45, 45, 40, 40]);
    expect(s.arrivals!.little[0]).toMatchObject({ fromSec: 1, toSec: 4, expectedOpen: 15, ok: true });
    expect(counting.codes()).toEqual({ 1000: 45 });
  }, 60_000);

  test('wsbench --arrival-rate 10 --lifetime 1s --duration 4s: 40 arrivals, all closed with 1000', async () => {
    counting = await startCountingServer();
    const r = await runCli('wsbench', ['--target', counting.url, '--arrival-rate', '10', '--lifetime', '1s', '--duration', '4s', '--ping-interval', '1h', '--threshold', 'connections.successRate >= 1']);
    expect(r.code).toBe(0);
    const a = r.summary!.arrivals!;
    expect([counting.accepted(), a.planned, a.arrived]).toEqual([40, 40, 40]);
    // those that arrive in the last second outlive the run: closed by its end (1000 too), not departed
    expect(counting.codes()).toEqual({ 1000: 40 });
    expect(r.stdout).toMatch(/Arrivals and lifetimes/);
  }, 60_000);
});
