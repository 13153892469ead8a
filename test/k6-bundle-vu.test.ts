import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { bundle, buildBundles, freePort, pingTimers, startServer, until } from './k6-bundle-helpers';
import { K6Sandbox } from './k6-sandbox';

beforeAll(buildBundles);

/** A VU's iteration ends this long after the stages, so that k6 has stopped the VU (lib/k6/entry.ts LINGER_MS). */
const SLACK = 100;

describe('the k6 VU context, on dist/k6/10k.js and dist/k6/connect-only.js', () => {
  test('-e PING_INTERVAL=7s: 8 pings in the 60 s of 10k, each answered', async () => {
    const server = await startServer();
    const sb = K6Sandbox.load(bundle('10k'), { env: { TARGET: server.url, PING_INTERVAL: '7s' } });
    try {
      sb.iteration(1);
      await until(() => sb.sockets[0]?.double.readyState === 1, 'open');
      expect(pingTimers(sb, 7000)).toBe(1);
      for (let k = 1; k <= 8; k++) {
        sb.clock.advance(7000);
        await until(() => sb.count('ws_pongs_received') === k, `pong ${k}`);
      }
      sb.clock.advance(60_000 - 56_000 + SLACK);
      await until(() => server.conns[0]?.closed !== undefined, 'close');
      expect(server.conns[0]?.pings).toBe(8);
      expect(sb.rates('ws_pong_rate')).toEqual(Array(8).fill(true));
    } finally {
      sb.destroy();
      await server.close();
    }
  });

  test('VU ids follow the order k6 starts VU lives (exec.scenario.iterationInTest), not k6 VU ids: ${vu} in -e TARGET', async () => {
    const server = await startServer();
    const sb = K6Sandbox.load(bundle('connect-only'), { env: { TARGET: `${server.url}?vu=\${vu}` } });
    try {
      sb.iteration(3);
      await until(() => server.conns.length === 1, 'open');
      sb.iteration(1);
      await until(() => server.conns.length === 2, 'open');
      expect(server.conns.map((c) => c.url)).toEqual(['/ws?vu=0', '/ws?vu=1']);
    } finally {
      sb.destroy();
      await server.close();
    }
  });

  test('refused connection: ws_connect_errors{error:ECONNREFUSED}, success rate false, no pings', async () => {
    const port = await freePort();
    const sb = K6Sandbox.load(bundle('connect-only'), { env: { TARGET: `ws://127.0.0.1:${port}/ws` } });
    sb.iteration(1);
    await until(() => sb.sockets[0]?.events.includes('close') === true, 'the failed dial');
    expect(sb.count('ws_connect_errors', { error: 'ECONNREFUSED' })).toBe(1);
    expect(sb.count('ws_connect_errors')).toBe(1);
    expect(sb.rates('ws_connect_success')).toEqual([false]);
    expect(pingTimers(sb, 30_000)).toBe(0);
    sb.clock.advance(60_000 + SLACK);
    expect(sb.clock.pending).toEqual([]);
    expect(sb.count('ws_disconnects')).toBe(0);
  });

  test('server closes with 4001: one disconnect, reason "close 4001", the ping timer stops', async () => {
    const server = await startServer({ closeOnOpen: { code: 4001, reason: 'bye' } });
    const sb = K6Sandbox.load(bundle('connect-only'), { env: { TARGET: server.url } });
    try {
      sb.iteration(1);
      await until(() => sb.sockets[0]?.events.includes('close') === true, 'the close');
      expect(sb.rates('ws_connect_success')).toEqual([true]);
      expect(sb.count('ws_disconnects')).toBe(1);
      expect(sb.tagsOf('ws_disconnects')).toEqual(['reason:close 4001']);
      expect(pingTimers(sb, 30_000)).toBe(0);
      sb.clock.advance(60_000 + SLACK);
      expect(sb.clock.pending).toEqual([]);
    } finally {
      sb.destroy();
      await server.close();
    }
  });

  test('a server that never answers pings: a ping counts lost once its pong timeout passed, and the end drain waits for that, no longer', async () => {
    const server = await startServer({ autoPong: false });
    // pings at 55 s: 5 s before the end of the 60 s of 10k, with a pong timeout of 10 s
    const sb = K6Sandbox.load(bundle('10k'), { env: { TARGET: server.url, PING_INTERVAL: '55s' } });
    try {
      sb.iteration(1);
      await until(() => sb.sockets[0]?.double.readyState === 1, 'open');
      sb.clock.advance(55_000);
      await until(() => server.conns[0]?.pings === 1, 'the ping at the server');
      sb.clock.advance(5_000); // end of the stages: the drain waits for the pending pong
      expect(sb.rates('ws_pong_rate')).toEqual([]);
      expect(sb.sockets[0]?.closeCalls).toEqual([]);
      sb.clock.advance(5_000);
      expect(sb.rates('ws_pong_rate')).toEqual([]);
      sb.clock.advance(1); // 10 s after the ping: lost, nothing left in flight, closed
      expect(sb.rates('ws_pong_rate')).toEqual([false]);
      expect(sb.sockets[0]?.closeCalls).toEqual([{ code: 1000, reason: 'run ended' }]);
      await until(() => server.conns[0]?.closed !== undefined, 'close');
      expect(sb.count('ws_pongs_received')).toBe(0);
      expect(sb.count('ws_pings_sent')).toBe(1);
    } finally {
      sb.destroy();
      await server.close();
    }
  });

  test('a ping already past its pong timeout when the stages end counts lost then, and the drain closes at once', async () => {
    const server = await startServer({ autoPong: false });
    const sb = K6Sandbox.load(bundle('10k'), { env: { TARGET: server.url } });
    try {
      sb.iteration(1);
      await until(() => sb.sockets[0]?.double.readyState === 1, 'open');
      sb.clock.advance(30_000);
      await until(() => server.conns[0]?.pings === 1, 'the ping at the server');
      sb.clock.advance(30_000);
      expect(sb.rates('ws_pong_rate')).toEqual([false]);
      expect(sb.sockets[0]?.closeCalls).toEqual([{ code: 1000, reason: 'run ended' }]);
      await until(() => server.conns[0]?.closed !== undefined, 'close');
    } finally {
      sb.destroy();
      await server.close();
    }
  });

  test('connect timeout: an upgrade never answered fails as "timeout" after connectTimeout, and is never closed while connecting', async () => {
    const held: net.Socket[] = [];
    const tcp = net.createServer((s) => held.push(s));
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    const sb = K6Sandbox.load(bundle('connect-only'), { env: { TARGET: `ws://127.0.0.1:${(tcp.address() as AddressInfo).port}/ws` } });
    try {
      sb.iteration(1);
      await until(() => held.length === 1, 'the TCP connection');
      sb.clock.advance(9_999);
      expect(sb.count('ws_connect_errors')).toBe(0);
      sb.clock.advance(1);
      expect(sb.count('ws_connect_errors', { error: 'timeout' })).toBe(1);
      expect(sb.rates('ws_connect_success')).toEqual([false]);
      sb.clock.advance(50_000 + SLACK); // the end of the stages with the attempt still in flight
      expect(sb.sockets[0]?.closeCalls).toEqual([]);
      for (const s of held) s.destroy();
      await until(() => sb.sockets[0]?.events.includes('close') === true, 'the dial to end');
      expect(sb.count('ws_connect_errors')).toBe(1);
      sb.clock.advance(10_500);
      expect(sb.clock.pending).toEqual([]);
    } finally {
      sb.destroy();
      await new Promise((r) => tcp.close(r));
    }
  });

  test('k6 CLI overrides (k6 run --stage 20s:5) move the end: the VU closes when the scenario k6 runs ends', async () => {
    const server = await startServer();
    const testOptions = { scenarios: { default: { executor: 'ramping-vus', stages: [{ duration: '20s', target: 5 }] } } };
    const sb = K6Sandbox.load(bundle('10k'), { env: { TARGET: server.url }, testOptions });
    try {
      sb.iteration(1);
      await until(() => sb.sockets[0]?.double.readyState === 1, 'open');
      sb.clock.advance(19_999);
      expect(sb.sockets[0]?.closeCalls).toEqual([]);
      sb.clock.advance(1);
      expect(sb.sockets[0]?.closeCalls).toEqual([{ code: 1000, reason: 'run ended' }]);
      await until(() => server.conns[0]?.closed !== undefined, 'close');
      sb.clock.advance(SLACK);
      expect(sb.clock.pending).toEqual([]);
    } finally {
      sb.destroy();
      await server.close();
    }
  });

  test('init refuses a missing or non-WebSocket TARGET with one clear message', () => {
    expect(() => K6Sandbox.load(bundle('10k'), { env: {} })).toThrow('no target: run with -e TARGET=ws://host:port/ws (k6 has no embedded server)');
    expect(() => K6Sandbox.load(bundle('10k'), { env: { TARGET: 'http://127.0.0.1/' } })).toThrow(
      '-e TARGET must be a ws:// or wss:// URL like ws://10.0.0.5:30084/ws (got "http://127.0.0.1/")',
    );
  });
});
