import { ServerHandle, startServer } from '../server/cluster';
import { Client } from './im-client';
import { serveCommand } from '../runner/serve';
import { connsPerProcess } from '../runner/limits';
import { ConfigError } from '../lib/scenario/config-error';

/**
 * The embedded server as a cluster of 2 processes, each taking 2 connections before the other
 * accepts (server/acceptors.ts): the first process accepts until it holds 2, then the second takes
 * every later one (both full: the last goes on). Opening one connection at a time and awaiting
 * `processes()` (which waits for the handover) makes where each connection lands certain.
 */
describe('embedded IM server as a cluster of 2 processes (deliveries routed through the primary)', () => {
  let server: ServerHandle;
  const clients: Client[] = [];
  const open = async (uid: string): Promise<Client> => {
    const c = await Client.open(`${server.url}?uid=${uid}`);
    clients.push(c);
    await server.processes();
    return c;
  };
  const opens = async (): Promise<number[]> => (await server.processes()).map((p) => p.open);

  beforeEach(async () => {
    server = await startServer({ workers: 2, port: 0, host: '127.0.0.1', path: '/ws', connsPerProcess: 2 });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server.close();
  });

  test('the first process takes its share of 2, the second every later connection; every user reaches every other, whichever process holds it', async () => {
    const users = ['u', 'v', 'w', 'x'];
    const conns: Record<string, Client[]> = {};
    for (const u of users) conns[u] = [await open(u)];
    conns.u!.push(await open('u'), await open('u'));
    // u and v on the first process, w, x and u's two others on the second: u spans both
    expect(await opens()).toEqual([2, 4]);
    let n = 0;
    for (const from of users) {
      for (const to of users) {
        if (from === to) continue;
        const id = `m${++n}`;
        conns[from]![0]!.send({ type: 'send', to, id });
        expect(await conns[from]![0]!.next()).toBe(`{"type":"ack","id":"${id}"}`);
        for (const c of conns[to]!) expect(await c.json()).toMatchObject({ type: 'deliver', from, to, id });
      }
    }
    for (const u of users) for (const c of conns[u]!) await c.nothingMore();
    const stats = await server.stats();
    expect(stats.acked).toBe(12);
    expect(stats.delivered).toBe(12 + 3 * 2); // 3 senders × 2 extra connections of u
    expect(stats.accepted).toBe(6);
  });

  test('rooms fan out across processes', async () => {
    const members: Client[] = [];
    for (const u of ['r0', 'r1', 'r2', 'r3', 'r4']) members.push(await open(u));
    expect(await opens()).toEqual([2, 3]);
    for (const m of members) {
      m.send({ type: 'join', room: 'big' });
      expect(await m.next()).toBe('{"type":"joined","room":"big"}');
    }
    members[2]!.send({ type: 'send', room: 'big', id: 'hello' });
    expect(await members[2]!.next()).toBe('{"type":"ack","id":"hello"}');
    for (const [i, m] of members.entries()) {
      if (i === 2) await m.nothingMore();
      else expect(await m.json()).toMatchObject({ type: 'deliver', from: 'r2', room: 'big', id: 'hello' });
    }
  });

  test('GET /stats answers for the whole cluster, whichever process takes the request', async () => {
    const { port } = new URL(server.url);
    const get = async (): Promise<unknown> => (await fetch(`http://127.0.0.1:${port}/stats`, { headers: { connection: 'close' } })).json();
    const first = await get(); // the first process: nothing open yet
    for (const u of ['s0', 's1', 's2']) await open(u);
    // the request's own socket counts towards the first process's share while it closes: 1 or 2 opens there
    const [one, two] = await opens();
    expect([one! + two!, two! > 0]).toEqual([3, true]);
    const all = await server.stats();
    expect(all).toMatchObject({ accepted: 3, open: 3 });
    expect(first).toMatchObject({ accepted: 0, open: 0 });
    expect(await get()).toEqual(all); // the second process answers for both
  });

  test('a full process that falls back below its share takes the accepting back when the one accepting is full', async () => {
    const a = [await open('a0'), await open('a1'), await open('a2'), await open('a3')];
    expect(await opens()).toEqual([2, 2]);
    a[0]!.close(); // the first process is back at 1
    while ((await server.stats()).open !== 3) await new Promise((r) => setImmediate(r));
    await server.processes(); // its level report came before those counts: the handover back to it is done
    await open('a4');
    await open('a5');
    const parts = await server.processes();
    expect(parts.map((p) => p.open)).toEqual([3, 2]);
    expect(parts.map((p) => p.accepted)).toEqual([4, 2]);
    expect((await server.stats()).closed).toBe(1);
  });
});

describe('runner serve --conns-per-process', () => {
  const io = { stdout: process.stdout, stderr: process.stderr };
  test.each([0, 1.5, connsPerProcess() + 1])('%p is refused in one line naming the flag and the machine\'s share', async (n) => {
    await expect(serveCommand({ port: 0, host: '127.0.0.1', path: '/ws', connsPerProcess: n }, io)).rejects.toThrow(
      new ConfigError(`--conns-per-process must be a whole number from 1 to ${connsPerProcess()}, this machine's open-files share (got ${n})`),
    );
  });
});
