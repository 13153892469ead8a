import path from 'node:path';
import { ROOT, runCli, tmpDir } from './helpers';
import { until } from './storm';
import { destroyRun, K6RunResult, runK6 } from './k6-double/executor';
import type { SocketRecord } from './k6-double/websocket';
import { startSocketIOServer, SioServer } from './servers/socketio-server';

/**
 * The k6 bundle of scenarios/socketio.ts (test/fixtures/socketio/short.ts: 20 VUs, 10 messages each)
 * under the k6 double, against the socket.io app of test/servers/socketio-server.ts: the same figures
 * as on Node, held to the server's own counts. The app's pings are left at socket.io's 25 s: the
 * double's time is virtual, the server's is not.
 */
const OUT = tmpDir('wsbench-k6-sio-');
const VUS = 20;
const SENT = VUS * 10;

/**
 * Every frame answered: the open packet and the CONNECT answer per open socket, an ack and a relayed
 * copy per chat event (CONNECT, join and the DISCONNECT of vu.onStop are the other frames sent).
 */
function answered(sockets: SocketRecord[]): boolean {
  const open = sockets.filter((s) => s.events.includes('open')).length;
  const disconnects = sockets.filter((s) => s.closeCalls.length > 0).length;
  const chats = sockets.reduce((n, s) => n + s.sent, 0) - 2 * open - disconnects;
  const received = sockets.reduce((n, s) => n + s.events.filter((e) => e === 'message').length, 0);
  return received >= 2 * open + 2 * chats;
}

describe('dist/k6/short.js (scenarios/socketio.ts) under the k6 double against a socket.io app', () => {
  let server: SioServer;
  let r: K6RunResult | undefined;
  beforeAll(async () => {
    const b = await runCli('runner', ['build', 'test/fixtures/socketio/short.ts', '--target', 'k6', '--out-dir', OUT], { noExport: true, cwd: ROOT });
    expect(b.code).toBe(0);
    server = await startSocketIOServer({ tokens: ['chat-token'] });
  });
  afterAll(async () => {
    if (r) destroyRun(r);
    await server?.close();
  });

  test('20 VUs: the open packet and CONNECT timed, acks and deliveries exact; the server received, acked and relayed as many', async () => {
    r = await runK6(path.join(OUT, 'short.js'), { env: { TARGET: server.url }, idle: answered });
    const c = (name: string): number => r!.registry.count(name);
    expect(r.sockets.map((s) => s.url)).toEqual(Array(VUS).fill(`${server.url}/socket.io/?EIO=4&transport=websocket`));
    expect(r.registry.of('socketio_open_ms')).toHaveLength(VUS);
    expect(r.registry.of('socketio_connect_ms')).toHaveLength(VUS);
    expect([c('im_sent'), c('im_expected'), c('im_delivered'), c('im_duplicated'), c('im_out_of_order')]).toEqual([SENT, SENT, SENT, 0, 0]);
    expect(r.registry.of('im_ack_rtt')).toHaveLength(SENT);
    expect(r.registry.of('socketio_ack_ms')).toHaveLength(SENT);
    expect([c('im_ack_timeouts'), c('socketio_connect_errors'), c('socketio_ping_timeouts'), c('ws_disconnects'), c('ws_connect_errors')]).toEqual([0, 0, 0, 0, 0]);
    expect(r.logs.filter((l) => l.startsWith('error'))).toEqual([]);
    await until(() => server.counts.open === 0, 30_000);
    expect(server.counts).toMatchObject({ connects: VUS, joins: VUS, received: SENT, acked: SENT, relayed: SENT, refused: 0 });
    console.log(`k6 double Socket.IO: sent ${c('im_sent')}, delivered ${c('im_delivered')}, acks ${r.registry.of('im_ack_rtt').length}; server: ${JSON.stringify(server.counts)}`);
  }, 120_000);
});
