import fs from 'node:fs';
import path from 'node:path';
import { ROOT, runCli, tmpDir, writeScenario } from './helpers';
import { GraphqlServer, startGraphqlServer } from './servers/graphql-ws-server';

/**
 * scenarios/graphql-ws.ts against a real graphql-ws gateway (test/servers/graphql-ws-server.ts: the
 * `graphql-ws` and `graphql` packages over `ws`), in real runner processes; figures held to the
 * server's own counts. 500 VUs, 2 s ramp, 4 s hold at 2 messages/s: sending runs from 1 s into the
 * hold to 1 s before its end, so each VU sends exactly 4 mutations.
 */
const VUS = 500;
const PER_VU = 4;
const ONLY_COUNTS = ['--threshold', 'connections.successRate >= 1'];

function tokens(token: string): string {
  const file = path.join(tmpDir('wsbench-gql-tokens-'), 'tokens.txt');
  fs.writeFileSync(file, `${token}\n`);
  return file;
}

/** Every file of a results folder. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('graphql-ws against the graphql-ws library\'s server', () => {
  let server: GraphqlServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  test('wsbench --protocol graphql-ws, 500 subscribers: every mutation acked, every next delivered, as many as the server published and sent', async () => {
    server = await startGraphqlServer({ token: 'good-token' });
    const r = await runCli('wsbench', ['--mode', 'messaging', '--protocol', 'graphql-ws', '--target', server.url, '--conns', String(VUS), '--ramp', '2s',
      '--duration', '6s', '--msg-rate', '2', '--ping-interval', '2s', '--tokens', tokens('good-token'), ...ONLY_COUNTS]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    const s = r.summary!;
    const sent = VUS * PER_VU;
    const c = server.counts;
    expect(s.scenario).toBe('graphql-ws');
    expect(s.connections).toMatchObject({ attempted: VUS, succeeded: VUS, failed: 0, disconnected: 0, errors: {} });
    expect([c.acks, c.refused, c.vus.size, c.subscriptions]).toEqual([VUS, 0, VUS, VUS]);
    expect((s.metrics.graphql_ws_ack_ms as { count: number }).count).toBe(VUS);
    expect(s.metrics.graphql_ws_errors).toBe(0);
    expect(s.messages).toMatchObject({ sent, expected: sent, delivered: sent, lost: 0, duplicated: 0, outOfOrder: 0, acked: sent, ackTimeouts: 0 });
    expect(s.messages.latencyMs.count).toBe(sent);
    expect(s.messages.ackRttMs.count).toBe(sent);
    // the server's side: one publish per mutation, each reaching its one subscriber, each sent as a next; one result per mutation
    expect([c.publishes, c.reached, c.delivered, c.results]).toEqual([sent, sent, sent, sent]);
    // ping messages every 2 s from connection_ack: each one the server got, each answered with a pong
    expect(s.heartbeat.pingsSent).toBeGreaterThanOrEqual(VUS);
    expect(s.heartbeat).toMatchObject({ pingsSent: c.pings, pongsReceived: c.pings, pongRate: 1 });
    // the token went to the server in connection_init, and nowhere else
    for (const f of filesUnder(r.outDir)) expect([f, fs.readFileSync(f, 'utf8').includes('good-token')]).toEqual([f, false]);
    expect(r.stdout + r.stderr).not.toContain('good-token');
    console.log(`graphql-ws 500 VUs: ${JSON.stringify({ sent, delivered: s.messages.delivered, acked: s.messages.acked, lost: s.messages.lost,
      latencyP50: s.messages.latencyMs.p50, ackP50: s.messages.ackRttMs.p50, pings: s.heartbeat.pingsSent, pongs: s.heartbeat.pongsReceived })}; `
      + `server: ${JSON.stringify({ ...c, vus: c.vus.size })}`);
  });

  test('a refused connection_init: every connection lost under one class, close 4403, with its meaning; nothing sent', async () => {
    server = await startGraphqlServer({ token: 'good-token' });
    const conns = 100;
    const r = await runCli('runner', ['run', path.join(ROOT, 'scenarios', 'graphql-ws.ts'), '--target', server.url, '--conns', String(conns), '--ramp', '1s',
      '--duration', '3s', '--tokens', tokens('wrong-token'), ...ONLY_COUNTS]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const s = r.summary!;
    expect(s.connections).toMatchObject({ attempted: conns, succeeded: conns, disconnected: conns, errors: {} });
    expect(s.connections.disconnectReasons).toEqual({ 'close 4403': conns });
    expect([server.counts.refused, server.counts.acks, server.counts.publishes]).toEqual([conns, 0, 0]);
    expect(s.messages).toMatchObject({ sent: 0, delivered: 0, acked: 0 });
    expect(s.metrics.graphql_ws_ack_ms).toMatchObject({ count: 0, p50: null });
    expect(r.stdout).toContain('close 4403  → graphql-ws: 4403 Forbidden, the server refused connection_init');
    expect(r.stdout + r.stderr).not.toContain('wrong-token');
  });

  test('heartbeat: the client\'s pings answered by the server\'s pongs, and the server\'s own ping answered', async () => {
    server = await startGraphqlServer({ pingClients: true });
    const conns = 20;
    const r = await runCli('runner', ['run', path.join(ROOT, 'scenarios', 'graphql-ws.ts'), '--target', server.url, '--conns', String(conns), '--ramp', '1s',
      '--duration', '3s', '--ping-interval', '500ms', ...ONLY_COUNTS]);
    expect(r.code).toBe(0);
    const s = r.summary!;
    const c = server.counts;
    // about 4 pings a VU over its 2 to 3 s from connection_ack (at least 2 on a busy machine); exactly those the server got, each answered
    expect(s.heartbeat.pingsSent).toBeGreaterThanOrEqual(conns * 2);
    expect(s.heartbeat).toMatchObject({ pingsSent: c.pings, pongsReceived: c.pings, pongRate: 1 });
    expect(s.heartbeat.rttMs.count).toBe(c.pings);
    expect(c.pongs).toBe(conns);
    // pongs are heartbeats, not messages: frames received are the acks, the server's pings, the deliveries, and each result's next and complete
    expect(s.messages.frames.received).toBe(conns * 2 + c.delivered + 2 * c.results);
    console.log(`graphql-ws heartbeat: ${JSON.stringify(s.heartbeat)}; server: pings ${c.pings}, pongs to its own pings ${c.pongs}`);
  });

  test('an operation the schema refuses: its error message is one failure class with the server\'s words; no connection lost', async () => {
    server = await startGraphqlServer();
    const conns = 10;
    const file = writeScenario(`import { hold, ramp, ScenarioOptions, VuContext } from '${path.join(ROOT, 'lib')}';
import { GraphqlWs, GRAPHQL_WS_SUBPROTOCOL, graphqlWsMetrics } from '${path.join(ROOT, 'lib', 'protocols')}';
export const options: ScenarioOptions = { stages: [ramp('1s', ${conns}), hold('1s')], protocols: [GRAPHQL_WS_SUBPROTOCOL], metrics: graphqlWsMetrics() };
export default function (vu: VuContext): void {
  const gql = new GraphqlWs(vu, vu.connect(), { payload: { vu: '\${vu}' } });
  gql.onReady(() => gql.subscribe({ query: 'subscription { nope }' }, {}));
}
`);
    const r = await runCli('runner', ['run', file, '--target', server.url, ...ONLY_COUNTS]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const s = r.summary!;
    const cls = 'graphql-ws error: Cannot query field "…" on type "…".';
    expect(s.connections).toMatchObject({ attempted: conns, succeeded: conns, disconnected: 0, errors: { [cls]: conns } });
    expect(s.metrics.graphql_ws_errors).toBe(conns);
    expect([server.counts.acks, server.counts.subscriptions]).toEqual([conns, 0]);
    expect(r.stdout).toContain('check the query, its variables and the schema');
  });

  test('no connection_ack within the handshake timeout: each connection lost as graphql-ws connection_ack timeout (4504)', async () => {
    server = await startGraphqlServer({ holdInits: true });
    const conns = 10;
    const r = await runCli('runner', ['run', path.join(ROOT, 'scenarios', 'graphql-ws.ts'), '--target', server.url, '--conns', String(conns), '--ramp', '1s',
      '--duration', '3s', '--handshake-timeout', '1s', ...ONLY_COUNTS]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const s = r.summary!;
    expect(s.connections).toMatchObject({ attempted: conns, succeeded: conns, disconnected: conns });
    expect(s.connections.disconnectReasons).toEqual({ 'graphql-ws connection_ack timeout (4504)': conns });
    expect(s.metrics.graphql_ws_ack_ms).toMatchObject({ count: 0, p50: null });
    expect(s.messages).toMatchObject({ sent: 0, delivered: 0 });
  });
});
