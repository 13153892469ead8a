import fs from 'node:fs';
import path from 'node:path';
import { ROOT, runCli, tmpDir, scenarioWith } from './helpers';
import { until } from './storm';
import { startSocketIOServer, SioServer } from './servers/socketio-server';
import { sendPlan } from '../lib/helpers/send-plan';
import { hold, ramp } from '../lib/scenario/stages';
import type { Summary } from '../lib/results/summary';

/**
 * scenarios/socketio.ts against a chat app on the real `socket.io` package (test/servers/socketio-server.ts),
 * through `runner run` and `wsbench --mode messaging --protocol socketio`: wsbench's figures held to
 * the server's own counts. The app pings every 1 s (pingTimeout 20 s: a busy machine is no late pong).
 */
const VUS = 1000;
const TOKEN = 'chat-token';
const ONLY_COUNTS = ['--threshold', 'connections.successRate >= 1'];

function tokens(t: string): string {
  const file = path.join(tmpDir('wsbench-sio-tokens-'), 'tokens.txt');
  fs.writeFileSync(file, `${t}\n`);
  return file;
}
const metric = (s: Summary, name: string): number => s.metrics[name] as number;
const count = (s: Summary, name: string): number => (s.metrics[name] as { count: number }).count;

describe('Socket.IO: 1,000 VUs chatting through a socket.io v4 app', () => {
  let server: SioServer;
  let s: Summary;
  // 3 s ramp, 6 s hold at 1 message/s. Sending starts 2 s into the hold (extra.msgWarmup: every VU's join is in on a
  // busy machine, so that a message finds its room) and ends 1.5 s before its end (drain, a quarter of it): 2 each
  const perVu = sendPlan([ramp('3s', VUS), hold('6s')], 0, { rate: 1, warmupMs: 2000 }).count;
  const sent = VUS * perVu;

  beforeAll(async () => {
    server = await startSocketIOServer({ pingInterval: 1000, pingTimeout: 20_000, tokens: [TOKEN] });
    const file = scenarioWith(path.join(ROOT, 'scenarios', 'socketio.ts'), "extra: { ...base.extra, msgWarmup: '2s' }", 'chat.ts');
    const r = await runCli('runner', ['run', file, '--target', server.url, '--conns', String(VUS),
      '--ramp', '3s', '--duration', '9s', '--msg-rate', '1', '--tokens', tokens(TOKEN), ...ONLY_COUNTS]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    s = r.summary!;
    // every connection the runner closed has closed on the server too: its counts are final
    await until(() => server.counts.open === 0, 30_000);
    console.log(`Socket.IO ${VUS} VUs: ${JSON.stringify({ connections: s.connections, messages: { ...s.messages, latencyMs: undefined, ackRttMs: s.messages.ackRttMs.p50 }, heartbeat: s.heartbeat, pingRttP50: (s.metrics.socketio_ping_rtt_ms as { p50: number | null }).p50 })}; server: ${JSON.stringify(server.counts)}`);
  }, 120_000);
  afterAll(() => server?.close());

  test('connects = the server\'s; the open packet and the CONNECT timed once per VU', () => {
    expect(perVu).toBe(2);
    expect(s.scenario).toBe('chat');
    expect(s.connections).toMatchObject({ attempted: VUS, succeeded: VUS, failed: 0, disconnected: 0, peak: VUS, errors: {} });
    expect(server.counts).toMatchObject({ connects: VUS, refused: 0, joins: VUS, peak: VUS });
    expect(count(s, 'socketio_open_ms')).toBe(VUS);
    expect(count(s, 'socketio_connect_ms')).toBe(VUS);
    expect(metric(s, 'socketio_connect_errors')).toBe(0);
  });

  test('every message acked and timed; relayed by the server = delivered; lost 0', () => {
    expect(s.messages).toMatchObject({ sent, expected: sent, delivered: sent, lost: 0, duplicated: 0, acked: sent, ackTimeouts: 0 });
    expect(s.messages.ackRttMs.count).toBe(sent);
    expect(count(s, 'socketio_ack_ms')).toBe(sent);
    expect(s.messages.latencyMs.count).toBe(sent);
    expect(server.counts).toMatchObject({ received: sent, acked: sent, relayed: sent, binary: 0 });
  });

  test('the server\'s pings all answered: its pongs = ours sent, its pings = those answered + at most one in flight per connection at the end', () => {
    const hb = s.heartbeat;
    expect(hb.pingsSent).toBeGreaterThanOrEqual(VUS * 3); // ~5-8 s per VU at 1 ping/s
    expect(hb).toMatchObject({ pongsReceived: hb.pingsSent, pongRate: 1 });
    expect(count(s, 'socketio_ping_rtt_ms')).toBe(hb.pingsSent - VUS); // each VU's first ping has no pong before it
    expect(hb.rttMs).toMatchObject({ count: 0, p50: null }); // ws_ping is k6's own: no samples, never 0
    expect(server.counts.pongs).toBe(hb.pingsSent);
    expect(server.counts.pings - server.counts.pongs).toBe(server.counts.pingsOutstandingAtClose);
    expect(server.counts.pingsOutstandingAtClose).toBeLessThanOrEqual(VUS);
    expect(metric(s, 'socketio_pings_received')).toBeGreaterThanOrEqual(hb.pingsSent);
    expect(metric(s, 'socketio_pings_received')).toBeLessThanOrEqual(server.counts.pings);
    expect(metric(s, 'socketio_ping_timeouts')).toBe(0);
    expect(server.counts.closeReasons['ping timeout']).toBeUndefined();
  });
});

test('Socket.IO: bodies as binary attachments (extra.ioBinary): every one a BINARY_EVENT the server decoded, relayed and delivered', async () => {
  const vus = 50;
  const server = await startSocketIOServer({ tokens: [TOKEN] });
  try {
    const file = scenarioWith(path.join(ROOT, 'scenarios', 'socketio.ts'), "extra: { ...base.extra, ioBinary: true, msgWarmup: '1s' }", 'binary.ts');
    const r = await runCli('runner', ['run', file, '--target', server.url, '--conns', String(vus), '--ramp', '1s', '--duration', '4s',
      '--msg-rate', '4', '--msg-size', '1000', '--tokens', tokens(TOKEN), ...ONLY_COUNTS]);
    expect(r.code).toBe(0);
    const s = r.summary!;
    // 3 s hold at 4/s: warmup 1 s (every join in first) and drain 0.75 s leave 1.25 s
    const sent = vus * sendPlan([ramp('1s', vus), hold('3s')], 0, { rate: 4, warmupMs: 1000 }).count;
    expect(sent).toBe(vus * 5);
    expect(s.messages).toMatchObject({ sent, delivered: sent, acked: sent, lost: 0 });
    await until(() => server.counts.open === 0, 30_000);
    expect(server.counts).toMatchObject({ received: sent, binary: sent, relayed: sent });
    // each message: its text frame and its 1000-byte attachment
    expect(s.messages.frames.sent).toBeGreaterThanOrEqual(2 * sent);
  } finally {
    await server.close();
  }
});

test('Socket.IO: an auth refusal of the server app is one CONNECT_ERROR class with its message and a hint', async () => {
  const vus = 200;
  const server = await startSocketIOServer({ tokens: [TOKEN], refusal: 'invalid token for this chat' });
  try {
    // the seed tool's command: wsbench --mode messaging --protocol socketio runs scenarios/socketio.ts
    const r = await runCli('wsbench', ['--mode', 'messaging', '--protocol', 'socketio', '--target', server.url, '--conns', String(vus),
      '--ramp', '1s', '--duration', '2s', '--tokens', tokens('wrong'), ...ONLY_COUNTS]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    const s = r.summary!;
    expect(s.scenario).toBe('socketio');
    const cls = 'Socket.IO CONNECT_ERROR /chat: invalid token for this chat';
    expect(s.connections.errors).toEqual({ [cls]: vus });
    // the connection closes on purpose after the refusal: one failure per VU, not also a disconnect
    expect(s.connections).toMatchObject({ attempted: vus, succeeded: vus, disconnected: 0 });
    expect(s.disconnectWaves).toEqual([]);
    expect(metric(s, 'socketio_connect_errors')).toBe(vus);
    expect(count(s, 'socketio_connect_ms')).toBe(0);
    expect((s.metrics.socketio_connect_ms as { p50: number | null }).p50).toBeNull();
    expect(count(s, 'socketio_open_ms')).toBe(vus);
    expect(s.messages).toMatchObject({ sent: 0, delivered: 0, acked: 0 });
    expect(server.counts).toMatchObject({ refused: vus, connects: 0, received: 0 });
    expect(r.stdout).toContain(cls);
    expect(r.stdout).toContain('the server refused the namespace');
    console.log(`Socket.IO refusal: errors ${JSON.stringify(s.connections.errors)}; server refused ${server.counts.refused}, connects ${server.counts.connects}`);
  } finally {
    await server.close();
  }
});

test('Socket.IO: a server restart is one disconnect wave of every connection, all recovered with --reconnect, each VU connected again', async () => {
  const vus = 300;
  const server = await startSocketIOServer({ tokens: [TOKEN] });
  try {
    const pids: number[] = [];
    const run = runCli('runner', ['run', path.join(ROOT, 'scenarios', 'socketio.ts'), '--target', server.url, '--conns', String(vus),
      '--ramp', '2s', '--duration', '300s', '--msg-rate', '1', '--tokens', tokens(TOKEN), ...ONLY_COUNTS,
      '--reconnect', '--reconnect-initial', '500ms', '--reconnect-max', '2s', '--reconnect-jitter', '0'], { onSpawn: (p) => pids.push(p) });
    await until(() => server.counts.connects === vus && server.counts.joins === vus);
    const dropped = await server.restart(1000);
    await until(() => server.counts.connects === 2 * vus && server.counts.joins === 2 * vus);
    for (const pid of pids) process.kill(pid, 'SIGINT');
    const r = await run;
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(130);
    const s = r.summary!;
    expect(dropped).toBe(vus);
    expect(s.connections).toMatchObject({ succeeded: 2 * vus, disconnected: vus });
    expect(s.disconnectWaves).toHaveLength(1);
    const w = s.disconnectWaves[0]!;
    // the server's sockets destroyed, no close frame: 1006 on every connection; the retries while it was down refused
    expect({ dropped: w.dropped, recovered: w.recovered, classes: w.classes }).toEqual({ dropped: vus, recovered: vus, classes: { '1006 abnormal closure': vus } });
    expect(w.attempts).toBe(w.recovered! + w.failures!);
    expect(w.recoverySec!.p50!).toBeGreaterThanOrEqual(0.5); // no VU back before its first retry
    // every VU's namespace connected again after the restart: the server's count, and ours
    expect(count(s, 'socketio_connect_ms')).toBe(2 * vus);
    expect(count(s, 'socketio_open_ms')).toBe(2 * vus);
    console.log(`Socket.IO restart: wave ${JSON.stringify(w)}; server connects ${server.counts.connects}, dropped ${dropped}`);
  } finally {
    await server.close();
  }
});
