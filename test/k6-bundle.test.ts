import fs from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { bundleImports, listScenarios, scenarioName } from '../build/k6';
import { bundleForNode } from '../build/scenario';
import { K6_OWN } from '../lib/k6/names';
import { checkModule, resolveOptions } from '../lib/options';
import { parseDuration } from '../lib/duration';
import YAML from 'yaml';
import { sendPlan } from '../lib/send-plan';
import { startFaultServer } from './fault-server';
import { ROOT, runCli, tmpDir } from './helpers';
import { allowedGlobals, freeGlobals, K6Sandbox, VirtualClock } from './k6-sandbox';

/**
 * Proof without k6 itself: every scenario is bundled by `runner build --target k6`, then each bundle
 * runs in a sandbox holding only k6's globals and k6's modules as recording doubles, its socket
 * driven by a real loopback server.
 */

const OUT = tmpDir('wsbench-k6-');
const SCENARIOS = listScenarios(path.join(ROOT, 'scenarios'));
const NAMES = SCENARIOS.map(scenarioName);
const bundle = (name: string): string => path.join(OUT, `${name}.js`);
const K6_IMPORTS = ['k6/execution', 'k6/metrics', 'k6/timers', 'k6/websockets'];

interface Conn {
  url: string;
  pings: number;
  closed?: { code: number; reason: string };
}

/** A loopback WebSocket server that records what each connection did. */
async function startServer(o: { autoPong?: boolean; closeOnOpen?: { code: number; reason: string } } = {}): Promise<{ url: string; conns: Conn[]; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong: o.autoPong ?? true, perMessageDeflate: false });
  await new Promise((r) => wss.once('listening', r));
  const conns: Conn[] = [];
  wss.on('connection', (ws, req) => {
    const c: Conn = { url: req.url ?? '', pings: 0 };
    conns.push(c);
    ws.on('ping', () => c.pings++);
    ws.on('close', (code, reason) => (c.closed = { code, reason: reason.toString() }));
    ws.on('error', () => undefined);
    if (o.closeOnOpen) ws.close(o.closeOnOpen.code, o.closeOnOpen.reason);
  });
  const port = (wss.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    conns,
    close: () => new Promise<void>((r) => {
      for (const c of wss.clients) c.terminate();
      wss.close(() => r());
    }),
  };
}

/** Waits for real I/O (a bounded wait for an event, never a measured time). */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

interface Expected {
  /** Stages with holds resolved to the previous target. */
  stages: Array<{ duration: string; target: number }>;
  pingIntervalMs: number;
  drainMs: number;
}

/** What the bundle must export, computed here independently from the scenario module itself, loaded on Node. */
async function expectedOf(file: string): Promise<Expected> {
  const cjs = await bundleForNode(file, ROOT);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle written by the test: its path is known only at run time
  const { options } = checkModule(require(cjs), file);
  fs.rmSync(path.dirname(cjs), { recursive: true, force: true });
  const r = resolveOptions(scenarioName(file), options, {});
  let level = 0;
  const stages = (options.stages as Array<{ duration: string; target?: number }>).map((st) => {
    level = st.target ?? level;
    return { duration: st.duration, target: level };
  });
  return { stages, pingIntervalMs: r.pingIntervalMs, drainMs: Math.max(r.connectTimeoutMs, r.pongTimeoutMs) + 5000 };
}

function pingTimers(sb: K6Sandbox, ms: number): number {
  return sb.clock.pending.filter((t) => t.interval && t.ms === ms).length;
}

const expected: Record<string, Expected> = {};
const stagesOf = (name: string): Expected['stages'] => (expected[name] as Expected).stages;

beforeAll(async () => {
  for (const f of SCENARIOS) expected[scenarioName(f)] = await expectedOf(f);
  const r = await runCli('runner', ['build', ...SCENARIOS, '--target', 'k6', '--out-dir', OUT], { noExport: true, cwd: ROOT });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});

test('`runner build` bundles connect-only, 10k and 50k (and every other scenario) for k6', () => {
  expect(NAMES).toEqual(expect.arrayContaining(['connect-only', '10k', '50k']));
  for (const name of NAMES) expect(fs.existsSync(bundle(name))).toBe(true);
});

describe.each(NAMES)('dist/k6/%s.js', (name) => {
  test('static check: it imports only k6 modules and uses only globals k6 offers', async () => {
    expect(await bundleImports(bundle(name))).toEqual(K6_IMPORTS);
    const code = fs.readFileSync(bundle(name), 'utf8');
    const allowed = allowedGlobals();
    expect(freeGlobals(code).filter((g) => !allowed.has(g))).toEqual([]);
    expect(code).toMatch(/\/\/# sourceMappingURL=data:application\/json;base64,/);
  });

  test('exports options: one ramping-vus scenario with the stages, k6 thresholds, metrics declared in init', () => {
    const sb = K6Sandbox.load(bundle(name), { env: { TARGET: 'ws://127.0.0.1:9/ws' } });
    const options = sb.exports.options as Record<string, unknown>;
    const scenario = (options.scenarios as Record<string, Record<string, unknown>>)[name] as Record<string, unknown>;
    expect(Object.keys(options.scenarios as object)).toEqual([name]);
    expect(scenario.executor).toBe('ramping-vus');
    expect(scenario.startVUs).toBe(0);
    expect(scenario.gracefulRampDown).toBe('0s');
    expect(parseDuration(scenario.gracefulStop)).toBe((expected[name] as Expected).drainMs);
    if (['connect-only', '10k', '50k'].includes(name)) expect(scenario.gracefulStop).toBe('15s');
    const ms = (stages: Array<{ duration: string; target: number }>): Array<[number, number]> => stages.map((st) => [parseDuration(st.duration), st.target]);
    expect(ms(scenario.stages as Array<{ duration: string; target: number }>)).toEqual(ms(stagesOf(name)));
    if (['connect-only', '10k', '50k'].includes(name)) {
      expect(options.thresholds).toEqual({ ws_connect_success: ['rate>=0.99'], ws_connecting: ['p(99)<100'], ws_pong_rate: ['rate>=0.99'] });
    }
    // every metric exists before any VU runs (k6 refuses new ones later); k6's own are left to k6
    const names = sb.declared.map((d) => d.name);
    const own = K6_OWN.map((d) => d.name).filter((n) => n !== 'ws_msg_latency');
    expect(names).toEqual(expect.arrayContaining(own));
    expect(names).not.toEqual(expect.arrayContaining(['ws_connecting']));
    // declared only when the scenario's code reaches lib/messages.ts (issue 11 point 5)
    if (name === 'messaging') expect(sb.declared.find((d) => d.name === 'ws_msg_latency')).toEqual({ name: 'ws_msg_latency', type: 'Trend', isTime: true });
    else expect(names.filter((n) => n === 'ws_msg_latency' || n.startsWith('im_'))).toEqual([]);
  });

  test('a VU opens a socket to TARGET, pings every pingInterval, records the shared metrics, ends clean', async () => {
    const server = await startServer();
    const sb = K6Sandbox.load(bundle(name), { env: { TARGET: server.url } });
    try {
      const endMs = stagesOf(name).reduce((t, st) => t + parseDuration(st.duration), 0);
      const every = (expected[name] as Expected).pingIntervalMs;
      sb.iteration(1);
      expect(sb.sockets).toHaveLength(1);
      expect((sb.sockets[0] as { url: string }).url.startsWith(server.url)).toBe(true);
      await until(() => sb.sockets[0]?.double.readyState === 1 && server.conns.length === 1, 'the socket to open');
      expect(pingTimers(sb, every)).toBe(1);
      const pings = Math.ceil(endMs / every) - 1; // pings at every, 2 every, ... strictly before the end (the end timer comes first)
      for (let k = 1; k <= pings; k++) {
        sb.clock.advance(every);
        await until(() => sb.count('ws_pongs_received') === k, `pong ${k}`);
      }
      sb.clock.advance(endMs - pings * every);
      await until(() => server.conns[0]?.closed !== undefined && sb.sockets[0]?.events.includes('close') === true, 'the close at the end');
      expect(server.conns[0]?.pings).toBe(pings);
      expect(server.conns[0]?.closed).toEqual({ code: 1000, reason: 'run ended' });
      expect(sb.count('ws_connect_attempts')).toBe(1);
      expect(sb.rates('ws_connect_success')).toEqual([true]);
      expect(sb.count('ws_pings_sent')).toBe(pings);
      expect(sb.count('ws_pongs_received')).toBe(pings);
      expect(sb.rates('ws_pong_rate')).toEqual(Array(pings).fill(true));
      expect(sb.count('ws_connect_errors')).toBe(0);
      expect(sb.count('ws_disconnects')).toBe(0);
      // nothing left to keep k6's event loop busy: the iteration ends by itself
      expect(sb.clock.pending).toEqual([]);
      expect(sb.logs.filter((l) => l.startsWith('error'))).toEqual([]);
    } finally {
      sb.destroy();
      await server.close();
    }
  });
});

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
      sb.clock.advance(60_000 - 56_000);
      await until(() => server.conns[0]?.closed !== undefined, 'close');
      expect(server.conns[0]?.pings).toBe(8);
      expect(sb.rates('ws_pong_rate')).toEqual(Array(8).fill(true));
    } finally {
      sb.destroy();
      await server.close();
    }
  });

  test('VU ids are k6 ids minus one: ${vu} in -e TARGET expands to idInTest - 1', async () => {
    const server = await startServer();
    const sb = K6Sandbox.load(bundle('connect-only'), { env: { TARGET: `${server.url}?vu=\${vu}` } });
    try {
      sb.iteration(3);
      await until(() => server.conns.length === 1, 'open');
      expect(server.conns[0]?.url).toBe('/ws?vu=2');
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
    sb.clock.advance(60_000);
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
      sb.clock.advance(60_000);
      expect(sb.clock.pending).toEqual([]);
    } finally {
      sb.destroy();
      await server.close();
    }
  });

  test('a server that never answers pings: the ping counts lost once the pong timeout passes in the end drain', async () => {
    const server = await startServer({ autoPong: false });
    const sb = K6Sandbox.load(bundle('10k'), { env: { TARGET: server.url } });
    try {
      sb.iteration(1);
      await until(() => sb.sockets[0]?.double.readyState === 1, 'open');
      sb.clock.advance(30_000);
      await until(() => server.conns[0]?.pings === 1, 'the ping at the server');
      sb.clock.advance(30_000); // end of the stages: the drain waits for the pending pong
      expect(sb.rates('ws_pong_rate')).toEqual([]);
      expect(sb.clock.pending.map((t) => t.ms)).toEqual([10_500]); // max(connectTimeout, pongTimeout) + 500 ms
      sb.clock.advance(10_500);
      await until(() => server.conns[0]?.closed !== undefined, 'close');
      expect(sb.rates('ws_pong_rate')).toEqual([false]);
      expect(sb.count('ws_pongs_received')).toBe(0);
      expect(sb.count('ws_pings_sent')).toBe(1);
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
      sb.clock.advance(50_000); // the end of the stages with the attempt still in flight
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

test('dist/k6/messaging.js: two VUs exchange messages through a real server; acks, deliveries and latencies recorded', async () => {
  if (!NAMES.includes('messaging')) return;
  const server = await startFaultServer({ deliver: {} });
  const clock = new VirtualClock();
  const start = clock.now;
  const a = K6Sandbox.load(bundle('messaging'), { env: { TARGET: server.url }, clock });
  const b = K6Sandbox.load(bundle('messaging'), { env: { TARGET: server.url }, clock });
  try {
    const stages = stagesOf('messaging');
    const endMs = stages.reduce((t, st) => t + parseDuration(st.duration), 0);
    // what each VU sends, from the scenario's own settings (msgRate 1/s, default warmup and drain)
    const { count } = sendPlan(stages, 0, { rate: 1 });
    expect(count).toBeGreaterThan(0);
    a.iteration(1); // user 0, sends to user 1
    clock.advance(30); // the runner's pacing: VU 1 starts 30 ms later in a 30 s ramp to 1000
    b.iteration(2); // user 1, sends to user 2 (nobody here)
    await until(() => a.sockets[0]?.double.readyState === 1 && b.sockets[0]?.double.readyState === 1, 'both open');
    // step one second at a time and let the real acks and deliveries arrive before time moves on
    for (let t = 1000; t < endMs - 1000; t += 1000) {
      clock.advance(1000);
      await until(() => a.trend('im_ack_rtt').length === a.count('im_sent') && b.count('im_delivered') === a.count('im_sent'), `acks at ${t} ms`);
    }
    expect(a.count('im_sent')).toBe(count);
    expect(b.count('im_sent')).toBe(count);
    expect(a.count('im_expected')).toBe(count);
    // virtual time stands still while the real round trips run: VU 0 sends on whole seconds (its phase is 0)
    // and time moves in 1 s steps that end 30 ms later, so every ack and delivery is read 30 ms after its send
    expect(a.trend('im_ack_rtt')).toEqual(Array(count).fill(30));
    expect(b.count('im_delivered')).toBe(count);
    expect(b.trend('ws_msg_latency')).toEqual(Array(count).fill(30));
    expect(a.count('im_ack_timeouts') + b.count('im_ack_timeouts')).toBe(0);
    clock.advance(endMs - (clock.now - start));
    await until(() => a.sockets[0]?.events.includes('close') === true && b.sockets[0]?.events.includes('close') === true, 'both closed');
    expect(server.counts.sends).toBe(2 * count);
    expect([...a.logs, ...b.logs].filter((l) => l.startsWith('error'))).toEqual([]);
  } finally {
    a.destroy();
    b.destroy();
    await server.close();
  }
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are untyped YAML
type Yaml = Record<string, any>;

test('deploy/k8s/k6-testrun.yaml: a k6 operator TestRun of the 10k bundle from a ConfigMap, with -e TARGET', () => {
  const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(ROOT, 'deploy', 'k8s', 'k6-testrun.yaml'), 'utf8')).map((d) => d.toJSON() as Yaml);
  expect(docs).toHaveLength(1);
  const run = docs[0] as Yaml;
  expect([run.apiVersion, run.kind]).toEqual(['k6.io/v1alpha1', 'TestRun']);
  expect(run.spec.script.configMap).toEqual({ name: 'wsbench-k6-10k', file: '10k.js' });
  expect(fs.existsSync(bundle(path.basename(run.spec.script.configMap.file, '.js')))).toBe(true);
  expect(run.spec.arguments).toMatch(/(^| )-e TARGET=ws:\/\/\S+/);
  expect(run.spec.parallelism).toBeGreaterThanOrEqual(1);
});

test('pingType app: {"type":"ping"} frames, answered by {"type":"pong"} frames, count as pongs (test/fixtures/k6/app-ping.ts)', async () => {
  const out = tmpDir();
  const r = await runCli('runner', ['build', 'test/fixtures/k6/app-ping.ts', '--out-dir', out], { noExport: true, cwd: ROOT });
  expect(r.code).toBe(0);
  const server = await startFaultServer();
  const sb = K6Sandbox.load(path.join(out, 'app-ping.js'), { env: { TARGET: server.url } });
  try {
    sb.iteration(1);
    await until(() => sb.sockets[0]?.double.readyState === 1, 'open');
    for (let k = 1; k <= 4; k++) {
      sb.clock.advance(1000);
      await until(() => sb.count('ws_pongs_received') === k, `pong ${k}`);
    }
    sb.clock.advance(1000);
    await until(() => sb.sockets[0]?.events.includes('close') === true, 'close');
    expect(server.counts.appPings).toBe(4);
    expect(server.counts.pings).toBe(0);
    expect(sb.sockets[0]?.sent).toBe(4);
    expect(sb.rates('ws_pong_rate')).toEqual([true, true, true, true]);
  } finally {
    sb.destroy();
    await server.close();
  }
});

describe('what a k6 bundle may not hold', () => {
  test('build refuses a scenario importing a Node built-in, or ws: one line, exit 1', async () => {
    const builtin = await runCli('runner', ['build', 'test/fixtures/k6/imports-node.ts', '--out-dir', tmpDir()], { noExport: true, cwd: ROOT });
    expect(builtin.code).toBe(1);
    expect(builtin.stderr).toBe(
      'cannot build test/fixtures/k6/imports-node.ts for k6: test/fixtures/k6/imports-node.ts:1:29: test/fixtures/k6/imports-node.ts imports the Node built-in "node:fs": a k6 bundle may import only k6 and k6/* modules and pure code\n',
    );
    const ws = await runCli('runner', ['build', 'test/fixtures/k6/imports-ws.ts', '--out-dir', tmpDir()], { noExport: true, cwd: ROOT });
    expect(ws.code).toBe(1);
    expect(ws.stderr.trim().split('\n')).toHaveLength(1);
    expect(ws.stderr).toContain('imports "ws", which runs only on Node: open sockets with vu.connect() instead');
  });

  test('the static check and the sandbox both catch a bundle with a Node import or a Node global', async () => {
    const dir = tmpDir();
    const bad = path.join(dir, 'bad.js');
    fs.writeFileSync(bad, 'import fs from "node:fs";\nimport { WebSocket } from "k6/websockets";\nexport const options = {};\nexport default function () { fs.readFileSync(process.env.HOME + Buffer.from("x")); new WebSocket("ws://x"); }\n');
    expect(await bundleImports(bad)).toEqual(['k6/websockets', 'node:fs']);
    const allowed = allowedGlobals();
    expect(freeGlobals(fs.readFileSync(bad, 'utf8')).filter((g) => !allowed.has(g))).toEqual(['Buffer', 'process']);
    expect(() => K6Sandbox.load(bad, { env: {} })).toThrow('unknown modules ["node:fs"] were tried to be loaded');
  });
});

describe('runner build: input and other targets', () => {
  test('bad input: one line, exit 1', async () => {
    const missing = await runCli('runner', ['build', 'scenarios/nope.ts'], { noExport: true, cwd: ROOT });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('scenario file not found: scenarios/nope.ts (give a path like scenarios/connect-only.ts)\n');
    const target = await runCli('runner', ['build', 'scenarios/10k.ts', '--target', 'jmeter'], { noExport: true, cwd: ROOT });
    expect(target.code).toBe(1);
    expect(target.stderr).toBe('--target must be k6 or node for build (got "jmeter")\n');
  });

  test('--k6-legacy imports k6/experimental/websockets and k6/timers (k6 0.50-1.5), and runs under the 0.54 double', async () => {
    const out = tmpDir();
    const r = await runCli('runner', ['build', 'scenarios/connect-only.ts', '--k6-legacy', '--out-dir', out], { noExport: true, cwd: ROOT });
    expect(r.code).toBe(0);
    const file = path.join(out, 'connect-only.js');
    expect(await bundleImports(file)).toEqual(['k6/execution', 'k6/experimental/websockets', 'k6/metrics', 'k6/timers']);
    const server = await startServer();
    const sb = K6Sandbox.load(file, { env: { TARGET: server.url }, clock: new VirtualClock(), version: '0.54' });
    try {
      sb.iteration(1);
      await until(() => server.conns.length === 1 && sb.sockets[0]?.double.readyState === 1, 'open');
      expect(sb.required).toEqual(expect.arrayContaining(['k6/experimental/websockets', 'k6/timers']));
    } finally {
      sb.destroy();
      await server.close();
    }
  });

  test('--target node writes the CommonJS bundle `runner run` loads', async () => {
    const out = tmpDir();
    const r = await runCli('runner', ['build', 'scenarios/10k.ts', '--target', 'node', '--out-dir', out], { noExport: true, cwd: ROOT });
    expect(r.code).toBe(0);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle written by the test: its path is known only at run time
    const mod = require(path.join(out, '10k.cjs')) as { options: { stages: unknown[] }; default: unknown };
    expect(mod.options.stages).toEqual([{ duration: '30s', target: 10_000 }, { duration: '30s' }]);
    expect(typeof mod.default).toBe('function');
  });
});

test.each(['connect-only', '10k', '50k'])('the same scenarios/%s.ts runs natively, unchanged', async (name) => {
  // a count threshold: the default latency goals would make the exit code depend on the machine's load
  const r = await runCli('runner', ['run', path.join(ROOT, 'scenarios', `${name}.ts`), '--conns', '4', '--duration', '2s', '--ramp', '1s', '--threshold', 'connections.successRate >= 1']);
  expect(r.code).toBe(0);
  expect(r.summary?.connections.attempted).toBe(4);
  expect(r.summary?.connections.succeeded).toBe(4);
});
