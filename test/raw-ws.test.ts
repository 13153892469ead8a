import { FaultOptions, FaultServer, MalformedKind, startFaultServer } from './fault-server';
import { both, Outcome, ProbeOptions } from './raw-ws-probe';

/**
 * Differential: every fault-server case run through the `ws` client and through RawWebSocket
 * (lib/node/raw-ws.ts), driven the way the Node adapter drives a socket. The two outcomes must be
 * identical, and equal to the known answer of the case. TLS classes: raw-ws-tls.test.ts; frames
 * and handshakes no fault server sends: raw-ws-frames.test.ts.
 */
let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function against(opts: FaultOptions, probe: ProbeOptions = {}): Promise<{ ws: Outcome; raw: Outcome; server: FaultServer }> {
  server = await startFaultServer(opts);
  const r = await both(server.url, probe);
  expect(r.raw).toEqual(r.ws);
  return { ...r, server };
}

const pingAndClose: ProbeOptions = {
  onOpen: (ws) => {
    ws.send('{"type":"ping"}');
    ws.ping(Buffer.from([0, 0, 0, 7]));
  },
  closeAfterMs: 150,
};

test('open, an app ping answered, a protocol ping answered with its payload, closed by us with 1000', async () => {
  const { ws, server: s } = await against({}, pingAndClose);
  expect(ws).toMatchObject({ attempt: 'open', messages: 1, bytes: 15, pongs: 1, pongPayloads: ['00000007'], closeCode: 1000, closeReason: 'bye' });
  expect(ws.disconnect).toBeUndefined();
  expect(ws.events[0]).toBe('open');
  expect(ws.events[ws.events.length - 1]).toBe('close:1000');
  expect(s.counts).toMatchObject({ accepted: 2, pings: 2, pongs: 2, appPings: 2, appPongs: 2 });
});

test.each([
  [1001, 'close 1001'],
  [4001, 'close 4001'],
])('the server closes with %i: disconnect "%s", reason kept', async (code, cls) => {
  const { ws } = await against({ closeEvery: { k: 1, afterMs: 30, code } });
  expect(ws).toMatchObject({ attempt: 'open', closeCode: code, closeReason: 'going away', disconnect: cls, events: ['open', `close:${code}`] });
});

test('the server drops the connection without a close frame: 1006', async () => {
  const { ws } = await against({ closeEvery: { k: 1, afterMs: 30, abrupt: true } });
  expect(ws).toMatchObject({ attempt: 'open', closeCode: 1006, disconnect: '1006 abnormal closure' });
});

test('the server resets the connection: 1006 counted as ECONNRESET', async () => {
  const { ws } = await against({ resetEvery: { k: 1, afterMs: 30 } });
  expect(ws).toMatchObject({ attempt: 'open', closeCode: 1006, disconnect: 'ECONNRESET' });
});

// the client sends the close code named in the class; the close it sees is 1006 (the server never answers it)
test.each<[MalformedKind, string]>([
  ['invalid-utf8', '1007 invalid UTF-8'],
  ['bad-opcode', '1002 invalid opcode'],
  ['masked', '1002 masked frame from server'],
  ['garbage', '1002 unexpected RSV bits'],
])('a malformed frame (%s): counted as "%s"', async (kind, cls) => {
  const { ws } = await against({ malformed: { kind } });
  expect(ws).toMatchObject({ attempt: 'open', messages: 0, closeCode: 1006, disconnect: cls });
  expect(ws.events).toEqual(['open', `error:${cls}`, 'close:1006']);
});

test('a message one byte over maxPayload: "1009 message too big"; one at maxPayload: received whole', async () => {
  const over = await against({ oversized: { bytes: 64 * 1024 + 1 } }, { maxPayload: 64 * 1024 });
  expect(over.ws).toMatchObject({ messages: 0, closeCode: 1006, disconnect: '1009 message too big' });
  await server?.close();
  const under = await against({ oversized: { bytes: 64 * 1024 } }, { maxPayload: 64 * 1024, closeAfterMs: 100 });
  expect(under.ws).toMatchObject({ messages: 1, bytes: 64 * 1024, closeCode: 1000 });
  expect(under.ws.disconnect).toBeUndefined();
});

test('a flood of 5,000 × 1 KB right after open: every message counted', async () => {
  const { ws, server: s } = await against({ flood: { count: 5000, size: 1024 } }, {
    onOpen: (w) => w.on('message', () => {
      // close once the last one is in, so the probe ends on the count, not on a timer
      if ((w as unknown as { n?: number }).n === undefined) (w as unknown as { n: number }).n = 0;
      if (++(w as unknown as { n: number }).n === 5000) w.close(1000);
    }),
  });
  expect(s.counts.flooded).toBe(10_000);
  expect(ws).toMatchObject({ messages: 5000, bytes: 5000 * 1024, binary: 0, closeCode: 1000 });
});

test.each([
  ['HTTP 503', { rejectEvery: { k: 1, status: 503 } }],
  ['HTTP 429', { rejectEvery: { k: 1, status: 429 } }],
  ['HTTP 401', { auth: { tokens: ['good'] } }],
  ['HTTP 403', { auth: { tokens: ['good'], status: 403 } }],
] as Array<[string, FaultOptions]>)('a rejected upgrade: "%s"', async (cls, opts) => {
  const { ws } = await against(opts);
  expect(ws).toMatchObject({ attempt: cls, closeCode: 1006, events: [`error:${cls}`, 'close:1006'], tcpUp: true, transportUp: true });
});

test('a server that never answers the upgrade: "timeout" after the handshake timeout', async () => {
  const { ws, server: s } = await against({ neverAnswer: true }, { handshakeTimeoutMs: 200 });
  expect(ws).toMatchObject({ attempt: 'timeout', closeCode: 1006, tcpUp: true, transportUp: true });
  expect(s.counts.upgrades).toBe(2);
});

test('an upgrade answered late but within the timeout opens', async () => {
  const { ws } = await against({ upgradeDelayMs: 100 }, { handshakeTimeoutMs: 2000, closeAfterMs: 10 });
  expect(ws).toMatchObject({ attempt: 'open', closeCode: 1000 });
});

test('nothing listens: ECONNREFUSED before TCP is up', async () => {
  server = await startFaultServer({});
  const url = server.url;
  await server.close();
  server = undefined;
  const r = await both(url);
  expect(r.raw).toEqual(r.ws);
  expect(r.ws).toMatchObject({ attempt: 'ECONNREFUSED', tcpUp: false, events: ['error:ECONNREFUSED', 'close:1006'] });
});

test('the runner cuts the attempt short (terminate while connecting): aborted, neither success nor failure', async () => {
  const { ws } = await against({ neverAnswer: true }, { onCreate: (w) => setTimeout(() => w.terminate(), 50) });
  expect(ws).toMatchObject({ attempt: 'aborted', closeCode: 1006 });
});

test('the request the server sees: path, query, headers, subprotocols, Host', async () => {
  const probe: ProbeOptions = { protocols: ['im.v1', 'im.v2'], headers: { Authorization: 'Bearer t0k', 'X-Trace': 'a b' }, closeAfterMs: 10 };
  server = await startFaultServer({});
  const url = `${server.url}?uid=u1&token=x`;
  const r = await both(url, probe);
  expect(r.raw).toEqual(r.ws);
  // the fault server (ws's default) picks the first subprotocol offered
  expect(r.ws).toMatchObject({ attempt: 'open', protocol: 'im.v1', closeCode: 1000 });
  const [a, b] = server.seen;
  const strip = (h: Record<string, unknown>): Record<string, unknown> => ({ ...h, 'sec-websocket-key': typeof h['sec-websocket-key'] });
  expect(strip(b!.headers)).toEqual(strip(a!.headers));
  expect(b!.url).toBe('/ws?uid=u1&token=x');
  expect(a!.headers).toMatchObject({
    authorization: 'Bearer t0k', 'x-trace': 'a b', 'sec-websocket-protocol': 'im.v1,im.v2', 'sec-websocket-version': '13',
    connection: 'Upgrade', upgrade: 'websocket', host: `127.0.0.1:${server.port}`,
  });
});
