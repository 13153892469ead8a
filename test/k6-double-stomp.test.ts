import path from 'node:path';
import { ROOT, runCli, tmpDir } from './helpers';
import { Rabbit, rabbitmqInstalled, settle, startRabbit } from './brokers/rabbitmq';
import { destroyRun, K6RunResult, runK6 } from './k6-double/executor';
import type { SocketRecord } from './k6-double/websocket';

/**
 * The k6 bundle of scenarios/stomp.ts (test/fixtures/stomp/short.ts: 20 VUs, 10 messages each)
 * under the k6 double, against the private RabbitMQ node of test/brokers/rabbitmq.ts: the same
 * figures as on Node, held to the broker's own counters. Heart-beats are set an hour apart: the
 * double's time is virtual, the broker's is not.
 */
const OUT = tmpDir('wsbench-k6-stomp-');
const VUS = 20;
const SENT = VUS * 10;
const have = rabbitmqInstalled();
const maybe = have ? describe : describe.skip;
if (!have) console.log('RabbitMQ is not installed (Debian rabbitmq-server, .ci/run): the k6 double STOMP test skips');

/** Every frame answered: CONNECTED per open socket, and a RECEIPT and a MESSAGE per SEND (CONNECT, SUBSCRIBE and DISCONNECT are the other frames sent). */
function answered(sockets: SocketRecord[]): boolean {
  const open = sockets.filter((s) => s.events.includes('open')).length;
  // a socket the script closed sent its DISCONNECT first (scenarios/stomp.ts, vu.onStop), which has no answer
  const disconnects = sockets.filter((s) => s.closeCalls.length > 0).length;
  const sends = sockets.reduce((n, s) => n + s.sent, 0) - 2 * open - disconnects;
  const received = sockets.reduce((n, s) => n + s.events.filter((e) => e === 'message').length, 0);
  return received >= open + 2 * sends;
}

maybe('dist/k6/short.js (scenarios/stomp.ts) under the k6 double against RabbitMQ', () => {
  let rabbit: Rabbit;
  let r: K6RunResult | undefined;
  beforeAll(async () => {
    const b = await runCli('runner', ['build', 'test/fixtures/stomp/short.ts', '--target', 'k6', '--out-dir', OUT], { noExport: true, cwd: ROOT });
    expect(b.code).toBe(0);
    rabbit = await startRabbit();
  }, 180_000);
  afterAll(async () => {
    if (r) destroyRun(r);
    await rabbit?.stop();
  });

  test('20 VUs: CONNECTED, receipts, deliveries exact; the broker published and delivered as many', async () => {
    r = await runK6(path.join(OUT, 'short.js'), { env: { TARGET: rabbit.url, PING_INTERVAL: '1h' }, idle: answered });
    const c = (name: string): number => r!.registry.count(name);
    expect(r.sockets.map((s) => s.protocols)).toEqual(Array(VUS).fill(['v12.stomp', 'v11.stomp']));
    expect(r.registry.of('stomp_connected_ms')).toHaveLength(VUS);
    expect([c('im_sent'), c('im_expected'), c('im_delivered'), c('im_duplicated'), c('im_out_of_order')]).toEqual([SENT, SENT, SENT, 0, 0]);
    expect(r.registry.of('im_ack_rtt')).toHaveLength(SENT);
    expect([c('im_ack_timeouts'), c('stomp_error_frames'), c('ws_disconnects'), c('ws_connect_errors')]).toEqual([0, 0, 0, 0]);
    expect(r.logs.filter((l) => l.startsWith('error'))).toEqual([]);
    const broker = await settle(() => rabbit.queueTotals(), (t) => t.published >= SENT && t.delivered >= SENT);
    expect(broker).toEqual({ published: SENT, delivered: SENT, queues: VUS });
    console.log(`k6 double STOMP: sent ${c('im_sent')}, delivered ${c('im_delivered')}, receipts ${r.registry.of('im_ack_rtt').length}; RabbitMQ: ${JSON.stringify(broker)}`);
  }, 120_000);
});
