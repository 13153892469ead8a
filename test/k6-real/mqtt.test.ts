import path from 'node:path';
import { ROOT, scenarioWith } from '../helpers';
import { Broker, hasMosquitto, PASSWORD, startMosquitto, USER } from '../mosquitto';
import { BINARIES, buildBundle, describeK6, K6Binary, n, runK6, total } from './k6-run';

/**
 * Issue 23 on real k6: the k6 bundle of scenarios/mqtt.ts against a real mosquitto (test/mosquitto.ts)
 * gives the counts the Node engine gives (test/mqtt-mosquitto.test.ts) and the broker's own. 100 VUs,
 * 2 s ramp, 4 s hold at 2 messages/s, QoS 1: 4 messages each, 400 in all, every one acked and delivered.
 */
const VUS = 100;
const SENT = VUS * 4;

/** scenarios/mqtt.ts with the broker's user, the password as the VUs' token, QoS 1 and the stages above. */
function variant(): string {
  return scenarioWith(path.join(ROOT, 'scenarios', 'mqtt.ts'), `stages: [ramp('2s', ${VUS}), hold('4s')], pingInterval: '2s', `
    + `tokens: ['${PASSWORD}'], extra: { ...base.extra, qos: 1, msgRate: 2, mqttUser: '${USER}' }`, 'mqtt100.ts');
}

const maybe = hasMosquitto() ? describeK6 : describe.skip;

maybe('scenarios/mqtt.ts on real k6 against mosquitto', () => {
  let broker: Broker;
  beforeEach(async () => {
    broker = await startMosquitto();
  });
  afterEach(async () => {
    await broker.stop();
  });

  test.each(BINARIES.map((b) => [b.version, b] as [string, K6Binary]))('k6 %s: sent = acked = delivered = the broker\'s PUBLISH count; CONNACK and PINGRESP recorded', async (_v, bin) => {
    const r = await runK6(bin, await buildBundle(variant(), bin.legacy), [], { TARGET: broker.url });
    expect(r.stderr).not.toMatch(/GoError|TypeError|ReferenceError/);
    expect(total(r, 'ws_connect_attempts')).toBe(VUS);
    expect(n(r, 'mqtt_connack_ms')).toBe(VUS);
    expect(total(r, 'im_sent')).toBe(SENT);
    expect(n(r, 'mqtt_ack_ms')).toBe(SENT);
    expect(n(r, 'im_ack_rtt')).toBe(SENT);
    expect(total(r, 'im_delivered')).toBe(SENT);
    expect(total(r, 'im_duplicated')).toBe(0);
    expect(total(r, 'ws_disconnects')).toBe(0);
    expect(total(r, 'ws_pongs_received')).toBe(total(r, 'ws_pings_sent'));
    expect(total(r, 'ws_pings_sent')).toBeGreaterThanOrEqual(VUS);
    expect(total(r, 'vus_failed')).toBe(0);
    expect(await broker.sys.settle('$SYS/broker/publish/messages/received', SENT)).toBe(SENT);
    // what the broker received, packet by packet, from wsbench's own counts: each VU's CONNECT, SUBSCRIBE and
    // DISCONNECT (scenarios/mqtt.ts, vu.onStop), each PUBLISH and the PUBACK of its delivery (QoS 1), each
    // PINGREQ; and the observer's 2
    const packets = 3 * VUS + 2 * SENT + total(r, 'ws_pings_sent') + 2;
    expect(await broker.sys.settle('$SYS/broker/messages/received', packets)).toBe(packets);
    console.log(`k6 ${bin.version} mqtt: ${JSON.stringify({ sent: total(r, 'im_sent'), acked: n(r, 'im_ack_rtt'), delivered: total(r, 'im_delivered'), pings: total(r, 'ws_pings_sent'), wsMsgsSent: total(r, 'ws_msgs_sent'), sys: { publishReceived: broker.sys.last('$SYS/broker/publish/messages/received'), messagesReceived: broker.sys.last('$SYS/broker/messages/received') } })}`);
  });
});
