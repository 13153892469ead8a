import path from 'node:path';
import os from 'node:os';
import { ROOT, runCli, waitForPoint, writeScenario, scenarioWith } from './helpers';
import { Rabbit, rabbitmqInstalled, settle, startRabbit } from './brokers/rabbitmq';

/**
 * scenarios/stomp.ts against a real broker: a private RabbitMQ node with rabbitmq_web_stomp
 * (test/brokers/rabbitmq.ts). Figures are held to the broker's own counters (management API).
 * 300 VUs, 3 s ramp, 7 s hold, 2 messages/s: sending starts 1 s into the hold (warmup) and stops
 * 1.75 s before its end (drain, a quarter of the hold), so each VU sends floor(4.25 s × 2) = 8.
 */
const VUS = 300;
const PER_VU = 8;
const RUN = ['--conns', String(VUS), '--ramp', '3s', '--duration', '10s', '--msg-rate', '2', '--ping-interval', '2s'];
const ONLY_COUNTS = ['--threshold', 'connections.successRate >= 1'];
const have = rabbitmqInstalled();
if (!have) console.log('RabbitMQ is not installed (Debian rabbitmq-server, .ci/run): the STOMP broker tests skip');
const maybe = have ? describe : describe.skip;

maybe('STOMP over WebSocket against RabbitMQ (rabbitmq_web_stomp)', () => {
  let rabbit: Rabbit;
  beforeAll(async () => {
    rabbit = await startRabbit();
  }, 180_000);
  afterAll(() => rabbit?.stop());

  test('300 VUs: receipts timed, heart-beats at 2 s, delivered = sent = the broker\'s own publish and deliver counts', async () => {
    const r = await runCli('wsbench', ['--mode', 'messaging', '--protocol', 'stomp', '--target', rabbit.url, ...RUN, ...ONLY_COUNTS]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    const s = r.summary!;
    const sent = VUS * PER_VU;
    expect(s.connections).toMatchObject({ attempted: VUS, succeeded: VUS, failed: 0, disconnected: 0, errors: {} });
    expect(s.messages).toMatchObject({ sent, expected: sent, delivered: sent, lost: 0, duplicated: 0, outOfOrder: 0, acked: sent, ackTimeouts: 0 });
    expect(s.messages.ackRttMs.count).toBe(sent);
    expect(s.messages.latencyMs.count).toBe(sent);
    const m = s.metrics as Record<string, { count: number; p50: number | null } | number>;
    expect((m.stomp_connected_ms as { count: number }).count).toBe(VUS);
    expect(m.stomp_error_frames).toBe(0);
    expect(m.stomp_heartbeats_missed).toBe(0);
    // beats both ways every 2 s for ~7-10 s per VU; one-way beats have no round trip: rttMs has no samples, never 0
    expect(s.heartbeat.pingsSent).toBeGreaterThanOrEqual(VUS * 3);
    expect(s.heartbeat.pongsReceived).toBeGreaterThanOrEqual(VUS * 3);
    expect(s.heartbeat.pongRate).toBe(1);
    expect(s.heartbeat.rttMs.count).toBe(0);
    expect(s.heartbeat.rttMs.p50).toBeNull();
    const broker = await settle(() => rabbit.queueTotals(), (t) => t.published >= sent && t.delivered >= sent);
    expect(broker).toEqual({ published: sent, delivered: sent, queues: VUS });
    console.log(`STOMP 300 VUs: sent ${sent}, delivered ${s.messages.delivered}, acked ${s.messages.acked}, receipt p50 ${s.messages.ackRttMs.p50} ms, `
      + `CONNECTED p50 ${(m.stomp_connected_ms as { p50: number | null }).p50} ms, heartbeat ${JSON.stringify({ ...s.heartbeat, rttMs: undefined })}; RabbitMQ: ${JSON.stringify(broker)}`);
  });

  test.each(['client', 'client-individual'])('ack mode %s: every MESSAGE is ACKed, as the broker counts', async (ack) => {
    const before = await rabbit.api<{ message_stats?: { ack?: number } }>('/overview');
    const file = scenarioWith(path.join(ROOT, 'scenarios', 'stomp.ts'), `extra: { ...base.extra, stompAck: '${ack}', stompPrefix: '/queue/ack-${ack}.' }`);
    const r = await runCli('runner', ['run', file, '--target', rabbit.url, '--conns', '20', '--ramp', '1s', '--duration', '3s', '--msg-rate', '10', ...ONLY_COUNTS]);
    expect(r.code).toBe(0);
    // 2 s hold: warmup and drain 0.5 s each, 1 s × 10/s = 10 per VU
    expect(r.summary!.messages).toMatchObject({ sent: 200, delivered: 200, lost: 0, duplicated: 0 });
    const acked = (o: { message_stats?: { ack?: number } }): number => o.message_stats?.ack ?? 0;
    const after = await settle(() => rabbit.api<{ message_stats?: { ack?: number } }>('/overview'), (o) => acked(o) - acked(before) >= 200);
    expect(acked(after) - acked(before)).toBe(200);
  });

  test('DISCONNECT: each VU says goodbye at protocol level; RabbitMQ holds no connection of ours after, and none counts as a drop', async () => {
    const file = writeScenario(`import { hold, ramp, ScenarioOptions, VuContext } from '${path.join(ROOT, 'lib')}';
import { Stomp, STOMP_PROTOCOLS, stompMetrics } from '${path.join(ROOT, 'lib', 'protocols', 'stomp')}';
export const options: ScenarioOptions = {
  stages: [ramp('1s', 20), hold('2s')], protocols: STOMP_PROTOCOLS,
  metrics: { ...stompMetrics(), im_ack_rtt: 'trend', im_ack_timeouts: 'counter' },
};
export default function (vu: VuContext): void {
  const stomp = new Stomp(vu, vu.connect(), { login: 'guest', passcode: 'guest', host: '/' });
  // RabbitMQ's web_stomp sends no receipt for DISCONNECT: close right after it
  stomp.ready(() => stomp.send('/queue/bye', 'x', {}, true));
  stomp.socket.addEventListener('message', () => {
    if (stomp.receipts.pending === 0 && stomp.connected) stomp.disconnect({ receipt: false });
  });
}
`);
    const r = await runCli('runner', ['run', file, '--target', rabbit.url, ...ONLY_COUNTS]);
    expect(r.code).toBe(0);
    const s = r.summary!;
    expect(s.connections).toMatchObject({ attempted: 20, succeeded: 20, disconnected: 0 });
    expect(s.messages).toMatchObject({ acked: 20, ackTimeouts: 0 });
    const conns = await settle(() => rabbit.api<unknown[]>('/connections'), (c) => c.length === 0);
    expect(conns).toEqual([]);
  });

  test('a wrong login: 300 failures under the ERROR frame\'s class with RabbitMQ\'s message and a hint; nothing crashes', async () => {
    const file = path.join(ROOT, 'test', 'fixtures', 'stomp', 'bad-login.ts');
    const r = await runCli('runner', ['run', file, '--target', rabbit.url, '--conns', String(VUS), '--ramp', '2s', '--duration', '4s', ...ONLY_COUNTS]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    const s = r.summary!;
    const cls = "STOMP ERROR: Bad CONNECT (Access refused for user '…')";
    expect(s.connections.errors).toEqual({ [cls]: VUS });
    // the session closes on the ERROR frame itself: one failure per VU, not also a disconnect
    expect(s.connections).toMatchObject({ attempted: VUS, succeeded: VUS, disconnected: 0 });
    expect(s.disconnectWaves).toEqual([]);
    const m = s.metrics as Record<string, { count: number; p50: number | null } | number>;
    expect(m.stomp_error_frames).toBe(VUS);
    expect(m.stomp_connected_ms).toMatchObject({ count: 0, p50: null });
    expect(s.messages).toMatchObject({ sent: 0, delivered: 0, acked: 0 });
    expect(r.stdout).toContain(cls);
    expect(r.stdout).toContain('check the login and passcode');
  });
});

maybe('STOMP: RabbitMQ stopped mid-run', () => {
  let rabbit: Rabbit;
  beforeAll(async () => {
    rabbit = await startRabbit();
  }, 180_000);
  afterAll(() => rabbit?.stop());

  test('shows as one disconnect wave of all 300 connections', async () => {
    const points = path.join(os.tmpdir(), `wsbench-stomp-${process.pid}.ndjson`);
    const run = runCli('wsbench', ['--mode', 'messaging', '--protocol', 'stomp', '--target', rabbit.url, ...RUN, '--out', `json=${points}`, ...ONLY_COUNTS]);
    // the runner's own signal that the VUs are sending: the first deliveries are in
    await waitForPoint(points, 'ws_msg_latency', () => true);
    await rabbit.stopBroker();
    const r = await run;
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const s = r.summary!;
    expect(s.connections).toMatchObject({ succeeded: VUS, disconnected: VUS });
    expect(s.disconnectWaves).toHaveLength(1);
    expect(s.disconnectWaves[0]).toMatchObject({ openBefore: VUS, dropped: VUS });
    console.log(`STOMP broker stop: waves ${JSON.stringify(s.disconnectWaves)}, disconnect classes ${JSON.stringify(s.connections.disconnectReasons)}`);
  });
});

maybe('STOMP: RabbitMQ sending binary WebSocket frames (web_stomp.ws_frame = binary)', () => {
  let rabbit: Rabbit;
  beforeAll(async () => {
    rabbit = await startRabbit({ wsFrame: 'binary' });
  }, 180_000);
  afterAll(() => rabbit?.stop());

  test('the codec reads them as UTF-8: 20 VUs, 10 messages each, all delivered, as the broker counts', async () => {
    const file = path.join(ROOT, 'test', 'fixtures', 'stomp', 'short.ts');
    const r = await runCli('runner', ['run', file, '--target', rabbit.url, ...ONLY_COUNTS]);
    expect(r.code).toBe(0);
    expect(r.summary!.messages).toMatchObject({ sent: 200, delivered: 200, acked: 200, lost: 0, duplicated: 0 });
    const broker = await settle(() => rabbit.queueTotals(), (t) => t.published >= 200 && t.delivered >= 200);
    expect(broker).toEqual({ published: 200, delivered: 200, queues: 20 });
  });
});
