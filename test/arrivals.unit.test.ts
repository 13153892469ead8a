import { arrive, arrivalTimes, resolveArrivals } from '../lib/scenario/arrivals';
import { exponential, fixed, lifetimeOf, lifetimeQuantile, lognormal, meanLifetime, resolveLifetime, uniform } from '../lib/scenario/lifetime';
import { normalQuantile, uniformAt } from '../lib/scenario/lifetime-random';
import { hold, plannedArrivals, planStages, planVuEvents, ramp, Share, VuEvent } from '../lib/scenario/stages';
import { arrivalPlan } from '../lib/results/arrivals-summary';
import { arrivalStages } from '../lib/options/arrival-flags';
import { peakVus } from '../lib/scenario/arrivals-peak';
import { runPlan } from '../lib/k6/run-plan';
import { lifeVus } from './life-vus';
import { k6ArrivalScenarios } from '../lib/k6/arrivals';
import type { ResolvedOptions } from '../lib/scenario/types';

const N = 100_000;
const draws = (l: ReturnType<typeof resolveLifetime>, seed = 1): number[] => Array.from({ length: N }, (_, k) => lifetimeOf(l, seed, k));
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const quantile = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.floor(p * xs.length)] as number;

describe('lifetime distributions (seeded: known answers)', () => {
  test('the draws are a pure function of (seed, k): the same seed, the same values; another seed, others', () => {
    const l = resolveLifetime(exponential('60s'), 'l');
    expect([0, 1, 2].map((k) => lifetimeOf(l, 1, k))).toEqual([0, 1, 2].map((k) => lifetimeOf(l, 1, k)));
    expect(lifetimeOf(l, 1, 0)).not.toBe(lifetimeOf(l, 2, 0));
    expect(uniformAt(1, 2 ** 40)).not.toBe(uniformAt(1, 0)); // past 32 bits of k too
  });

  test('uniform draws in (0, 1): mean 1/2, variance 1/12, within 4 standard errors over 100,000', () => {
    const u = Array.from({ length: N }, (_, k) => uniformAt(5, k));
    expect(Math.min(...u)).toBeGreaterThan(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / N));
    expect(Math.abs(mean(u.map((x) => (x - 0.5) ** 2)) - 1 / 12)).toBeLessThan(0.001);
  });

  test('the inverse normal: known quantiles', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232, 5);
  });

  test('fixed: every draw is the value', () => {
    expect(new Set(draws(resolveLifetime('2s', 'l')))).toEqual(new Set([2000]));
    expect(new Set(draws(resolveLifetime(fixed(750), 'l')))).toEqual(new Set([750]));
  });

  test('exponential (mean 60 s): sample mean within 4 standard errors, median ln 2 × 60 s within 1%', () => {
    const l = resolveLifetime(exponential('60s'), 'l');
    const xs = draws(l, 3);
    expect(Math.abs(mean(xs) - 60_000)).toBeLessThan(4 * (60_000 / Math.sqrt(N)));
    expect(Math.abs(quantile(xs, 0.5) / (60_000 * Math.LN2) - 1)).toBeLessThan(0.01);
    expect(lifetimeQuantile(l, 0.99)).toBeCloseTo(60_000 * Math.log(100), 6);
  });

  test('uniform(30 s, 90 s): in range, mean 60 s, quartiles at 45 s and 75 s', () => {
    const l = resolveLifetime(uniform('30s', '90s'), 'l');
    const xs = draws(l, 4);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(30_000);
    expect(Math.max(...xs)).toBeLessThanOrEqual(90_000);
    expect(Math.abs(mean(xs) - 60_000)).toBeLessThan(4 * (60_000 / Math.sqrt(12) / Math.sqrt(N)));
    expect(Math.abs(quantile(xs, 0.25) - 45_000)).toBeLessThan(300);
    expect(Math.abs(quantile(xs, 0.75) - 75_000)).toBeLessThan(300);
  });

  test('lognormal: by median (60 s, sigma 0.5) the median; by mean (60 s, sigma 1) the mean', () => {
    const byMedian = resolveLifetime(lognormal({ median: '60s', sigma: 0.5 }), 'l');
    expect(Math.abs(quantile(draws(byMedian, 6), 0.5) / 60_000 - 1)).toBeLessThan(0.01);
    expect(lifetimeQuantile(byMedian, 0.5)).toBeCloseTo(60_000, 6);
    const byMean = resolveLifetime(lognormal({ mean: '60s', sigma: 1 }), 'l');
    expect(meanLifetime(byMean)).toBeCloseTo(60_000, 6);
    // a heavy tail: the standard error of the mean is 60 s × √(e − 1) / √N
    expect(Math.abs(mean(draws(byMean, 7)) - 60_000)).toBeLessThan(4 * ((60_000 * Math.sqrt(Math.E - 1)) / Math.sqrt(N)));
  });

  test.each([
    [{ dist: 'uniform', min: '9s', max: '3s' }, 'l: uniform max (3000 ms) must be at least min (9000 ms)'],
    [{ dist: 'lognormal', sigma: 1 }, 'l: a lognormal lifetime takes its median or its mean (one of them)'],
    [{ dist: 'lognormal', median: '1s', sigma: -1 }, 'l.sigma must be a number more than 0 and at most 5 (got -1)'],
    ['0s', 'l must be more than 0s (got "0s")'],
    [{ dist: 'gamma' }, 'l must be a duration ("60s") or fixed(d), uniform(min, max), exponential(mean), lognormal({ median, sigma }) (got {"dist":"gamma"})'],
  ])('bad lifetime %j: one clear line', (l, line) => {
    expect(() => resolveLifetime(l, 'l')).toThrow(line);
  });
});

describe('arrive stages: the plan', () => {
  test('even: ceil(rate × duration) arrivals every 1/rate s; numbered after the ramped VUs; each departs after its lifetime', () => {
    const stages = planStages([ramp('1s', 10), arrive('2s', 2.5, { lifetime: '3s', spacing: 'even' }), hold('5s')]);
    expect(plannedArrivals(stages)).toBe(5);
    const ev = planVuEvents(stages).filter((e) => e.vu >= 10);
    expect(ev.filter((e) => e.kind === 'start').map((e) => [e.vu, e.atMs])).toEqual([[10, 1000], [11, 1400], [12, 1800], [13, 2200], [14, 2600]]);
    expect(ev.filter((e) => e.kind === 'depart').map((e) => [e.vu, e.atMs])).toEqual([[10, 4000], [11, 4400], [12, 4800], [13, 5200], [14, 5600]]);
    expect(stages[1]).toMatchObject({ from: 10, to: 10 });
  });

  test('poisson: exactly rate × duration arrivals, in order, inside the stage, gaps averaging 1/rate', () => {
    const a = resolveArrivals({ rate: 50, lifetime: '1s', seed: 9 }, 60_000, 'a');
    const t = [...arrivalTimes(a, 60_000)];
    expect(t).toHaveLength(3000);
    expect(t.every((x, i) => x >= 0 && x < 60_000 && (i === 0 || x >= (t[i - 1] as number)))).toBe(true);
    const gaps = t.slice(1).map((x, i) => x - (t[i] as number));
    expect(Math.abs(mean(gaps) - 20)).toBeLessThan(4 * (20 / Math.sqrt(gaps.length)));
    // exponential gaps: their coefficient of variation is 1
    const sd = Math.sqrt(mean(gaps.map((g) => (g - mean(gaps)) ** 2)));
    expect(Math.abs(sd / mean(gaps) - 1)).toBeLessThan(0.1);
  });

  test('the shares of 3 segments × 2 workers hold every arrival and departure exactly once, at the same times', () => {
    const stages = planStages([arrive('10s', 33, { lifetime: exponential('2s') })]);
    const whole = planVuEvents(stages);
    const parts: VuEvent[] = [];
    for (let s = 0; s < 3; s++) {
      for (let w = 0; w < 2; w++) {
        const share: Share = { segment: { index: s, count: 3 }, worker: { index: w, count: 2 } };
        parts.push(...planVuEvents(stages, share));
      }
    }
    const key = (e: VuEvent): string => `${e.vu}:${e.kind}:${e.atMs}`;
    expect(parts.map(key).sort()).toEqual(whole.map(key).sort());
    expect(whole.filter((e) => e.kind === 'start')).toHaveLength(330);
  });

  test('Little windows: from the p99 lifetime (the max of a bounded one) to the stage end; expected open and tolerance per share', () => {
    expect(arrivalPlan([arrive('20s', 10, { lifetime: '4s' })])).toEqual({
      planned: 200, arriveSec: 20,
      // 10/s × 4 s = 40 open; over 17 s, variance min(40, 0.01/ms × (4000 ms)² / 17000 ms)
      windows: [{ stage: 0, fromSec: 3, toSec: 19, expectedOpen: 40, tolerance: Math.round((1 + 3 * Math.sqrt(0.01 * 16e6 / 17_000)) * 100) / 100 }],
    });
    const half = arrivalPlan([ramp('1s', 4), arrive('10s', 10, { lifetime: '1s' })], { index: 1, count: 2 });
    expect(half).toMatchObject({ planned: 50, windows: [{ expectedOpen: 2 + 5 }] });
    expect(arrivalPlan([ramp('1s', 4)])).toBeUndefined();
  });

  test.each([
    [[arrive('10s', 0, { lifetime: '1s' })], 'stages[0].arrive.rate must be a number of new VUs a second, more than 0 (got 0)'],
    [[{ duration: '10s', arrive: { rate: 5 } }], "stages[0].arrive.lifetime is missing: arrive('30s', 10, { lifetime: '60s' })"],
    [[arrive('10s', 5, { lifetime: '1s', spacing: 'burst' as 'even' })], 'stages[0].arrive.spacing must be "poisson" or "even" (got "burst")'],
    [[{ duration: '1s', target: 3, arrive: { rate: 1, lifetime: '1s' } }], 'stages[0] is an arrive stage: it takes no target (its VUs come and go)'],
    [[arrive('10s', 5, { lifetime: '1s', seed: 1.5 })], 'stages[0].arrive.seed must be a whole number from 0 to 4294967295 (got 1.5)'],
  ])('bad arrive stage: one clear line', (stages, line) => {
    expect(() => planStages(stages)).toThrow(line);
  });
});

describe('sizing from the plan', () => {
  test('the peak of VUs alive at once: rate × lifetime for fixed lifetimes, plus the held ramp', () => {
    expect(peakVus(planStages([arrive('10s', 10, { lifetime: '2s', spacing: 'even' })]))).toBe(20);
    expect(peakVus(planStages([ramp('1s', 5), arrive('5s', 10, { lifetime: '1s', spacing: 'even' })]))).toBe(15);
    expect(peakVus(planStages([ramp('1s', 7), hold('1s')]))).toBe(7);
  });

  test('k6: one constant-arrival-rate scenario an arrive stage, whole rates per time unit, VUs from rate × lifetime', () => {
    const o = { stages: [ramp('1s', 5), arrive('10s', 2.5, { lifetime: exponential('4s') }), hold('5s')] } as unknown as ResolvedOptions;
    // open 2.5 × 4 = 10: preallocated 10 + 3√10 + 2 = 22; at most 2.5 × p99.9 (27.6 s) + 2 = 72, no more than the 25 arriving
    expect(k6ArrivalScenarios(o, 'x', 3000)).toEqual({
      x_arrive1: { executor: 'constant-arrival-rate', rate: 5, timeUnit: '2s', duration: '10s', startTime: '1s', preAllocatedVUs: 22, maxVUs: 25, gracefulStop: '8s' },
    });
    const third = k6ArrivalScenarios({ stages: [arrive('9s', 1 / 3, { lifetime: '1s' })] } as unknown as ResolvedOptions, 'x', 0);
    expect(third.x_arrive0).toMatchObject({ rate: 1, timeUnit: '3s' });
    expect(() => k6ArrivalScenarios({ stages: [arrive('7s', 1 / 7, { lifetime: '1s' })] } as unknown as ResolvedOptions, 'x', 0)).toThrow(
      'stages[0].arrive.rate: k6 takes a whole number of arrivals per time unit; 0.14285714285714285/s is none over 1 to 1000 s (use e.g. 0.14)',
    );
  });

  test("k6: the ramping scenario's lives are the ramped VUs only, in order", () => {
    expect(lifeVus(runPlan(undefined, [ramp('1s', 3), arrive('2s', 5, { lifetime: '1s' })], 'x').stages)).toEqual([0, 1, 2]);
  });
});

describe('--arrival-rate, --lifetime, --lifetime-dist', () => {
  const planned = planStages([ramp('10s', 100), hold('20s')]);
  test('rewrite the stages as one arrive stage of --duration (default: the scenario\'s length)', () => {
    expect(arrivalStages(planned, { arrivalRate: 5, lifetime: 60_000 })).toEqual([arrive('30000ms', 5, { lifetime: '60000ms' })]);
    expect(arrivalStages(planned, { arrivalRate: 5, lifetime: 1000, lifetimeDist: 'exp', duration: 4000 })).toEqual([arrive('4000ms', 5, { lifetime: exponential('1000ms') })]);
    expect(arrivalStages(planned, {})).toBeUndefined();
  });
  test.each([
    [{ lifetime: 1000 }, '--lifetime and --lifetime-dist go with --arrival-rate (new connections a second)'],
    [{ arrivalRate: 5 }, '--arrival-rate needs --lifetime: how long each connection lives, e.g. --lifetime 60s'],
    [{ arrivalRate: 5, lifetime: 1000, conns: 10 }, '--arrival-rate replaces --conns and --ramp: connections arrive at that rate for --duration'],
    [{ arrivalRate: -1, lifetime: 1000 }, '--arrival-rate must be more than 0 new connections a second (got -1)'],
  ])('%j: one clear line', (o, line) => {
    expect(() => arrivalStages(planned, o)).toThrow(line);
  });
});
