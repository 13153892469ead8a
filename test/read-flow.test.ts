import type { AddressInfo, Socket } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { ReadFlow } from '../lib/node/read-flow';
import { RawWebSocket } from '../lib/node/raw-ws';

/**
 * lib/node/read-flow.ts on a real `ws` connection to a server that writes 16 KiB frames as fast as
 * TCP lets it: a rate-limited reader never reads more than its budget plus one burst (a read and
 * the stream's buffer), and a stalled one reads nothing while paused.
 */
const FRAME = 'x'.repeat(16_384);
const BURST = 192 * 1024;

async function flood(raw = false): Promise<{ ws: WebSocket; socket: Socket; close: () => void }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  wss.on('connection', (c) => {
    const pump = (): void => {
      while (c.readyState === WebSocket.OPEN && c.bufferedAmount < 1 << 20) c.send(FRAME);
    };
    const t = setInterval(pump, 20);
    c.on('close', () => clearInterval(t));
  });
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  const ws = raw ? (new RawWebSocket(url) as WebSocket) : new WebSocket(url);
  await new Promise((r) => ws.once('open', r));
  return { ws, socket: (ws as unknown as { _socket: Socket })._socket, close: () => (ws.terminate(), wss.close()) };
}

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test.each([['ws', false], ['raw', true]])('%s client: a rate-limited reader stays within bytesPerSec × time since open, plus one burst', async (_name, raw) => {
  const { ws, socket, close } = await flood(raw as boolean);
  const start = performance.now();
  const base = socket.bytesRead;
  const flow = new ReadFlow(ws, socket, { bytesPerSec: 65_536 });
  try {
    for (let i = 0; i < 6; i++) {
      await wait(500);
      const budget = (65_536 * (performance.now() - start)) / 1000;
      expect(socket.bytesRead - base).toBeLessThanOrEqual(budget + BURST);
    }
    expect(socket.bytesRead - base).toBeGreaterThan(65_536); // it did read: paused and resumed
  } finally {
    flow.stop();
    close();
  }
}, 20_000);

test('a stalled reader reads nothing while paused, and reads again after', async () => {
  const { ws, socket, close } = await flood();
  const flow = new ReadFlow(ws, socket, { stall: { afterMs: 300, forMs: 1500 } });
  try {
    while (!ws.isPaused) await wait(20);
    await wait(200); // what the stream's buffer takes after the pause
    const atPause = socket.bytesRead;
    await wait(500);
    if (ws.isPaused) expect(socket.bytesRead).toBe(atPause);
    while (ws.isPaused) await wait(20);
    const resumed = socket.bytesRead;
    await wait(300);
    expect(socket.bytesRead).toBeGreaterThan(resumed);
  } finally {
    flow.stop();
    close();
  }
}, 20_000);
