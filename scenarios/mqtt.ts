import { hold, ramp, ScenarioOptions, VuContext } from '../lib';
import { checkMessaging, MessageMeter, MessagingExtra, messagingSettings, pace, peakWindow, plannedWall, sendPlan } from '../lib/helpers';
import { mqtt, mqttMetrics, MqttVersion, QoS } from '../lib/protocols';

/** `extra` of this scenario: the messaging settings, the QoS and MQTT version, the broker's user name, the topics' prefix. */
export type MqttExtra = MessagingExtra & { qos?: QoS; mqttVersion?: MqttVersion; mqttUser?: string; topicPrefix?: string };

/**
 * IM traffic over an MQTT broker's websockets listener (docs/protocols.md): VU i subscribes to
 * `<prefix><i>` and, once every VU is up, publishes `msgSize`-byte messages at `msgRate` to VU
 * i+1's topic. The password is the VU's token (`--tokens FILE`), so that no secret is in the options.
 * Measured: CONNACK latency, PUBACK/PUBCOMP round trip (the summary's acks), PINGRESP heartbeat,
 * delivered/lost/duplicated/out of order, delivery latency; a refused CONNECT is its reason's class.
 */
export const options: ScenarioOptions<MqttExtra> = {
  stages: [ramp('10s', 100), hold('20s')],
  protocols: ['mqtt'],
  mode: 'messaging',
  metrics: mqttMetrics(),
  extra: { msgSize: 64, msgRate: 1, qos: 1, mqttVersion: 4 },
};
checkMessaging(options.extra ?? {});

export default function (vu: VuContext<MqttExtra>): void {
  const x = vu.options.extra;
  const s = messagingSettings(x);
  if (s.roomSize > 0) throw new Error('scenarios/mqtt.ts sends to the next user only: --room-size must be 0');
  const prefix = x.topicPrefix ?? 'wsbench/u/';
  const to = `${prefix}${(vu.id + 1) % peakWindow(vu.options.stages).vus}`;
  const socket = vu.connect();
  const password = vu.options.tokens ? '${token}' : undefined;
  const client = mqtt(vu, socket, { version: x.mqttVersion, qos: x.qos, username: x.mqttUser, password });
  const meter = new MessageMeter(vu);
  client.onReady(() => client.subscribe(`${prefix}${vu.id}`));
  client.onMessage((m) => {
    const [from, seq, ts, planned] = m.text().split(' ', 4);
    meter.delivered(String(from), Number(seq), Number(ts), Number(planned));
  });
  const pad = 'x'.repeat(s.msgSize);
  pace(vu, sendPlan(vu.options.stages, vu.id, { rate: s.msgRate, warmupMs: s.warmupMs, drainMs: s.drainMs }), (seq, plannedAt) => {
    const head = `${vu.id} ${seq} ${Math.round(vu.wallNow() * 1000) / 1000} ${Math.round(plannedWall(vu, plannedAt) * 1000) / 1000} `;
    if (client.publish(to, head + pad.slice(head.length), { plannedAt })) meter.sent(1);
  });
  vu.onStop(() => client.disconnect()); // MQTT DISCONNECT before the runner's close
  socket.addEventListener('close', () => meter.flush());
}
