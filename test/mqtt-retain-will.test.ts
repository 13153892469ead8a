import path from 'node:path';
import { hasMosquitto, startMosquitto } from './mosquitto';
import { ROOT, runCli, writeScenario } from './helpers';

/**
 * Retained messages and the will, against a real mosquitto, event by event (no timer): VU 0 publishes
 * a retained message, then waits for VU 1's retained "go", then drops its connection without a
 * DISCONNECT; the broker publishes VU 0's will to VU 1, which then subscribes to the retained topic
 * and gets the message VU 0 left there.
 */
const SCENARIO = `
import { hold, ramp, ScenarioOptions, VuContext } from ${JSON.stringify(path.join(ROOT, 'lib'))};
import { mqtt, mqttMetrics } from ${JSON.stringify(path.join(ROOT, 'lib', 'protocols'))};
export const options: ScenarioOptions = {
  stages: [ramp('1s', 2), hold('3s')], protocols: ['mqtt'],
  metrics: { ...mqttMetrics(), will_got: 'counter', retained_got: 'counter' },
};
export default function (vu: VuContext): void {
  const socket = vu.connect();
  if (vu.id === 0) {
    const c = mqtt(vu, socket, { qos: 1, will: { topic: 't/will', payload: 'gone', qos: 1 } });
    c.onReady(() => {
      c.publish('t/retained', 'kept', { retain: true });
      c.subscribe('t/go');
    });
    c.onMessage(() => socket.close());
    return;
  }
  const c = mqtt(vu, socket, { qos: 1 });
  c.onReady(() => {
    c.subscribe('t/will');
    c.publish('t/go', 'go', { retain: true });
  });
  c.onMessage((m) => {
    if (m.destination === 't/will' && m.text() === 'gone') {
      vu.counter('will_got').add(1);
      c.subscribe('t/retained');
    } else if (m.destination === 't/retained' && m.text() === 'kept') vu.counter('retained_got').add(1);
  });
}
`;

(hasMosquitto() ? test : test.skip)("a retained message reaches a later subscriber; a dropped client's will reaches its subscriber", async () => {
  const broker = await startMosquitto({ anonymous: true });
  try {
    const r = await runCli('runner', ['run', writeScenario(SCENARIO, 'retain-will.ts'), '--target', broker.url, '--threshold', 'metrics.will_got == 1']);
    expect(r.stderr).not.toMatch(/\\n\\s+at /);
    expect(r.code).toBe(0);
    const s = r.summary!;
    expect(s.metrics.will_got).toBe(1);
    expect(s.metrics.retained_got).toBe(1);
    expect(s.messages.acked).toBe(2); // the two retained PUBLISHes at QoS 1
    expect(s.connections).toMatchObject({ attempted: 2, succeeded: 2, disconnected: 0 });
  } finally {
    await broker.stop();
  }
});
