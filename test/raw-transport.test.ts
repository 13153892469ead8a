import type { FaultOptions } from './fault-server';
import { readRaw } from '../runner/raw';
import { startFaultServer } from './fault-server';
import { badInputLine, CONNECT_ONLY, runAgainst, runCli } from './helpers';

/**
 * `--transport raw` end to end: the same fault-server runs through the Node adapter with the `ws`
 * client and with RawWebSocket (lib/node/raw-client.ts) must give the same connection figures,
 * failure classes and heartbeat counts, and the known answer of each case.
 */
const ten = ['--conns', '10', '--duration', '2s', '--ramp', '500ms', '--ping-interval', '500ms'];

async function both(opts: FaultOptions, args: string[] = ten): Promise<Array<Record<string, unknown>>> {
  const out = [];
  for (const transport of ['ws', 'raw']) {
    const { s, server } = await runAgainst(opts, [...args, '--transport', transport]);
    const c = s.connections;
    out.push({
      attempted: c.attempted, succeeded: c.succeeded, failed: c.failed, errors: c.errors, disconnected: c.disconnected,
      disconnectReasons: c.disconnectReasons, final: c.final, pongRate: s.heartbeat.pongRate, pingsMatch: s.heartbeat.pingsSent === server.counts.pings,
    });
  }
  expect(out[1]).toEqual(out[0]);
  return out;
}

test('a clean run: 10/10 open, every ping answered', async () => {
  const [ws] = await both({});
  expect(ws).toMatchObject({ attempted: 10, succeeded: 10, failed: 0, disconnected: 0, final: 10, pongRate: 1, pingsMatch: true });
});

test('every 3rd upgrade refused with 503: 3 failed as "HTTP 503"', async () => {
  const [ws] = await both({ rejectEvery: { k: 3, status: 503 } });
  expect(ws).toMatchObject({ attempted: 10, succeeded: 7, failed: 3, errors: { 'HTTP 503': 3 } });
});

test('malformed frames and server closes: the same disconnect classes', async () => {
  const [a] = await both({ malformed: { kind: 'masked', k: 2 } });
  expect(a).toMatchObject({ succeeded: 10, disconnected: 5, disconnectReasons: { '1002 masked frame from server': 5 } });
  const [b] = await both({ closeEvery: { k: 2, afterMs: 200, code: 4001 } });
  expect(b).toMatchObject({ succeeded: 10, disconnected: 5, disconnectReasons: { 'close 4001': 5 } });
});

test('a server that never answers the upgrade: every attempt "timeout"', async () => {
  const [ws] = await both({ neverAnswer: true }, ['--conns', '4', '--duration', '1500ms', '--ramp', '200ms', '--handshake-timeout', '300ms']);
  expect(ws).toMatchObject({ attempted: 4, succeeded: 0, failed: 4, errors: { timeout: 4 } });
});

test('--transport takes auto, ws or raw, else one line', async () => {
  expect(await badInputLine('runner', ['run', 'scenarios/connect-only.ts', '--transport', 'http2'])).toBe('--transport must be one of auto, ws, raw (got "http2")');
});

test('the default (auto) runs raw, --transport ws runs ws, and raw/totals.json names the client that ran', async () => {
  const server = await startFaultServer({});
  try {
    const ran: Array<[string, unknown, number]> = [];
    for (const flag of [[], ['--transport', 'ws'], ['--transport', 'auto']]) {
      const r = await runCli('runner', ['run', CONNECT_ONLY, '--target', server.url, ...ten, ...flag]);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      ran.push([flag.join(' '), readRaw(r.outDir, 'report').totals.options.transport, r.summary!.connections.succeeded]);
    }
    expect(ran).toEqual([['', 'raw', 10], ['--transport ws', 'ws', 10], ['--transport auto', 'raw', 10]]);
    expect(server.counts.accepted).toBe(30);
  } finally {
    await server.close();
  }
});
