import path from 'node:path';
import { ROOT, scenarioWith } from '../helpers';
import { until } from '../storm';
import { startSocketIOServer, SioServer } from '../servers/socketio-server';
import { BINARIES, buildBundle, describeK6, K6Binary, logs, n, runK6, samples, total } from './k6-run';

/**
 * scenarios/socketio.ts on real k6 (test/fixtures/socketio/short.ts: 20 VUs, 10 messages each)
 * against the socket.io app of test/servers/socketio-server.ts, pinging every 500 ms: the counts of
 * the Node runner (test/socketio.test.ts), held to the server's own. A fresh server per run.
 */
const SHORT = path.join(ROOT, 'test', 'fixtures', 'socketio', 'short.ts');
const VUS = 20;
const SENT = VUS * 10;
const each = BINARIES.map((b) => [b.version, b] as [string, K6Binary]);

/** The short run with a token the app refuses. */
function refused(): string {
  return scenarioWith(SHORT, "tokens: ['wrong-token']", 'refused.ts');
}

describeK6('Socket.IO on real k6 against a socket.io v4 app', () => {
  let server: SioServer;
  beforeEach(async () => {
    server = await startSocketIOServer({ pingInterval: 500, pingTimeout: 10_000, tokens: ['chat-token'] });
  });
  afterEach(() => server.close());

  test.each(each)('k6 %s: connects, acks and deliveries = the server\'s counts; its pings all answered', async (_v, bin) => {
    const r = await runK6(bin, await buildBundle(SHORT, bin.legacy), [], { TARGET: server.url });
    expect(logs(r, 'error')).toEqual([]);
    expect(r.code).toBe(0);
    await until(() => server.counts.open === 0, 30_000);
    const c = server.counts;
    expect([total(r, 'ws_connect_attempts'), n(r, 'socketio_open_ms'), n(r, 'socketio_connect_ms')]).toEqual([VUS, VUS, VUS]);
    expect(c).toMatchObject({ connects: VUS, joins: VUS, refused: 0, received: SENT, acked: SENT, relayed: SENT });
    expect([total(r, 'im_sent'), total(r, 'im_expected'), total(r, 'im_delivered'), total(r, 'im_duplicated')]).toEqual([SENT, SENT, SENT, 0]);
    expect([n(r, 'im_ack_rtt'), n(r, 'socketio_ack_ms')]).toEqual([SENT, SENT]);
    expect([total(r, 'im_ack_timeouts'), total(r, 'socketio_connect_errors'), total(r, 'socketio_ping_timeouts'), total(r, 'ws_disconnects')]).toEqual([0, 0, 0, 0]);
    // ~2-3 s per VU at one ping per 500 ms: our pongs are the server's, its pings those plus at most one in flight per connection
    expect(total(r, 'ws_pings_sent')).toBeGreaterThanOrEqual(VUS * 2);
    expect(c.pongs).toBe(total(r, 'ws_pings_sent'));
    expect(c.pings - c.pongs).toBe(c.pingsOutstandingAtClose);
    expect(c.pingsOutstandingAtClose).toBeLessThanOrEqual(VUS);
    expect(samples(r, 'ws_pong_rate').every((p) => p.value === 1)).toBe(true);
    expect(c.closeReasons['ping timeout']).toBeUndefined();
    console.log(`k6 ${bin.version} Socket.IO: sent ${total(r, 'im_sent')}, delivered ${total(r, 'im_delivered')}, acks ${n(r, 'im_ack_rtt')}, `
      + `pongs sent ${total(r, 'ws_pings_sent')}; server: ${JSON.stringify(c)}`);
  }, 120_000);

  test.each(each)('k6 %s: an auth refusal: every CONNECT_ERROR counted, as the server refused them; nothing sent, nothing dropped', async (_v, bin) => {
    const r = await runK6(bin, await buildBundle(refused(), bin.legacy), [], { TARGET: server.url });
    expect(r.stderr).not.toMatch(/GoError|TypeError|ReferenceError/);
    await until(() => server.counts.open === 0, 30_000);
    // the figures first, so that a miscount shows what each side saw
    console.log(`k6 ${bin.version} Socket.IO refused: attempts ${total(r, 'ws_connect_attempts')}, opened ${total(r, 'ws_sessions')}, `
      + `open packets ${n(r, 'socketio_open_ms')}, CONNECT_ERRORs ${total(r, 'socketio_connect_errors')}; server: ${JSON.stringify(server.counts)}`);
    expect([total(r, 'socketio_connect_errors'), server.counts.refused, server.counts.connects]).toEqual([VUS, VUS, 0]);
    expect([n(r, 'socketio_connect_ms'), total(r, 'im_sent'), total(r, 'ws_disconnects')]).toEqual([0, 0, 0]);
  }, 120_000);
});
