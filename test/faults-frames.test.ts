import type { MalformedKind } from './fault-server';
import { runAgainst as against, writeScenario } from './helpers';

/**
 * What the server sends, or does not read: malformed and oversized frames close the connection
 * under their class, a flood is counted message by message in bounded memory, unanswered pings
 * count against the pong rate, and sends to a server that stopped reading are refused, not buffered.
 */
const ten = ['--conns', '10', '--duration', '2s', '--ramp', '500ms'];

describe('frames a server must not send', () => {
  test.each<[MalformedKind, string]>([
    ['invalid-utf8', '1007 invalid UTF-8'],
    ['bad-opcode', '1002 invalid opcode'],
    ['masked', '1002 masked frame from server'],
    ['garbage', '1002 unexpected RSV bits'],
  ])('%s on every 2nd of 10 connections: 5 disconnects as "%s"', async (kind, cls) => {
    const { s } = await against({ malformed: { kind, k: 2 } }, ten);
    expect(s.connections).toMatchObject({ attempted: 10, succeeded: 10, disconnected: 5, final: 5, disconnectReasons: { [cls]: 5 } });
  });

  test('a message over maxMessageSize closes with 1009; one under it is received', async () => {
    const file = writeScenario(`import { hold, keepAlive, ramp } from 'wsbench';
export const options = { stages: [ramp('500ms', 10), hold('1500ms')], maxMessageSize: '64KB' };
export default function (vu) { keepAlive(vu); }
`);
    const over = await against({ oversized: { bytes: 64 * 1024 + 1, k: 2 } }, [], file);
    expect(over.s.connections).toMatchObject({ succeeded: 10, disconnected: 5, final: 5, disconnectReasons: { '1009 message too big': 5 } });
    expect(over.s.messages.frames.received).toBe(0);
    const under = await against({ oversized: { bytes: 64 * 1024 } }, [], file);
    expect(under.s.connections).toMatchObject({ succeeded: 10, disconnected: 0, final: 10 });
    expect(under.s.messages.frames.received).toBe(10);
  });
});

describe('traffic a runner must survive', () => {
  test('a flood of 20,000 × 1 KB messages on each of 10 connections: every one counted', async () => {
    const file = writeScenario(`import { hold, keepAlive, ramp } from 'wsbench';
export const options = { stages: [ramp('500ms', 10), hold('3500ms')], metrics: { bytes_received: 'counter' } };
export default function (vu) {
  const bytes = vu.counter('bytes_received');
  keepAlive(vu).addEventListener('message', (e) => bytes.add(e.data.length));
}
`);
    const { s, server } = await against({ flood: { count: 20_000, size: 1024 } }, [], file);
    expect(server.counts.flooded).toBe(200_000);
    expect(s.connections).toMatchObject({ succeeded: 10, disconnected: 0, final: 10 });
    expect(s.messages.frames.received).toBe(200_000);
    expect(s.metrics.bytes_received).toBe(200_000 * 1024);
    const rss = s.runner.workers.map((w) => w.maxRssMb);
    process.stdout.write(`flood of 200,000 × 1 KB (195 MB) over 10 connections: worker peak RSS ${rss.join(', ')} MB\n`);
  });

  test('pings answered every 2nd time: the pong rate is the answered share, lost pings counted at their timeout', async () => {
    const { s, server } = await against({ pongEvery: 2 }, ['--conns', '50', '--duration', '3s', '--ramp', '500ms', '--ping-interval', '500ms', '--pong-timeout', '400ms']);
    expect(s.heartbeat.pingsSent).toBe(server.counts.pings);
    expect(s.heartbeat.pongsReceived).toBe(server.counts.pongs);
    expect(s.heartbeat.pongRate).toBe(Math.round((server.counts.pongs / server.counts.pings) * 10_000) / 10_000);
    expect(Math.abs((s.heartbeat.pongRate as number) - 0.5)).toBeLessThanOrEqual(1 / server.counts.pings);
    expect(s.heartbeat.unresolved).toBe(0);
  });

  test('a server that stops reading: pings all lost, sends past 1 MiB unsent refused and counted', async () => {
    const file = writeScenario(`import { hold, keepAlive, ramp } from 'wsbench';
export const options = { stages: [ramp('200ms', 4), hold('2800ms')], pingInterval: '500ms', pongTimeout: '300ms', metrics: { send_calls: 'counter' } };
export default function (vu) {
  const calls = vu.counter('send_calls');
  const s = keepAlive(vu);
  const chunk = 'z'.repeat(64 * 1024);
  s.addEventListener('open', () => vu.setInterval(() => { calls.add(1); s.send(chunk); }, 10));
}
`);
    const { s } = await against({ stopReading: true }, [], file);
    expect(s.connections).toMatchObject({ succeeded: 4, disconnected: 0, final: 4 });
    expect(s.heartbeat.pingsSent).toBeGreaterThan(0);
    expect(s.heartbeat.pongRate).toBe(0);
    expect(s.connections.sendBufferFull).toBeGreaterThan(0);
    expect(s.messages.frames.sent + s.connections.sendBufferFull).toBe(s.metrics.send_calls);
    const rss = s.runner.workers.map((w) => w.maxRssMb);
    process.stdout.write(`stopped reader: ${s.metrics.send_calls} sends of 64 KB, ${s.messages.frames.sent} handed to the socket, ${s.connections.sendBufferFull} refused; worker peak RSS ${rss.join(', ')} MB\n`);
  });
});
