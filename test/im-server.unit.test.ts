import { WebSocket } from 'ws';
import { ServerHandle, startServer } from '../server/cluster';
import { ImServer, startImServer } from '../server/server';

/** A client that queues what it receives, so that a test can await the next frame or check there is none. */
class Client {
  readonly ws: WebSocket;
  private readonly queue: string[] = [];
  private waiter: ((s: string) => void) | undefined;

  private constructor(url: string, headers?: Record<string, string>) {
    this.ws = new WebSocket(url, { headers });
    this.ws.on('message', (d, isBinary) => {
      const s = isBinary ? `binary:${(d as Buffer).toString('hex')}` : d.toString();
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = undefined;
        w(s);
      } else this.queue.push(s);
    });
  }

  static async open(url: string, headers?: Record<string, string>): Promise<Client> {
    const c = new Client(url, headers);
    await new Promise<void>((res, rej) => {
      c.ws.once('open', () => res());
      c.ws.once('error', rej);
    });
    return c;
  }

  send(v: unknown): void {
    this.ws.send(typeof v === 'string' ? v : JSON.stringify(v));
  }

  next(timeoutMs = 2000): Promise<string> {
    const q = this.queue.shift();
    if (q !== undefined) return Promise.resolve(q);
    return new Promise((res, rej) => {
      const t = setTimeout(() => rej(new Error('no frame within the timeout')), timeoutMs);
      this.waiter = (s) => {
        clearTimeout(t);
        res(s);
      };
    });
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.next());
  }

  /** Frames received so far and not read (after a round trip that proves the server is done). */
  async nothingMore(): Promise<void> {
    this.send({ type: 'ping' });
    expect(await this.next()).toBe('{"type":"pong"}');
    expect(this.queue).toEqual([]);
  }

  close(): void {
    this.ws.terminate();
  }
}

describe('embedded IM server, one process', () => {
  let server: ImServer;
  const clients: Client[] = [];
  const open = async (query = '', headers?: Record<string, string>): Promise<Client> => {
    const c = await Client.open(`${server.url}${query}`, headers);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    server = await startImServer();
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(() => server.close());

  test('send → deliver to every connection of the user, ack to the sender', async () => {
    const alice = await open('?uid=alice');
    const bob1 = await open('?uid=bob');
    const bob2 = await open('?uid=bob');
    alice.send({ type: 'send', to: 'bob', id: 'm1', ts: 123.5, body: { text: 'hi' } });
    expect(await alice.next()).toBe('{"type":"ack","id":"m1"}');
    for (const b of [bob1, bob2]) {
      expect(await b.json()).toEqual({ type: 'deliver', from: 'alice', to: 'bob', id: 'm1', ts: 123.5, body: { text: 'hi' } });
    }
    await alice.nothingMore();
    // a user with no open connection: acked, delivered to nobody
    alice.send({ type: 'send', to: 'nobody', id: 7 });
    expect(await alice.next()).toBe('{"type":"ack","id":7}');
    await bob1.nothingMore();
  });

  test('the uid may come from the x-uid header', async () => {
    const a = await open('?uid=a');
    const viaHeader = await open('', { 'x-uid': 'h' });
    a.send({ type: 'send', to: 'h', id: 1 });
    expect(await a.next()).toBe('{"type":"ack","id":1}');
    expect(await viaHeader.json()).toMatchObject({ type: 'deliver', from: 'a', id: 1 });
  });

  test('rooms fan out to every member but the sending connection; leave stops it', async () => {
    const members = await Promise.all(['m0', 'm1', 'm2', 'm3'].map((u) => open(`?uid=${u}`)));
    const outsider = await open('?uid=out');
    for (const m of members) {
      m.send({ type: 'join', room: 'r1' });
      expect(await m.next()).toBe('{"type":"joined","room":"r1"}');
    }
    members[0]!.send({ type: 'send', room: 'r1', id: 'x', ts: 1, body: 'hello' });
    expect(await members[0]!.next()).toBe('{"type":"ack","id":"x"}');
    for (const m of members.slice(1)) {
      expect(await m.json()).toEqual({ type: 'deliver', from: 'm0', room: 'r1', id: 'x', ts: 1, body: 'hello' });
    }
    // a non-member may post to a room; every member gets it
    outsider.send({ type: 'send', room: 'r1', id: 'y' });
    expect(await outsider.next()).toBe('{"type":"ack","id":"y"}');
    for (const m of members) expect(await m.json()).toMatchObject({ from: 'out', room: 'r1', id: 'y' });
    members[3]!.send({ type: 'leave', room: 'r1' });
    expect(await members[3]!.next()).toBe('{"type":"left","room":"r1"}');
    members[1]!.send({ type: 'send', room: 'r1', id: 'z' });
    expect(await members[1]!.next()).toBe('{"type":"ack","id":"z"}');
    for (const m of [members[0]!, members[2]!]) expect(await m.json()).toMatchObject({ from: 'm1', id: 'z' });
    for (const m of [...members, outsider]) await m.nothingMore();
  });

  test('malformed and unknown frames get error frames; the server keeps serving everyone', async () => {
    const bad = await open('?uid=bad');
    const a = await open('?uid=a2');
    const b = await open('?uid=b2');
    const before = server.stats().errors;
    const cases: Array<[string, unknown]> = [
      ['{not json', { type: 'error', error: 'malformed JSON' }],
      ['{"type":"send","to":"b2"', { type: 'error', error: 'malformed JSON' }],
      ['{}', { type: 'error', error: 'frame needs a "type"' }],
      ['{"type":"fly"}', { type: 'error', error: 'unknown type "fly"' }],
      ['{"type":"send","id":5}', { type: 'error', error: 'send needs a "to" uid or a "room" (non-empty strings)', id: 5 }],
      ['{"type":"send","to":42,"id":"n"}', { type: 'error', error: 'send needs a "to" uid or a "room" (non-empty strings)', id: 'n' }],
      ['{"type":"send","to":"b2","room":"r","id":"both"}', { type: 'error', error: 'send takes "to" or "room", not both', id: 'both' }],
      ['{"type":"join"}', { type: 'error', error: 'join needs a "room" string' }],
      ['{"type":"leave","room":""}', { type: 'error', error: 'leave needs a "room" string' }],
    ];
    for (const [frame, reply] of cases) {
      bad.send(frame);
      expect(await bad.json()).toEqual(reply);
    }
    expect(server.stats().errors - before).toBe(cases.length);
    // JSON that is not an object starts with another character: echoed, like any other text
    bad.send('[1,2]');
    expect(await bad.next()).toBe('[1,2]');
    bad.ws.send(Buffer.from([0x7b, 0x00, 0xff]), { binary: true });
    expect(await bad.next()).toBe('binary:7b00ff');
    // the same connection and the others still work
    a.send({ type: 'send', to: 'b2', id: 'ok' });
    expect(await a.next()).toBe('{"type":"ack","id":"ok"}');
    expect(await b.json()).toMatchObject({ type: 'deliver', from: 'a2', id: 'ok' });
    bad.send({ type: 'send', to: 'b2', id: 'fine' });
    expect(await bad.next()).toBe('{"type":"ack","id":"fine"}');
    expect(await b.json()).toMatchObject({ from: 'bad', id: 'fine' });
  });

  test('a connection without a user cannot send; app ping gets pong', async () => {
    const anon = await open();
    anon.send({ type: 'send', to: 'x', id: 3 });
    expect(await anon.json()).toEqual({ type: 'error', error: 'send needs a user: connect with ?uid=<id> (or the x-uid header)', id: 3 });
    anon.send('{"type":"ping"}');
    expect(await anon.next()).toBe('{"type":"pong"}');
  });

  test('a frame larger than maxPayload closes that connection with 1009, not the server', async () => {
    const big = await open('?uid=big');
    const code = new Promise<number>((res) => big.ws.once('close', (c) => res(c)));
    big.ws.send(`{"type":"ping","pad":"${'x'.repeat(1 << 20)}"}`);
    expect(await code).toBe(1009);
    const c = await open('?uid=after');
    c.send({ type: 'ping' });
    expect(await c.next()).toBe('{"type":"pong"}');
  });
});

describe('embedded IM server as a cluster of 2 processes (deliveries routed through the primary)', () => {
  let server: ServerHandle;
  const clients: Client[] = [];
  const open = async (uid: string): Promise<Client> => {
    const c = await Client.open(`${server.url}?uid=${uid}`);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    server = await startServer({ workers: 2, port: 0, host: '127.0.0.1', path: '/ws' });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await server.close();
  });

  test('every user reaches every other, and every connection of a user gets each message, whichever process holds it', async () => {
    // connections are handed to the two processes in turn: u's three connections span both
    const users = ['u', 'v', 'w', 'x'];
    const conns: Record<string, Client[]> = {};
    for (const u of users) conns[u] = [await open(u)];
    conns.u!.push(await open('u'), await open('u'));
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
  });

  test('rooms fan out across processes', async () => {
    const members = await Promise.all(['r0', 'r1', 'r2', 'r3', 'r4'].map((u) => open(u)));
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
    const before = await server.stats();
    await Promise.all(['s0', 's1', 's2', 's3', 's4', 's5'].map((u) => open(u)));
    const all = await server.stats();
    expect(all.accepted).toBe(before.accepted + 6);
    // each request is a new connection, handed to the two processes in turn: both answer
    const { port } = new URL(server.url);
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/stats`, { headers: { connection: 'close' } });
      expect(await res.json()).toEqual(all);
    }
  });
});
