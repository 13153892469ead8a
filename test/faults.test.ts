import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { FaultServer, startFaultServer } from './fault-server';
import { ROOT, runCli } from './helpers';
import type { Summary } from '../lib/results/summary';

/**
 * Faults before the connection opens: every attempt ends as exactly one of succeeded / failed,
 * failures under the right class, and nothing waits past its timeout.
 */
const scenario = path.join(ROOT, 'scenarios', 'connect-only.ts');

function expectEveryAttemptAccounted(s: Summary): void {
  const c = s.connections;
  expect(c.succeeded + c.failed + c.aborted).toBe(c.attempted);
  expect(Object.values(c.errors).reduce((a, b) => a + b, 0)).toBe(c.failed);
}

async function withServer<T>(opts: Parameters<typeof startFaultServer>[0], fn: (s: FaultServer) => Promise<T>): Promise<T> {
  const server = await startFaultServer(opts);
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

describe('faults before the upgrade', () => {
  test('every 5th of 500 upgrades rejected with 503: 400 succeeded, 100 "HTTP 503"', () =>
    withServer({ rejectEvery: { k: 5, status: 503 } }, async (server) => {
      const r = await runCli('runner', ['run', scenario, '--target', server.url, '--conns', '500', '--duration', '2s', '--ramp', '1s']);
      const s = r.summary!;
      expect(s.connections).toMatchObject({ attempted: 500, succeeded: 400, failed: 100, successRate: 0.8, errors: { 'HTTP 503': 100 }, final: 400 });
      expectEveryAttemptAccounted(s);
      expect(server.counts).toMatchObject({ upgrades: 500, rejected: 100, accepted: 400 });
      expect(r.stdout).toContain('100  HTTP 503  → the server rejected the upgrade');
      expect(r.code).toBe(99); // the default success-rate threshold
    }));

  test('a 50 ms upgrade delay puts the P50 connect latency between 50 and 60 ms', () =>
    withServer({ upgradeDelayMs: 50 }, async (server) => {
      const r = await runCli('runner', ['run', scenario, '--target', server.url, '--conns', '100', '--duration', '2s', '--ramp', '1s']);
      const s = r.summary!;
      expect(s.connections).toMatchObject({ attempted: 100, succeeded: 100, failed: 0 });
      expect(s.connectLatencyMs.count).toBe(100);
      expect(s.connectLatencyMs.min).toBeGreaterThanOrEqual(50);
      expect(s.connectLatencyMs.p50).toBeGreaterThanOrEqual(50);
      expect(s.connectLatencyMs.p50).toBeLessThanOrEqual(60);
    }));

  test('a server that accepts TCP and never answers: every attempt fails as "timeout", none hangs', () =>
    withServer({ neverAnswer: true }, async (server) => {
      const r = await runCli('runner', ['run', scenario, '--target', server.url, '--conns', '20', '--duration', '1s', '--ramp', '500ms', '--connect-timeout', '1s']);
      const s = r.summary!;
      expect(s.connections).toMatchObject({ attempted: 20, succeeded: 0, failed: 20, aborted: 0, errors: { timeout: 20 }, final: 0, peak: 0 });
      expect(server.counts.upgrades).toBe(20);
      expect(r.stdout).toContain('20  timeout  → the server accepted TCP but did not answer the upgrade in time');
      process.stdout.write(`never-answer, connect timeout 1s: run of 1s took ${s.durationSec}s\n`);
      // the last attempt starts by 0.5 s and times out 1 s later (~1.5 s measured). Not a speed check:
      // a drain that waited on these sockets would sit out its whole bound (pong timeout 10 s + 0.5 s)
      expect(s.durationSec).toBeLessThan(10);
    }));

  test('--handshake-timeout bounds the upgrade alone, under a longer connect timeout', () =>
    withServer({ neverAnswer: true }, async (server) => {
      const r = await runCli('runner', [
        'run', scenario, '--target', server.url, '--conns', '10', '--duration', '1s', '--ramp', '500ms',
        '--connect-timeout', '30s', '--handshake-timeout', '500ms',
      ]);
      const s = r.summary!;
      expect(s.connections).toMatchObject({ attempted: 10, failed: 10, aborted: 0, errors: { timeout: 10 } });
    }), 20_000); // the attempts end at 0.5 s; with the 30 s connect timeout alone the run would outlast the test

  test('a listener that never accepts: attempts past its backlog fail as "connect timeout"', async () => {
    // a process that listens with a backlog of 1 and then blocks: the kernel completes two TCP
    // handshakes (its accept queue) and drops the other SYNs
    const child: ChildProcess = spawn(process.execPath, ['-e', `
      const net = require('net');
      const s = net.createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
        process.stdout.write(String(s.address().port) + '\\n', () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000));
      });`]);
    try {
      const port = await new Promise<number>((resolve) => child.stdout?.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
      const r = await runCli('runner', [
        'run', scenario, '--target', `ws://127.0.0.1:${port}/ws`, '--conns', '10', '--duration', '1s', '--ramp', '500ms', '--connect-timeout', '1s',
      ]);
      const s = r.summary!;
      expect(s.connections).toMatchObject({ attempted: 10, succeeded: 0, failed: 10, aborted: 0 });
      expectEveryAttemptAccounted(s);
      // Linux queues backlog + 1 = 2 finished handshakes: those wait for an upgrade answer instead
      expect(s.connections.errors).toEqual({ timeout: 2, 'connect timeout': 8 });
      expect(r.stdout).toContain('connect timeout  → TCP connect timed out');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
