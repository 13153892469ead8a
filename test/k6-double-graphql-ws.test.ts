import path from 'node:path';
import { ROOT, runCli, tmpDir, scenarioWith } from './helpers';
import { destroyRun, K6RunResult, runK6 } from './k6-double/executor';
import type { SocketRecord } from './k6-double/websocket';
import { GraphqlServer, startGraphqlServer } from './servers/graphql-ws-server';

/**
 * The k6 bundle of scenarios/graphql-ws.ts (20 VUs, 1 s ramp, 2 s hold, 10 messages/s: warmup and
 * drain 0.5 s each, so 10 mutations per VU) under the k6 double, against the graphql-ws library's
 * server (test/servers/graphql-ws-server.ts): the same figures as on Node, held to the server's own
 * counts. Pings are an hour apart: the double's time is virtual, the server's is not.
 */
const VUS = 20;
const SENT = VUS * 10;
const OUT = tmpDir('wsbench-k6-gql-');

/** Every operation answered: a connection_ack per open socket, a next and a complete per mutation, and its delivery. */
function answered(sockets: SocketRecord[]): boolean {
  const open = sockets.filter((s) => s.events.includes('open')).length;
  const mutations = sockets.reduce((n, s) => n + s.sent, 0) - 2 * open; // connection_init and subscribe are the others
  const received = sockets.reduce((n, s) => n + s.events.filter((e) => e === 'message').length, 0);
  return received >= open + 3 * mutations;
}

describe('scenarios/graphql-ws.ts built for k6, under the k6 double, against the graphql-ws server', () => {
  let server: GraphqlServer;
  let r: K6RunResult | undefined;
  beforeAll(async () => {
    const file = scenarioWith(path.join(ROOT, 'scenarios', 'graphql-ws.ts'),
      "stages: [ramp('1s', 20), hold('2s')], thresholds: ['connections.successRate >= 1'], extra: { ...base.extra, msgRate: 10 }", 'gql20.ts');
    const b = await runCli('runner', ['build', file, '--target', 'k6', '--out-dir', OUT], { noExport: true, cwd: ROOT });
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    server = await startGraphqlServer();
  });
  afterAll(async () => {
    if (r) destroyRun(r);
    await server?.close();
  });

  test('20 VUs: connection_ack timed, every mutation acked by its result, every next delivered; the server published and sent as many', async () => {
    r = await runK6(path.join(OUT, 'gql20.js'), { env: { TARGET: server.url, PING_INTERVAL: '1h' }, idle: answered });
    const c = (name: string): number => r!.registry.count(name);
    expect(r.sockets.map((s) => s.protocols)).toEqual(Array(VUS).fill(['graphql-transport-ws']));
    expect(r.registry.of('graphql_ws_ack_ms')).toHaveLength(VUS);
    expect([c('im_sent'), c('im_expected'), c('im_delivered'), c('im_duplicated'), c('im_out_of_order')]).toEqual([SENT, SENT, SENT, 0, 0]);
    expect(r.registry.of('im_ack_rtt')).toHaveLength(SENT);
    expect(r.registry.of('ws_msg_latency')).toHaveLength(SENT);
    expect([c('im_ack_timeouts'), c('graphql_ws_errors'), c('ws_disconnects'), c('ws_connect_errors')]).toEqual([0, 0, 0, 0]);
    expect(r.logs.filter((l) => l.startsWith('error'))).toEqual([]);
    const s = server.counts;
    expect([s.acks, s.vus.size, s.subscriptions, s.publishes, s.reached, s.delivered, s.results]).toEqual([VUS, VUS, VUS, SENT, SENT, SENT, SENT]);
    console.log(`k6 double graphql-ws: sent ${c('im_sent')}, delivered ${c('im_delivered')}, acked ${r.registry.of('im_ack_rtt').length}; `
      + `server: ${JSON.stringify({ ...s, vus: s.vus.size })}`);
  }, 120_000);
});
