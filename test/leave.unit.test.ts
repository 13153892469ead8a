import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { M } from '../lib/core/metric-names';
import { Meter } from '../lib/node/meter';
import { rawClient } from '../lib/node/raw-client';
import type { NodeSocket } from '../lib/node/socket';
import type { WsClientFactory } from '../lib/node/transport';
import { NodeVu, VuHost } from '../lib/node/vu';
import { closeFrame } from '../lib/node/leave';
import type { ResolvedOptions } from '../lib/scenario/types';
import { resolveOptions } from '../lib/options/options';
import { ramp } from '../lib';

/**
 * The runner's own close (lib/node/leave.ts): the server reads a clean close with the runner's
 * code and reason; the client is done at once, counts no disconnect, and its listeners see one
 * close event with that code. Against a real `ws` server on loopback, on both clients.
 */
describe.each<[string, WsClientFactory | undefined]>([
  ['ws', undefined],
  ['raw', rawClient],
])('the runner closes a connection (%s client)', (_name, client) => {
  let wss: WebSocketServer;
  let url: string;
  const seen: Array<{ code: number; reason: string }> = [];
  let allSeen: { n: number; done: () => void } | undefined;

  beforeAll(async () => {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
    url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
    wss.on('connection', (ws) =>
      ws.on('close', (code, reason) => {
        seen.push({ code, reason: reason.toString() });
        if (allSeen && seen.length >= allSeen.n) allSeen.done();
      }),
    );
  });
  afterAll(() => new Promise<void>((r) => wss.close(() => r())));

  function vuOn(meter: Meter, live: Set<NodeSocket>, options: ResolvedOptions): NodeVu {
    const host: VuHost = {
      meter,
      options,
      settings: { connectTimeoutMs: 5000, pongTimeoutMs: 5000, pingType: 'protocol', wsOptions: {}, client },
      localAddressFor: () => undefined,
      socketCreated: (x) => void live.add(x),
      socketDone: (x) => void live.delete(x),
    };
    return new NodeVu(0, host);
  }

  test('20 open connections: the server reads 1000 "run ended" for each, the client counts 20 closes and no disconnect', async () => {
    seen.length = 0;
    const meter = new Meter();
    const live = new Set<NodeSocket>();
    const options = resolveOptions('leave', { stages: [ramp('1s', 20)], target: url }, {});
    const serverSawAll = new Promise<void>((done) => (allSeen = { n: 20, done }));
    const events: number[] = [];
    const vus = Array.from({ length: 20 }, () => vuOn(meter, live, options));
    const opened = vus.map((vu) => {
      const s = vu.connect();
      s.addEventListener('close', (e) => events.push(e.code));
      return new Promise<void>((r) => s.addEventListener('open', () => r()));
    });
    await Promise.all(opened);
    expect(meter.open).toBe(20);

    for (const vu of vus) vu.closeSockets();
    // done at once: nothing awaited from the server
    expect(live.size).toBe(0);
    expect(meter.open).toBe(0);
    expect(events).toEqual(Array(20).fill(1000));
    await serverSawAll;
    expect(seen).toEqual(Array(20).fill({ code: 1000, reason: 'run ended' }));
    const snap = meter.second.snapshot();
    expect(snap.counters[M.sessions]).toBe(20);
    expect(snap.counters[M.disconnects] ?? 0).toBe(0);
    expect(snap.disconnects).toEqual({});
    expect(snap.errors).toEqual({});
  });
});

test('closeFrame: FIN + close opcode, masked, code and reason under the mask', () => {
  const f = closeFrame(1001, 'bye');
  expect(f[0]).toBe(0x88);
  expect(f[1]).toBe(0x80 | 5);
  const payload = Buffer.from(f.subarray(6).map((b, i) => b ^ (f[2 + (i & 3)] as number)));
  expect(payload.readUInt16BE(0)).toBe(1001);
  expect(payload.toString('utf8', 2)).toBe('bye');
  expect(() => closeFrame(1000, 'x'.repeat(124))).toThrow(RangeError);
});
