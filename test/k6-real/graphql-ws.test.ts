import path from 'node:path';
import { ROOT, scenarioWith } from '../helpers';
import { GraphqlServer, startGraphqlServer } from '../servers/graphql-ws-server';
import { BINARIES, buildBundle, byTag, describeK6, K6Binary, logs, n, olderThan, runK6, total } from './k6-run';

/**
 * scenarios/graphql-ws.ts on real k6 against the graphql-ws library's server (test/servers/graphql-ws-server.ts):
 * the counts of the Node runner (test/graphql-ws.test.ts), held to the server's own. 100 VUs, 2 s ramp,
 * 4 s hold at 2 messages/s: 4 mutations each, 400 in all, each acked by its result and delivered as a `next`.
 */
const VUS = 100;
const SENT = VUS * 4;
const TOKEN = 'good-token';

/** scenarios/graphql-ws.ts with the stages above and `token` as the VUs' token (in connection_init's payload). */
function variant(name: string, token: string, vus: number, hold: string): string {
  return scenarioWith(path.join(ROOT, 'scenarios', 'graphql-ws.ts'), `stages: [ramp('2s', ${vus}), hold('${hold}')], pingInterval: '2s', `
    + `tokens: [${JSON.stringify(token)}], thresholds: ['connections.successRate >= 1'], extra: { ...base.extra, msgRate: 2 }`, `${name}.ts`);
}

const each = BINARIES.map((b) => [b.version, b] as [string, K6Binary]);

describeK6('scenarios/graphql-ws.ts on real k6 against the graphql-ws server', () => {
  let server: GraphqlServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  test.each(each)('k6 %s: sent = acked = delivered = the server\'s publishes and nexts; connection_ack and ping/pong recorded', async (_v, bin) => {
    server = await startGraphqlServer({ token: TOKEN });
    const r = await runK6(bin, await buildBundle(variant('gql100', TOKEN, VUS, '4s'), bin.legacy), [], { TARGET: server.url });
    expect(logs(r, 'error')).toEqual([]);
    expect(r.code).toBe(0);
    const c = server.counts;
    expect(total(r, 'ws_connect_attempts')).toBe(VUS);
    expect(n(r, 'graphql_ws_ack_ms')).toBe(VUS);
    expect([c.acks, c.vus.size, c.subscriptions]).toEqual([VUS, VUS, VUS]);
    expect([total(r, 'im_sent'), total(r, 'im_expected'), total(r, 'im_delivered'), total(r, 'im_duplicated'), total(r, 'im_out_of_order')]).toEqual([SENT, SENT, SENT, 0, 0]);
    expect(n(r, 'im_ack_rtt')).toBe(SENT);
    expect(n(r, 'ws_msg_latency')).toBe(SENT);
    expect([total(r, 'im_ack_timeouts'), total(r, 'graphql_ws_errors'), total(r, 'ws_disconnects'), total(r, 'vus_failed')]).toEqual([0, 0, 0, 0]);
    expect([c.publishes, c.reached, c.delivered, c.results]).toEqual([SENT, SENT, SENT, SENT]);
    expect(total(r, 'ws_pings_sent')).toBeGreaterThanOrEqual(VUS);
    expect([total(r, 'ws_pings_sent'), total(r, 'ws_pongs_received')]).toEqual([c.pings, c.pings]);
    console.log(`k6 ${bin.version} graphql-ws: ${JSON.stringify({ sent: total(r, 'im_sent'), acked: n(r, 'im_ack_rtt'), delivered: total(r, 'im_delivered'),
      pings: total(r, 'ws_pings_sent'), pongs: total(r, 'ws_pongs_received') })}; server: ${JSON.stringify({ ...c, vus: c.vus.size })}`);
  }, 120_000);

  test.each(each)('k6 %s: a refused connection_init is one disconnect class per attempt (close 4403 where k6 gives close codes)', async (_v, bin) => {
    server = await startGraphqlServer({ token: TOKEN });
    const conns = 20;
    const r = await runK6(bin, await buildBundle(variant('gql-refused', 'wrong-token', conns, '1s'), bin.legacy), [], { TARGET: server.url });
    expect(r.stdout + r.stderr).not.toContain('wrong-token');
    const cls = olderThan(bin, 1, 5) ? 'closed by server (code unknown: k6 < 1.5)' : 'close 4403';
    expect(byTag(r, 'ws_disconnects', 'reason')).toEqual({ [cls]: conns });
    expect([server.counts.refused, server.counts.acks, server.counts.publishes]).toEqual([conns, 0, 0]);
    expect([n(r, 'graphql_ws_ack_ms'), total(r, 'im_sent')]).toEqual([0, 0]);
  }, 120_000);
});
