import path from 'node:path';
import { FaultServer, startFaultServer } from './fault-server';
import { ROOT, runCli } from './helpers';

const scenario = path.join(ROOT, 'scenarios', 'connect-only.ts');
const short = ['--conns', '500', '--duration', '5s', '--ramp', '2s', '--ping-interval', '1s'];

describe('runner run, end to end against real servers', () => {
  test('500 connections against the embedded server: all connect, every ping answered', async () => {
    // thresholds on counts only: a latency threshold would make the exit code depend on machine load
    const r = await runCli('runner', ['run', scenario, ...short, '--threshold', 'connections.successRate >= 0.99', '--threshold', 'heartbeat.pongRate >= 0.99']);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    const s = r.summary!;
    expect(s.connections).toMatchObject({ attempted: 500, succeeded: 500, failed: 0, successRate: 1, disconnected: 0, final: 500, peak: 500 });
    expect(s.connectLatencyMs.count).toBe(500);
    expect(s.heartbeat.pingsSent).toBeGreaterThanOrEqual(500 * 3);
    expect(s.heartbeat.pongsReceived).toBe(s.heartbeat.pingsSent);
    expect(s.heartbeat.pongRate).toBe(1);
    expect(s.heartbeat.rttMs.count).toBe(s.heartbeat.pingsSent);
    expect(s.durationSec).toBeGreaterThanOrEqual(5);
    expect(r.stdout).toContain('Success rate:   100.00%');
  });

  describe('against a server that answers every other ping', () => {
    let server: FaultServer;
    beforeAll(async () => {
      server = await startFaultServer({ pongEvery: 2 });
    });
    afterAll(() => server.close());

    test('pong rate is 0.5 and the pong-rate threshold fails with exit 99', async () => {
      const r = await runCli('runner', ['run', scenario, ...short, '--pong-timeout', '1s', '--target', server.url]);
      const s = r.summary!;
      expect(s.connections.succeeded).toBe(500);
      expect(s.heartbeat.pingsSent).toBe(server.counts.pings);
      expect(s.heartbeat.pongsReceived).toBe(server.counts.pongs);
      expect(Math.abs((s.heartbeat.pongRate as number) - 0.5)).toBeLessThanOrEqual(0.02);
      expect(s.thresholds['heartbeat.pongRate >= 0.99']).toEqual({ ok: false, value: s.heartbeat.pongRate });
      expect(r.stdout).toMatch(/✗ heartbeat\.pongRate >= 0\.99/);
      expect(r.code).toBe(99);
    });
  });

  test('a target that refuses connections finishes the run and counts ECONNREFUSED', async () => {
    const r = await runCli('runner', ['run', scenario, '--conns', '50', '--duration', '1s', '--ramp', '500ms', '--target', 'ws://127.0.0.1:1/ws']);
    const s = r.summary!;
    expect(s.connections).toMatchObject({ attempted: 50, succeeded: 0, failed: 50, errors: { ECONNREFUSED: 50 } });
    expect(r.stdout).toContain('ECONNREFUSED  → nothing listens at the target');
    expect(r.code).toBe(99);
  });

  test('wsbench with the seed tool flags runs the built-in scenario and fills every field', async () => {
    const r = await runCli('wsbench', ['--conns', '100', '--duration', '3s', '--ramp', '1s', '--ping-interval', '1s']);
    const s = r.summary!;
    // the seed's goals are the default thresholds; the exit code follows them (p99 < 100 ms depends on load)
    expect(r.code).toBe(Object.values(s.thresholds).every((t) => t.ok) ? 0 : 99);
    expect(s.scenario).toBe('connect-only');
    expect(s.target).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
    expect(Date.parse(s.startedAt)).toBeGreaterThan(0);
    expect(s.connections).toMatchObject({ attempted: 100, succeeded: 100, failed: 0, successRate: 1, disconnected: 0, final: 100, peak: 100, errors: {} });
    for (const k of ['count', 'min', 'max', 'avg', 'stddev', 'p50', 'p90', 'p95', 'p99'] as const) expect(typeof s.connectLatencyMs[k]).toBe('number');
    expect(s.connectLatencyMs.min).toBeGreaterThan(0);
    expect(s.heartbeat.pongRate).toBe(1);
    expect(s.messages).toMatchObject({ sent: 0, received: 0, lost: 0 });
    expect(Object.keys(s.thresholds)).toHaveLength(3);
  });
});
