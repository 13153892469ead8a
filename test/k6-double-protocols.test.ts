import path from 'node:path';
import { sendPlan } from '../lib/helpers/send-plan';
import { ramp, hold } from '../lib/scenario/stages';
import { bundleImports } from '../build/k6';
import { ROOT, runCli, tmpDir, scenarioWith } from './helpers';
import { K6_IMPORTS, until } from './k6-bundle-helpers';
import { K6Sandbox, VirtualClock } from './k6-sandbox';
import { Broker, hasMosquitto, PASSWORD, startMosquitto, USER } from './mosquitto';
import { startImServer } from '../server/server';

/**
 * The k6 bundles of the protocol scenarios under the k6 double (test/k6-double/): scenarios/mqtt.ts
 * against a real mosquitto (test/mosquitto.ts), its figures held to the send plan and to the broker's
 * $SYS; scenarios/protobuf.ts through the embedded server's binary echo.
 */
const STAGES = [ramp('1s', 2), hold('4s')];

/** scenarios/mqtt.ts for two VUs, with the broker's user, the password as the token, QoS 1 and a 1 s keep alive, built for k6. */
async function mqttBundle(): Promise<string> {
  const dir = tmpDir('wsbench-k6-mqtt-');
  const file = scenarioWith(path.join(ROOT, 'scenarios', 'mqtt.ts'),
    `stages: [ramp('1s', 2), hold('4s')], pingInterval: '1s', tokens: ['${PASSWORD}'], extra: { ...base.extra, qos: 1, mqttUser: '${USER}' }`, 'mqtt2.ts');
  const r = await runCli('runner', ['build', file, '--target', 'k6', '--out-dir', dir], { noExport: true, cwd: ROOT });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return path.join(dir, 'mqtt2.js');
}

const maybe = hasMosquitto() ? describe : describe.skip;

maybe('dist/k6/mqtt.js under the k6 double, against mosquitto', () => {
  let broker: Broker;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker.stop();
  });

  test('two VUs publish to each other at QoS 1: CONNACK timed, every PUBACK an ack, delivered = sent, PINGRESP in heartbeat; the broker agrees', async () => {
    const file = await mqttBundle();
    expect(await bundleImports(file)).toEqual(K6_IMPORTS);
    const clock = new VirtualClock();
    const start = clock.now;
    const iterationsInTest = { next: 0 };
    const a = K6Sandbox.load(file, { env: { TARGET: broker.url }, clock, iterationsInTest });
    const b = K6Sandbox.load(file, { env: { TARGET: broker.url }, clock, iterationsInTest });
    try {
      const endMs = 5000;
      const count = sendPlan(STAGES, 0, { rate: 1 }).count;
      expect(count).toBe(2); // 4 s hold, 1 s warmup and 1 s drain, 1 message a second
      a.iteration(1);
      b.iteration(2);
      await until(() => a.trend('mqtt_connack_ms').length === 1 && b.trend('mqtt_connack_ms').length === 1, 'both CONNACKs');
      // one second at a time: the real PUBACKs, deliveries and PINGRESPs arrive before time moves on
      for (let t = 1000; t < endMs - 500; t += 1000) {
        clock.advance(1000);
        await until(() => [a, b].every((x) => x.trend('mqtt_ack_ms').length === x.count('im_sent') && x.count('ws_pongs_received') === x.count('ws_pings_sent'))
          && a.count('im_delivered') === b.count('im_sent') && b.count('im_delivered') === a.count('im_sent'), `acks at ${t} ms`).catch((err) => {
          const f = (x: K6Sandbox) => ({ sent: x.count('im_sent'), acks: x.trend('mqtt_ack_ms').length, delivered: x.count('im_delivered'), pings: x.count('ws_pings_sent'), pongs: x.count('ws_pongs_received'), logs: x.logs, disc: x.tagsOf('ws_disconnects') });
          throw new Error(`${(err as Error).message}: ${JSON.stringify([f(a), f(b)])}`);
        });
      }
      for (const x of [a, b]) {
        expect(x.count('im_sent')).toBe(count);
        expect(x.count('im_delivered')).toBe(count);
        expect(x.trend('im_ack_rtt')).toHaveLength(count);
        expect(x.count('ws_pings_sent')).toBe(4); // at 1, 2, 3 and 4 s after the CONNACK
        expect(x.count('ws_disconnects')).toBe(0);
      }
      clock.advance(endMs - (clock.now - start));
      await until(() => a.sockets[0]?.events.includes('close') === true && b.sockets[0]?.events.includes('close') === true, 'both closed');
      expect(await broker.sys.settle('$SYS/broker/publish/messages/received', 2 * count)).toBe(2 * count);
      expect([...a.logs, ...b.logs].filter((l) => l.startsWith('error'))).toEqual([]);
    } finally {
      a.destroy();
      b.destroy();
    }
  });
});

test('dist/k6/protobuf.js: ImMessages through the embedded server\'s binary echo come back with every field equal (ArrayBuffer frames)', async () => {
  const dir = tmpDir('wsbench-k6-pb-');
  const built = await runCli('runner', ['build', path.join(ROOT, 'scenarios', 'protobuf.ts'), '--target', 'k6', '--out-dir', dir], { noExport: true, cwd: ROOT });
  expect(built.code).toBe(0);
  const server = await startImServer();
  const sb = K6Sandbox.load(path.join(dir, 'protobuf.js'), { env: { TARGET: server.url } });
  try {
    // VU 0 of the scenario's own stages (5 s ramp to 50, 10 s hold) at 2/s, 1 s warmup and 2 s drain: 14 messages
    const stages = [ramp('5s', 50), hold('10s')];
    const count = sendPlan(stages, 0, { rate: 2, warmupMs: 1000, drainMs: 2000 }).count;
    expect(count).toBe(14);
    sb.iteration(1);
    await until(() => sb.sockets[0]?.double.readyState === 1, 'the socket to open');
    for (let t = 500; t <= 15_000; t += 500) {
      sb.clock.advance(500);
      await until(() => sb.count('im_delivered') + sb.count('pb_mismatch') === sb.count('im_sent'), `the echoes at ${t} ms`);
    }
    expect(sb.count('im_sent')).toBe(count);
    expect(sb.count('im_delivered')).toBe(count);
    expect(sb.count('pb_mismatch')).toBe(0);
    expect(server.stats().framesIn).toBeGreaterThanOrEqual(count);
    expect(sb.logs.filter((l) => l.startsWith('error'))).toEqual([]);
  } finally {
    sb.destroy();
    await server.close();
  }
});
