import { runAgainst as against, writeScenario } from './helpers';

/**
 * Faults after the connection opened: every disconnect counted once, with its close code or
 * error; a server restart as disconnects, and with `reconnect` as new connections.
 */
const run20 = ['--conns', '20', '--duration', '2s', '--ramp', '500ms', '--ping-interval', '1s'];

function reconnecting(reconnect: string): string {
  return writeScenario(`import { hold, keepAlive, ramp } from 'wsbench';
export const options = { stages: [ramp('500ms', 20), hold('3500ms')], pingInterval: '1s', reconnect: ${reconnect} };
export default function (vu) { keepAlive(vu); }
`, 'reconnect.ts');
}

describe('disconnects by class', () => {
  test('every 4th of 40 connections dropped without a close frame: 10 × "1006 abnormal closure"', async () => {
    const { s, stdout, server } = await against({ closeEvery: { k: 4, afterMs: 300, abrupt: true } }, ['--conns', '40', '--duration', '2s', '--ramp', '500ms']);
    expect(server.counts.closedByServer).toBe(10);
    expect(s.connections).toMatchObject({
      attempted: 40, succeeded: 40, failed: 0, disconnected: 10, final: 30, disconnectReasons: { '1006 abnormal closure': 10 },
    });
    expect(stdout).toContain('10  1006 abnormal closure  → the connection dropped without a close frame');
  });

  test('every 2nd of 20 closed with code 4001: 10 × "close 4001"', async () => {
    const { s } = await against({ closeEvery: { k: 2, afterMs: 300, code: 4001 } }, run20);
    expect(s.connections).toMatchObject({ succeeded: 20, disconnected: 10, final: 10, disconnectReasons: { 'close 4001': 10 } });
  });

  test('every 2nd of 20 reset (TCP RST): 10 × "ECONNRESET"', async () => {
    const { s } = await against({ resetEvery: { k: 2, afterMs: 300 } }, run20);
    expect(s.connections).toMatchObject({ succeeded: 20, disconnected: 10, final: 10, disconnectReasons: { ECONNRESET: 10 } });
  });
});

describe('a server restart mid-run', () => {
  test('without reconnect: all 20 connections lost, none comes back', async () => {
    const { s, server } = await against({ restart: { accepted: 20, afterMs: 300, downMs: 500 } }, run20);
    expect(server.counts).toMatchObject({ restarts: 1, droppedByRestart: 20 });
    expect(s.connections).toMatchObject({
      attempted: 20, succeeded: 20, disconnected: 20, final: 0, reconnects: 0, disconnectReasons: { '1006 abnormal closure': 20 },
    });
  });

  test('with reconnect, back up before the first retry: 20 disconnects, 20 reconnects, all open at the end', async () => {
    // down 0.5 s, first retry after 1 s: every retry finds the server listening
    const { s, stdout, server } = await against({ restart: { accepted: 20, afterMs: 300, downMs: 500 } }, [], reconnecting("{ initialDelay: '1s', jitter: 0 }"));
    expect(server.counts).toMatchObject({ restarts: 1, droppedByRestart: 20, accepted: 40 });
    expect(s.connections).toMatchObject({
      attempted: 40, succeeded: 40, failed: 0, disconnected: 20, reconnects: 20, final: 20,
      disconnectReasons: { '1006 abnormal closure': 20 },
    });
    expect(stdout).toMatch(/Reconnects:\s+20/);
  });

  test('with reconnect and backoff, down longer than the first retry: refused retries counted, then all back', async () => {
    // down 1.2 s; retries at +0.5 s (refused: nothing listens) and +0.5 + 1 s (the server is back)
    const { s, server } = await against({ restart: { accepted: 20, afterMs: 300, downMs: 1200 } }, [], reconnecting("{ initialDelay: '500ms', factor: 2, jitter: 0 }"));
    expect(server.counts).toMatchObject({ restarts: 1, droppedByRestart: 20, accepted: 40 });
    expect(s.connections).toMatchObject({
      attempted: 60, succeeded: 40, failed: 20, disconnected: 20, reconnects: 40, final: 20,
      errors: { ECONNREFUSED: 20 }, disconnectReasons: { '1006 abnormal closure': 20 },
    });
  });
});
