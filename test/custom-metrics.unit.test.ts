import { K6_BUILTIN_METRICS, M, METRICS } from '../lib/core/metric-names';
import { requestMetrics } from '../lib/helpers/request';
import { k6Own } from '../lib/k6/names';
import { Registry } from '../lib/metrics/registry';
import { checkMetrics } from '../lib/options/metrics-option';
import { resolveOptions } from '../lib/options/options';
import { hold, ramp } from '../lib/scenario/stages';
import { customMetrics } from '../lib/results/custom-metrics';
import { checkThresholdPaths } from '../lib/results/verdict';
import { parseThreshold } from '../lib/results/thresholds';

/** The metric table's derivations, `options.metrics`, and the summary's `metrics` block built from the declarations. */

const nulls = { count: 0, min: null, max: null, avg: null, stddev: null, p50: null, p90: null, p95: null, p99: null };

describe('the metric table (lib/core/metric-names.ts)', () => {
  test('M names wsbench\'s metrics only; k6Own() is what lib/k6 and the core record in every bundle', () => {
    expect(M.loopDelay).toBe('runner_event_loop_delay');
    expect(Object.values(M)).not.toContain('http_reqs');
    expect(Object.values(M)).not.toContain('ws_connect_success');
    expect(Object.values(M)).not.toContain('ws_connect_latency');
    expect(k6Own().map((d) => d.name)).toEqual([
      'ws_connect_errors', 'ws_disconnects', 'ws_pong_rate', 'ws_connect_attempts', 'ws_pings_sent', 'ws_pongs_received',
      'ws_connect_aborted', 'ws_send_buffer_full', 'vus_failed', 'vu_callback_errors', 'ws_connect_success', 'ws_connect_latency',
    ]);
    expect(K6_BUILTIN_METRICS.ws_connecting).toBe('trend');
    expect(K6_BUILTIN_METRICS.vus).toBe('gauge');
    expect(Object.keys(K6_BUILTIN_METRICS)).toHaveLength(Object.values(METRICS).filter((r) => r.k6Builtin).length);
  });
});

describe('options.metrics', () => {
  test('requestMetrics: exactly the trend and the timeouts counter a Requests records', () => {
    expect(requestMetrics({ trend: 'login_ms' })).toEqual({ login_ms: 'trend', login_ms_timeouts: 'counter' });
    expect(requestMetrics({ trend: 'login_ms', fromPlan: true })).toEqual({ login_ms: 'trend', login_ms_timeouts: 'counter', login_ms_from_plan: 'trend' });
    expect(requestMetrics({ trend: 'rtt', timeouts: 'lost' })).toEqual({ rtt: 'trend', lost: 'counter' });
  });

  test('checked: kinds, k6\'s name rule, no built-in name; wsbench\'s scenario-recorded names with their own kind', () => {
    expect(checkMetrics(undefined)).toEqual({});
    expect(checkMetrics({ a_b: 'rate', im_ack_rtt: 'trend' })).toEqual({ a_b: 'rate', im_ack_rtt: 'trend' });
    expect(() => checkMetrics(['x'])).toThrow("options.metrics must be an object of metric names and kinds, e.g. metrics: { login_ms: 'trend', app_errors: 'counter', ok_rate: 'rate' } (got [\"x\"])");
    expect(() => checkMetrics({ x_y: 'gauge' })).toThrow('options.metrics: "x_y" must be \'counter\', \'trend\' or \'rate\' (got "gauge")');
    expect(() => checkMetrics({ x: 'counter' })).toThrow('options.metrics: metric "x" is not a valid k6 metric name');
    expect(() => checkMetrics({ iterations: 'trend' })).toThrow('options.metrics: metric "iterations" is k6\'s own counter: k6 refuses a trend of that name at init (k6 metrics/registry.go NewMetric); pick another name');
    expect(() => checkMetrics({ ws_connect_attempts: 'counter' })).toThrow('options.metrics: metric "ws_connect_attempts" is wsbench\'s own counter (its figure is connections.attempted): pick another name');
    expect(() => checkMetrics({ im_ack_rtt: 'counter' })).toThrow('options.metrics: metric "im_ack_rtt" is wsbench\'s own trend (its figure is messages.ackRttMs): pick another name');
  });

  test('resolved into the options every VU sees; an error names the file', () => {
    const stages = [ramp('1s', 1), hold('1s')];
    expect(resolveOptions('s', { stages, metrics: { app_errors: 'counter' } }, {}, 'ws://x/ws').metrics).toEqual({ app_errors: 'counter' });
    expect(resolveOptions('s', { stages }, {}, 'ws://x/ws').metrics).toEqual({});
    expect(() => resolveOptions('s', { stages, metrics: { 'a.b': 'counter' } }, {}, 'ws://x/ws', 'x.ts')).toThrow(/^options\.metrics in x\.ts: metric "a\.b" is not a valid k6 metric name/);
  });
});

describe('the summary\'s metrics block (lib/results/custom-metrics.ts)', () => {
  test('declared: there from the start (0, null, null stats); undeclared: reported, with a warning', () => {
    const reg = new Registry();
    reg.add('app_errors', 2);
    reg.trend('login_ms', 5);
    reg.rate('seen_rate', true);
    reg.add(M.imAckTimeouts, 1);
    const got = customMetrics(reg.snapshot(), { app_errors: 'counter', never: 'counter', empty_ms: 'trend', ok_rate: 'rate', login_ms: 'counter' });
    expect(got.metrics).toEqual({ app_errors: 2, never: 0, empty_ms: nulls, ok_rate: null, login_ms: 0, seen_rate: 1 });
    expect(got.warnings).toEqual([
      "metric im_ack_timeouts is recorded but not declared: add im_ack_timeouts: 'counter' to options.metrics (a k6 run refuses an undeclared metric)",
      'metric login_ms is declared a counter but recorded as a trend: one kind per name (k6 refuses the other at init)',
      "metric seen_rate is recorded but not declared: add seen_rate: 'rate' to options.metrics (a k6 run refuses an undeclared metric)",
    ]);
    // declarations unknown (a merge of older segments): what was recorded, no warning
    const unknown = customMetrics(reg.snapshot(), undefined);
    expect(Object.keys(unknown.metrics)).toEqual(['app_errors', 'login_ms', 'seen_rate']);
    expect(unknown.metrics).toMatchObject({ app_errors: 2, login_ms: { count: 1, min: 5 }, seen_rate: 1 });
    expect(unknown.warnings).toEqual([]);
  });

  test('thresholds before the run: a declared name passes, an undeclared one or wsbench\'s own is one line', () => {
    const declared = { app_errors: 'counter' as const, login_ms: 'trend' as const };
    const check = (e: string): void => checkThresholdPaths([parseThreshold(e)], declared);
    expect(() => check('metrics.app_errors == 0')).not.toThrow();
    expect(() => check('metrics.login_ms.p95 < 300')).not.toThrow();
    expect(() => check('metrics.login_ms < 300')).toThrow('threshold "metrics.login_ms < 300": metrics.login_ms is not a numeric field of the summary');
    expect(() => check('metrics.app_errorz == 0')).toThrow(
      'threshold "metrics.app_errorz == 0": app_errorz is not declared: declare it in the scenario\'s options.metrics, e.g. metrics: { app_errorz: \'counter\' } (declared: app_errors, login_ms)',
    );
    expect(() => check('metrics.ws_session_duration.p99 < 1')).toThrow('threshold "metrics.ws_session_duration.p99 < 1": ws_session_duration is k6\'s own metric: wsbench does not record it');
    expect(() => checkThresholdPaths([parseThreshold('metrics.x == 0')], {})).toThrow('(none declared)');
  });
});
