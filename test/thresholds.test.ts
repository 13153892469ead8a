import { evaluate, liveBreach, parseThreshold } from '../lib/results/thresholds';
import { CONNECT_ONLY as scenario, readSummary, runCli } from './helpers';

const t = (...exprs: string[]): string[] => exprs.flatMap((e) => ['--threshold', e]);

/** The printed threshold lines of a run's stdout. */
const thresholdLines = (stdout: string): string[] => stdout.split('\n').filter((l) => /^[✓✗–] /.test(l));

describe('thresholds: parsing and "no data"', () => {
  test('k6-like syntax, % and abortOnFail', () => {
    expect(parseThreshold('connections.successRate >= 99.5%')).toEqual({
      expr: 'connections.successRate >= 99.5%', path: ['connections', 'successRate'], op: '>=', value: 0.995, abortOnFail: false,
    });
    expect(parseThreshold(' connectLatencyMs.p99<100, abortOnFail ')).toMatchObject({ path: ['connectLatencyMs', 'p99'], op: '<', value: 100, abortOnFail: true });
  });

  test('a statistic of a trend with no samples, a rate with no attempts, a pong rate with no pings: no data, not a pass on 0', () => {
    const s = {
      connections: { attempted: 0, successRate: 0 },
      connectLatencyMs: { count: 0, p99: 0 },
      heartbeat: { pongRate: null },
    };
    const r = evaluate(s, ['connectLatencyMs.p99 < 100', 'connections.successRate >= 0.99', 'heartbeat.pongRate >= 0.99', 'connectLatencyMs.count > 0'].map(parseThreshold));
    expect(r).toEqual({
      'connectLatencyMs.p99 < 100': { ok: true, value: null },
      'connections.successRate >= 0.99': { ok: true, value: null },
      'heartbeat.pongRate >= 0.99': { ok: true, value: null },
      'connectLatencyMs.count > 0': { ok: false, value: 0 },
    });
    // live, "no data yet" never aborts; a crossed abortOnFail threshold does
    const abort = ['connectLatencyMs.p99 < 100, abortOnFail', 'connectLatencyMs.count < 1, abortOnFail'].map(parseThreshold);
    expect(liveBreach(s, abort)).toBeUndefined();
    expect(liveBreach({ ...s, connectLatencyMs: { count: 3, p99: 150 } }, abort)).toEqual({ threshold: abort[0], value: 150 });
  });
});

describe('thresholds on real runs: ✓/✗ lines and exit codes', () => {
  const short = ['--conns', '20', '--duration', '2s', '--ramp', '1s'];

  test('all held: ✓ lines with the run\'s values, exit 0', async () => {
    const r = await runCli('runner', ['run', scenario, ...short, '--ping-interval', '500ms',
      ...t('connections.successRate >= 99%', 'heartbeat.pongRate >= 0.99', 'connections.attempted == 20')]);
    expect(r.code).toBe(0);
    const s = r.summary!;
    expect(s.thresholds).toEqual({
      'connections.successRate >= 99%': { ok: true, value: 1 },
      'heartbeat.pongRate >= 0.99': { ok: true, value: 1 },
      'connections.attempted == 20': { ok: true, value: 20 },
    });
    expect(thresholdLines(r.stdout)).toEqual([
      '✓ connections.successRate >= 99%   (1)',
      '✓ heartbeat.pongRate >= 0.99   (1)',
      '✓ connections.attempted == 20   (20)',
    ]);
    expect(s.health).toMatchObject({ successRate: 'excellent', pongRate: 'excellent' });
  });

  test('one crossed: ✗ line, exit 99; nothing measured shows as no data and does not fail', async () => {
    // the default ping interval (30 s) sends no ping in a 2 s run, and no message is sent
    const r = await runCli('runner', ['run', scenario, ...short,
      ...t('connections.attempted < 20', 'connections.succeeded == 20', 'heartbeat.pongRate >= 0.99', 'messages.latencyMs.p99 < 10')]);
    expect(r.code).toBe(99);
    expect(r.summary!.thresholds).toEqual({
      'connections.attempted < 20': { ok: false, value: 20 },
      'connections.succeeded == 20': { ok: true, value: 20 },
      'heartbeat.pongRate >= 0.99': { ok: true, value: null },
      'messages.latencyMs.p99 < 10': { ok: true, value: null },
    });
    expect(thresholdLines(r.stdout)).toEqual([
      '✗ connections.attempted < 20   (20)',
      '✓ connections.succeeded == 20   (20)',
      '– heartbeat.pongRate >= 0.99   (no data)',
      '– messages.latencyMs.p99 < 10   (no data)',
    ]);
  });

  test('abortOnFail stops the run at the first second it is crossed, marks the summary, exit 99', async () => {
    // 20 connections a second: by the end of second 0 more than 5 were attempted; the run was set for 30 s
    const expr = 'connections.attempted < 5, abortOnFail';
    const r = await runCli('runner', ['run', scenario, '--conns', '20', '--ramp', '1s', '--duration', '30s', ...t(expr, 'connections.failed == 0')]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(99);
    const s = r.summary!;
    expect(s.durationSec).toBeLessThan(10);
    expect(s.interrupted).toBe(true);
    expect(s.abortedByThreshold).toMatchObject({ threshold: expr, atSec: 1 });
    expect(s.abortedByThreshold!.value).toBeGreaterThanOrEqual(5);
    expect(s.thresholds[expr]).toEqual({ ok: false, value: s.connections.attempted });
    expect(s.thresholds['connections.failed == 0']).toEqual({ ok: true, value: 0 });
    expect(r.stdout).toContain(`*** ABORTED by threshold "${expr}" at second 1: partial results ***`);
    expect(thresholdLines(r.stdout)[0]).toBe(`✗ ${expr}   (${s.connections.attempted}; crossed at second 1 (${s.abortedByThreshold!.value}): run aborted)`);
    expect(r.stderr).toContain(`threshold ${expr} crossed at second 1 (${s.abortedByThreshold!.value}): aborting the run (abortOnFail)`);
    expect(readSummary(r.outDir).abortedByThreshold).toEqual(s.abortedByThreshold);
  });
});

