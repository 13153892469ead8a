import { WebSocket } from 'ws';
import { ImServer, startImServer } from '../server/server';
import { Client } from './im-client';

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

  test('an upgrade on another path gets 404 and counts as rejected; the bare path and the path with a query are accepted', async () => {
    const before = server.stats();
    const status = await new Promise<number | undefined>((res) => {
      const ws = new WebSocket(server.url.replace(/\/ws$/, '/other'));
      ws.on('unexpected-response', (_req, r) => res(r.statusCode));
      ws.on('open', () => res(undefined));
      ws.on('error', () => undefined);
    });
    expect(status).toBe(404);
    await open();
    await open('?uid=q');
    expect(server.stats()).toMatchObject({ rejected: before.rejected + 1, accepted: before.accepted + 2 });
  });
});
