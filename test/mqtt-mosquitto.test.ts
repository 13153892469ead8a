import fs from 'node:fs';
import path from 'node:path';
import { Broker, hasMosquitto, PASSWORD, startMosquitto, USER } from './mosquitto';
import { ROOT, runCli, tmpDir, scenarioWith } from './helpers';
import { sendPlan } from '../lib/helpers/send-plan';
import { hold, ramp } from '../lib/scenario/stages';

/**
 * scenarios/mqtt.ts against a real mosquitto (test/mosquitto.ts), its figures held to known answers
 * and to the broker's own $SYS counters. 500 VUs, 2 s ramp, 4 s hold at 2 messages/s: sending
 * runs from 1 s into the hold to 1 s before its end, so each VU publishes exactly 4 messages.
 */
const VUS = 500;
const PER_VU = 4;
const CONNECTED = '$SYS/broker/clients/connected';
const RECEIVED = '$SYS/broker/messages/received';
const PUBLISHES = '$SYS/broker/publish/messages/received';
/** What the observer itself sent the broker: CONNECT and SUBSCRIBE. */
const OBSERVER_PACKETS = 2;

/** scenarios/mqtt.ts with its QoS and user name set (a scenario's `extra` has no flag). */
function variant(qos: 0 | 1 | 2, version: 4 | 5 = 4): string {
  return scenarioWith(path.join(ROOT, 'scenarios', 'mqtt.ts'), `extra: { ...base.extra, qos: ${qos}, mqttVersion: ${version}, mqttUser: '${USER}' }`,
    `mqtt-qos${qos}-v${version}.ts`);
}

function tokens(password: string): string {
  const file = path.join(tmpDir('wsbench-mqtt-tokens-'), 'tokens.txt');
  fs.writeFileSync(file, `${password}\n`);
  return file;
}

const args = (broker: Broker, password = PASSWORD): string[] => [
  '--target', broker.url, '--conns', String(VUS), '--ramp', '2s', '--duration', '6s', '--msg-rate', '2', '--ping-interval', '2s',
  '--tokens', tokens(password), '--threshold', 'connections.successRate >= 1',
];

const maybe = hasMosquitto() ? describe : describe.skip;

maybe('MQTT against mosquitto: 500 VUs, QoS 0, 1 and 2 in turn', () => {
  let broker: Broker;
  beforeEach(async () => {
    broker = await startMosquitto();
  });
  afterEach(async () => {
    await broker.stop();
  });

  for (const [qos, version] of [[0, 4], [1, 4], [2, 4], [1, 5]] as const) {
    test(`MQTT ${version === 4 ? '3.1.1' : '5.0'}, QoS ${qos}: delivered = sent, lost 0; the broker counts our publishes and packets; clients/connected mid-run = open connections`, async () => {
      const r = await runCli('runner', ['run', variant(qos, version), ...args(broker)]);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code).toBe(0);
      const s = r.summary!;
      const sent = VUS * PER_VU;
      expect(s.connections).toMatchObject({ attempted: VUS, succeeded: VUS, failed: 0, disconnected: 0, peak: VUS });
      expect(s.messages).toMatchObject({ sent, expected: sent, delivered: sent, received: sent, lost: 0, duplicated: 0, ackTimeouts: 0 });
      expect(s.messages.acked).toBe(qos === 0 ? 0 : sent);
      expect(s.messages.ackRttMs.count).toBe(qos === 0 ? 0 : sent);
      expect((s.metrics.mqtt_ack_ms as { count: number }).count).toBe(qos === 0 ? 0 : sent);
      expect((s.metrics.mqtt_connack_ms as { count: number }).count).toBe(VUS);
      expect(s.heartbeat.pingsSent).toBeGreaterThanOrEqual(VUS);
      expect(s.heartbeat).toMatchObject({ pongsReceived: s.heartbeat.pingsSent, pongRate: 1 });
      // the broker's own counts: every VU connected at once (and the observer), our PUBLISH packets, and every packet we sent
      expect(Math.max(...(broker.sys.values.get(CONNECTED) ?? []))).toBe(VUS + 1);
      // mosquitto counts a PUBLISH when its first byte & 0xF5 is 0x30: that masks QoS 1's flag bit and DUP, not QoS 2's (0x34)
      const publishes = qos === 2 ? 0 : sent;
      expect(await broker.sys.settle(PUBLISHES, publishes)).toBe(publishes);
      const packets = s.messages.frames.sent + s.heartbeat.pingsSent + OBSERVER_PACKETS;
      expect(await broker.sys.settle(RECEIVED, packets)).toBe(packets);
      console.log(`mqtt v${version} QoS ${qos}: ${JSON.stringify({ sent, delivered: s.messages.delivered, acked: s.messages.acked, frames: s.messages.frames, pings: s.heartbeat.pingsSent, sys: { connectedMax: VUS + 1, publishReceived: broker.sys.last(PUBLISHES), messagesReceived: broker.sys.last(RECEIVED) } })}`);
    });
  }

  test.each([[4, 'MQTT CONNACK 5 not authorized'], [5, 'MQTT CONNACK 135 not authorized']] as const)('MQTT version %d, a wrong password: 500 connections lost under %s, nothing sent, nothing crashes', async (version, cls) => {
    const r = await runCli('runner', ['run', variant(1, version), ...args(broker, 'wrong-password')]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const s = r.summary!;
    expect(s.connections).toMatchObject({ attempted: VUS, succeeded: VUS, disconnected: VUS });
    expect(s.connections.disconnectReasons).toEqual({ [cls]: VUS });
    expect(s.messages).toMatchObject({ sent: 0, delivered: 0, acked: 0 });
    expect((s.metrics.mqtt_connack_ms as { count: number }).count).toBe(0);
    expect(r.stdout).toContain(`${cls}  → the broker refused the credentials`);
    // the broker got one CONNECT from each VU (and the observer's two packets), and no one stays connected but the observer
    expect(s.messages.frames.sent).toBe(VUS);
    expect(await broker.sys.settle(RECEIVED, VUS + OBSERVER_PACKETS)).toBe(VUS + OBSERVER_PACKETS);
    expect(await broker.sys.settle(CONNECTED, 1)).toBe(1);
    expect(broker.sys.last(PUBLISHES)).toBe(0);
    console.log(`mqtt v${version} wrong password: ${JSON.stringify({ disconnectReasons: s.connections.disconnectReasons, frames: s.messages.frames, sys: { messagesReceived: broker.sys.last(RECEIVED), connected: broker.sys.last(CONNECTED) } })}`);
  });
});

maybe('the seed tool: wsbench --mode messaging --protocol mqtt', () => {
  test('runs scenarios/mqtt.ts against the broker given: every message delivered and acked, the broker counts them', async () => {
    const broker = await startMosquitto({ anonymous: true });
    try {
      const r = await runCli('wsbench', ['--mode', 'messaging', '--protocol', 'mqtt', '--target', broker.url, '--conns', '20', '--ramp', '1s',
        '--duration', '4s', '--msg-rate', '2', '--ping-interval', '2s', '--threshold', 'messages.lost == 0']);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code).toBe(0);
      const s = r.summary!;
      const sent = 20 * sendPlan([ramp('1s', 20), hold('3s')], 0, { rate: 2 }).count;
      expect(sent).toBe(60);
      expect(s.scenario).toBe('mqtt');
      expect(s.messages).toMatchObject({ sent, delivered: sent, acked: sent, lost: 0 });
      expect(await broker.sys.settle(PUBLISHES, sent)).toBe(sent);
    } finally {
      await broker.stop();
    }
  });
});
