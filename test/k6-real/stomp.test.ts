import path from 'node:path';
import { ROOT } from '../helpers';
import { Rabbit, rabbitmqInstalled, settle, startRabbit } from '../brokers/rabbitmq';
import { BINARIES, buildBundle, describeK6, K6Binary, logs, n, runK6, samples, total } from './k6-run';

/**
 * scenarios/stomp.ts on real k6 (test/fixtures/stomp/short.ts: 20 VUs, 10 messages each, heart-beats
 * at 1 s) against the private RabbitMQ node of test/brokers/rabbitmq.ts: the same counts as the Node
 * runner, held to the broker's own publish and deliver counters (each run's share of them).
 */
const SHORT = path.join(ROOT, 'test', 'fixtures', 'stomp', 'short.ts');
const VUS = 20;
const SENT = VUS * 10;
const bundles: Record<string, Promise<string>> = {};
const bundleFor = (legacy: boolean): Promise<string> => (bundles[String(legacy)] ??= buildBundle(SHORT, legacy));
const each = BINARIES.map((b) => [b.version, b] as [string, K6Binary]);
const maybe = rabbitmqInstalled() ? describeK6 : describe.skip;

maybe('STOMP on real k6 against RabbitMQ', () => {
  let rabbit: Rabbit;
  beforeAll(async () => {
    rabbit = await startRabbit();
  }, 180_000);
  afterAll(() => rabbit?.stop());

  test.each(each)('k6 %s: CONNECTED, receipts and deliveries exact, as the broker counts them', async (_v, bin) => {
    const before = await rabbit.queueTotals();
    const r = await runK6(bin, await bundleFor(bin.legacy), [], { TARGET: rabbit.url, PING_INTERVAL: '1s' });
    expect(logs(r, 'error')).toEqual([]);
    expect(r.code).toBe(0);
    expect(n(r, 'stomp_connected_ms')).toBe(VUS);
    expect([total(r, 'im_sent'), total(r, 'im_expected'), total(r, 'im_delivered'), total(r, 'im_duplicated'), total(r, 'im_out_of_order')]).toEqual([SENT, SENT, SENT, 0, 0]);
    expect(n(r, 'im_ack_rtt')).toBe(SENT);
    expect([total(r, 'im_ack_timeouts'), total(r, 'stomp_error_frames'), total(r, 'stomp_heartbeats_missed'), total(r, 'ws_disconnects')]).toEqual([0, 0, 0, 0]);
    // beats both ways at 1 s over a 3 s run: each VU sent some, and every server beat checked was there
    expect(total(r, 'ws_pings_sent')).toBeGreaterThanOrEqual(VUS);
    expect(samples(r, 'ws_pong_rate').every((p) => p.value === 1)).toBe(true);
    const after = await settle(() => rabbit.queueTotals(), (t) => t.published - before.published >= SENT && t.delivered - before.delivered >= SENT);
    expect([after.published - before.published, after.delivered - before.delivered]).toEqual([SENT, SENT]);
    console.log(`k6 ${bin.version} STOMP: sent ${total(r, 'im_sent')}, delivered ${total(r, 'im_delivered')}, receipts ${n(r, 'im_ack_rtt')}, `
      + `pings ${total(r, 'ws_pings_sent')}, pongs ${total(r, 'ws_pongs_received')}; RabbitMQ: +${after.published - before.published} published, +${after.delivered - before.delivered} delivered`);
  }, 120_000);
});
