import { CLOSE_FORCE_MS, CLOSE_HANDSHAKE_MS, DRAIN_SLACK_MS, drainMs, endGraceMs } from '../lib/core/drain';
import { k6Options } from '../lib/k6/options';
import { k6Own } from '../lib/k6/names';
import { lifeVu } from '../lib/k6/life-vu';
import { goDurationMs, runPlan } from '../lib/k6/run-plan';
import { lifeVus } from './life-vus';
import { emptyThresholdWarnings } from '../lib/k6/summary';
import { resolveOptions } from '../lib/options/options';
import { ConfigError } from '../lib/scenario/config-error';
import { arrive } from '../lib/scenario/arrivals';
import { hold, planStages, ramp, Stage, totalDurationMs } from '../lib/scenario/stages';

/**
 * What a k6 VU makes of what k6 runs (lib/k6/run-plan.ts), the warnings of thresholds that judged
 * no data (lib/k6/summary.ts), and the one drain rule of both engines (lib/core/drain.ts).
 */

const OWN = [ramp('30s', 1000), hold('30s')];
const levels = (stages: ReturnType<typeof runPlan>['stages']): Array<[number, number]> => planStages(stages).map((s) => [s.durationMs, s.to]);

describe('the VU plan from exec.test.options', () => {
  test("the bundle's own scenario: its stages, and life j is VU j", () => {
    const p = runPlan({ executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '30s', target: 1000 }, { duration: '30s', target: 1000 }] }, OWN, 'x');
    expect(levels(p.stages)).toEqual([[30_000, 1000], [30_000, 1000]]);
    expect(p.endMs).toBe(60_000);
    expect(lifeVus(p.stages).slice(0, 3)).toEqual([0, 1, 2]);
    expect(lifeVus(p.stages)).toHaveLength(1000);
  });

  test('--stage 4s:60 --stage 10s:60: k6 starts at 1 VU (its startVUs default), then the stages', () => {
    const p = runPlan({ executor: 'ramping-vus', startVUs: null, stages: [{ duration: '4s', target: 60 }, { duration: '10s', target: 60 }] }, OWN, 'default');
    expect(levels(p.stages)).toEqual([[0, 1], [4000, 60], [10_000, 60]]);
    expect(p.endMs).toBe(14_000);
    expect(lifeVus(p.stages)).toHaveLength(60);
  });

  test('--vus 20 --duration 1m30s: 20 VUs at once, held; --vus 20 alone (k6 >= 2.1): 20 at once for the scenario\'s length', () => {
    expect(levels(runPlan({ executor: 'constant-vus', vus: 20, duration: '1m30s' }, OWN, 'default').stages)).toEqual([[0, 20], [90_000, 20]]);
    expect(levels(runPlan({ executor: 'constant-vus', vus: null, duration: '1.5s' }, OWN, 'default').stages)).toEqual([[0, 1], [1500, 1]]);
    const p = runPlan({ executor: 'shared-iterations', vus: 20, iterations: 20 }, OWN, 'default');
    expect(levels(p.stages)).toEqual([[0, 20], [60_000, 20]]);
  });

  test('a ramp down and up again: a VU started again is a new life with its old index, as on Node', () => {
    const p = runPlan({ executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '2s', target: 2 }, { duration: '2s', target: 0 }, { duration: '2s', target: 1 }] }, OWN, 'x');
    expect(lifeVus(p.stages)).toEqual([0, 1, 0]);
  });

  test('lifeVu (what a VU asks at its life\'s start) is lifeVus()[j], j past the plan\'s lives: ramps up and down, 0 s ramps, arrive stages', () => {
    const plans: Stage[][] = [
      OWN,
      [ramp('2s', 2), ramp('2s', 0), ramp('2s', 1)],
      [ramp('0s', 3), ramp('0s', 5), hold('1s'), ramp('3s', 1), ramp('1s', 4), ramp('1s', 0)],
      [ramp('1s', 3), arrive('2s', 5, { lifetime: '1s' }), ramp('1s', 1), ramp('2s', 6)],
    ];
    for (const stages of plans) {
      const all = lifeVus(stages);
      for (let j = 0; j < all.length + 3; j++) expect(lifeVu(stages, j)).toBe(all[j] ?? j);
    }
  });

  test('--iterations, or another executor: one line naming it', () => {
    const refuse = (sc: Parameters<typeof runPlan>[0]): string => {
      try {
        runPlan(sc, OWN, 'default');
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      throw new Error('not refused');
    };
    expect(refuse({ executor: 'shared-iterations', vus: null, iterations: 3 })).toBe(
      'k6 scenario "default" runs the shared-iterations executor with 3 iterations: a wsbench bundle runs one connection\'s life per VU over stages; use --stage, or --vus with --duration, or the bundle\'s own options',
    );
    expect(refuse({ executor: 'constant-arrival-rate' })).toMatch(/^k6 scenario "default" runs the constant-arrival-rate executor: /);
  });

  test('no scenario shown (a k6 without exec.test.options): the scenario\'s own stages', () => {
    expect(totalDurationMs(planStages(runPlan(undefined, OWN, 'x').stages))).toBe(60_000);
  });

  test('Go durations as k6 prints them', () => {
    expect(['0s', '500ms', '1.5s', '1m0s', '2h0m30s', '250µs', '3ns'].map((d) => goDurationMs(d, 'd'))).toEqual([0, 500, 1500, 60_000, 7_230_000, 0.25, 3e-6]);
    expect(() => goDurationMs('5 s', 'stage 1')).toThrow('stage 1: k6 shows the duration "5 s", which wsbench cannot read');
  });
});

describe('thresholds that judged no data on k6', () => {
  const o = resolveOptions('t', { stages: [ramp('1s', 1)], thresholds: ['connectLatencyMs.p99 < 100', 'heartbeat.pongRate >= 0.99', 'connections.failed < 1', 'connections.successRate >= 0.99'] }, {});
  const { sources } = k6Options(o, 't', k6Own());

  test('an empty Rate, a Trend of count 0 and a metric k6 does not list warn; a Counter at 0 and a Rate with samples do not', () => {
    const data = {
      metrics: {
        ws_connect_latency: { type: 'trend', values: { avg: 0, 'p(99)': 0, count: 0 } },
        ws_pong_rate: { type: 'rate', values: { rate: 0, passes: 0, fails: 0 } },
        ws_connect_errors: { type: 'counter', values: { count: 0, rate: 0 } },
        ws_connect_success: { type: 'rate', values: { rate: 0, passes: 0, fails: 20 } },
      },
    };
    expect(emptyThresholdWarnings(data, sources)).toEqual([
      'wsbench: no data for threshold "connectLatencyMs.p99 < 100" (k6: ws_connect_latency p(99)<100): nothing was measured, so k6 shows it as passed; runner run reports it as "no data"',
      'wsbench: no data for threshold "heartbeat.pongRate >= 0.99" (k6: ws_pong_rate rate>=0.99): nothing was measured, so k6 shows it as passed; runner run reports it as "no data"',
    ]);
    expect(emptyThresholdWarnings({ metrics: {} }, sources)).toHaveLength(3);
    data.metrics.ws_connect_latency.values.count = 3;
    data.metrics.ws_pong_rate.values.passes = 1;
    expect(emptyThresholdWarnings(data, sources)).toEqual([]);
  });
});

test('one drain rule: the longer timeout plus 500 ms; k6\'s gracefulStop adds the closes (15 s with the 10 s defaults)', () => {
  const o = resolveOptions('t', { stages: [ramp('1s', 1)], pongTimeout: '2s', connectTimeout: '3s' }, {});
  expect(drainMs(o)).toBe(3000 + DRAIN_SLACK_MS);
  expect(endGraceMs(o)).toBe(drainMs(o) + CLOSE_HANDSHAKE_MS + CLOSE_FORCE_MS + DRAIN_SLACK_MS);
  const defaults = resolveOptions('t', { stages: [ramp('1s', 1)] }, {});
  expect(k6Options(defaults, 't', k6Own()).options.scenarios.t?.gracefulStop).toBe('15s');
});
