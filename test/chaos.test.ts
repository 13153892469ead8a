import WebSocket from 'ws';
import { startChaos } from '../server/chaos';
import { startServer } from '../server/cluster';
import { startImServer } from '../server/server';

/** The embedded server's chaos switch on real sockets: what clients see, and what /stats counts. */

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}
const closed = (ws: WebSocket): Promise<number> => new Promise((r) => ws.once('close', (code) => r(code)));
/** What an upgrade attempt ends in: 'open', or the error's message. */
const attempt = (url: string): Promise<string> =>
  new Promise((r) => {
    const ws = new WebSocket(url);
    ws.once('open', () => (ws.close(), r('open')));
    ws.once('error', (e) => r(e.message));
  });

test('a going-away restart closes every connection with 1001, refuses with 503 while down, then accepts', async () => {
  const server = await startImServer({ port: 0 });
  try {
    const clients = await Promise.all([1, 2, 3].map(() => open(server.url)));
    const codes = Promise.all(clients.map(closed));
    expect(await server.restart('going-away', 400)).toBe(3);
    expect(await codes).toEqual([1001, 1001, 1001]);
    expect(await attempt(server.url)).toBe('Unexpected server response: 503');
    await new Promise((r) => setTimeout(r, 450));
    expect(await attempt(server.url)).toBe('open');
    expect(server.stats()).toMatchObject({ restarts: 1, restartDropped: 3, refused: 1, accepted: 4 });
  } finally {
    await server.close();
  }
});

test('an abrupt restart drops the TCP connections without a close frame (1006)', async () => {
  const server = await startImServer({ port: 0 });
  try {
    const clients = await Promise.all([1, 2].map(() => open(server.url)));
    const codes = Promise.all(clients.map(closed));
    expect(await server.restart('abrupt', 0)).toBe(2);
    expect(await codes).toEqual([1006, 1006]);
  } finally {
    await server.close();
  }
});

test('a cluster of 2 processes restarts together on a schedule; a restart counts once', async () => {
  const server = await startServer({ workers: 2, port: 0, host: '127.0.0.1', path: '/ws', connsPerProcess: 3 });
  try {
    const clients = await Promise.all(Array.from({ length: 6 }, () => open(server.url)));
    const codes = Promise.all(clients.map(closed));
    let heard: [number, number] | undefined;
    const chaos = startChaos(server, { everyMs: 300, downMs: 100, mode: 'going-away' }, (n, dropped) => (heard ??= [n, dropped]));
    expect(await codes).toEqual([1001, 1001, 1001, 1001, 1001, 1001]);
    chaos.stop();
    while (!heard) await new Promise((r) => setTimeout(r, 20));
    expect(heard).toEqual([1, 6]);
    const stats = await server.stats();
    expect(stats.restarts).toBe(chaos.restarts);
    expect(stats.restartDropped).toBe(6);
  } finally {
    await server.close();
  }
});
