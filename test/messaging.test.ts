import path from 'node:path';
import { FaultServer, startFaultServer } from './fault-server';
import { ROOT, runCli } from './helpers';

const messaging = path.join(ROOT, 'scenarios', 'messaging.ts');
const connectOnly = path.join(ROOT, 'scenarios', 'connect-only.ts');
/**
 * 20 connections, 1 s ramp, 2 s hold: sending starts 500 ms into the hold and stops 500 ms before
 * its end (warmup and drain are a quarter of a short hold), so each connection sends exactly
 * floor(1000 ms × 10/s) = 10 messages: 200 in all, known before the run.
 */
const CONNS = 20;
const PER_CONN = 10;
// a count threshold: the default latency goals would make the exit code depend on the machine's load
const short = (conns = CONNS): string[] => [
  '--conns', String(conns), '--duration', '3s', '--ramp', '1s', '--msg-rate', '10', '--msg-size', '200', '--threshold', 'connections.successRate >= 1',
];

describe('messaging mode, end to end', () => {
  test('against the embedded server every message is delivered once: lost 0, delivered = sent, no duplicates', async () => {
    const r = await runCli('wsbench', ['--mode', 'messaging', ...short()]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    const s = r.summary!;
    expect(s.scenario).toBe('messaging');
    expect(s.connections).toMatchObject({ attempted: CONNS, succeeded: CONNS, failed: 0 });
    expect(s.messages).toMatchObject({
      sent: CONNS * PER_CONN, expected: CONNS * PER_CONN, delivered: CONNS * PER_CONN, received: CONNS * PER_CONN,
      acked: CONNS * PER_CONN, ackTimeouts: 0, lost: 0, lossRate: 0, duplicated: 0, outOfOrder: 0, stale: 0,
      frames: { sent: CONNS * PER_CONN, received: 2 * CONNS * PER_CONN },
    });
    expect(s.messages.latencyMs.count).toBe(CONNS * PER_CONN);
    expect(s.messages.ackRttMs.count).toBe(CONNS * PER_CONN);
    expect(s.messages.throughput.sentPerSec).toBeGreaterThan(0);
    expect(s.messages.throughput.deliveredPerSec).toBeGreaterThan(0);
    expect(r.stdout).toContain('--- Messages ---');
    expect(r.stdout).toContain(`Delivered:      ${CONNS * PER_CONN} / ${CONNS * PER_CONN} expected`);
    expect(r.stdout).toContain('Lost:           0 (0.00%)');
  });

  test('rooms of 5 over 2 worker processes and a 2-process server: every member but the sender gets each message', async () => {
    // 12 users: rooms {0-4}, {5-9}, {10, 11}; a message reaches 4, 4 or 1 other members
    const r = await runCli('runner', ['run', messaging, ...short(12), '--room-size', '5', '--workers', '2', '--server-workers', '2']);
    expect(r.code).toBe(0);
    const s = r.summary!;
    const expected = PER_CONN * (10 * 4 + 2 * 1);
    expect(s.runner.workers).toHaveLength(2);
    expect(s.messages).toMatchObject({ sent: 12 * PER_CONN, expected, delivered: expected, lost: 0, duplicated: 0, outOfOrder: 0, acked: 12 * PER_CONN });
    expect(s.messages.latencyMs.count).toBe(expected);
  });

  describe('against a server that drops every 10th delivery', () => {
    let server: FaultServer;
    beforeAll(async () => {
      server = await startFaultServer({ deliver: { dropEvery: 10 } });
    });
    afterAll(() => server.close());

    test('exactly 10% are reported lost, counted across 2 worker processes', async () => {
      const r = await runCli('runner', ['run', messaging, ...short(), '--target', server.url, '--workers', '2']);
      const s = r.summary!;
      const sent = CONNS * PER_CONN;
      expect(server.counts.sends).toBe(sent);
      expect(server.counts.dropped).toBe(sent / 10);
      expect(s.messages).toMatchObject({ sent, acked: sent, expected: sent, delivered: sent - sent / 10, lost: sent / 10, lossRate: 0.1, duplicated: 0 });
      expect(r.stdout).toContain(`Lost:           ${sent / 10} (10.00%)`);
    });
  });

  describe('against a server that delays every delivery by 50 ms', () => {
    let server: FaultServer;
    beforeAll(async () => {
      server = await startFaultServer({ deliver: { delayMs: 50 } });
    });
    afterAll(() => server.close());

    test('delivery P50 is 50 ms (±5), the ack round trip is not delayed', async () => {
      const r = await runCli('runner', ['run', messaging, ...short(), '--target', server.url]);
      const s = r.summary!;
      expect(s.messages).toMatchObject({ sent: CONNS * PER_CONN, delivered: CONNS * PER_CONN, lost: 0 });
      expect(s.messages.latencyMs.p50).toBeGreaterThanOrEqual(45);
      expect(s.messages.latencyMs.p50).toBeLessThanOrEqual(55);
      expect(s.messages.latencyMs.min).toBeGreaterThanOrEqual(49); // a 50 ms timer may fire a hair early
      expect(s.messages.ackRttMs.p50).toBeLessThan(45);
    });
  });

  describe('--ping-type app: the JSON ping {"type":"ping"} and its pong feed the pong rate', () => {
    test('against the embedded server every app ping is answered; pongs are heartbeats, not messages', async () => {
      const r = await runCli('runner', ['run', connectOnly, '--conns', '10', '--duration', '2s', '--ramp', '500ms', '--ping-interval', '500ms', '--ping-type', 'app']);
      expect(r.code).toBe(0);
      const s = r.summary!;
      expect(s.heartbeat.pingsSent).toBeGreaterThanOrEqual(10 * 2);
      expect(s.heartbeat.pongsReceived).toBe(s.heartbeat.pingsSent);
      expect(s.heartbeat.pongRate).toBe(1);
      expect(s.heartbeat.rttMs.count).toBe(s.heartbeat.pingsSent);
      expect(s.messages.frames).toEqual({ sent: 0, received: 0 });
    });

    describe('against a server that answers every other app ping', () => {
      let server: FaultServer;
      beforeAll(async () => {
        server = await startFaultServer({ pongEvery: 2 });
      });
      afterAll(() => server.close());

      test("pings and pongs match the server's own counts, pong rate = pongs / pings", async () => {
        const r = await runCli('runner', [
          'run', connectOnly, '--conns', '10', '--duration', '3s', '--ramp', '500ms', '--ping-interval', '500ms', '--pong-timeout', '300ms',
          // unanswered pings keep the end-of-run drain waiting up to max(connect, pong timeout): keep it short
          '--connect-timeout', '1s', '--ping-type', 'app', '--target', server.url,
        ]);
        const s = r.summary!;
        expect(server.counts.pings).toBe(0); // no protocol pings
        expect(s.heartbeat.pingsSent).toBe(server.counts.appPings);
        expect(s.heartbeat.pongsReceived).toBe(server.counts.appPongs);
        expect(s.heartbeat.pongRate).toBe(Math.round((server.counts.appPongs / server.counts.appPings) * 1e4) / 1e4);
        expect(Math.abs((s.heartbeat.pongRate as number) - 0.5)).toBeLessThanOrEqual(0.05);
      });
    });
  });
});
